"""Hostile Markdown for the textbook reader (budgetai.sources.textbook, .markdown_dialects): each
test is named after the attack. Before issue 26 these took super-linear time (a 3 KB heading
line: 135 s; an unclosed `<!--` in 300 KB: 101 s; 120 KB of `![`: 28 s) or memory (a 314-byte
YAML alias bomb: a 52-million-character prompt, 880 MB).

Each call runs in a forked child that must finish within FINISHES_S: a guard against hanging,
not a speed target (bench/markdown_worst_case.py measures the time against a baseline); the
result is then checked for what it should hold.
"""

import multiprocessing

import pytest

from budgetai.core.stats import StageStats
from budgetai.sources import textbook
from budgetai.sources.markdown_dialects import normalise, split_front_matter

FINISHES_S = 20  # these inputs now take well under a second; before, 28 s to minutes


def _call(conn, fn, args):
    try:
        conn.send(("ok", fn(*args)))
    except Exception as err:  # sent back to the test, which checks it
        conn.send(("error", f"{type(err).__name__}: {err}"))


def within_time(fn, *args):
    """fn(*args) in a forked child; fails the test if it does not finish in FINISHES_S."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_call, args=(child, fn, args))
    process.start()
    ready = parent.poll(FINISHES_S)
    if not ready:
        process.kill()
        process.join()
        pytest.fail(f"{fn.__name__} did not finish in {FINISHES_S} s")
    status, value = parent.recv()
    process.join()
    return status, value


def sections_of(markdown: str) -> list[tuple[list[str], str]]:
    return [(s.path, s.body) for s in textbook.split_sections(markdown)]


def test_heading_line_of_3kb_spaces_is_one_heading():
    line = "# x" + " " * 3000 + "y"
    status, sections = within_time(sections_of, line + "\n\nbody\n")
    assert status == "ok" and sections == [([f"x{' ' * 3000}y"], "body")]


def test_heading_line_of_hashes_and_spaces():
    line = "## a" + " #" * 1500 + " b"
    status, sections = within_time(sections_of, line + "\n")
    assert status == "ok" and len(sections) == 1 and sections[0][0][0].startswith("a #")


def test_unclosed_comment_in_300kb_keeps_the_text_after_it():
    body = "# Book\n\nintro " + "<!--" * 75000 + " never closed\n\n## Later\n\nstill read\n"
    status, page = within_time(normalise, body)
    assert status == "ok" and "<!-- never closed" in page.body and "still read" in page.body
    assert [s.path for s in textbook.split_sections(page.body)] == [["Book"], ["Book", "Later"]]


def test_unclosed_comment_block_does_not_swallow_the_book():
    body = "# Book\n\n<!--\n" * 20000 + "## Last\n\n```haskell\nx = 1\n```\n"
    status, page = within_time(normalise, body)
    assert status == "ok" and "```haskell\nx = 1\n```" in page.body
    assert textbook.split_sections(page.body)[-1].path == ["Book", "Last"]


def test_closed_comments_go_and_code_keeps_its_own():
    page = normalise("# T\n\n<!-- a\n# not a heading\n```haskell\n-->\ntext <!-- inline --> here\n\n"
                     "```haskell\nmain = putStrLn \"<!-- kept -->\"\n```\n")
    assert page.body == "# T\n\ntext  here\n\n```haskell\nmain = putStrLn \"<!-- kept -->\"\n```\n"


def test_120kb_of_image_openers():
    status, page = within_time(normalise, "# T\n\n" + "![" * 60000 + "\n")
    assert status == "ok" and page.body.count("![") == 60000  # no image closes: the text stays


def test_images_become_alt_text_in_one_pass():
    page = normalise("# T\n\nSee ![a fold\nbeing folded](img/fold.png){.center width=50%} and ![](x.png).\n")
    assert page.body == "# T\n\nSee a fold\nbeing folded and .\n"


def test_long_lines_of_brackets_braces_and_colons():
    for text in ("[" * 100000, "]{." * 40000, ":" * 50000 + " " * 50000 + "!", "## t {" + "{" * 50000):
        status, page = within_time(normalise, "# T\n\n" + text + "\n")
        assert status == "ok", page


def test_haskell_fence_search_over_many_blank_lines():
    section = textbook.Section(["T"], 1, "# T\n" + " \n" * 100000 + "x")
    status, explains = within_time(textbook.qa_prose, section, 60)
    assert status == "ok" and explains is False


ALIAS_BOMB = ("---\n"
              "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
              "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
              "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
              "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
              "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
              "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
              "title: *f\n"
              "---\n# Chapter\n\ntext\n")


def test_yaml_alias_bomb_in_front_matter_is_refused():
    status, value = within_time(split_front_matter, ALIAS_BOMB)
    assert status == "error" and "alias *a found: aliases are not allowed in front matter" in value


def test_alias_bomb_file_is_quarantined_and_the_book_goes_on(tmp_path):
    (tmp_path / "bomb.md").write_text(ALIAS_BOMB)
    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\n# Good\n\nA chapter.\n")
    stats, quarantine = StageStats("ingest"), []
    records = list(textbook.read("book", {"license": "MIT", "paths": [str(tmp_path / "*.md")]}, stats, quarantine))
    assert [r.id for r in records] == ["book:good.md#good"]
    assert dict(stats.quarantined) == {"file_unreadable": 1}
    assert "bomb.md" in quarantine[0]["location"] and "alias" in quarantine[0]["reason"]
