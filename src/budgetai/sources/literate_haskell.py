"""Literate Haskell (.lhs) -> the Haskell GHC compiles, and the prose around it.

GHC's unlit accepts two styles: bird tracks (code lines start with `>`) and LaTeX
(`\\begin{code}` ... `\\end{code}`). Language scoring, the module name and the syntax check need
the code alone; the prose before the first code line is the file's own description, the best
specification a prompt can carry. Lines keep their numbers (prose becomes blank lines). Tabs
are expanded to GHC's 8-column stops first, then the "> " track is cut from every code line:
all shift by the same two columns, so layout keeps its meaning and the module starts at
column 0 as tree-sitter expects.
"""

from __future__ import annotations

import re

BEGIN, END = re.compile(r"^\\begin\{code\}\s*$"), re.compile(r"^\\end\{code\}\s*$")


def is_literate(path: str) -> bool:
    return path.lower().endswith(".lhs")


def unlit(text: str) -> str:
    """The code of a literate file, prose lines blanked."""
    lines, in_code = [], False
    latex = any(BEGIN.match(line) for line in text.splitlines())
    for line in text.splitlines():
        if latex:
            if BEGIN.match(line) or END.match(line):
                in_code = bool(BEGIN.match(line))
                lines.append("")
            else:
                lines.append(line if in_code else "")
        else:
            lines.append(line.expandtabs(8)[2:] if line.startswith(">") else "")
    return "\n".join(lines) + "\n"


def opening_prose(text: str, limit: int = 1500) -> str:
    """The prose before the first code line, without rule lines of dashes."""
    prose = []
    for line in text.splitlines():
        if line.startswith(">") or BEGIN.match(line):
            break
        if not re.fullmatch(r"\s*-{3,}\s*", line):
            prose.append(line)
    return "\n".join(prose).strip()[:limit]
