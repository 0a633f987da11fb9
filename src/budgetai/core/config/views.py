"""The slice of the config each rule depends on, computed once: the workflow's rules pass these
as `params` (so editing one stage's settings reruns that stage and what follows, nothing
upstream), and `budgetai lineage` and the report read the same slices rather than copies.
"""

from __future__ import annotations

from budgetai.core.config.training import EXAMPLE_KEYS, with_defaults

# Source keys later stages consume: editing them must not re-ingest the source.
DOWNSTREAM_SOURCE_KEYS = ("clean", "enabled")


def enabled_sources(config: dict) -> list[str]:
    return [name for name, cfg in config["sources"].items() if cfg.get("enabled", True)]


def ingest_view(config: dict, source: str) -> dict:
    """What ingest reads of a source: everything but the keys later stages consume."""
    return {k: v for k, v in config["sources"][source].items() if k not in DOWNSTREAM_SOURCE_KEYS}


def clean_view(config: dict, source: str) -> dict:
    """The global clean settings, overridden by the source's own `clean:`."""
    return {**(config.get("clean") or {}), **(config["sources"].get(source, {}).get("clean") or {})}


def split_view(config: dict) -> dict:
    return dict(config.get("split") or {})


def decontamination_suites(config: dict) -> list[dict]:
    """The suites whose text must not be trained on: the named evaluation suites with files,
    plus any extra suites the config lists."""
    block = config.get("decontamination") or {}
    suites = []
    for name in block.get("suites", []):
        suite = config["evaluation"]["suites"][name]
        if suite.get("path"):
            suites.append({"name": name, "format": suite["format"], "path": suite["path"]})
    return suites + list(block.get("extra_suites", []))


def decontamination_view(config: dict) -> dict:
    """The matching settings; which suites to match against travel separately."""
    return {k: v for k, v in (config.get("decontamination") or {}).items() if k not in ("suites", "extra_suites")}


def mixture_view(config: dict, experiment: str) -> dict:
    return dict(config["experiments"][experiment].get("mixture") or {})


def training_view(config: dict, experiment: str) -> dict:
    """The experiment's training block. Scoring checkpoints (select_checkpoint other than
    val_loss) compiles answers as evaluation does: under evaluation.execution unless the block
    names its own."""
    training = config["experiments"][experiment].get("training") or {}
    filled = with_defaults(training)
    if filled["select_checkpoint"] == "val_loss" or filled["checkpoint_scoring"]["execution"] is not None:
        return training
    execution = config["evaluation"].get("execution", {})
    return {**training, "checkpoint_scoring": {**(training.get("checkpoint_scoring") or {}), "execution": execution}}


def examples_view(config: dict, experiment: str) -> dict:
    """The training keys that decide the examples (EXAMPLE_KEYS): only these rebuild them."""
    return {k: v for k, v in training_view(config, experiment).items() if k in EXAMPLE_KEYS}
