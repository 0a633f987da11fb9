"""Hostile programs and broken inputs around evaluation and ingest: each test is named after the
attack. A sandboxed program must not fill the host's disk, must not be handed a weaker sandbox
without anyone asking for it, and must not hide the CPU it burns; a reader must not lose rows
or a whole source to one repeated id or a missing column.
"""

import os
import shutil
import tempfile
import textwrap
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from budgetai.haskell import sandbox
from budgetai.evaluate.scoring import score_sample
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.sandbox import (SandboxLimits, SandboxUnavailableError, run_sandboxed,
                                       sandbox_backend)
from budgetai.suites.load import Problem
from budgetai.sources import stackexchange, the_stack
from budgetai.core.stats import StageStats

needs_bwrap = pytest.mark.skipif(sandbox_backend() != "bwrap",
                                 reason="bubblewrap does not work here")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the unshare backend needs root")
HEADER = b'<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'

FILL_THE_DISK = """\
import os
chunk = b"x" * (1 << 20)
written = 0
try:
    for n in range(12):  # 768 MiB in files of 64 MiB, each under the per-file limit
        with open(f"fill{n}.bin", "wb") as out:
            for _ in range(64):
                out.write(chunk)
                written += len(chunk)
finally:
    print(written >> 20, "MiB")
"""

TEMPLATE_HASKELL_FILLS_THE_DISK = """\
{-# LANGUAGE TemplateHaskell #-}
import qualified Data.ByteString.Char8 as B
import Language.Haskell.TH (runIO, stringE)

main :: IO ()
main = putStrLn $(runIO (mapM_ (\\n -> B.writeFile ("fill" ++ show n)
                                                 (B.replicate (64 * 2 ^ 20) 'x'))
                               [1 .. 12 :: Int]) >> stringE "done")
"""


@pytest.fixture
def no_bubblewrap(monkeypatch):
    """This machine as one without bubblewrap: `which` finds no bwrap, detection starts over."""
    real_which = shutil.which
    monkeypatch.setattr(sandbox.shutil, "which",
                        lambda name, *rest: None if name == "bwrap" else real_which(name, *rest))
    sandbox.sandbox_backend.cache_clear()
    yield
    sandbox.sandbox_backend.cache_clear()


def _python(workdir: Path, source: str, limits: SandboxLimits, **kwargs):
    (workdir / "prog.py").write_text(textwrap.dedent(source))
    return run_sandboxed(["python3", "prog.py"], workdir, limits, **kwargs)


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / (1 << 20)


@needs_bwrap
def test_program_that_fills_the_disk_is_stopped_by_the_work_area_cap(work):
    limits = SandboxLimits(cpu_s=20, wall_s=30, fsize_mb=64, work_mb=32)
    result = _python(work, FILL_THE_DISK, limits)
    assert result.status == "disk_exceeded", (result.status, result.stderr[-500:])
    assert int(result.stdout.split()[0]) <= 32  # MiB written before the cap said no
    assert sorted(p.name for p in work.iterdir()) == ["prog.py"]  # nothing reached the host
    assert _du_mb(work) < 1


def test_work_area_cap_is_configurable_with_a_default_for_compile_and_run():
    cfg = ExecutionConfig()
    assert cfg.compile_limits.work_mb == 256 and cfg.limits_for_run().work_mb == 256
    cfg = ExecutionConfig.from_dict({"compile_limits": {"work_mb": 64},
                                     "run_limits": {"work_mb": 8}, "timeout_per_test_s": 2})
    assert cfg.compile_limits.work_mb == 64 and cfg.limits_for_run().work_mb == 8


@needs_bwrap
@pytest.mark.ghc
@pytest.mark.slow
def test_template_haskell_splice_that_fills_the_disk_fails_the_compile(work):
    problem = Problem(id="fill", prompt="", tests=[{"input": "", "output": "done"}],
                      language="haskell", format="stdio")
    cfg = ExecutionConfig.from_dict({"compile_limits": {"work_mb": 48}})
    before = shutil.disk_usage(tempfile.gettempdir()).used
    result = score_sample(problem, 0, f"```haskell\n{TEMPLATE_HASKELL_FILLS_THE_DISK}```", cfg)
    grown_mb = (shutil.disk_usage(tempfile.gettempdir()).used - before) / (1 << 20)
    assert result.status == "compile_error" and result.compile_error_class == "disk_exceeded", (
        result.compile_stderr)
    assert "No space left on device" in result.compile_stderr
    assert grown_mb < 100  # the splice tried to write 768 MiB; the host's disk saw none of it


