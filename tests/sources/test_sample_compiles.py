"""Every sample Haskell snippet marked as compiling passes `ghc -fno-code` (type-checks), so the
sample data never teaches code that does not build. Only GHC's bundled packages are available."""

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from lxml import etree

pytestmark = [pytest.mark.slow, pytest.mark.ghc,
              pytest.mark.skipif(shutil.which("ghc") is None, reason="ghc not on PATH")]

_CODE_BLOCK = re.compile(r"<pre><code>(.*?)</code></pre>", re.DOTALL)
_PRAGMAS = re.compile(r"\A(\s*\{-#.*?#-\}\s*)*", re.DOTALL)


def as_module(code: str, name: str) -> str:
    """Give a snippet without a module header one, after its LANGUAGE pragmas, so a snippet
    that defines no `main` type-checks as a library module."""
    if re.search(r"^module\s", code, re.MULTILINE):
        return code
    pragmas = _PRAGMAS.match(code).group(0)
    return f"{pragmas}module {name} where\n{code[len(pragmas):]}"


def ghc_errors(sources: dict[str, str]) -> dict[str, str]:
    """Type-check each named source in its own directory, in parallel; return the failures."""
    with tempfile.TemporaryDirectory() as tmp:
        def check(item):
            name, code = item
            folder = Path(tmp, name)
            folder.mkdir(parents=True)  # a name may be a path: owner/repo/src/A.hs
            (folder / "Snippet.hs").write_text(code)
            run = subprocess.run(["ghc", "-fno-code", "-v0", "Snippet.hs"], cwd=folder,
                                 capture_output=True, text=True, timeout=300)
            return name, (run.stdout + run.stderr if run.returncode else None)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = dict(pool.map(check, sources.items()))
    return {name: err for name, err in results.items() if err}


def test_stackexchange_sample_answers_compile(repo_dir):
    folder = repo_dir / "resources/sample/stackexchange"
    wanted = set(json.loads((folder / "compiling_answers.json").read_text()))
    assert len(wanted) >= 40
    sources = {}
    for row in etree.parse(str(folder / "Posts.xml")).getroot().iter("row"):
        if int(row.get("Id")) in wanted:
            blocks = [html.unescape(b) for b in _CODE_BLOCK.findall(row.get("Body"))]
            assert blocks, f"answer {row.get('Id')} is marked compiling but has no code block"
            sources[f"answer{row.get('Id')}"] = as_module("\n".join(blocks), "Snippet")
    assert set(sources) == {f"answer{i}" for i in wanted}
    assert ghc_errors(sources) == {}


def test_the_stack_sample_files_compile(repo_dir):
    folder = repo_dir / "resources/sample/the-stack/src"
    files = yaml.safe_load((folder / "files.yaml").read_text())
    wanted = {f"{entry['repo']}/{entry['path']}" for entry in files if entry.get("compiles")}
    assert len(wanted) >= 60
    sources = {}
    for path in sorted(folder.rglob("*.hs")):
        if (name := path.relative_to(folder).as_posix()) in wanted:
            sources[name] = path.read_text()
    assert set(sources) == wanted
    assert ghc_errors(sources) == {}


def test_ghc_check_reports_a_broken_snippet():
    errors = ghc_errors({"bad": as_module("f :: Int -> Int\nf x = x ++ \"a\"\n", "Snippet")})
    assert "bad" in errors and "Snippet.hs" in errors["bad"]
