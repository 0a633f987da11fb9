"""`kind: exercism`: one instruction record per exercise whose reference passes the exercise's
own hspec tests in the sandbox; real exercises from ../shared/realdata/exercism (exact counts)."""

import json
import os
import shutil

import pytest

from budgetai.core.records import write_records
from budgetai.core.stats import StageStats
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.sources import reader_for
from budgetai.sources.exercism import REFERENCE_FAILS, check_reference
from budgetai.stages import decontaminate
from budgetai.suites.exercism import read_exercise

needs_sandbox = pytest.mark.skipif(sandbox_backend() == "none", reason="no sandbox backend here")
# Exercises and the hspec examples their references pass: a module the exercise provides
# (satellite), a reference using a library the exercise does not list (word-count: split), two
# with deliberately wrong fail-* solutions beside the reference (strain).
SAMPLE = {"leap": 9, "reverse-string": 6, "satellite": 6, "strain": 14, "word-count": 13}
TRACK_URL = "https://github.com/exercism/haskell/tree/main/exercises/practice/{exercise}"


def practice(shared_dir):
    return shared_dir / "realdata/exercism/exercises/practice"


def run(root, cache, **cfg):
    stats, quarantine = StageStats("ingest"), []
    records = list(reader_for("exercism")("track", {"root": str(root), "license": "MIT",
                                                    "verify_cache_dir": str(cache), **cfg},
                                          stats, quarantine))
    stats.rows_out = len(records)  # as ingest counts them: the records written
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


@pytest.fixture(scope="module")
def sample(shared_dir, tmp_path_factory):
    cache = tmp_path_factory.mktemp("exercism-cache")
    return (*run(practice(shared_dir), cache, exercises=list(SAMPLE), url_template=TRACK_URL), cache)


@needs_sandbox
@pytest.mark.ghc
def test_a_sample_of_the_track_keeps_each_exercise_whose_reference_passes(shared_dir, sample):
    records, stats, quarantine, _ = sample
    assert [r.id for r in records] == [f"track:{name}" for name in sorted(SAMPLE)]
    assert (stats.rows_in, stats.rows_out, dict(stats.dropped), quarantine) == (5, 5, {}, [])
    checks = stats.extra["reference_checks"]
    assert (checks["sandbox_runs"], checks["passed"], checks["examples_passed"]) == (5, 5, sum(SAMPLE.values()))
    leap = records[0]
    exercise = read_exercise(practice(shared_dir) / "leap")
    assert (leap.kind, leap.group, leap.license, leap.language) == ("instruction", "leap", "MIT", "haskell")
    assert leap.url == "https://github.com/exercism/haskell/tree/main/exercises/practice/leap"
    assert leap.prompt.startswith(exercise.instructions.strip()[:200])
    assert exercise.stub.strip() in leap.prompt and "src/LeapYear.hs" in leap.prompt
    assert leap.response == f"```haskell\n{exercise.reference.sources['LeapYear.hs'].rstrip()}\n```"
    assert leap.meta["tests"] == exercise.tests and leap.meta["module"] == "LeapYear"
    assert leap.meta["reference_verdict"] == {"status": "passed", "examples": 9}
    satellite = records[2]
    assert list(satellite.meta["support"]) == ["BinaryTree.hs"]
    assert "split" in records[4].meta["dependencies"]  # word-count's reference needs it
    assert not any(str(shared_dir) in r.url or str(shared_dir) in r.id for r in records)


@needs_sandbox
@pytest.mark.ghc
def test_a_rerun_takes_every_verdict_from_the_cache(shared_dir, sample):
    records, _, _, cache = sample
    again, stats, _ = run(practice(shared_dir), cache, exercises=list(SAMPLE), url_template=TRACK_URL)
    assert stats.extra["reference_checks"]["sandbox_runs"] == 0
    assert [r.to_row() for r in again] == [r.to_row() for r in records]


