"""The examples stage: an experiment's split, as the training examples its model will see.

One row per example, with the experiment's own tokenizer and chat template: a record that fits
max_length is one example (id = the record's id); a longer one becomes several complete examples
(budgetai.examples.chunking) with ids `<record id>#<k>`. Each row is a Record (so every reader of
records reads it) plus `record_id`, `part`, `parts`, `n_tokens` (prompt + response + end of
turn), `prompt_cut` (the prompt lost its start to fit) and the token ids training consumes as
they are: `input_ids` and `labels` (prompt masked), built by budgetai.examples.tokenize. Training
reads these (`read_examples`) and tokenizes nothing again. The stats JSON says, per source and in total, how many
records became how many examples and what share of the records' response tokens the examples
hold. Training reads these files, so a change of tokenizer or max_length reruns this stage and
what follows it, and nothing upstream.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
import pyarrow.parquet as pq

from budgetai.model.load import is_encoder_decoder, load_tokenizer
from budgetai.core.records import RECORD_SCHEMA, read_table
from budgetai.core.io import atomic_write, write_json
from budgetai.examples.tokenize import TokenizedExamples, tokenize_records
from budgetai.core.config.training import EXAMPLE_KEYS, with_defaults

EXAMPLE_FIELDS = [pa.field("record_id", pa.string(), nullable=False), pa.field("part", pa.int32(), nullable=False),
                  pa.field("parts", pa.int32(), nullable=False), pa.field("n_tokens", pa.int32(), nullable=False),
                  pa.field("prompt_cut", pa.bool_(), nullable=False),
                  pa.field("input_ids", pa.list_(pa.int32()), nullable=False),
                  pa.field("labels", pa.list_(pa.int32()), nullable=False)]
EXAMPLE_SCHEMA = pa.schema(list(RECORD_SCHEMA) + EXAMPLE_FIELDS)


def build_examples(rows: list[dict], tokenizer, cfg: dict, encoder_decoder: bool) -> tuple[list[dict], dict]:
    """(example rows, stats) of records, per source."""
    out_rows, by_source = [], defaultdict(list)
    for row in rows:
        by_source[row["source"]].append(row)
    stats = {"sources": {}}
    for source, source_rows in sorted(by_source.items()):
        tokenized = tokenize_records(source_rows, tokenizer, cfg, encoder_decoder, keep_text=True)
        stats["sources"][source] = _stats(len(source_rows), tokenized)
        records = {row["id"]: row for row in source_rows}
        for example in tokenized.examples:
            record = records[example["record_id"]]
            suffix = f"#{example['part']}" if example["parts"] > 1 else ""
            out_rows.append({**{k: record[k] for k in RECORD_SCHEMA.names}, "id": record["id"] + suffix,
                             "prompt": example["prompt"], "response": example["response"],
                             "record_id": record["id"], "part": example["part"], "parts": example["parts"],
                             "n_tokens": example["length"], "prompt_cut": bool(example.get("prompt_cut")),
                             "input_ids": example["input_ids"], "labels": example["labels"]})
    stats["total"] = _total(stats["sources"].values())
    return out_rows, stats


def _stats(records: int, tokenized: TokenizedExamples) -> dict:
    return {"records": records, "examples": len(tokenized.examples), "dropped_empty": tokenized.dropped_empty,
            "chunked_records": tokenized.chunked_records, "split_at_lines": tokenized.split_at_lines,
            "truncated": tokenized.truncated, "prompts_cut_left": tokenized.prompts_cut,
            "example_tokens": sum(e["length"] for e in tokenized.examples),
            "response_tokens": tokenized.response_tokens,
            "response_tokens_in_examples": tokenized.trained_response_tokens,
            "share_in_examples": round(tokenized.share_trained, 4)}


def _total(per_source) -> dict:
    total: dict = defaultdict(int)
    for stats in per_source:
        for key, value in stats.items():
            if key != "share_in_examples":
                total[key] += value
    total = dict(total)
    total["share_in_examples"] = round(total["response_tokens_in_examples"] / total["response_tokens"], 4) \
        if total.get("response_tokens") else 1.0
    return total


def write_examples(model_dir, split_paths: dict[str, str], cfg: dict, out_paths: dict[str, str], stats_path) -> dict:
    """Examples of each split ({"train": parquet, "val": parquet}) into out_paths[split], and
    their stats ({split: {"sources": ..., "total": ...}}) into stats_path. cfg: the experiment's
    training config (the recipe's defaults fill what it leaves out)."""
    cfg = with_defaults({k: v for k, v in cfg.items() if k in EXAMPLE_KEYS})
    trust = bool(cfg.get("trust_remote_code"))
    tokenizer = load_tokenizer(model_dir, trust)
    encoder_decoder = is_encoder_decoder(model_dir, trust)
    all_stats = {}
    for split, path in split_paths.items():
        rows, all_stats[split] = build_examples(read_table(path).to_pylist(), tokenizer, cfg, encoder_decoder)
        with atomic_write(out_paths[split]) as tmp:
            pq.write_table(pa.Table.from_pylist(rows, schema=EXAMPLE_SCHEMA), tmp)
    write_json({"config": {k: cfg.get(k) for k in EXAMPLE_KEYS}, **all_stats}, stats_path)
    return all_stats



def read_examples(path, tokenizer, cfg: dict, encoder_decoder: bool, limit: int | None = None) -> TokenizedExamples:
    """The first `limit` examples of an examples file, as training consumes them: its stored token
    ids, not a second tokenization. A plain record file (no `input_ids`, e.g. one given to
    `budgetai train` by hand) is tokenized here instead."""
    table = pq.read_table(path)
    if "input_ids" not in table.column_names:
        return tokenize_records(read_table(path).to_pylist()[:limit], tokenizer, cfg, encoder_decoder)
    rows = table.select(["record_id", "part", "parts", "prompt_cut", "input_ids", "labels"]).slice(
        0, limit if limit is not None else table.num_rows).to_pylist()
    too_long = [r["record_id"] for r in rows if len(r["input_ids"]) > cfg["max_length"]]
    if too_long and not encoder_decoder:
        raise ValueError(f"{path}: examples longer than max_length={cfg['max_length']} (record "
                         f"{too_long[0]}): the file was built with another max_length; rebuild it")
    examples = [{**row, "length": len(row["input_ids"])} for row in rows]
    return TokenizedExamples(examples=examples, truncated=sum(r["prompt_cut"] for r in rows),
                             prompts_cut=sum(r["prompt_cut"] for r in rows))
