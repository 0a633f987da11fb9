"""Batched generation that stops each answer where it ends.

A decoder-only model decodes in a loop of our own over a KV cache: a row leaves the batch as
soon as its answer is complete (end of sequence, a configured stop string, or, for prompts that
ask for one fenced code block, the line that closes that block), so the batch shrinks instead of
carrying finished rows to `max_new_tokens` as `model.generate` did. Rows are sorted by prompt
length so a batch carries little padding. Encoder-decoder models go through `model.generate` with
the same per-row stop check. bench/generation.py measures both paths against today's
batch-8 `generate` and counts where their greedy outputs differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import torch
from tqdm import tqdm
from transformers import DynamicCache, StoppingCriteria, StoppingCriteriaList

from budgetai.model.chat_format import chat_messages, render_prompt


@dataclass
class GenerationConfig:
    max_new_tokens: int = 256
    # Rows decoded together. Finished rows leave the batch, and a step of 48 rows costs far less
    # than 6 steps of 8 on a CPU (bench/results/generation.txt).
    batch_size: int = 48
    samples: int = 1  # n per prompt; pass@k needs n >= k
    temperature: float = 0.0  # 0: greedy (pass@1 with n = 1)
    top_p: float = 0.95
    seed: int = 1234
    stop: list[str] = field(default_factory=list)
    # The executable suites ask for one fenced block: the answer is over once it closes (text
    # after it is never scored, extract_code takes fenced code first).
    stop_at_closed_fence: bool = False
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


# A fence line opens a block; the block closes at a line of the same character at least as long
# (haskell/fences.py reads blocks by the same rule).
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n", re.MULTILINE)


def closed_fence_end(text: str) -> int | None:
    """The end of the first fenced block's closing line (before its newline) once that line is
    complete, else None. A closer line counts as complete when a newline follows it, so a line
    that goes on ("```haskell") is not taken for a closer."""
    opener = _FENCE_OPEN.search(text)
    if opener is None:
        return None
    fence = opener.group(1)
    closer = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*(?=\n)", re.MULTILINE)
    close = closer.search(text, opener.end())
    return close.end() if close else None


def answer_end(text: str, cfg: GenerationConfig) -> int | None:
    """Where the answer in `text` ends, if it has ended: the first stop string or the close of the
    first fenced block (when cfg asks for that), whichever comes first."""
    ends = [at for stop in cfg.stop if stop and (at := text.find(stop)) != -1]
    if cfg.stop_at_closed_fence and (fence_end := closed_fence_end(text)) is not None:
        ends.append(fence_end)
    return min(ends) if ends else None


def finished_text(text: str, cfg: GenerationConfig) -> str:
    end = answer_end(text, cfg)
    return text if end is None else text[:end]


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
    decode_batch = _generate_encoder_decoder if encoder_decoder else _decode_batch
    # minutes per batch on a CPU: without a bar the log says nothing after "Loading weights"
    progress = tqdm(total=len(jobs), desc="generate", unit="sample", mininterval=5)
    for start in range(0, len(jobs), cfg.batch_size):
        batch = jobs[start : start + cfg.batch_size]
        for (index, _), text in zip(batch, decode_batch(model, tokenizer, [t for _, t in batch], cfg)):
            outputs[index].append(text)
        progress.update(len(batch))
    progress.close()
    return outputs


def _encode(tokenizer, prompts: list[str], device) -> dict:
    return tokenizer(prompts, return_tensors="pt", padding=True,
                     add_special_tokens=not bool(tokenizer.chat_template)).to(device)


def _eos_ids(model, tokenizer) -> set[int]:
    eos = getattr(model.generation_config, "eos_token_id", None)
    ids = set(eos if isinstance(eos, list) else [eos]) | {tokenizer.eos_token_id}
    return {i for i in ids if i is not None}


def _decode_batch(model, tokenizer, prompts: list[str], cfg: GenerationConfig) -> list[str]:
    """One completion per prompt: prefill the left-padded batch, then one token per step for the
    rows whose answer has not ended. Positions and the attention mask follow `model.generate`'s
    (left padding masked, positions counted from each row's first real token)."""
    device = next(model.parameters()).device
    enc = _encode(tokenizer, prompts, device)
    mask = enc["attention_mask"]
    positions = (mask.long().cumsum(-1) - 1).masked_fill(mask == 0, 0)
    cache = DynamicCache(config=model.config)
    logits = model(input_ids=enc["input_ids"], attention_mask=mask, position_ids=positions,
                   cache=cache, use_cache=True, logits_to_keep=1).logits[:, -1]
    eos = _eos_ids(model, tokenizer)
    rows = list(range(len(prompts)))  # the prompt index of each row still in the batch
    tokens: list[list[int]] = [[] for _ in prompts]
    texts = [""] * len(prompts)
    next_position = positions[:, -1:] + 1
    for step in range(cfg.max_new_tokens):
        chosen = _next_tokens(logits, cfg)
        keep = []
        for row, (prompt_index, token) in enumerate(zip(rows, chosen.tolist())):
            if token in eos:
                continue
            tokens[prompt_index].append(token)
            texts[prompt_index] = tokenizer.decode(tokens[prompt_index], skip_special_tokens=True)
            if answer_end(texts[prompt_index], cfg) is None:
                keep.append(row)
        if not keep or step == cfg.max_new_tokens - 1:
            break
        if len(keep) < len(rows):
            index = torch.tensor(keep, device=device)
            cache.batch_select_indices(index)
            mask, chosen, next_position = mask[index], chosen[index], next_position[index]
            rows = [rows[row] for row in keep]
        mask = torch.cat([mask, mask.new_ones(len(rows), 1)], dim=1)
        logits = model(input_ids=chosen[:, None], attention_mask=mask, position_ids=next_position,
                       cache=cache, use_cache=True).logits[:, -1]
        next_position = next_position + 1
    return [finished_text(text, cfg) for text in texts]


def _next_tokens(logits: torch.Tensor, cfg: GenerationConfig) -> torch.Tensor:
    """Greedy (the first of equal maxima, as `generate` picks) or temperature + top-p sampling."""
    logits = logits.float()
    if cfg.temperature <= 0:
        return logits.argmax(-1)
    probs = torch.softmax(logits / cfg.temperature, dim=-1)
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    # Keep the smallest prefix whose mass reaches top_p (always the most likely token).
    sorted_probs[(sorted_probs.cumsum(-1) - sorted_probs) > cfg.top_p] = 0
    return order.gather(-1, torch.multinomial(sorted_probs, 1)).squeeze(-1)


class _AnswerEnded(StoppingCriteria):
    """Per-row stop for `model.generate`: a row is done once its decoded answer has ended."""

    def __init__(self, tokenizer, prompt_length: int, cfg: GenerationConfig):
        self.tokenizer, self.prompt_length, self.cfg = tokenizer, prompt_length, cfg

    def __call__(self, input_ids, scores, **kwargs) -> torch.BoolTensor:
        texts = self.tokenizer.batch_decode(input_ids[:, self.prompt_length :], skip_special_tokens=True)
        return torch.tensor([answer_end(t, self.cfg) is not None for t in texts], device=input_ids.device)


def _generate_encoder_decoder(model, tokenizer, prompts: list[str], cfg: GenerationConfig) -> list[str]:
    device = next(model.parameters()).device
    enc = _encode(tokenizer, prompts, device)
    sampling = cfg.temperature > 0
    generated = model.generate(
        **enc,
        max_new_tokens=cfg.max_new_tokens,
        do_sample=sampling,
        temperature=cfg.temperature if sampling else None,
        top_p=cfg.top_p if sampling else None,
        top_k=None,
        pad_token_id=tokenizer.pad_token_id,
        # The decoder's output starts with its start token only: nothing of the prompt to skip.
        stopping_criteria=StoppingCriteriaList([_AnswerEnded(tokenizer, 0, cfg)]),
    )
    return [finished_text(tokenizer.decode(tokens, skip_special_tokens=True), cfg) for tokens in generated]


def prompt_conversations(prompts: list[str], system_prompt: str | None = None) -> list[list[dict]]:
    return [chat_messages(p, system_prompt) for p in prompts]
