"""The clean stage's GHC type-check filter (budgetai.stages.clean.filters.typecheck): real GHC in the sandbox,
verdicts cached by content hash, drops counted as does_not_typecheck."""

import shutil

import pytest

from budgetai.stages import clean
from budgetai.haskell import execution
from budgetai.haskell.sandbox import sandbox_backend
from budgetai.stages.clean.filters import typecheck
from budgetai.core.records import Record, read_records, write_records

pytestmark = pytest.mark.skipif(shutil.which("ghc") is None or sandbox_backend() != "bwrap",
                                reason="needs GHC and a working bubblewrap sandbox")

PROGRAM = "main :: IO ()\nmain = interact $ \\s -> show (sum (map read (words s) :: [Int])) ++ \"\\n\"\n"
ILL_TYPED = "main :: IO ()\nmain = putStrLn (1 + True)\n"
MINED = "```haskell\ndouble :: Int -> Int\ndouble x = x * 2\n```"


def row(rid: str, response: str, kind: str = "problem_solution") -> Record:
    return Record(f"cf:{rid}", "cf", kind, "Sum the numbers of the input.", response, "haskell", "",
                  "MIT", rid, {})


def test_drops_what_ghc_rejects_and_a_rerun_checks_nothing(work, monkeypatch):
    rows = [row("good", PROGRAM), row("bad", ILL_TYPED), row("copy", PROGRAM + "\n"),
            row("fenced", f"```haskell\n{PROGRAM}```"),  # how codeforces solutions arrive
            row("mined", MINED, "instruction"), row("module", ILL_TYPED, "code"),
            Record("cf:def", "cf", "instruction", "Write `f`.", "```haskell\nf :: Int\nf = internalHelper\n```",
                   "haskell", "", "MIT", "def", {"mined": "definition"})]
    write_records(rows, work / "in.parquet")
    cfg = {"compile_check": True, "compile_cache_dir": str(work / "cache"), "dedup_in_source": False}
    stats = clean.run(work / "in.parquet", work / "out.parquet", work / "s.json", cfg)
    kept = sorted(r.id for r in read_records(work / "out.parquet"))
    # `code` modules are not checked by default: they import the rest of their package
    # nor mined definitions: they use their module's other names
    assert kept == ["cf:copy", "cf:def", "cf:fenced", "cf:good", "cf:mined", "cf:module"]
    assert dict(stats.dropped) == {"does_not_typecheck": 1} and stats.balanced()
    assert stats.extra["typecheck"] == {"distinct_codes": 3, "from_cache": 0, "ghc_runs": 3, "failed": 1}  # fenced = good

    def no_ghc(code, cfg=None):
        raise AssertionError("type-checked twice: " + code)
    monkeypatch.setattr(execution, "typecheck_only", no_ghc)
    again = clean.run(work / "in.parquet", work / "out2.parquet", work / "s2.json", cfg)
    assert again.extra["typecheck"]["from_cache"] == 3 and again.extra["typecheck"]["ghc_runs"] == 0
    assert again.to_dict()["dropped_by_reason"] == stats.to_dict()["dropped_by_reason"]
    assert typecheck.reason(row("bad", ILL_TYPED).to_row(), cfg) == "does_not_typecheck"


def test_template_haskell_reading_host_files_fails_inside_the_sandbox(work):
    """Code runs at compile time under Template Haskell; it must not see the host."""
    (work / "secret.txt").write_text("host secret")
    spy = ("{-# LANGUAGE TemplateHaskell #-}\nimport Language.Haskell.TH\nimport Language.Haskell.TH.Syntax\n"
           f"main :: IO ()\nmain = putStrLn $(runIO (readFile {str(work / 'secret.txt')!r}) >>= lift)\n")
    control = spy.replace(repr(str(work / "secret.txt")), '"/usr/share/doc/ghc/copyright"')  # /usr is bound
    verdicts = typecheck.typecheck_all([spy, control], {"compile_cache_dir": str(work / "cache")})
    assert verdicts == {spy: False, control: True}
