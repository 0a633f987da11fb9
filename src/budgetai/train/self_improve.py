"""A self-improvement round: the model answers training prompts, GHC and the prompts' tests
judge the answers (budgetai.evaluate.verifier), and the kept answers become training data.

    experiments:
      haskell-smollm2:
        self_improve:
          rounds: 1               # rounds after round 0 (the experiment itself)
          samples: 4              # answers per prompt
          temperature: 0.8        # > 0: K different answers, not K copies of the greedy one
          max_prompts: 64         # training prompts tried per round (null: all that a rule applies to)
          rules: [tests, doc_examples]   # the verifier's rules that may keep an answer
          max_kept_per_prompt: 1  # distinct verified answers kept per prompt

Round r (1..rounds): the model of round r-1 (round 0: the experiment's adapter) samples answers
to prompts of the experiment's training split only (decontaminated: never an eval suite item),
those a verifier rule applies to; every answer is judged; kept answers, deduplicated per prompt
(same code once whitespace is normalised) and at most max_kept_per_prompt per prompt, become
records of source `self_r<r>` whose meta holds their lineage (model, round, prompt id, sample
index, verdict). They are decontaminated against the eval suites like any source (the workflow's
self_improve_verify rule), and round r trains from the base model on the experiment's training
split plus the kept answers of rounds 1..r, with the experiment's training settings (same token
budget). The workflow: workflow/rules/self_improve.smk.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

from budgetai.core import results_layout as layout
from budgetai.core.io import write_json, write_jsonl
from budgetai.core.records import Record, read_records, write_records
from budgetai.evaluate.prompts import SYSTEM_PROMPT
from budgetai.evaluate.verifier import DEFAULT_RULES, RULES, Verdict, Verifier, problems_of
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.fences import extract_code

SOURCE_PREFIX = "self_r"
ASK = ("Answer with the complete Haskell code (its imports, signatures and definitions; a whole "
       "program where the task reads input) in a single ```haskell code block.")


@dataclass(frozen=True)
class SelfImproveSettings:
    rounds: int = 1
    samples: int = 4
    temperature: float = 0.8
    top_p: float = 0.95
    max_new_tokens: int = 256
    max_prompts: int | None = 64
    kinds: tuple[str, ...] = ("instruction", "problem_solution")  # record kinds whose prompts are tried
    rules: tuple[str, ...] = DEFAULT_RULES
    max_kept_per_prompt: int = 1
    seed: int = 0

    @classmethod
    def from_dict(cls, block: dict | None, where: str = "self_improve") -> "SelfImproveSettings":
        block = dict(block or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(block) - known)
        if unknown:
            raise ValueError(f"{where}: unknown keys {unknown}; allowed: {sorted(known)}")
        for key in ("kinds", "rules"):
            if key in block:
                block[key] = tuple(block[key])
        settings = cls(**block)
        if settings.rounds < 1 or settings.samples < 1 or settings.max_kept_per_prompt < 1:
            raise ValueError(f"{where}: rounds, samples and max_kept_per_prompt must be >= 1")
        if not set(settings.rules) <= set(RULES):
            raise ValueError(f"{where}.rules: {sorted(set(settings.rules) - set(RULES))} not among {list(RULES)}")
        return settings


def source_name(round_no: int) -> str:
    return f"{SOURCE_PREFIX}{round_no}"


def round_prompts(records: list[Record], settings: SelfImproveSettings) -> list[Record]:
    """The training prompts a round tries: kinds in settings.kinds that a verifier rule in
    settings.rules applies to, in a fixed order (sha256 of id and seed), at most max_prompts.
    Kept answers of earlier rounds are answers, not prompts."""
    usable = [r for r in records if r.kind in settings.kinds and not r.source.startswith(SOURCE_PREFIX)
              and problems_of(r, settings.rules)]
    usable.sort(key=lambda r: hashlib.sha256(f"{settings.seed}\0{r.id}".encode()).hexdigest())
    return usable[: settings.max_prompts]


def prompt_messages(record: Record) -> list[dict]:
    return [{"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"{record.prompt.strip()}\n\n{ASK}"}]


def sample_round(model_dir, adapter_dir, train_path, settings: SelfImproveSettings, evaluation: dict,
                 out_samples) -> int:
    """Sample settings.samples answers per round prompt with the model (+ adapter); writes
    {prompt_id, sample_index, completion} rows. Returns the number of answers."""
    # Here, not at the top: the Snakefile imports this module to plan the round, and planning
    # must not load torch (generation and model loading import it).
    from budgetai.evaluate.generation import GenerationConfig, generate
    from budgetai.model.load import load_model, load_tokenizer

    prompts = round_prompts(read_records(train_path), settings)
    model = load_model(model_dir, evaluation.get("quantization", "none"),
                       evaluation.get("compute_dtype", "auto"), adapter_dir=adapter_dir)
    model.eval()
    gen_cfg = GenerationConfig(max_new_tokens=settings.max_new_tokens, samples=settings.samples,
                               temperature=settings.temperature, top_p=settings.top_p, seed=settings.seed,
                               batch_size=int((evaluation.get("generation") or {}).get("batch_size", 8)),
                               stop_at_closed_fence=True)
    answers = generate(model, load_tokenizer(model_dir), [prompt_messages(p) for p in prompts], gen_cfg)
    rows = [{"prompt_id": p.id, "sample_index": i, "completion": text}
            for p, texts in zip(prompts, answers) for i, text in enumerate(texts)]
    write_jsonl(rows, out_samples)
    return len(rows)


def verify_round(train_path, samples_path, settings: SelfImproveSettings, round_no: int, model: str,
                 exec_cfg: ExecutionConfig, out_records, out_verdicts, out_stats) -> dict:
    """Judge every sampled answer; write the kept ones as source self_r<round> records, every
    verdict, and the round's counts."""
    prompts = {r.id: r for r in round_prompts(read_records(train_path), settings)}
    samples: dict[str, list[str]] = {}
    with open(samples_path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["prompt_id"] not in prompts:
                raise ValueError(f"{samples_path}: answer to {row['prompt_id']!r}, not a prompt of this round")
            samples.setdefault(row["prompt_id"], []).append(row["completion"])
    verifier = Verifier(exec_cfg, settings.rules)
    kept, verdict_rows = [], []
    for prompt_id, answers in samples.items():
        verdicts = verifier.verify(prompts[prompt_id], answers)
        verdict_rows += [{"prompt_id": prompt_id, "sample_index": i, **v.to_dict()} for i, v in enumerate(verdicts)]
        kept += kept_answers(prompts[prompt_id], answers, verdicts, settings, round_no, model)
    write_records(kept, out_records)
    write_jsonl(verdict_rows, out_verdicts)
    stats = round_stats(round_no, len(samples), verdict_rows, kept)
    write_json(stats, out_stats)
    return stats


def kept_answers(prompt: Record, answers: list[str], verdicts: list[Verdict], settings: SelfImproveSettings,
                 round_no: int, model: str) -> list[Record]:
    """The verified answers to one prompt as records: one per distinct code (whitespace
    normalised), at most settings.max_kept_per_prompt, in sample order."""
    source, seen, out = source_name(round_no), set(), []
    for index, (answer, verdict) in enumerate(zip(answers, verdicts)):
        if not verdict.kept:
            continue
        code = extract_code(answer, "haskell", [])
        key = re.sub(r"\s+", " ", code).strip()
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(Record(
            id=f"{source}:{prompt.id}#{index}", source=source, kind=prompt.kind, prompt=prompt.prompt,
            response=f"```haskell\n{code.strip()}\n```", language="haskell", url=prompt.url,
            license=prompt.license, group=prompt.group,
            meta={**{k: v for k, v in prompt.meta.items() if k not in ("reference_verdict",)},
                  "self_improve": {"model": model, "round": round_no, "prompt_id": prompt.id,
                                   "sample_index": index, "verdict": verdict.to_dict()}}))
        if len(out) == settings.max_kept_per_prompt:
            break
    return out


def round_stats(round_no: int, prompts: int, verdict_rows: list[dict], kept: list[Record]) -> dict:
    """Prompts tried, answers sampled, and per rule: answers judged by it and kept by it."""
    judged = Counter(row["rule"] or "none" for row in verdict_rows)
    passed = Counter(row["rule"] for row in verdict_rows if row["kept"])
    return {"round": round_no, "prompts": prompts, "answers": len(verdict_rows),
            "verified": sum(passed.values()), "kept_records": len(kept),
            "by_rule": {rule: {"judged": n, "verified": passed.get(rule, 0),
                               "share": round(passed.get(rule, 0) / n, 4) if n else 0.0}
                        for rule, n in sorted(judged.items())},
            "statuses": dict(Counter(row["status"] for row in verdict_rows))}


def round_mixture(train_path, val_path, kept_paths: list, out_train, out_val, out_stats) -> dict:
    """A round's training data: the experiment's training split plus the kept answers of
    rounds 1..r (decontaminated); validation is the experiment's own, so rounds compare."""
    train = read_records(train_path)
    kept = [r for path in kept_paths for r in read_records(path)]
    write_records(train + kept, out_train)
    stats = {"train_rows": len(train), "kept_rows": len(kept),
             "val_rows": write_records(read_records(val_path), out_val)}
    write_json(stats, out_stats)
    return stats


def round_summary(stats_paths: list, eval_paths: dict, out_path) -> dict:
    """Per round: the round's counts and, per suite, its eval ladder (round 0: the experiment's
    own evaluation). eval_paths: {round: {suite: eval json path}}."""
    rounds = {0: {"round": 0}}
    for path in stats_paths:
        stats = json.loads(Path(path).read_text())
        rounds[stats["round"]] = stats
    for round_no, suites in eval_paths.items():
        rounds.setdefault(int(round_no), {"round": int(round_no)})["ladder"] = {
            suite: json.loads(Path(path).read_text()).get("ladder") for suite, path in sorted(suites.items())}
    summary = {"rounds": [rounds[r] for r in sorted(rounds)]}
    write_json(summary, out_path)
    return summary


class RoundPlan:
    """The round jobs' paths and input functions, for workflow/rules/self_improve.smk: round r
    of experiment e lives in results/self_improve/<e>/r<r>/ (samples.jsonl, verified.parquet,
    verdicts.jsonl, verify_stats.json, kept.parquet, data/, adapter/, eval/)."""

    ROUND_DIR = layout.self_improve_round()

    def __init__(self, config: dict):
        self.config = config

    def experiments(self) -> list[str]:
        return [e for e, cfg in self.config["experiments"].items() if cfg.get("self_improve")]

    def settings(self, experiment: str) -> SelfImproveSettings:
        return SelfImproveSettings.from_dict(self.config["experiments"][experiment]["self_improve"],
                                             f"experiments.{experiment}.self_improve")

    def round_dir(self, experiment: str, round_no: int | str) -> str:
        return self.ROUND_DIR.format(experiment=experiment, round=round_no)

    def path(self, name: str) -> str:
        """A round file's path pattern (wildcards experiment and round)."""
        return f"{self.ROUND_DIR}/{name}"

    def targets(self) -> list[str]:
        return [layout.self_improve_summary(e) for e in self.experiments()]

    def settings_of(self, wildcards) -> dict:
        return self.settings(wildcards.experiment).__dict__

    def model_of(self, wildcards) -> str:
        """The experiment's model name (the lineage of kept answers), not its whole block: a
        training change must not rerun verification."""
        return self.config["experiments"][wildcards.experiment]["model"]

    def sampling_adapter(self, wildcards) -> str:
        """Round r samples with round r-1's model: the experiment's adapter for round 1."""
        previous = int(wildcards.round) - 1
        if previous == 0:
            return layout.adapter(wildcards.experiment)
        return f"{self.round_dir(wildcards.experiment, previous)}/adapter"

    def kept_up_to(self, wildcards) -> list[str]:
        return [f"{self.round_dir(wildcards.experiment, r)}/kept.parquet"
                for r in range(1, int(wildcards.round) + 1)]

    def round_evaluations(self, experiment: str) -> dict[int, dict[str, str]]:
        """round -> suite -> eval JSON, round 0 being the experiment's own evaluation."""
        suites = list(self.config["evaluation"]["suites"])
        evaluations = {0: {s: layout.evaluation(layout.eval_dir(experiment), s) for s in suites}}
        for round_no in range(1, self.settings(experiment).rounds + 1):
            evaluations[round_no] = {s: layout.evaluation(layout.self_improve_eval_dir(experiment, round_no), s)
                                     for s in suites}
        return evaluations

    def summary_inputs(self, wildcards) -> dict[str, list[str]]:
        rounds = range(1, self.settings(wildcards.experiment).rounds + 1)
        return {"stats": [f"{self.round_dir(wildcards.experiment, r)}/verify_stats.json" for r in rounds],
                "evaluations": [p for suites in self.round_evaluations(wildcards.experiment).values()
                                for p in suites.values()]}

    def evaluations_of(self, wildcards) -> dict:
        return self.round_evaluations(wildcards.experiment)
