"""Local code tree reader (`kind: local_code`): Haskell files under a directory -> code records.

This is how a user adds their own code without writing a reader: point `root` at a checkout,
state its license, and every matching file becomes a record built like The Stack's (prompt =
instruction + leading doc comment, response = the whole file; see budgetai.sources.the_stack).

cfg keys (defaults):
  root        required; directory to walk (relative to the current directory)
  license     required; the license the user states for this code (e.g. "MIT")
  globs       ["**/*.hs", "**/*.lhs"]
  url_prefix  none; urls become f"{url_prefix}/{relative path}", else file:// urls
  syntax_check false, + the code-quality keys of budgetai.sources.code_quality

Literate files (.lhs) are unlit (budgetai.sources.literate_haskell) for the syntax check and
the module name; their opening prose joins the prompt. Without url_prefix a url is the path
under root (no machine path in a record).

Records: group = f"{source}:{package}:{directory inside the package}", the package being the
directory of the nearest .cabal / package.yaml (a repository with one package still spreads
over the splits; modules of one directory share one). Accounting: each file is yielded, dropped by a code-quality reason, or
quarantined: undecodable_name (its path under root is not valid UTF-8, so no record can hold
it), outside_root (a symlink whose target is outside root: not read), invalid_utf8 (content).
Symlinked directories are never entered, whatever they point at.
"""

from __future__ import annotations

import fnmatch
import logging
import os
from pathlib import Path, PurePosixPath
from typing import Iterator

from budgetai.sources.code_quality import source_file_reason
from budgetai.core.records import Record
from budgetai.sources.literate_haskell import is_literate, opening_prose, unlit
from budgetai.sources.paths import OUTSIDE_ROOT, OutsideRoot, read_bytes_inside, shown
from budgetai.sources.the_stack import instruction_for
from budgetai.core.stats import StageStats, quarantine_unit

log = logging.getLogger(__name__)

DEFAULT_GLOBS = ("**/*.hs", "**/*.lhs")


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    """Yield one code record per matching file under cfg['root'] (see module docstring)."""
    root, license_ = Path(cfg.get("root") or ""), cfg.get("license")
    if not cfg.get("root") or not root.is_dir():
        raise FileNotFoundError(f"local_code source {source!r}: root {str(root)!r} is not a directory")
    if not license_:
        raise ValueError(f"local_code source {source!r}: cfg 'license' is required (state the code's license)")
    real_root = root.resolve()
    for path in matching_files(root, cfg.get("globs") or DEFAULT_GLOBS):
        stats.rows_in += 1
        relative = path.relative_to(root).as_posix()
        if not has_utf8_name(relative):
            log.warning("local_code source %s: skipped %r under %s: its name is not valid UTF-8",
                        source, os.fsencode(relative), shown(root))
            _quarantine(stats, quarantine, source, path, "undecodable_name", "file name is not valid UTF-8")
            continue
        try:
            content = read_bytes_inside(path, real_root).decode("utf-8")
        except OutsideRoot as err:
            _quarantine(stats, quarantine, source, path, OUTSIDE_ROOT, str(err))
            continue
        except UnicodeDecodeError as err:
            _quarantine(stats, quarantine, source, path, "invalid_utf8", str(err))
            continue
        code = unlit(content) if is_literate(relative) else content
        if reason := source_file_reason(content, cfg, relative, parsed_text=code):
            stats.drop(reason, unit=f"{source}:{relative}")
            continue
        yield _record(source, cfg, relative, content, code, license_, package_of(root, relative))


def matching_files(root: Path, globs) -> list[Path]:
    """Files under root matching any glob (pathlib syntax), sorted so record order is stable
    across runs. The walk does not enter symlinked directories: one pointing outside the root
    would pull in a tree the user never chose (a link to / reads the machine), one pointing
    inside it would read files twice."""
    patterns = [tuple(g.strip("/").split("/")) for g in globs]
    found = []
    for directory, subdirectories, names in os.walk(root):
        for name in subdirectories:
            if os.path.islink(os.path.join(directory, name)):
                log.warning("local_code: not entering symlinked directory %s", shown(Path(directory, name)))
        for name in names:
            path = Path(directory, name)
            parts = path.relative_to(root).parts
            if any(_glob_match(parts, pattern) for pattern in patterns) and path.is_file():
                found.append(path)
    return sorted(found)


def _glob_match(parts: tuple, pattern: tuple) -> bool:
    """Whether a relative path (as parts) matches a glob (as parts): `**` stands for any number
    of directories, every other part is matched against one name as pathlib does."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob_match(parts[i:], pattern[1:]) for i in range(len(parts)))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and _glob_match(parts[1:], pattern[1:])


def has_utf8_name(path: str) -> bool:
    """False for a path holding bytes that are not UTF-8 (Python keeps them as lone surrogates,
    which neither Parquet nor Snakemake can encode)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _quarantine(stats: StageStats, quarantine: list[dict], source: str, path: Path, reason: str,
                raw: str) -> None:
    quarantine_unit(stats, quarantine, source, shown(path), reason, raw=raw)


def package_of(root: Path, relative: str) -> str:
    """The directory (relative to root, "." for root itself) of the nearest .cabal or
    package.yaml above the file: the package it belongs to."""
    parent = PurePosixPath(relative).parent
    for directory in (parent, *parent.parents):
        here = root / directory
        if (here / "package.yaml").is_file() or any(here.glob("*.cabal")):
            return directory.as_posix()
    return "."


def _record(source, cfg, relative: str, content: str, code: str, license_: str, package: str) -> Record:
    prefix = cfg.get("url_prefix")
    # without url_prefix the url is the path under root: a file:// url would name this machine
    url = f"{prefix.rstrip('/')}/{relative}" if prefix else relative
    prompt = instruction_for(code, relative, "")
    if is_literate(relative) and opening_prose(content):
        prompt = f"{prompt}\n\n{opening_prose(content)}"  # a literate file's own introduction
    # group: the package, then the module's directory inside it, so that a repository's
    # modules spread over the splits while a module and its siblings (Data/Map/*.hs) stay together
    inside = PurePosixPath(relative).relative_to(package).parent.as_posix() if package != "." else \
        PurePosixPath(relative).parent.as_posix()
    return Record(
        id=f"{source}:{relative}", source=source, kind="code",
        prompt=prompt, response=content, language="haskell",
        url=url, license=license_, group=f"{source}:{package}:{inside}",
        meta={"path": relative, "package": package, "size": len(content.encode("utf-8"))},
    )
