"""Completion-only tokenization: label positions, truncation, train/inference prompt parity,
and the padding collator."""

from __future__ import annotations

import pytest
from transformers import AutoTokenizer

from budgetai.model.chat_format import chat_messages, render_prompt
from budgetai.examples.tokenize import (
    IGNORE_INDEX,
    PaddingCollator,
    causal_example,
    render_prompt_ids,
    seq2seq_example,
    tokenize_records,
)
# Registered as a plugin (not imported) so the session fixtures are built once for all modules.

CFG = {"max_length": 512, "max_target_length": 64}


@pytest.fixture(scope="module")
def tokenizer(tiny_llama_dir):
    return AutoTokenizer.from_pretrained(tiny_llama_dir)


@pytest.fixture()
def plain_tokenizer(tiny_llama_dir):
    """The same vocabulary without a chat template: the plain "prompt\\n\\n" format."""
    tok = AutoTokenizer.from_pretrained(tiny_llama_dir)
    tok.chat_template = None
    return tok


def row(prompt: str, response: str) -> dict:
    return {"prompt": prompt, "response": response}


def test_prompt_tokens_are_masked_and_response_tokens_are_labelled(tokenizer):
    example, truncated = causal_example(tokenizer, "Reverse a list?", "reverse xs", max_length=512)
    prompt_ids = tokenizer(
        render_prompt(tokenizer, chat_messages("Reverse a list?")), add_special_tokens=False
    )["input_ids"]
    response_ids = tokenizer("reverse xs<|im_end|>\n", add_special_tokens=False)["input_ids"]
    n = len(prompt_ids)
    assert not truncated
    assert example["input_ids"] == prompt_ids + response_ids
    assert example["labels"][:n] == [IGNORE_INDEX] * n
    assert example["labels"][n:] == response_ids
    # The first labelled token is the answer's first token, right after "<|im_start|>assistant\n".
    assert tokenizer.decode(example["input_ids"][:n]).endswith("<|im_start|>assistant\n")
    assert tokenizer.decode(example["labels"][n:]) == "reverse xs<|im_end|>\n"


def test_training_prompt_is_what_inference_renders(tokenizer):
    system = "You write Haskell."
    ids = render_prompt_ids(tokenizer, "What is a monad?", system)
    text = render_prompt(tokenizer, chat_messages("What is a monad?", system))
    assert tokenizer.decode(ids) == text
    # Inference encodes with add_special_tokens off when a chat template is present.
    assert ids == tokenizer(text, add_special_tokens=False)["input_ids"]
    assert "You write Haskell." in text


def test_plain_format_without_chat_template(plain_tokenizer):
    example, _ = causal_example(plain_tokenizer, "Q?", "A.", max_length=64)
    text = render_prompt(plain_tokenizer, chat_messages("Q?"))
    assert text == "Q?\n\n"
    prompt_ids = plain_tokenizer(text, add_special_tokens=True)["input_ids"]
    assert example["input_ids"][: len(prompt_ids)] == prompt_ids
    assert example["labels"][len(prompt_ids):][-1] == plain_tokenizer.eos_token_id
    assert all(label == IGNORE_INDEX for label in example["labels"][: len(prompt_ids)])


def test_truncation_keeps_the_prompt_end_and_half_the_budget_for_the_response(tokenizer):
    long_prompt = "word " * 300
    long_response = "answer " * 300
    example, truncated = causal_example(tokenizer, long_prompt, long_response, max_length=64)
    assert truncated
    assert len(example["input_ids"]) == len(example["labels"]) == 64
    labelled = [label for label in example["labels"] if label != IGNORE_INDEX]
    assert len(labelled) == 32  # the response keeps half of max_length
    assert tokenizer.decode(example["input_ids"][:32]).endswith("<|im_start|>assistant\n")


