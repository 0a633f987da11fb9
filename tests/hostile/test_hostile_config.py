"""A wrong config stops the run before its first job, and the message names the key's path.

Each test makes one mistake a user makes (a misspelled key, a string for a list, a name that is
defined nowhere) on top of a shipped config and checks the path in the message. Most call the
checks the workflow runs at parse time directly; the dry-run tests go through `snakemake -n`.
"""

from __future__ import annotations

from dataclasses import fields

import pytest
import yaml
from snakemake.utils import update_config, validate

from budgetai.core.config.checks import ConfigError, check_config, check_schema
from budgetai.haskell.execution import ExecutionConfig
from budgetai.haskell.sandbox import SandboxLimits
from budgetai.sources import READER_MODULES
from budgetai.sources.codeforces import CodeforcesOptions
from budgetai.sources.stackexchange.reader import Options as StackExchangeOptions
from budgetai.core.config.load import apply_cpu_standin
from tests.workflow.run_workflow import REPO, scratch_workdir, snakemake

SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


def load(*files, overlay: dict | None = None) -> dict:
    """The config Snakemake builds from these files (later ones win key by key), then `overlay`."""
    config: dict = {}
    for name in files:
        update_config(config, yaml.safe_load((REPO / "config" / name).read_text()))
    update_config(config, overlay or {})
    return config


def checked(config: dict) -> dict:
    """What workflow/rules/common.smk does with the config before any job is planned."""
    check_schema(config, SCHEMA)
    validate(config, str(SCHEMA))
    check_config(config)
    full_sources = list(config["sources"])
    config = apply_cpu_standin(config)
    check_schema(config, SCHEMA)
    validate(config, str(SCHEMA))
    check_config(config, replaced_sources=full_sources)
    return config


def stop_message(overlay: dict, *files: str) -> str:
    with pytest.raises(ConfigError) as stopped:
        checked(load(*(files or ("config.yaml",)), overlay=overlay))
    return str(stopped.value)


def so_source(**keys) -> dict:
    return {"sources": {"stackoverflow_haskell": keys}}


def haskell_experiment(**blocks) -> dict:
    return {"experiments": {"haskell-smollm2": blocks}}


# --- source blocks: each kind takes only its own keys ----------------------------------------


def test_misspelled_source_key_min_answer_scor_stops_before_any_job():
    message = stop_message(so_source(min_answer_scor=1))
    assert "config: sources.stackoverflow_haskell.min_answer_scor: unknown key" in message
    assert "did you mean 'min_answer_score'?" in message


def test_source_key_answer_for_answers_stops_before_any_job():
    message = stop_message(so_source(answer="top_k"))
    assert "config: sources.stackoverflow_haskell.answer: unknown key; did you mean 'answers'?" in message


def test_local_code_key_glob_for_globs_stops_before_any_job():
    mine = {"kind": "local_code", "root": "resources/problems/solutions", "license": "MIT", "glob": ["*.hs"]}
    message = stop_message({"sources": {"mine": mine}})
    assert "config: sources.mine.glob: unknown key; did you mean 'globs'?" in message


def test_stackexchange_key_of_another_kind_stops_before_any_job():
    """`globs` is a local_code key: a Posts.xml source would ignore it."""
    message = stop_message(so_source(globs=["*.xml"]))
    assert "config: sources.stackoverflow_haskell.globs: unknown key" in message


def test_tags_as_a_string_instead_of_a_list_stops_before_any_job():
    """A string would be read letter by letter as the tags p, y, t, h, o, n: no question kept."""
    message = stop_message(so_source(tags="python"))
    assert "config: sources.stackoverflow_haskell.tags: 'python' is not of type 'array'" in message


def test_min_question_score_high_stops_before_the_ingest_job():
    message = stop_message(so_source(min_question_score="high"))
    assert "config: sources.stackoverflow_haskell.min_question_score: 'high' is not of type 'integer'" in message


def test_answers_best_stops_before_the_ingest_job():
    message = stop_message(so_source(answers="best"))
    assert "config: sources.stackoverflow_haskell.answers: 'best' is not one of" in message
    assert "accepted_or_top" in message


