"""install_profile: what it writes, and that Snakemake's own profile lookup finds and reads it."""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from snakemake.profiles import ProfileConfigFileParser

from budgetai.commands.main import main
from budgetai.commands.install_profile import (
    ProfileError,
    add_cli,
    detect_gpus_per_node,
    gres_gpus,
    install_profile,
    profile_dir,
    render_partitions,
)

SNAKEMAKE = Path(sys.executable).with_name("snakemake")


# What `sinfo --noheader --partition P --format %G` prints on a cluster whose partition `cpu`
# has no GPUs and whose partition `a100` has two groups of nodes, with 4 and 2 GPUs.
SINFO = {"cpu": "(null)\n", "gpu": "gpu:1\n", "a100": "gpu:a100:4(S:0-1)\ngpu:a100:2(S:0),shard:8\n", "gone": ""}


@pytest.fixture
def xdg(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


@pytest.fixture
def fake_sinfo(tmp_path, monkeypatch) -> Path:
    """A `sinfo` on PATH answering from SINFO, as the real one would for each partition."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "sinfo"
    cases = "\n".join(f"  {name}) printf '%s' '{out}' ;;" for name, out in SINFO.items())
    script.write_text(f'#!/bin/sh\n# args: --noheader --partition P --format %G\ncase "$3" in\n{cases}\nesac\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return script


@pytest.fixture
def no_sinfo(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))


def test_writes_account_and_partitions_into_the_xdg_profile(xdg, fake_sinfo):
    path = install_profile("slurm", "proj42", "cpu", gpu_partition="a100")

    assert path == xdg / "snakemake" / "slurm" / "config.yaml"
    config = yaml.safe_load(path.read_text())
    assert config["executor"] == "slurm"
    assert config["default-resources"]["slurm_account"] == "proj42"
    assert config["rerun-incomplete"] is True
    assert "slurm_partition" not in config["default-resources"]  # it would bypass partitions.yaml
    partitions = yaml.safe_load(path.with_name("partitions.yaml").read_text())["partitions"]
    assert partitions == {"cpu": {"max_gpu": 0}, "a100": {"max_gpu": 4}}  # sinfo's largest node
    assert "# Submit through SLURM" in path.read_text()  # the template's comments are kept


def test_without_gpu_partition_the_one_partition_takes_gpu_jobs_too():
    parsed = yaml.safe_load(render_partitions("batch", None, 2))
    assert parsed == {"partitions": {"batch": {"max_gpu": 2}}}
    assert yaml.safe_load(render_partitions("batch", "batch", 2)) == parsed


def test_gpu_counts_come_from_sinfo_gres():
    assert gres_gpus("(null)") == 0
    assert gres_gpus("gpu:4") == 4
    assert gres_gpus("gpu:a100:4(S:0-1)") == 4
    assert gres_gpus("gpu:a100:2,gpu:v100:2,shard:8") == 4
    assert detect_gpus_per_node("a100", SINFO.__getitem__) == 4
    with pytest.raises(ProfileError, match="no nodes in partition 'gone'"):
        detect_gpus_per_node("gone", SINFO.__getitem__)


def test_no_gpu_count_is_invented_without_sinfo(tmp_path, no_sinfo):
    """Before: `--partition p` alone wrote `max_gpu: 8` whatever the cluster had."""
    with pytest.raises(ProfileError, match=r"partition 'p' has \(sinfo is not on PATH\); pass --gpus-per-node"):
        install_profile("slurm", "acc", "p", dest=tmp_path)
    assert not (tmp_path / "partitions.yaml").exists()
    install_profile("slurm", "acc", "p", dest=tmp_path, gpus_per_node=2)
    assert yaml.safe_load((tmp_path / "partitions.yaml").read_text()) == {"partitions": {"p": {"max_gpu": 2}}}


def test_a_gpu_partition_without_gpus_is_refused(tmp_path, fake_sinfo):
    with pytest.raises(ProfileError, match="no GPUs .* of GPU partition 'cpu'"):
        install_profile("slurm", "acc", "batch", gpu_partition="cpu", dest=tmp_path)
    install_profile("slurm", "acc", "cpu", dest=tmp_path)  # one CPU-only partition: max_gpu 0
    assert yaml.safe_load((tmp_path / "partitions.yaml").read_text()) == {"partitions": {"cpu": {"max_gpu": 0}}}


def test_default_location_is_home_config(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert profile_dir("slurm") == tmp_path / ".config" / "snakemake" / "slurm"
    assert profile_dir("slurm", dest=tmp_path / "p") == tmp_path / "p"


def test_status_command_is_added_and_checked(tmp_path, fake_sinfo):
    path = install_profile("slurm", "acc", "cpu", dest=tmp_path, status_command="squeue")
    assert yaml.safe_load(path.read_text())["slurm-status-command"] == "squeue"
    with pytest.raises(ProfileError, match="status command 'qstat'"):
        install_profile("slurm", "acc", "cpu", dest=tmp_path / "x", status_command="qstat")


@pytest.mark.parametrize("account, partition", [("my account", "cpu"), ("acc", "cpu\nexecutor: local"), ("", "cpu")])
def test_rejects_names_that_are_not_slurm_names(tmp_path, fake_sinfo, account, partition):
    with pytest.raises(ProfileError, match="is not a SLURM name"):
        install_profile("slurm", account, partition, dest=tmp_path)
    assert not (tmp_path / "config.yaml").exists()


def test_keeps_an_existing_different_profile_unless_forced(tmp_path, fake_sinfo):
    install_profile("slurm", "acc", "cpu", dest=tmp_path)
    install_profile("slurm", "acc", "cpu", dest=tmp_path)  # same settings: no error
    with pytest.raises(ProfileError, match="already exists with other settings"):
        install_profile("slurm", "other", "cpu", dest=tmp_path)
    assert "slurm_account: acc\n" in (tmp_path / "config.yaml").read_text()
    install_profile("slurm", "other", "cpu", dest=tmp_path, force=True)
    assert "slurm_account: other\n" in (tmp_path / "config.yaml").read_text()


def test_cli_subcommand_installs_the_profile(xdg, fake_sinfo, capsys):
    parser = argparse.ArgumentParser(prog="budgetai")
    add_cli(parser.add_subparsers())
    args = parser.parse_args(["install-profile", "slurm", "--account", "acc",
                              "--partition", "cpu", "--gpu-partition", "gpu"])
    assert args.run(args) == 0
    assert "snakemake --profile slurm" in capsys.readouterr().out
    assert (xdg / "snakemake/slurm/partitions.yaml").is_file()
    with pytest.raises(SystemExit):  # --account is required
        parser.parse_args(["install-profile", "slurm", "--partition", "cpu"])


def test_snakemake_parser_resolves_partition_file_inside_the_profile(tmp_path, fake_sinfo):
    path = install_profile("slurm", "acc", "cpu", dest=tmp_path)
    with open(path) as stream:
        parsed = ProfileConfigFileParser().parse(stream)
    assert parsed["slurm-partition-config"] == str(tmp_path / "partitions.yaml")
    assert "slurm_account=acc" in parsed["default-resources"]


def test_snakemake_profile_lookup_finds_the_installed_profile(xdg, tmp_path):
    # no fake sinfo here: on PATH it makes the slurm plugin look for sacct/squeue too
    install_profile("slurm", "acc42", "cpu", gpus_per_node=0)
    workdir = tmp_path / "wf"
    workdir.mkdir()
    (workdir / "Snakefile").write_text(
        'rule all:\n    input: "x.txt"\n\nrule x:\n    output: "x.txt"\n    shell: "touch {output}"\n')
    proc = subprocess.run([str(SNAKEMAKE), "-n", "--profile", "slurm"], cwd=workdir,
                          env={**os.environ, "XDG_CONFIG_HOME": str(xdg)},
                          capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Using profile slurm" in output
    assert re.search(r"resources: .*slurm_account=acc42", output), output


def test_budgetai_install_profile_runs_through_the_main_command_line(xdg, fake_sinfo, capsys):
    # The subcommand once set `func` where `budgetai` calls `run`: the README's command failed.
    assert main(["install-profile", "slurm", "--account", "acc", "--partition", "cpu"]) == 0
    assert (xdg / "snakemake/slurm/config.yaml").is_file()


def test_on_a_terminal_the_command_asks_when_sinfo_cannot_tell(xdg, no_sinfo, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "2")
    assert main(["install-profile", "slurm", "--account", "acc", "--partition", "cpu", "--gpu-partition", "gpu"]) == 0
    partitions = yaml.safe_load((xdg / "snakemake/slurm/partitions.yaml").read_text())["partitions"]
    assert partitions == {"cpu": {"max_gpu": 0}, "gpu": {"max_gpu": 2}}
    assert "sinfo is not on PATH" in capsys.readouterr().err
