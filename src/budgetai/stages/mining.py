"""Instructions mined from real Haskell modules: the shape of a MultiPL-E prompt, from code
people wrote and documented.

From each `code` record of a `haddock` or `local_code` source (a whole module), two kinds of
`instruction` rows:

- definition: a top-level signature with a Haddock comment (`-- |` or `{-|`, blank lines
  allowed between, as Haddock attaches it) -> its definition. The prompt shows the comment and
  the signature; the response is the signature and every equation of the function, fenced.
- evaluation: a documented example, `>>> expr` followed by its result lines (doctest), or a
  bird-track line `> expr == result` (what haskell/containers writes) -> "what does `expr`
  evaluate to". `>>> import`/`let`/`:set` lines and a module's `$setup` block are shown as
  context, since the answer depends on them.

Accounting (the ingest stage's, per source): every documented signature and every example is a
unit read (rows_in); it is yielded or dropped by a `mine_*` reason. Lineage: a mined row's
meta names its parent record id, the module and the declaration; it shares the parent's group,
so a definition never lands in another split than the module it was taken from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

from budgetai.core.records import Record
from budgetai.core.stats import StageStats
from budgetai.haskell.parse import parse_tree

MINED_SOURCE_KINDS = ("haddock", "local_code")
DEFINITION_KINDS = ("function", "bind")
# A definition longer than this is a module's machinery, not a function a prompt can ask for;
# 60 lines holds every documented function of Data.Map.Internal but its 4 largest.
MAX_DEFINITION_LINES = 60
MAX_RESULT_LINES = 12  # a longer printed result is a table, not an answer to learn
SETUP_LINE = re.compile(r"^(import\s|let\s|:set\s|:m\s|:module\s)")
MODULE_LINE = re.compile(r"^module\s+([A-Z][\w.']*)", re.M)
OPERATOR_NAME = re.compile(r"^\(\S+\)$")


@dataclass
class Declaration:
    name: str
    doc: list[str]  # the Haddock comment's source lines
    signature: str
    definition: str  # signature through its last equation
    module: str


def enabled(cfg: dict) -> bool:
    """Mining is on by default for the kinds that hold whole modules; `mine_instructions: false`
    turns it off for a source."""
    return cfg.get("kind") in MINED_SOURCE_KINDS and cfg.get("mine_instructions", True)


def mine_records(records: Iterable[Record], stats: StageStats) -> list[Record]:
    """Instruction rows mined from every Haskell code record; counts each unit in stats and the
    yield per kind in stats.extra["mined"]."""
    mined, seen_ids = [], Counter()
    for parent in records:
        if parent.kind != "code" or parent.language != "haskell":
            continue
        for row in mine_module(parent, stats):
            seen_ids[row.id] += 1
            if seen_ids[row.id] > 1:  # the same name declared twice (CPP branches)
                row.id = f"{row.id}~{seen_ids[row.id]}"
            mined.append(row)
    counts = Counter(r.meta["mined"] for r in mined)
    stats.extra["mined"] = {kind: counts.get(kind, 0) for kind in ("definition", "evaluation")}
    return mined


def mine_module(parent: Record, stats: StageStats) -> Iterator[Record]:
    code = parent.response
    module = module_name(parent)
    lines = code.split("\n")
    setup = module_setup(lines)
    for decl in documented_declarations(code, module):
        stats.rows_in += 1
        if not decl.definition:
            stats.drop("mine_no_definition")
        elif any(line.startswith("#") for line in decl.definition.split("\n")):
            stats.drop("mine_cpp_inside")  # the text depends on flags the row cannot show
        elif decl.definition.count("\n") + 1 > MAX_DEFINITION_LINES:
            stats.drop("mine_definition_too_long")
        else:
            stats.rows_out += 1
            yield definition_record(parent, decl)
    for index, (context, expr, result) in enumerate(examples(lines)):
        stats.rows_in += 1
        if not result:
            stats.drop("mine_example_no_result")
        elif result.count("\n") + 1 > MAX_RESULT_LINES:
            stats.drop("mine_example_result_too_long")
        else:
            stats.rows_out += 1
            yield evaluation_record(parent, module, index, setup + context, expr, result)


def module_name(parent: Record) -> str:
    if parent.meta.get("module"):
        return parent.meta["module"]
    match = MODULE_LINE.search(parent.response)
    return match[1] if match else "Main"


def documented_declarations(code: str, module: str) -> Iterator[Declaration]:
    """Top-level signatures with a Haddock comment, with their definitions (tree-sitter finds
    the declarations; the comment is read from the lines above, where Haddock looks)."""
    lines = code.split("\n")
    root = parse_tree(code).root_node
    blocks = [n for n in root.children if n.type == "declarations"]
    if not blocks:
        return
    nodes = [n for n in blocks[0].children if n.start_point.column == 0]
    for i, node in enumerate(nodes):
        if node.type != "signature":
            continue
        doc = haddock_above(lines, node.start_point.row)
        if not doc:
            continue
        name = _name(node)
        end = None
        for follower in nodes[i + 1:]:
            if follower.type == "pragma":
                continue
            if follower.type in DEFINITION_KINDS and _defines(follower, name):
                end = follower.end_point.row
                continue
            break
        start = node.start_point.row
        definition = "\n".join(lines[start:end + 1]).rstrip() if end is not None else ""
        signature = "\n".join(lines[start:node.end_point.row + 1]).rstrip()
        yield Declaration(name, doc, signature, definition, module)


def _name(node) -> str:
    name = node.child_by_field_name("name")
    return name.text.decode("utf-8", "replace") if name is not None else ""


def _defines(node, name: str) -> bool:
    """Whether an equation belongs to the signature's name; an operator defined infix
    (`m ! k = ...`) has no name field in the grammar."""
    own = _name(node)
    return own == name or (not own and bool(OPERATOR_NAME.match(name)))


def haddock_above(lines: list[str], row: int) -> list[str]:
    """The Haddock comment (`-- |` lines or a `{-| -}` block) ending above `row`, blank lines
    between allowed; [] when the comment above is not Haddock or there is none."""
    end = row
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    if end == 0:
        return []
    if lines[end - 1].rstrip().endswith("-}"):
        start = end - 1
        while start > 0 and not lines[start].lstrip().startswith("{-"):
            start -= 1
        block = lines[start:end]
        return block if block[0].lstrip().startswith("{-|") else []
    start = end
    while start > 0 and lines[start - 1].startswith("--"):
        start -= 1
    block = lines[start:end]
    return block if block and block[0].startswith("-- |") else []


def comment_text(line: str) -> str:
    """A comment line without its `--` (and one space)."""
    text = line[2:] if line.startswith("--") else line
    return text[1:] if text.startswith(" ") else text


def module_setup(lines: list[str]) -> list[str]:
    """The `>>>` lines of a module's `-- $setup` named chunk (doctest runs them first)."""
    for i, line in enumerate(lines):
        if line.startswith("-- $setup"):
            setup = []
            for follower in lines[i + 1:]:
                if not follower.startswith("--"):
                    break
                text = comment_text(follower).strip()
                if text.startswith(">>> "):
                    setup.append(text[4:])
            return setup
    return []


