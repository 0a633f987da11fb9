"""The recipe's loss pieces on a GPU, on a random-init Llama: completion-only logits, packing, QLoRA.

    python bench/gpu_packing_check.py [--cpu]  # bench/gpu_check.sh runs it on a lent GPU machine

Checks, each printed with its numbers and PASS/FAIL (exit status 1 on any FAIL):
1. completion-only logits (examples.tokenize.completion_positions: the LM head only at labelled
   positions) give the loss of full logits;
2. packed sequences (train.packing: several examples in one row, restarting position ids, the
   attention mask dropped) give the loss of the same examples padded one per row: attention does
   not cross examples;
3. QLoRA: the model saved and loaded 4-bit NF4 through model.load, LoRA on all linear layers,
   5 AdamW steps on the packed batch in bf16 autocast lower the loss.
Needs torch, transformers, peft and bitsandbytes; no network, no data files. tree-sitter (which
only the Haskell chunking of long records uses, not exercised here) may be missing on such a
machine: a stand-in module lets budgetai.examples import. --cpu runs the same checks on the CPU
(to try the script where there is no GPU).
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import types

import torch

for name in ("tree_sitter", "tree_sitter_haskell"):
    if importlib.util.find_spec(name) is None:
        sys.modules[name] = types.ModuleType(name)

from budgetai.examples.tokenize import IGNORE_INDEX, PaddingCollator  # noqa: E402
from budgetai.train.packing import isolate_packed_examples, pack_examples  # noqa: E402

VOCAB, MAX_LENGTH = 32000, 256
TOLERANCE = 2e-3  # relative; bf16 autocast moved these losses by ~3e-5 on a CPU


def random_llama(device):
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(vocab_size=VOCAB, hidden_size=256, intermediate_size=512, num_hidden_layers=4,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                         attn_implementation="sdpa", initializer_range=0.2)  # wide enough that context matters
    torch.manual_seed(0)
    return LlamaForCausalLM(config).to(device)


def examples(n: int) -> list[dict]:
    generator = torch.Generator().manual_seed(1)
    out = []
    for _ in range(n):
        prompt, response = (int(x) for x in torch.randint(8, 60, (2,), generator=generator))
        ids = torch.randint(3, VOCAB, (prompt + response,), generator=generator).tolist()
        out.append({"input_ids": ids, "labels": [IGNORE_INDEX] * prompt + ids[prompt:]})
    return out


def mean_loss(model, batch: dict) -> float:
    batch = {k: v.to(model.device) for k, v in batch.items()}
    with torch.no_grad(), torch.autocast(model.device.type, dtype=torch.bfloat16):
        return float(model(**batch).loss)


def check(name: str, got: float, expected: float, tolerance: float) -> bool:
    ok = abs(got - expected) <= tolerance * abs(expected)
    print(f"{name}: {got:.5f} vs {expected:.5f} (relative tolerance {tolerance}): {'PASS' if ok else 'FAIL'}", flush=True)
    return ok


def main() -> int:
    if not torch.cuda.is_available() and "--cpu" not in sys.argv:
        print("gpu_packing_check: no CUDA GPU visible (--cpu runs the checks on the CPU)", file=sys.stderr)
        return 2
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = random_llama(device).eval()
    rows = examples(8)
    padded = PaddingCollator(pad_token_id=0)(rows)
    selected = PaddingCollator(pad_token_id=0, completion_logits_only=True)(rows)
    full = mean_loss(model, padded)
    results = [check("1 completion-only logits vs full logits", mean_loss(model, selected), full, TOLERANCE)]
    packed_rows = pack_examples(rows, MAX_LENGTH)
    packed = PaddingCollator(pad_token_id=0, completion_logits_only=True)(
        [{k: r[k] for k in ("input_ids", "labels", "position_ids")} for r in packed_rows])
    print(f"packed {len(rows)} examples into {len(packed_rows)} rows of <= {MAX_LENGTH} tokens")
    # The control: packed rows with their attention mask kept attend across examples.
    crossing = mean_loss(model, packed)
    handle = isolate_packed_examples(model)
    results.append(check("2 packed vs one example per row", mean_loss(model, packed), full, TOLERANCE))
    handle.remove()
    sensitive = abs(crossing - full) > 2 * TOLERANCE * abs(full)
    print(f"2 control, packed rows that attend across examples: {crossing:.5f} (must differ by more than twice the "
          f"tolerance, so check 2 can fail): {'PASS' if sensitive else 'FAIL'}")
    results.append(sensitive)
    results.append(qlora_steps(model, packed))
    print("gpu_packing_check:", "all PASS" if all(results) else "FAIL")
    return 0 if all(results) else 1


def qlora_steps(model, packed: dict) -> bool:
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    from budgetai.model.load import load_model

    with tempfile.TemporaryDirectory() as directory:
        model.save_pretrained(directory)
        quantized = load_model(directory, "nf4", "bfloat16")
    quantized = prepare_model_for_kbit_training(quantized, use_gradient_checkpointing=True,
                                                gradient_checkpointing_kwargs={"use_reentrant": False})
    quantized = get_peft_model(quantized, LoraConfig(r=8, lora_alpha=16, target_modules="all-linear",
                                                     task_type="CAUSAL_LM"))
    isolate_packed_examples(quantized)
    optimizer = torch.optim.AdamW([p for p in quantized.parameters() if p.requires_grad], lr=1e-3)
    batch = {k: v.to(quantized.device) for k, v in packed.items()}
    losses = []
    quantized.train()
    for _ in range(5):
        with torch.autocast(quantized.device.type, dtype=torch.bfloat16):
            loss = quantized(**batch).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(float(loss))
    ok = losses[-1] < losses[0]
    print(f"3 QLoRA nf4 on the packed batch, losses {[round(x, 4) for x in losses]}: {'PASS' if ok else 'FAIL'}"
          + (f"; peak GPU memory {torch.cuda.max_memory_allocated() / 2**20:.0f} MiB" if torch.cuda.is_available() else ""))
    return ok


if __name__ == "__main__":
    sys.exit(main())
