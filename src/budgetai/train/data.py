"""Training examples: records -> token ids with completion-only labels.

The prompt is rendered with the model's chat template (or a plain "prompt\n\n" when the tokenizer
has none), and its tokens get label -100 so the loss only trains the response: seed 001 saw
faster convergence that way, and the model is not taught to write questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

IGNORE_INDEX = -100


@dataclass
class TokenizedExamples:
    examples: list[dict]
    truncated: int = 0
    dropped_empty: int = 0


def chat_messages(prompt: str, system: str | None = None) -> list[dict]:
    messages = [{"role": "system", "content": system}] if system else []
    return messages + [{"role": "user", "content": prompt}]


def render_prompt_ids(tokenizer, prompt: str, system: str | None = None) -> list[int]:
    """Token ids of the prompt up to where the assistant's answer starts (shared with inference)."""
    if tokenizer.chat_template:
        return list(
            tokenizer.apply_chat_template(
                chat_messages(prompt, system), add_generation_prompt=True, tokenize=True, return_dict=False
            )
        )
    return tokenizer(prompt + "\n\n", add_special_tokens=True)["input_ids"]


def causal_example(tokenizer, prompt: str, response: str, max_length: int, system: str | None = None):
    """input_ids = prompt + response + eos; labels mask the prompt. Returns (example, truncated)."""
    prompt_ids = render_prompt_ids(tokenizer, prompt, system)
    response_ids = tokenizer(response, add_special_tokens=False)["input_ids"]
    end = [tokenizer.convert_tokens_to_ids("<|im_end|>")] if "<|im_end|>" in tokenizer.get_vocab() else []
    response_ids = response_ids + (end or [tokenizer.eos_token_id])
    # Keep at least half the budget for the response: a truncated prompt still teaches the answer.
    prompt_budget = max(max_length // 2, max_length - len(response_ids))
    truncated = len(prompt_ids) + len(response_ids) > max_length
    prompt_ids = prompt_ids[-prompt_budget:] if len(prompt_ids) > prompt_budget else prompt_ids
    input_ids = (prompt_ids + response_ids)[:max_length]
    labels = ([IGNORE_INDEX] * len(prompt_ids) + response_ids)[:max_length]
    return {"input_ids": input_ids, "labels": labels}, truncated


def seq2seq_example(tokenizer, prompt: str, response: str, max_length: int, max_target_length: int):
    source = tokenizer(prompt, max_length=max_length, truncation=True)["input_ids"]
    target = tokenizer(text_target=response, max_length=max_target_length, truncation=True)["input_ids"]
    truncated = len(tokenizer(prompt)["input_ids"]) > max_length
    return {"input_ids": source, "labels": target}, truncated


def tokenize_records(rows: list[dict], tokenizer, cfg: dict, encoder_decoder: bool) -> TokenizedExamples:
    out = TokenizedExamples(examples=[])
    for row in rows:
        if not row["response"].strip():
            out.dropped_empty += 1
            continue
        if encoder_decoder:
            example, truncated = seq2seq_example(
                tokenizer, row["prompt"], row["response"], cfg["max_length"], cfg["max_target_length"]
            )
        else:
            example, truncated = causal_example(
                tokenizer, row["prompt"], row["response"], cfg["max_length"], cfg.get("system_prompt")
            )
        if all(label == IGNORE_INDEX for label in example["labels"]):
            out.dropped_empty += 1  # the prompt filled max_length: nothing left to learn from
            continue
        out.truncated += truncated
        example["length"] = len(example["input_ids"])
        out.examples.append(example)
    return out


@dataclass
class PaddingCollator:
    """Pads a batch (right side for training) and counts the real tokens it saw, so throughput is
    reported as useful tokens/s rather than padded ones."""

    pad_token_id: int
    pad_to_multiple_of: int | None = 8
    tokens_seen: int = field(default=0)

    def __call__(self, features: list[dict]) -> dict:
        longest = max(len(f["input_ids"]) for f in features)
        longest_labels = max(len(f["labels"]) for f in features)
        if self.pad_to_multiple_of:
            m = self.pad_to_multiple_of
            longest = -(-longest // m) * m
            longest_labels = -(-longest_labels // m) * m
        same_length = all(len(f["labels"]) == len(f["input_ids"]) for f in features)
        label_width = longest if same_length else longest_labels
        batch = {"input_ids": [], "attention_mask": [], "labels": []}
        for f in features:
            n, k = len(f["input_ids"]), len(f["labels"])
            self.tokens_seen += n
            batch["input_ids"].append(f["input_ids"] + [self.pad_token_id] * (longest - n))
            batch["attention_mask"].append([1] * n + [0] * (longest - n))
            batch["labels"].append(f["labels"] + [IGNORE_INDEX] * (label_width - k))
        return {key: torch.tensor(value) for key, value in batch.items()}
