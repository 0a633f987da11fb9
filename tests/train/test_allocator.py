"""The training job re-executes itself once with tcmalloc/jemalloc preloaded, unless told not to."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from budgetai.train import allocator

PROBE = """
import os, sys
from budgetai.train.allocator import use_fast_allocator
print("started", flush=True)
use_fast_allocator(sys.argv[1])
mapped = [line.split()[-1] for line in open("/proc/self/maps") if "malloc" in line.split()[-1]]
print(os.environ.get("BUDGETAI_ALLOCATOR"), sorted(set(mapped)), sys.argv[1:])
"""


def probe(tmp_path, mode: str, env: dict | None = None) -> list[str]:
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    done = subprocess.run([sys.executable, str(script), mode, "extra-arg"], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=True)
    return done.stdout.splitlines()


@pytest.fixture
def installed_library():
    library = allocator.find_allocator()
    if library is None:
        pytest.skip("no tcmalloc/jemalloc installed (make setup installs libtcmalloc-minimal4)")
    return library


def test_auto_reexecutes_once_with_the_library_preloaded(tmp_path, installed_library):
    lines = probe(tmp_path, "auto")
    assert lines[:2] == ["started", "started"]  # the script ran twice: before and after the exec
    marker, mapped = lines[2].split(" ", 1)
    assert marker == installed_library  # the re-executed process says which library it got ...
    assert installed_library.split(".so")[0] in mapped  # ... which is mapped into it
    assert mapped.endswith("['auto', 'extra-arg']")  # with the same arguments


def test_system_mode_and_an_already_preloaded_process_do_not_reexecute(tmp_path, installed_library):
    assert probe(tmp_path, "system") == ["started", "None [] ['system', 'extra-arg']"]
    lines = probe(tmp_path, "auto", env={allocator.MARKER: "set-by-a-parent"})
    assert lines[0] == "started" and len(lines) == 2 and lines[1].startswith("set-by-a-parent []")


def test_without_a_library_the_process_goes_on(monkeypatch):
    monkeypatch.delenv(allocator.MARKER, raising=False)
    monkeypatch.setattr(allocator, "find_allocator", lambda: None)
    monkeypatch.setattr(allocator.os, "execve", lambda *a: pytest.fail("must not re-execute"))
    allocator.use_fast_allocator("auto")


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="'tcmalloc'"):
        allocator.use_fast_allocator("tcmalloc")
