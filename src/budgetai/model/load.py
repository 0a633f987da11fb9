"""Loading a prepared model directory for training or inference.

quantization: "nf4" | "fp4" (4-bit, QLoRA, double quantization), "int8" (8-bit, seed 004's
FLAN-T5 setup), or "none". Causal LMs and encoder-decoders (T5 family) both load here; which one
is read from the model's config.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import torch
from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    BitsAndBytesConfig,
)

QUANTIZATIONS = ("nf4", "fp4", "int8", "none")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def is_encoder_decoder(model_dir: str | Path, trust_remote_code: bool = False) -> bool:
    return bool(AutoConfig.from_pretrained(model_dir, trust_remote_code=trust_remote_code).is_encoder_decoder)


def quantization_config(quantization: str, compute_dtype: str = "float32") -> BitsAndBytesConfig | None:
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization {quantization!r} is not one of {QUANTIZATIONS}")
    if quantization == "none":
        return None
    if quantization == "int8":
        return BitsAndBytesConfig(load_in_8bit=True)
    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type=quantization,
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=DTYPES[compute_dtype],
    )


def local_device() -> torch.device:
    """This process's device: under torchrun / accelerate launch each rank owns GPU LOCAL_RANK
    (GPU 0 for every rank would put all copies of the model on one card)."""
    if not torch.cuda.is_available():
        return torch.device("cpu")
    return torch.device("cuda", int(os.environ.get("LOCAL_RANK", torch.cuda.current_device())))


def load_tokenizer(model_dir: str | Path, trust_remote_code: bool = False):
    tokenizer = AutoTokenizer.from_pretrained(model_dir, trust_remote_code=trust_remote_code)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def release_checkpoint_file(model) -> None:
    """Copy the float tensors bitsandbytes leaves unquantized (embeddings, norms) out of the
    safetensors memory map, so the map closes. While one tensor views it, every page that
    quantization read stays resident: a 4-bit SmolLM2-135M held the whole 0.53 GB file on top of
    its 0.17 GB of weights, more than the float model (whose unread pages are never loaded)."""
    for tensor in itertools.chain(model.parameters(), model.buffers()):
        if tensor.dtype.is_floating_point:
            tensor.data = tensor.data.clone()  # tied weights share the Parameter: stay tied


def load_model(
    model_dir: str | Path,
    quantization: str = "none",
    compute_dtype: str = "float32",
    adapter_dir: str | Path | None = None,
    trust_remote_code: bool = False,
):
    """The base model (quantized as asked) with the LoRA adapter attached when given."""
    auto = AutoModelForSeq2SeqLM if is_encoder_decoder(model_dir, trust_remote_code) else AutoModelForCausalLM
    kwargs = {"dtype": DTYPES[compute_dtype], "use_safetensors": True, "trust_remote_code": trust_remote_code}
    qconfig = quantization_config(quantization, compute_dtype)
    if qconfig is not None:
        kwargs["quantization_config"] = qconfig
        if torch.cuda.is_available():
            kwargs["device_map"] = {"": local_device().index}  # bnb quantizes as it places weights
    model = auto.from_pretrained(model_dir, **kwargs)
    if qconfig is not None and not torch.cuda.is_available():
        release_checkpoint_file(model)
    if adapter_dir is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter_dir)
    if qconfig is None and torch.cuda.is_available():
        model = model.to(local_device())
    return model
