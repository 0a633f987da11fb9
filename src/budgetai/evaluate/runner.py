"""Evaluate one model (base, or base + adapter) on one suite and write its JSON + generations.

Suite formats: "stdio", "multipl-e", "humaneval-python", "exercism" (executable: generate, extract,
compile and run in the sandbox, pass@k; exercism adds the graded share of hspec examples passed)
and "heldout" (the test split: held-out loss / perplexity on the reference answers, plus BLEU /
chrF / ROUGE-L of generations and the share of generated Haskell that GHC type-checks). Base and tuned go through exactly this code with the same settings.

`evaluate_completions` scores completions produced elsewhere (another node, another engine, the
forgery suite) from a `*.generations.jsonl` file, without a model, and writes the same JSON and
generations file (bigcode-evaluation-harness's `--load_generations_path`).
"""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path

import pyarrow.parquet as pq
import torch

from budgetai.core.io import write_json, write_jsonl
from budgetai.core.config.training import EXAMPLE_KEYS, with_defaults
from budgetai.evaluate.completions_file import read_completions
from budgetai.evaluate.exercism import (exercise_messages, graded_summary, reference_completions,
                                        references_not_passing)
from budgetai.evaluate.generation import GenerationConfig, generate, prompt_conversations
from budgetai.evaluate.ladder import ladder
from budgetai.evaluate.pass_at_k import summarize
from budgetai.evaluate.prompts import build_messages
from budgetai.evaluate.scoring import rungs_of_result, rungs_without_tests, score_completions
from budgetai.evaluate.text_metrics import text_scores
from budgetai.examples.tokenize import (IGNORE_INDEX, PaddingCollator, TokenizedExamples, computes_selected_logits,
                                        tokenize_records)
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.fences import extract_code
from budgetai.model.load import is_encoder_decoder, load_model, load_tokenizer
from budgetai.model.precision import resolve_compute_dtype
from budgetai.suites.load import load_suite

log = logging.getLogger(__name__)

EXECUTABLE_FORMATS = ("stdio", "multipl-e", "humaneval-python", "exercism")


def evaluate_suite(model_dir, adapter_dir, suite: dict, cfg: dict, out_json, out_generations,
                   test_split=None, label: str = "") -> dict:
    """cfg: the `evaluation` config block (generation, execution, quantization, ks, ...)."""
    started = time.time()
    compute_dtype = resolve_compute_dtype(cfg.get("compute_dtype", "auto"))
    model = load_model(model_dir, cfg.get("quantization", "none"), compute_dtype, adapter_dir=adapter_dir)
    model.eval()
    tokenizer = load_tokenizer(model_dir)
    # Executable suites ask for one fenced block: generation stops where it closes.
    gen_cfg = GenerationConfig.from_dict({"stop_at_closed_fence": suite["format"] in EXECUTABLE_FORMATS,
                                          **cfg.get("generation", {}), **suite.get("generation", {})})
    if suite["format"] == "heldout":
        if test_split is None:
            raise ValueError(f"suite {suite['name']}: heldout needs the test split")
        result, generations = _heldout(model, tokenizer, test_split, suite, cfg, gen_cfg, model_dir)
    elif suite["format"] in EXECUTABLE_FORMATS:
        result, generations = _executable(model, tokenizer, suite, cfg, gen_cfg)
    else:
        raise ValueError(f"suite {suite['name']}: unknown format {suite['format']!r}")
    return _write(result, generations, suite, cfg, label, started, out_json, out_generations,
                  model_dir=str(model_dir), adapter_dir=str(adapter_dir) if adapter_dir else None,
                  generation=gen_cfg.__dict__, compute_dtype=compute_dtype)


def _write(result: dict, generations: list[dict], suite: dict, cfg: dict, label: str, started: float,
           out_json, out_generations, **provenance) -> dict:
    """The result JSON (with what was evaluated, how, and under which sandbox) and the
    generations file."""
    result.update({
        "suite": suite["name"], "format": suite["format"], "target": label, **provenance,
        "sandbox_backend": ExecutionConfig.from_dict(cfg.get("execution", {})).sandbox_backend(),
        "sandbox_caps": ExecutionConfig.sandbox_caps(),
        "seconds": round(time.time() - started, 1),
    })
    write_jsonl(generations, out_generations)
    write_json(result, out_json)
    return result


