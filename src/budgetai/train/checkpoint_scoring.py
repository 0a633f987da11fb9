"""What a checkpoint writes when asked for code: a small problem set, answered by the model in
training and scored on the evaluation ladder (parses -> type-checks -> passes its tests), with
evaluate's own generation, extraction and sandbox. budgetai.train.checkpoint_selection calls it at
each evaluation, so a checkpoint can be chosen by the code it writes rather than by its loss.

    problems = scoring_problems(cfg, val_path)            # cfg: the training config, defaults filled
    counts = score_model(model, tokenizer, problems, cfg)  # {"n": 8, "parses": 3, ...}

The set is a configured suite (`checkpoint_scoring.suite`: stdio or multipl-e, asked as evaluation
asks) or, by default, the val split's Haskell problem_solution and instruction rows whose answer
is code, asked as training renders prompts. Val rows with sample tests (Codeforces) are compiled
and run; the others are parsed (tree-sitter) and type-checked (GHC -fno-code), as the held-out
ladder does. An answer with no code fails every rung: an empty module parses, and a checkpoint
that answers nothing must not win.
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from budgetai.evaluate.generation import GenerationConfig, generate
from budgetai.evaluate.ladder import RUNGS
from budgetai.evaluate.forgery import FORGERY_DIR, check_scorer_resists_forgeries, passes_by_sample
from budgetai.evaluate.prompts import build_messages
from budgetai.evaluate.scoring import Rungs, rungs_of_result, rungs_without_tests, score_completions
from budgetai.haskell.execution import ExecutionConfig, typecheck_only
from budgetai.haskell.fences import extract_code, fenced_blocks
from budgetai.model.chat_format import chat_messages
from budgetai.suites.load import Problem, load_suite

SCORED_KINDS = ("problem_solution", "instruction")
SUITE_FORMATS = ("stdio", "multipl-e")  # Haskell suites; the rungs are GHC's
# The rung each selection metric counts (budgetai.evaluate.ladder.RUNGS).
METRIC_RUNGS = {"parse_rate": "parses", "compile_rate": "typechecks", "pass@1": "passes"}

log = logging.getLogger(__name__)


@dataclass
class ScoringProblem:
    id: str
    messages: list[dict]  # what the model is asked
    problem: Problem | None = None  # with tests: compiled and run; None: parsed and type-checked


def scoring_problems(cfg: dict, val_path: str | Path) -> list[ScoringProblem]:
    """The problem set of this training config (defaults filled in). Raises ValueError when it
    is empty, or has no problem with tests and the metric is pass@1, naming what to configure."""
    scoring, metric = cfg["checkpoint_scoring"], cfg["select_checkpoint"]
    suite = scoring["suite"]
    if suite:
        if suite.get("format") not in SUITE_FORMATS:
            raise ValueError(f"training.checkpoint_scoring.suite.format: {suite.get('format')!r}; "
                             f"use one of {SUITE_FORMATS}")
        problems = load_suite(suite["path"], suite["format"])[: scoring["problems"]]
        chosen = [ScoringProblem(p.id, build_messages(p), p) for p in problems]
        where = suite["path"]
    else:
        rows = pq.read_table(val_path).to_pylist()
        chosen = val_problems(rows, scoring["problems"], cfg["system_prompt"], cfg["seed"],
                              tested_only=metric == "pass@1")
        where = f"{val_path} (its Haskell {'/'.join(SCORED_KINDS)} rows whose answer is code)"
    if not chosen or (metric == "pass@1" and all(p.problem is None for p in chosen)):
        what = "problems with tests" if metric == "pass@1" else "problems"
        raise ValueError(f"training.select_checkpoint: {metric} needs {what} to score, and {where} has "
                         f"none; set training.checkpoint_scoring.suite to a suite file "
                         f"(e.g. {{path: resources/functions/functions.jsonl, format: multipl-e}})")
    return chosen


def val_problems(rows: list[dict], size: int, system_prompt: str | None, seed: int,
                 tested_only: bool = False) -> list[ScoringProblem]:
    """Up to `size` val rows as problems, those with sample tests first, each group in a seeded
    random order (the same on every rank and rerun). One per prompt (a problem's several
    solutions share it); a piece of a record cut into several examples is not a whole answer."""
    by_prompt: dict[str, ScoringProblem] = {}
    for row in rows:
        if not is_code_answer(row) or row["prompt"] in by_prompt or row.get("parts", 1) != 1:
            continue
        tests = json.loads(row.get("meta") or "{}").get("sample_tests") or []
        problem = Problem(id=row["id"], prompt=row["prompt"], tests=tests, language="haskell",
                          format="stdio") if tests else None
        by_prompt[row["prompt"]] = ScoringProblem(row["id"], chat_messages(row["prompt"], system_prompt), problem)
    shuffle = random.Random(seed).shuffle
    tested = [p for p in by_prompt.values() if p.problem is not None]
    untested = [] if tested_only else [p for p in by_prompt.values() if p.problem is None]
    shuffle(tested)
    shuffle(untested)
    return (tested + untested)[:size]


def is_code_answer(row: dict) -> bool:
    """A Haskell problem or instruction whose reference answer is a fenced program (not a mined
    "what does this evaluate to", whose answer is a value)."""
    meta = json.loads(row.get("meta") or "{}")
    return (row["kind"] in SCORED_KINDS and row["language"] == "haskell" and meta.get("mined") != "evaluation"
            and bool(fenced_blocks(row["response"])))


def score_model(model, tokenizer, problems: list[ScoringProblem], cfg: dict) -> dict:
    """Rung counts of one greedy answer per problem: {"n", "parses", "typechecks", "passes",
    "n_tested"} (passes counts the problems with tests, of n_tested)."""
    scoring = cfg["checkpoint_scoring"]
    gen_cfg = GenerationConfig(max_new_tokens=scoring["max_new_tokens"], samples=1, temperature=0.0,
                               stop_at_closed_fence=True)  # answers are scored by their fenced code
    exec_cfg = ExecutionConfig.from_dict(scoring["execution"] or {})
    completions = generate(model, tokenizer, [p.messages for p in problems], gen_cfg)
    answers = {p.id: texts[0] for p, texts in zip(problems, completions)}
    rungs = answer_rungs(problems, answers, exec_cfg)
    return {"n": len(problems), **{name: sum(bool(getattr(r, name)) for r in rungs) for name in RUNGS},
            "n_tested": sum(p.problem is not None for p in problems)}


def answer_rungs(problems: list[ScoringProblem], answers: dict[str, str], exec_cfg: ExecutionConfig) -> list[Rungs]:
    """Each answer's rungs through the one scoring path (budgetai.evaluate.scoring): compiled and
    run where the problem has tests, parsed and type-checked where it has none."""
    tested = [p.problem for p in problems if p.problem is not None]
    untested = [p for p in problems if p.problem is None]
    results = score_completions(tested, {p.id: [answers[p.id]] for p in tested}, exec_cfg) if tested else []
    codes = [extract_code(answers[p.id], "haskell") for p in untested]
    return [rungs_of_result(r) for r in results] + rungs_without_tests(codes, exec_cfg)


def check_sandbox(exec_cfg: ExecutionConfig) -> None:
    """Type-check a one-line module, so that a missing GHC or sandbox stops training before its
    first step rather than at its first evaluation; then score the forgery suite with this
    config (budgetai.evaluate.forgery), so a selection that rewards passes cannot reward one."""
    if not typecheck_only("answer :: Int\nanswer = 42\n", exec_cfg):
        raise RuntimeError(f"checkpoint scoring: GHC failed on a one-line module under the "
                           f"{exec_cfg.sandbox_backend()} sandbox; check training.checkpoint_scoring.execution "
                           f"(evaluation.execution in the workflow)")
    if not FORGERY_DIR.is_dir():  # an install without the repository's resources/
        log.warning("checkpoint scoring: %s is missing: the forgery suite is not run", FORGERY_DIR)
        return
    check_scorer_resists_forgeries(
        lambda problems, completions: passes_by_sample(score_completions(problems, completions, exec_cfg)))


def rates(counts: dict) -> dict:
    """The selection metrics of rung counts (pass@1: None without problems with tests)."""
    n, tested = counts["n"], counts["n_tested"]
    return {"parse_rate": counts["parses"] / n if n else None,
            "compile_rate": counts["typechecks"] / n if n else None,
            "pass@1": counts["passes"] / tested if tested else None}