@needs_bwrap
def test_compiled_program_comes_back_but_nothing_else_the_compiler_wrote(work):
    result = _python(work, """
        open("main", "w").write("#!/bin/sh\\necho kept\\n")
        open("scratch.o", "w").write("x" * 1000)
    """, SandboxLimits(), keep="main")
    assert result.status == "ok", result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["main", "prog.py"]
    assert run_sandboxed(["./main"], work, SandboxLimits()).stdout == b"kept\n"


@needs_root
def test_missing_bubblewrap_is_refused_instead_of_a_silent_unshare_fallback(work, no_bubblewrap):
    assert sandbox_backend() == "none"  # unshare works here (root), yet is not picked on its own
    with pytest.raises(SandboxUnavailableError) as refused:
        _python(work, "print(open('/etc/passwd').read())\n", SandboxLimits())
    message = str(refused.value)
    assert "bubblewrap" in message and "backend: unshare" in message
    assert "allow_unsandboxed" in message


@needs_root
def test_unshare_backend_runs_only_when_the_config_names_it(no_bubblewrap):
    problem = Problem(id="echo", prompt="", tests=[{"input": "7\n", "output": "7"}],
                      language="python", format="stdio")
    code = "```python\nprint(input())\n```"
    with pytest.raises(SandboxUnavailableError, match="backend: unshare"):
        score_sample(problem, 0, code, ExecutionConfig())
    cfg = ExecutionConfig.from_dict({"backend": "unshare"})
    assert cfg.sandbox_backend() == "unshare"
    assert score_sample(problem, 0, code, cfg).status == "passed"
    with pytest.raises(ValueError, match="backend"):
        ExecutionConfig.from_dict({"backend": "chroot"})


def test_eval_result_names_the_backend_it_ran_under():
    assert ExecutionConfig().sandbox_backend() == sandbox_backend()
    assert ExecutionConfig(backend="unshare").sandbox_backend() == "unshare"


@needs_bwrap
def test_cpu_burning_program_reports_its_cpu_time_under_bubblewrap(work):
    result = _python(work, """
        import os, time
        child = os.fork()
        while time.process_time() < 0.6:  # each of the two processes burns 0.6 s of CPU
            pass
        if child:
            os.waitpid(child, 0)
    """, SandboxLimits(cpu_s=10, wall_s=20))
    assert result.status == "ok", result.stderr
    assert result.cpu_s >= 1.1, result.cpu_s  # parent + the child it waited for


@needs_bwrap
def test_cpu_hog_under_bubblewrap_is_stopped_and_reported_by_its_cpu_time(work):
    result = _python(work, "while True:\n    pass\n", SandboxLimits(cpu_s=1, wall_s=8))
    assert result.status == "timeout"
    assert result.cpu_s >= 0.9 and result.wall_s < 6, (result.cpu_s, result.wall_s)


@needs_bwrap
def test_sleeping_program_killed_on_the_wall_clock_leaves_no_process_behind(work):
    result = _python(work, """
        import os, time
        os.fork()
        time.sleep(60)
    """, SandboxLimits(cpu_s=10, wall_s=1))
    assert result.status == "timeout"
    time.sleep(0.2)
    alive = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"prog.py" in (entry / "cmdline").read_bytes():
                alive.append(int(entry.name))
        except OSError:
            pass
    assert alive == []


def _posts(tmp_path: Path, *rows: str) -> str:
    path = tmp_path / "Posts.xml"
    body = b"".join(b"  " + row.encode() + b"\n" for row in rows)
    path.write_bytes(HEADER + body + b"</posts>\n")
    return str(path)


def _question(id, tags="&lt;haskell&gt;", accepted=None):
    extra = f' AcceptedAnswerId="{accepted}"' if accepted else ""
    return (f'<row Id="{id}" PostTypeId="1" CreationDate="2015-01-01T00:00:00.000" Score="1" '
            f'Body="&lt;p&gt;Q{id}&lt;/p&gt;" Title="Question {id}" Tags="{tags}"{extra} />')


