"""Config checks that stop a run before its first job, each message naming the key it is about:

    config: experiments.haskell-smollm2.mixture.sources[0]: no source named 'so' (sources: ...)

A config that passes Snakemake's schema validation can still fail hours later: a mixture naming
a source that does not exist trains on nothing, and save_steps that are not a multiple of
eval_steps stop the HF Trainer only after the model is loaded. The workflow runs

    check_schema(config, SCHEMA_PATH)   # before snakemake.utils.validate, whose message prints
    validate(config, schema=...)        #   the whole schema and hides the key in it
    check_config(config)                # names and combinations, on the defaults filled in

and again on the stand-in config when `cpu_standin` is on (budgetai.core.config.load).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from pathlib import Path

import jsonschema
import yaml

from budgetai.core.config.stages import did_you_mean
from budgetai.core.config.training import with_defaults

# an experiment's blocks a cpu_standin overlays key by key (the rest it replaces or keeps)
STANDIN_OVERLAYS = ("training", "mixture", "self_improve")


class ConfigError(ValueError):
    """The config is wrong; the message lists every problem found, one `config: <key>: ...` a line."""


def key_path(parts: Iterable) -> str:
    """`experiments.x.mixture.sources[0]` from the parts of a path into the config."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def check_schema(config: dict, schema_path: str | Path, configfiles: Iterable[str | Path] = ()) -> None:
    """Raise ConfigError listing every schema violation of `config`, without filling defaults,
    every number that is not finite, and every key repeated within one of `configfiles`."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    problems = [*duplicate_key_errors(configfiles), *nonfinite_errors(config),
                *schema_errors(config, schema), *standin_overlay_errors(config, schema)]
    if problems:
        raise ConfigError("\n".join(problems))


def nonfinite_errors(value, path: tuple = ()) -> Iterator[str]:
    """`.nan` and `.inf` are YAML floats that pass every `type: number` and `minimum` (NaN
    compares false with everything): no knob of this pipeline means them."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from nonfinite_errors(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nonfinite_errors(item, (*path, index))
    elif isinstance(value, float) and not math.isfinite(value):
        yield f"config: {key_path(path)}: {value} is not a finite number"


class _DuplicateKeyLoader(yaml.SafeLoader):
    """A SafeLoader that reports a mapping key given twice, which plain YAML loading lets the
    last one win silently."""

    duplicates: list[str]

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                self.duplicates.append(f"{key!r} on lines {seen[key] + 1} and {key_node.start_mark.line + 1}")
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


def duplicate_key_errors(configfiles: Iterable[str | Path]) -> Iterator[str]:
    for path in configfiles:
        path = Path(path)
        if not path.is_file():
            continue
        loader = _DuplicateKeyLoader(path.read_text())
        loader.duplicates = []
        try:
            loader.get_single_data()
        finally:
            loader.dispose()
        for duplicate in loader.duplicates:
            yield f"config: {path}: key {duplicate} (the second would silently win)"


def check_config(config: dict, replaced_sources: Iterable[str] = ()) -> None:
    """Raise ConfigError listing every dangling name and inconsistent setting of a validated
    config. `replaced_sources`: the sources a stand-in replaced, which mixtures may still name."""
    problems = list(reference_errors(config, set(replaced_sources))) + list(training_errors(config))
    if problems:
        raise ConfigError("\n".join(problems))


def schema_errors(config: dict, schema: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path])
    return [line for error in errors for line in _describe(error)]


def _describe(error: jsonschema.ValidationError) -> list[str]:
    """One line per problem: an unknown key is named in the path itself (with the keys allowed
    there), and a missing one-of-these-keys says which keys would do."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        return [f"config: {key_path([*path, key])}: unknown key{did_you_mean(key, allowed)} "
                f"(allowed here: {', '.join(allowed)})" for key in unknown]
    if error.validator in ("anyOf", "oneOf") and all(set(s) == {"required"} for s in error.validator_value):
        keys = ", ".join(k for s in error.validator_value for k in s["required"])
        how = "exactly one" if error.validator == "oneOf" else "one"
        return [f"config: {key_path(path)}: needs {how} of the keys {keys}"]
    message = error.message
    if error.context and not isinstance(error.instance, dict):
        message += f" ({'; '.join(sorted({e.message for e in error.context}))})"
    return [f"config: {key_path(path)}: {message}"]


def standin_overlay_errors(config: dict, schema: dict) -> list[str]:
    """A stand-in's `training`, `mixture` and `self_improve` are overlays (schema: plain objects, so that no
    default fills in over the experiment's own values): checked here against the blocks they
    overlay, without defaults, so a typo in one stops even a run that does not use it."""
    problems = []
    for name, experiment in (config.get("experiments") or {}).items():
        standin = experiment.get("cpu_standin") if isinstance(experiment, dict) else None
        for block in STANDIN_OVERLAYS:
            overlay = standin.get(block) if isinstance(standin, dict) else None
            if not isinstance(overlay, dict):
                continue
            block_schema = {"$ref": f"#/$defs/{block}", "$defs": schema["$defs"]}
            for error in jsonschema.Draft202012Validator(block_schema).iter_errors(_without_deletions(overlay)):
                error.path.extendleft(reversed(["experiments", name, "cpu_standin", block]))
                problems.extend(_describe(error))
    return problems


def _without_deletions(overlay: dict) -> dict:
    """An overlay's null deletes a key (budgetai.core.config.load.merge_overrides): not a value to check."""
    return {k: _without_deletions(v) if isinstance(v, dict) else v for k, v in overlay.items() if v is not None}


