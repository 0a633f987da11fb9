"""Where one training step and one decode step spend their time (torch.profiler), by category.

    .venv/bin/python bench/profile_steps.py [--what train,decode] [--quantization nf4] [--lora-dropout 0.0] [--before]

train:  the recipe as the default experiment runs it (packing, batch 4, max_length 384, compute
        dtype auto, --quantization, --lora-dropout; --before: the frozen weights left in float32
        as before issue 27), on the data bench/train_throughput.py uses; step 3 of the
        Trainer's loop is profiled (steps 1-2 warm up oneDNN's kernel choices), the whole step:
        forward, backward, optimizer. Collation is timed apart (the Trainer collates before a
        step begins).
decode: one step of evaluation's decode loop (budgetai.evaluate.generation) for a batch of
        --decode-batch function-suite prompts after their prefill and 20 decoded tokens.
Categories are sums of each operator's self CPU time; "Python and framework overhead" is the
step's wall time minus all operators' self time (what runs between the kernels). Prints the
table and the top operators; bench/results/profile_*.txt are its outputs.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

import torch
from torch.profiler import ProfilerActivity, profile
from transformers import DynamicCache, TrainerCallback

from budgetai.evaluate.prompts import build_messages
from budgetai.model.chat_format import render_prompt
from budgetai.model.load import load_model, load_tokenizer
from budgetai.suites.load import load_suite
from default_model import model_dir  # bench/, beside this script
from train_throughput import data_path

REPO = Path(__file__).resolve().parents[1]
# (category, pattern on the operator name), first match wins; the LM head's product is told
# apart from the other matmuls by its vocabulary-sized dimension (input shapes are recorded).
CATEGORIES = [
    ("dequantization (4-bit)", r"bitsandbytes|dequant|gemm_4bit|quantize"),
    ("optimizer", r"_foreach_|adam|Optimizer|clip_grad|_fused"),
    ("LM head + cross-entropy (loss ops)", r"cross_entropy|log_softmax|nll_loss|_softmax_backward"),
    ("attention", r"scaled_dot_product|flash_attention|_efficient_attention|attention"),
    ("matmuls", r"aten::(mm|addmm|bmm|matmul|linear|_addmm_activation)|mkldnn|onednn"),
    ("dtype casts (autocast, .to)", r"aten::(to|_to_copy|copy_)$"),
    ("norms + activations + elementwise", r"aten::(pow|mean|rsqrt|mul|add|silu|sigmoid|neg|cat|div|sub|exp|sum|"
                                          r"dropout|native_dropout|where|masked_fill|embedding|index|gather|cos|sin)"),
]


def category(name: str, shapes: str) -> str:
    for label, pattern in CATEGORIES:
        if re.search(pattern, name, re.IGNORECASE):
            if label == "matmuls" and re.search(r"\b49152\b", shapes):
                return "LM head matmul"
            return label
    return "other operators (views, allocation, indexing, ...)"


def breakdown(prof, wall_s: float, title: str) -> str:
    totals: dict[str, float] = {}
    ops: dict[str, float] = {}
    for event in prof.key_averages(group_by_input_shape=True):
        seconds = event.self_cpu_time_total / 1e6
        label = category(event.key, str(event.input_shapes))
        totals[label] = totals.get(label, 0.0) + seconds
        ops[event.key] = ops.get(event.key, 0.0) + seconds
    op_time = sum(totals.values())
    totals["Python and framework overhead"] = max(wall_s - op_time, 0.0)
    lines = [f"{title}: wall {wall_s * 1000:.0f} ms; {os.popen('uptime').read().strip()}",
             f"{'category':<52}{'ms':>9}{'share':>8}"]
    for label, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        lines.append(f"{label:<52}{seconds * 1000:>9.1f}{seconds / max(wall_s, 1e-9):>8.1%}")
    lines.append("top operators by self CPU time:")
    for name, seconds in sorted(ops.items(), key=lambda kv: -kv[1])[:15]:
        lines.append(f"  {name:<50}{seconds * 1000:>9.1f} ms")
    return "\n".join(lines)


class ProfileOneStep(TrainerCallback):
    def __init__(self, step: int):
        self.step, self.report, self.prof, self.started = step, None, None, 0.0

    def on_step_begin(self, args, state, control, **kwargs):
        if state.global_step == self.step - 1:
            self.prof = profile(activities=[ProfilerActivity.CPU], record_shapes=True)
            self.prof.__enter__()
            self.started = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        if self.prof is not None and self.report is None:
            wall = time.perf_counter() - self.started
            self.prof.__exit__(None, None, None)
            self.report = (self.prof, wall)
            control.should_training_stop = True


def profile_train(args) -> str:
    from budgetai.core.records import write_records
    from budgetai.train import recipe as recipe_module
    from budgetai.train.recipe import LoRAFinetuneRecipe

    workdir = Path(tempfile.mkdtemp(prefix="profile-train-"))
    data = data_path(args.data, workdir)
    empty_val = workdir / "empty_val.parquet"
    write_records([], empty_val)
    cfg = {"quantization": args.quantization, "compute_dtype": "auto", "packing": True, "batch_size": 4,
           "max_length": 384, "max_steps": 4, "warmup_steps": 0, "save_steps": 10_000, "eval_steps": 10_000,
           "early_stopping_patience": 0, "gradient_checkpointing": False, "lora": {"dropout": args.lora_dropout}}
    if args.before:
        recipe_module.hold_frozen_weights_in = lambda model, dtype: 0
    recipe = LoRAFinetuneRecipe(cfg, args.model, data, empty_val, workdir / "out", workdir / "ck")
    recipe.setup()
    features = [recipe.train_data[i] for i in range(4)]
    started = time.perf_counter()
    batch = recipe.collator(features)
    collate_ms = (time.perf_counter() - started) * 1000
    tokens = int(batch["attention_mask"].sum())
    hook = ProfileOneStep(step=3)
    recipe.trainer.add_callback(hook)
    recipe.trainer.train()
    prof, wall = hook.report
    return (breakdown(prof, wall, f"training step (quantization {args.quantization}, lora dropout {args.lora_dropout}, "
                                  f"frozen weights {'float32' if args.before else 'in the compute dtype'}, compute dtype "
                                  f"{recipe.compute_dtype}, 4 x 384 packed, ~{tokens} tokens)")
            + f"\ncollation of one batch (outside the step): {collate_ms:.1f} ms")


@torch.inference_mode()
def profile_decode(args) -> str:
    tokenizer = load_tokenizer(args.model)
    model = load_model(args.model, compute_dtype="auto").eval()
    problems = load_suite(REPO / "resources/functions/functions.jsonl", "multipl-e")[: args.decode_batch]
    tokenizer.padding_side = "left"
    enc = tokenizer([render_prompt(tokenizer, build_messages(p)) for p in problems], return_tensors="pt",
                    padding=True, add_special_tokens=False)
    mask = enc["attention_mask"]
    position = (mask.long().cumsum(-1) - 1).masked_fill(mask == 0, 0)
    cache = DynamicCache(config=model.config)
    logits = model(input_ids=enc["input_ids"], attention_mask=mask, position_ids=position, cache=cache,
                   logits_to_keep=1).logits[:, -1]
    position = position[:, -1:]

    def step():
        nonlocal logits, mask, position
        token = logits.float().argmax(-1, keepdim=True)
        mask = torch.cat([mask, mask.new_ones(len(mask), 1)], dim=1)
        position = position + 1
        logits = model(input_ids=token, attention_mask=mask, position_ids=position, cache=cache).logits[:, -1]

    for _ in range(20):
        step()
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        started = time.perf_counter()
        step()
        wall = time.perf_counter() - started
    return breakdown(prof, wall, f"decode step (batch {args.decode_batch}, {mask.shape[1]} positions, "
                                 f"{model.dtype})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model")
    parser.add_argument("--data")
    parser.add_argument("--what", default="train,decode")
    parser.add_argument("--quantization", default="nf4")
    parser.add_argument("--lora-dropout", type=float, default=0.0)
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--decode-batch", type=int, default=16)
    args = parser.parse_args()
    args.model = model_dir(args.model)
    print(f"torch threads {torch.get_num_threads()}")
    for what in args.what.split(","):
        print((profile_train if what == "train" else profile_decode)(args), flush=True)


if __name__ == "__main__":
    main()
