"""What the model is asked (`build_messages`) and what is compiled from its answer
(`assemble_program`).

Chat models answer with a whole program or a whole function in a fence; base models continue the
prompt. `assemble_program` accepts both: for MultiPL-E it uses the model's own definition when it
repeated the signature, and otherwise appends the completion to the prompt.

The harness owns `main`, the tests and every name they use, so an answer cannot forge a pass
(issue 26): a MultiPL-E answer is compiled as a module of its own (`BudgetAISolution`) from which
the tests import only the function under test, pinned to the prompt's signature; the tests live in
`BudgetAITests`; `Main` reads a nonce from stdin, runs the tests and only then prints
`PASS_MARKER nonce`, which the scorer requires (an answer that exits early, exit code 0 or not,
never prints it). Pragmas that change how the program is compiled or which instance the tests use
(`OPTIONS_GHC`, `ANN`, `RULES`, overlapping instances, Template Haskell) are refused
(`RefusedPragma`) before anything is compiled.
"""

from __future__ import annotations

import re

from budgetai.suites.load import Problem

SYSTEM_PROMPT = "You are a careful programmer. Answer with correct, complete code."
PASS_MARKER = "BUDGETAI-TESTS-PASSED"  # + " " + the run's nonce, printed after the last test
SOLUTION_MODULE, TESTS_MODULE = "BudgetAISolution", "BudgetAITests"
MAIN_FILE = {"haskell": "Main.hs", "python": "main.py"}
_MODULE_HEADER = re.compile(r"^module\s+[\w.]+\s*(\([^)]*\))?\s*where[ \t]*$", re.MULTILINE)
_IMPORT = re.compile(r"^import\s+\S.*$", re.MULTILINE)
_PRAGMA = re.compile(r"^\{-#\s*(LANGUAGE|OPTIONS_GHC)\b.*?#-\}[ \t]*$", re.MULTILINE | re.IGNORECASE)
_TYPE_DECLARATION = re.compile(r"^(?:data|newtype|type)\s+([A-Z][\w']*)", re.MULTILINE)
_LANGUAGE_LABEL = {"haskell": "Haskell", "python": "Python"}

# Pragmas an answer may not use. OPTIONS* set compiler flags (-main-is, -pgmF, -fplugin); ANN runs
# code at compile time; RULES rewrites code that uses the answer's module. The rest only where the
# harness compiles tests next to the answer: an overlapping or incoherent instance replaces the
# `==` the tests compare with, and a Template Haskell splice runs at compile time beside the
# harness's files.
_REFUSED_EVERYWHERE = ("OPTIONS",)  # a prefix: OPTIONS, OPTIONS_GHC, OPTIONS_HADDOCK, ...
_REFUSED_BESIDE_TESTS = ("ANN", "RULES", "OVERLAPPING", "OVERLAPPABLE", "OVERLAPS", "INCOHERENT")
_REFUSED_EXTENSIONS = ("TemplateHaskell", "QuasiQuotes", "OverlappingInstances",
                       "IncoherentInstances")


class RefusedPragma(ValueError):
    """An answer whose pragma could change how its tests are compiled or judged."""

    def __init__(self, problem_id: str, pragma: str):
        super().__init__(f"problem {problem_id}: the answer uses {pragma}, which answers may not "
                         f"use (it could change how the tests are compiled or judged)")
        self.pragma = pragma


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


def assemble_program(problem: Problem, code: str) -> dict[str, str]:
    """The source files compiled and run for this problem and extracted code: file name -> text,
    the entry file being MAIN_FILE[language]. Raises RefusedPragma for a Haskell answer with a
    refused pragma. Function formats (multipl-e, humaneval-python) read a nonce line from stdin
    and print `PASS_MARKER nonce` once every test passed."""
    if problem.language == "haskell":
        refused = refused_pragma(code, beside_tests=problem.format != "stdio")
        if refused:
            raise RefusedPragma(problem.id, refused)
    if problem.format == "stdio":
        return {MAIN_FILE[problem.language]: code.rstrip() + "\n"}
    if problem.format == "multipl-e":
        return _assemble_haskell_function(problem, code)
    if problem.format == "humaneval-python":
        return {"main.py": _assemble_python_function(problem, code)}
    raise ValueError(f"problem {problem.id}: unknown format {problem.format!r}")


def refused_pragma(code: str, beside_tests: bool = True) -> str | None:
    """The first refused pragma in Haskell code (as written, e.g. "{-# OPTIONS_GHC -main-is x
    #-}"), or None. GHC reads pragma names in any case, so they are compared case-blind."""
    start = code.find("{-#")
    while start != -1:
        end = code.find("#-}", start + 3)
        end = len(code) if end == -1 else end + 3
        pragma = code[start:end]
        words = re.split(r"[\s,]+", pragma[3:].removesuffix("#-}").strip())
        name = words[0].upper()
        if (name.startswith(_REFUSED_EVERYWHERE)
                or beside_tests and (name in _REFUSED_BESIDE_TESTS or name == "LANGUAGE" and any(
                    w.lower() == e.lower() for w in words[1:] for e in _REFUSED_EXTENSIONS))):
            return " ".join(pragma.split())[:200]
        start = code.find("{-#", end)
    return None


