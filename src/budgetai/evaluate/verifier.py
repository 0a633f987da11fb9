"""The verifier of generated answers: which answers to a training prompt are good enough to
train on (the self-improvement round keeps only those).

    verifier = Verifier(ExecutionConfig(timeout_per_test_s=5))
    verdicts = verifier.verify(record, answers)   # one Verdict per answer, `kept` or not

The rules, tried in this order where the record allows them and `rules` names them:
- "tests": the prompt carries tests. An exercism record (budgetai.sources.exercism: meta
  `tests` as text, `module`, `solution_file`) -> every hspec example passes; a problem with
  stdio sample tests (meta `sample_tests` or `tests` as [{input, output}], e.g. codeforces) ->
  every sample's output matches.
- "doc_examples": the prompt shows a signature with Haddock `>>>` examples (a definition mined
  from a module, budgetai.stages.mining: its fenced doc comment and signature) -> the answer,
  pinned to the prompt's signature, makes each example's `show` equal the documented result
  (doctest's rule for a one-line, non-IO result; `>>> import` and `>>> let` lines are context,
  examples with multi-line results are skipped, a `>>> :set` makes the rule inapplicable).
- "signature": the prompt shows a signature -> the answer type-checks pinned to it (weaker:
  off by default, DEFAULT_RULES).

Every rule builds a budgetai.suites.load.Problem of an evaluation format (exercism, stdio,
multipl-e) and judges the answer with budgetai.evaluate.scoring.score_sample, the one scoring
path: the harness owns `main` and the nonce, refuses pragmas that change how tests compile, and
runs everything in the sandbox. Before its first verdict a Verifier runs the forgery suite
(budgetai.evaluate.forgery) through that same judging and refuses to verify (ForgeryAccepted)
if any forgery passes or any control fails: a verifier that can be gamed would teach the model
to game it. A rule is used for a record only when the record's own response (its reference)
passes it ("calibration"): a harness gap (a doc example GHC cannot `show`, a type from the
module the prompt does not import) must not count against the answers; where no rule
calibrates, the answers are `unverifiable` and not kept.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from budgetai.core.records import Record
from budgetai.evaluate.forgery import FORGERY_DIR, check_scorer_resists_forgeries, passes_by_sample
from budgetai.evaluate.scoring import SampleResult, score_sample
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.fences import fenced_blocks
from budgetai.suites.exercism import Exercise
from budgetai.suites.load import Problem

RULES = ("tests", "doc_examples", "signature")
DEFAULT_RULES = ("tests", "doc_examples")  # a bare type-check keeps too much that is wrong
UNVERIFIABLE = "unverifiable"
_SIGNATURE_LINE = re.compile(r"^([a-z_][\w']*)\s*::")


@dataclass(frozen=True)
class Verdict:
    """One answer's verdict. rule: the rule that judged it (None where none applied); status:
    the scoring status (passed, compile_error, forbidden_pragma, wrong_answer, runtime_error,
    timeout, ...) or `unverifiable`."""

    kept: bool
    rule: str | None
    status: str
    checks_passed: int = 0  # tests, or doc examples, passed
    checks_total: int = 0
    detail: str = ""

    def to_dict(self) -> dict:
        return {"kept": self.kept, "rule": self.rule, "status": self.status,
                "checks_passed": self.checks_passed, "checks_total": self.checks_total}


@dataclass(frozen=True)
class DocExamples:
    """The `>>>` examples of a prompt's documented signature, as a test program."""

    name: str
    block: str  # the fenced code: doc comment and signature
    setup: tuple[str, ...]  # `import` and `let` lines, in order
    examples: tuple[tuple[str, str], ...]  # (expression, documented result)


class Verifier:
    def __init__(self, cfg: ExecutionConfig = ExecutionConfig(), rules=DEFAULT_RULES,
                 forgery_dir: str | Path = FORGERY_DIR):
        unknown = sorted(set(rules) - set(RULES))
        if unknown:
            raise ValueError(f"verifier rules {unknown} are not among {list(RULES)}")
        self.cfg, self.rules, self.forgery_dir = cfg, tuple(rules), Path(forgery_dir)
        self._trusted = False
        self._lock = threading.Lock()

    def check_forgeries(self) -> None:
        """Run the forgery suite through this verifier's judging once; ForgeryAccepted if it is fooled."""
        with self._lock:
            if not self._trusted:
                check_scorer_resists_forgeries(self._score_suite, self.forgery_dir)
                self._trusted = True

    def verify(self, record: Record, answers: list[str]) -> list[Verdict]:
        """One verdict per answer to `record`'s prompt."""
        self.check_forgeries()
        for rule, problem, checks in problems_of(record, self.rules):
            reference = self._judge(problem, 0, record.response)
            if not reference.passed:
                continue  # the harness cannot judge this prompt by this rule: try the next
            with ThreadPoolExecutor(max_workers=max(1, self.cfg.workers)) as pool:
                results = list(pool.map(lambda job: self._judge(problem, *job), enumerate(answers)))
            return [_verdict(rule, result, checks) for result in results]
        return [Verdict(False, None, UNVERIFIABLE, detail="no rule applies to this prompt whose "
                        "reference passes it") for _ in answers]

    def _judge(self, problem: Problem, index: int, completion: str) -> SampleResult:
        result = score_sample(problem, index, completion, self.cfg)
        if not result.code.strip():  # an empty module builds; an empty answer is not an answer
            result.passed, result.status = False, "no_code"
        return result

    def _score_suite(self, problems: list[Problem], completions: dict[str, list[str]]) -> dict:
        by_id = {p.id: p for p in problems}
        jobs = [(by_id[pid], i, text) for pid, texts in completions.items() for i, text in enumerate(texts)]
        with ThreadPoolExecutor(max_workers=max(1, self.cfg.workers)) as pool:
            return passes_by_sample(pool.map(lambda job: self._judge(*job), jobs))


