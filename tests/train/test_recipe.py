"""The LoRA/QLoRA recipe on tiny models: loss regression, adapter reload, quantization modes,
seq2seq, early stopping with keep-best, length-grouped batching, and resuming after SIGKILL and
SIGTERM (exit code 75) to the same final step and loss as an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from budgetai.core.records import Record, write_records
from budgetai.train.recipe import PREEMPTED_EXIT_CODE, LoRAFinetuneRecipe, run_training
# Registered as a plugin (not imported) so the session fixtures are built once for all modules.

REPO = Path(__file__).resolve().parents[2]

TINY_CFG = {
    "quantization": "none",
    "compute_dtype": "float32",  # the recorded losses; bf16 has its own test and tolerance
    "max_steps": 8,
    "batch_size": 4,
    "learning_rate": 1.0e-2,  # large, so a few steps move the loss of a random tiny model
    "warmup_steps": 0,
    "lr_scheduler": "constant",
    "max_length": 64,
    "eval_steps": 2,
    "save_steps": 2,
    "gradient_checkpointing": False,
    "early_stopping_patience": 0,
    "seed": 7,
}
# Recorded once from this configuration (CPU, float32); a change means the recipe's numerics changed.
# (max_length 64 splits the longer rows into several examples: chunk_long_records is on.)
EXPECTED_LOSSES = [10.84656, 10.681973, 10.594872, 10.540339, 10.469896, 10.485724, 10.478112, 10.322899]
# bf16 autocast rounds every matmul's inputs to 8 mantissa bits: its losses stayed within 6.6e-4
# (relative) of the float32 ones on an AVX512-BF16 CPU; 3e-3 leaves room for other bf16 kernels
# (AMX, emulation on AVX2) and still catches a change the size of one step's progress (~1e-2).
LOSS_TOLERANCE = {"float32": 1e-3, "bfloat16": 3e-3}


def qa_record(i: int, prompt: str, response: str) -> Record:
    return Record(id=f"t:{i}", source="t", kind="qa", prompt=prompt, response=response,
                  language="haskell", url="", license="MIT", group=str(i))


def haskell_rows(n: int, offset: int = 0) -> list[Record]:
    rows = []
    for i in range(offset, offset + n):
        body = "\n".join(f"  | x == {k} = {k * i}" for k in range(i % 4))
        rows.append(qa_record(i, f"Write addN{i}, which adds {i} to every element of a list.",
                              f"addN{i} :: [Int] -> [Int]\naddN{i} = map (+ {i})\n{body}"))
    return rows


@pytest.fixture(scope="module")
def splits(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("splits")
    write_records(haskell_rows(32), root / "train.parquet")
    write_records(haskell_rows(8, offset=100), root / "val.parquet")
    return root / "train.parquet", root / "val.parquet"


def step_losses(metrics_path: Path) -> dict[int, float]:
    """Train loss per step; a resumed run logs replayed steps again, the last entry wins."""
    rows = [json.loads(line) for line in metrics_path.read_text().splitlines()]
    return {r["step"]: r["loss"] for r in rows if "loss" in r}


def probe_logits(model, tokenizer) -> torch.Tensor:
    enc = tokenizer(["addN3 :: [Int] -> [Int]", "map (+ 1) xs"], return_tensors="pt", padding=True)
    model.eval()
    with torch.no_grad():
        return model(**enc).logits.float()


@pytest.fixture(scope="module")
def reference_run(tiny_llama_dir, splits, tmp_path_factory):
    """One uninterrupted run; the logits of the trained model are taken before it is freed."""
    root = tmp_path_factory.mktemp("reference")
    recipe = LoRAFinetuneRecipe(TINY_CFG, tiny_llama_dir, *splits, root / "adapter", root / "checkpoints")
    recipe.setup()
    recipe.train()
    recipe.save()
    logits = probe_logits(recipe.model, recipe.tokenizer)
    recipe.cleanup()
    return {"out": root / "adapter", "logits": logits}


@pytest.mark.slow
@pytest.mark.parametrize("dtype", LOSS_TOLERANCE)
def test_tiny_model_losses_match_the_recorded_values_and_decrease(dtype, reference_run, tiny_llama_dir, splits,
                                                                  tmp_path):
    if dtype == TINY_CFG["compute_dtype"]:
        out = reference_run["out"]
    else:
        run_tiny(tiny_llama_dir, splits, tmp_path, compute_dtype=dtype)
        out = tmp_path / "adapter"
    assert json.loads((out / "training_summary.json").read_text())["compute_dtype"] == dtype
    losses = step_losses(out / "metrics.jsonl")
    assert sorted(losses) == list(range(1, 9))
    values = [losses[s] for s in range(1, 9)]
    assert values[-1] < values[0] - 0.2
    assert sum(values[-3:]) < sum(values[:3])
    assert values == pytest.approx(EXPECTED_LOSSES, rel=LOSS_TOLERANCE[dtype])


@pytest.mark.slow
def test_summary_reports_trainable_parameters_tokens_and_outputs(reference_run):
    out = reference_run["out"]
    summary = json.loads((out / "training_summary.json").read_text())
    # all-linear, r=8, hidden 64 / kv 32 / ffn 128, 2 layers: 2 * 8 * (128+96+96+128+192+192+192) = 16384
    assert summary["trainable_params"] == 16384
    assert summary["share"] == pytest.approx(16384 / summary["all_params"])
    assert summary["full_precision_layers"] == 0 and summary["compute_dtype"] == "float32"
    assert summary["global_step"] == 8 and not summary["early_stopped"]
    assert summary["completion_logits_only"] is True  # a causal LM: logits at completion positions only
    assert summary["useful_tokens_seen"] > 0 and summary["useful_tokens_per_s"] > 0
    # achieved FLOP/s beside this machine's float32 matmul FLOP/s, measured in the same run
    assert summary["achieved_gflops"] > 0 and summary["matmul_gflops"] > 0
    assert summary["share_of_matmul"] == pytest.approx(summary["achieved_gflops"] / summary["matmul_gflops"], abs=1e-3)
    assert 0 < summary["train_labelled_share"] < 1  # prompts are not labelled
    for name in ("adapter_model.safetensors", "adapter_config.json", "metrics.jsonl", "loss_curve.png"):
        assert (out / name).exists(), name


@pytest.mark.slow
def test_saved_adapter_reloads_with_the_same_logits(reference_run, tiny_llama_dir):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = AutoModelForCausalLM.from_pretrained(tiny_llama_dir, dtype=torch.float32)
    reloaded = PeftModel.from_pretrained(base, reference_run["out"])
    logits = probe_logits(reloaded, AutoTokenizer.from_pretrained(reference_run["out"]))
    torch.testing.assert_close(logits, reference_run["logits"], rtol=1e-5, atol=1e-5)
    plain = probe_logits(AutoModelForCausalLM.from_pretrained(tiny_llama_dir), AutoTokenizer.from_pretrained(tiny_llama_dir))
    assert not torch.allclose(plain, logits, atol=1e-3)  # the adapter changed the model


def test_tensorboard_events_of_every_step_are_written_beside_the_adapter(reference_run):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = sorted((reference_run["out"] / "tensorboard").glob("events.out.tfevents.*"))
    assert events
    accumulator = EventAccumulator(str(events[0].parent)).Reload()
    losses = accumulator.Scalars("train/loss")
    assert [e.step for e in losses] == list(range(1, TINY_CFG["max_steps"] + 1))
    assert losses[0].value == pytest.approx(EXPECTED_LOSSES[0], rel=1e-3)
    assert "eval/loss" in accumulator.Tags()["scalars"]


def test_report_to_none_writes_no_events(tiny_llama_dir, splits, tmp_path):
    run_tiny(tiny_llama_dir, splits, tmp_path, report_to="none", max_steps=1, eval_steps=1, save_steps=1)
    assert not (tmp_path / "adapter" / "tensorboard").exists()
    assert not (tmp_path / "checkpoints" / "tensorboard").exists()


def run_tiny(model_dir, splits, root: Path, **overrides):
    """A short run; returns (summary, metrics rows)."""
    cfg = {**TINY_CFG, **overrides}
    run_training(cfg, model_dir, *splits, root / "adapter", root / "checkpoints")
    summary = json.loads((root / "adapter" / "training_summary.json").read_text())
    rows = [json.loads(line) for line in (root / "adapter" / "metrics.jsonl").read_text().splitlines()]
    return summary, rows


@pytest.mark.slow
@pytest.mark.parametrize("quantization", ["nf4", "int8"])
def test_quantized_bases_train_and_report_trainable_share(quantization, tiny_llama_dir, splits, tmp_path):
    from peft import PeftModel

    summary, rows = run_tiny(tiny_llama_dir, splits, tmp_path, quantization=quantization, max_steps=3,
                             save_steps=3, eval_steps=3)
    assert summary["trainable_params"] == 16384  # LoRA on the same linear layers as plain LoRA
    assert summary["share"] == pytest.approx(16384 / summary["all_params"])
    assert summary["full_precision_layers"] == 0
    losses = [r["loss"] for r in rows if "loss" in r]
    assert len(losses) == 3 and all(0 < loss < 20 for loss in losses)
    from budgetai.model.load import load_model

    model = load_model(tiny_llama_dir, quantization, adapter_dir=tmp_path / "adapter")
    assert isinstance(model, PeftModel)
    linear = model.base_model.model.model.layers[0].self_attn.q_proj.base_layer
    assert type(linear).__name__ == {"nf4": "Linear4bit", "int8": "Linear8bitLt"}[quantization]


@pytest.mark.slow
def test_bf16_qlora_holds_the_frozen_weights_in_bf16_and_trains_lora_in_float32(tiny_llama_dir, splits, tmp_path):
    # peft's kbit preparation upcasts embeddings, LM head and norms to float32, which autocast then
    # recast to bf16 in every step (12% of a profiled step): the recipe casts them back.
    cfg = {**TINY_CFG, "quantization": "nf4", "compute_dtype": "bfloat16", "max_steps": 6, "eval_steps": 6,
           "save_steps": 6}
    recipe = LoRAFinetuneRecipe(cfg, tiny_llama_dir, *splits, tmp_path / "adapter", tmp_path / "checkpoints")
    recipe.setup()
    frozen = {p.dtype for p in recipe.model.parameters() if not p.requires_grad and p.dtype.is_floating_point}
    assert frozen == {torch.bfloat16}
    assert {p.dtype for p in recipe.model.parameters() if p.requires_grad} == {torch.float32}
    recipe.train()
    recipe.save()
    losses = step_losses(tmp_path / "adapter" / "metrics.jsonl")
    assert losses[6] < losses[1] - 0.1


@pytest.mark.slow
def test_a_token_budget_sets_the_steps_and_stops_training_once_spent(tiny_llama_dir, splits, tmp_path):
    summary, rows = run_tiny(tiny_llama_dir, splits, tmp_path, max_tokens=600, max_steps=1000, eval_steps=1000,
                             save_steps=1000)
    per_step = summary["useful_tokens_seen"] / summary["global_step"]
    assert summary["max_steps"] < 1000  # derived from the budget, not the configured steps
    assert summary["stopped_by_token_budget"] and not summary["early_stopped"]
    assert 600 <= summary["useful_tokens_seen"] < 600 + 2 * per_step
    assert (tmp_path / "adapter" / "adapter_model.safetensors").exists()


@pytest.mark.slow
def test_packing_trains_on_fewer_fuller_sequences(tiny_llama_dir, splits, tmp_path):
    summary, rows = run_tiny(tiny_llama_dir, splits, tmp_path, packing=True, max_length=512, max_steps=2,
                             save_steps=2, eval_steps=2)
    assert summary["train_examples"] == 32
    assert summary["train_sequences"] < summary["train_examples"] / 2  # short rows: several per sequence
    assert summary["train_sequence_fill"] > 0.7
    assert summary["useful_tokens_seen"] > 0
    assert all(0 < r["loss"] < 20 for r in rows if "loss" in r)


@pytest.mark.slow
def test_a_narrow_layer_stays_in_full_precision_and_is_counted_in_the_summary(narrow_llama_dir, splits, tmp_path):
    summary, rows = run_tiny(narrow_llama_dir, splits, tmp_path, quantization="nf4", max_steps=2, save_steps=2,
                             eval_steps=2)
    assert summary["full_precision_layers"] == 2  # down_proj (96 inputs) of both layers
    assert summary["full_precision_layer_names"] == [f"model.layers.{i}.mlp.down_proj" for i in range(2)]
    assert all(0 < r["loss"] < 20 for r in rows if "loss" in r)


def lora_gradients(model, batch) -> dict[str, torch.Tensor]:
    model.train()
    model.zero_grad()
    model(**batch).loss.backward()
    return {name: p.grad.clone() for name, p in model.named_parameters() if "lora_B" in name}


@pytest.mark.slow
def test_qlora_weights_keep_their_gradients_after_an_evaluation(tiny_llama_dir, splits, tmp_path):
    """The Trainer's evaluation runs the model in eval mode without grad, which makes bitsandbytes
    repack 4-bit weights for a CPU kernel that passes no gradient back (on AVX512-BF16 CPUs)."""
    cfg = {**TINY_CFG, "quantization": "nf4", "lora": {"dropout": 0.0}}
    recipe = LoRAFinetuneRecipe(cfg, tiny_llama_dir, *splits, tmp_path / "adapter", tmp_path / "checkpoints")
    recipe.setup()
    batch = recipe.collator([recipe.train_data[i] for i in range(4)])
    before = lora_gradients(recipe.model, batch)
    recipe.trainer.evaluate()
    after = lora_gradients(recipe.model, batch)
    recipe.cleanup()
    assert before.keys() == after.keys() and len(before) == 14  # 7 projections x 2 layers
    for name in before:
        assert before[name].abs().sum() > 0, name
        torch.testing.assert_close(after[name], before[name], msg=name)


@pytest.mark.slow
def test_early_stopping_keeps_the_best_checkpoint(tiny_llama_dir, tmp_path):
    # Val answers contradict the train answers, so val loss rises once the model learns the train set.
    train = [qa_record(i, f"What is {i} + {i}?", f"It is {2 * i}.") for i in range(16)]
    val = [qa_record(100 + i, f"What is {i} + {i}?", "Nobody knows: ask again tomorrow.") for i in range(4)]
    write_records(train, tmp_path / "train.parquet")
    write_records(val, tmp_path / "val.parquet")
    summary, rows = run_tiny(tiny_llama_dir, (tmp_path / "train.parquet", tmp_path / "val.parquet"), tmp_path,
                             max_steps=40, early_stopping_patience=2, learning_rate=3e-2)
    evals = {r["step"]: r["eval_loss"] for r in rows if "eval_loss" in r}
    best_step = min(evals, key=evals.get)
    assert summary["early_stopped"] and summary["global_step"] < 40
    assert summary["global_step"] == best_step + 2 * TINY_CFG["eval_steps"]  # patience 2
    assert summary["best_eval_loss"] == pytest.approx(evals[best_step])
    assert evals[summary["global_step"]] > evals[best_step]
    best = load_file(tmp_path / "checkpoints" / f"checkpoint-{best_step}" / "adapter_model.safetensors")
    saved = load_file(tmp_path / "adapter" / "adapter_model.safetensors")
    last = load_file(tmp_path / "checkpoints" / f"checkpoint-{summary['global_step']}" / "adapter_model.safetensors")
    assert best.keys() == saved.keys()
    for key in best:
        torch.testing.assert_close(saved[key], best[key])
    assert any(not torch.equal(saved[key], last[key]) for key in saved)


def padding_share(recipe: LoRAFinetuneRecipe) -> float:
    """Share of pad positions over one epoch of the recipe's own training dataloader."""
    real = total = 0
    for batch in recipe.trainer.get_train_dataloader():
        real += int(batch["attention_mask"].sum())
        total += batch["attention_mask"].numel()
    return 1 - real / total


