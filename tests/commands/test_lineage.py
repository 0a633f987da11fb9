"""`budgetai lineage` on a small results tree built by the real stage modules in tmp."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from budgetai.stages import clean, decontaminate, dedup, mixture, split
from budgetai.stages.dedup import signatures as signature_files
from budgetai.commands.lineage import count_copies, format_lineage, trace
from budgetai.core.manifest import build_manifest, write_manifest
from budgetai.core.records import Record, write_records

WORDS = ("monad functor fold map filter zip lazy thunk strict pattern guard where let case class "
         "instance data newtype record field type kind arrow lens prism parser token stream buffer "
         "socket thread mvar channel atomic vector array matrix graph tree heap queue stack").split()
SUITE_PROBLEM = ("Read an integer n from standard input and print the sum of the squares of all "
                 "integers from one to n inclusive on a single line")
CLEAN_CFG = {"require_language": None, "code_quality": False, "min_response_chars": 30}
SPLIT_CFG = {"train": 0.5, "val": 0.25, "test": 0.25}


def text(seed: int, n: int = 30) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(n))


def record(source: str, native: str, prompt: str, response: str, group: str | None = None) -> Record:
    return Record(id=f"{source}:{native}", source=source, kind="qa", prompt=prompt, response=response,
                  language="haskell", url=f"https://example.org/{source}/{native}", license="CC BY-SA 4.0",
                  group=group or f"{source}:g{native}", meta={})


def raw_sources() -> dict[str, list[Record]]:
    so = [record("so", str(i), f"Question {i}: {text(i)}", f"Answer {i}: {text(100 + i)}") for i in range(1, 13)]
    so.append(record("so", "pii", "How do I mail the author?   \r\n" + text(50),
                     "Write to jane.doe@example.com for help. " + text(51)))
    so.append(record("so", "short", "A question that is long enough " + text(52), "Too short answer."))
    so.append(record("so", "dup", so[0].prompt + "  ", so[0].response))  # same text after normalising
    so.append(record("so", "leak", "Please solve: " + SUITE_PROBLEM, "main = interact $ show . f . read"))
    book = [record("book", str(i), f"Chapter {i}: {text(200 + i)}", f"Text {i}: {text(300 + i)}") for i in range(1, 7)]
    book.append(record("book", "copy", so[1].prompt, so[1].response))  # exact copy across sources
    book.append(record("book", "ch1.html#repeat-and-replicate", "Chapter anchor " + text(400), "Text " + text(401)))
    return {"so": so, "book": book}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    """raw -> clean -> signatures -> dedup -> decontaminate -> split -> two mixtures, with the
    clean stage's cfg only in its manifest (as the workflow writes it)."""
    root = tmp_path_factory.mktemp("lineage") / "results"
    cleaned, sigs = [], []
    for source, rows in raw_sources().items():
        out = root / "sources" / source
        write_records(rows, out / "raw.parquet")
        clean.run(out / "raw.parquet", out / "clean.parquet", out / "clean_stats.json", CLEAN_CFG)
        manifest = build_manifest(out / "clean.parquet", "clean", {"source": source}, {"cfg": CLEAN_CFG}, {}, "t0")
        write_manifest(manifest, out / "clean.parquet")
        signature_files.run(out / "clean.parquet", out / "minhash.parquet", {})
        cleaned.append(out / "clean.parquet")
        sigs.append(out / "minhash.parquet")
    data = root / "dataset"
    dedup.run(cleaned, sigs, data / "dedup.parquet", data / "dedup_clusters.parquet", data / "dedup_stats.json",
              {"source_priority": ["so", "book"]})
    suite = root.parent / "problems.jsonl"
    suite.write_text(json.dumps({"id": "sum-squares", "prompt": SUITE_PROBLEM, "tests": [{"input": "", "output": ""}],
                                 "language": "haskell"}) + "\n")
    decontaminate.run(data / "dedup.parquet", [{"name": "problems", "format": "stdio", "path": str(suite)}],
                      data / "decontaminated.parquet", data / "decontamination.json",
                      data / "decontaminate_stats.json", {"ngram": 8})
    split.run(data / "decontaminated.parquet", *(data / f"{n}.parquet" for n in ("train", "val", "test")),
              data / "split_stats.json", SPLIT_CFG)
    for exp, cfg in {"all": {"weights": {"so": 2.0}}, "book_only": {"sources": ["book"]}}.items():
        out = root / "experiments" / exp / "data"
        mixture.run(data / "train.parquet", data / "val.parquet", out / "train.parquet", out / "val.parquet",
                    out / "mixture_stats.json", cfg)
    return root


def steps(lineage) -> dict[str, tuple[str, str]]:
    return {s.stage: (s.status, s.detail) for s in lineage.steps}


def test_kept_row_reaches_its_split_and_mixtures(results):
    row = raw_sources()["so"][2]
    lineage = trace(row.id, results)
    assert lineage.origin["url"] == row.url and lineage.origin["license"] == "CC BY-SA 4.0"
    assert lineage.origin["group"] == row.group and lineage.origin["kind"] == "qa"
    got = steps(lineage)
    assert got["clean"][0] == "kept" and got["dedup"][0] == "kept" and got["decontaminate"][0] == "kept"
    expected = split.assign_groups(pq.read_table(results / "dataset" / "decontaminated.parquet").to_pylist(),
                                   split.resolve_cfg(SPLIT_CFG))[row.group]
    assert got["split"] == ("kept", f"{expected} (group {row.group!r})")
    if expected == "train":
        assert got["mixture"][1] == "in all (train, 2 copies)"
    elif expected == "val":
        assert got["mixture"][1] == "in all (val)"
    else:
        assert got["mixture"] == ("unused", "in no experiment's mixture")