def reference_errors(config: dict, replaced_sources: set[str]) -> Iterator[str]:
    """Every name a block refers to must be defined where it points."""
    sources, models = set(config["sources"]), set(config["models"])
    mixable = sources | replaced_sources
    for name, experiment in config["experiments"].items():
        at = ["experiments", name]
        if experiment["model"] not in models:
            yield _no_such([*at, "model"], "model", experiment["model"], models)
        standin = experiment.get("cpu_standin") or {}
        standin_models = models | set(standin.get("models") or {})
        if "model" in standin and standin["model"] not in standin_models:
            yield _no_such([*at, "cpu_standin", "model"], "model", standin["model"], standin_models)
        mixture = experiment.get("mixture") or {}
        if isinstance(mixture.get("sources"), list):
            yield from _dangling([*at, "mixture", "sources"], enumerate(mixture["sources"]), mixable, "source", sources)
        for block in ("weights", "caps"):
            names = ((source, source) for source in mixture.get(block) or {})
            yield from _dangling([*at, "mixture", block], names, mixable, "source", sources)
    suites = set(config["evaluation"]["suites"])
    named = (config.get("decontamination") or {}).get("suites") or []
    yield from _dangling(["decontamination", "suites"], enumerate(named), suites, "evaluation suite", suites)
    ranked = (config.get("dedup") or {}).get("source_priority") or []
    yield from _dangling(["dedup", "source_priority"], enumerate(ranked), mixable, "source", sources)


def _dangling(at: list, keyed_names: Iterable[tuple], known: set, what: str, listed: set) -> Iterator[str]:
    """A message for each (key, name) whose name is not in `known`; `listed` are the names the
    message offers (the run's own, not those a stand-in replaced)."""
    for key, name in keyed_names:
        if name not in known:
            yield _no_such([*at, key], what, name, listed)


def _no_such(at: list, what: str, name: str, listed: set) -> str:
    return (f"config: {key_path(at)}: no {what} named {name!r}{did_you_mean(name, sorted(listed))} "
            f"({what}s: {', '.join(sorted(listed)) or 'none'})")


def training_errors(config: dict) -> Iterator[str]:
    """With a validation split the Trainer keeps the best checkpoint (by select_checkpoint), and
    refuses to start unless every save lands on an evaluation: save_steps a multiple of
    eval_steps. A select_checkpoint other than val_loss scores checkpoints at evaluations: it
    needs a validation split and an evaluation at every save and only there (eval_steps =
    save_steps). The recipe's defaults fill what the config leaves out."""
    has_val = (config.get("split") or {}).get("val", 0) > 0
    for name, experiment in config["experiments"].items():
        training = with_defaults(experiment.get("training") or {})
        at = ["experiments", name, "training"]
        save, every, metric = training.get("save_steps"), training.get("eval_steps"), training["select_checkpoint"]
        if metric != "val_loss" and not has_val:
            yield (f"config: {key_path([*at, 'select_checkpoint'])}: {metric} scores checkpoints at evaluations, "
                   "which need a validation split (split.val > 0); or select by val_loss")
        elif metric != "val_loss" and save != every:
            yield (f"config: {key_path([*at, 'eval_steps'])}: {every} differs from save_steps ({save}); "
                   f"select_checkpoint {metric} scores each evaluation and keeps the best checkpoint, so "
                   "evaluations and saves must fall on the same steps")
        elif has_val and save and every and save % every:
            yield (f"config: {key_path([*at, 'save_steps'])}: {save} is not a "
                   f"multiple of eval_steps ({every}); with a validation split the best checkpoint is "
                   "chosen at evaluations, so every save must fall on one")