def test_length_grouped_batches_waste_less_padding_than_random_order(tiny_llama_dir, tmp_path):
    # Skewed lengths: most answers are one line, every fifth is long.
    rows = [qa_record(i, f"Question {i}?", "x = 1" if i % 5 else "\n".join(f"f{k} = {k}" for k in range(40)))
            for i in range(64)]
    write_records(rows, tmp_path / "train.parquet")
    write_records([], tmp_path / "val.parquet")
    shares = {}
    for sampling in ("group_by_length", "random"):
        recipe = LoRAFinetuneRecipe({**TINY_CFG, "sampling": sampling, "max_length": 512}, tiny_llama_dir,
                                    tmp_path / "train.parquet", tmp_path / "val.parquet", tmp_path / sampling,
                                    tmp_path / f"{sampling}-checkpoints")
        recipe.setup()
        shares[sampling] = padding_share(recipe)
        recipe.cleanup()
    assert LoRAFinetuneRecipe({}, "m", "t", "v", "o", "c").cfg["sampling"] == "group_by_length"
    assert shares["group_by_length"] < 0.5 * shares["random"], shares


def tiny_t5_dir(root: Path, texts: list[str]) -> Path:
    """A random 2-layer T5 with a word-level tokenizer trained on `texts` (no network)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    words = Tokenizer(models.WordLevel(unk_token="<unk>"))
    words.pre_tokenizer = pre_tokenizers.Whitespace()
    words.train_from_iterator(texts, trainers.WordLevelTrainer(special_tokens=["<pad>", "</s>", "<unk>"]))
    words.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", 1)])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=words, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")
    config = T5Config(vocab_size=len(tokenizer), d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
                      pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    torch.manual_seed(0)
    T5ForConditionalGeneration(config).save_pretrained(root, safe_serialization=True)
    tokenizer.save_pretrained(root)
    return root


@pytest.mark.slow
def test_seq2seq_t5_trains_through_the_same_recipe(tmp_path):
    rows = haskell_rows(16)
    model_dir = tiny_t5_dir(tmp_path / "t5", [t for r in rows for t in (r.prompt, r.response)])
    write_records(rows[:12], tmp_path / "train.parquet")
    write_records(rows[12:], tmp_path / "val.parquet")
    lora = {"r": 4, "alpha": 32, "dropout": 0.01, "target_modules": ["q", "k", "v", "o"]}  # seed 002's
    summary, rows = run_tiny(model_dir, (tmp_path / "train.parquet", tmp_path / "val.parquet"), tmp_path,
                             lora=lora, max_steps=6, learning_rate=3e-2)
    # q/k/v/o 32->32 at r=4: 256 each; 2 encoder self-attn + 2 decoder (self + cross) = 24 modules
    assert summary["trainable_params"] == 24 * 256
    assert summary["completion_logits_only"] is False  # seq2seq labels are the decoder's own
    adapter = json.loads((tmp_path / "adapter" / "adapter_config.json").read_text())
    assert adapter["task_type"] == "SEQ_2_SEQ_LM" and set(adapter["target_modules"]) == {"q", "k", "v", "o"}
    losses = [r["loss"] for r in rows if "loss" in r]
    assert losses[-1] < losses[0]
    assert summary["best_eval_loss"] is not None


# The training job as the workflow runs it (workflow/scripts/train.py), with a pause after each
# step so the test can signal it mid-run; prints nothing, exits 75 when preempted.
TRAIN_SCRIPT = """
import json, sys, time
from transformers import TrainerCallback
from budgetai.train.recipe import PREEMPTED_EXIT_CODE, LoRAFinetuneRecipe, Preempted

