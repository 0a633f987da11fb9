import json

import pytest

from budgetai.stages import clean
from budgetai.stages.clean.filters.language import language_scores, looks_like
from budgetai.stages.clean.text import normalise_text, strip_comments, strip_language_tag
from budgetai.core.records import Record, read_records, write_records, write_table
from budgetai.core.stats import read_stats

HASKELL = "import qualified Data.Map as M\n\ncount :: String -> M.Map Char Int\ncount = M.fromListWith (+) . map (\\c -> (c, 1))\n"
PYTHON = "def count(s):\n    if s is None:\n        return {}\n    return {c: s.count(c) for c in s}\n"


def rec(rid, response, kind="problem_solution", prompt="Count characters in a string.", **kw) -> Record:
    base = dict(source="src", language="haskell", url="", license="MIT", group=rid, meta={})
    base.update(kw)
    return Record(f"src:{rid}", kind=kind, prompt=prompt, response=response, **base)


def run_clean(tmp_path, records, cfg=None):
    write_records(records, tmp_path / "in.parquet")
    stats = clean.run(tmp_path / "in.parquet", tmp_path / "out.parquet", tmp_path / "stats.json", cfg)
    return stats, {r.id: r for r in read_records(tmp_path / "out.parquet")}


def test_text_rewrites():
    assert normalise_text("a  \r\nb\t\r\n\n\n\n\nc\n\n") == "a\nb\n\nc"
    assert normalise_text("\tx", expand_tabs=4) == "    x"
    assert strip_language_tag("haskell\nmain = pure ()") == ("main = pure ()", True)
    assert strip_language_tag("haskell is nice\nyes") == ("haskell is nice\nyes", False)
    hs = '{-# LANGUAGE GADTs #-}\nf x = x -- identity\n{- outer {- inner -} -}g = "-- kept" --> h\n'
    assert strip_comments(hs, "haskell") == '{-# LANGUAGE GADTs #-}\nf x = x\ng = "-- kept" --> h\n'
    assert strip_comments('x = "#no"  # yes\n', "python") == 'x = "#no"\n'


def test_language_scorer_separates_haskell_python_c():
    c_code = '#include <stdio.h>\nint main() {\n  printf("%d", 1);\n  return 0;\n}\n'
    assert looks_like(HASKELL, "haskell") and not looks_like(HASKELL, "python")
    assert looks_like(PYTHON, "python") and not looks_like(PYTHON, "haskell")
    assert not looks_like(c_code, "haskell") and language_scores(c_code)["c_family"] > 5
    with pytest.raises(ValueError, match="require_language"):
        looks_like(HASKELL, "cobol")


def test_run_drops_by_reason_rewrites_and_balances(tmp_path):
    records = [
        rec("ok", "haskell\r\n" + HASKELL.replace("\n", "  \r\n")),
        rec("dup", HASKELL),  # same content once normalised
        rec("empty", "   "),
        rec("noprompt", HASKELL + "\n-- v2", prompt=""),
        rec("short", "x = 1", kind="qa"),
        rec("python", PYTHON, language=""),
        rec("minified", "main = print " + "1+" * 600 + "1"),
        rec("pii", HASKELL + "\n-- contact me: jane@example.org", kind="code", prompt=""),
        rec("prose", "Use a fold over the string; no code needed here.", kind="qa"),
    ]
    stats, kept = run_clean(tmp_path, records, {"require_language": "haskell"})
    assert sorted(kept) == ["src:ok", "src:pii", "src:prose"]
    assert kept["src:ok"].response == HASKELL.strip("\n")  # tag line and \r, trailing spaces gone
    assert "<EMAIL>" in kept["src:pii"].response and "jane@" not in kept["src:pii"].response
    written = read_stats(tmp_path / "stats.json")
    assert written["dropped_by_reason"] == {
        "code_max_line_length": 1, "duplicate_in_source": 1, "empty_prompt": 1, "empty_response": 1,
        "language_not_haskell": 1, "response_too_short": 1}
    assert stats.balanced() and written["rows_out"] == 3
    assert written["extra"]["pii_rows_changed"] == 1 and written["extra"]["language_tag_stripped"] == 1


def test_language_check_is_off_by_default_and_comments_kept(tmp_path):
    _, kept = run_clean(tmp_path, [rec("py", PYTHON, language="python"), rec("hs", HASKELL + "-- note\n")])
    assert sorted(kept) == ["src:hs", "src:py"] and "-- note" in kept["src:hs"].response
    _, kept = run_clean(tmp_path, [rec("hs", HASKELL + "-- note\n")], {"strip_comments": True})
    assert "-- note" not in kept["src:hs"].response


def test_invalid_rows_quarantined_and_unknown_cfg_rejected(tmp_path):
    good = rec("good", HASKELL).to_row()
    bad_meta = {**rec("badmeta", HASKELL + "\n-- b").to_row(), "meta": "{not json"}
    bad_kind = {**rec("badkind", HASKELL + "\n-- c").to_row(), "kind": "essay"}
    import pyarrow as pa

    from budgetai.core.records import RECORD_SCHEMA
    write_table(pa.Table.from_pylist([good, bad_meta, bad_kind], schema=RECORD_SCHEMA), tmp_path / "in.parquet")
    stats = clean.run(tmp_path / "in.parquet", tmp_path / "out.parquet", tmp_path / "s.json",
                      quarantine_path=tmp_path / "q.parquet")
    assert stats.rows_out == 1 and dict(stats.quarantined) == {"invalid_meta": 1, "invalid_kind": 1}
    import pyarrow.parquet as pq
    assert "badmeta" in pq.read_table(tmp_path / "q.parquet").column("location")[0].as_py()
    with pytest.raises(ValueError, match="min_respons_chars"):
        clean.resolve_cfg({"min_respons_chars": 3})


def test_compile_check_uses_evaluation_typechecker(tmp_path, monkeypatch):
    from budgetai.haskell import execution
    monkeypatch.setattr(execution, "typecheck", lambda code, cfg=None, literate=False:
                        execution.TypecheckVerdict("undefinedThing" not in code, ""))
    stats, kept = run_clean(tmp_path, [rec("good", HASKELL), rec("bad", HASKELL + "\nz = undefinedThing\n")],
                            {"compile_check": True, "compile_cache_dir": str(tmp_path / "cache")})
    assert sorted(kept) == ["src:good"] and dict(stats.dropped) == {"does_not_typecheck": 1}
    json.dumps(stats.to_dict())
