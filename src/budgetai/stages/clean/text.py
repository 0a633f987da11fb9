"""Text rewrites the clean stage applies before filtering: line endings, trailing spaces, tabs,
a stray language-tag first line, and (optionally) comments."""

from __future__ import annotations

import re
import unicodedata

# A first line that is only a language name: what is left when a scraper drops the ``` of
# "```haskell" but keeps its tag.
LANGUAGE_TAG_LINES = {
    "haskell", "hs", "lhs", "python", "py", "python3", "c", "cpp", "c++", "java", "javascript",
    "js", "typescript", "ts", "rust", "go", "bash", "sh", "shell", "text", "plaintext", "console",
    "ghci", "sql", "json", "yaml", "scala", "ocaml", "elm", "purescript", "agda", "idris",
}
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str, expand_tabs: int | None = None) -> str:
    """NFC, CRLF/CR -> LF, no trailing spaces, at most two blank lines in a row, no leading or
    trailing blank lines. Tabs are kept unless expand_tabs (a tab width) is given: in Haskell a
    tab's width changes layout, so expanding is only safe with the width the author used."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if expand_tabs:
        text = text.expandtabs(int(expand_tabs))
    text = strip_trailing_space(text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


def strip_trailing_space(text: str) -> str:
    """Each line without its trailing spaces and tabs. Line by line, not `[ \\t]+$` (MULTILINE):
    that regex retries at every blank of a run that does not end its line, so one line of 60,000
    spaces took 19 s (issue 26); rstrip is linear."""
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


def strip_language_tag(text: str) -> tuple[str, bool]:
    """(text without a leading language-name line, whether one was removed)."""
    first, newline, rest = text.partition("\n")
    if newline and first.strip().lower() in LANGUAGE_TAG_LINES:
        return rest.lstrip("\n"), True
    return text, False


# A string literal without its closing quote runs to the end of its line (of the text, for a
# triple-quoted one): were it a failed match instead, every later quote on the line would start
# a new scan to its end, quadratic on a long line of `\"` (20 KB: 5 s; issue 26).
_HASKELL_TOKEN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?'  # string literal (kept as is)
    r"|'(?:[^'\\\n]|\\.)'"  # char literal
    r"|\{-"  # block comment start (nesting handled below)
    r"|--+(?![!#$%&*+./<=>?@\\^|~:])[^\n]*"  # line comment; `-->` etc. are operators
)
_PYTHON_TOKEN = re.compile(r'"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)|"(?:[^"\\\n]|\\.)*"?'
                           r'|\'(?:[^\'\\\n]|\\.)*\'?|#[^\n]*')


def strip_haskell_comments(code: str) -> str:
    """Remove `--` line comments and nested `{- -}` block comments, leaving string and char
    literals and `{-# PRAGMA #-}` alone."""
    out, pos = [], 0
    while (match := _HASKELL_TOKEN.search(code, pos)) is not None:
        out.append(code[pos : match.start()])
        token = match.group(0)
        if token == "{-" and code.startswith("{-#", match.start()):
            end = code.find("#-}", match.end())
            end = len(code) if end < 0 else end + 3
            out.append(code[match.start() : end])
            pos = end
        elif token == "{-":
            pos = _block_comment_end(code, match.start())
        elif token.startswith("-"):
            pos = match.end()
        else:
            out.append(token)
            pos = match.end()
    out.append(code[pos:])
    return strip_trailing_space("".join(out))


def _block_comment_end(code: str, start: int) -> int:
    depth, pos = 0, start
    while pos < len(code):
        if code.startswith("{-", pos):
            depth, pos = depth + 1, pos + 2
        elif code.startswith("-}", pos):
            depth, pos = depth - 1, pos + 2
            if depth == 0:
                return pos
        else:
            pos += 1
    return len(code)


def strip_python_comments(code: str) -> str:
    """Remove `#` comments, leaving strings (docstrings included) alone."""
    return strip_trailing_space(_PYTHON_TOKEN.sub(lambda m: "" if m.group(0).startswith("#") else m.group(0), code))


def strip_comments(code: str, language: str) -> str:
    """Comment-free code for languages we know; other languages come back unchanged."""
    language = language.lower()
    if language in ("haskell", "hs"):
        return strip_haskell_comments(code)
    if language in ("python", "py"):
        return strip_python_comments(code)
    return code