def test_tokenize_records_counts_truncated_and_empty(tokenizer):
    rows = [row("short?", "ok"), row("long " * 400, "fine"), row("empty?", "   "), row("q", "a " * 400)]
    out = tokenize_records(rows, tokenizer, {**CFG, "max_length": 128}, encoder_decoder=False)
    assert len(out.examples) == 3
    assert out.truncated == 2
    assert out.dropped_empty == 1
    assert [e["length"] for e in out.examples] == [len(e["input_ids"]) for e in out.examples]
    assert max(e["length"] for e in out.examples) == 128


def test_seq2seq_example_renders_the_prompt_like_inference(plain_tokenizer):
    example, truncated = seq2seq_example(plain_tokenizer, "Q?", "A " * 100, max_length=32, max_target_length=8)
    text = render_prompt(plain_tokenizer, chat_messages("Q?"))
    assert example["input_ids"] == plain_tokenizer(text)["input_ids"]
    assert len(example["labels"]) == 8
    assert truncated  # the target was cut


def test_padding_collator_pads_right_masks_and_counts_real_tokens():
    collator = PaddingCollator(pad_token_id=0, pad_to_multiple_of=8)
    features = [
        {"input_ids": [5, 6, 7], "labels": [IGNORE_INDEX, 6, 7]},
        {"input_ids": [5, 6, 7, 8, 9, 10, 11, 12, 13], "labels": [IGNORE_INDEX] * 4 + [9, 10, 11, 12, 13]},
    ]
    batch = collator(features)
    assert batch["input_ids"].shape == (2, 16)
    assert batch["input_ids"][0].tolist() == [5, 6, 7] + [0] * 13
    assert batch["attention_mask"].sum().item() == 12
    assert batch["labels"][0].tolist() == [IGNORE_INDEX, 6, 7] + [IGNORE_INDEX] * 13
    assert collator.tokens_seen == 12
    assert collator.padded_tokens == 32


def test_padding_collator_pads_to_max_length_and_pads_labels_separately_for_seq2seq():
    fixed = PaddingCollator(pad_token_id=0, max_length=20)
    assert fixed([{"input_ids": [1, 2], "labels": [1, 2]}])["input_ids"].shape == (1, 20)
    seq2seq = PaddingCollator(pad_token_id=0, pad_to_multiple_of=None)
    batch = seq2seq([{"input_ids": [1, 2, 3, 4], "labels": [9]}, {"input_ids": [1], "labels": [8, 7]}])
    assert batch["input_ids"].shape == (2, 4)
    assert batch["labels"].tolist() == [[9, IGNORE_INDEX], [8, 7]]


def test_completion_positions_select_the_positions_whose_next_token_is_learned():
    collator = PaddingCollator(pad_token_id=0, pad_to_multiple_of=None, completion_logits_only=True)
    batch = collator([{"input_ids": [5, 6, 7, 8], "labels": [IGNORE_INDEX, IGNORE_INDEX, 7, 8]},
                      {"input_ids": [5, 6], "labels": [IGNORE_INDEX, 6]}])
    assert batch["logits_to_keep"].tolist() == [[False, True, True, False], [True, False, False, False]]
    assert batch["shift_labels"].tolist() == [7, 8, 6]


def test_loss_over_selected_logits_equals_the_full_logits_loss(tiny_llama_dir, tokenizer):
    """The causal LM computes logits for the kept positions only, and the same loss and gradients."""
    import torch
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(tiny_llama_dir, dtype=torch.float32)
    features = [causal_example(tokenizer, "Sum a list" * n, "sum = foldr (+) 0 " * n, 128)[0] for n in (1, 3, 7)]
    losses, grads = [], []
    for selected in (False, True):
        batch = PaddingCollator(pad_token_id=tokenizer.pad_token_id, completion_logits_only=selected)(features)
        model.zero_grad()
        out = model(**batch)
        out.loss.backward()
        kept = batch["logits_to_keep"].sum().item() if selected else None
        assert out.logits.shape[0] == (kept if selected else len(features))
        losses.append(out.loss.item())
        grads.append(model.model.layers[0].mlp.up_proj.weight.grad.clone())
    assert losses[1] == pytest.approx(losses[0], rel=1e-5)
    assert torch.allclose(grads[0], grads[1], rtol=1e-4, atol=1e-6)
