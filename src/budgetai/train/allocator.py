"""Train under tcmalloc (or jemalloc) rather than glibc's malloc.

PyTorch frees and reallocates activation buffers of many sizes every step, and glibc's heap
fragments: its peak RSS grew from step to step. bench/train_throughput.py, default experiment
(SmolLM2-135M, QLoRA nf4, batches of 4 x 384 tokens, 2 cores): peak RSS 6,860 MB under glibc,
4,857 MB under tcmalloc, and 133 vs 150 useful tokens/s (bench/results/). The allocator must be
in place before the process starts, so the job re-executes itself once with LD_PRELOAD set. Where
no such library is installed, or `allocator: system` is configured, nothing changes.
"""

from __future__ import annotations

import ctypes.util
import logging
import os
import sys

log = logging.getLogger(__name__)

# In order of preference: tcmalloc_minimal has no profiler dependencies (Debian:
# libtcmalloc-minimal4); jemalloc (libjemalloc2) does the same job.
LIBRARIES = ("tcmalloc_minimal", "tcmalloc", "jemalloc")
# Set in the re-executed process: it names the library in use and stops a second re-exec.
MARKER = "BUDGETAI_ALLOCATOR"


def find_allocator() -> str | None:
    """The soname of the first installed allocator library (the dynamic loader finds it)."""
    for name in LIBRARIES:
        found = ctypes.util.find_library(name)
        if found:
            return found
    return None


def use_fast_allocator(mode: str = "auto") -> None:
    """Re-execute this process (same interpreter and argv) with a faster allocator preloaded.
    Returns only when nothing is to be done; otherwise the process image is replaced."""
    if mode not in ("auto", "system"):
        raise ValueError(f"training allocator: {mode!r}, use 'auto' or 'system'")
    if mode == "system" or os.environ.get(MARKER):
        return
    library = find_allocator()
    if library is None:
        log.info("no tcmalloc/jemalloc installed; training with the system allocator")
        return
    env = dict(os.environ)
    env[MARKER] = library
    env["LD_PRELOAD"] = " ".join(filter(None, (library, env.get("LD_PRELOAD"))))
    # tcmalloc reports every allocation over 1 GB on stderr; logits of a big batch are that size.
    env.setdefault("TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD", str(1 << 40))
    log.info("re-executing with %s preloaded", library)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, *sys.argv], env)
