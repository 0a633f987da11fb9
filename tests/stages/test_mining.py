"""Instruction mining (budgetai.stages.mining): on a small module written here, on GHC's own library
sources from Debian's ghc-doc, and on haskell/containers from the shared real data."""

from pathlib import Path

import pytest

from budgetai.stages import mining
from budgetai.stages.ingest import ingest
from budgetai.core.records import Record, read_records
from budgetai.sources import haddock, local_code
from budgetai.core.stats import StageStats

FIXTURE = Path(__file__).parents[1] / "fixtures" / "mining" / "Queue.hs"


def module_record(code: str) -> Record:
    return Record(id="src:Data/Queue.hs", source="src", kind="code", prompt="Write the module.",
                  response=code, language="haskell", url="https://example.org/Queue.hs",
                  license="MIT", group="src:Data", meta={"path": "Data/Queue.hs"})


def test_definitions_and_examples_of_a_module():
    stats = StageStats("ingest")
    rows = mining.mine_records([module_record(FIXTURE.read_text())], stats)
    by_id = {row.id.removeprefix("src:Data/Queue.hs#"): row for row in rows}
    assert sorted(by_id) == ["empty", "example0", "example1", "example2", "example3", "pop", "push", "size"]
    push = by_id["push"]
    assert push.kind == "instruction" and push.group == "src:Data" and push.license == "MIT"
    assert push.meta == {"mined": "definition", "parent_id": "src:Data/Queue.hs",
                         "module": "Data.Queue", "declaration": "push"}
    assert "-- | Add an element at the back." in push.prompt and "push :: a -> Queue a -> Queue a" in push.prompt
    assert push.response == ("```haskell\npush :: a -> Queue a -> Queue a\n"
                             "push x (Queue front back) = Queue front (x : back)\n```")
    assert by_id["pop"].response.count("\npop (") == 3  # every equation, from a {-| -} comment
    assert "internal" not in by_id  # no Haddock comment: not a prompt anyone wrote
    # doctest with the module's $setup as context; a bird-track `let` is context too
    assert "`size empty`" in by_id["example0"].prompt and by_id["example0"].response == "It evaluates to `0`."
    assert "let q = push 1 empty" in by_id["example1"].prompt and "`size q`" in by_id["example1"].prompt
    assert "fmap fst\n  (pop (push 'a' empty))" in by_id["example2"].prompt
    assert by_id["example2"].response == "It evaluates to `Just 'a'`."
    assert "import Data.List (foldl')" in by_id["example3"].prompt
    # orphan: documented, no definition; `>>> size` with no result line
    assert dict(stats.dropped) == {"mine_no_definition": 1, "mine_example_no_result": 1}
    assert stats.rows_in == 10 and stats.balanced()
    assert stats.extra["mined"] == {"definition": 4, "evaluation": 4}


def test_mining_through_ingest_balances_and_keeps_lineage(work):
    root = work / "code"
    (root / "Data").mkdir(parents=True)
    (root / "Data" / "Queue.hs").write_text(FIXTURE.read_text())
    cfg = {"kind": "local_code", "root": str(root), "license": "MIT", "url_prefix": "https://example.org"}
    stats = ingest("q", cfg, work / "raw.parquet", work / "stats.json", work / "quarantine.parquet")
    rows = read_records(work / "raw.parquet")
    assert [r.kind for r in rows].count("code") == 1 and [r.kind for r in rows].count("instruction") == 8
    assert stats.rows_in == 1 + 10 and stats.balanced()
    assert all(r.meta["parent_id"] == "q:Data/Queue.hs" for r in rows if r.kind == "instruction")
    assert all(str(work) not in r.id + r.url for r in rows)
    off = ingest("q", {**cfg, "mine_instructions": False}, work / "raw2.parquet", work / "s2.json", work / "q2.parquet")
    assert off.rows_out == 1


def test_mined_from_haskell_containers(shared_dir):
    stats = StageStats("ingest")
    modules = list(local_code.read("containers", {"root": str(shared_dir / "realdata/code/containers"),
                                                  "license": "BSD-3-Clause"}, stats, []))
    mined_stats = StageStats("ingest")
    rows = mining.mine_records(modules, mined_stats)
    assert len(modules) == 79
    assert mined_stats.extra["mined"] == {"definition": 630, "evaluation": 669}
    assert dict(mined_stats.dropped) == {"mine_cpp_inside": 2, "mine_definition_too_long": 2,
                                         "mine_no_definition": 29}
    assert mined_stats.balanced() and len({r.id for r in rows}) == len(rows)
    lookup = next(r for r in rows if r.id == "containers:containers/src/Data/Map/Internal.hs#lookup")
    assert lookup.response.startswith("```haskell\nlookup :: Ord k => k -> Map k a -> Maybe a\n")


GHC_DOC = Path("/usr/share/doc/ghc-doc/html/libraries")


@pytest.mark.skipif(not GHC_DOC.is_dir(), reason="Debian's ghc-doc is not installed")
def test_mined_from_ghc_library_sources():
    """The default run's ghc_library_sources (config/config.yaml), GHC 9.0's ghc-doc."""
    stats = StageStats("ingest")
    modules = list(haddock.read("ghc", {"doc_dirs": [str(GHC_DOC)], "license": "BSD-3-Clause",
                                        "packages": ["containers", "transformers", "parsec"]}, stats, []))
    mined_stats = StageStats("ingest")
    rows = mining.mine_records(modules, mined_stats)
    assert len(modules) == 87
    assert mined_stats.extra["mined"] == {"definition": 911, "evaluation": 624}
    assert mined_stats.balanced() and len({r.id for r in rows}) == len(rows)
