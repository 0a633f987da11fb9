"""MinHash signatures per source (the `signatures` rule).

`run(in_path, out_path, cfg)` reads a clean record file and writes a Parquet file with columns
`id`, `content_hash` (see dedup.exact), `signature` (fixed-size list<uint32> of num_perm values).
The parameters are stored in the file's schema metadata so dedup can refuse to compare
signatures made with different settings.

Shingles are token n-grams from `dedup.shingles` (identifiers, numbers and operator runs,
lowercased; layout ignored). Each shingle hash x (its top 32 bits) is permuted num_perm times by
the multiply-add-shift family h(x) = ((a*x + b) mod 2^64) >> 32 (Dietzfelbinger 1996; strongly
universal for 32-bit x). It needs no modulo by a prime, which in numpy is a division pass, the
dearest step; wrap-around uint64 arithmetic does the mod 2^64 for free. a (odd) and b come from
numpy's PCG64 seeded with cfg seed, so signatures computed in separate jobs are comparable.

cfg keys (defaults): ngram (5) tokens per shingle; num_perm (256) hash functions; seed (1)
permutation seed; batch_shingles (16384) shingles hashed per numpy batch (memory: 8 bytes *
num_perm * batch_shingles).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from budgetai.dedup.exact import content_hash
from budgetai.dedup.shingles import ngram_hashes
from budgetai.records import read_table

EMPTY_SIGNATURE_VALUE = np.uint32(0xFFFFFFFF)


@dataclass(frozen=True)
class MinHashParams:
    ngram: int = 5
    num_perm: int = 256
    seed: int = 1
    batch_shingles: int = 16384

    @classmethod
    def from_cfg(cls, cfg: dict | None) -> "MinHashParams":
        cfg = cfg or {}
        params = cls(**{k: int(cfg[k]) for k in ("ngram", "num_perm", "seed", "batch_shingles") if k in cfg})
        if params.ngram < 1 or params.num_perm < 1 or params.batch_shingles < 1:
            raise ValueError(f"minhash cfg: ngram, num_perm, batch_shingles must be >= 1, got {params}")
        return params

    def permutations(self) -> tuple[np.ndarray, np.ndarray]:
        """(a, b) as uint64 column vectors; a is odd so each map is a bijection mod 2^64."""
        rng = np.random.default_rng(self.seed)
        a = rng.integers(0, 2**64, size=self.num_perm, dtype=np.uint64) | np.uint64(1)
        b = rng.integers(0, 2**64, size=self.num_perm, dtype=np.uint64)
        return a[:, None], b[:, None]


def signatures(texts: list[str], params: MinHashParams) -> np.ndarray:
    """uint32 array (len(texts), num_perm). A text with no tokens gets all 0xFFFFFFFF."""
    shingles = [ngram_hashes(text, params.ngram) >> np.uint64(32) for text in texts]
    return signatures_from_shingles(shingles, params)


def signatures_from_shingles(shingles: list[np.ndarray], params: MinHashParams) -> np.ndarray:
    """MinHash of precomputed 32-bit shingle values (uint64 arrays), batched across documents so
    numpy works on (num_perm x batch_shingles) blocks instead of one small block per document."""
    a, b = params.permutations()
    out = np.full((len(shingles), params.num_perm), EMPTY_SIGNATURE_VALUE, dtype=np.uint32)
    batch: list[int] = []
    size = 0
    for index, values in enumerate(shingles):
        if len(values) == 0:
            continue
        batch.append(index)
        size += len(values)
        if size >= params.batch_shingles:
            _fill_batch(out, shingles, batch, a, b)
            batch, size = [], 0
    if batch:
        _fill_batch(out, shingles, batch, a, b)
    return out


def _fill_batch(out, shingles, batch, a, b) -> None:
    values = np.concatenate([shingles[i] for i in batch])
    starts = np.cumsum([0] + [len(shingles[i]) for i in batch[:-1]])
    with np.errstate(over="ignore"):
        permuted = a * values[None, :]
        permuted += b
    minima = np.minimum.reduceat(permuted, starts, axis=1)  # (num_perm, len(batch))
    out[batch] = (minima >> np.uint64(32)).astype(np.uint32).T


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
    meta = {"budgetai.minhash": json.dumps({"ngram": params.ngram, "num_perm": params.num_perm, "seed": params.seed})}
    table = pa.table({"id": pa.array(ids, pa.string()), "content_hash": pa.array(hashes, pa.string()),
                      "signature": column}).replace_schema_metadata(meta)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


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
