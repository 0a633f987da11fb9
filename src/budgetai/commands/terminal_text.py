"""Text from the data, made safe to print on a terminal: control characters (ESC sequences that
clear the screen or retitle the window, carriage returns that overwrite a line, C1 controls) and
bidirectional overrides (which reorder what a reader sees) are shown as escapes, e.g. `\\x1b`,
`\\u202e`. Newlines and tabs are kept. `budgetai lineage` prints row text through it (issue 26:
a row's escape sequence cleared the screen)."""

from __future__ import annotations

import unicodedata

_KEPT = {"\n", "\t"}
_BIDI_CONTROLS = {*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f",
                  "\u061c"}


def terminal_safe(text: str) -> str:
    """text with every control or bidi-control character but newline and tab escaped."""
    return "".join(_escaped(ch) if _unsafe(ch) else ch for ch in text)


def _unsafe(ch: str) -> bool:
    return ch not in _KEPT and (unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS)


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