class PauseAfterEachStep(TrainerCallback):
    def on_step_end(self, args, state, control, **kwargs):
        time.sleep(float(sys.argv[2]))

recipe = LoRAFinetuneRecipe(json.loads(sys.argv[1]), *sys.argv[3:8])
recipe.setup()
recipe.trainer.add_callback(PauseAfterEachStep())
try:
    recipe.train()
except Preempted:
    sys.exit(PREEMPTED_EXIT_CODE)
recipe.save()
recipe.cleanup()
"""


def start_training(model_dir, splits, root: Path, pause_s: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [json.dumps(TINY_CFG), str(pause_s), str(model_dir), *map(str, splits), str(root / "adapter"),
            str(root / "checkpoints")]
    return subprocess.Popen([sys.executable, "-c", TRAIN_SCRIPT, *args], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, process: subprocess.Popen, timeout_s: float = 300) -> None:
    deadline = time.time() + timeout_s
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"training exited ({process.returncode}) before {path} appeared:\n{process.stderr.read()[-3000:]}")
        if time.time() > deadline:
            process.kill()
            pytest.fail(f"{path} did not appear within {timeout_s}s")
        time.sleep(0.1)


def assert_resumed_like_reference(root: Path, reference_run, tiny_llama_dir, splits, rel: float) -> None:
    """Rerun to completion; the final step and loss equal the uninterrupted run's."""
    summary, _ = run_tiny(tiny_llama_dir, splits, root)
    assert summary["global_step"] == TINY_CFG["max_steps"]
    resumed, reference = step_losses(root / "adapter" / "metrics.jsonl"), step_losses(reference_run["out"] / "metrics.jsonl")
    assert sorted(resumed) == sorted(reference)
    assert resumed[8] == pytest.approx(reference[8], rel=rel)
    assert list(resumed.values()) == pytest.approx(list(reference.values()), rel=rel)


