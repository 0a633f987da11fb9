"""compute_dtype auto: bf16 where the CPU multiplies it natively, float32 elsewhere."""

from __future__ import annotations

import pytest
import torch

from budgetai.model.precision import cpu_flags, cpu_has_fast_bf16, resolve_compute_dtype

AVX2_ONLY = frozenset({"fpu", "sse4_2", "avx", "avx2", "fma"})
AVX512_BF16 = AVX2_ONLY | {"avx512f", "avx512bw", "avx512_bf16"}
AMX = AVX2_ONLY | {"amx_tile", "amx_bf16", "amx_int8"}


@pytest.fixture
def no_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


@pytest.mark.parametrize("flags,expected", [(AVX2_ONLY, "float32"), (AVX512_BF16, "bfloat16"), (AMX, "bfloat16"),
                                            (frozenset(), "float32")])
def test_auto_follows_the_cpu_flags(no_cuda, flags, expected):
    assert resolve_compute_dtype("auto", flags) == expected
    assert cpu_has_fast_bf16(flags) is (expected == "bfloat16")


@pytest.mark.parametrize("name", ["float32", "bfloat16", "float16"])
def test_an_explicit_dtype_is_kept_whatever_the_cpu(no_cuda, name):
    assert resolve_compute_dtype(name, AVX2_ONLY) == name
    assert resolve_compute_dtype(name, AMX) == name


def test_an_unknown_dtype_names_the_choices():
    with pytest.raises(ValueError, match="'fp8'.*auto"):
        resolve_compute_dtype("fp8")


def test_auto_on_a_gpu_follows_its_bf16_support(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    for supported, expected in ((True, "bfloat16"), (False, "float32")):
        monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda supported=supported: supported)
        assert resolve_compute_dtype("auto", AVX2_ONLY) == expected


def test_this_machine_reports_its_flags():
    flags = cpu_flags()
    if not flags:
        pytest.skip("no /proc/cpuinfo flags line on this machine")
    assert "fpu" in flags or "sse2" in flags  # every x86-64 CPU has these
