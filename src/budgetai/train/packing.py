"""Several short examples in one training sequence, none of them seeing another.

Examples are packed best-fit-decreasing into sequences of at most max_length tokens (the way TRL
packs), so a batch holds real tokens where it held padding. Each example keeps its own
`position_ids` (restarting at 0). transformers builds a block-diagonal causal mask from restarting
position ids when the model gets no `attention_mask` (masking_utils.find_packed_sequence_indices:
SDPA and eager attention on CPU, varlen FlashAttention on a GPU), so attention never crosses from
one example into the next. The collator still makes an attention mask, because the Trainer counts
useful tokens from it; `isolate_packed_examples` removes it from the model's inputs whenever
position ids come with it (and turns the KV cache off, without which transformers does not look
for packed sequences). The boundary is also clean for the loss: an example starts with its
prompt, whose labels are masked, so no token is trained to follow the previous example.
"""

from __future__ import annotations

import bisect


def pack_examples(examples: list[dict], max_length: int) -> list[dict]:
    """Examples (input_ids, labels) packed into sequences of at most max_length tokens, best fit
    decreasing: each example, longest first, goes into the fullest sequence it still fits in.
    Each sequence has input_ids, labels, position_ids, length and the number of examples in it."""
    order = sorted(range(len(examples)), key=lambda i: (-len(examples[i]["input_ids"]), i))
    bins: list[list[int]] = []
    free: list[tuple[int, int]] = []  # (room left, bin index), sorted
    for i in order:
        size = len(examples[i]["input_ids"])
        if size > max_length:
            raise ValueError(f"example {i} has {size} tokens, more than max_length {max_length}")
        at = bisect.bisect_left(free, (size, -1))
        if at == len(free):
            bins.append([i])
            bisect.insort(free, (max_length - size, len(bins) - 1))
            continue
        room, b = free.pop(at)
        bins[b].append(i)
        bisect.insort(free, (room - size, b))
    return [_concatenate([examples[i] for i in members]) for members in bins]


def _concatenate(members: list[dict]) -> dict:
    packed = {"input_ids": [], "labels": [], "position_ids": []}
    for example in members:
        packed["input_ids"] += example["input_ids"]
        packed["labels"] += example["labels"]
        packed["position_ids"] += list(range(len(example["input_ids"])))
    packed["length"] = len(packed["input_ids"])
    packed["examples"] = len(members)
    return packed


def isolate_packed_examples(model):
    """Make `model` drop `attention_mask` from any call that passes `position_ids`, so that
    transformers derives the block-diagonal mask of packed examples from them. Returns the hook's
    handle (`.remove()` undoes it)."""
    return model.register_forward_pre_hook(_drop_attention_mask_when_packed, with_kwargs=True)


def _drop_attention_mask_when_packed(module, args, kwargs):
    if kwargs.get("position_ids") is not None:
        kwargs.pop("attention_mask", None)
        kwargs["use_cache"] = False  # transformers looks for packed sequences only without a cache
    return args, kwargs
