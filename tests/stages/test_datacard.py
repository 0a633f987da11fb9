import json
import random

from budgetai.stages import clean, datacard, decontaminate, dedup, split
from budgetai.stages.dedup import signatures as signature_files
from budgetai.core.records import Record, write_records
from budgetai.core.stats import StageStats

WORDS = ["map", "foldr", "xs", "acc", "go", "where", "let", "in", "::", "->", "<-", "Int", "case", "of"]


def source_rows(source: str, n: int, rng: random.Random) -> list[Record]:
    rows = []
    for i in range(n):
        body = "\n".join(f"f{i}_{k} :: Int -> Int\nf{i}_{k} x = " + " ".join(rng.choice(WORDS) + str(rng.randint(0, 99)) for _ in range(8))
                         for k in range(4))
        rows.append(Record(f"{source}:{i}", source, "problem_solution", f"Write function number {i} for {source}.",
                           body, "haskell", "", "CC BY-SA 4.0" if source == "so" else "MIT", f"{source}-{i}"))
    return rows


def test_card_from_a_small_pipeline_run(tmp_path, shared_dir):
    rng = random.Random(0)
    paths = {"ingest": {}, "clean": {}}
    cleaned, sigs = [], []
    for source in ("so", "cf"):
        raw = source_rows(source, 30, rng)
        raw.append(raw[0])  # an in-source duplicate with another id
        raw[-1] = Record(f"{source}:dup", **{k: v for k, v in raw[0].__dict__.items() if k != "id"})
        write_records(raw, tmp_path / f"{source}.raw.parquet")
        ingest = StageStats("ingest", rows_in=len(raw), rows_out=len(raw))
        if source == "so":
            ingest.extra["terms_warning"] = "StackExchange dump terms exclude training LLMs"
        ingest.write(tmp_path / f"{source}.ingest.json")
        paths["ingest"][source] = tmp_path / f"{source}.ingest.json"
        paths["clean"][source] = tmp_path / f"{source}.clean.json"
        clean.run(tmp_path / f"{source}.raw.parquet", tmp_path / f"{source}.clean.parquet", paths["clean"][source], {})
        signature_files.run(tmp_path / f"{source}.clean.parquet", tmp_path / f"{source}.sig.parquet", {"num_perm": 64})
        cleaned.append(tmp_path / f"{source}.clean.parquet")
        sigs.append(tmp_path / f"{source}.sig.parquet")
    dedup.run(cleaned, sigs, tmp_path / "dedup.parquet", tmp_path / "clusters.parquet", tmp_path / "dedup.json", {})
    suite = {"name": "humaneval-hs", "format": "multipl-e", "path": str(shared_dir / "realdata/multipl-e/humaneval-hs-reworded.jsonl")}
    decontaminate.run(tmp_path / "dedup.parquet", [suite], tmp_path / "decon.parquet", tmp_path / "report.json", tmp_path / "decon.json")
    split.run(tmp_path / "decon.parquet", *(tmp_path / f"{s}.parquet" for s in ("train", "val", "test")), tmp_path / "split.json",
              {"train": 0.6, "val": 0.2, "test": 0.2})
    paths.update(dedup=tmp_path / "dedup.json", decontaminate=tmp_path / "decon.json", split=tmp_path / "split.json")
    datacard.run(paths, {s: tmp_path / f"{s}.parquet" for s in ("train", "val", "test")}, tmp_path / "clusters.parquet",
                 tmp_path / "report.json", tmp_path / "card" / "card.md", tmp_path / "card" / "stats.json", tmp_path / "card" / "plots",
                 {"tiny": tmp_path / "experiments" / "tiny" / "examples_card.md"})
    card = json.loads((tmp_path / "card" / "stats.json").read_text())
    assert card["terms_warnings"][0]["source"] == "so"
    assert card["funnel"]["so"]["ingested"] == 31 and card["funnel"]["so"]["clean"] == 30
    assert card["drop_reasons"]["clean"] == {"duplicate_in_source": 2}
    for source in ("so", "cf"):
        f = card["funnel"][source]
        assert 0 < f["train"] + f["val"] + f["test"] <= f["decontaminate"] <= f["dedup"] <= f["clean"]
    assert sum(v["rows"] for v in card["splits"].values()) > 40
    assert card["licenses"]["so"] == {"CC BY-SA 4.0": sum(card["funnel"]["so"][s] for s in ("train", "val", "test"))}
    md = (tmp_path / "card" / "card.md").read_text()
    assert "WARNING" in md and "StackExchange dump terms" in md and "humaneval-hs" in md
    # Sizes are characters, counted exactly; tokens are each experiment's, in the linked card.
    assert "chars/4" not in md and "[tiny](../experiments/tiny/examples_card.md)" in md
    train_rows = datacard.read_table(tmp_path / "train.parquet").to_pylist()
    assert card["splits"]["train"]["chars"] == sum(len(r["prompt"]) + len(r["response"]) for r in train_rows)
    assert sum(card["funnel"][s]["train_chars"] for s in ("so", "cf")) == card["splits"]["train"]["chars"]
    for plot in card["plots"]:
        assert open(plot, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_warnings_name_lost_sources_skewed_splits_and_missing_sources():
    from budgetai.core.config.stages import DatacardSettings, defaults
    from budgetai.stages.datacard import warnings

    stats = {
        "ingest": {"book": {"rows_in": 124, "rows_out": 124, "dropped_by_reason": {}},
                   "empty": {"rows_in": 112, "rows_out": 0, "dropped_by_reason": {"no_solution_file": 112}}},
        "clean": {"book": {"rows_in": 124, "rows_out": 20, "dropped_by_reason": {"language_not_haskell": 104}}},
        "split": {"extra": {"rows": {"train": 2132, "val": 29, "test": 403},
                            "fractions": {"train": 0.75, "val": 0.1, "test": 0.15},
                            "by_source": {"containers": {"train": 300, "test": 40}}}},
    }
    found = warnings(stats, defaults(DatacardSettings))
    assert "source empty: ingest kept 0 of 112 rows, mostly no_solution_file (112)" in found
    assert "source book: clean dropped 104 of 124 rows (84%), mostly language_not_haskell (104)" in found
    assert "split val: 29 of 2564 rows (1.1%), configured 10.0%" in found
    assert "source containers: no rows in val (340 rows in the splits)" in found
    assert not any("split train" in w or "split test" in w for w in found)
