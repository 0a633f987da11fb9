"""The LoRA / QLoRA fine-tuning recipe, in the torchtune shape: setup -> train -> save -> cleanup.

    recipe = LoRAFinetuneRecipe(cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir)
    recipe.setup(); recipe.train(); recipe.save(); recipe.cleanup()

Built on the transformers Trainer + peft + bitsandbytes (no hand-written loop). Resumable: rerunning
with the same checkpoint_dir continues from the last complete checkpoint (optimizer, scheduler, RNG
and data position are in it). SIGTERM/SIGUSR1 (what SLURM sends before a time limit or preemption)
save a checkpoint and stop; `train` then raises Preempted so the job exits with PREEMPTED_EXIT_CODE
and SLURM/Snakemake can requeue it. A checkpoint is complete once its trainer_state.json is written
(the Trainer writes it last); incomplete ones (killed mid-save) are removed before resuming.

Multi-GPU: launch the same entry point with `accelerate launch` or `torchrun --nproc-per-node N`;
the Trainer wraps the model in DDP and shards batches. Each rank loads its own copy of the base:
4-bit/8-bit weights go to the rank's own GPU (load_model maps them to LOCAL_RANK, not GPU 0),
activation checkpointing is non-reentrant (reentrant checkpointing breaks DDP's gradient hooks on
frozen LoRA bases) and ddp_find_unused_parameters is off. Token counts (useful tokens/s) are
gathered over ranks by the Trainer. batch_size is per GPU: the global batch is batch_size x
grad_accum x N, so divide grad_accum by N to keep a single-GPU run's schedule.
"""

from __future__ import annotations

import json
import logging
import math
import os
import resource
import shutil
import time
from pathlib import Path

import pyarrow.parquet as pq
import torch
from datasets import Dataset
from transformers import EarlyStoppingCallback, Trainer, TrainerCallback, TrainingArguments, set_seed
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR

from budgetai.model.load import (
    full_precision_linear_layers,
    hold_frozen_weights_in,
    is_encoder_decoder,
    keep_four_bit_layers_differentiable,
    load_model,
    load_tokenizer,
)
from budgetai.model.precision import DTYPES, resolve_compute_dtype
from budgetai.core.io import write_json, write_text
from budgetai.train.checkpoint_selection import (SCORES_FILE, SELECTION_METRIC, CheckpointScoresCallback,
                                                 read_scores, selection_summary)
from budgetai.examples.stage import read_examples
from budgetai.examples.tokenize import IGNORE_INDEX, PaddingCollator, computes_selected_logits
from budgetai.core.config.training import with_defaults
from budgetai.train.flops import utilisation
from budgetai.train.packing import isolate_packed_examples, pack_examples
from budgetai.train.plots import plot_checkpoint_scores, plot_loss_curve
from budgetai.train.preemption import PreemptionCallback

log = logging.getLogger(__name__)

PREEMPTED_EXIT_CODE = 75  # EX_TEMPFAIL: "try again", the job was stopped, not broken

class Preempted(RuntimeError):
    """Training stopped on a signal after saving a checkpoint; rerun to resume."""


