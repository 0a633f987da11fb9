from collections import Counter

import pytest

from budgetai.stages.ingest import ingest
from budgetai.core.licenses import LicenseDenied, apply_policy, family
from budgetai.core.stats import read_stats
from tests.sources.test_textbook_dialects import FIXTURE


def test_families_of_the_strings_readers_produce():
    assert {s: family(s) for s in ("BSD-3-Clause", "mit, apache-2.0", "CC BY-NC-SA 3.0", "CC-BY-SA-4.0",
                                   "GFDL-1.2", "GPL-3.0-or-later", "CC-BY-4.0", "other", "mit, gpl-2.0")} == {
        "BSD-3-Clause": "permissive", "mit, apache-2.0": "permissive", "CC BY-NC-SA 3.0": "non-commercial",
        "CC-BY-SA-4.0": "copyleft", "GFDL-1.2": "copyleft", "GPL-3.0-or-later": "copyleft",
        "CC-BY-4.0": "permissive", "other": "unknown", "mit, gpl-2.0": "copyleft"}


def test_policy_warns_by_default_and_refuses_a_denied_family():
    rows = Counter({"CC BY-NC-SA 3.0": 5, "MIT": 2})
    out = apply_policy("book", rows, None)
    assert out["license_families"] == {"non-commercial": 5, "permissive": 2}
    assert out["terms_warning"].startswith("5 rows under non-commercial licenses (CC BY-NC-SA 3.0)")
    assert "terms_warning" not in apply_policy("book", rows, {"warn": []})
    with pytest.raises(LicenseDenied, match=r"'book': 5 rows are non-commercial"):
        apply_policy("book", rows, {"deny": ["non-commercial"]})
    with pytest.raises(ValueError, match="not a license family"):
        apply_policy("book", rows, {"deny": ["nc"]})


def test_ingest_writes_the_warning_the_data_card_shows(work):
    cfg = {"kind": "textbook", "paths": [str(FIXTURE)], "license": "CC BY-NC-SA 3.0"}
    ingest("book", cfg, work / "raw.parquet", work / "stats.json", work / "q.parquet")
    extra = read_stats(work / "stats.json")["extra"]
    assert extra["license_families"] == {"non-commercial": 5}
    assert "may not be used commercially" in extra["terms_warning"]
    with pytest.raises(LicenseDenied):
        ingest("book", {**cfg, "licenses": {"deny": ["non-commercial"]}}, work / "r2.parquet",
               work / "s2.json", work / "q2.parquet")