def _assemble_haskell_function(problem: Problem, code: str) -> dict[str, str]:
    pragmas = [m.group(0) for m in _PRAGMA.finditer(code)]
    imports = [m.group(0) for m in _IMPORT.finditer(code)]
    body = _IMPORT.sub("", _PRAGMA.sub("", _MODULE_HEADER.sub("", code)))
    if problem.entry and _defines(body, problem.entry):
        # The model repeated the signature: its definition replaces the prompt's stub.
        solution = _drop_definition(body, "main").strip("\n")
    else:
        solution = problem.prompt + _indent_body(body.rstrip())
    header = "\n".join(pragmas + [f"module {SOLUTION_MODULE} where"] + imports)
    return {f"{SOLUTION_MODULE}.hs": f"{header}\n\n{solution}\n",
            f"{TESTS_MODULE}.hs": _haskell_tests_module(problem),
            "Main.hs": _HASKELL_MAIN}


def _haskell_tests_module(problem: Problem) -> str:
    """The problem's tests as written, in a module that sees of the answer only the function
    under test (at the prompt's type) and the types the prompt declares."""
    prompt_imports = [m.group(0) for m in _IMPORT.finditer(problem.prompt)]
    test_imports = [m.group(0) for m in _IMPORT.finditer(problem.tests)]
    types = [f"{name}(..)" for name in _TYPE_DECLARATION.findall(problem.prompt)]
    lines = [f"module {TESTS_MODULE} (main) where",
             f"import qualified {SOLUTION_MODULE}", *prompt_imports, *test_imports]
    if problem.entry:
        # The tests' `maximum` is the answer's, not Prelude's (hiding a name Prelude lacks is fine).
        lines.append(f"import Prelude hiding ({problem.entry})")
    if types:
        lines.append(f"import {SOLUTION_MODULE} ({', '.join(types)})")
    if problem.entry:
        lines += [*_signature(problem.prompt, problem.entry),
                  f"{problem.entry} = {SOLUTION_MODULE}.{problem.entry}"]
    return "\n".join(lines) + "\n" + _IMPORT.sub("", problem.tests).rstrip() + "\n"


# The harness's own main: names from its own imports only, the nonce read unbuffered so that no
# buffer the answer could inspect keeps it, the marker printed only after the tests returned.
_HASKELL_MAIN = f"""\
module Main (main) where
import qualified {TESTS_MODULE}
import qualified System.IO

main :: IO ()
main = do
  System.IO.hSetBuffering System.IO.stdin System.IO.NoBuffering
  nonce <- System.IO.getLine
  {TESTS_MODULE}.main
  System.IO.putStrLn ("{PASS_MARKER} " ++ nonce)
  System.IO.hFlush System.IO.stdout
"""


def _signature(prompt: str, name: str) -> list[str]:
    """The lines of the prompt's type signature of `name` (with its continuation lines)."""
    lines = prompt.splitlines()
    for i, line in enumerate(lines):
        if re.match(rf"{re.escape(name)}\s*::", line):
            end = i + 1
            while end < len(lines) and lines[end][:1].isspace() and lines[end].strip():
                end += 1
            return lines[i:end]
    return []


def _assemble_python_function(problem: Problem, code: str) -> str:
    if problem.entry and re.search(rf"^def\s+{re.escape(problem.entry)}\s*\(", code, re.MULTILINE):
        prompt_imports = [line for line in problem.prompt.splitlines()
                          if line.startswith(("import ", "from "))]
        solution = "\n".join(prompt_imports + [code])
    else:
        solution = problem.prompt + code
    return (f"{_PYTHON_HARNESS}\n{solution.rstrip()}\n\n{problem.tests.rstrip()}\n\n\n"
            f"_budgetai_main(check, {problem.entry})\n")


# Python shares one process with the answer, so the harness can only make forging awkward. It
# runs before the answer's code: it reads the nonce (into a closure, not a global) and binds the
# built-ins it needs, so the answer's module code can neither read the nonce from stdin nor
# rebind them; the tests see the answer's results only as plain built-in values (an object whose
# == is always True, or an int subclass that pretends, is a TypeError); an answer that exits early
# (sys.exit(0), os._exit(0)) never prints the marker.
_PYTHON_HARNESS = f"""\
def _budgetai_harness(stdin, stdout, type_=type, list_=list, dict_=dict, error=TypeError):
    nonce = stdin.readline().strip()
    plain = (int, float, complex, str, bytes, bool, type(None))
    containers = (list, tuple, set, frozenset)

    def plain_value(value):
        pending = [value]
        while pending:
            item = pending.pop()
            kind = type_(item)
            if kind in containers:
                pending.extend(item)
            elif kind is dict_:
                pending.extend(list_(item.keys()) + list_(item.values()))
            elif kind not in plain:
                raise error("the answer returned a " + kind.__name__ + ", not a plain built-in value")
        return value

    def main(check, answer):
        check(lambda *args, **kwargs: plain_value(answer(*args, **kwargs)))
        stdout.write({PASS_MARKER!r} + " " + nonce + "\\n")
        stdout.flush()

    return main


import sys as _budgetai_sys
_budgetai_main = _budgetai_harness(_budgetai_sys.stdin, _budgetai_sys.stdout)
del _budgetai_harness
"""


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
