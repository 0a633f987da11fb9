"""Benchmark: the text rewrites of issue 26 (item 4) against the regular expressions they
replaced, on the worst inputs the issue measured. Each old expression rescanned the rest of its
input from every failed start (quadratic); each new function is linear. Prints seconds old vs
new and the ratio for each case, and the new function's seconds at 4x the size over 1x (a
linear function stays near 4; the old ones near 16).

Run:  .venv/bin/python bench/hostile_regex.py [--quick]   (--quick: inputs 4x smaller)
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata

from budgetai.sources.the_stack import without_pragmas
from budgetai.stages.clean.pii import scrub
from budgetai.stages.clean.text import normalise_text, strip_haskell_comments

# What the code ran before issue 26, kept verbatim as the baseline.
OLD_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
OLD_PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )*PRIVATE KEY-----")
OLD_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                       r"\.[A-Za-z]{2,}\b")
OLD_PRAGMA = re.compile(r"\{-#.*?#-\}", re.DOTALL)
OLD_MANY_BLANK_LINES = re.compile(r"\n{3,}")
OLD_HASKELL_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')  # the comment strippers' string token


def old_normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return OLD_MANY_BLANK_LINES.sub("\n\n", OLD_TRAILING_SPACE.sub("", text)).strip("\n")


def new_scrub(text: str) -> str:
    """The whole new scrub (every pattern), against the one old pattern: the new side does more."""
    return scrub(text)[0]


CASES = [
    # (name, input at size 1, old function, new function)
    ("normalise_text: one line of 60,000 spaces", lambda n: " " * int(60_000 * n) + "x\n",
     old_normalise_text, normalise_text),
    ("pii.scrub: 8,000 lines of BEGIN PRIVATE KEY", lambda n: "-----BEGIN PRIVATE KEY-----\n" * int(8_000 * n),
     lambda t: OLD_PRIVATE_KEY.sub("<PRIVATE_KEY>", t), new_scrub),
    ("pii.scrub: 'a%' x 20,000 (email)", lambda n: "a%" * int(20_000 * n),
     lambda t: OLD_EMAIL.sub("<EMAIL>", t), new_scrub),
    ("comment strippers: 20 KB line of \\\" (string)", lambda n: '\\"' * int(10_000 * n),
     lambda t: OLD_HASKELL_STRING.findall(t), strip_haskell_comments),
    ("the_stack _PRAGMA: 130 KB of unclosed {-#", lambda n: "{-# " * int(32_500 * n),
     lambda t: OLD_PRAGMA.sub("", t), without_pragmas),
]


def seconds(function, text: str) -> float:
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="inputs 4x smaller")
    args = parser.parse_args()
    scale = 0.25 if args.quick else 1
    print(f"{'case':48} {'chars':>9} {'old s':>8} {'new s':>8} {'old/new':>9} {'new 4x/1x':>9}")
    for name, make, old, new in CASES:
        text = make(scale)
        old_s, new_s = seconds(old, text), seconds(new, text)
        growth = seconds(new, make(4 * scale)) / max(new_s, 1e-6)
        print(f"{name:48} {len(text):9,} {old_s:8.3f} {new_s:8.4f} {old_s / max(new_s, 1e-6):9.0f} "
              f"{growth:9.1f}")


if __name__ == "__main__":
    main()
