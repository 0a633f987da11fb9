import shutil
import subprocess
from pathlib import Path

import pytest

from budgetai.sources import haddock
from budgetai.core.stats import StageStats

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "haddock"
ORIGINALS = {"Data.Stack": "Stack.hs", "Data.Queue.Banker": "Queue.hs", "Text.Wrap.Greedy": "Wrap.hs"}


def run(cfg):
    stats, quarantine = StageStats("haddock"), []
    records = list(haddock.read("hd", {"license": "CC-BY-SA-4.0", **cfg}, stats, quarantine))
    stats.rows_out = len(records)  # as ingest counts them: the records written
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


@pytest.mark.parametrize("package_dir", ["budgetai-sample-0.1.0", "hscolour-sample-0.1.0"])
def test_recovery_is_byte_for_byte(package_dir):
    pages = sorted((SAMPLE / package_dir / "src").glob("*.html"))
    assert len(pages) == 3
    for page in pages:
        module = haddock.page_identity(page)[2]
        original = (SAMPLE / "originals" / ORIGINALS[module]).read_bytes()
        assert haddock.recover_source(page.read_bytes().decode()).encode() == original, page


def test_hyperlinked_pages_really_carry_hover_annotations():
    page = (SAMPLE / "budgetai-sample-0.1.0" / "src" / "Data.Stack.html").read_text()
    assert 'class="annottext"' in page and "forall a." in page
    assert "forall a." not in haddock.recover_source(page)


def test_read_builds_code_records_with_package_filter():
    records, stats, _ = run({"doc_dirs": [str(SAMPLE)]})
    assert len(records) == 6
    stack = next(r for r in records if r.id == "hd:budgetai-sample/Data.Stack")
    assert stack.prompt == "Write the Haskell module Data.Stack (from package budgetai-sample)."
    assert stack.kind == "code" and stack.group == "budgetai-sample" and stack.meta["version"] == "0.1.0"
    assert stack.meta["format"] == "hyperlinked"
    assert next(r for r in records if r.id == "hd:hscolour-sample/Data.Stack").meta["format"] == "hscolour"
    records, stats, _ = run({"doc_dirs": [str(SAMPLE)], "packages": ["hscolour-sample"]})
    assert len(records) == 3 and stats.dropped == {"package_not_selected": 3}


def test_bad_pages_are_quarantined_and_license_is_required(tmp_path):
    src = tmp_path / "broken-1.0" / "src"
    src.mkdir(parents=True)
    (src / "A.html").write_text("<html><body>no code here</body></html>")
    (src / "B.html").write_bytes(b"<pre>\xff\xfe</pre>")
    records, stats, quarantine = run({"doc_dirs": [str(tmp_path)]})
    assert records == [] and stats.quarantined == {"no_pre_block": 1, "not_utf8": 1}
    assert any("A.html" in q["location"] for q in quarantine)
    with pytest.raises(ValueError, match="license"):
        list(haddock.read("hd", {"doc_dirs": [str(tmp_path)]}, StageStats("x"), []))


@pytest.mark.skipif(not haddock.ghc_doc_dirs(), reason="Debian ghc-doc not installed")
def test_real_ghc_doc_pages_recover_and_recolour_identically(tmp_path):
    """HsColour is deterministic, so re-colouring the recovered source must reproduce the real
    page's <pre> block exactly: byte-for-byte recovery checked on real data."""
    dirs = haddock.ghc_doc_dirs()
    assert any(d.name.startswith("containers-") for d in dirs)
    records, _, _ = run({"doc_dirs": [str(d) for d in dirs], "packages": ["containers", "mtl"]})
    assert len(records) >= 50 and all("<span" not in r.response for r in records)
    if shutil.which("HsColour") is None:
        pytest.skip("HsColour not installed; recolour check skipped")
    for record in records[::6]:
        page = Path(record.url).read_bytes().decode()
        coloured = subprocess.run(["HsColour", "-css", "-anchor"], input=record.response.encode(),
                                  capture_output=True, check=True).stdout.decode()
        assert haddock.PRE_BLOCK.search(coloured).group(1) == haddock.PRE_BLOCK.search(page).group(1), record.url
