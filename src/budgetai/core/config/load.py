"""The run's config, resolved the way the workflow resolves it: config/config.yaml (or, with
`--replace-workflow-config`, nothing) overlaid with each `--configfile` by Snakemake's own merge,
then the CPU stand-in overlay. The workflow (workflow/rules/common.smk) and `budgetai chat`,
`budgetai lineage` read configs only through here, so they agree on which model an experiment uses.

    config = resolve_config(load_config(["config/experiments/haskell-7b.yaml", "config/standin.yaml"],
                                        replace_base=True))

CPU stand-ins run a GPU experiment family on a laptop with a small model and a data slice.

Each experiment may carry a `cpu_standin` block; with the top-level flag on
(`--config cpu_standin=True`, or the overlay config/standin.yaml) the workflow runs

    config = apply_cpu_standin(config)

right after validation, which returns a new config where every experiment uses its stand-in:

    cpu_standin:
      model: smollm2-135m            # a key of `models` (or of `models` below); replaces `model`
      models: {smollm2-135m: {...}}  # model definitions the stand-in adds
      training: {max_steps: 3}       # deep-merged over the experiment's `training`
      mixture: {...}                 # deep-merged over the experiment's `mixture`
      sources: {...}                 # REPLACES the run's `sources` (cluster dumps -> local files)
      evaluation: {...}              # deep-merged over `evaluation`; a null value deletes a key
      split / decontamination / dedup / clean: {...}   # deep-merged over the same top-level block

`sources`, `evaluation` and the other top-level blocks are shared by every experiment of the run:
several experiments may give them, but where two give the same key they must agree. The GPU
`resources` of each experiment are dropped (the stand-in runs on CPU), models no experiment uses
any more are dropped (so no 7B download is planned), and a `random_init.tokenizer_from` naming a
model key is replaced by that model's block, so the model builder needs no config lookups.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from snakemake.utils import update_config

from budgetai.core.config.ablations import apply_ablations
from budgetai.core.config.checks import STANDIN_OVERLAYS

DEFAULT_CONFIG = Path("config/config.yaml")  # the Snakefile's `configfile:`, relative to the repo root

SHARED_BLOCKS = ("sources", "evaluation", "split", "decontamination", "dedup", "clean")
_TRUE = (True, "true", "True")


def load_config(configfiles: list[str] | None = None, base: Path = DEFAULT_CONFIG,
                replace_base: bool = False) -> dict:
    """`base` overlaid with each of `configfiles` in order, merged as Snakemake merges
    `--configfile`s; `replace_base` drops `base`, as `--replace-workflow-config` does."""
    config: dict = {}
    for path in [*([] if replace_base else [base]), *(Path(p) for p in configfiles or [])]:
        if not path.exists():
            raise FileNotFoundError(f"config file {path} does not exist (run from the repo root or pass --configfile)")
        update_config(config, yaml.safe_load(path.read_text()) or {})
    return config


def resolve_config(config: dict) -> dict:
    """What the workflow runs with, as far as which experiments train which model: ablation
    variants added (budgetai.core.config.ablations), then the CPU stand-in overlay applied when
    the config turns it on."""
    return apply_cpu_standin(apply_ablations(config))


def standin_enabled(config: dict) -> bool:
    """`--config cpu_standin=true` reaches Snakemake as the string "true" (only "True" parses
    as a boolean there), so both spellings count."""
    return config.get("cpu_standin", False) in _TRUE


def apply_cpu_standin(config: dict) -> dict:
    """The config with every experiment replaced by its cpu_standin block (see module doc); the
    input is returned unchanged when the flag is off and is never mutated. Raises ValueError
    naming the experiment when the flag is on and an experiment has no usable block."""
    if not standin_enabled(config):
        return config
    out = copy.deepcopy(config)
    out["cpu_standin"] = True
    shared: dict[str, tuple[str, Any]] = {}
    for name, experiment in out["experiments"].items():
        out["experiments"][name] = _standin_experiment(name, experiment, out)
        _collect_shared(name, experiment["cpu_standin"], shared)
    for block, (_, value) in shared.items():
        if block == "sources":
            out["sources"] = copy.deepcopy(value)
        else:
            out[block] = merge_overrides(out.get(block, {}), value)
    _drop_deleted_suites(out)
    _resolve_tokenizer_keys(out["models"])
    used = {experiment["model"] for experiment in out["experiments"].values()}
    out["models"] = {key: cfg for key, cfg in out["models"].items() if key in used}
    return out


def _standin_experiment(name: str, experiment: dict, config: dict) -> dict:
    standin = experiment.get("cpu_standin")
    if not isinstance(standin, dict) or "model" not in standin:
        raise ValueError(
            f"experiments.{name}: cpu_standin is on but this experiment has no cpu_standin block "
            "with a `model`; add one (see config/experiments/*.yaml) or run without cpu_standin"
        )
    for key, model in standin.get("models", {}).items():
        if key in config["models"] and config["models"][key] != model:
            raise ValueError(f"experiments.{name}.cpu_standin.models.{key}: differs from models.{key}")
        config["models"][key] = copy.deepcopy(model)
    if standin["model"] not in config["models"]:
        raise ValueError(
            f"experiments.{name}.cpu_standin.model: {standin['model']!r} is not a key of `models` "
            "or of the stand-in's own `models`"
        )
    result = {k: copy.deepcopy(v) for k, v in experiment.items() if k not in ("resources", "cpu_standin")}
    result["model"] = standin["model"]
    for block in STANDIN_OVERLAYS:
        if block in standin:
            result[block] = merge_overrides(result.get(block, {}), standin[block])
    note = f"CPU stand-in on {standin['model']}"
    result["description"] = f"{experiment['description']} [{note}]" if experiment.get("description") else note
    return result


def _collect_shared(name: str, standin: dict, shared: dict) -> None:
    """Shared blocks from one experiment's stand-in; a block two experiments both give must be
    equal, because there is only one dataset and one evaluation per run."""
    for block in SHARED_BLOCKS:
        if block not in standin:
            continue
        if block in shared and shared[block][1] != standin[block]:
            raise ValueError(
                f"experiments.{name}.cpu_standin.{block} differs from "
                f"experiments.{shared[block][0]}.cpu_standin.{block}; give it once or make them equal"
            )
        shared[block] = (name, standin[block])


def merge_overrides(base: Any, override: Any) -> Any:
    """A deep merge of `override` over `base` (dicts merge key by key, anything else replaces);
    a None in `override` deletes that key. Neither argument is mutated."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_overrides(merged.get(key), value)
    return merged


def _drop_deleted_suites(config: dict) -> None:
    """Decontamination names suites; a suite the stand-in deleted leaves the list too."""
    suites = config.get("evaluation", {}).get("suites", {})
    decontamination = config.get("decontamination")
    if decontamination and "suites" in decontamination:
        decontamination["suites"] = [s for s in decontamination["suites"] if s in suites]


def _resolve_tokenizer_keys(models: dict) -> None:
    for key, model in models.items():
        spec = model.get("random_init")
        source = spec.get("tokenizer_from") if spec else None
        if isinstance(source, str) and source in models:
            if "random_init" in models[source]:
                raise ValueError(f"models.{key}.random_init.tokenizer_from: {source!r} is itself random_init")
            spec["tokenizer_from"] = copy.deepcopy(models[source])