def _executable(model, tokenizer, suite, cfg, gen_cfg):
    problems = load_suite(suite["path"], suite["format"])[: suite.get("max_problems")]
    conversations = [exercise_messages(p) if p.format == "exercism" else build_messages(p) for p in problems]
    completions = generate(model, tokenizer, conversations, gen_cfg)
    by_id = {p.id: texts for p, texts in zip(problems, completions)}
    return _scored(problems, by_id, suite, cfg, gen_cfg.samples)


def _scored(problems, by_id: dict[str, list[str]], suite, cfg, samples: int):
    """(result, generations) of completions by problem id, scored through the one scoring path."""
    exec_cfg = ExecutionConfig.from_dict(cfg.get("execution", {}))
    results = score_completions(problems, by_id, exec_cfg)
    ks = [k for k in suite.get("ks", cfg.get("ks", [1])) if k <= samples]
    summary = summarize(results, ks=ks or [1])
    generations = [
        {**r.to_dict(), "completion": by_id[r.problem_id][r.sample_index]} for r in results
    ]
    result = {"metrics": summary, "ladder": ladder(map(rungs_of_result, results))}
    if suite["format"] == "exercism":  # graded credit: the share of hspec examples passed
        for row in generations:
            row.update(examples_passed=row["tests_passed"], examples_total=row["tests_total"])
        result["exercism"] = graded_summary(generations)
    return result, generations


def evaluate_references(suite: dict, cfg: dict, out_json, out_generations) -> dict:
    """Score an exercism suite's own reference solutions (no model): they are written as a
    completions file beside out_json and scored by `evaluate_completions`, the path a model's
    answers take, so the result says which exercises this machine can run."""
    if suite["format"] != "exercism":
        raise ValueError(f"suite {suite['name']}: --references needs format exercism, not {suite['format']!r}")
    problems = load_suite(suite["path"], suite["format"])[: suite.get("max_problems")]
    references = Path(out_json).with_name(f"{suite['name']}.references.jsonl")
    write_jsonl([{"problem_id": pid, "sample_index": i, "completion": text}
                 for pid, texts in reference_completions(problems).items()
                 for i, text in enumerate(texts)], references)
    result = evaluate_completions(references, suite, cfg, out_json, out_generations, label="references")
    with open(out_generations, encoding="utf-8") as lines:
        result["references_not_passing"] = references_not_passing([json.loads(line) for line in lines], problems)
    write_json(result, out_json)
    return result


def evaluate_completions(completions_path, suite: dict, cfg: dict, out_json, out_generations,
                         label: str = "completions") -> dict:
    """Score the completions of a generations JSONL (problem_id, sample_index, completion) on an
    executable suite and write its JSON + generations, as `evaluate_suite` does after generating.
    Problems of the suite without completions are listed in the result (and logged); completions
    for problems the suite (or its max_problems) does not have are an error."""
    started = time.time()
    if suite["format"] not in EXECUTABLE_FORMATS:
        raise ValueError(f"suite {suite['name']}: completions are scored only for "
                         f"{EXECUTABLE_FORMATS}, not {suite['format']!r}")
    problems = load_suite(suite["path"], suite["format"])[: suite.get("max_problems")]
    by_id = read_completions(completions_path)
    unknown = sorted(set(by_id) - {p.id for p in problems})
    if unknown:
        raise ValueError(f"{completions_path}: completions for {len(unknown)} problem(s) not in "
                         f"{suite['path']} (or past max_problems): {unknown[:5]}")
    missing = [p.id for p in problems if p.id not in by_id]
    if missing:
        log.warning("%s: no completions for %d of %d problems of %s (not scored): %s",
                    completions_path, len(missing), len(problems), suite["path"], missing[:5])
    scored = [p for p in problems if p.id in by_id]
    if not scored:
        raise ValueError(f"{completions_path}: no completions for any problem of {suite['path']}")
    result, generations = _scored(scored, by_id, suite, cfg, min(map(len, by_id.values())))
    return _write(result, generations, suite, cfg, label, started, out_json, out_generations,
                  model_dir=None, adapter_dir=None, completions_file=str(completions_path),
                  problems_without_completions=missing)


