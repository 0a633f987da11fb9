"""Signature files, one per source (the `signatures` rule): `run(in_path, out_path, cfg)` reads a
clean record file and writes a Parquet file with columns `id`, `content_hash` (see dedup.exact),
`signature` (fixed-size list<uint32> of num_perm values; budgetai.stages.dedup.minhash). The parameters
are stored in the file's schema metadata so dedup can refuse to compare signatures made with
different settings (or by an older scheme).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from budgetai.stages.dedup.exact import content_hash
from budgetai.stages.dedup.minhash import SCHEME, MinHashParams, signatures
from budgetai.core.io import atomic_write
from budgetai.core.records import read_table


def signature_text(prompt: str, response: str) -> str:
    """What a row's signature covers: both fields, so a copied question with a new answer and a
    new question with a copied answer are each partly similar."""
    return prompt + "\n" + response


def run(in_path: str | os.PathLike, out_path: str | os.PathLike, cfg: dict | None = None) -> None:
    """Write the signatures Parquet for one clean record file (atomically)."""
    params = MinHashParams.from_cfg(cfg)
    table = read_table(in_path)
    prompts = table.column("prompt").to_pylist()
    responses = table.column("response").to_pylist()
    sigs = signatures([signature_text(p, r) for p, r in zip(prompts, responses)], params)
    write_signatures(table.column("id").to_pylist(),
                     [content_hash(p, r) for p, r in zip(prompts, responses)], sigs, params, out_path)


def write_signatures(ids, hashes, sigs: np.ndarray, params: MinHashParams, path) -> None:
    flat = pa.array(sigs.reshape(-1), type=pa.uint32())
    column = pa.FixedSizeListArray.from_arrays(flat, params.num_perm)
    meta = {"budgetai.minhash": json.dumps({"scheme": SCHEME, "ngram": params.ngram,
                                            "num_perm": params.num_perm, "seed": params.seed})}
    table = pa.table({"id": pa.array(ids, pa.string()), "content_hash": pa.array(hashes, pa.string()),
                      "signature": column}).replace_schema_metadata(meta)
    with atomic_write(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_signatures(path) -> tuple[list[str], list[str], np.ndarray, dict]:
    """(ids, content_hashes, uint32 signatures (rows, num_perm), params dict) of one file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: signature file does not exist (run the signatures rule)")
    table = pq.read_table(path)
    raw = (table.schema.metadata or {}).get(b"budgetai.minhash")
    if raw is None or "signature" not in table.column_names:
        raise ValueError(f"{path}: not a budgetai signature file (no minhash metadata/signature column)")
    params = json.loads(raw)
    column = table.column("signature").combine_chunks()
    sigs = column.flatten().to_numpy(zero_copy_only=False).reshape(-1, params["num_perm"])
    return table.column("id").to_pylist(), table.column("content_hash").to_pylist(), sigs, params
