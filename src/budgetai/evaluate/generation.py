"""Batched generation: left-padded batches through `model.generate`, cut at stop sequences.

Batching is what makes evaluation affordable on small hardware (bench/generation.py measures it
against one prompt at a time).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from tqdm import tqdm

from budgetai.model.chat_format import chat_messages, render_prompt


@dataclass
class GenerationConfig:
    max_new_tokens: int = 256
    batch_size: int = 8
    samples: int = 1  # n per prompt; pass@k needs n >= k
    temperature: float = 0.0  # 0: greedy (pass@1 with n = 1)
    top_p: float = 0.95
    seed: int = 1234
    stop: list[str] = field(default_factory=list)
    system_prompt: str | None = None

    @classmethod
    def from_dict(cls, cfg: dict | None) -> "GenerationConfig":
        known = {k: v for k, v in (cfg or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


def cut_at_stops(text: str, stops: list[str]) -> str:
    cut = len(text)
    for stop in stops:
        at = text.find(stop)
        if at != -1:
            cut = min(cut, at)
    return text[:cut]


@torch.inference_mode()
def generate(model, tokenizer, conversations: list[list[dict]], cfg: GenerationConfig) -> list[list[str]]:
    """`cfg.samples` completions for each conversation (a list of chat messages)."""
    torch.manual_seed(cfg.seed)
    tokenizer.padding_side = "left"  # generation continues from the right edge of every row
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    encoder_decoder = bool(getattr(model.config, "is_encoder_decoder", False))
    texts = [render_prompt(tokenizer, c) for c in conversations]
    jobs = [(i, text) for i, text in enumerate(texts) for _ in range(cfg.samples)]
    # Similar lengths in one batch waste less compute on padding.
    jobs.sort(key=lambda job: len(job[1]))
    outputs: list[list[str]] = [[] for _ in texts]
    device = next(model.parameters()).device
    # minutes per batch on a CPU: without a bar the log says nothing after "Loading weights"
    progress = tqdm(total=len(jobs), desc="generate", unit="sample", mininterval=5)
    for start in range(0, len(jobs), cfg.batch_size):
        batch = jobs[start : start + cfg.batch_size]
        enc = tokenizer([t for _, t in batch], return_tensors="pt", padding=True,
                        add_special_tokens=not bool(tokenizer.chat_template)).to(device)
        sampling = cfg.temperature > 0
        generated = model.generate(
            **enc,
            max_new_tokens=cfg.max_new_tokens,
            do_sample=sampling,
            temperature=cfg.temperature if sampling else None,
            top_p=cfg.top_p if sampling else None,
            top_k=None,
            pad_token_id=tokenizer.pad_token_id,
            stop_strings=cfg.stop or None,
            tokenizer=tokenizer if cfg.stop else None,
        )
        new_tokens = generated if encoder_decoder else generated[:, enc["input_ids"].shape[1] :]
        for (index, _), tokens in zip(batch, new_tokens):
            text = tokenizer.decode(tokens, skip_special_tokens=True)
            outputs[index].append(cut_at_stops(text, cfg.stop))
        progress.update(len(batch))
    progress.close()
    return outputs


def prompt_conversations(prompts: list[str], system_prompt: str | None = None) -> list[list[dict]]:
    return [chat_messages(p, system_prompt) for p in prompts]