def _heldout(model, tokenizer, test_split, suite, cfg, gen_cfg, model_dir):
    rows = pq.read_table(test_split).to_pylist()[: suite.get("max_rows", 64)]
    if not rows:
        raise ValueError(f"{test_split}: the test split is empty")
    loss, scored = heldout_loss(model, tokenizer, rows, cfg, is_encoder_decoder(model_dir))
    gen_rows = rows[: suite.get("max_generations", 16)]
    conversations = prompt_conversations([r["prompt"] for r in gen_rows], gen_cfg.system_prompt)
    predictions = [texts[0] for texts in generate(model, tokenizer, conversations, gen_cfg)]
    metrics = {"heldout_loss": loss, "perplexity": math.exp(min(loss, 50)), "loss_rows": len(rows),
               "loss_examples": len(scored.examples), "loss_tokens": scored.trained_response_tokens,
               "loss_share_scored": round(scored.share_trained, 4)}
    metrics.update(text_scores(predictions, [r["response"] for r in gen_rows]))
    haskell = [extract_code(p, "haskell") for p, r in zip(predictions, gen_rows)
               if r["language"] == "haskell"]
    rungs = rungs_without_tests(haskell, ExecutionConfig.from_dict(cfg.get("execution", {})))
    metrics["typecheck_rate"] = sum(r.typechecks for r in rungs) / len(rungs) if rungs else None
    metrics["typecheck_n"] = len(rungs)
    generations = [{"id": r["id"], "prompt": r["prompt"], "reference": r["response"], "completion": p}
                   for r, p in zip(gen_rows, predictions)]
    return {"metrics": metrics, "ladder": ladder(rungs)}, generations


@torch.inference_mode()
def heldout_loss(model, tokenizer, rows, cfg, encoder_decoder: bool,
                 batch_size: int = 8) -> tuple[float, TokenizedExamples]:
    """(mean per-token cross-entropy on the reference responses, the examples scored): prompt
    tokens masked, the completion-only objective training minimises. A reference longer than
    max_length is chunked exactly as training chunks it, so the loss covers all of it rather than
    its first max_length tokens (the examples' share_trained says how much was scored)."""
    tokenized = tokenize_records(rows, tokenizer, with_defaults({k: cfg[k] for k in EXAMPLE_KEYS if k in cfg}),
                                 encoder_decoder)
    examples = tokenized.examples
    selected = computes_selected_logits(model)
    collate = PaddingCollator(pad_token_id=tokenizer.pad_token_id, completion_logits_only=selected)
    tokenizer.padding_side = "right"
    total_loss, total_tokens = 0.0, 0
    device = next(model.parameters()).device
    for start in range(0, len(examples), batch_size):
        batch = collate([{k: e[k] for k in ("input_ids", "labels")} for e in examples[start : start + batch_size]])
        batch = {k: v.to(device) for k, v in batch.items()}
        inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
        if encoder_decoder:
            logits, labels = model(**inputs, labels=batch["labels"]).logits, batch["labels"]
        elif selected:  # logits only where a response token is predicted
            logits, labels = model(**inputs, logits_to_keep=batch["logits_to_keep"]).logits, batch["shift_labels"]
        else:
            logits, labels = model(**inputs).logits[:, :-1], batch["labels"][:, 1:]
        token_loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.size(-1)).float(), labels.reshape(-1),
            ignore_index=IGNORE_INDEX, reduction="sum")
        total_loss += token_loss.item()
        total_tokens += int((labels != IGNORE_INDEX).sum())
    return total_loss / max(total_tokens, 1), tokenized