def test_source_without_its_required_keys_names_the_alternatives():
    message = stop_message({"sources": {"stack": {"kind": "the_stack"}}})
    assert "config: sources.stack: needs one of the keys files, hub_dataset" in message


def test_unknown_source_kind_names_the_kinds():
    message = stop_message({"sources": {"odd": {"kind": "stack_exchange", "path": "x"}}})
    assert "config: sources.odd.kind: 'stack_exchange' is not one of" in message and "'stackexchange'" in message


def test_every_mistake_is_listed_at_once():
    message = stop_message(so_source(min_answer_scor=1, tags="python", answers="best"))
    assert len(message.splitlines()) == 3


# --- evaluation.execution ------------------------------------------------------------------


def test_unknown_execution_key_stops_before_the_model_is_loaded():
    message = stop_message({"evaluation": {"execution": {"timeout_s": 5}}})
    assert "config: evaluation.execution.timeout_s: unknown key; did you mean 'timeout_per_test_s'?" in message


def test_unknown_sandbox_limit_stops_before_the_model_is_loaded():
    message = stop_message({"evaluation": {"execution": {"run_limits": {"wall_seconds": 3}}}})
    assert "config: evaluation.execution.run_limits.wall_seconds: unknown key" in message


# --- names that must be defined ------------------------------------------------------------


def test_mixture_source_that_does_not_exist_is_named():
    message = stop_message(haskell_experiment(mixture={"sources": ["haskell_book", "no_such_source"]}))
    assert ("config: experiments.haskell-smollm2.mixture.sources[1]: no source named 'no_such_source' "
            "(sources: codeforces_haskell, ") in message


@pytest.mark.parametrize("block", ["weights", "caps"])
def test_mixture_weight_or_cap_for_a_misspelled_source_is_named(block):
    message = stop_message(haskell_experiment(mixture={block: {"stackoverflow_haskel": 1}}))
    assert (f"config: experiments.haskell-smollm2.mixture.{block}.stackoverflow_haskel: no source named "
            "'stackoverflow_haskel'; did you mean 'stackoverflow_haskell'?") in message


def test_experiment_model_that_does_not_exist_is_named():
    message = stop_message(haskell_experiment(model="smollm2"))
    assert "config: experiments.haskell-smollm2.model: no model named 'smollm2'" in message


def test_unknown_decontamination_suite_is_named_not_a_bare_keyerror():
    message = stop_message({"decontamination": {"suites": ["problems", "humaneval"]}})
    assert "config: decontamination.suites[1]: no evaluation suite named 'humaneval' (evaluation suites: exercises, functions, heldout, problems)" in message


def test_dedup_source_priority_naming_no_source_is_named():
    message = stop_message({"dedup": {"source_priority": ["haskell_book", "textbook"]}})
    assert "config: dedup.source_priority[1]: no source named 'textbook'" in message


def test_stand_in_model_that_does_not_exist_stops_even_without_the_stand_in():
    overlay = {"experiments": {"lima-mistral-7b": {"cpu_standin": {"model": "smollm2"}}}}
    message = stop_message(overlay, "experiments/lima-mistral-7b.yaml")
    assert "config: experiments.lima-mistral-7b.cpu_standin.model: no model named 'smollm2'" in message


def test_stand_in_training_typo_stops_even_without_the_stand_in():
    overlay = {"experiments": {"lima-mistral-7b": {"cpu_standin": {"training": {"max_step": 3}}}}}
    message = stop_message(overlay, "experiments/lima-mistral-7b.yaml")
    assert "config: experiments.lima-mistral-7b.cpu_standin.training.max_step: unknown key" in message


def test_stand_in_self_improve_typo_stops_even_without_the_stand_in():
    overlay = {"experiments": {"haskell-7b-all": {"cpu_standin": {"self_improve": {"sample": 1}}}}}
    message = stop_message(overlay, "experiments/haskell-7b.yaml")
    assert "config: experiments.haskell-7b-all.cpu_standin.self_improve.sample: unknown key" in message


