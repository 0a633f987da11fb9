"""Training examples: records -> token ids with completion-only labels.

The prompt is rendered exactly as inference renders it (budgetai.model.chat_format.render_prompt:
the model's chat template with the generation prompt, or "prompt\n\n" when the tokenizer has
none) and tokenized the same way, so training and evaluation see one format. Prompt tokens get
label -100 so the loss only trains the response: seed 001 saw faster convergence that way, and the
model is not taught to write questions. The response ends with whatever the chat template puts
after an assistant turn (e.g. "<|im_end|>\n"), so the model learns to stop where inference stops.
A causal record whose response does not fit max_length is split into several complete examples
(budgetai.examples.chunking) when `chunk_long_records` is on, instead of losing its end.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import torch

from budgetai.model.chat_format import chat_messages, render_prompt
from budgetai.examples.chunking import chunk_response

IGNORE_INDEX = -100
# Prompt tokens a piece's "Part k of n: the declarations ..." adds to the record's prompt.
PART_PROMPT_TOKENS = 48
# Tries at a smaller piece budget when a piece's exact token count overshot the estimate.
CHUNK_RETRIES = 3


@dataclass
class TokenizedExamples:
    examples: list[dict]
    truncated: int = 0  # examples cut to max_length (prompt from the left, response from the right)
    prompts_cut: int = 0  # of those, examples whose prompt lost its start (the one count of them)
    dropped_empty: int = 0  # empty responses, or prompts that left no room for any response token
    chunked_records: int = 0  # records split into several examples
    split_at_lines: int = 0  # units (a declaration, a paragraph) longer than a piece, cut at lines
    response_tokens: int = 0  # tokens of the records' whole responses (with end of turn)
    trained_response_tokens: int = 0  # of those, the ones inside an example (each record capped at its own)

    @property
    def share_trained(self) -> float:
        """Share of the records' response tokens that some example trains on."""
        return self.trained_response_tokens / self.response_tokens if self.response_tokens else 1.0


def encode_rendered(tokenizer, text: str) -> list[int]:
    """Token ids of rendered text, as inference encodes it: a chat template already carries its
    special tokens, plain text gets the tokenizer's own (e.g. BOS)."""
    return tokenizer(text, add_special_tokens=not bool(tokenizer.chat_template))["input_ids"]


def render_prompt_ids(tokenizer, prompt: str, system: str | None = None) -> list[int]:
    """Token ids of the prompt up to where the assistant's answer starts (what inference feeds)."""
    return encode_rendered(tokenizer, render_prompt(tokenizer, chat_messages(prompt, system)))


def response_text(tokenizer, prompt: str, response: str, system: str | None = None) -> str:
    """The response as the chat template closes an assistant turn (response + end-of-turn
    markers); without a template, or when the template renders the prompt differently once an
    answer follows, the response + EOS."""
    if tokenizer.chat_template:
        messages = chat_messages(prompt, system)
        head = render_prompt(tokenizer, messages)
        full = tokenizer.apply_chat_template(
            messages + [{"role": "assistant", "content": response}], tokenize=False
        )
        if full.startswith(head) and response in full[len(head):]:
            return full[len(head):]
    return response + (tokenizer.eos_token or "")


def causal_example(tokenizer, prompt: str, response: str, max_length: int, system: str | None = None):
    """input_ids = prompt + response (+ end of turn); labels mask the prompt.
    Returns (example, truncated)."""
    example, prompt_cut, response_tokens = causal_example_parts(tokenizer, prompt, response, max_length, system)
    return example, prompt_cut or labelled_tokens(example) < response_tokens