def comment_view(lines: list[str]) -> list[str | None]:
    """Each line's comment text (`-- ` line comments at column 0 and the inside of `{- -}`
    blocks; pragmas `{-#` are code), None for a code line."""
    view: list[str | None] = []
    in_block = False
    for line in lines:
        if in_block:
            in_block = not line.rstrip().endswith("-}")
            view.append(line.rstrip().removesuffix("-}") if not in_block else line)
        elif line.startswith("{-") and not line.startswith("{-#"):
            in_block = not line.rstrip().endswith("-}")
            view.append(line.rstrip().removesuffix("-}")[2:].lstrip("|").strip())
        elif line.startswith("--"):
            view.append(comment_text(line))
        else:
            view.append(None)
    return view


def examples(lines: list[str]) -> Iterator[tuple[list[str], str, str]]:
    """(context lines, expression, result) for every example in the module's comments, outside
    the `$setup` chunk. A `>>> :{ ... :}` block is one multi-line expression."""
    view = comment_view(lines)
    context: list[str] = []
    i, in_setup = 0, False
    while i < len(view):
        if view[i] is None:
            context, in_setup = [], False  # each comment block has its own context
            i += 1
            continue
        text = view[i].strip()
        in_setup = in_setup or text.startswith("$setup")
        if in_setup or not (text.startswith(">>>") or text.startswith("> ")):
            i += 1
            continue
        if text.startswith("> "):
            pair = bird_track_example(text[2:])
            if pair:
                yield list(context), pair[0], pair[1]
            elif SETUP_LINE.match(text[2:].strip()):
                context.append(text[2:].strip())  # `> let f k = ...` names what examples use
            i += 1
            continue
        expr, i = doctest_expression(view, i)
        if SETUP_LINE.match(expr):
            context.append(expr)
            continue
        result = []
        while i < len(view) and view[i] is not None and view[i].strip() and not view[i].strip().startswith(">>>"):
            result.append(view[i].rstrip())
            i += 1
        yield list(context), expr, "\n".join(result)


