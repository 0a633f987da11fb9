"""Loading a prepared model directory for training or inference.

quantization: "nf4" | "fp4" (4-bit, QLoRA, double quantization), "int8" (8-bit, seed 004's
FLAN-T5 setup), or "none". Causal LMs and encoder-decoders (T5 family) both load here; which one
is read from the model's config. compute_dtype: "auto" (budgetai.model.precision) or a dtype name.

4-bit quantization stores a linear layer's weights in blocks of FOUR_BIT_BLOCK values along its
input dimension, and bitsandbytes' CPU kernel for AVX512-BF16 machines repacks them in groups of
FOUR_BIT_PACK_ROWS output rows; a layer that does not fit both (a narrow projection, an odd
vocabulary head) fails inside bitsandbytes, and on one kind of CPU only. Such layers stay in full
precision on every machine, so the same layers are quantized wherever a model loads.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from pathlib import Path

import bitsandbytes as bnb
import torch
from peft import PeftModel
from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    BitsAndBytesConfig,
)
from transformers.quantizers.base import get_keys_to_not_convert

from budgetai.model.precision import DTYPES, resolve_compute_dtype

log = logging.getLogger(__name__)

QUANTIZATIONS = ("nf4", "fp4", "int8", "none")
FOUR_BIT_QUANTIZATIONS = ("nf4", "fp4")
FOUR_BIT_BLOCK = 64  # bitsandbytes' blocksize for 4-bit weights (Params4bit's default)
FOUR_BIT_PACK_ROWS = 32  # block_n of bitsandbytes' _convert_weight_packed_for_cpu


def is_encoder_decoder(model_dir: str | Path, trust_remote_code: bool = False) -> bool:
    return bool(AutoConfig.from_pretrained(model_dir, trust_remote_code=trust_remote_code).is_encoder_decoder)


def quantization_config(quantization: str, compute_dtype: str = "float32",
                        skip_modules: list[str] | None = None) -> BitsAndBytesConfig | None:
    """skip_modules: every module to keep unquantized (it replaces transformers' default list)."""
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization {quantization!r} is not one of {QUANTIZATIONS}")
    if quantization == "none":
        return None
    if quantization == "int8":
        return BitsAndBytesConfig(load_in_8bit=True, llm_int8_skip_modules=skip_modules)
    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type=quantization,
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=DTYPES[resolve_compute_dtype(compute_dtype)],
        llm_int8_skip_modules=skip_modules,  # transformers reads it for 4-bit too
    )


def fits_four_bit(layer: torch.nn.Linear) -> bool:
    return layer.in_features % FOUR_BIT_BLOCK == 0 and layer.out_features % FOUR_BIT_PACK_ROWS == 0


def full_precision_linear_layers(model) -> list[str]:
    """Names of the linear layers (of a loaded model or a meta-device skeleton) that 4-bit
    quantization leaves in full precision because their shape does not fit its blocks."""
    return [name for name, module in model.named_modules()
            if type(module) is torch.nn.Linear and not fits_four_bit(module)]


def four_bit_skip_modules(auto, model_dir, trust_remote_code: bool) -> list[str]:
    """transformers' own unquantized modules (embeddings, head, ...) plus the linear layers that
    do not fit 4-bit blocks, read from a weightless skeleton of the model."""
    config = AutoConfig.from_pretrained(model_dir, trust_remote_code=trust_remote_code)
    with torch.device("meta"):
        skeleton = auto.from_config(config, trust_remote_code=trust_remote_code)
    narrow = full_precision_linear_layers(skeleton)
    if narrow:
        log.warning("%s: %d linear layer(s) stay in full precision, their shape does not fit 4-bit blocks "
                    "of %d inputs x %d outputs: %s", model_dir, len(narrow), FOUR_BIT_BLOCK, FOUR_BIT_PACK_ROWS,
                    ", ".join(narrow[:8]) + (" ..." if len(narrow) > 8 else ""))
    # Exact names: transformers matches these as regular expressions from the module path's start.
    return sorted(set(get_keys_to_not_convert(skeleton)) | {re.escape(name) for name in narrow})


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


def keep_four_bit_layers_differentiable(model) -> None:
    """Stop bitsandbytes from repacking 4-bit weights for its CPU inference kernel. It repacks a
    layer the first time the layer runs in eval mode without grad (the Trainer's evaluation does
    that), and keeps the packed weights when training resumes; that kernel passes no gradient to
    its input, so on an AVX512-BF16 CPU every LoRA weight below the last 4-bit layer got a zero
    gradient once the first evaluation had run (measured on the tiny test model). For models
    that train; inference keeps the fast kernel."""
    for module in model.modules():
        if isinstance(module, bnb.nn.Linear4bit):
            module.support_avx512bf16_for_cpu = False


def hold_frozen_weights_in(model, dtype: torch.dtype) -> int:
    """Cast the frozen float weights (embeddings, LM head, norms: what 4-bit quantization leaves
    unquantized, and what peft's prepare_model_for_kbit_training upcasts to float32) to the
    compute dtype. Under bf16 autocast a float32 LM head is recast to bf16 at every forward, and
    float32 embeddings keep the whole residual stream in float32; bf16 has float32's range, so
    the upcast buys no stability there. Returns how many parameters were cast."""
    cast = 0
    for param in model.parameters():
        if not param.requires_grad and param.dtype == torch.float32 and not isinstance(param, bnb.nn.Params4bit):
            param.data = param.data.to(dtype)
            cast += param.numel()
    return cast


def load_model(
    model_dir: str | Path,
    quantization: str = "none",
    compute_dtype: str = "auto",
    adapter_dir: str | Path | None = None,
    trust_remote_code: bool = False,
):
    """The base model (quantized as asked, its float weights in compute_dtype) with the LoRA
    adapter attached when given."""
    auto = AutoModelForSeq2SeqLM if is_encoder_decoder(model_dir, trust_remote_code) else AutoModelForCausalLM
    dtype = resolve_compute_dtype(compute_dtype)
    kwargs = {"dtype": DTYPES[dtype], "use_safetensors": True, "trust_remote_code": trust_remote_code}
    skip = four_bit_skip_modules(auto, model_dir, trust_remote_code) if quantization in FOUR_BIT_QUANTIZATIONS else None
    qconfig = quantization_config(quantization, dtype, skip)
    if qconfig is not None:
        kwargs["quantization_config"] = qconfig
        if torch.cuda.is_available():
            kwargs["device_map"] = {"": local_device().index}  # bnb quantizes as it places weights
    model = auto.from_pretrained(model_dir, **kwargs)
    if qconfig is not None and not torch.cuda.is_available():
        release_checkpoint_file(model)
    if adapter_dir is not None:
        model = PeftModel.from_pretrained(model, adapter_dir)
    if qconfig is None and torch.cuda.is_available():
        model = model.to(local_device())
    return model
