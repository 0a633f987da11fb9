"""Ablations: variant experiments generated from an experiment's `ablations:` block, so "which
data made the model better?" is one config, not hand-written copies of an experiment.

    experiments:
      haskell-smollm2:
        ablations:
          leave_one_out: all        # or [source, ...]: one variant per source of the mixture, without it
          only: {curated: [haskell_book, codeforces_haskell]}   # one variant per named subset
          without_steps: [chunking, mined_instructions]          # one variant per step switched off

adds the experiments

    haskell-smollm2~minus-<source>   the parent's mixture without that source
    haskell-smollm2~only-curated     the parent's mixture restricted to the subset
    haskell-smollm2~without-<step>   the parent with one curation step off (STEP_CHANGES)

The workflow (workflow/rules/common.smk) and resolve_config (budgetai.core.config.load) run

    config = apply_cpu_standin(apply_ablations(config))

so a variant is an experiment like any other: the parent with its mixture (or training) changed
and nothing else. It keeps the parent's model, token budget and seed and is evaluated on the
same suites; it reads the same dataset splits, so its extra jobs are its mixture, examples,
training and evaluations, and no data job runs twice. Steps that act before the split
(near_dedup, typecheck_filter, leak_filter) would need a dataset of their own per variant and
are refused with a message saying so.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from budgetai.core.config.checks import ConfigError, key_path
from budgetai.core.config.stages import did_you_mean
from budgetai.core.config.views import enabled_sources

SEPARATOR = "~"  # not allowed in a name the user writes ($defs/name), so a variant's name is unambiguous
KINDS = ("minus", "only", "without")

# Steps a variant can switch off without a dataset of its own: (block, keys merged into it).
STEP_CHANGES = {
    # long records are cut at max_length instead of split into several examples: examples rerun
    "chunking": ("training", {"chunk_long_records": False}),
    # instruction rows mined from code modules (meta.mined) are left out of the training mixture
    "mined_instructions": ("mixture", {"exclude_mined": True}),
}
# Steps that act before the split: switching one off means a second dedup/decontaminate/split.
DATASET_STEPS = {
    "near_dedup": "the MinHash near-duplicate removal of the dedup stage",
    "typecheck_filter": "the clean stage's GHC type-check filter (clean.compile_check)",
    "leak_filter": "the split's n-gram leak filter",
}


@dataclass(frozen=True)
class Variant:
    """One generated experiment: `parent` with `kind` ("minus" a source, "only" a named subset,
    "without" a step) applied to `what`."""

    parent: str
    kind: str
    what: str

    @property
    def name(self) -> str:
        return f"{self.parent}{SEPARATOR}{self.kind}-{self.what}"

    @property
    def description(self) -> str:
        said = {"minus": f"without source {self.what}", "only": f"only the sources of subset {self.what!r}",
                "without": f"without the curation step {self.what}"}[self.kind]
        return f"ablation of {self.parent}: {said}"


def parse_variant(name: str) -> Variant | None:
    """The Variant a generated experiment name stands for; None for a name the user wrote."""
    parent, separator, rest = name.partition(SEPARATOR)
    kind, dash, what = rest.partition("-")
    if not separator or not dash or kind not in KINDS or not what:
        return None
    return Variant(parent, kind, what)


def has_ablations(config: dict) -> bool:
    return any(experiment.get("ablations") for experiment in config["experiments"].values())


def variants_by_parent(experiments) -> dict[str, list[Variant]]:
    """parent -> its variants, in the order given, from experiment names (those of an applied config)."""
    out: dict[str, list[Variant]] = {}
    for name in experiments:
        variant = parse_variant(name)
        if variant is not None and variant.parent in experiments:
            out.setdefault(variant.parent, []).append(variant)
    return out


def apply_ablations(config: dict) -> dict:
    """The config with every experiment's variants added after it (see the module docstring).
    Returned unchanged (the same object) when no experiment has `ablations`; never mutated.
    Raises ConfigError naming each wrong key."""
    if not has_ablations(config):
        return config
    problems, experiments = [], {}
    for name, experiment in config["experiments"].items():
        experiments[name] = copy.deepcopy(experiment)
        if SEPARATOR in name:
            problems.append(f"config: experiments.{name}: {SEPARATOR!r} is reserved for generated ablation variants")
        for variant, built in _variants(config, name, experiment, problems):
            if variant.name in config["experiments"] or variant.name in experiments:
                problems.append(f"config: experiments.{name}.ablations: variant {variant.name} is generated twice "
                                "or named by an experiment of the config")
            experiments[variant.name] = {**built, "description": variant.description}
    if problems:
        raise ConfigError("\n".join(problems))
    return {**config, "experiments": experiments}


def _variants(config: dict, name: str, experiment: dict, problems: list[str]):
    block = experiment.get("ablations") or {}
    at = ["experiments", name, "ablations"]
    mixed = _mixture_sources(config, experiment)
    leave_out = block.get("leave_one_out") or []
    for index, source in enumerate(mixed if leave_out == "all" else leave_out):
        where = [*at, "leave_one_out"] + ([] if leave_out == "all" else [index])
        if source not in mixed:
            problems.append(f"config: {key_path(where)}: {name} does not train on source {source!r}, so leaving it "
                            f"out changes nothing{did_you_mean(source, mixed)} (its mixture: {', '.join(mixed)})")
        elif len(mixed) == 1:
            problems.append(f"config: {key_path(where)}: {source!r} is the only source of {name}'s mixture")
        else:
            yield Variant(name, "minus", source), _with_sources(experiment, [s for s in mixed if s != source])
    for subset, sources in (block.get("only") or {}).items():
        unknown = [s for s in sources if s not in config["sources"]]
        for source in unknown:
            problems.append(f"config: {key_path([*at, 'only', subset])}: no source named {source!r}"
                            f"{did_you_mean(source, config['sources'])} (sources: {', '.join(config['sources'])})")
        if not unknown:
            yield Variant(name, "only", subset), _with_sources(experiment, list(sources))
    for index, step in enumerate(block.get("without_steps") or []):
        message = _step_problem(step, experiment)
        if message:
            problems.append(f"config: {key_path([*at, 'without_steps', index])}: {message}")
        else:
            yield Variant(name, "without", step), _without_step(experiment, step)


def _mixture_sources(config: dict, experiment: dict) -> list[str]:
    """The sources the experiment's mixture selects, in config order."""
    selected = (experiment.get("mixture") or {}).get("sources", "all")
    return enabled_sources(config) if selected == "all" else list(selected)


