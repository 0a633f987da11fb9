"""Every knob of the training recipe with its default and its effect, and the knobs that decide
an experiment's examples. Torch-free on purpose: the Snakefile and the config checks read these
at every start (budgetai.core.config.checks), and importing the recipe itself takes ~10 s.
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
    # A record longer than max_length becomes several complete examples (budgetai.examples.chunking);
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
    "early_stopping_patience": 3,  # evals without improvement (by select_checkpoint's order) before stopping
    # Which checkpoint becomes the adapter: val_loss (the lowest), or the highest rate of a rung of
    # the evaluation ladder on a small problem set scored at each evaluation (parse_rate,
    # compile_rate, pass@1; ties: lower val loss, then the earlier step). Not val_loss needs
    # eval_steps == save_steps, so every scored evaluation is a checkpoint (budgetai.train.checkpoint_selection).
    "select_checkpoint": "val_loss",
    "checkpoint_scoring": {
        # null: the val split's Haskell problem_solution / instruction rows whose answer is code
        # (those with sample tests first); or {path, format: stdio | multipl-e}: a suite file.
        "suite": None,
        "problems": 8,  # small: every evaluation generates and compiles this many answers
        "max_new_tokens": 256,  # a whole function or short program; a cut one fails to parse
        "execution": None,  # evaluate's ExecutionConfig keys; null: its defaults (the workflow passes evaluation.execution)
    },
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


# select_checkpoint's values: val loss, or a rung of the evaluation ladder (budgetai.evaluate.ladder).
SELECTION_METRICS = ("val_loss", "parse_rate", "compile_rate", "pass@1")


def with_defaults(cfg: dict | None) -> dict:
    merged = {**DEFAULTS, **(cfg or {})}
    for block in ("lora", "checkpoint_scoring"):
        merged[block] = {**DEFAULTS[block], **((cfg or {}).get(block) or {})}
    return merged


# The training-config keys that decide an experiment's examples (budgetai.examples.stage): the
# workflow passes only these to the examples rule, so a LoRA or optimizer change does not rebuild
# the examples.
EXAMPLE_KEYS = ("max_length", "max_target_length", "chunk_long_records", "system_prompt", "trust_remote_code")