class LoRAFinetuneRecipe:
    def __init__(self, cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir):
        self.cfg = with_defaults(cfg)
        self.model_dir = Path(model_dir)
        self.train_path, self.val_path = Path(train_path), Path(val_path)
        self.out_dir, self.checkpoint_dir = Path(out_dir), Path(checkpoint_dir)
        self.preemption = PreemptionCallback()

    # --- setup -------------------------------------------------------------------------------
    def setup(self) -> None:
        set_seed(self.cfg["seed"])
        self.compute_dtype = resolve_compute_dtype(self.cfg["compute_dtype"])
        log.info("compute dtype: %s (configured: %s)", self.compute_dtype, self.cfg["compute_dtype"])
        self.encoder_decoder = is_encoder_decoder(self.model_dir, self.cfg["trust_remote_code"])
        self.tokenizer = load_tokenizer(self.model_dir, self.cfg["trust_remote_code"])
        self.model = self._setup_model()
        self.packs = bool(self.cfg["packing"]) and not self.encoder_decoder
        self.train_data, self.val_data, self.data_stats = self._setup_data()
        self.collator = PaddingCollator(pad_token_id=self.tokenizer.pad_token_id,
                                        completion_logits_only=computes_selected_logits(self.model))
        self.trainer = self._setup_trainer()

    def _setup_model(self):
        from peft import LoraConfig, TaskType, get_peft_model, prepare_model_for_kbit_training

        cfg = self.cfg
        model = load_model(
            self.model_dir, cfg["quantization"], self.compute_dtype, trust_remote_code=cfg["trust_remote_code"]
        )
        self.full_precision_layers = full_precision_linear_layers(model) if cfg["quantization"] in ("nf4", "fp4") else []
        keep_four_bit_layers_differentiable(model)
        # Non-reentrant checkpointing: works under DDP and needs no input-grad hook.
        checkpointing = {"use_reentrant": False}
        if cfg["quantization"] != "none":
            model = prepare_model_for_kbit_training(
                model, use_gradient_checkpointing=cfg["gradient_checkpointing"],
                gradient_checkpointing_kwargs=checkpointing,
            )
            if self.compute_dtype == "bfloat16":  # fp16 keeps peft's float32 norms: its range is narrow
                hold_frozen_weights_in(model, DTYPES["bfloat16"])
        elif cfg["gradient_checkpointing"]:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs=checkpointing)
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
        train = read_examples(self.train_path, self.tokenizer, cfg, self.encoder_decoder, cfg["max_train_rows"])
        val = read_examples(self.val_path, self.tokenizer, cfg, self.encoder_decoder, cfg["max_val_rows"])
        train_rows = pq.read_metadata(self.train_path).num_rows
        if not train_rows:
            raise ValueError(f"{self.train_path}: the training split is empty; nothing to train on")
        sequences = train.examples
        if self.packs:
            sequences = pack_examples(train.examples, cfg["max_length"])
            isolate_packed_examples(self.model)
        stats = {
            "train_rows": min(train_rows, cfg["max_train_rows"] or train_rows),
            "train_examples": len(train.examples),
            "train_truncated": train.truncated,
            "train_dropped_empty": train.dropped_empty,
            "train_chunked_records": train.chunked_records,
            "train_split_at_lines": train.split_at_lines,
            "train_response_tokens": train.response_tokens,
            "train_share_in_examples": round(train.share_trained, 4),
            "train_sequences": len(sequences),
            "train_sequence_fill": round(sum(len(e["input_ids"]) for e in sequences)
                                         / (len(sequences) * cfg["max_length"]), 4),
            "val_examples": len(val.examples),
            # positions that predict a label: where completion-only logits are computed
            "train_labelled_share": round(sum(label != IGNORE_INDEX for e in sequences for label in e["labels"][1:])
                                          / max(sum(len(e["input_ids"]) for e in sequences), 1), 4),
        }
        log.info("data: %s", stats)
        return Dataset.from_list(sequences), Dataset.from_list(val.examples) if val.examples else None, stats

    def _setup_trainer(self) -> Trainer:
        cfg = self.cfg
        has_val = self.val_data is not None
        on_gpu = torch.cuda.is_available()
        optimizer = cfg["optimizer"] if cfg["optimizer"] != "auto" else (
            "paged_adamw_8bit" if on_gpu else "adamw_torch"
        )
        self.max_steps = self._steps_for_budget() if cfg["max_tokens"] else cfg["max_steps"]
        by_loss = cfg["select_checkpoint"] == "val_loss"
        # Event files beside the checkpoints, which survive a failed job (Snakemake deletes its
        # output dir) so a resumed run's curves continue; save() copies them next to the adapter.
        # The Trainer's TensorBoard callback reads its directory from this variable only.
        os.environ["TENSORBOARD_LOGGING_DIR"] = str(self.checkpoint_dir / "tensorboard")
        args = TrainingArguments(
            output_dir=str(self.checkpoint_dir),
            max_steps=self.max_steps or -1,
            num_train_epochs=cfg["epochs"],
            learning_rate=cfg["learning_rate"],
            lr_scheduler_type=cfg["lr_scheduler"],
            warmup_steps=cfg["warmup_steps"],
            weight_decay=cfg["weight_decay"],
            per_device_train_batch_size=cfg["batch_size"],
            per_device_eval_batch_size=cfg["batch_size"],
            gradient_accumulation_steps=cfg["grad_accum"],
            gradient_checkpointing=False,  # enabled on the model above, with kbit preparation
            # Autocast: matmuls in the compute dtype, LoRA weights and optimizer state in float32.
            bf16=self.compute_dtype == "bfloat16",
            fp16=self.compute_dtype == "float16",
            eval_strategy="steps" if has_val else "no",
            eval_steps=cfg["eval_steps"],
            save_strategy="steps",
            save_steps=cfg["save_steps"],
            save_total_limit=cfg["save_total_limit"],
            load_best_model_at_end=has_val,
            # The Trainer keeps the best checkpoint by val loss, or by the score that
            # CheckpointScoresCallback puts into the evaluation's metrics.
            metric_for_best_model=("eval_loss" if by_loss else SELECTION_METRIC) if has_val else None,
            greater_is_better=not by_loss if has_val else None,
            logging_steps=1,
            seed=cfg["seed"],
            data_seed=cfg["seed"],
            optim=optimizer,
            report_to=report_targets(cfg["report_to"]),
            use_cpu=not on_gpu,
            train_sampling_strategy=cfg["sampling"],
            length_column_name="length",
            remove_unused_columns=False,
            include_num_input_tokens_seen="non_padding",  # useful tokens, summed over ranks
            ddp_find_unused_parameters=False,  # frozen base weights are expected to get no grads
            enable_jit_checkpoint=False,  # PreemptionCallback: the ranks of a DDP run must stop together
            dataloader_num_workers=0,  # examples are tokenized up front; workers would only add start-up
            disable_tqdm=False,
        )
        # Next to the checkpoints, not in out_dir: Snakemake deletes a failed job's output
        # directory, and a resumed run must keep the metrics of the steps it does not replay.
        self.metrics = MetricsCallback(self.checkpoint_dir / "metrics.jsonl.part")
        self.budget = TokenBudgetCallback(cfg["max_tokens"])
        # Scores are kept beside the checkpoints too, for the same reason as the metrics.
        self.scores = None if by_loss or not has_val else CheckpointScoresCallback.from_config(
            cfg, self.val_path, self.tokenizer, self.checkpoint_dir / f"{SCORES_FILE}.part")
        if not by_loss and not has_val:
            log.warning("select_checkpoint %s: no validation examples, so no evaluation scores a checkpoint; "
                        "the adapter is the last step's", cfg["select_checkpoint"])
        callbacks = [self.metrics, self.budget, self.preemption, *([self.scores] if self.scores else [])]
        if has_val and cfg["early_stopping_patience"]:  # after the scores: it reads their metric
            callbacks.append(EarlyStoppingCallback(early_stopping_patience=cfg["early_stopping_patience"]))
        trainer = Trainer(
            model=self.model,
            args=args,
            train_dataset=self.train_data,
            eval_dataset=self.val_data,
            data_collator=self.collator,
            callbacks=callbacks,
        )
        self.preemption.install(trainer.accelerator)
        return trainer

    def _steps_for_budget(self) -> int:
        """Optimizer steps that train about max_tokens useful tokens: the budget over the mean
        useful tokens of one step (mean sequence length x sequences per step, over all ranks)."""
        cfg = self.cfg
        mean_length = sum(self.train_data["length"]) / len(self.train_data)
        world = int(os.environ.get("WORLD_SIZE", "1"))
        per_step = mean_length * cfg["batch_size"] * cfg["grad_accum"] * world
        steps = max(1, math.ceil(cfg["max_tokens"] / per_step))
        log.info("max_tokens %d: %d steps of ~%.0f useful tokens", cfg["max_tokens"], steps, per_step)
        return steps

    # --- train -------------------------------------------------------------------------------
    def train(self) -> None:
        """Train to max_steps (or until early stopping), resuming from the last complete
        checkpoint. Raises Preempted when a signal stopped training before the end."""
        last = self._last_complete_checkpoint()
        if last is not None:
            log.info("resuming from %s", last)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        if int(os.environ.get("RANK", "0")) == 0:  # one writer: every rank of a DDP run gets here
            for callback in (self.metrics, self.scores):
                if callback is not None:
                    forget_metrics_after(callback.path, checkpoint_step(last) if last else 0)
        started = time.time()
        self.train_result = self.trainer.train(resume_from_checkpoint=str(last) if last else None)
        self.train_seconds = time.time() - started
        state = self.trainer.state
        if self.preemption.stopped and state.global_step < state.max_steps:
            raise Preempted(
                f"{self.preemption.reason()} at step {state.global_step}: checkpoint saved "
                f"in {self.checkpoint_dir}; rerun to resume"
            )

    def _last_complete_checkpoint(self) -> Path | None:
        """The newest checkpoint whose trainer_state.json (written last) exists; newer, incomplete
        ones (the job was killed while saving) are deleted so they cannot be picked up later."""
        if not self.checkpoint_dir.is_dir():
            return None
        checkpoints = sorted(self.checkpoint_dir.glob(f"{PREFIX_CHECKPOINT_DIR}-*"), key=checkpoint_step, reverse=True)
        for path in checkpoints:
            if (path / "trainer_state.json").exists() and not (path / "checkpoint-is-incomplete.txt").exists():
                return path
            log.warning("%s: incomplete checkpoint (killed while saving); removing it", path)
            shutil.rmtree(path, ignore_errors=True)  # under DDP every rank removes it; one wins
        return None

    # --- save --------------------------------------------------------------------------------
    def save(self) -> None:
        """The adapter the Trainer ended with (the best by select_checkpoint when there is a val
        split), metrics.jsonl, loss_curve.png, checkpoint_scores.jsonl and .png when checkpoints
        were scored, and training_summary.json; only the main process writes."""
        if not self.trainer.is_world_process_zero():
            return
        self.model.save_pretrained(self.out_dir, safe_serialization=True)
        self.tokenizer.save_pretrained(self.out_dir)
        state = self.trainer.state
        if self.metrics.path.exists():
            shutil.copyfile(self.metrics.path, self.out_dir / "metrics.jsonl")
        plot_loss_curve(self.out_dir / "metrics.jsonl", self.out_dir / "loss_curve.png")
        selection = self._selection_summary()
        if self.scores is not None and self.scores.path.exists():
            shutil.copyfile(self.scores.path, self.out_dir / SCORES_FILE)
            plot_checkpoint_scores(self.out_dir / SCORES_FILE, self.out_dir / "checkpoint_scores.png",
                                   selection["metric"], selection["selected_step"])
        events = self.checkpoint_dir / "tensorboard"
        if events.is_dir():
            shutil.copytree(events, self.out_dir / "tensorboard", dirs_exist_ok=True)
        write_json(
            {
                "global_step": state.global_step,
                "max_steps": state.max_steps,
                "best_eval_loss": state.best_metric if self.scores is None else selection.get("lowest_val_loss"),
                "best_checkpoint": state.best_model_checkpoint,
                "checkpoint_selection": selection,
                "train_loss": getattr(self.train_result, "training_loss", None),
                "train_seconds": round(self.train_seconds, 2),
                "useful_tokens_seen": state.num_input_tokens_seen,
                "useful_tokens_per_s": round(self.metrics.session_tokens(state) / max(self.train_seconds, 1e-9), 1),
                "early_stopped": state.global_step < state.max_steps and not self.budget.reached,
                "max_tokens": self.cfg["max_tokens"],
                "stopped_by_token_budget": self.budget.reached,
                "completion_logits_only": self.collator.completion_logits_only,
                **self._utilisation(),
                "compute_dtype": self.compute_dtype,
                "full_precision_layers": len(self.full_precision_layers),
                "full_precision_layer_names": self.full_precision_layers,
                **self.trainable,
                **self.data_stats,
                "config": self.cfg,
            },
            self.out_dir / "training_summary.json",
        )

    def _utilisation(self) -> dict:
        """Achieved GFLOP/s of this session's training beside the machine's matmul GFLOP/s in the
        compute dtype, measured now (budgetai.train.flops says what is counted). The seconds are
        train()'s wall time, evaluations included, as for useful_tokens_per_s."""
        tokens = self.metrics.session_tokens(self.trainer.state)
        logit_positions = (round(tokens * self.data_stats["train_labelled_share"])
                           if self.collator.completion_logits_only else tokens)
        device = "cuda" if torch.cuda.is_available() else "cpu"
        return utilisation(self.model, tokens, logit_positions, self.train_seconds, self.compute_dtype, device)

    def _selection_summary(self) -> dict:
        """The checkpoint select_checkpoint chose (from the scores, or from the val losses the
        Trainer logged), and the one the Trainer loaded."""
        state, metric = self.trainer.state, self.cfg["select_checkpoint"]
        if metric == "val_loss":
            rows = [{"step": h["step"], "val_loss": h["eval_loss"]} for h in state.log_history if "eval_loss" in h]
        else:
            rows = read_scores(self.scores.path) if self.scores is not None else []
        return selection_summary(rows, metric, state.best_model_checkpoint)

    def cleanup(self) -> None:
        self.preemption.uninstall()
        del self.trainer, self.model
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def report_targets(report_to) -> list[str]:
    """The Trainer's report_to list from the config's value ("none" -> [])."""
    targets = [report_to] if isinstance(report_to, str) else list(report_to or [])
    return [t for t in targets if t != "none"]


