"""Every knob of the training recipe with its default and its effect, and the knobs that decide
an experiment's examples. Torch-free on purpose: the Snakefile and the config checks read these
at every start (budgetai.config_checks), and importing the recipe itself takes ~10 s.
"""

from __future__ import annotations

DEFAULTS = {
    "quantization": "nf4",  # nf4/fp4: QLoRA 4-bit; int8: 8-bit base; none: plain LoRA
    "compute_dtype": "auto",  # bf16 autocast where the GPU or CPU multiplies bf16 natively, else float32
    "lora": {
        "r": 8,  # higher: more capacity and memory
        "alpha": 16,  # scale = alpha / r (or alpha / sqrt(r) with rslora)
        "dropout": 0.05,
        "target_modules": "all-linear",  # or a list of module names, e.g. [q, k, v, o] for T5
        "bias": "none",
        "use_rslora": False,
        "use_dora": False,
    },
    "max_steps": 40,
    "epochs": 1,  # used only when max_steps is 0
    # A compute budget in useful (non-pad) tokens: max_steps is derived from it (so the schedule
    # spans the budget) and training stops once that many tokens were trained on. None: steps.
    "max_tokens": None,
    "learning_rate": 2.0e-4,
    "lr_scheduler": "cosine",
    "warmup_steps": 4,
    "weight_decay": 0.0,
    "batch_size": 4,
    "grad_accum": 1,
    "max_length": 512,
    # A record longer than max_length becomes several complete examples (budgetai.train.chunking);
    # off: it is cut at max_length and loses its end, as before.
    "chunk_long_records": True,
    # Causal LMs: pack several examples into one sequence of max_length (budgetai.train.packing),
    # so batches hold tokens instead of padding; attention stays within each example.
    "packing": False,
    "max_target_length": 256,  # encoder-decoder targets
    "gradient_checkpointing": True,  # trades ~30% compute for activation memory
    "allocator": "auto",  # tcmalloc/jemalloc when installed (budgetai.train.allocator); or "system"
    "eval_steps": 10,
    "save_steps": 10,
    "save_total_limit": 2,
    "early_stopping_patience": 3,  # evals without val-loss improvement before stopping
    "seed": 42,
    "optimizer": "auto",  # auto: paged_adamw_8bit on a GPU, adamw_torch on CPU
    "sampling": "group_by_length",  # or "random": batches of similar length waste less on padding
    "system_prompt": None,
    "trust_remote_code": False,
    # Where the Trainer reports its logs (HF `report_to`): TensorBoard event files in the
    # checkpoint dir while training (`tensorboard --logdir results/experiments`) and in
    # adapter/tensorboard after; "none" turns it off; wandb/mlflow when installed and configured.
    "report_to": "tensorboard",
    "max_train_rows": None,
    "max_val_rows": 64,
}


def with_defaults(cfg: dict | None) -> dict:
    merged = {**DEFAULTS, **(cfg or {})}
    merged["lora"] = {**DEFAULTS["lora"], **((cfg or {}).get("lora") or {})}
    return merged


# The training-config keys that decide an experiment's examples (budgetai.train.examples): the
# workflow passes only these to the examples rule, so a LoRA or optimizer change does not rebuild
# the examples.
EXAMPLE_KEYS = ("max_length", "max_target_length", "chunk_long_records", "system_prompt", "trust_remote_code")
