"""The LoRA / QLoRA fine-tuning recipe, in the torchtune shape: setup -> train -> save -> cleanup.

    recipe = LoRAFinetuneRecipe(cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir)
    recipe.setup(); recipe.train(); recipe.save(); recipe.cleanup()

Built on the transformers Trainer + peft + bitsandbytes (no hand-written loop). Resumable: rerunning
with the same checkpoint_dir continues from the last complete checkpoint (optimizer, scheduler, RNG
and data position are in it). SIGTERM/SIGUSR1 (what SLURM sends before a time limit or preemption)
save a checkpoint and stop; `train` then raises Preempted so the job exits with PREEMPTED_EXIT_CODE
and SLURM/Snakemake can requeue it.
"""

from __future__ import annotations

import json
import logging
import math
import resource
import signal
import time
from pathlib import Path

import pyarrow.parquet as pq
import torch
from datasets import Dataset
from transformers import EarlyStoppingCallback, Trainer, TrainerCallback, TrainingArguments, set_seed
from transformers.trainer_utils import get_last_checkpoint

from budgetai.model.load import is_encoder_decoder, load_model, load_tokenizer
from budgetai.stats import write_json
from budgetai.train.data import PaddingCollator, tokenize_records

log = logging.getLogger(__name__)

PREEMPTED_EXIT_CODE = 75  # EX_TEMPFAIL: "try again", the job was stopped, not broken

DEFAULTS = {
    "quantization": "nf4",  # nf4/fp4: QLoRA 4-bit; int8: 8-bit base; none: plain LoRA
    "compute_dtype": "float32",  # bfloat16 on GPUs that have it
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
    "learning_rate": 2.0e-4,
    "lr_scheduler": "cosine",
    "warmup_steps": 4,
    "weight_decay": 0.0,
    "batch_size": 4,
    "grad_accum": 1,
    "max_length": 512,
    "max_target_length": 256,  # encoder-decoder targets
    "gradient_checkpointing": True,  # trades ~30% compute for activation memory
    "eval_steps": 10,
    "save_steps": 10,
    "save_total_limit": 2,
    "early_stopping_patience": 3,  # evals without val-loss improvement before stopping
    "seed": 42,
    "optimizer": "auto",  # auto: paged_adamw_8bit on a GPU, adamw_torch on CPU
    "sampling": "group_by_length",  # or "random": batches of similar length waste less on padding
    "system_prompt": None,
    "trust_remote_code": False,
    "max_train_rows": None,
    "max_val_rows": 64,
}


def with_defaults(cfg: dict | None) -> dict:
    merged = {**DEFAULTS, **(cfg or {})}
    merged["lora"] = {**DEFAULTS["lora"], **((cfg or {}).get("lora") or {})}
    return merged


class Preempted(RuntimeError):
    """Training stopped on a signal after saving a checkpoint; rerun to resume."""


