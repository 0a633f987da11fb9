"""stale_outputs: outputs whose manifest records another config, unknown to Snakemake."""

from base64 import urlsafe_b64encode

import pytest

from budgetai.core.manifest import build_manifest, write_manifest
from budgetai.core.stale_outputs import (Expectation, built_from, config_differences, find_stale, has_run_record,
                                         set_aside, stale_message)

BUILT = {"kind": "stackexchange", "path": "sample.xml", "tags": ["haskell"]}


def built(tmp_path, relative: str, cfg: dict, inputs: dict | None = None) -> str:
    """An output written by a job given `cfg`, with its manifest, as workflow_glue leaves it."""
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("rows")
    fingerprints = {name: [{"path": p, "type": "file", "sha256": "0", "bytes": 1} for p in paths]
                    for name, paths in (inputs or {}).items()}
    write_manifest(build_manifest(relative, "ingest", {}, {"cfg": cfg}, fingerprints, "t0"), path)
    return str(path)


def test_differences_name_each_key():
    assert config_differences(BUILT, {**BUILT, "min_answer_score": 1, "path": "full.xml"}) == [
        "min_answer_score: (unset) -> 1", 'path: "sample.xml" -> "full.xml"']
    assert config_differences({"a": {"b": 1, "c": 2}}, {"a": {"b": 1}}) == ["a.c: 2 -> (removed)"]
    assert config_differences(BUILT, dict(reversed(list(BUILT.items())))) == []


def test_a_snakemake_record_is_found_by_its_encoded_name(tmp_path):
    output = "results/sources/so/shards/all.parquet"
    metadata = tmp_path / "metadata"
    assert not has_run_record(output, metadata)
    metadata.mkdir()
    (metadata / urlsafe_b64encode(output.encode()).decode()).write_text("{}")
    assert has_run_record(output, metadata)
    assert not has_run_record("results/other.parquet", metadata)


def test_only_outputs_with_another_config_and_no_record_are_stale(tmp_path):
    same = built(tmp_path, "same.parquet", BUILT)
    other = built(tmp_path, "other.parquet", BUILT)
    (tmp_path / "old.parquet").write_text("built before manifests")
    recorded = built(tmp_path, "recorded.parquet", BUILT)
    metadata = tmp_path / "metadata"
    metadata.mkdir()
    (metadata / urlsafe_b64encode(recorded.encode()).decode()).write_text("{}")
    now = {**BUILT, "min_answer_score": 5}
    stale = find_stale([Expectation("same", [same], BUILT), Expectation("other", [other], now),
                        Expectation("old", [str(tmp_path / "old.parquet")], now),
                        Expectation("recorded", [recorded], now),
                        Expectation("missing", [str(tmp_path / "missing.parquet")], now)], metadata)
    assert [(s.label, s.differences) for s in stale] == [("other", ["min_answer_score: (unset) -> 5"])]
    message = stale_message(stale)
    assert f"other: {other}" in message and "--config rebuild_stale=True" in message


def test_set_aside_moves_the_outputs_and_what_was_built_from_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shard = built(tmp_path, "results/s/shards/all.parquet", BUILT)
    raw = built(tmp_path, "results/s/raw.parquet", {}, {"records": ["results/s/shards/all.parquet"]})
    clean = built(tmp_path, "results/s/clean.parquet", {}, {"records": ["results/s/raw.parquet"]})
    unrelated = built(tmp_path, "results/t/raw.parquet", {}, {"records": ["results/t/shards/all.parquet"]})
    assert built_from(["results/s/shards/all.parquet"], "results") == ["results/s/raw.parquet", "results/s/clean.parquet"]
    stale = find_stale([Expectation("s", ["results/s/shards/all.parquet"], {**BUILT, "tags": []})], tmp_path / "none")
    moved = set_aside(stale, "results", "results/stale/now")
    assert sorted(map(str, moved)) == sorted(f"results/s/{name}{suffix}" for name in
                                             ("shards/all.parquet", "raw.parquet", "clean.parquet")
                                             for suffix in ("", ".manifest.json"))
    assert (tmp_path / "results/stale/now/results/s/raw.parquet").read_text() == "rows"
    assert (tmp_path / "results/t/raw.parquet").exists()
    assert not any((tmp_path / p).exists() for p in (shard, raw, clean)) and unrelated
    assert built_from(["results/s/shards/all.parquet"], "results") == []  # set-aside copies do not count


def test_a_broken_manifest_is_named(tmp_path):
    output = built(tmp_path, "o.parquet", BUILT)
    (tmp_path / "o.parquet.manifest.json").write_text("{")
    with pytest.raises(ValueError, match="o.parquet.manifest.json: manifest is not valid JSON"):
        find_stale([Expectation("o", [output], BUILT)], tmp_path / "none")
