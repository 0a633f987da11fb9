"""Benchmark: the textbook reader's Markdown on the worst inputs of issue 26, at doubling sizes,
against a linear baseline on the same text; and the regular expressions they replaced.

Inputs (each at `--sizes` KB, the issue's size first): a heading line of spaces (`# x`, spaces,
`y`), 75,000 `<!--` with no `-->` in one paragraph, `<!--` lines (each an unclosed HTML block),
and `![` repeated. "ours" is what the reader runs on a page: `markdown_dialects.normalise` then
`textbook.split_sections` (best of 3); the baseline is the same on an ordinary book of the same
size (setext chapters and sections of prose and Haskell fences). The ratio says how much more a
worst input costs than a book; a flat ratio across sizes is linear time, a ratio that doubles
with the size is quadratic.

`--old` also times the expressions of before (textbook.HEADING, markdown_dialects.HTML_COMMENT
and IMAGE, copied here) at small sizes, each in a child killed after --old-limit seconds.

Run:  .venv/bin/python bench/markdown_worst_case.py [--sizes 3 6 12] [--old]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import time

from budgetai.sources import textbook
from budgetai.sources.markdown_dialects import blocks, normalise

OLD_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
OLD_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
OLD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")

INPUTS = {  # name -> (text of about `kb` KB, the old expression it broke, issue's size in KB)
    "heading of spaces": (lambda kb: "# x" + " " * (kb * 1000) + "y\n", OLD_HEADING.match, 3),
    "unclosed <!-- inline": (lambda kb: "# T\n\nintro " + "<!--" * (kb * 250) + "\n", OLD_HTML_COMMENT.sub, 300),
    "unclosed <!-- lines": (lambda kb: "# T\n\n" + "<!--\n\n" * (kb * 166), OLD_HTML_COMMENT.sub, 300),
    "![ repeated": (lambda kb: "# T\n\n" + "![" * (kb * 500) + "\n", OLD_IMAGE.sub, 120),
}
BOOK_UNIT = ("Chapter\n=======\n\nSome prose about folds, with `code` and *emphasis*.\n\n"
             "Section\n-------\n\n" + "A line of prose in a paragraph of the section.\n" * 8
             + "\n```haskell\ntotal :: [Int] -> Int\ntotal = foldr (+) 0\n```\n\n")


def ordinary_book(chars: int) -> str:
    return BOOK_UNIT * max(1, chars // len(BOOK_UNIT))


def ours(text: str) -> int:
    return len(textbook.split_sections(normalise(text).body))


def seconds(fn, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        blocks.cache_clear()  # time the parse, not the reader's per-page cache
        started = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - started)
    return best


def _old(expression, text, conn):
    started = time.perf_counter()
    expression(text) if expression == OLD_HEADING.match else expression("", text)
    conn.send(time.perf_counter() - started)


def old_seconds(expression, text: str, limit: float) -> str:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_old, args=(expression, text, child))
    process.start()
    if not parent.poll(limit):
        process.kill()
        process.join()
        return f"> {limit:.0f} s"
    process.join()
    return f"{parent.recv():.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="KB; default: the issue's size, x2, x4")
    parser.add_argument("--old", action="store_true", help="also time the old expressions")
    parser.add_argument("--old-limit", type=float, default=30.0)
    args = parser.parse_args()
    print(f"{'input':24} {'KB':>6} {'ours s':>8} {'base s':>8} {'ratio':>7}  old expression")
    for name, (make, old, issue_kb) in INPUTS.items():
        for kb in args.sizes or [issue_kb, issue_kb * 2, issue_kb * 4]:
            text = make(kb)
            mine, base = seconds(ours, text), seconds(ours, ordinary_book(len(text)))
            before = old_seconds(old, text, args.old_limit) if args.old and old is not None else ""
            print(f"{name:24} {len(text) / 1000:6.0f} {mine:8.3f} {base:8.4f} {mine / base:7.2f}  {before}")


if __name__ == "__main__":
    main()
