"""A record too long for one training example becomes several complete ones.

Cutting a long record at max_length (what the recipe did before) threw most of a module or a
chapter away and taught the model that long code never ends: the cut example lost its end-of-turn
token. Here the response is split at boundaries a reader would choose, and every piece becomes an
example of its own that ends the way an answer ends:

- Haskell code (kind `code`) at top-level declarations, read with tree-sitter-haskell: a
  declaration keeps its Haddock comment and a signature stays with its definition. The module
  header (pragmas, `module`, imports) opens part 1 and is repeated in the later parts' prompts
  as context when it fits in a quarter of max_length.
- Markdown (answers, book sections, problem solutions) at blank lines outside code fences,
  preferring to start a new piece at a heading.
- Other code at blank lines.
A unit longer than a piece (one huge declaration, a long paragraph) is split at lines as a last
resort, a fenced code block re-fenced on each side of the cut; those are counted.

Each piece's prompt says which part it is ("... Part 3 of 41: the declarations `insert`,
`delete`."), so the model is never asked for a whole module and shown a fragment of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetai.haskell.parse import parse_tree

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^#{1,6} ")
# Declaration kinds whose following node of the same name belongs to them.
SIGNATURE_KINDS = ("signature",)
MAX_NAMES_IN_PROMPT = 6


@dataclass
class Unit:
    """A piece of a response that is kept whole where it fits: a declaration, a paragraph."""

    text: str
    names: list[str] = field(default_factory=list)
    heading: bool = False
    module_header: bool = False  # pragmas, module line, exports, imports


@dataclass
class Chunks:
    """(prompt, response) of each piece, and how the record was split."""

    pieces: list[tuple[str, str]]
    split_at_lines: int = 0  # units longer than a piece, cut at line boundaries


def haskell_units(code: str) -> tuple[str, list[Unit]]:
    """(module header, top-level declarations) of a Haskell module. Comments directly above a
    declaration (its Haddock) and a signature's definition stay with the declaration; CPP lines
    stay where they are, with the declaration that follows them."""
    lines = code.split("\n")
    root = parse_tree(code).root_node
    declarations = [n for n in root.children if n.type == "declarations"]
    if not declarations:
        return code, []
    starts: list[tuple[int, list[str]]] = []
    previous_signature: str | None = None
    for node in declarations[0].children:
        if node.start_point.column != 0:
            continue  # a continuation the grammar split off: not a boundary
        name_node = node.child_by_field_name("name")
        name = name_node.text.decode("utf-8", "replace") if name_node is not None else None
        if starts and previous_signature is not None and name == previous_signature:
            previous_signature = None
            continue  # the definition of the signature just above
        previous_signature = name if node.type in SIGNATURE_KINDS else None
        starts.append((node.start_point.row, [name] if name else []))
    if not starts:
        return code, []  # no declaration at column 0 (an indented fragment): split it as text
    starts = [(_with_leading_comments(lines, row), names) for row, names in starts]
    header = "\n".join(lines[: starts[0][0]]).rstrip("\n")
    units = []
    for (row, names), (end, _) in zip(starts, starts[1:] + [(len(lines), [])]):
        text = "\n".join(lines[row:end]).strip("\n")
        if text:
            units.append(Unit(text, names))
    return header, units


def _with_leading_comments(lines: list[str], row: int) -> int:
    """The first row of the comment block (Haddock, `--`, CPP) directly above `row`."""
    while row > 0 and lines[row - 1].lstrip().startswith(("--", "{-", "#")) and lines[row - 1].startswith(("-", "{", "#")):
        row -= 1
    return row


def markdown_units(text: str) -> list[Unit]:
    """Blocks separated by blank lines, a fenced code block kept as one block."""
    units, block, in_fence = [], [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        if not line.strip() and not in_fence:
            if block:
                units.append(Unit("\n".join(block), heading=bool(HEADING.match(block[0]))))
                block = []
            continue
        block.append(line)
    if block:
        units.append(Unit("\n".join(block), heading=bool(HEADING.match(block[0]))))
    return units


def split_at_lines(unit: Unit, cost, budget: int) -> list[Unit]:
    """A unit longer than `budget` tokens cut into line windows; a fenced block is closed at the
    end of each window and reopened at the start of the next, so every piece renders."""
    lines = unit.text.split("\n")
    fence_open = FENCE.match(lines[0]) and len(lines) > 1 and FENCE.match(lines[-1])
    opener, closer = (lines[0], lines[-1]) if fence_open else ("", "")
    body = lines[1:-1] if fence_open else lines
    overhead = cost(opener) + cost(closer) if fence_open else 0
    windows, window, costs = [], [], []
    for line in body:
        line_cost = cost(line) + 1
        if window and overhead + sum(costs) + line_cost > budget:
            # Cut at the window's last blank line when it leaves at least half the window behind:
            # a where-block or a guard group stays whole.
            blank = max((i for i, text in enumerate(window) if not text.strip()), default=0)
            cut = blank if 0 < blank and blank >= len(window) // 2 else len(window)
            windows.append(window[:cut])
            window, costs = window[cut:], costs[cut:]
        window.append(line)
        costs.append(line_cost)
    if window:
        windows.append(window)
    windows = [w for w in (strip_blank_ends(w) for w in windows) if w]
    wrap = (lambda w: "\n".join([opener, *w, closer])) if fence_open else "\n".join
    return [Unit(wrap(w), unit.names, heading=unit.heading and i == 0, module_header=unit.module_header)
            for i, w in enumerate(windows)]


def strip_blank_ends(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def pack_units(units: list[Unit], cost, budget: int) -> list[list[Unit]]:
    """Consecutive units into pieces of at most `budget` tokens, in order; a heading starts a new
    piece once the current one is half full."""
    pieces, piece, used = [], [], 0
    for unit in units:
        unit_cost = cost(unit.text) + 2  # the blank line that joins it
        starts_new = piece and (used + unit_cost > budget or (unit.heading and used >= budget // 2))
        if starts_new:
            pieces.append(piece)
            piece, used = [], 0
        piece.append(unit)
        used += unit_cost
    if piece:
        pieces.append(piece)
    return pieces


def piece_prompt(prompt: str, part: int, parts: int, piece: list[Unit], header_context: str | None) -> str:
    if header_context is None:  # prose: which part of the answer
        return f"{prompt}\n\n(Part {part} of {parts}.)"
    names = [n for unit in piece for n in unit.names]
    named = ", ".join(f"`{n}`" for n in names[:MAX_NAMES_IN_PROMPT]) + (" ..." if len(names) > MAX_NAMES_IN_PROMPT else "")
    what = [label for label, present in (("the module header", any(u.module_header for u in piece)),
                                         (f"the declarations {named}" if named else "declarations",
                                          any(not u.module_header for u in piece))) if present]
    context = (f", after this header:\n```haskell\n{header_context}\n```"
               if header_context and not piece[0].module_header else ".")
    return f"{prompt} Part {part} of {parts}: {' and '.join(what)}{context}"


def chunk_response(prompt: str, response: str, kind: str, language: str, cost, budget_for,
                   header_budget: int) -> Chunks:
    """Split `response` into pieces at the boundaries above, each with its own prompt. `cost`
    counts a text's tokens; `budget_for(context)` is the response tokens a piece may hold when
    its prompt carries `context` (the module header repeated, or nothing)."""
    header_context = None
    if kind == "code" and language == "haskell":
        header, units = haskell_units(response)
        header_units = [Unit(u.text, module_header=True) for u in markdown_units(header)]
        units = header_units + units
        header_context = header if cost(header) <= header_budget else _module_line(header)
    else:
        units = markdown_units(response)
    if not any(not u.module_header for u in units) and kind == "code":
        units = [Unit(u.text) for u in units]  # no declarations: the blocks are the code itself
    if not units:
        units = [Unit(response)]
    budget = budget_for(header_context or "")
    sized, cut = [], 0
    for unit in units:
        if cost(unit.text) > budget:
            parts = split_at_lines(unit, cost, budget)
            cut += len(parts) > 1
            sized.extend(parts)
        else:
            sized.append(unit)
    packed = pack_units(sized, cost, budget)
    pieces = [(piece_prompt(prompt, i, len(packed), piece, header_context), "\n\n".join(u.text for u in piece))
              for i, piece in enumerate(packed, start=1)]
    return Chunks(pieces, split_at_lines=cut)


def _module_line(header: str) -> str:
    """`module X (...) where` from a header too long to repeat whole; empty if there is none."""
    match = re.search(r"^module\s+[\w.]+", header, flags=re.M)
    return f"{match.group(0)} ... where" if match else ""
