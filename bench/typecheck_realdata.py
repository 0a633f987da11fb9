"""The type-check wrapper against plain `ghc -fno-code` on real code nobody here wrote.

    .venv/bin/python bench/typecheck_realdata.py [SHARED_DIR]   (default: ../shared)

Sets: every Exercism reference solution (`.meta/examples/success-*/src/*.hs`; ground truth:
`ghc -fno-code -isrc FILE` on the file as written, in the sandbox, its sibling modules found),
the track's deliberately wrong `fail-*`/`error-*` examples, and the Rosetta Code solutions with
their recorded GHC result (MANIFEST.jsonl `ghc_9.0.2_fno_code`: ok, ok-no-main type-check).
Each file is checked three ways: the ground truth, the wrapper of today
(budgetai.haskell.execution.typecheck) and the regex wrapper it replaced (reproduced here as the
baseline, so the before/after counts come from one run). A reference whose ground truth fails
because a library is not installed ("Could not find module") is counted apart: that is the
machine's package set, not the wrapper.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from budgetai.haskell.execution import ExecutionConfig, ghc_binds, ghc_path, typecheck
from budgetai.haskell.sandbox import run_sandboxed

CFG = ExecutionConfig()
TYPECHECKS = ("ok", "ok-no-main")
# The wrapper before issue 25, verbatim: the module line stripped by a regex, pragmas hoisted.
OLD_MODULE_LINE = re.compile(r"^module\s+[\w.]+\s*(\([^)]*\))?\s*where[ \t]*$", re.MULTILINE)
OLD_PRAGMA_LINE = re.compile(r"^\{-#.*?#-\}[ \t]*$", re.MULTILINE)


def old_wrapper_source(code: str) -> str:
    body = OLD_MODULE_LINE.sub("", code)
    pragmas = "\n".join(m.group(0) for m in OLD_PRAGMA_LINE.finditer(body))
    return f"{pragmas}\nmodule Snippet where\n{OLD_PRAGMA_LINE.sub('', body)}\n"


def ghc_on(files: dict[str, str], target: str) -> tuple[bool, str]:
    """`ghc -fno-code -isrc <target>` over a copy of `files` (relative path -> text), sandboxed."""
    with tempfile.TemporaryDirectory(prefix="budgetai-bench-tc-") as tmp:
        for rel, text in files.items():
            (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / rel).write_text(text, encoding="utf-8")
        done = run_sandboxed([ghc_path(CFG.ghc), "-fno-code", "-isrc", target], Path(tmp),
                             CFG.compile_limits, extra_ro_binds=ghc_binds(CFG.ghc))
    return done.status == "ok", done.stderr.decode("utf-8", "replace")


def exercism_files(shared: Path) -> list[tuple[str, Path]]:
    """(set name, file) for every example module of the track."""
    practice = shared / "realdata/exercism/exercises/practice"
    out = []
    for path in sorted(practice.glob("*/.meta/examples/*/src/**/*.hs")):
        example = path.relative_to(practice).parts[3]
        out.append(("exercism success" if example.startswith("success-") else "exercism fail/error", path))
    return out


def check_exercism(path: Path) -> dict:
    src = next(p for p in path.parents if p.name == "src")
    files = {f"src/{p.relative_to(src).as_posix()}": p.read_text(encoding="utf-8") for p in src.rglob("*.hs")}
    target = f"src/{path.relative_to(src).as_posix()}"
    truth, message = ghc_on(files, target)
    code = files[target]
    return {"file": str(path), "truth": truth, "missing_package": "Could not find module" in message,
            "new": typecheck(code, CFG).ok, "old": ghc_on({"Snippet.hs": old_wrapper_source(code)}, "Snippet.hs")[0]}


def check_rosetta(shared: Path, entry: dict) -> dict:
    path = shared / "realdata/rosettacode" / entry["path"]
    code = path.read_text(encoding="utf-8")
    return {"file": entry["path"], "truth": entry["ghc_9.0.2_fno_code"] in TYPECHECKS,
            "missing_package": entry["ghc_9.0.2_fno_code"] == "missing-package-module",
            "new": typecheck(code, CFG).ok, "old": ghc_on({"Snippet.hs": old_wrapper_source(code)}, "Snippet.hs")[0]}


def summary(name: str, results: list[dict]) -> None:
    truth = [r for r in results if r["truth"]]
    wrong = [r for r in results if not r["truth"]]
    print(f"{name}: {len(results)} files, {len(truth)} type-check with plain ghc "
          f"({sum(r['missing_package'] for r in results)} lack a module: a package not installed or a sibling file)")
    for key in ("old", "new"):
        print(f"  {key} wrapper: keeps {sum(r[key] for r in truth)}/{len(truth)} that type-check, "
              f"drops {sum(not r[key] for r in wrong)}/{len(wrong)} that do not")
    for r in results:
        if r["new"] != r["truth"]:
            print(f"    new wrapper disagrees: {r['file']} (ghc: {r['truth']}, wrapper: {r['new']})")


def main(shared: Path) -> None:
    manifest = [json.loads(line) for line in (shared / "realdata/rosettacode/MANIFEST.jsonl").open()]
    rosetta = [e for e in manifest if e["path"].endswith(".hs") and e.get("ghc_9.0.2_fno_code")]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        exercism = list(pool.map(lambda item: (item[0], check_exercism(item[1])), exercism_files(shared)))
        rosetta_results = list(pool.map(lambda e: check_rosetta(shared, e), rosetta))
    for name in ("exercism success", "exercism fail/error"):
        summary(name, [r for set_name, r in exercism if set_name == name])
    summary("rosettacode", rosetta_results)
    print(f"{len(exercism) + len(rosetta_results)} files in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared")
