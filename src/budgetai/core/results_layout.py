"""Where every artifact of a run lives, in one place: a function per artifact, used by the
workflow's rules (called without arguments they give the wildcard pattern, e.g.
`clean()` -> "results/sources/{source}/clean.parquet"), and by the report, `budgetai lineage`
and `budgetai status` (called with names and the results directory they read).

    results/sources/<source>/     raw.parquet, ingest_stats.json, quarantine.parquet, shards/,
                                  clean.parquet, clean_stats.json, clean_quarantine.parquet,
                                  minhash.parquet
    results/dataset/              dedup*, decontaminat*, train/val/test.parquet, split_stats.json,
                                  stats.json, card.md, plots/
    results/models/<model>/       the prepared base model
    results/experiments/<e>/      data/ (mixture, examples), checkpoints/, adapter/, eval/
    results/base/<model>/eval/    the base model's evaluations
    results/self_improve/<e>/     r<r>/ (a self-improvement round: samples, verdicts, data/,
                                  adapter/, eval/) and summary.json
    results/report/index.html
"""

from __future__ import annotations

ROOT = "results"
SOURCE, SHARD, EXPERIMENT, MODEL, SUITE, ROUND = "{source}", "{shard}", "{experiment}", "{model}", "{suite}", "{round}"


def source_dir(source: str = SOURCE, root: str = ROOT) -> str:
    return f"{root}/sources/{source}"


def raw(source: str = SOURCE, root: str = ROOT) -> str:
    return f"{source_dir(source, root)}/raw.parquet"


def ingest_stats(source: str = SOURCE, root: str = ROOT) -> str:
    return f"{source_dir(source, root)}/ingest_stats.json"


def ingest_quarantine(source: str = SOURCE, root: str = ROOT) -> str:
    return f"{source_dir(source, root)}/quarantine.parquet"


def source_inputs(source: str = SOURCE, root: str = ROOT) -> str:
    """The manifest of the system files a source reads (path, size, sha256), its ingest's input."""
    return f"{source_dir(source, root)}/inputs.json"


def shard(suffix: str, source: str = SOURCE, shard_id: str = SHARD, root: str = ROOT) -> str:
    """One ingest shard's file: suffix "parquet", "stats.json" or "quarantine.parquet"."""
    return f"{source_dir(source, root)}/shards/{shard_id}.{suffix}"


def clean(source: str = SOURCE, root: str = ROOT) -> str:
    return f"{source_dir(source, root)}/clean.parquet"


def clean_stats(source: str = SOURCE, root: str = ROOT) -> str:
    return f"{source_dir(source, root)}/clean_stats.json"


def clean_quarantine(source: str = SOURCE, root: str = ROOT) -> str:
    return f"{source_dir(source, root)}/clean_quarantine.parquet"


def signatures(source: str = SOURCE, root: str = ROOT) -> str:
    return f"{source_dir(source, root)}/minhash.parquet"


def dataset(name: str, root: str = ROOT) -> str:
    """A file of the whole dataset: dedup.parquet, dedup_stats.json, dedup_clusters.parquet,
    decontaminated.parquet, decontaminate_stats.json, decontamination.json, train.parquet,
    val.parquet, test.parquet, split_stats.json, stats.json, card.md, plots."""
    return f"{root}/dataset/{name}"


def stage_stats(stage: str, root: str = ROOT) -> str:
    """The stats file of a whole-dataset stage (dedup, decontaminate, split)."""
    return dataset(f"{stage}_stats.json", root)


def model_dir(model: str = MODEL, root: str = ROOT) -> str:
    return f"{root}/models/{model}"


def experiment_dir(experiment: str = EXPERIMENT, root: str = ROOT) -> str:
    return f"{root}/experiments/{experiment}"


def experiment_data(name: str, experiment: str = EXPERIMENT, root: str = ROOT) -> str:
    """An experiment's data file: train.parquet, val.parquet, mixture_stats.json,
    train_examples.parquet, val_examples.parquet, examples_summary.json, examples_card.md."""
    return f"{experiment_dir(experiment, root)}/data/{name}"


def checkpoints(experiment: str = EXPERIMENT, root: str = ROOT) -> str:
    return f"{experiment_dir(experiment, root)}/checkpoints"


def adapter(experiment: str = EXPERIMENT, root: str = ROOT) -> str:
    return f"{experiment_dir(experiment, root)}/adapter"


def eval_dir(experiment: str = EXPERIMENT, root: str = ROOT) -> str:
    return f"{experiment_dir(experiment, root)}/eval"


def base_eval_dir(model: str = MODEL, root: str = ROOT) -> str:
    return f"{root}/base/{model}/eval"


def evaluation(eval_directory: str, suite: str = SUITE) -> str:
    """A suite's result JSON in an eval directory (eval_dir or base_eval_dir)."""
    return f"{eval_directory}/{suite}.json"


def generations(eval_directory: str, suite: str = SUITE) -> str:
    """A suite's per-sample generations in an eval directory."""
    return f"{eval_directory}/{suite}.generations.jsonl"


def self_improve_round(experiment: str = EXPERIMENT, round_no: int | str = ROUND, root: str = ROOT) -> str:
    """Round r (r >= 1) of an experiment's self-improvement; round 0 is the experiment itself."""
    return f"{root}/self_improve/{experiment}/r{round_no}"


def self_improve_eval_dir(experiment: str = EXPERIMENT, round_no: int | str = ROUND, root: str = ROOT) -> str:
    """A round's evaluations (layout.evaluation / layout.generations inside it)."""
    return f"{self_improve_round(experiment, round_no, root)}/eval"


def self_improve_summary(experiment: str = EXPERIMENT, root: str = ROOT) -> str:
    return f"{root}/self_improve/{experiment}/summary.json"


def report_page(root: str = ROOT) -> str:
    return f"{root}/report/index.html"