def doctest_expression(view: list[str | None], i: int) -> tuple[str, int]:
    """The expression of the `>>>` line at i (a `:{ ... :}` block joined) and the next index."""
    first = view[i].strip()[3:].strip()
    if first != ":{":
        return first, i + 1
    body, i = [], i + 1
    while i < len(view) and view[i] is not None and view[i].strip() != ":}":
        body.append(view[i].rstrip())
        i += 1
    return "\n".join(body), i + 1


def bird_track_example(text: str) -> tuple[str, str] | None:
    """`expr == result` from a bird-track line: one top-level ` == `, nothing after the result
    (containers writes `... ! 1    Error: element not in the map` for a failure: not an example)."""
    if text.count(" == ") != 1 or re.search(r"\s{3,}\S", text.split(" == ")[1]):
        return None
    expr, result = (part.strip() for part in text.split(" == "))
    return (expr, result) if expr and result else None


def definition_record(parent: Record, decl: Declaration) -> Record:
    doc = "\n".join(decl.doc)
    prompt = (f"Write the Haskell function `{decl.name}` of module {decl.module}, as documented:\n\n"
              f"```haskell\n{doc}\n{decl.signature}\n```")
    return Record(
        id=f"{parent.id}#{decl.name}", source=parent.source, kind="instruction", prompt=prompt,
        response=f"```haskell\n{decl.definition}\n```", language="haskell", url=parent.url,
        license=parent.license, group=parent.group,
        meta={"mined": "definition", "parent_id": parent.id, "module": decl.module,
              "declaration": decl.name},
    )


def evaluation_record(parent: Record, module: str, index: int, context: list[str], expr: str,
                      result: str) -> Record:
    shown = f"```haskell\n{expr}\n```" if "\n" in expr else f"`{expr}`"
    prompt = f"Using module {module}, what does the Haskell expression {shown} evaluate to?"
    if context:
        prompt += "\n\nAfter:\n\n```haskell\n" + "\n".join(context) + "\n```"
    answer = f"```haskell\n{result}\n```" if "\n" in result else f"`{result}`"
    return Record(
        id=f"{parent.id}#example{index}", source=parent.source, kind="instruction", prompt=prompt,
        response=f"It evaluates to {answer}.", language="haskell", url=parent.url,
        license=parent.license, group=parent.group,
        meta={"mined": "evaluation", "parent_id": parent.id, "module": module,
              "expression": expr},
    )