def _answer(id, parent):
    return (f'<row Id="{id}" PostTypeId="2" ParentId="{parent}" '
            f'CreationDate="2015-02-01T00:00:00.000" Score="1" Body="&lt;p&gt;A{id}&lt;/p&gt;" />')


def _read_stackexchange(cfg):
    stats, quarantine = StageStats("ingest"), []
    records = list(stackexchange.read("so", cfg, stats, quarantine))
    stats.rows_out = len(records)
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


@pytest.mark.parametrize("tags,kept", [("&lt;haskell&gt;", ["so:2", "so:3"]),
                                       ("&lt;python&gt;", [])], ids=["parsed_row", "raw_bytes_row"])
def test_repeated_question_id_is_quarantined_with_its_line(tmp_path, tags, kept):
    """A haskell question is parsed; with `tags: [haskell]` a python one is dropped from its raw
    bytes without being parsed. Either way its second copy is caught."""
    path = _posts(tmp_path, _question(1, tags), _answer(2, 1), _question(1, tags), _answer(3, 1))
    cfg = {"path": path, "tags": ["haskell"], "answers": "all"}
    records, stats, quarantine = _read_stackexchange(cfg)
    assert sorted(r.id for r in records) == kept
    assert stats.quarantined == {"duplicate_id": 1}
    assert quarantine[0]["location"] == f"{path}:line 5" and "Id 1" in quarantine[0]["raw"]


def test_repeated_answer_id_does_not_make_two_records_with_one_id(tmp_path):
    path = _posts(tmp_path, _question(1), _answer(2, 1), _answer(2, 1), _answer(2, 1))
    records, stats, quarantine = _read_stackexchange({"path": path, "answers": "all"})
    assert [r.id for r in records] == ["so:2"]
    assert stats.quarantined == {"duplicate_id": 2}
    assert [q["location"] for q in quarantine] == [f"{path}:line 5", f"{path}:line 6"]


def test_repeated_id_on_the_raw_bytes_path_is_still_caught(tmp_path):
    """Rows the reader drops from their bytes alone (an untagged question, an answer to it, a
    tag wiki) still count as seen: a later row reusing one of their ids is a duplicate too."""
    path = _posts(tmp_path, _question(1, tags="&lt;python&gt;"), _answer(2, 1),
                  '<row Id="3" PostTypeId="4" />', _question(2), _question(3), _answer(1, 2))
    records, stats, quarantine = _read_stackexchange({"path": path, "tags": ["haskell"]})
    assert records == []
    assert stats.quarantined == {"duplicate_id": 3}
    assert [q["location"].rsplit(":", 1)[1] for q in quarantine] == ["line 6", "line 7", "line 8"]


def test_repeated_id_in_an_unsorted_file_is_not_counted_twice_by_the_second_pass(tmp_path):
    path = _posts(tmp_path, _answer(5, 9), _answer(5, 9), _question(9), _answer(6, 9))
    records, stats, quarantine = _read_stackexchange({"path": path, "answers": "all"})
    assert sorted(r.id for r in records) == ["so:5", "so:6"]
    assert stats.quarantined == {"duplicate_id": 1} and quarantine[0]["location"].endswith("line 4")


def test_stack_shard_without_content_column_is_an_error_naming_file_and_columns(tmp_path):
    shard = tmp_path / "shard.parquet"
    pq.write_table(pa.table({"text": ["module A where\n"], "max_stars_repo_name": ["o/r"],
                             "max_stars_repo_path": ["A.hs"]}), shard)
    stats, quarantine = StageStats("ingest"), []
    with pytest.raises(ValueError) as failed:
        list(the_stack.read("stack", {"files": [str(shard)]}, stats, quarantine))
    message = str(failed.value)
    assert str(shard) in message and "'content'" in message
    assert "max_stars_repo_name" in message and "'text'" in message
    assert quarantine == []


def test_repeated_question_id_keeps_the_books_balanced_in_the_default_mode(tmp_path):
    """The second copy used to replace the first question and the answer held for it, so that
    answer was never counted and the whole source failed with UnbalancedStatsError."""
    path = _posts(tmp_path, _question(1), _answer(2, 1), _question(1), _answer(3, 1))
    records, stats, _ = _read_stackexchange({"path": path})
    assert [r.id for r in records] == ["so:2"]
    assert stats.quarantined == {"duplicate_id": 1} and stats.dropped["not_selected"] == 1
