"""Task collections (`kind: task_solutions`): a task's description paired with each of its
solutions, one problem_solution record per solution file.

Layouts (cfg `layout`):
- "rosettacode" (RosettaCodeData): `Task/<name>/00-TASK.txt` (MediaWiki markup), optional
  `Task/<name>/00-META.yaml` (`from:` the task's page), solutions in `Task/<name>/<Language>/*`.
- "directories": `<root>/<name>/<task_file>` and the solutions beside it (`solution_globs`).

cfg keys (defaults): root (required), license (required; the collection's license, e.g.
Rosetta Code's "GFDL-1.2"), layout ("rosettacode"), languages (["Haskell"]: solution
directories read in the rosettacode layout), task_file ("00-TASK.txt" / "TASK.md"),
solution_globs (["*.hs", "*.lhs"]), url_template (unset: the META page, else
"<task>/<file>"; fields {task}, {language}, {file}), syntax_check (false) and the code-quality
keys of budgetai.sources.code_quality.

group = f"{source}:{task}": every solution of a task lands in one split, because they share
one prompt and a model must not be validated on a task it trained on. ids and urls hold the
task and file names only, never the root. Accounting: each solution file is one unit, yielded,
dropped (a code-quality reason, syntax_error) or quarantined (task_without_description,
invalid_utf8, outside_root: a solution, task file or task directory that is a link out of the
root, budgetai.sources.paths); a task directory without solutions counts in
stats.extra["tasks_without_solutions"].
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterator

import yaml

from budgetai.sources.code_quality import source_file_reason
from budgetai.core.records import Record
from budgetai.sources.literate_haskell import is_literate, unlit
from budgetai.sources.paths import OUTSIDE_ROOT, OutsideRoot, read_bytes_inside, real_path_inside
from budgetai.core.stats import StageStats, quarantine_unit

DEFAULT_TASK_FILE = {"rosettacode": "00-TASK.txt", "directories": "TASK.md"}


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    root, layout = Path(cfg.get("root") or ""), cfg.get("layout", "rosettacode")
    if not cfg.get("root") or not root.is_dir():
        raise FileNotFoundError(f"task_solutions source {source!r}: root {str(root)!r} is not a directory")
    if not cfg.get("license"):
        raise ValueError(f"task_solutions source {source!r}: 'license' is required (the collection's license)")
    if layout not in DEFAULT_TASK_FILE:
        raise ValueError(f"task_solutions source {source!r}: layout {layout!r} is not one of {sorted(DEFAULT_TASK_FILE)}")
    tasks_dir = root / "Task" if layout == "rosettacode" else root
    empty = []
    for task_dir in sorted(p for p in tasks_dir.iterdir() if p.is_dir()):
        try:
            real_path_inside(task_dir, root)
        except OutsideRoot as err:
            stats.rows_in += 1
            quarantine_unit(stats, quarantine, source, task_dir.name, OUTSIDE_ROOT, raw=str(err))
            continue
        solutions = list(solution_files(task_dir, layout, cfg))
        if not solutions:
            empty.append(task_dir.name)
            continue
        yield from task_records(source, cfg, layout, task_dir, solutions, stats, quarantine, root)
    stats.extra["tasks_without_solutions"] = empty


def solution_files(task_dir: Path, layout: str, cfg: dict) -> Iterator[tuple[str, Path]]:
    """(language, file) for each solution of a task, sorted."""
    globs = cfg.get("solution_globs") or ["*.hs", "*.lhs"]
    if layout == "rosettacode":
        places = [(lang, task_dir / lang) for lang in cfg.get("languages") or ["Haskell"]]
    else:
        places = [(cfg.get("language", "Haskell"), task_dir)]
    for language, where in places:
        files = sorted({p for g in globs for p in where.glob(g) if p.is_file()}) if where.is_dir() else []
        yield from ((language, p) for p in files)


def task_records(source, cfg, layout, task_dir: Path, solutions, stats, quarantine,
                 root: Path) -> Iterator[Record]:
    task = task_dir.name
    try:
        description = task_description(task_dir, layout, cfg, root)
        page = task_page(task_dir, root)
    except OutsideRoot as err:  # the task's text would come from a file nobody chose
        for _, path in solutions:
            stats.rows_in += 1
            quarantine_unit(stats, quarantine, source, f"{task}/{path.relative_to(task_dir).as_posix()}",
                            OUTSIDE_ROOT, raw=str(err))
        return
    for language, path in solutions:
        stats.rows_in += 1
        name = f"{task}/{path.relative_to(task_dir).as_posix()}"
        if not description:
            quarantine_unit(stats, quarantine, source, name, "task_without_description",
                            raw=f"{cfg.get('task_file') or DEFAULT_TASK_FILE[layout]} is missing or empty")
            continue
        try:
            code = read_bytes_inside(path, root).decode("utf-8")
        except OutsideRoot as err:
            quarantine_unit(stats, quarantine, source, name, OUTSIDE_ROOT, raw=str(err))
            continue
        except UnicodeDecodeError as err:
            quarantine_unit(stats, quarantine, source, name, "invalid_utf8", raw=str(err))
            continue
        if reason := source_file_reason(code, cfg, path.name, unlit(code) if is_literate(path.name) else code):
            stats.drop(reason, unit=f"{source}:{name}")
            continue
        fields = {"task": task, "language": language, "file": path.name}
        url = cfg["url_template"].format(**fields) if cfg.get("url_template") else (page or name)
        yield Record(
            id=f"{source}:{name}", source=source, kind="problem_solution",
            prompt=f"{task.replace('-', ' ')}\n\n{description}\n\nSolve this task in {language}.",
            response=code, language=language.lower(), url=url, license=cfg["license"],
            group=f"{source}:{task}", meta={"task": task, "file": path.name, "solution_language": language},
        )


def task_description(task_dir: Path, layout: str, cfg: dict, root: Path) -> str:
    path = task_dir / (cfg.get("task_file") or DEFAULT_TASK_FILE[layout])
    if not path.is_file():
        return ""
    text = read_bytes_inside(path, root).decode("utf-8", errors="replace")
    return mediawiki_to_text(text) if layout == "rosettacode" else text.strip()


def task_page(task_dir: Path, root: Path) -> str:
    meta = task_dir / "00-META.yaml"
    if not meta.is_file():
        return ""
    data = yaml.safe_load(read_bytes_inside(meta, root).decode("utf-8")) or {}
    return str(data.get("from") or "") if isinstance(data, dict) else ""


def mediawiki_to_text(text: str) -> str:
    """Rosetta Code's task markup as readable text: links by their label, bold/italic quotes,
    templates and HTML tags removed, entities decoded. A full MediaWiki parser is not needed
    for task prose, which uses this small subset."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<(?:syntaxhighlight|lang)\b[^>]*>(.*?)</(?:syntaxhighlight|lang)>", r"\n```\n\1\n```\n", text,
                  flags=re.S | re.I)  # code samples in the task text become fences
    text = re.sub(r"\{\{[^{}]*\}\}", "", text)  # {{task}}, {{Template:...}}: page furniture
    text = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]", lambda m: m.group(1).split(":")[-1] if "|" not in m.group(0)
                  else m.group(1), text)
    text = re.sub(r"\[https?://\S+\s+([^\]]+)\]", r"\1", text)
    text = re.sub(r"'{2,}", "", text)
    text = re.sub(r"^;\s*", "", text, flags=re.M)  # ";Task:" is a definition-list heading
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</?(?:sup|sub|b|i|big|small|span|div|u|tt|code|nowiki|math|blockquote|center|p|pre|references?)\b[^>]*>",
                  "", text, flags=re.I)
    text = html.unescape(text).replace("\xa0", " ")
    text = "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()