class LoRAFinetuneRecipe:
    def __init__(self, cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir):
        self.cfg = with_defaults(cfg)
        self.model_dir = Path(model_dir)
        self.train_path, self.val_path = Path(train_path), Path(val_path)
        self.out_dir, self.checkpoint_dir = Path(out_dir), Path(checkpoint_dir)
        self.signal_received: int | None = None

    # --- setup -------------------------------------------------------------------------------
    def setup(self) -> None:
        set_seed(self.cfg["seed"])
        self.encoder_decoder = is_encoder_decoder(self.model_dir, self.cfg["trust_remote_code"])
        self.tokenizer = load_tokenizer(self.model_dir, self.cfg["trust_remote_code"])
        self.model = self._setup_model()
        self.train_data, self.val_data, self.data_stats = self._setup_data()
        self.collator = PaddingCollator(pad_token_id=self.tokenizer.pad_token_id)
        self.trainer = self._setup_trainer()

    def _setup_model(self):
        from peft import LoraConfig, TaskType, get_peft_model, prepare_model_for_kbit_training

        cfg = self.cfg
        model = load_model(
            self.model_dir, cfg["quantization"], cfg["compute_dtype"], trust_remote_code=cfg["trust_remote_code"]
        )
        if cfg["quantization"] != "none":
            model = prepare_model_for_kbit_training(
                model, use_gradient_checkpointing=cfg["gradient_checkpointing"]
            )
        elif cfg["gradient_checkpointing"]:
            model.gradient_checkpointing_enable()
            model.enable_input_require_grads()
        lora = cfg["lora"]
        peft_config = LoraConfig(
            r=lora["r"],
            lora_alpha=lora["alpha"],
            lora_dropout=lora["dropout"],
            target_modules=lora["target_modules"],
            bias=lora["bias"],
            use_rslora=lora["use_rslora"],
            use_dora=lora["use_dora"],
            task_type=TaskType.SEQ_2_SEQ_LM if self.encoder_decoder else TaskType.CAUSAL_LM,
        )
        model = get_peft_model(model, peft_config)
        trainable, total = model.get_nb_trainable_parameters()
        self.trainable = {"trainable_params": trainable, "all_params": total, "share": trainable / total}
        log.info("trainable params: %d / %d (%.3f%%)", trainable, total, 100 * trainable / total)
        return model

    def _setup_data(self):
        cfg = self.cfg
        train_rows = pq.read_table(self.train_path).to_pylist()[: cfg["max_train_rows"]]
        val_rows = pq.read_table(self.val_path).to_pylist()[: cfg["max_val_rows"]]
        if not train_rows:
            raise ValueError(f"{self.train_path}: the training split is empty; nothing to train on")
        train = tokenize_records(train_rows, self.tokenizer, cfg, self.encoder_decoder)
        val = tokenize_records(val_rows, self.tokenizer, cfg, self.encoder_decoder)
        stats = {
            "train_rows": len(train_rows),
            "train_examples": len(train.examples),
            "train_truncated": train.truncated,
            "train_dropped_empty": train.dropped_empty,
            "val_examples": len(val.examples),
        }
        log.info("data: %s", stats)
        return Dataset.from_list(train.examples), Dataset.from_list(val.examples) if val.examples else None, stats

    def _setup_trainer(self) -> Trainer:
        cfg = self.cfg
        has_val = self.val_data is not None
        on_gpu = torch.cuda.is_available()
        optimizer = cfg["optimizer"] if cfg["optimizer"] != "auto" else (
            "paged_adamw_8bit" if on_gpu else "adamw_torch"
        )
        args = TrainingArguments(
            output_dir=str(self.checkpoint_dir),
            max_steps=cfg["max_steps"] or -1,
            num_train_epochs=cfg["epochs"],
            learning_rate=cfg["learning_rate"],
            lr_scheduler_type=cfg["lr_scheduler"],
            warmup_steps=cfg["warmup_steps"],
            weight_decay=cfg["weight_decay"],
            per_device_train_batch_size=cfg["batch_size"],
            per_device_eval_batch_size=cfg["batch_size"],
            gradient_accumulation_steps=cfg["grad_accum"],
            gradient_checkpointing=False,  # enabled on the model above, with kbit preparation
            eval_strategy="steps" if has_val else "no",
            eval_steps=cfg["eval_steps"],
            save_strategy="steps",
            save_steps=cfg["save_steps"],
            save_total_limit=cfg["save_total_limit"],
            load_best_model_at_end=has_val,
            metric_for_best_model="eval_loss" if has_val else None,
            greater_is_better=False if has_val else None,
            logging_steps=1,
            seed=cfg["seed"],
            data_seed=cfg["seed"],
            optim=optimizer,
            report_to=[],
            use_cpu=not on_gpu,
            train_sampling_strategy=cfg["sampling"],
            length_column_name="length",
            remove_unused_columns=False,
            enable_jit_checkpoint=True,
            dataloader_num_workers=0,  # the collator counts tokens in this process
            disable_tqdm=False,
        )
        callbacks = [MetricsCallback(self.out_dir / "metrics.jsonl.part", self.collator)]
        if has_val and cfg["early_stopping_patience"]:
            callbacks.append(EarlyStoppingCallback(early_stopping_patience=cfg["early_stopping_patience"]))
        trainer = Trainer(
            model=self.model,
            args=args,
            train_dataset=self.train_data,
            eval_dataset=self.val_data,
            data_collator=self.collator,
            callbacks=callbacks,
        )
        self._chain_signals()
        return trainer

    def _chain_signals(self) -> None:
        """The Trainer's JIT checkpoint handles SIGTERM; SLURM may send SIGUSR1 instead (with
        --signal), so route it to the same handler, and remember that a signal came."""
        jit_handler = signal.getsignal(signal.SIGTERM)

        def handler(signum, frame):
            self.signal_received = signum
            if callable(jit_handler):
                jit_handler(signum, frame)

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGUSR1, handler)

    # --- train -------------------------------------------------------------------------------
    def train(self) -> None:
        last = get_last_checkpoint(str(self.checkpoint_dir)) if self.checkpoint_dir.exists() else None
        if last and (Path(last) / "checkpoint-is-incomplete.txt").exists():
            raise RuntimeError(f"{last}: checkpoint is incomplete (killed while saving); delete it to resume")
        if last:
            log.info("resuming from %s", last)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        started = time.time()
        result = self.trainer.train(resume_from_checkpoint=last)
        self.train_seconds = time.time() - started
        self.train_result = result
        if self.signal_received is not None:
            raise Preempted(
                f"signal {self.signal_received} at step {self.trainer.state.global_step}: checkpoint saved "
                f"in {self.checkpoint_dir}; rerun to resume"
            )

    # --- save --------------------------------------------------------------------------------
    def save(self) -> None:
        """The adapter the Trainer ended with (the best by val loss when there is a val split)."""
        from budgetai.train.plots import plot_loss_curve

        self.model.save_pretrained(self.out_dir, safe_serialization=True)
        self.tokenizer.save_pretrained(self.out_dir)
        state = self.trainer.state
        part = self.out_dir / "metrics.jsonl.part"
        if part.exists():
            part.replace(self.out_dir / "metrics.jsonl")
        plot_loss_curve(self.out_dir / "metrics.jsonl", self.out_dir / "loss_curve.png")
        write_json(
            {
                "global_step": state.global_step,
                "max_steps": state.max_steps,
                "best_eval_loss": state.best_metric,
                "best_checkpoint": state.best_model_checkpoint,
                "train_loss": getattr(self.train_result, "training_loss", None),
                "train_seconds": round(self.train_seconds, 2),
                "early_stopped": state.global_step < state.max_steps,
                **self.trainable,
                **self.data_stats,
                "config": self.cfg,
            },
            self.out_dir / "training_summary.json",
        )

    def cleanup(self) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGUSR1, signal.SIG_DFL)
        del self.trainer, self.model
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