@pytest.mark.slow
def test_sigkill_after_a_checkpoint_then_rerun_continues_to_the_same_result(reference_run, tiny_llama_dir, splits,
                                                                            tmp_path):
    process = start_training(tiny_llama_dir, splits, tmp_path, pause_s=1.0)
    wait_for(tmp_path / "checkpoints" / "checkpoint-2" / "trainer_state.json", process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert not (tmp_path / "adapter" / "adapter_model.safetensors").exists()
    assert not (tmp_path / "checkpoints" / "checkpoint-8").exists()
    # A step-boundary checkpoint holds the RNG and data position: the rerun replays exactly.
    assert_resumed_like_reference(tmp_path, reference_run, tiny_llama_dir, splits, rel=1e-4)


@pytest.mark.slow
def test_sigterm_saves_a_checkpoint_exits_75_and_rerun_continues(reference_run, tiny_llama_dir, splits, tmp_path):
    process = start_training(tiny_llama_dir, splits, tmp_path, pause_s=1.0)
    wait_for(tmp_path / "checkpoints" / "checkpoint-2" / "trainer_state.json", process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=120) == PREEMPTED_EXIT_CODE
    checkpoints = sorted(int(p.name.split("-")[1]) for p in (tmp_path / "checkpoints").glob("checkpoint-*"))
    stopped_at = checkpoints[-1]
    assert 2 <= stopped_at < TINY_CFG["max_steps"]
    assert (tmp_path / "checkpoints" / f"checkpoint-{stopped_at}" / "trainer_state.json").exists()
    assert not (tmp_path / "adapter" / "adapter_model.safetensors").exists()
    # The signal's checkpoint is taken at a step boundary, like a scheduled one: the rerun replays exactly.
    assert_resumed_like_reference(tmp_path, reference_run, tiny_llama_dir, splits, rel=1e-4)


def test_incomplete_checkpoints_are_skipped_on_resume(tmp_path):
    recipe = LoRAFinetuneRecipe({}, "m", "t", "v", tmp_path / "out", tmp_path / "checkpoints")
    for step, files in ((2, ["trainer_state.json"]), (4, ["trainer_state.json", "checkpoint-is-incomplete.txt"]),
                        (6, ["adapter_model.safetensors"])):
        (tmp_path / "checkpoints" / f"checkpoint-{step}").mkdir(parents=True)
        for name in files:
            (tmp_path / "checkpoints" / f"checkpoint-{step}" / name).write_text("{}")
    assert recipe._last_complete_checkpoint() == tmp_path / "checkpoints" / "checkpoint-2"
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == ["checkpoint-2"]
