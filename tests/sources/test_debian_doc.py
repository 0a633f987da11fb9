"""Haddock trees of Debian libghc-*-doc packages (budgetai.sources.debian_doc): package name,
version and license come from the package, not the `html` directory or the source's config."""

import shutil
from pathlib import Path

import pytest

from budgetai.sources import haddock
from budgetai.core.stats import StageStats

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "haddock"
COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: budgetai-sample

Files: *
Copyright: 2026 The BudgetAI authors
License: BSD-3-clause

Files: debian/*
License: GPL-3+

License: BSD-3-clause
 Redistribution and use ...
"""


def read(doc_dirs):
    stats = StageStats("ingest")
    records = list(haddock.read("deb", {"doc_dirs": [str(d) for d in doc_dirs], "license": "config-license"},
                                stats, []))
    stats.rows_out = len(records)  # as ingest counts them: the records written
    assert stats.balanced()
    return records


def test_a_debian_layout_names_the_package_and_takes_its_license(work):
    doc_dir = work / "libghc-budgetai-sample-doc"
    shutil.copytree(SAMPLE / "budgetai-sample-0.1.0" / "src", doc_dir / "html" / "src")
    (doc_dir / "html" / "budgetai-sample.txt").write_text("-- Hoogle\n@package budgetai-sample\n@version 0.1.0\n")
    (doc_dir / "copyright").write_text(COPYRIGHT)
    records = read([doc_dir])
    assert len(records) == 3
    assert {(r.meta["package"], r.meta["version"], r.license, r.group) for r in records} == {
        ("budgetai-sample", "0.1.0", "BSD-3-clause", "budgetai-sample")}
    assert "deb:budgetai-sample/Data.Stack" in {r.id for r in records}
    (doc_dir / "copyright").unlink()  # no copyright file: the source's configured license
    haddock.debian_doc.license_of.cache_clear()
    assert {r.license for r in read([doc_dir])} == {"config-license"}


INSTALLED = Path("/usr/share/doc/libghc-split-doc")


@pytest.mark.skipif(not (INSTALLED / "html" / "src").is_dir(), reason="libghc-split-doc is not installed")
def test_installed_libghc_split_doc():
    records = read([INSTALLED])
    assert sorted(r.id for r in records) == ["deb:split/Data.List.Split", "deb:split/Data.List.Split.Internals"]
    assert {(r.meta["version"], r.license) for r in records} == {("0.2.3.5", "BSD")}
    assert "splitOn" in next(r.response for r in records if r.id.endswith("Internals"))
