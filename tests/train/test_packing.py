"""Packing: best-fit-decreasing sequences, and a packed batch that trains exactly like the same
examples unpacked (loss and gradients), because attention cannot cross from one example into
the next."""

from __future__ import annotations

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from budgetai.examples.tokenize import PaddingCollator, causal_example
from budgetai.train.packing import isolate_packed_examples, pack_examples
# Registered as a plugin (not imported) so the session fixtures are built once for all modules.


def fake(n: int, tag: int) -> dict:
    return {"input_ids": [tag] * n, "labels": [-100] + [tag] * (n - 1)}


def test_best_fit_decreasing_packs_every_example_once_within_max_length():
    examples = [fake(n, tag) for tag, n in enumerate([6, 5, 4, 3, 2, 1], start=1)]
    packs = pack_examples(examples, max_length=8)
    assert len(packs) == 3  # 6+2, 5+3, 4+1
    assert sorted(sorted(set(p["input_ids"])) for p in packs) == [[1, 5], [2, 4], [3, 6]]
    for pack in packs:
        assert pack["length"] == len(pack["input_ids"]) == len(pack["labels"]) == len(pack["position_ids"]) <= 8
        starts = [i for i, position in enumerate(pack["position_ids"]) if position == 0]
        assert len(starts) == pack["examples"]
    assert sum(p["examples"] for p in packs) == 6


def test_an_example_longer_than_max_length_is_refused():
    with pytest.raises(ValueError, match="example 0 has 9 tokens"):
        pack_examples([fake(9, 1)], max_length=8)


@pytest.fixture(scope="module")
def model_and_examples(tiny_llama_dir):
    tokenizer = AutoTokenizer.from_pretrained(tiny_llama_dir)
    model = AutoModelForCausalLM.from_pretrained(tiny_llama_dir, dtype=torch.float32)
    pairs = [("Sum a list?", "sum = foldr (+) 0"), ("Reverse it?", "reverse = foldl (flip (:)) []"),
             ("Length?", "length = foldr (\\_ n -> n + 1) 0"), ("Map?", "map f = foldr ((:) . f) []"),
             ("Id?", "id x = x")]
    examples = [causal_example(tokenizer, p, r, 96)[0] for p, r in pairs]
    return model, tokenizer, examples


def loss_and_grads(model, batch) -> tuple[float, dict[str, torch.Tensor]]:
    model.zero_grad()
    loss = model(**batch).loss
    loss.backward()
    return loss.item(), {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}


@pytest.mark.parametrize("completion_logits_only", [True, False])
def test_a_packed_batch_has_the_loss_and_gradients_of_the_same_examples_unpacked(model_and_examples,
                                                                                 completion_logits_only):
    model, tokenizer, examples = model_and_examples
    collate = PaddingCollator(pad_token_id=tokenizer.pad_token_id, completion_logits_only=completion_logits_only)
    packs = pack_examples(examples, max_length=96)
    assert len(packs) < len(examples)
    unpacked_loss, unpacked_grads = loss_and_grads(model, collate(examples))
    isolation = isolate_packed_examples(model)
    try:
        packed_loss, packed_grads = loss_and_grads(model, collate(packs))
    finally:
        isolation.remove()
    assert packed_loss == pytest.approx(unpacked_loss, rel=1e-4)
    assert packed_grads.keys() == unpacked_grads.keys()
    for name in unpacked_grads:
        torch.testing.assert_close(packed_grads[name], unpacked_grads[name], rtol=1e-4, atol=1e-6, msg=name)


def test_without_isolation_attention_crosses_examples_and_the_gradients_change(model_and_examples):
    """The check above can fail: packed examples that see each other train differently. (The
    random tiny model's loss barely moves, its near-uniform attention averages what it sees,
    but the gradients do.)"""
    model, tokenizer, examples = model_and_examples
    collate = PaddingCollator(pad_token_id=tokenizer.pad_token_id)
    _, unpacked = loss_and_grads(model, collate(examples))
    _, crossing = loss_and_grads(model, collate(pack_examples(examples, max_length=96)))  # mask of ones kept
    name = "model.layers.0.self_attn.v_proj.weight"
    assert (crossing[name] - unpacked[name]).abs().max() > 0.01 * unpacked[name].abs().max()
