"""Which floating-point type a model computes in on this machine.

`compute_dtype: auto` (the default of training and evaluation) resolves here: bfloat16 where the
hardware multiplies it natively (a CUDA GPU that supports it; a CPU that reports AVX512-BF16 or
AMX, where a SmolLM2-shaped matmul measured 8x the float32 one), float32 everywhere else (on an
AVX2-only CPU bf16 is emulated and slower than float32). An explicit dtype is taken as written.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from pathlib import Path

import torch

log = logging.getLogger(__name__)

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
COMPUTE_DTYPES = ("auto", *DTYPES)
# /proc/cpuinfo flags of the instructions that multiply bf16 natively (oneDNN uses them).
FAST_BF16_CPU_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as Linux reports them; empty where there is no /proc/cpuinfo."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def cpu_has_fast_bf16(flags: frozenset[str] | None = None) -> bool:
    return bool(FAST_BF16_CPU_FLAGS & (cpu_flags() if flags is None else flags))


def resolve_compute_dtype(name: str, flags: frozenset[str] | None = None) -> str:
    """The dtype name `auto` stands for on this machine (an explicit name is returned as is)."""
    if name not in COMPUTE_DTYPES:
        raise ValueError(f"compute_dtype {name!r} is not one of {COMPUTE_DTYPES}")
    if name != "auto":
        return name
    if torch.cuda.is_available():
        return "bfloat16" if torch.cuda.is_bf16_supported() else "float32"
    return "bfloat16" if cpu_has_fast_bf16(flags) else "float32"


# A SmolLM2-135M MLP projection over a batch of 2048 tokens: the shape training's matmuls have.
MATMUL_PROBE_SHAPE = (2048, 576, 1536)


def matmul_gflops(dtype: str, shape: tuple[int, int, int] = MATMUL_PROBE_SHAPE, seconds: float = 0.5,
                  device: str | torch.device = "cpu") -> float:
    """This machine's measured matmul throughput in `dtype` (GFLOP/s, 2*m*k*n per product): the
    ceiling that achieved training FLOP/s is compared with. The best of repeated timings, so a
    neighbour's load during one repetition does not lower it."""
    m, k, n = shape
    torch_dtype = DTYPES[resolve_compute_dtype(dtype)]
    a = torch.randn(m, k, device=device).to(torch_dtype)
    b = torch.randn(k, n, device=device).to(torch_dtype)
    sync = torch.cuda.synchronize if torch.device(device).type == "cuda" else (lambda: None)
    a @ b  # warm-up: oneDNN picks and caches its kernel on the first call
    best, spent = float("inf"), 0.0
    while spent < seconds:
        sync()
        started = time.perf_counter()
        for _ in range(4):
            a @ b
        sync()
        elapsed = (time.perf_counter() - started) / 4
        best, spent = min(best, elapsed), spent + 4 * elapsed
    return 2 * m * k * n / best / 1e9