def _with_sources(experiment: dict, sources: list[str]) -> dict:
    """The experiment training on `sources` only: per-source weights and caps of the others go."""
    variant = _variant_base(experiment)
    mixture = variant.setdefault("mixture", {})
    mixture["sources"] = sources
    for key in ("weights", "caps"):
        if key in mixture:
            mixture[key] = {s: v for s, v in mixture[key].items() if s in sources}
    return variant


def _step_problem(step: str, experiment: dict) -> str | None:
    if step in DATASET_STEPS:
        return (f"switching off {step} ({DATASET_STEPS[step]}) needs a dataset of its own per variant, which "
                f"ablations do not build; steps a variant can switch off: {', '.join(STEP_CHANGES)}")
    if step not in STEP_CHANGES:
        known = [*STEP_CHANGES, *DATASET_STEPS]
        return f"unknown step {step!r}{did_you_mean(step, known)} (steps: {', '.join(STEP_CHANGES)})"
    block, changes = STEP_CHANGES[step]
    current = experiment.get(block) or {}
    if all(current.get(key) == value for key, value in changes.items()):
        return f"{step} is already off in this experiment ({block}: {changes})"
    return None


def _without_step(experiment: dict, step: str) -> dict:
    block, changes = STEP_CHANGES[step]
    variant = _variant_base(experiment)
    variant[block] = {**(variant.get(block) or {}), **changes}
    return variant


def _variant_base(experiment: dict) -> dict:
    """A copy of the parent without its ablations or self-improvement rounds: a variant answers
    one question about the data, and a round of its own would multiply the training jobs."""
    variant = {key: copy.deepcopy(value) for key, value in experiment.items() if key not in ("ablations", "self_improve")}
    if isinstance(variant.get("cpu_standin"), dict):
        variant["cpu_standin"].pop("self_improve", None)  # the stand-in would bring the rounds back
    return variant
