"""Books as authors write them: Pandoc/Hakyll Markdown (the real Learn You a Haskell sources and a
small fixture in the same dialect), GHCi sessions as Q&A, and ids that do not depend on where a
checkout sits."""

import re
import shutil
from collections import Counter
from pathlib import Path

from budgetai.sources import textbook
from budgetai.sources.markdown_dialects import blocks, fence_language, lines_of
from budgetai.stages.split import assign_groups, resolve_cfg
from budgetai.core.stats import StageStats

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "textbook" / "pandoc-chapter.md"
RESIDUE = {"heading id": r"\{#", "fenced div": r"^\s*:::", "image": r"!\[", "attribute": r"\{\.[\w-]",
           "attribute fence": r"```\s*\{"}


def read(cfg):
    stats, quarantine = StageStats("ingest"), []
    records = list(textbook.read("book", {"license": "CC BY-NC-SA 3.0", **cfg}, stats, quarantine))
    stats.rows_out = len(records)  # as ingest counts them: the records written
    assert stats.balanced(), stats.to_dict()
    assert len({r.id for r in records}) == len(records)
    return records, stats


def residue(records):
    return {name: sum(bool(re.search(p, r.prompt + "\n" + r.response, re.M)) for r in records)
            for name, p in RESIDUE.items()}


def test_fence_languages_of_the_dialects():
    assert [fence_language(i) for i in ("{.haskell:hs}", "{.haskell: .ghci}", "{.plain:hs}", "haskell,editable",
                                        "hs title=\"x\"", "", "{.haskell:nogutter:nocontrols:hs}")] == [
        "haskell", "haskell", "plain", "haskell", "haskell", "", "haskell"]


def test_pandoc_chapter_becomes_clean_sections_and_ghci_pairs(tmp_path):
    records, stats = read({"paths": [str(FIXTURE)], "title": "A Book"})
    by_id = {r.id: r for r in records}
    chapter = by_id["book:pandoc-chapter.md#folds-pandoc-style"]
    assert chapter.prompt == "A Book > Folds, Pandoc style" and "prose before its first section" in chapter.response
    section = by_id["book:pandoc-chapter.md#folding-a-list"]
    assert section.prompt == "A Book > Folds, Pandoc style > Folding a list"
    assert "a fold being folded" in section.response and "**Note:**" in section.response
    assert section.url == "pandoc-chapter.md#folding-a-list" and section.group == "book:pandoc-chapter.md"
    qa = by_id["book:pandoc-chapter.md#folding-a-list:qa"]
    assert "```haskell\nsum' :: [Int] -> Int" in qa.response
    ghci = [r for r in records if ":ghci" in r.id]
    assert [(r.prompt, r.response) for r in ghci] == [
        ("What does `sum' [1,2,3]` evaluate to?", "`sum' [1,2,3]` evaluates to `6`."),
        ("What is the type of `foldr`?", "`foldr` has the type `Foldable t => (a -> b -> b) -> b -> t a -> b`."),
    ]
    assert stats.dropped == Counter({"ghci_no_result": 1, "ghci_command": 1, "qa_no_code_example": 1})
    assert residue(records) == dict.fromkeys(RESIDUE, 0)


def test_moved_checkout_keeps_ids_urls_groups_and_splits(tmp_path):
    runs = []
    for where in ("a/deep/checkout", "elsewhere"):
        book = tmp_path / where / "book"
        shutil.copytree(FIXTURE.parent, book)
        records, _ = read({"paths": [str(book / "*.md")], "url_prefix": "https://book.example/", "url_suffix": ".html"})
        where = assign_groups([r.to_row() for r in records], resolve_cfg({}))
        runs.append([(r.id, r.url, r.group, where[r.group]) for r in records])
        assert not any(str(tmp_path) in field for row in runs[-1] for field in row)
    assert runs[0] == runs[1]
    assert runs[0][0][1] == "https://book.example/pandoc-chapter.html#folds-pandoc-style"


def test_learn_you_a_haskell_pandoc_sources(shared_dir):
    """Measured on the real book: before this reader knew Pandoc it gave 115 text and 0 qa records
    from 230 units (all qa views dropped as qa_no_code_example, chapter openings lost)."""
    sources = shared_dir / "realdata/textbook/learn-you-a-haskell/source_md"
    records, stats = read({"paths": [str(sources / "*.md")], "title": "Learn You a Haskell for Great Good!"})
    kinds = Counter("ghci" if ":ghci" in r.id else r.kind for r in records)
    assert kinds == {"text": 124, "qa": 103, "ghci": 885}
    assert stats.rows_in == 1208 and stats.dropped == Counter(
        {"ghci_no_result": 60, "qa_no_code_example": 27, "empty_section": 6, "ghci_command": 3})
    assert residue(records) == dict.fromkeys(RESIDUE, 0)
    assert len({r.group for r in records}) == 15
    monads = next(r for r in records if r.id == "book:a-fistful-of-monads.md#a-fistful-of-monads")
    assert monads.prompt == "Learn You a Haskell for Great Good! > A Fistful of Monads"
    assert len(monads.response) > 4000  # the chapter's opening text, before its first ## section
    laws = next(r for r in records if r.id.endswith("#monad-laws"))
    assert laws.prompt.endswith("A Fistful of Monads > Monad laws")


def as_setext(markdown: str) -> str:
    """The same Markdown with its ATX h1 and h2 headings underlined (`===`, `---`), as Pandoc
    writes them by default; code, h3 and the rest untouched."""
    lines = lines_of(markdown)
    for token in blocks(markdown):
        if token.type == "heading_open" and token.markup in ("#", "##"):
            line = lines[token.map[0]]
            text = line.lstrip("#").strip()
            lines[token.map[0]] = f"{text}\n{('=' if token.markup == '#' else '-') * max(3, len(text))}"
    return "\n".join(lines)


def test_learn_you_a_haskell_with_setext_headings_reads_as_with_atx(shared_dir, tmp_path):
    """Before, the setext copy of the book was 15 text records (one per chapter file) and 15 qa."""
    sources = shared_dir / "realdata/textbook/learn-you-a-haskell/source_md"
    for path in sources.glob("*.md"):
        (tmp_path / path.name).write_text(as_setext(path.read_text(encoding="utf-8")), encoding="utf-8")
    cfg = {"title": "Learn You a Haskell for Great Good!"}
    atx, _ = read({**cfg, "paths": [str(sources / "*.md")]})
    setext, stats = read({**cfg, "paths": [str(tmp_path / "*.md")]})
    assert Counter("ghci" if ":ghci" in r.id else r.kind for r in setext) == {"text": 124, "qa": 103, "ghci": 885}
    assert [(r.id, r.prompt) for r in setext] == [(r.id, r.prompt) for r in atx]
    assert residue(setext) == dict.fromkeys(RESIDUE, 0)
