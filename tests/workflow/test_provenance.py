"""Planning that knows what an output was built from.

- Outputs built under another config, that Snakemake has no record of (a results/ copied without
  .snakemake/), stop the run naming the source and the differing keys; `--config
  rebuild_stale=True` sets them aside and rebuilds them. With Snakemake's record they are rerun as
  usual (params changed), without stopping.
- A source read out of a system directory (Debian's ghc-doc) depends on a manifest of the pages it
  reads: a regenerated doc-index page beside them (what every libghc-* install does) leaves the
  source up to date; a changed page reruns it, and `budgetai status` names that page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.workflow.run_workflow import dry_run_jobs, scratch_workdir, snakemake

pytestmark = [pytest.mark.slow]

BUDGETAI = str(Path(sys.executable).with_name("budgetai"))
SOURCE = "ghc_library_sources"
RAW = f"results/sources/{SOURCE}/raw.parquet"
PAGE = '<html><body><pre><a name="line-1"></a>module Data.Map where\n<a name="line-2"></a>empty = {}\n</pre></body></html>\n'


def fake_ghc_doc(root: Path) -> Path:
    """A libraries/ tree laid out as Debian's ghc-doc: package source pages and index pages."""
    libraries = root / "libraries"
    for package, module in (("containers-0.6.4.1", "Data-Map"), ("base-4.15.1.0", "Prelude")):
        (libraries / package / "src").mkdir(parents=True)
        (libraries / package / "src" / f"{module}.html").write_text(PAGE.replace("Data.Map", module.replace("-", ".")))
        (libraries / package / "index.html").write_text("<html>module index</html>")
    (libraries / "doc-index-A.html").write_text("<html>index A</html>")
    return libraries


@pytest.fixture(scope="module")
def doc_run(tmp_path_factory):
    """A scratch workdir whose ghc_library_sources reads a fake ghc-doc, built once."""
    tmp = tmp_path_factory.mktemp("system-inputs")
    workdir = scratch_workdir(tmp / "work")
    libraries = fake_ghc_doc(tmp / "doc")
    overlay = {"sources": {SOURCE: {"doc_dirs": [str(libraries)], "packages": ["containers"], "optional": False}}}
    (workdir / "ghc-doc.yaml").write_text(yaml.safe_dump(overlay))
    snakemake(workdir, RAW, "--cores", "1", "--configfile", "ghc-doc.yaml")
    return workdir, libraries


def source_jobs(workdir: Path) -> list[str]:
    return sorted(rule for rule, w in dry_run_jobs(workdir, RAW, "--configfile", "ghc-doc.yaml"))


def test_the_source_records_the_pages_it_read(doc_run):
    workdir, libraries = doc_run
    manifest = json.loads((workdir / f"results/sources/{SOURCE}/inputs.json").read_text())
    assert [entry["path"] for entry in manifest["files"]] == [str(libraries / "containers-0.6.4.1/src/Data-Map.html")]
    assert manifest["files"][0]["bytes"] == len(PAGE.encode())


def test_regenerated_index_pages_leave_the_source_up_to_date(doc_run):
    """Before: ingest took every file under doc_dirs as input, so this scheduled the source and
    everything downstream of it."""
    workdir, libraries = doc_run
    (libraries / "doc-index-A.html").write_text("<html>index A, regenerated</html>")
    (libraries / "doc-index-B.html").write_text("<html>index B, new</html>")
    (libraries / "containers-0.6.4.1/index.html").write_text("<html>module index, regenerated</html>")
    (libraries / "base-4.15.1.0/src/Prelude.html").write_text(PAGE + "<!-- a package not selected -->")
    assert source_jobs(workdir) == []


def test_a_page_rewritten_unchanged_leaves_the_source_up_to_date(doc_run):
    """A package reinstall rewrites its pages with the same bytes: Snakemake compares the
    recorded checksum of an input that got newer (pages under its 1 MB checksum limit)."""
    workdir, libraries = doc_run
    page = libraries / "containers-0.6.4.1/src/Data-Map.html"
    page.write_text(page.read_text())
    assert source_jobs(workdir) == []


def test_a_changed_page_reruns_the_source_and_status_names_it(doc_run):
    workdir, libraries = doc_run
    page = libraries / "containers-0.6.4.1/src/Data-Map.html"
    page.write_text(PAGE.replace("empty = {}", "empty = Tip"))
    assert source_jobs(workdir) == ["gather_source", "ingest", "source_inputs"]
    proc = subprocess.run([BUDGETAI, "status", "--json", "--files", "--configfile", "ghc-doc.yaml"], cwd=workdir,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    files = {f["path"]: f for f in json.loads(proc.stdout)}
    listing = files[f"results/sources/{SOURCE}/inputs.json"]
    assert listing["state"] == "stale" and listing["changed_inputs"] == [str(page)]


# --- outputs built under another config -------------------------------------------------------

SO = "stackoverflow_haskell"
SO_RAW = f"results/sources/{SO}/raw.parquet"
SO_SHARD = f"results/sources/{SO}/shards/all.parquet"


@pytest.fixture(scope="module")
def built_source(tmp_path_factory) -> Path:
    """The StackOverflow sample source, built under the default config."""
    workdir = scratch_workdir(tmp_path_factory.mktemp("provenance") / "built")
    snakemake(workdir, SO_RAW, "--cores", "1")
    return workdir


def copied_without_records(built: Path, tmp_path: Path) -> Path:
    """The results of `built` copied into a fresh checkout, as `cp -r results` would (no .snakemake/)."""
    workdir = scratch_workdir(tmp_path / "copy")
    shutil.copytree(built / "results", workdir / "results")
    return workdir


def stricter_overlay(workdir: Path) -> str:
    (workdir / "stricter.yaml").write_text(yaml.safe_dump({"sources": {SO: {"min_answer_score": 5}}}))
    return "stricter.yaml"


def test_a_copied_result_built_under_another_config_stops_the_plan(built_source, tmp_path):
    """Before: the dry run reused the copied source (nothing to do) although its config differed."""
    workdir = copied_without_records(built_source, tmp_path)
    proc = snakemake(workdir, "-n", SO_RAW, "--configfile", stricter_overlay(workdir), check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"source {SO} (ingest): {SO_SHARD}" in output
    assert "min_answer_score: (unset) -> 5" in output
    assert "--config rebuild_stale=True" in output
    assert dry_run_jobs(workdir, SO_RAW) == []  # under the config it was built with: reused, no alarm


def test_rebuild_stale_sets_the_outputs_aside_and_rebuilds_them(built_source, tmp_path):
    workdir = copied_without_records(built_source, tmp_path)
    overlay = stricter_overlay(workdir)
    jobs = dry_run_jobs(workdir, SO_RAW, "--configfile", overlay, "--config", "rebuild_stale=True")
    assert sorted(rule for rule, _ in jobs) == ["gather_source", "ingest"]
    kept = list((workdir / "results/stale").glob(f"*/results/sources/{SO}/shards/all.parquet*"))
    assert sorted(p.name for p in kept) == ["all.parquet", "all.parquet.manifest.json"]
    snakemake(workdir, SO_RAW, "--cores", "1", "--configfile", overlay)
    manifest = json.loads((workdir / f"{SO_SHARD}.manifest.json").read_text())
    assert manifest["config"]["cfg"]["min_answer_score"] == 5


def test_with_snakemakes_record_a_config_change_reruns_without_stopping(built_source):
    jobs = dry_run_jobs(built_source, SO_RAW, "--configfile", stricter_overlay(built_source))
    assert sorted(rule for rule, _ in jobs) == ["gather_source", "ingest"]
