"""What the model is asked (`build_messages`) and what is compiled from its answer
(`assemble_program`).

Chat models answer with a whole program or a whole function in a fence; base models continue the
prompt. `assemble_program` accepts both: for MultiPL-E it uses the model's own definition when it
repeated the signature, and otherwise appends the completion to the prompt; imports the model
wrote are hoisted to the top of the module, where Haskell requires them.
"""

from __future__ import annotations

import re

from budgetai.suites.load import Problem

SYSTEM_PROMPT = "You are a careful programmer. Answer with correct, complete code."
_MODULE_HEADER = re.compile(r"^module\s+[\w.]+\s*(\([^)]*\))?\s*where[ \t]*$", re.MULTILINE)
_IMPORT = re.compile(r"^import\s+\S.*$", re.MULTILINE)
_PRAGMA = re.compile(r"^\{-#\s*(LANGUAGE|OPTIONS_GHC)\b.*?#-\}[ \t]*$", re.MULTILINE)
_LANGUAGE_LABEL = {"haskell": "Haskell", "python": "Python"}


def build_messages(problem: Problem) -> list[dict]:
    """Chat messages (system + user) asking for code in one fenced block."""
    lang = _LANGUAGE_LABEL.get(problem.language, problem.language)
    fence = problem.language
    if problem.format == "stdio":
        ask = (f"Solve the following problem in {lang}. Write a complete program that reads the "
               f"input from standard input and prints the answer to standard output. Use only "
               f"the standard library (base, containers). Reply with the whole program in a "
               f"single ```{fence} code block.\n\n{problem.prompt.strip()}")
    else:
        ask = (f"Complete the following {lang} function. Reply with the complete function "
               f"(its signature and definition, plus any imports it needs) in a single "
               f"```{fence} code block, without a main function or tests.\n\n"
               f"```{fence}\n{problem.prompt.rstrip()}\n```")
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": ask}]


def assemble_program(problem: Problem, code: str) -> str:
    """The complete source file that is compiled and run for this problem and extracted code."""
    if problem.format == "stdio":
        return code.rstrip() + "\n"
    if problem.format == "multipl-e":
        return _assemble_haskell_function(problem, code)
    if problem.format == "humaneval-python":
        return _assemble_python_function(problem, code)
    raise ValueError(f"problem {problem.id}: unknown format {problem.format!r}")


def _assemble_haskell_function(problem: Problem, code: str) -> str:
    pragmas = [m.group(0) for m in _PRAGMA.finditer(code)]
    imports = [m.group(0) for m in _IMPORT.finditer(code)]
    body = _IMPORT.sub("", _PRAGMA.sub("", _MODULE_HEADER.sub("", code)))
    if problem.entry and _defines(body, problem.entry):
        # The model repeated the signature: its definition replaces the prompt's stub; any main
        # of its own would clash with the test main.
        solution = _drop_definition(body, "main").strip("\n")
    else:
        solution = problem.prompt + _indent_body(body.rstrip())
    header = "\n".join(pragmas + imports)
    return (header + "\n\n" if header else "") + solution + "\n" + problem.tests.rstrip() + "\n"


def _assemble_python_function(problem: Problem, code: str) -> str:
    if problem.entry and re.search(rf"^def\s+{re.escape(problem.entry)}\s*\(", code, re.MULTILINE):
        prompt_imports = [line for line in problem.prompt.splitlines()
                          if line.startswith(("import ", "from "))]
        solution = "\n".join(prompt_imports + [code])
    else:
        solution = problem.prompt + code
    return f"{solution.rstrip()}\n\n{problem.tests.rstrip()}\n\ncheck({problem.entry})\n"


def _defines(code: str, name: str) -> bool:
    """Whether code has a top-level type signature or equation for `name`."""
    return re.search(rf"^{re.escape(name)}(\s*::|\s[^\n]*=|\s*=)", code, re.MULTILINE) is not None


def _drop_definition(code: str, name: str) -> str:
    """code without the top-level signature and equations of `name` (and their indented lines)."""
    kept, dropping = [], False
    for line in code.splitlines():
        if line and not line[0].isspace():
            dropping = re.match(rf"{re.escape(name)}\b", line) is not None
        if not dropping:
            kept.append(line)
    return "\n".join(kept)


def _indent_body(body: str) -> str:
    """A completion that continues `f args =`. Base models start with a space; a chat model's
    bare expression at column 0 would end the definition, so it is indented."""
    if not body.strip():
        return body
    first = next(line for line in body.splitlines() if line.strip())
    if first[0].isspace() or body.startswith((" ", "\t")):
        return body if body.startswith((" ", "\t", "\n")) else " " + body
    return "\n" + "\n".join("    " + line if line.strip() else line for line in body.splitlines())
