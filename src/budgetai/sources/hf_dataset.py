"""Instruction/response rows from a Hugging Face dataset (online) or a local file in the same schema.

Config: hub_id (+ split "train", config: the dataset config name; loaded with
datasets.load_dataset, the token comes from the HF_TOKEN environment variable and is never
logged) OR path (a local .parquet, .jsonl, .json (array or lines) or .csv file); license
(required); kind ("instruction"); language ("en"); id_column (unset: the row number);
group_column (unset: each row its own group; rows sharing a value share a split, e.g. the
solutions of one task); url_column (unset: url_prefix, else the file's name or the hub page;
never the directory the file sits in); max_rows (unset: all); format:
- "columns": prompt_template / response_template are str.format templates over the row's
  columns, e.g. prompt_template "{instruction}\\n\\n{input}", response_template "{output}"
  (flytech/python-codes-25k); "{dialogue}" / "{summary}" for samsum. Results are stripped, so an
  empty {input} leaves no trailing blank lines.
- "conversations" (LIMA): conversations_column ("conversations") holds a list of turns, either
  strings alternating user/assistant or {"from"/"role", "value"/"content"} dicts. The first
  user turn is the prompt and the first assistant turn the response; later turns are not
  used (their count is kept in meta["turns"]) because a later answer depends on context that a
  single prompt/response pair cannot carry.

One row_in per dataset row. A row lacking a field a template or the conversation needs goes to
quarantine with its row number and the field's name; so does a row that is not an object (a JSON
array), is not valid JSON or UTF-8, is over MAX_ROW_BYTES (JSONL is read line by line, so one
100 MB line costs 16 MB, not a gigabyte) or holds text that cannot be written as UTF-8 (a lone
surrogate such as "\\ud800"). One bad row never ends the source (issue 26).
"""

from __future__ import annotations

import csv
import json
import os
import string
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import pyarrow.parquet as pq

from budgetai.core.records import KINDS, Record
from budgetai.core.stats import StageStats, quarantine_unit


MAX_ROW_BYTES = 16 * 1024 * 1024  # a JSONL row longer than this is quarantined unread


class BadRow(NamedTuple):
    """A row the file reader could not turn into an object: quarantined under `reason`."""

    reason: str
    message: str
    raw: str = ""


class MissingFieldError(KeyError):
    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def template_fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def fill(template: str, row: dict) -> str:
    """The template filled from the row; MissingFieldError names the first absent/null field."""
    for name in template_fields(template):
        if row.get(name) is None:
            raise MissingFieldError(name)
    return template.format(**{k: ("" if v is None else v) for k, v in row.items()}).strip()


def first_exchange(turns: Any) -> tuple[str, str]:
    """(first user turn, first assistant turn) of a LIMA/ShareGPT-style conversation."""
    if not isinstance(turns, list) or len(turns) < 2:
        raise MissingFieldError("conversations[1] (assistant turn)")
    texts = []
    for n, turn in enumerate(turns[:2]):
        text = turn if isinstance(turn, str) else (turn or {}).get("value", (turn or {}).get("content"))
        if not isinstance(text, str):
            raise MissingFieldError(f"conversations[{n}]")
        texts.append(text.strip())
    return texts[0], texts[1]


def local_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(row number, row or BadRow) from a local Parquet/JSONL/JSON/CSV file; rows numbered from
    0 (blank JSONL lines are not rows). A file that cannot be read at all raises, naming it."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            yield from enumerate(pq.read_table(path).to_pylist())
        elif suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as f:
                yield from enumerate(csv.DictReader(f))
        elif suffix == ".json" and _starts_with_array(path):
            yield from enumerate(json.loads(path.read_text(encoding="utf-8")))
        elif suffix in (".jsonl", ".json"):
            with path.open("rb") as lines:
                yield from enumerate(_json_lines(lines))
        else:
            raise ValueError(f"{path}: unsupported file type {suffix!r} (parquet, jsonl, json, csv)")
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not UTF-8 ({err.reason} at byte {err.start}); convert the file "
                         f"to UTF-8") from None


def _starts_with_array(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4096).lstrip().startswith(b"[")


def _json_lines(lines) -> Iterator[Any]:
    """Each non-blank line's JSON value, or a BadRow (too long, not UTF-8, not JSON)."""
    while line := lines.readline(MAX_ROW_BYTES + 1):
        if len(line) > MAX_ROW_BYTES and not line.endswith(b"\n"):
            size = len(line) + _skip_rest_of_line(lines)
            yield BadRow("row_too_large", f"{size:,} bytes, over {MAX_ROW_BYTES:,}", line[:200].decode("utf-8", "replace"))
            continue
        if not line.strip():
            continue
        try:
            yield json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as err:
            yield BadRow("invalid_utf8", f"not UTF-8 ({err.reason} at byte {err.start})", line[:2000].decode("latin-1"))
        except ValueError as err:
            yield BadRow("invalid_json", f"not valid JSON ({err})", line[:2000].decode("utf-8", "replace"))