def causal_example_parts(tokenizer, prompt: str, response: str, max_length: int, system: str | None = None):
    """(example, whether the prompt lost its start, the response's token count with end of turn)."""
    prompt_ids = render_prompt_ids(tokenizer, prompt, system)
    response_ids = tokenizer(response_text(tokenizer, prompt, response, system), add_special_tokens=False)["input_ids"]
    # Keep at least half the budget for the response: a truncated prompt still teaches the answer.
    prompt_budget = max(max_length // 2, max_length - len(response_ids))
    # Prompts lose their start, not their end: the end holds the question and the answer cue.
    prompt_cut = len(prompt_ids) > prompt_budget
    prompt_ids = prompt_ids[-prompt_budget:] if prompt_cut else prompt_ids
    input_ids = (prompt_ids + response_ids)[:max_length]
    labels = ([IGNORE_INDEX] * len(prompt_ids) + response_ids)[:max_length]
    return {"input_ids": input_ids, "labels": labels}, prompt_cut, len(response_ids)


def labelled_tokens(example: dict) -> int:
    return sum(label != IGNORE_INDEX for label in example["labels"])


def chunked_examples(tokenizer, row: dict, max_length: int, system: str | None = None):
    """Examples of a record too long for one, each a complete answer to its piece's prompt;
    returns (examples, their (prompt, response) texts, units split at lines, whether a piece
    still had to be cut)."""
    def cost(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    prompt_tokens = len(render_prompt_ids(tokenizer, row["prompt"], system))
    end_of_turn = cost(response_text(tokenizer, row["prompt"], "", system))
    margin = 1.0
    for _ in range(CHUNK_RETRIES):
        def budget_for(context: str) -> int:
            prompt = prompt_tokens + PART_PROMPT_TOKENS + (cost(context) if context else 0)
            return max(8, int(margin * (max_length - min(prompt, max_length // 2) - end_of_turn)))

        chunks = chunk_response(row["prompt"], row["response"], row.get("kind", ""), row.get("language", ""),
                                cost, budget_for, header_budget=max_length // 4)
        built = [causal_example_parts(tokenizer, prompt, response, max_length, system)
                 for prompt, response in chunks.pieces]
        for example, prompt_cut, _ in built:
            example["prompt_cut"] = prompt_cut
        cut = any(labelled_tokens(example) < n for example, _, n in built)
        if not cut:
            break
        margin *= 0.8  # a piece's exact tokens overshot the sum of its units'
    return [example for example, _, _ in built], chunks.pieces, chunks.split_at_lines, cut


def seq2seq_example(tokenizer, prompt: str, response: str, max_length: int, max_target_length: int,
                    system: str | None = None):
    """Encoder input = the rendered prompt (as inference renders it), labels = the response."""
    source = encode_rendered(tokenizer, render_prompt(tokenizer, chat_messages(prompt, system)))
    target = tokenizer(text_target=response)["input_ids"]
    truncated = len(source) > max_length or len(target) > max_target_length
    return {"input_ids": source[:max_length], "labels": target[:max_target_length]}, truncated


def tokenize_records(rows: list[dict], tokenizer, cfg: dict, encoder_decoder: bool,
                     keep_text: bool = False) -> TokenizedExamples:
    """Records (dicts with prompt/response) -> examples with input_ids, labels, length and
    record_id / part / parts (which record, which of its pieces), and with keep_text their
    prompt and response texts. cfg keys: max_length, max_target_length (encoder-decoder),
    system_prompt (optional), chunk_long_records (causal LMs: split a record that does not fit
    instead of cutting it)."""
    out = TokenizedExamples(examples=[])
    system = cfg.get("system_prompt")
    for row in rows:
        if not row["response"].strip():
            out.dropped_empty += 1
            continue
        if encoder_decoder:
            example, truncated = seq2seq_example(
                tokenizer, row["prompt"], row["response"], cfg["max_length"], cfg["max_target_length"], system
            )
            examples, whole = [example], len(tokenizer(text_target=row["response"])["input_ids"])
            if keep_text:
                example.update(prompt=row["prompt"], response=row["response"])
        else:
            example, prompt_cut, whole = causal_example_parts(tokenizer, row["prompt"], row["response"],
                                                              cfg["max_length"], system)
            truncated = prompt_cut or labelled_tokens(example) < whole
            example["prompt_cut"] = prompt_cut
            examples = [example]
            if keep_text:
                example.update(prompt=row["prompt"], response=row["response"])
            if labelled_tokens(example) < whole and cfg.get("chunk_long_records"):
                examples, pieces, split, truncated = chunked_examples(tokenizer, row, cfg["max_length"], system)
                out.chunked_records += 1
                out.split_at_lines += split
                if keep_text:
                    for example, (prompt, response) in zip(examples, pieces):
                        example.update(prompt=prompt, response=response)
        examples = [e for e in examples if labelled_tokens(e)]
        if not examples:
            out.dropped_empty += 1  # the prompt filled max_length: nothing left to learn from
            continue
        out.truncated += truncated
        out.prompts_cut += sum(bool(e.get("prompt_cut")) for e in examples)
        out.response_tokens += whole
        out.trained_response_tokens += min(whole, sum(labelled_tokens(e) for e in examples))
        for part, example in enumerate(examples, start=1):
            example.update(length=len(example["input_ids"]), record_id=str(row.get("id", "")), part=part,
                           parts=len(examples))
            out.examples.append(example)
    return out


@dataclass
class PaddingCollator:
    """Pads a batch on the right and counts the real (non-pad) tokens it saw, so throughput can
    be reported as useful tokens/s rather than padded ones. `max_length` pads every batch to that
    width (the plain baseline the benchmark compares against); None pads to the longest row.
    `completion_logits_only` adds the inputs that make a causal LM compute logits only where the
    loss needs them (see completion_positions). Packed sequences (budgetai.train.packing) keep
    their position_ids."""

    pad_token_id: int
    pad_to_multiple_of: int | None = 8
    max_length: int | None = None
    completion_logits_only: bool = False
    tokens_seen: int = field(default=0)
    padded_tokens: int = field(default=0)

    def _width(self, longest: int) -> int:
        if self.max_length:
            return max(self.max_length, longest)
        m = self.pad_to_multiple_of
        return -(-longest // m) * m if m else longest

    def __call__(self, features: list[dict]) -> dict:
        width = self._width(max(len(f["input_ids"]) for f in features))
        same_length = all(len(f["labels"]) == len(f["input_ids"]) for f in features)
        label_width = width if same_length else self._width(max(len(f["labels"]) for f in features))
        packed = "position_ids" in features[0]
        batch = {"input_ids": [], "attention_mask": [], "labels": []} | ({"position_ids": []} if packed else {})
        for f in features:
            n, k = len(f["input_ids"]), len(f["labels"])
            self.tokens_seen += n
            self.padded_tokens += width
            batch["input_ids"].append(f["input_ids"] + [self.pad_token_id] * (width - n))
            batch["attention_mask"].append([1] * n + [0] * (width - n))
            batch["labels"].append(f["labels"] + [IGNORE_INDEX] * (label_width - k))
            if packed:  # padding restarts at 0: a sequence of its own that no example attends to
                batch["position_ids"].append(f["position_ids"] + list(range(width - n)))
        tensors = {key: torch.tensor(value) for key, value in batch.items()}
        if self.completion_logits_only:
            tensors.update(completion_positions(tensors["labels"]))
        return tensors


def completion_positions(labels: torch.Tensor) -> dict:
    """`logits_to_keep`: a bool mask of the positions whose next token is trained on, and
    `shift_labels`: the tokens those positions predict, flattened. Given both, a transformers
    causal LM projects only those hidden states onto the vocabulary and takes its loss over them:
    prompt and padding positions (most of a QA batch) cost no lm_head matmul, no float32 logits
    and no softmax over a 49k-token vocabulary. The loss is the same as with full logits."""
    targets = labels[:, 1:]
    keep = torch.zeros_like(labels, dtype=torch.bool)
    keep[:, :-1] = targets != IGNORE_INDEX
    return {"logits_to_keep": keep, "shift_labels": targets[keep[:, :-1]]}


def computes_selected_logits(model) -> bool:
    """Whether `model` (a peft wrapper or a plain model) takes completion_positions' inputs:
    transformers causal LMs do; seq2seq models and some remote-code ones do not."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return (not getattr(base.config, "is_encoder_decoder", False)
            and "logits_to_keep" in inspect.signature(base.forward).parameters)
