import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from budgetai.sources import textbook
from budgetai.core.stats import StageStats
from tests.fixture_server import FixtureServer

MIRROR = Path(__file__).resolve().parents[2] / "resources" / "sample" / "textbook"
START = "https://budgetai.example/haskell-book/index.html"
SETEXT_BOOK = Path(__file__).resolve().parents[1] / "fixtures" / "textbook" / "setext-book.md"


def run(cfg):
    stats, quarantine = StageStats("textbook"), []
    records = list(textbook.read("tb", {"license": "CC-BY-SA-4.0", **cfg}, stats, quarantine))
    stats.rows_out = len(records)  # as ingest counts them: the records written
    assert stats.balanced(), stats.to_dict()
    assert len({r.id for r in records}) == len(records)
    return records, stats, quarantine


def test_crawl_of_the_mirror_stays_in_prefix_and_obeys_robots():
    records, stats, _ = run({"start_url": START, "mirror_dir": str(MIRROR)})
    kinds = Counter(r.kind for r in records)
    chapter_sections = [r for r in records if r.kind == "text" and "/0" in r.group]
    assert len(chapter_sections) >= 35 and kinds["qa"] >= 15
    assert stats.extra["pages"] == 9  # index + 8 chapters
    assert stats.extra["skipped_by_robots"] == ["https://budgetai.example/haskell-book/drafts/09-monads.html"]
    assert "https://budgetai.example/blog/announcement.html" in stats.extra["links_outside_prefix"]
    assert not any("announcement" in r.group or "drafts" in r.group for r in records)


def test_sections_carry_title_paths_and_qa_pairs_explain_code():
    records, _, _ = run({"start_url": START, "mirror_dir": str(MIRROR)})
    strict = next(r for r in records if r.kind == "text" and r.prompt.endswith("Strictness and foldl'"))
    assert strict.prompt == "A Small Book of Haskell > 4. Lists > Folds > Strictness and foldl'"
    assert strict.response.startswith("### Strictness and foldl'") and strict.group == "tb:/haskell-book/04-lists.html"
    qa = next(r for r in records if r.kind == "qa" and '"Guards"' in r.prompt)
    assert qa.prompt == 'Explain "Guards" in Haskell and show an example. (Context: A Small Book of Haskell > 3. Functions)'
    assert qa.response.startswith("Guards choose an equation") and "```haskell\nmodule Guards where" in qa.response
    assert not any(r.kind == "qa" and '"Using GHCi"' in r.prompt for r in records)  # ghci session is not code


def test_split_sections_ignores_hashes_inside_code_fences():
    md = "# Top\n\nintro\n\n```haskell\n# not a heading\n```\n\n## Sub\n\ntext\n\n# Next\n"
    sections = textbook.split_sections(md)
    assert [s.path for s in sections] == [["Top"], ["Top", "Sub"], ["Next"]]
    assert "# not a heading" in sections[0].body and sections[2].body == ""


def test_split_sections_reads_blocks_as_commonmark_does():
    md = ("# Top\n\n~~~\n```haskell\n# inside a tilde fence\n~~~\n\n> # quoted, not a section\n\n"
          "    # indented code\n\nA paragraph\nover two lines\n---\n\ntext\n")
    sections = textbook.split_sections(md)
    assert [(s.path, s.level) for s in sections] == [(["Top"], 1), (["Top", "A paragraph over two lines"], 2)]
    assert sections[1].heading_lines == 3 and sections[1].body == "text"


def test_setext_headings_are_headings():
    """Pandoc's default Markdown underlines headings; before, such a book was one section."""
    records, stats, _ = run({"paths": [str(SETEXT_BOOK)], "title": "B"})
    texts = [r for r in records if r.kind == "text"]
    assert [r.prompt for r in texts] == [
        "B > Functions and Folds", "B > Functions and Folds > Defining functions",
        "B > Functions and Folds > Folds", "B > Functions and Folds > Strictness", "B > Types and Classes"]
    folds = next(r for r in texts if r.prompt.endswith("> Folds"))
    assert folds.response.startswith("Folds\n-----\n\nA fold walks") and "-----\nx = 1" in folds.response
    assert not folds.response.count("Strictness")
    strict = next(r for r in texts if r.prompt.endswith("> Strictness"))
    assert strict.id == "tb:setext-book.md#strictness" and "{#" not in strict.response
    qa = [r.prompt for r in records if r.kind == "qa"]
    assert qa == ['Explain "Defining functions" in Haskell and show an example. (Context: B > Functions and Folds)',
                  'Explain "Folds" in Haskell and show an example. (Context: B > Functions and Folds)']
    assert stats.dropped["qa_no_code_example"] == 3


def test_crawl_over_http_uses_robots_prefix_and_cache(tmp_path):
    with FixtureServer(MIRROR) as server:
        cfg = {"start_url": server.url("/haskell-book/index.html"), "cache_dir": str(tmp_path / "c"),
               "min_interval_s": 0.01}
        records, stats, _ = run(cfg)
        assert len(records) == len(run({"start_url": START, "mirror_dir": str(MIRROR)})[0])
        assert server.hits["/robots.txt"] == 1 and server.hits["/blog/announcement.html"] == 0
        assert server.hits["/haskell-book/drafts/09-monads.html"] == 0
        before = server.total_requests
        run(cfg)
        assert server.total_requests == before


def test_local_html_markdown_and_pdf_files(tmp_path):
    (tmp_path / "notes.md").write_text(
        "# Laziness\n\nHaskell evaluates an expression only when its value is needed, so infinite "
        "structures are fine.\n\n```haskell\nnaturals :: [Integer]\nnaturals = [0 ..]\n```\n\n## Pitfalls\n\nSpace leaks.\n")
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42  # embedded TrueType so pypdf can extract text
    import matplotlib.pyplot as plt

    fig = plt.figure()
    fig.text(0.1, 0.5, "Purity means the same inputs give the same result.")
    fig.savefig(tmp_path / "purity.pdf")
    plt.close(fig)
    records, _, _ = run({"paths": [str(MIRROR / "haskell-book" / "0[12]-*.html"), str(tmp_path / "notes.md"),
                                   str(tmp_path / "purity.pdf")]})
    assert {r.group.rsplit("/", 1)[-1] for r in records} == {
        "01-getting-started.html", "02-values-and-types.html", "notes.md", "purity.pdf"}
    assert any(r.kind == "qa" and '"Laziness"' in r.prompt for r in records)
    pdf = next(r for r in records if r.group.endswith("purity.pdf"))
    assert "same inputs give the same result" in pdf.response


def test_license_and_source_settings_are_required():
    with pytest.raises(ValueError, match="license"):
        list(textbook.read("tb", {"paths": ["x.md"]}, StageStats("x"), []))
    with pytest.raises(ValueError, match="start_url or paths"):
        list(textbook.read("tb", {"license": "x"}, StageStats("x"), []))


@pytest.mark.slow
@pytest.mark.ghc
@pytest.mark.skipif(shutil.which("ghc") is None, reason="ghc not on PATH")
def test_book_code_examples_typecheck(tmp_path):
    blocks = [code.get_text() for page in sorted((MIRROR / "haskell-book").glob("0*.html"))
              for code in BeautifulSoup(page.read_text(), "lxml").select("pre code.haskell")]
    assert len(blocks) >= 15
    for n, code in enumerate(blocks):
        (tmp_path / f"Ex{n}.hs").write_text(code)
        result = subprocess.run(["ghc", "-fno-code", f"Ex{n}.hs"], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, f"example {n} does not typecheck:\n{code}\n{result.stderr}"