@needs_sandbox
@pytest.mark.ghc
def test_a_reference_that_fails_its_tests_is_dropped(shared_dir, work):
    """The track's deliberately wrong fail-reverse solutions (strict: they never finish a lazy
    `take 1`) put in place of the reference."""
    root = work / "practice"
    for name in ("accumulate", "strain"):
        shutil.copytree(practice(shared_dir) / name, root / name)
        examples = root / name / ".meta" / "examples"
        shutil.rmtree(examples / "success-standard")
        (examples / "fail-reverse").rename(examples / "success-standard")
    records, stats, _ = run(root, work / "cache")
    assert records == [] and dict(stats.dropped) == {REFERENCE_FAILS: 2}
    assert stats.extra["dropped_units"] == [{"id": "track:accumulate", "reason": REFERENCE_FAILS},
                                            {"id": "track:strain", "reason": REFERENCE_FAILS}]
    verdict = check_reference(read_exercise(root / "strain"))
    assert (verdict.status, verdict.examples, verdict.failures) == ("failed", 14, 2)


def test_files_linked_out_of_the_root_and_broken_layouts_are_quarantined(work):
    root = work / "practice"
    outside = work / "secret.hs"
    outside.write_text("specs = undefined\n")
    linked = root / "linked"
    for part in ("src", "test", ".docs"):
        (linked / part).mkdir(parents=True)
    (linked / "src" / "Linked.hs").write_text("module Linked where\n")
    (linked / ".docs" / "instructions.md").write_text("Do it.\n")
    os.symlink(outside, linked / "test" / "Tests.hs")
    (root / "no-tests" / "src").mkdir(parents=True)
    records, stats, quarantine = run(root, work / "cache")
    assert records == [] and dict(stats.quarantined) == {"outside_root": 1, "exercise_format_error": 1}
    assert [q["location"] for q in quarantine] == ["linked", "no-tests"]
    assert "secret.hs" in quarantine[0]["raw"] and "no test/Tests.hs" in quarantine[1]["reason"]


def test_configuration_errors_name_the_key(work):
    with pytest.raises(FileNotFoundError, match="root"):
        run(work / "nowhere", work)
    (work / "leap").mkdir()
    with pytest.raises(ValueError, match=r"exercises \['bob'\]"):
        run(work, work, exercises=["bob"])
    with pytest.raises(ValueError, match="license"):
        list(reader_for("exercism")("track", {"root": str(work)}, StageStats("ingest"), []))


@needs_sandbox
@pytest.mark.ghc
def test_decontamination_removes_an_exercise_that_is_also_an_eval_suite_item(shared_dir, sample, work):
    """An eval suite of six track exercises, leap among them: the source's leap record shares
    its instructions with the suite's leap (97 13-grams) and is removed. word-count goes too, on
    one 13-gram of the track's hint sentence ("To complete this exercise you need to implement
    the function ...", in 5 of the 51 exercises, leap one of them): with a suite this small that
    scaffolding is under boilerplate_items, and decontamination errs on the side of removing."""
    records, _, _, _ = sample
    suite = work / "suite"
    for name in ("leap", "bob", "pangram", "raindrops", "acronym", "grains"):
        shutil.copytree(practice(shared_dir) / name, suite / name)
    write_records(records, work / "dedup.parquet")
    stats = decontaminate.run(work / "dedup.parquet", [{"name": "exercises", "format": "exercism",
                                                        "path": str(suite)}],
                              work / "out.parquet", work / "report.json", work / "stats.json")
    removed = {r["id"]: r for r in json.loads((work / "report.json").read_text())["removed"]}
    assert sorted(removed) == ["track:leap", "track:word-count"]
    assert (removed["track:leap"]["item_id"], removed["track:leap"]["ngram_matches"]) == ("leap", 97)
    assert removed["track:word-count"]["ngram_matches"] == 1
    assert "you need to implement the function" in removed["track:word-count"]["snippet"]
    assert (stats.rows_in, stats.rows_out) == (5, 3)


@needs_sandbox
@pytest.mark.ghc
@pytest.mark.slow
def test_the_whole_shared_track(shared_dir, work):
    """All 51 exercises: every reference passes here (752 examples; list-ops' HLint pragma is the
    collection's own code, not refused as in an answer); a rerun is served from the cache."""
    records, stats, quarantine = run(practice(shared_dir), work / "cache")
    checks = stats.extra["reference_checks"]
    assert (len(records), dict(stats.dropped), quarantine) == (51, {}, [])
    assert (checks["sandbox_runs"], checks["passed"], checks["examples_passed"]) == (51, 51, 752)
    again, stats, _ = run(practice(shared_dir), work / "cache")
    assert stats.extra["reference_checks"]["sandbox_runs"] == 0 and len(again) == 51
