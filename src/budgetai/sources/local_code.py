"""Local code tree reader (`kind: local_code`): Haskell files under a directory -> code records.

This is how a user adds their own code without writing a reader: point `root` at a checkout,
state its license, and every matching file becomes a record built like The Stack's (prompt =
instruction + leading doc comment, response = the whole file; see budgetai.sources.the_stack).

cfg keys (defaults):
  root        required; directory to walk (relative to the current directory)
  license     required; the license the user states for this code (e.g. "MIT")
  globs       ["**/*.hs", "**/*.lhs"]
  url_prefix  none; urls become f"{url_prefix}/{relative path}", else file:// urls
  syntax_check false, + the code-quality keys of budgetai.filters.code_quality

Records: group = f"{source}:{top-level directory under root}" (files directly under root share
the group "."). Accounting: each file is yielded, dropped by a code-quality reason, or
quarantined when it is not valid UTF-8 (invalid_utf8).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from budgetai.records import Record
from budgetai.sources.the_stack import instruction_for, quality_reason
from budgetai.stats import StageStats

DEFAULT_GLOBS = ("**/*.hs", "**/*.lhs")


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    """Yield one code record per matching file under cfg['root'] (see module docstring)."""
    root, license_ = Path(cfg.get("root") or ""), cfg.get("license")
    if not cfg.get("root") or not root.is_dir():
        raise FileNotFoundError(f"local_code source {source!r}: root {str(root)!r} is not a directory")
    if not license_:
        raise ValueError(f"local_code source {source!r}: cfg 'license' is required (state the code's license)")
    for path in matching_files(root, cfg.get("globs") or DEFAULT_GLOBS):
        stats.rows_in += 1
        relative = path.relative_to(root).as_posix()
        try:
            content = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as err:
            stats.quarantine("invalid_utf8")
            quarantine.append({"source": source, "location": str(path), "reason": "invalid_utf8",
                               "raw": str(err)})
            continue
        reason = quality_reason(content, relative, cfg)
        if reason:
            stats.drop(reason)
            continue
        yield _record(source, cfg, root, relative, content, license_)


def matching_files(root: Path, globs) -> list[Path]:
    """Files under root matching any glob, sorted so record order is stable across runs."""
    return sorted({p for pattern in globs for p in root.glob(pattern) if p.is_file()})


def _record(source, cfg, root: Path, relative: str, content: str, license_: str) -> Record:
    parts = relative.split("/")
    top = parts[0] if len(parts) > 1 else "."
    prefix = cfg.get("url_prefix")
    url = f"{prefix.rstrip('/')}/{relative}" if prefix else (root / relative).resolve().as_uri()
    return Record(
        id=f"{source}:{relative}", source=source, kind="code",
        prompt=instruction_for(content, relative, ""), response=content, language="haskell",
        url=url, license=license_, group=f"{source}:{top}",
        meta={"path": relative, "size": len(content.encode("utf-8"))},
    )
