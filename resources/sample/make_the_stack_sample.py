"""Pack the files under resources/sample/the-stack/src/ into
resources/sample/the-stack/data/haskell/train-0000{0,1}-of-00002.parquet: an original sample of
The Stack's Haskell subset in the real column schema of bigcode/the-stack-dedup (hexsha, size, ext,
lang, max_{stars,issues,forks}_repo_* columns, content, avg_line_length, max_line_length,
alphanum_fraction). Every source file was written for this project.

src/<owner>/<repo>/<path> holds a file's content byte for byte; src/files.yaml lists the files in
row order with their repository's licenses and stars, `compiles` (the file alone passes
`ghc -fno-code`, checked by tests/sources/test_sample_compiles.py), `expected_drop` (the reason the
reader's filters must drop the row, or null) and the shard the row goes to.

Also writes manifest.json: hexsha -> repo, path, compiles, expected_drop.

Run: python resources/sample/make_the_stack_sample.py
(tests/sources/test_the_stack_sample.py checks that this reproduces the committed shards.)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

SAMPLE = Path(__file__).resolve().parent / "the-stack"
SHARDS = 2


def read_files(src: Path) -> list[dict]:
    """The entries of src/files.yaml, each with its file's `content`; every file under src must
    be listed and every listed file must exist."""
    index = src / "files.yaml"
    entries = yaml.safe_load(index.read_text())
    listed = {f"{e['repo']}/{e['path']}" for e in entries}
    on_disk = {p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file() and p != index}
    if listed != on_disk:
        raise ValueError(f"{index} and the files under {src} disagree: not listed "
                         f"{sorted(on_disk - listed)}, missing {sorted(listed - on_disk)}; "
                         f"give each file one entry")
    for e in entries:
        if e["shard"] not in range(SHARDS):
            raise ValueError(f"{index}: {e['repo']}/{e['path']} has shard {e['shard']!r}; "
                             f"use 0 to {SHARDS - 1}")
        # bytes, not read_text: newline translation would change the content and its hexsha
        e["content"] = (src / e["repo"] / e["path"]).read_bytes().decode("utf-8")
    return entries


def _blob_sha(content: bytes) -> str:
    """Git's blob id, which The Stack uses as `hexsha`."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def _row(n: int, repo: str, path: str, licenses: list, stars: int, content: str) -> dict:
    """The Stack's columns for the n-th file; dates, issue and fork counts are made up from n."""
    data = content.encode("utf-8")
    lengths = [len(line) for line in content.splitlines()] or [0]
    head = hashlib.sha1(repo.encode()).hexdigest()
    day = f"20{15 + n % 8}-{1 + n % 12:02d}-{1 + n % 27:02d}T{n % 24:02d}:{n % 60:02d}:07.000Z"
    row = {"hexsha": _blob_sha(data), "size": len(data), "ext": path.rsplit(".", 1)[-1], "lang": "Haskell"}
    for kind, count in (("stars", stars or None), ("issues", n % 5 or None), ("forks", stars // 4 or None)):
        row.update({
            f"max_{kind}_repo_path": path, f"max_{kind}_repo_name": repo,
            f"max_{kind}_repo_head_hexsha": head, f"max_{kind}_repo_licenses": licenses,
            f"max_{kind}_count": count,
            f"max_{kind}_repo_{kind}_event_min_datetime": day if count else None,
            f"max_{kind}_repo_{kind}_event_max_datetime": day if count else None,
        })
    row.update({"content": content, "avg_line_length": sum(lengths) / len(lengths),
                "max_line_length": max(lengths),
                "alphanum_fraction": sum(c.isalnum() for c in content) / len(content)})
    return row


def _schema() -> pa.Schema:
    fields = [("hexsha", pa.string()), ("size", pa.int64()), ("ext", pa.string()), ("lang", pa.string())]
    for kind in ("stars", "issues", "forks"):
        fields += [(f"max_{kind}_repo_path", pa.string()), (f"max_{kind}_repo_name", pa.string()),
                   (f"max_{kind}_repo_head_hexsha", pa.string()),
                   (f"max_{kind}_repo_licenses", pa.list_(pa.string())), (f"max_{kind}_count", pa.int64()),
                   (f"max_{kind}_repo_{kind}_event_min_datetime", pa.string()),
                   (f"max_{kind}_repo_{kind}_event_max_datetime", pa.string())]
    fields += [("content", pa.string()), ("avg_line_length", pa.float64()),
               ("max_line_length", pa.int64()), ("alphanum_fraction", pa.float64())]
    return pa.schema(fields)


SCHEMA = _schema()


def write_sample(src: Path, out: Path) -> dict:
    """Write out/data/haskell/*.parquet and out/manifest.json from src; return the manifest."""
    entries = read_files(src)
    rows, manifest = [], {}
    for n, e in enumerate(entries):
        row = _row(n, e["repo"], e["path"], e["licenses"], e["stars"], e["content"])
        rows.append(row)
        manifest[row["hexsha"]] = {"repo": e["repo"], "path": e["path"], "compiles": e["compiles"],
                                   "expected_drop": e["expected_drop"]}
    shard_dir = out / "data" / "haskell"
    shard_dir.mkdir(parents=True, exist_ok=True)
    for k in range(SHARDS):  # several row groups per shard, like the real dataset
        table = pa.Table.from_pylist([r for r, e in zip(rows, entries) if e["shard"] == k], schema=SCHEMA)
        pq.write_table(table, shard_dir / f"train-0000{k}-of-0000{SHARDS}.parquet", row_group_size=16)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


if __name__ == "__main__":
    manifest = write_sample(SAMPLE / "src", SAMPLE)
    print(f"wrote {len(manifest)} files to {SAMPLE / 'data/haskell'}")
