"""Held-out loss: the completion-only cross-entropy, whichever way the logits are computed."""

from __future__ import annotations

import math

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from budgetai.evaluate import runner
from budgetai.examples.tokenize import IGNORE_INDEX, causal_example


def rows(n: int) -> list[dict]:
    return [{"prompt": f"Write a function that adds {k} to each element." * (k % 3 + 1),
             "response": f"addN{k} :: [Int] -> [Int]\naddN{k} = map (+ {k})"} for k in range(n)]


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    torch.manual_seed(0)
    return AutoModelForCausalLM.from_pretrained(tiny_llama_dir, dtype=torch.float32).eval(), \
        AutoTokenizer.from_pretrained(tiny_llama_dir)


def test_heldout_loss_is_the_mean_response_token_cross_entropy(tiny, monkeypatch):
    model, tokenizer = tiny
    data, cfg = rows(5), {"max_length": 128}
    selected, _ = runner.heldout_loss(model, tokenizer, data, cfg, encoder_decoder=False, batch_size=2)
    monkeypatch.setattr(runner, "computes_selected_logits", lambda model: False)
    full, _ = runner.heldout_loss(model, tokenizer, data, cfg, encoder_decoder=False, batch_size=2)
    # By hand, one row at a time over full logits.
    total, count = 0.0, 0
    for row in data:
        example = causal_example(tokenizer, row["prompt"], row["response"], 128)[0]
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([example["input_ids"]])).logits[0, :-1]
        labels = torch.tensor(example["labels"][1:])
        total += torch.nn.functional.cross_entropy(logits, labels, ignore_index=IGNORE_INDEX, reduction="sum").item()
        count += int((labels != IGNORE_INDEX).sum())
    assert selected == pytest.approx(total / count, rel=1e-5)
    assert full == pytest.approx(total / count, rel=1e-5)
    assert math.isfinite(selected) and selected > 0


def test_heldout_loss_scores_all_of_a_reference_longer_than_max_length(tiny):
    """A long reference is chunked as training chunks it: every response token is scored, not
    only those that fit in the first max_length tokens."""
    model, tokenizer = tiny
    module = "module Sums where\n\n" + "\n\n".join(
        f"-- | Adds {k}.\naddN{k} :: [Int] -> [Int]\naddN{k} = map (+ {k})" for k in range(40))
    data = [{"id": "long", "source": "s", "prompt": "Write the module `Sums`.", "response": module}]
    chunked_loss, chunked = runner.heldout_loss(model, tokenizer, data, {"max_length": 128}, False)
    cut_loss, cut = runner.heldout_loss(model, tokenizer, data, {"max_length": 128, "chunk_long_records": False}, False)
    assert len(chunked.examples) > 3 and chunked.share_trained == 1.0
    assert len(cut.examples) == 1 and cut.share_trained < 0.3
    assert chunked.trained_response_tokens > 3 * cut.trained_response_tokens
    assert math.isfinite(chunked_loss) and math.isfinite(cut_loss)
