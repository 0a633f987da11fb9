"""Ablation variants are a pure config transformation: what each kind generates, what it keeps,
and the errors that name the key at fault."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from budgetai.core.config.ablations import Variant, apply_ablations, parse_variant, variants_by_parent
from budgetai.core.config.checks import ConfigError, check_config, check_schema
from budgetai.core.config.load import load_config, resolve_config

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
PARENT = "haskell-smollm2"
DEFAULT_SOURCES = ["stackoverflow_haskell", "the_stack_haskell", "codeforces_haskell", "haskell_book",
                   "ghc_library_sources", "ghc_users_guide"]


@pytest.fixture
def config() -> dict:
    return load_config([], base=REPO / "config" / "config.yaml")


def with_ablations(config: dict, block: dict, **mixture) -> dict:
    config = copy.deepcopy(config)
    config["experiments"][PARENT]["ablations"] = block
    config["experiments"][PARENT].setdefault("mixture", {}).update(mixture)
    return config


def test_no_ablations_returns_the_config_itself(config):
    assert apply_ablations(config) is config


def test_leave_one_out_all_makes_one_variant_per_mixture_source(config):
    before = with_ablations(config, {"leave_one_out": "all"})
    snapshot = copy.deepcopy(before)
    out = apply_ablations(before)
    assert before == snapshot, "the input must not be mutated"
    assert list(out["experiments"]) == [PARENT, *(f"{PARENT}~minus-{s}" for s in DEFAULT_SOURCES)]
    parent = out["experiments"][PARENT]
    for source in DEFAULT_SOURCES:
        variant = out["experiments"][f"{PARENT}~minus-{source}"]
        assert variant["mixture"]["sources"] == [s for s in DEFAULT_SOURCES if s != source]
        # same model, token budget, seed and kind weights as the parent; no ablations of its own
        assert variant["model"] == parent["model"] and variant["training"] == parent["training"]
        assert variant["mixture"]["kind_weights"] == parent["mixture"]["kind_weights"]
        assert "ablations" not in variant
        assert variant["description"] == f"ablation of {PARENT}: without source {source}"


def test_a_disabled_source_is_not_left_out(config):
    config["sources"]["ghc_users_guide"]["enabled"] = False
    out = apply_ablations(with_ablations(config, {"leave_one_out": "all"}))
    assert f"{PARENT}~minus-ghc_users_guide" not in out["experiments"]
    assert len(out["experiments"]) == 1 + 5


def test_leave_one_out_of_a_listed_mixture_drops_the_sources_weights_and_caps(config):
    block = with_ablations(config, {"leave_one_out": ["codeforces_haskell"]},
                           sources=["codeforces_haskell", "haskell_book"],
                           weights={"codeforces_haskell": 2, "haskell_book": 1}, caps={"codeforces_haskell": 9})
    variant = apply_ablations(block)["experiments"][f"{PARENT}~minus-codeforces_haskell"]
    assert variant["mixture"]["sources"] == ["haskell_book"]
    assert variant["mixture"]["weights"] == {"haskell_book": 1} and variant["mixture"]["caps"] == {}


def test_only_restricts_the_mixture_to_the_named_subset(config):
    out = apply_ablations(with_ablations(config, {"only": {"curated": ["haskell_book", "codeforces_haskell"]}}))
    variant = out["experiments"][f"{PARENT}~only-curated"]
    assert variant["mixture"]["sources"] == ["haskell_book", "codeforces_haskell"]
    assert variant["description"] == f"ablation of {PARENT}: only the sources of subset 'curated'"


def test_without_steps_switch_off_chunking_and_mined_instructions(config):
    out = apply_ablations(with_ablations(config, {"without_steps": ["chunking", "mined_instructions"]}))
    parent = out["experiments"][PARENT]
    chunking = out["experiments"][f"{PARENT}~without-chunking"]
    mined = out["experiments"][f"{PARENT}~without-mined_instructions"]
    assert chunking["training"] == {**parent["training"], "chunk_long_records": False}
    assert chunking["mixture"] == parent["mixture"]
    assert mined["mixture"] == {**parent["mixture"], "exclude_mined": True}
    assert mined["training"] == parent["training"]


@pytest.mark.parametrize("block, message", [
    ({"leave_one_out": ["so"]}, "experiments.haskell-smollm2.ablations.leave_one_out[0]: haskell-smollm2 does not "
                                "train on source 'so'"),
    ({"only": {"curated": ["haskell_bok"]}}, "experiments.haskell-smollm2.ablations.only.curated: no source named "
                                             "'haskell_bok'; did you mean 'haskell_book'?"),
    ({"without_steps": ["near_dedup"]}, "without_steps[0]: switching off near_dedup (the MinHash near-duplicate "
                                        "removal of the dedup stage) needs a dataset of its own per variant"),
    ({"without_steps": ["chunkng"]}, "without_steps[0]: unknown step 'chunkng'; did you mean 'chunking'?"),
])
def test_a_wrong_ablation_names_its_key(config, block, message):
    with pytest.raises(ConfigError, match=".*") as error:
        apply_ablations(with_ablations(config, block))
    assert message in str(error.value)


def test_a_step_already_off_and_a_single_source_mixture_are_refused(config):
    config["experiments"][PARENT]["training"]["chunk_long_records"] = False
    with pytest.raises(ConfigError, match="chunking is already off"):
        apply_ablations(with_ablations(config, {"without_steps": ["chunking"]}))
    with pytest.raises(ConfigError, match="'haskell_book' is the only source"):
        apply_ablations(with_ablations(config, {"leave_one_out": "all"}, sources=["haskell_book"]))


def test_a_user_name_with_the_variant_separator_is_refused(config):
    config = with_ablations(config, {"leave_one_out": ["haskell_book"]})
    config["experiments"]["mine~minus-x"] = copy.deepcopy(config["experiments"][PARENT])
    with pytest.raises(ConfigError, match=r"experiments\.mine~minus-x: '~' is reserved"):
        apply_ablations(config)


def test_variant_names_parse_back():
    variant = Variant("haskell-7b-all", "only", "curated-2")
    assert parse_variant(variant.name) == variant
    assert parse_variant("haskell-7b-all") is None and parse_variant("a~sideways-b") is None
    names = ["a", "a~minus-x", "a~without-chunking", "b", "orphan~minus-x"]
    assert variants_by_parent(names) == {"a": [Variant("a", "minus", "x"), Variant("a", "without", "chunking")]}


def test_the_applied_config_passes_the_schema_and_the_checks(config):
    out = apply_ablations(with_ablations(config, {"leave_one_out": "all", "only": {"curated": ["haskell_book"]},
                                                  "without_steps": ["chunking", "mined_instructions"]}))
    assert len(out["experiments"]) == 1 + 6 + 1 + 2
    check_schema(out, SCHEMA)
    check_config(out)


def test_the_schema_refuses_a_misspelt_ablation_key(config):
    config = with_ablations(config, {"leave_one_ot": "all"})
    with pytest.raises(ConfigError, match="ablations.leave_one_ot: unknown key; did you mean 'leave_one_out'"):
        check_schema(config, SCHEMA)


def test_the_7b_family_expresses_curated_vs_all_as_a_variant_under_the_standin():
    files = [REPO / "config" / "experiments" / "haskell-7b.yaml", REPO / "config" / "standin.yaml"]
    resolved = resolve_config(load_config([str(f) for f in files], replace_base=True))
    curated = resolved["experiments"]["haskell-7b-all~only-curated"]
    assert curated["model"] == "smollm2-135m"  # the stand-in applies to variants too
    assert curated["mixture"]["sources"] == ["haskell_book", "codeforces_haskell", "ghc_users_guide"]
    assert curated["mixture"]["caps"] == {}  # the parent's cap on The Stack goes with The Stack
    # the parent's rounds (its stand-in's small ones) stay with the parent
    assert "self_improve" not in curated
    assert resolved["experiments"]["haskell-7b-all"]["self_improve"] == {
        "rounds": 1, "samples": 1, "temperature": 0.8, "max_new_tokens": 32, "max_prompts": 2,
        "rules": ["tests", "doc_examples"], "max_kept_per_prompt": 2}
    raw = yaml.safe_load(files[0].read_text())
    assert "haskell-7b-curated" not in raw["experiments"]


def test_a_variant_runs_no_self_improvement_round_of_its_own():
    from budgetai.core.config.ablations import _variant_base

    parent = {"model": "m", "ablations": {"leave_one_out": ["a"]}, "self_improve": {"rounds": 1},
              "cpu_standin": {"model": "s", "self_improve": {"samples": 1}}}
    assert _variant_base(parent) == {"model": "m", "cpu_standin": {"model": "s"}}