class MetricsCallback(TrainerCallback):
    """One JSON line per logged step: step, loss / eval_loss, lr, useful tokens/s, peak memory."""

    def __init__(self, path: Path, collator: PaddingCollator):
        self.path, self.collator = Path(path), collator
        self.last_time, self.last_tokens = None, 0

    def on_train_begin(self, args, state, control, **kwargs):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.last_time, self.last_tokens = time.time(), self.collator.tokens_seen

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        now, tokens = time.time(), self.collator.tokens_seen
        row = {"step": state.global_step, "epoch": state.epoch}
        for key in ("loss", "eval_loss", "learning_rate", "grad_norm"):
            if key in logs and logs[key] is not None and not (isinstance(logs[key], float) and math.isnan(logs[key])):
                row[key] = float(logs[key])
        if "loss" in logs and self.last_time is not None and now > self.last_time:
            row["tokens_per_s"] = round((tokens - self.last_tokens) / (now - self.last_time), 1)
            self.last_time, self.last_tokens = now, tokens
        row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if torch.cuda.is_available():
            row["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
        with self.path.open("a") as f:
            f.write(json.dumps(row) + "\n")


def run_training(cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir) -> Path:
    recipe = LoRAFinetuneRecipe(cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir)
    recipe.setup()
    recipe.train()
    recipe.save()
    recipe.cleanup()
    return Path(out_dir)
