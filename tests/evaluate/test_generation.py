"""Generation: where an answer ends (stop strings, the close of a fenced block), and the decode
loop against `model.generate` on a random tiny Llama (float32, so greedy ties are improbable):
the same tokens, rows that finish leave the batch without changing the others, and a batch whose
answers have all ended stops decoding."""

from __future__ import annotations

import pytest
import torch

from budgetai.evaluate.generation import (GenerationConfig, answer_end, closed_fence_end, cut_at_stops,
                                          generate, prompt_conversations)
from budgetai.model.chat_format import render_prompt
from budgetai.model.load import load_model, load_tokenizer

PROMPTS = ["Write a Haskell function.", "Sum a list in Haskell, please, with foldr and a base case.",
           "Hi", "Explain monads in one short sentence to a Python programmer."]


def test_a_fenced_block_ends_at_its_closing_line():
    text = "Here:\n```haskell\nf x = x\n```\nMore prose"
    assert text[: closed_fence_end(text)] == "Here:\n```haskell\nf x = x\n```"


@pytest.mark.parametrize("text", [
    "no fence at all\n",
    "```haskell\nf x = x\n",  # still open
    "```haskell\nf x = x\n```",  # the closing line is not complete: "```haskell" may follow
    "```haskell\nf x = x\n```haskell\n",  # a fence with a tag does not close a block
    "````\nf x = x\n```\n",  # a shorter fence does not close a longer one
    "```haskell\nf x = x\n~~~\n",  # nor one of the other character
])
def test_a_block_that_has_not_closed_has_no_end(text):
    assert closed_fence_end(text) is None


def test_longer_and_tilde_closers_close_their_block():
    assert closed_fence_end("~~~\nx\n~~~~ \ny") == len("~~~\nx\n~~~~ ")
    assert closed_fence_end("```\nx\n`````\n") == len("```\nx\n`````")


def test_the_answer_ends_at_the_first_stop_or_closed_fence():
    text = "```hs\nmain = print 1\n```\n\nSTOP later"
    fenced = GenerationConfig(stop=["STOP"], stop_at_closed_fence=True)
    assert answer_end(text, fenced) == len("```hs\nmain = print 1\n```")
    assert answer_end(text, GenerationConfig(stop=["STOP"])) == text.index("STOP")
    assert answer_end(text, GenerationConfig(stop=["\nmain"], stop_at_closed_fence=True)) == len("```hs")
    assert answer_end(text, GenerationConfig()) is None


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    """The tiny random Llama with weights 25x their init scale: its greedy answers vary from token
    to token and from prompt to prompt (at the init scale every row repeats one token)."""
    model = load_model(tiny_llama_dir, compute_dtype="float32").eval()
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.ndim == 2:
                parameter.mul_(25)
    return model, load_tokenizer(tiny_llama_dir)


def reference_generate(model, tokenizer, prompts: list[str], max_new_tokens: int) -> list[str]:
    """What evaluation ran before: one left-padded batch through `model.generate`, greedy."""
    tokenizer.padding_side = "left"
    texts = [render_prompt(tokenizer, c) for c in prompt_conversations(prompts)]
    enc = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
    with torch.inference_mode():
        out = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False, top_k=None,
                             pad_token_id=tokenizer.pad_token_id)
    return tokenizer.batch_decode(out[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)


def test_greedy_decoding_matches_model_generate(tiny):
    model, tokenizer = tiny
    expected = reference_generate(model, tokenizer, PROMPTS, 12)
    got = generate(model, tokenizer, prompt_conversations(PROMPTS), GenerationConfig(max_new_tokens=12, batch_size=4))
    assert [texts[0] for texts in got] == expected
    assert len(set(expected)) == len(PROMPTS)  # the rows differ, so a row mix-up would show


def test_rows_that_stop_early_leave_the_others_unchanged(tiny):
    model, tokenizer = tiny
    expected = reference_generate(model, tokenizer, PROMPTS, 12)
    # A stop string that occurs early in one row's answer (a random model's text, chosen from
    # it) ends that row after a few tokens; the others decode on in a smaller batch.
    stop = expected[1][4:7]
    assert stop and expected[1].find(stop) < len(expected[1]) // 2
    got = generate(model, tokenizer, prompt_conversations(PROMPTS),
                   GenerationConfig(max_new_tokens=12, batch_size=4, stop=[stop]))
    assert [texts[0] for texts in got] == [cut_at_stops(text, [stop]) for text in expected]


def test_decoding_stops_once_every_answer_has_ended(tiny):
    model, tokenizer = tiny
    expected = reference_generate(model, tokenizer, PROMPTS[:2], 40)
    stops = [expected[0][1:3], expected[1][1:3]]  # each row ends within its first few tokens
    calls = []
    handle = model.register_forward_hook(lambda *args: calls.append(1))
    try:
        got = generate(model, tokenizer, prompt_conversations(PROMPTS[:2]),
                       GenerationConfig(max_new_tokens=40, batch_size=2, stop=stops))
    finally:
        handle.remove()
    assert [texts[0] for texts in got] == [cut_at_stops(text, stops) for text in expected]
    assert len(calls) < 10  # prefill + a few steps, not 40


def test_sampling_is_seeded(tiny):
    model, tokenizer = tiny
    cfg = GenerationConfig(max_new_tokens=8, batch_size=4, samples=2, temperature=1.0, top_p=0.9, seed=3)
    first = generate(model, tokenizer, prompt_conversations(PROMPTS[:2]), cfg)
    assert first == generate(model, tokenizer, prompt_conversations(PROMPTS[:2]), cfg)
    assert all(len(texts) == 2 for texts in first)