def test_changed_row_names_the_rewrites_with_a_diff(results):
    got = steps(trace("so:pii", results))
    status, detail = got["clean"]
    assert status == "changed"
    assert "whitespace/unicode normalised" in detail and "PII scrubbed (EMAIL x1)" in detail
    assert "-Write to jane.doe@example.com" in detail and "+Write to <EMAIL>" in detail
    assert "stale" not in detail


def test_clean_drop_reason_uses_the_manifest_cfg(results):
    got = steps(trace("so:short", results))  # 18 chars: kept by the default min 10, dropped by 30
    assert got["clean"] == ("dropped", "dropped by clean: response_too_short")
    assert "dedup" not in got


def test_clean_drop_of_an_in_source_duplicate_replays_earlier_rows(results):
    assert steps(trace("so:dup", results))["clean"] == ("dropped", "dropped by clean: duplicate_in_source")


def test_dedup_names_the_kept_row_and_the_cluster(results):
    status, detail = steps(trace("book:copy", results))["dedup"]
    assert status == "dropped"
    assert detail.startswith("removed: exact duplicate of so:2 in cluster exact-") and "similarity 1.000" in detail
    kept = steps(trace("so:2", results))["dedup"]
    assert kept[0] == "kept" and "representative of exact cluster" in kept[1] and "book:copy" in kept[1]


def test_decontamination_names_suite_and_item(results):
    status, detail = steps(trace("so:leak", results))["decontaminate"]
    assert status == "dropped"
    assert "suite 'problems'" in detail and "item 'sum-squares'" in detail


def test_mixture_copy_ids_trace_back_and_are_counted(results):
    train_ids = pq.read_table(results / "experiments" / "all" / "data" / "train.parquet").column("id").to_pylist()
    so_id = next(i for i in train_ids if i.startswith("so:") and "#rep" not in i)
    assert count_copies(results / "experiments" / "all" / "data" / "train.parquet", so_id) == 2
    assert count_copies(results / "experiments" / "book_only" / "data" / "train.parquet", so_id) == 0
    assert trace(so_id + "#rep1", results).row_id == so_id
    anchored = "book:ch1.html#repeat-and-replicate"  # a "#rep..." that is part of the native id
    assert trace(anchored, results).row_id == anchored
    assert steps(trace(anchored, results))["ingest"][0] == "kept"


def test_unknown_row_is_an_error(results):
    with pytest.raises(KeyError, match="no results/sources/\\*/raw.parquet"):
        trace("nowhere:1", results)


def test_cli_exits_non_zero_for_a_row_that_is_nowhere(results):
    cli = [str(Path(sys.executable).with_name("budgetai")), "lineage", "so:no-such-row", "--results", str(results)]
    proc = subprocess.run(cli, capture_output=True, text=True, cwd=results.parent)
    assert proc.returncode == 1 and "has no row 'so:no-such-row'" in proc.stdout


def test_cli_prints_text_and_json(results, capsys):
    cli = [str(Path(sys.executable).with_name("budgetai")), "lineage", "so:pii", "--results", str(results)]
    proc = subprocess.run(cli, capture_output=True, text=True, cwd=results.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("row so:pii\n  source       so\n")
    assert "  clean          changed" in proc.stdout
    as_json = json.loads(subprocess.run(cli + ["--json"], capture_output=True, text=True, cwd=results.parent).stdout)
    assert as_json["origin"]["source"] == "so" and [s["stage"] for s in as_json["steps"]][:2] == ["ingest", "clean"]
    assert format_lineage(trace("so:short", results)).endswith("  mixture        -")
    print(proc.stdout)


def test_lineage_names_the_reader_and_reason_of_an_ingest_drop(work):
    """A unit the reader dropped (no code example for its qa view) or quarantined (a task without
    description) is explained, not only reported missing from raw.parquet."""
    from budgetai.stages.ingest import ingest
    from tests.sources.test_task_solutions import FIXTURE as TASKS
    from tests.sources.test_textbook_dialects import FIXTURE as BOOK

    book = work / "results/sources/book"
    ingest("book", {"kind": "textbook", "paths": [str(BOOK)], "license": "MIT"}, book / "raw.parquet",
           book / "ingest_stats.json", book / "quarantine.parquet")
    step = trace("book:pandoc-chapter.md#folds-pandoc-style:qa", work / "results").steps[0]
    assert (step.stage, step.status) == ("ingest", "dropped")
    assert step.detail.startswith("dropped by the textbook reader: qa_no_code_example")
    tasks = work / "results/sources/tasks"
    ingest("tasks", {"kind": "task_solutions", "root": str(TASKS), "layout": "directories", "license": "MIT"},
           tasks / "raw.parquet", tasks / "ingest_stats.json", tasks / "quarantine.parquet")
    step = trace("tasks:hello/hello.hs", work / "results").steps[0]
    assert step.detail.startswith("quarantined by the task_solutions reader: task_without_description")
