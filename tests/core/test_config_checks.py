"""Config checks that stop a run before its first job (issue 26 items 8 and 9, and the duplicate
YAML key): each case was accepted before and is named now."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from budgetai.core.config.checks import ConfigError, check_schema

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


@pytest.fixture
def config() -> dict:
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def refused(config: dict, configfiles=()) -> str:
    with pytest.raises(ConfigError) as caught:
        check_schema(config, SCHEMA, configfiles)
    return str(caught.value)


def test_the_default_config_passes(config):
    check_schema(config, SCHEMA, [REPO / "config" / "config.yaml"])


@pytest.mark.parametrize("where, value", [
    (("evaluation", "execution", "timeout_per_test_s"), float("nan")),
    (("split", "val"), float("nan")),
    (("dedup", "threshold"), float("inf")),
])
def test_nan_and_infinity_are_named(config, where, value):
    block = config
    for key in where[:-1]:
        block = block.setdefault(key, {})
    block[where[-1]] = value
    assert f"config: {'.'.join(where)}: {value} is not a finite number" in refused(config)


def test_an_infinite_mixture_weight_is_named(config):
    experiment = next(iter(config["experiments"].values()))
    experiment.setdefault("mixture", {}).setdefault("weights", {})["x"] = float("inf")
    assert "mixture.weights.x: inf is not a finite number" in refused(config)


@pytest.mark.parametrize("block", ["models", "sources", "experiments"])
@pytest.mark.parametrize("name", ["../../../evil_model", ".", "..", ".hidden", "a/b"])
def test_names_that_would_leave_results_are_refused(config, block, name):
    config[block][name] = next(iter(config[block].values()))
    assert name in refused(config)


def test_an_absurd_max_length_is_refused(config):
    experiment = next(iter(config["experiments"].values()))
    experiment.setdefault("training", {})["max_length"] = 10**12
    assert "max_length" in refused(config)


def test_a_key_given_twice_in_a_config_file_is_named(config, tmp_path):
    overlay = tmp_path / "mine.yaml"
    overlay.write_text("split:\n  val: 0.1\n  test: 0.1\n  val: 0.2\n")
    message = refused(config, [overlay])
    assert f"config: {overlay}: key 'val' on lines 2 and 4 (the second would silently win)" in message