def _skip_rest_of_line(lines) -> int:
    skipped = 0
    while chunk := lines.readline(1 << 20):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def hub_rows(cfg: dict) -> Iterator[tuple[int, dict]]:
    import datasets  # heavy import, only needed online

    dataset = datasets.load_dataset(cfg["hub_id"], cfg.get("config"), split=cfg.get("split", "train"),
                                    token=os.environ.get("HF_TOKEN") or None)
    yield from enumerate(dataset)


def prompt_and_response(cfg: dict, row: dict) -> tuple[str, str, dict]:
    fmt = cfg.get("format", "columns")
    if fmt == "columns":
        if not cfg.get("prompt_template") or not cfg.get("response_template"):
            raise ValueError("hf_dataset format 'columns' needs prompt_template and response_template")
        return fill(cfg["prompt_template"], row), fill(cfg["response_template"], row), {}
    if fmt == "conversations":
        column = cfg.get("conversations_column", "conversations")
        if row.get(column) is None:
            raise MissingFieldError(column)
        prompt, response = first_exchange(row[column])
        return prompt, response, {"turns": len(row[column])}
    raise ValueError(f"hf_dataset format must be 'columns' or 'conversations', got {fmt!r}")


def record_kind(cfg: dict) -> str:
    """The records' kind: `record_kind`, else `kind` when it names a record kind (direct calls),
    else "instruction". In the workflow `kind` is the source kind ("hf_dataset")."""
    if cfg.get("record_kind"):
        return cfg["record_kind"]
    return cfg["kind"] if cfg.get("kind") in KINDS else "instruction"


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    if not cfg.get("license"):
        raise ValueError(f"source {source!r} (hf_dataset): 'license' is required (the dataset card's license)")
    if cfg.get("path"):
        # the url names the file, never the directory it sits in on this machine
        origin, rows = cfg.get("url_prefix") or Path(cfg["path"]).name, local_rows(Path(cfg["path"]))
    elif cfg.get("hub_id"):
        origin, rows = f"https://huggingface.co/datasets/{cfg['hub_id']}", hub_rows(cfg)
    else:
        raise ValueError(f"source {source!r} (hf_dataset): set path or hub_id")
    id_column, max_rows = cfg.get("id_column"), cfg.get("max_rows")
    group_column, url_column = cfg.get("group_column"), cfg.get("url_column")
    for n, row in rows:
        if max_rows is not None and n >= max_rows:
            break
        stats.rows_in += 1
        if isinstance(row, BadRow) or not isinstance(row, dict):
            bad = row if isinstance(row, BadRow) else BadRow(
                "not_an_object", f"a JSON {type(row).__name__}, not an object", json.dumps(row, default=str)[:2000])
            quarantine_unit(stats, quarantine, source, f"{origin} row {n}", bad.reason,
                            f"row {n}: {bad.message}", raw=bad.raw)
            continue
        try:
            prompt, response, extra = prompt_and_response(cfg, row)
            native_id = n if id_column is None else row[id_column]
            if native_id is None:
                raise MissingFieldError(id_column)
            for column in (group_column, url_column):
                if column and row.get(column) is None:
                    raise MissingFieldError(column)
        except (MissingFieldError, KeyError) as err:
            field = getattr(err, "field", err.args[0])
            quarantine_unit(stats, quarantine, source, f"{origin} row {n}", "missing_field",
                            f"row {n}: missing field {field!r}", raw=json.dumps(row, default=str)[:2000])
            continue
        if not prompt or not response:
            stats.drop("empty_prompt_or_response")
            continue
        record = Record(
            id=f"{source}:{native_id}", source=source, kind=record_kind(cfg), prompt=prompt,
            response=response, language=cfg.get("language", "en"),
            url=str(row[url_column]) if url_column else origin, license=cfg["license"],
            group=f"{source}:{row[group_column] if group_column else native_id}", meta={"row": n, **extra},
        )
        if field := unwritable_field(record):
            quarantine_unit(stats, quarantine, source, f"{origin} row {n}", "invalid_unicode",
                            f"row {n}: {field} holds text that is not valid Unicode (a lone surrogate?)",
                            raw=json.dumps(row, default=str)[:2000])
            continue
        yield record


def unwritable_field(record: Record) -> str | None:
    """The first text field of a record that cannot be encoded as UTF-8 (a lone surrogate from
    a JSON "\\ud800" escape), which would fail the Parquet write of the whole source."""
    for name in ("id", "prompt", "response", "url", "group"):
        try:
            getattr(record, name).encode("utf-8")
        except UnicodeEncodeError:
            return name
    return None