def test_stand_in_source_typo_stops_even_without_the_stand_in():
    lima = {"kind": "hf_dataset", "path": "resources/standin/lima.jsonl", "license": "CC0-1.0", "formt": "columns"}
    overlay = {"experiments": {"lima-mistral-7b": {"cpu_standin": {"sources": {"lima": lima}}}}}
    message = stop_message(overlay, "experiments/lima-mistral-7b.yaml")
    assert "config: experiments.lima-mistral-7b.cpu_standin.sources.lima.formt: unknown key" in message


# --- settings that are wrong only together ---------------------------------------------------


def test_save_steps_not_a_multiple_of_eval_steps_stops_before_training():
    message = stop_message(haskell_experiment(training={"save_steps": 2, "eval_steps": 4}))
    assert "config: experiments.haskell-smollm2.training.save_steps: 2 is not a multiple of eval_steps (4)" in message


def test_save_steps_not_a_multiple_of_eval_steps_is_fine_without_a_validation_split():
    """No validation split: no evaluations, no best checkpoint, so any save_steps will do."""
    config = load("config.yaml", overlay={**haskell_experiment(training={"save_steps": 2, "eval_steps": 4}),
                                          "split": {"train": 0.85, "val": 0.0, "test": 0.15}})
    assert checked(config)["experiments"]["haskell-smollm2"]["training"]["save_steps"] == 2


# --- what ships keeps passing ----------------------------------------------------------------

FAMILIES = sorted(f"experiments/{p.name}" for p in (REPO / "config" / "experiments").glob("*.yaml"))
SHIPPED = [("config.yaml",), ("config.yaml", "smoke.yaml"),
           *[(family,) for family in FAMILIES], *[(family, "standin.yaml") for family in FAMILIES]]


@pytest.mark.parametrize("files", SHIPPED, ids="+".join)
def test_shipped_configs_pass_every_check(files):
    """As the docs and tests combine them; the haskell-7b stand-in's curated mixture still names
    ghc_users_guide, a source of the full config that the stand-in's sources replaced."""
    assert checked(load(*files))["experiments"]


# --- the schema follows the code it describes ----------------------------------------------


def schema_keys(*path: str) -> set[str]:
    node = yaml.safe_load(SCHEMA.read_text())
    for part in path:
        node = node[part]
    return set(node["properties"])


def test_schema_has_a_block_for_every_source_kind():
    defs = yaml.safe_load(SCHEMA.read_text())["$defs"]
    assert set(defs["source"]["properties"]["kind"]["enum"]) == set(READER_MODULES)
    assert {f"{kind}_source" for kind in READER_MODULES} <= set(defs)


@pytest.mark.parametrize("options, kind", [(StackExchangeOptions, "stackexchange"), (CodeforcesOptions, "codeforces")])
def test_source_schema_takes_every_reader_option(options, kind):
    assert {f.name for f in fields(options)} <= schema_keys("$defs", f"{kind}_source")


def test_execution_schema_takes_exactly_the_execution_config_keys():
    """ExecutionConfig refuses unknown keys only once evaluation runs, after generation."""
    execution = schema_keys("$defs", "evaluation", "properties", "execution")
    assert execution == {f.name for f in fields(ExecutionConfig)}
    assert schema_keys("$defs", "sandbox_limits") == {f.name for f in fields(SandboxLimits)}


# --- through Snakemake -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return scratch_workdir(tmp_path_factory.mktemp("hostile-config"))


@pytest.mark.parametrize("overlay, expected", [
    (so_source(min_answer_scor=1), "config: sources.stackoverflow_haskell.min_answer_scor: unknown key"),
    (haskell_experiment(mixture={"sources": ["no_such_source"]}),
     "config: experiments.haskell-smollm2.mixture.sources[0]: no source named 'no_such_source'"),
], ids=["schema", "names"])
def test_dry_run_stops_before_building_the_dag_naming_the_key(workdir, overlay, expected):
    (workdir / "overlay.yaml").write_text(yaml.safe_dump(overlay))
    proc = snakemake(workdir, "-n", "--configfile", "overlay.yaml", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and expected in out
    assert "Building DAG" not in out and "rule ingest" not in out