def _verdict(rule: str, result: SampleResult, checks: int) -> Verdict:
    if rule == "tests":
        passed, total = result.tests_passed, result.tests_total
    else:  # one program checks every example: all or none
        passed, total = (checks if result.passed else 0), checks
    detail = result.compile_stderr[:500] if not result.compiled else "; ".join(result.failures)[:500]
    return Verdict(result.passed, rule, result.status or "passed", passed, total, detail)


def problems_of(record: Record, rules=RULES) -> list[tuple[str, Problem, int]]:
    """(rule, problem to judge answers by, checks it makes) for each rule in `rules` that
    applies to the record, in the order of RULES."""
    found = []
    if "tests" in rules and (problem := tests_problem(record)) is not None:
        found.append(("tests", problem, 0))
    doc = doc_examples(record)
    if doc is not None and "doc_examples" in rules and doc.examples:
        found.append(("doc_examples", _function_problem(record.id, doc, _examples_program(doc)),
                      len(doc.examples)))
    if doc is not None and "signature" in rules:
        found.append(("signature", _function_problem(record.id, doc, "main :: IO ()\nmain = pure ()\n"), 1))
    return found


def tests_problem(record: Record) -> Problem | None:
    """The record's own tests as a problem: an exercism exercise or stdio samples."""
    meta = record.meta
    if isinstance(meta.get("tests"), str) and meta.get("module") and meta.get("solution_file"):
        exercise = Exercise(
            slug=str(meta.get("exercise") or record.id), path=Path(str(meta.get("exercise") or record.id)),
            instructions="", module=meta["module"], solution_file=meta["solution_file"], stub="",
            support=dict(meta.get("support") or {}), tests=meta["tests"],
            dependencies=tuple(meta.get("dependencies") or ()),
            extensions=tuple(meta.get("extensions") or ()), references=())
        return Problem(id=record.id, prompt=record.prompt, tests=meta["tests"], language="haskell",
                       format="exercism", entry=meta["module"], exercise=exercise)
    samples = meta.get("sample_tests") or meta.get("tests")
    if isinstance(samples, list) and samples and all(
            isinstance(t, dict) and isinstance(t.get("input"), str) and isinstance(t.get("output"), str)
            for t in samples):
        return Problem(id=record.id, prompt=record.prompt, language="haskell", format="stdio",
                       tests=[{"input": t["input"], "output": t["output"]} for t in samples])
    return None


def doc_examples(record: Record) -> DocExamples | None:
    """The documented signature of the prompt's first Haskell fence (the declaration meta names,
    else its last signature) and its `>>>` examples; None where there is no signature or an
    example needs a GHCi command."""
    blocks = [code for tag, code in fenced_blocks(record.prompt) if tag in ("haskell", "hs", "")]
    if not blocks:
        return None
    block = blocks[0]
    names = [m.group(1) for line in block.splitlines() if (m := _SIGNATURE_LINE.match(line))]
    name = record.meta.get("declaration") or (names[-1] if names else None)
    if not name or name not in names:
        return None
    setup, examples = [], []
    lines = comment_lines(block)
    i = 0
    while i < len(lines):
        text = (lines[i] or "").strip()
        i += 1
        if not text.startswith(">>>"):
            continue
        expr = text[3:].strip()
        if expr.startswith(":"):
            return None  # a GHCi command (:set, :{ ... :}) that a compiled test cannot replay
        if expr.startswith(("import ", "let ")):
            setup.append(expr)
            continue
        result = []
        while i < len(lines) and lines[i] is not None and lines[i].strip() and not lines[i].strip().startswith(">>>"):
            result.append(lines[i].strip())
            i += 1
        if len(result) == 1 and result[0] not in ("<BLANKLINE>", "..."):
            examples.append((expr, result[0]))
    return DocExamples(name, block, tuple(setup), tuple(examples))


def comment_lines(code: str) -> list[str | None]:
    """Each line's comment text (`--` lines, the inside of `{- -}` blocks), None for code."""
    out: list[str | None] = []
    in_block = False
    for line in code.splitlines():
        stripped = line.strip()
        if in_block:
            in_block = not stripped.endswith("-}")
            out.append(stripped.removesuffix("-}"))
        elif stripped.startswith("{-") and not stripped.startswith("{-#"):
            in_block = not stripped.endswith("-}")
            out.append(stripped.removesuffix("-}")[2:].lstrip("|"))
        elif stripped.startswith("--"):
            out.append(stripped[2:].lstrip("|"))
        else:
            out.append(None)
    return out


def _examples_program(doc: DocExamples) -> str:
    """The examples as MultiPL-E-style tests: each `show (expr)` compared with its result."""
    imports = [line for line in doc.setup if line.startswith("import ")]
    lets = [f"  {line}" for line in doc.setup if line.startswith("let ")]
    checks = [f"  if show ({expr}) == {haskell_string(result)} then pure () "
              f"else error {haskell_string(f'example {n}: {expr}')}"
              for n, (expr, result) in enumerate(doc.examples, start=1)]
    return "\n".join([*imports, "main :: IO ()", "main = do", *lets, *checks, "  pure ()"]) + "\n"


def _function_problem(record_id: str, doc: DocExamples, tests: str) -> Problem:
    return Problem(id=record_id, prompt=doc.block.rstrip() + "\n", tests=tests, language="haskell",
                   format="multipl-e", entry=doc.name)


def haskell_string(text: str) -> str:
    """`text` as a Haskell string literal (decimal escapes, `\\&` so a digit never joins one)."""
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch)}\\&")
    return '"' + "".join(out) + '"'