def checkpoint_step(path: str | Path) -> int:
    """The global step in a checkpoint directory's name (checkpoint-120 -> 120)."""
    return int(Path(path).name.rsplit("-", 1)[1])


def forget_metrics_after(path: Path, step: int) -> None:
    """Drop metric rows logged after `step`: a resumed run logs those steps again."""
    if not path.exists():
        return
    rows = [line for line in path.read_text().splitlines() if line.strip() and json.loads(line)["step"] <= step]
    write_text("".join(line + "\n" for line in rows), path)


class TokenBudgetCallback(TrainerCallback):
    """Stops training once max_tokens useful tokens (summed over ranks) have been trained on."""

    def __init__(self, max_tokens: int | None):
        self.max_tokens, self.reached = max_tokens, False

    def on_step_end(self, args, state, control, **kwargs):
        if self.max_tokens and state.num_input_tokens_seen >= self.max_tokens:
            self.reached = True
            control.should_training_stop = True
            control.should_save = True  # the last step's adapter is the result


class MetricsCallback(TrainerCallback):
    """One JSON line per logged step: step, loss / eval_loss, lr, useful (non-pad) tokens/s, peak
    memory. Appends, so a resumed run continues the file (see forget_metrics_after)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.last_time, self.last_tokens, self.first_tokens = None, 0, 0

    def on_train_begin(self, args, state, control, **kwargs):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.last_time, self.last_tokens = time.time(), state.num_input_tokens_seen
        self.first_tokens = state.num_input_tokens_seen

    def session_tokens(self, state) -> int:
        """Useful tokens trained on by this process (a resumed run counts from its checkpoint)."""
        return state.num_input_tokens_seen - self.first_tokens

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero:
            return
        logs = logs or {}
        row = {"step": state.global_step, "epoch": state.epoch}
        for key in ("loss", "eval_loss", "learning_rate", "grad_norm"):
            value = logs.get(key)
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                row[key] = float(value)
        if "loss" in row and self.last_time is not None:
            now, tokens = time.time(), state.num_input_tokens_seen
            row["tokens_per_s"] = round((tokens - self.last_tokens) / max(now - self.last_time, 1e-9), 1)
            self.last_time, self.last_tokens = now, tokens
        row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if torch.cuda.is_available():
            row["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
        with self.path.open("a") as f:
            f.write(json.dumps(row) + "\n")


def run_training(cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir) -> Path:
    """Train an adapter into out_dir (adapter + tokenizer, metrics.jsonl, loss_curve.png,
    training_summary.json), checkpointing to checkpoint_dir. Raises Preempted on SIGTERM/SIGUSR1."""
    recipe = LoRAFinetuneRecipe(cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir)
    recipe.setup()
    recipe.train()
    recipe.save()
    recipe.cleanup()
    return Path(out_dir)
