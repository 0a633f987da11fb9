"""GHCi sessions in books -> question/answer pairs.

Books show evaluation as a transcript inside a Haskell block:

    ghci> 2 + 15
    17
    ghci> :t head
    head :: [a] -> a

Each `ghci>` input followed by output is one pair: "What does `2 + 15` evaluate to?" ->
"`2 + 15` evaluates to `17`." (`:t` / `:k` inputs ask for the type / kind). An input without
output (a `let` binding, `:l file`) teaches no answer and is dropped, with a reason, by the
caller. Errors GHCi prints are kept as answers: "it does not type-check" is knowledge too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

PROMPT = re.compile(r"^\s*(?:ghci|Prelude(?:\s+[\w.]+)*|λ|\*?Main)>\s?(.*)$")
HASKELL_BLOCK = re.compile(r"^\s*```haskell[^\n]*\n(.*?)^\s*```", re.M | re.S)


@dataclass
class Exchange:
    expr: str
    output: str  # "" when GHCi printed nothing


def exchanges(markdown: str) -> Iterator[Exchange]:
    """Every `ghci>` input in the Haskell blocks of `markdown`, with the output lines after it."""
    for block in HASKELL_BLOCK.finditer(markdown):
        current: Exchange | None = None
        for line in block.group(1).splitlines():
            prompt = PROMPT.match(line)
            if prompt:
                if current:
                    yield current
                current = Exchange(prompt.group(1).strip(), "")
            elif current is not None:
                current.output = f"{current.output}\n{line}" if current.output else line
        if current:
            yield current


def question_and_answer(exchange: Exchange) -> tuple[str, str] | None:
    """The pair for one exchange, or None when it has no expression or no output."""
    expr, output = exchange.expr, exchange.output.strip("\n").rstrip()
    if not expr or not output.strip():
        return None
    command = re.match(r":(t|type|k|kind)\s+(.+)$", expr)
    if expr.startswith(":") and not command:
        return None  # :l, :set, :m ... change the session; they have no value to ask about
    if command:
        what = "type" if command.group(1).startswith("t") else "kind"
        name = command.group(2).strip()
        output = re.sub(rf"^{re.escape(name)}\s*::\s*", "", output) if what == "type" else output
        return f"What is the {what} of `{name}`?", f"`{name}`{_answer(output, f'has the {what}')}"
    if "<interactive>" in output or re.search(r"\berror\b", output.split("\n", 1)[0]):
        return (f"What does `{expr}` evaluate to?",
                f"`{expr}` is rejected; GHCi reports:\n\n```\n{output}\n```")
    return f"What does `{expr}` evaluate to?", f"`{expr}`{_answer(output, 'evaluates to')}"


def _answer(output: str, verb: str) -> str:
    if "\n" not in output and "`" not in output:
        return f" {verb} `{output.strip()}`."
    return f" {verb}:\n\n```haskell\n{output}\n```"
