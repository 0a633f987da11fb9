"""Text rewrites on the worst inputs of issue 26 (item 4): the results are right, and each call
returns long before a hang guard fires (5 s; the linear code takes milliseconds, the old
quadratic expressions took 19-29 s on these inputs: bench/hostile_regex.py measures both)."""

import signal
from contextlib import contextmanager

from budgetai.sources.the_stack import leading_comment, without_pragmas
from budgetai.stages.clean.pii import scrub
from budgetai.stages.clean.text import normalise_text, strip_haskell_comments, strip_python_comments

GUARD_S = 5


@contextmanager
def hang_guard(what: str):
    def stop(signum, frame):
        raise TimeoutError(f"{what}: no result after {GUARD_S} s (super-linear on this input)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, GUARD_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_normalise_text_on_a_line_of_60000_spaces():
    text = " " * 60_000 + "x\n" + "tail \t \n"
    with hang_guard("normalise_text"):
        assert normalise_text(text) == " " * 60_000 + "x\ntail"
        assert strip_haskell_comments(" " * 60_000 + "x -- note\n") == " " * 60_000 + "x\n"


def test_pii_scrub_on_8000_private_key_lines_without_an_end():
    text = "-----BEGIN PRIVATE KEY-----\n" * 8_000
    with hang_guard("pii.scrub"):
        scrubbed, counts = scrub(text)
    assert scrubbed == text and not counts


def test_pii_scrub_still_replaces_a_key_from_its_begin_to_the_first_end():
    key = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"
    text = f"a\n-----BEGIN PRIVATE KEY-----\nx\n{key}\nb\n{key}"
    scrubbed, counts = scrub(text)
    assert scrubbed == "a\n<PRIVATE_KEY>\nb\n<PRIVATE_KEY>" and counts["PRIVATE_KEY"] == 2


def test_pii_scrub_on_a_long_run_of_email_characters():
    text = "a%" * 80_000
    with hang_guard("pii.scrub"):
        scrubbed, counts = scrub(text)
    assert scrubbed == text and not counts
    assert scrub("mail a%b@example.com or first_last@example.org")[0] == "mail <EMAIL> or <EMAIL>"


def test_the_stack_pragmas_on_130_kb_of_unclosed_openers():
    text = "{-# " * 32_500
    with hang_guard("the_stack pragmas"):
        assert without_pragmas(text) == text
        leading_comment(text + "\nmodule M where\n")
    assert without_pragmas("{-# LANGUAGE X #-}\n-- | Doc\nmodule M where") == "\n-- | Doc\nmodule M where"
    assert leading_comment("{-# LANGUAGE X #-}\n-- | Doc\nmodule M where") == "Doc"


def test_comment_strippers_on_a_long_line_of_escaped_quotes():
    line = '\\"' * 10_000  # no closing quote: an unterminated string literal to the line's end
    with hang_guard("strip_haskell_comments"):
        assert strip_haskell_comments(line + "\nx = 1 -- one\n") == line + "\nx = 1\n"
    with hang_guard("strip_python_comments"):
        assert strip_python_comments(line + "\nx = 1  # one\n") == line + "\nx = 1\n"
    assert strip_python_comments('s = "a # b"  # c\n\'\'\'doc # kept') == 's = "a # b"\n\'\'\'doc # kept'
