"""The examples stage: records -> the examples a model sees, with ids, token counts and stats."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from budgetai.stages.datacard import write_examples_card
from budgetai.core.records import Record, read_records, write_records
from budgetai.examples.stage import write_examples
# Registered as a plugin (not imported) so the session fixtures are built once for all modules.


def records() -> list[Record]:
    module = "module Data.Small where\n\n" + "\n\n".join(
        f"-- | Adds {i}.\nadd{i} :: Int -> Int\nadd{i} = (+ {i})" for i in range(60))
    common = {"language": "haskell", "url": "", "license": "BSD-3-Clause"}
    return [
        Record(id="code:Data/Small.hs", source="code", kind="code", prompt="Write the module Data.Small.",
               response=module, group="code:Data", **common),
        Record(id="qa:1", source="qa", kind="qa", prompt="How do I add one?", response="Use `(+ 1)`.",
               group="qa:1", **common),
    ]


def test_examples_of_a_split_carry_ids_token_counts_and_per_source_stats(tiny_llama_dir, tmp_path):
    write_records(records(), tmp_path / "train.parquet")
    write_records(records()[1:], tmp_path / "val.parquet")
    outs = {"train": tmp_path / "train_examples.parquet", "val": tmp_path / "val_examples.parquet"}
    write_examples(tiny_llama_dir, {"train": tmp_path / "train.parquet", "val": tmp_path / "val.parquet"},
                   {"max_length": 128, "learning_rate": 1.0}, outs, tmp_path / "examples_summary.json")
    table = pq.read_table(outs["train"]).to_pylist()
    code = [r for r in table if r["record_id"] == "code:Data/Small.hs"]
    assert len(code) > 3 and [r["part"] for r in code] == list(range(1, len(code) + 1))
    assert [r["id"] for r in code] == [f"code:Data/Small.hs#{k}" for k in range(1, len(code) + 1)]
    assert {r["parts"] for r in code} == {len(code)} and all(r["n_tokens"] <= 128 for r in code)
    assert all(r["source"] == "code" and r["license"] == "BSD-3-Clause" for r in code)
    qa = [r for r in table if r["record_id"] == "qa:1"]
    assert len(qa) == 1 and qa[0]["id"] == "qa:1" and qa[0]["response"] == "Use `(+ 1)`."
    assert [r.id for r in read_records(outs["val"])] == ["qa:1"]  # a Record file like any other
    stats = json.loads((tmp_path / "examples_summary.json").read_text())
    assert stats["config"]["max_length"] == 128 and "learning_rate" not in stats["config"]
    assert stats["config"]["chunk_long_records"] is True  # the recipe's default fills what is unset
    by_source = stats["train"]["sources"]
    assert by_source["code"]["records"] == 1 and by_source["code"]["examples"] == len(code)
    assert by_source["code"]["chunked_records"] == 1 and by_source["qa"]["chunked_records"] == 0
    assert stats["train"]["total"]["examples"] == len(table)
    assert stats["train"]["total"]["share_in_examples"] > 0.99

    write_examples_card("tiny", tmp_path / "examples_summary.json", tmp_path / "examples_card.md")
    card = (tmp_path / "examples_card.md").read_text()
    assert "# Examples card: tiny" in card and "max_length 128" in card
    total = stats["train"]["total"]
    assert f"| train | **all** | 2 | {total['examples']} | {total['example_tokens']} |" in card
    assert f"Tokens trained per epoch: {total['example_tokens']}." in card


def long_problem() -> Record:
    """A Haskell instruction whose fenced answer is too long for one example at max_length 128."""
    module = "\n\n".join(f"-- | Adds {i}.\nadd{i} :: Int -> Int\nadd{i} = (+ {i})" for i in range(40))
    return Record(id="ins:long", source="ins", kind="instruction", prompt="Write forty adders.",
                  response=f"```haskell\n{module}\n```", language="haskell", url="", license="MIT", group="ins:long")


def short_problem() -> Record:
    return Record(id="ins:short", source="ins", kind="instruction", prompt="Write inc.",
                  response="```haskell\ninc :: Int -> Int\ninc = (+ 1)\n```", language="haskell", url="",
                  license="MIT", group="ins:short")


def test_checkpoint_scoring_skips_the_pieces_of_a_chunked_record_in_the_real_artifact(tiny_llama_dir, tmp_path):
    """The chunk check reads the examples file training reads (not hand-built dicts): a piece of
    a record cut into several examples is not a whole answer to score."""
    from budgetai.core.config.training import with_defaults
    from budgetai.train.checkpoint_scoring import scoring_problems

    write_records([long_problem(), short_problem()], tmp_path / "val.parquet")
    out = tmp_path / "val_examples.parquet"
    write_examples(tiny_llama_dir, {"val": tmp_path / "val.parquet"}, {"max_length": 128}, {"val": out},
                   tmp_path / "examples_summary.json")
    assert len([r for r in pq.read_table(out).to_pylist() if r["record_id"] == "ins:long"]) > 1
    chosen = scoring_problems(with_defaults({"select_checkpoint": "parse_rate"}), out)
    assert [p.id for p in chosen] == ["ins:short"]


def test_training_reads_the_stored_token_ids_and_they_match_a_fresh_tokenization(tiny_llama_dir, tmp_path):
    """Tokenized once: the examples file carries input_ids and labels, read back as they are."""
    from budgetai.core.config.training import with_defaults
    from budgetai.examples.stage import read_examples
    from budgetai.examples.tokenize import tokenize_records
    from budgetai.model.load import load_tokenizer

    write_records(records(), tmp_path / "train.parquet")
    out = tmp_path / "train_examples.parquet"
    write_examples(tiny_llama_dir, {"train": tmp_path / "train.parquet"}, {"max_length": 128}, {"train": out},
                   tmp_path / "examples_summary.json")
    cfg = with_defaults({"max_length": 128})
    tokenizer = load_tokenizer(tiny_llama_dir)
    stored = read_examples(out, tokenizer, cfg, encoder_decoder=False)
    fresh = tokenize_records([r.to_row() for r in records()], tokenizer, cfg, encoder_decoder=False)
    assert [e["input_ids"] for e in stored.examples] == [e["input_ids"] for e in fresh.examples]
    assert [e["labels"] for e in stored.examples] == [e["labels"] for e in fresh.examples]
    summary = json.loads((tmp_path / "examples_summary.json").read_text())
    assert summary["train"]["total"]["prompts_cut_left"] == stored.prompts_cut == fresh.prompts_cut
