"""GHC type-check filter of the clean stage (`compile_check: true`): drop Haskell that GHC does
not type-check, as `does_not_typecheck`.

The code is untrusted (Template Haskell runs at compile time), so GHC runs as evaluation runs it:
`budgetai.haskell.execution.typecheck`, `ghc -fno-code` inside the sandbox (no network, no
host files, limits, empty environment); a module is checked as written, a snippet without a
module line as a library module. Checks run `compile_workers` at a time, and every verdict is
cached with GHC's message under `compile_cache_dir`, keyed by the sha256 of GHC's version, its
flags, the wrapper's version and the code: a rerun (or `budgetai lineage` asking why a row went)
type-checks nothing twice, and a changed wrapper does not reuse verdicts of the old one.

What is checked: the code of rows whose kind is in `compile_kinds` (default: problem_solution,
instruction; whole `code` modules import the rest of their package, which is not there; nor mined
definitions, see checked_code), i.e. the whole response for code kinds, the fenced blocks for the
others; a literate solution (meta "file" ending in .lhs, as task_solutions records it) is unlit
first.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from budgetai.stages.clean.filters.row_checks import response_code
from budgetai.haskell import execution
from budgetai.haskell.fences import fenced_blocks
from budgetai.haskell.module_header import unlit
from budgetai.core.io import write_json
from budgetai.core.stats import StageStats

DEFAULT_KINDS = ("problem_solution", "instruction")
DEFAULT_CACHE_DIR = "results/cache/typecheck"


@functools.lru_cache(maxsize=None)
def ghc_identity(ghc: str = "ghc") -> str:
    """GHC's version and flags: a verdict is only reused under the same compiler."""
    version = subprocess.run([execution.ghc_path(ghc), "--numeric-version"], capture_output=True,
                             text=True, check=True).stdout.strip()
    return f"ghc-{version} -fno-code"


def cache_key(code: str, ghc: str = "ghc") -> str:
    wrapper = f"wrapper-{execution.TYPECHECK_WRAPPER_VERSION}"
    return hashlib.sha256(f"{ghc_identity(ghc)}\0{wrapper}\0{code}".encode("utf-8")).hexdigest()


class VerdictCache:
    """Verdicts as one small JSON file per content hash (atomic writes: parallel cleans of
    several sources may share the directory)."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> execution.TypecheckVerdict | None:
        path = self._path(key)
        if not path.exists():
            return None
        stored = json.loads(path.read_text())
        return execution.TypecheckVerdict(stored["typechecks"], stored.get("message", ""))

    def put(self, key: str, verdict: execution.TypecheckVerdict) -> None:
        write_json({"typechecks": verdict.ok, "message": verdict.message}, self._path(key))


def checked_code(row: dict, cfg: dict) -> str:
    """The code of a row the filter checks, or "" for a row it does not."""
    if row["kind"] not in (cfg.get("compile_kinds") or DEFAULT_KINDS):
        return ""
    meta = json.loads(row.get("meta") or "{}")
    if meta.get("mined") in ("definition", "evaluation"):
        # A function mined from a module uses the module's other names: alone, 99 of 99 sampled
        # from haskell/containers fail as not in scope, so the check would only drop them all.
        # A mined example's fenced answer is a value, not a module.
        return ""
    # problem_solution responses are Markdown answers here (a fenced program): check the fences
    blocks = [code for _, code in fenced_blocks(row["response"])]
    code = "\n\n".join(blocks) if blocks else response_code(row)
    if not blocks and str(meta.get("file", "")).lower().endswith(".lhs"):
        code = unlit(code)  # a literate solution file: GHC checks its code lines
    return code.strip()


def typecheck_all(codes: list[str], cfg: dict, stats: StageStats | None = None) -> dict[str, bool]:
    """code -> whether it type-checks, for every distinct code (see verdicts_of)."""
    return {code: verdict.ok for code, verdict in verdicts_of(codes, cfg, stats).items()}


def verdicts_of(codes: list[str], cfg: dict,
                stats: StageStats | None = None) -> dict[str, execution.TypecheckVerdict]:
    """code -> GHC's verdict and message for every distinct code, from the cache or GHC (in
    parallel)."""
    exec_cfg = execution.ExecutionConfig()
    cache = VerdictCache(cfg.get("compile_cache_dir") or DEFAULT_CACHE_DIR)
    verdicts, missing = {}, []
    for code in dict.fromkeys(codes):
        cached = cache.get(cache_key(code, exec_cfg.ghc))
        if cached is None:
            missing.append(code)
        else:
            verdicts[code] = cached
    with ThreadPoolExecutor(max_workers=max(1, int(cfg.get("compile_workers") or 2))) as pool:
        for code, verdict in zip(missing, pool.map(lambda c: execution.typecheck(c, exec_cfg), missing)):
            cache.put(cache_key(code, exec_cfg.ghc), verdict)
            verdicts[code] = verdict
    if stats is not None:
        stats.extra["typecheck"] = {"distinct_codes": len(verdicts), "from_cache": len(verdicts) - len(missing),
                                    "ghc_runs": len(missing), "failed": sum(not v.ok for v in verdicts.values())}
    return verdicts


def drop_failing(rows: list[dict], cfg: dict, stats: StageStats) -> list[dict]:
    """The rows whose checked code type-checks (rows not checked are kept); counts the others
    as does_not_typecheck."""
    codes = [checked_code(row, cfg) for row in rows]
    verdicts = typecheck_all([c for c in codes if c], cfg, stats)
    kept = []
    for row, code in zip(rows, codes):
        if code and not verdicts[code]:
            stats.drop("does_not_typecheck")
        else:
            kept.append(row)
    return kept


def reason(row: dict, cfg: dict) -> str | None:
    """One row's verdict (through the cache): "does_not_typecheck" or None."""
    code = checked_code(row, cfg)
    if not code:
        return None
    return None if typecheck_all([code], cfg)[code] else "does_not_typecheck"
