"""Install the cluster profile as a global Snakemake profile, with the user's account and partitions.

    budgetai install-profile slurm --account ACCOUNT --partition CPU_PART [--gpu-partition GPU_PART]
                             [--gpus-per-node N]
    snakemake --profile slurm ...

`snakemake --profile slurm` looks in ./slurm, then $XDG_CONFIG_HOME/snakemake/slurm
(~/.config/snakemake/slurm), then /etc/xdg/snakemake/slurm; never in ./profiles/slurm, which is
only the template (profiles/slurm/config.yaml). The template's comments are kept in the copy.

Partitions go into a partitions.yaml beside config.yaml (the plugin's slurm-partition-config)
rather than into default-resources/set-resources, because the workflow profile
(profiles/default) replaces those keys wholesale; the partition file survives it, and the plugin
sends jobs that request `gpu` to the partition that has GPUs. How many GPUs a node of that
partition has (the plugin's `max_gpu`) is read from `sinfo` (the nodes' GRES) unless
--gpus-per-node gives it; where neither works the command asks (on a terminal) or stops, rather
than writing a number the cluster does not have.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import yaml

from budgetai.core.io import write_text

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "profiles" / "slurm"
ACCOUNT_PLACEHOLDER = "CHANGE_ME_ACCOUNT"
# SLURM names (accounts, partitions) are plain tokens; refusing anything else also keeps the
# values from breaking or injecting into the YAML written below.
SLURM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
STATUS_COMMANDS = ("sacct", "squeue")
# A parenthesised GRES detail such as the socket binding in `gpu:a100:4(S:0-1)`.
GRES_DETAIL = re.compile(r"\([^)]*\)")


class ProfileError(ValueError):
    """Bad arguments for install_profile, a broken template, or a profile that already exists."""


def profile_dir(name: str, dest: str | os.PathLike | None = None) -> Path:
    """Where `snakemake --profile <name>` finds the profile: dest if given, else
    $XDG_CONFIG_HOME/snakemake/<name> (XDG_CONFIG_HOME defaults to ~/.config)."""
    if dest is not None:
        return Path(dest)
    config_home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config_home) / "snakemake" / name


def _check_name(value: str, what: str) -> str:
    if not SLURM_NAME.match(value or ""):
        raise ProfileError(f"{what} {value!r} is not a SLURM name (letters, digits, _ . -)")
    return value


def render_config(account: str, status_command: str | None = None,
                  template: Path = TEMPLATE_DIR / "config.yaml") -> str:
    """The template's text with the account filled in (comments kept) and, if given, the
    plugin's status command appended (`squeue` for clusters without slurmdbd accounting)."""
    text = template.read_text()
    if text.count(ACCOUNT_PLACEHOLDER) != 1:
        raise ProfileError(f"{template}: expected exactly one {ACCOUNT_PLACEHOLDER} placeholder")
    text = text.replace(ACCOUNT_PLACEHOLDER, _check_name(account, "account"))
    if status_command is not None:
        if status_command not in STATUS_COMMANDS:
            raise ProfileError(f"status command {status_command!r} is not one of {STATUS_COMMANDS}")
        text += f"slurm-status-command: {status_command}\n"
    parsed = yaml.safe_load(text)
    if parsed.get("default-resources", {}).get("slurm_account") != account:
        raise ProfileError(f"{template}: slurm_account did not end up in default-resources")
    return text


def gres_gpus(gres: str) -> int:
    """GPUs of one node from sinfo's GRES column (`%G`): `gpu:4`, `gpu:a100:4(S:0-1)`,
    `gpu:a100:2,gpu:v100:2,shard:8`, `(null)`. Types are summed; other GRES are not GPUs."""
    total = 0
    for item in GRES_DETAIL.sub("", gres).split(","):
        fields = item.strip().split(":")
        if fields[0] != "gpu":
            continue
        total += int(fields[-1]) if len(fields) > 1 and fields[-1].isdigit() else 1
    return total


def sinfo_gres(partition: str) -> str:
    """sinfo's GRES lines for the partition's nodes (one line per group of alike nodes)."""
    executable = shutil.which("sinfo")
    if executable is None:
        raise ProfileError("sinfo is not on PATH")
    proc = subprocess.run([executable, "--noheader", "--partition", partition, "--format", "%G"],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise ProfileError(f"sinfo failed ({proc.returncode}): {proc.stderr.strip()[:300]}")
    return proc.stdout


def detect_gpus_per_node(partition: str, read_gres: Callable[[str], str] = sinfo_gres) -> int:
    """The most GPUs any node of the partition has, from sinfo; ProfileError when sinfo is
    missing, fails or lists no node of that partition."""
    lines = [line.strip() for line in read_gres(partition).splitlines() if line.strip()]
    if not lines:
        raise ProfileError(f"sinfo lists no nodes in partition {partition!r} (is the name right?)")
    return max(gres_gpus(line) for line in lines)


def render_partitions(partition: str, gpu_partition: str | None, gpus_per_node: int) -> str:
    """partitions.yaml for the plugin: GPU jobs fit only where max_gpu > 0. With no separate GPU
    partition, the one partition takes GPU jobs too (else they would fall back to sinfo's default)."""
    _check_name(partition, "partition")
    if gpus_per_node < 0:
        raise ProfileError(f"GPUs per node must be 0 or more, not {gpus_per_node}")
    if gpu_partition is None or gpu_partition == partition:
        limits = {partition: {"max_gpu": gpus_per_node}}
    else:
        limits = {partition: {"max_gpu": 0},
                  _check_name(gpu_partition, "GPU partition"): {"max_gpu": gpus_per_node}}
    header = ("# Written by `budgetai install-profile` from profiles/slurm/partitions.yaml:\n"
              "# jobs requesting `gpu` go to a partition with max_gpu > 0, others avoid it.\n"
              f"# max_gpu {gpus_per_node}: GPUs per node of {gpu_partition or partition}.\n")
    return header + yaml.safe_dump({"partitions": limits}, sort_keys=False)


def gpus_for(partition: str, gpu_partition: str | None, gpus_per_node: int | None,
             read_gres: Callable[[str], str] = sinfo_gres) -> int:
    """The GPUs per node to declare: the given number, else sinfo's count for the partition that
    takes GPU jobs. A separate GPU partition without GPUs is a mistake worth stopping on."""
    gpu_side = gpu_partition or partition
    if gpus_per_node is None:
        try:
            gpus_per_node = detect_gpus_per_node(_check_name(gpu_side, "partition"), read_gres)
        except ProfileError as err:
            raise ProfileError(f"cannot tell how many GPUs a node of partition {gpu_side!r} has ({err}); "
                               "pass --gpus-per-node N (0 for a partition without GPUs)") from err
        if gpu_partition and gpu_partition != partition and gpus_per_node == 0:
            raise ProfileError(f"sinfo shows no GPUs (GRES gpu) on the nodes of GPU partition {gpu_partition!r}; "
                               "check the name, or pass --gpus-per-node N")
    return gpus_per_node


def install_profile(name: str, account: str, partition: str, gpu_partition: str | None = None,
                    dest: str | os.PathLike | None = None, status_command: str | None = None,
                    force: bool = False, gpus_per_node: int | None = None,
                    read_gres: Callable[[str], str] = sinfo_gres) -> Path:
    """Write <profile dir>/config.yaml and partitions.yaml (see profile_dir) from the template
    with this account and these partitions; return the config.yaml path. `gpus_per_node`
    unset: read from sinfo (see gpus_for).

    An existing profile with different content is kept and ProfileError raised, unless force.
    """
    target = profile_dir(name, dest)
    gpus = gpus_for(partition, gpu_partition, gpus_per_node, read_gres)
    files = {
        "config.yaml": render_config(account, status_command),
        "partitions.yaml": render_partitions(partition, gpu_partition, gpus),
    }
    changed = [target / f for f, text in files.items()
               if (target / f).is_file() and (target / f).read_text() != text]
    if changed and not force:
        raise ProfileError(f"{changed[0]} already exists with other settings; "
                           "pass force=True (--force) to overwrite it")
    for filename, text in files.items():
        write_text(text, target / filename)
    return target / "config.yaml"


def add_cli(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `install-profile NAME --account A --partition P [--gpu-partition G]` on an
    argparse subparsers object; the parsed args carry run=run_cli(args) -> exit code."""
    parser = subparsers.add_parser(
        "install-profile", help="install the SLURM profile for `snakemake --profile NAME`",
        description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="profile name, e.g. slurm (snakemake --profile slurm)")
    parser.add_argument("--account", required=True, help="SLURM account (sbatch -A)")
    parser.add_argument("--partition", required=True, help="partition for CPU jobs")
    parser.add_argument("--gpu-partition", help="partition for jobs that request a GPU "
                        "(default: --partition takes them too)")
    parser.add_argument("--gpus-per-node", type=int, help="GPUs of one node of the partition that takes "
                        "GPU jobs (default: read from sinfo; asked for on a terminal when sinfo cannot tell)")
    parser.add_argument("--status-command", choices=STATUS_COMMANDS,
                        help="how the plugin polls jobs; squeue where sacct is unavailable")
    parser.add_argument("--dest", help="profile folder (default: "
                        "$XDG_CONFIG_HOME/snakemake/NAME, i.e. ~/.config/snakemake/NAME)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing profile")
    parser.set_defaults(run=run_cli)
    return parser


def run_cli(args: argparse.Namespace) -> int:
    """Run the install-profile subcommand from parsed arguments; print where it went."""
    gpus = args.gpus_per_node
    if gpus is None and sys.stdin.isatty():
        try:
            gpus = gpus_for(args.partition, args.gpu_partition, None)
        except ProfileError as err:
            print(f"{err}", file=sys.stderr)
            gpus = ask_gpus(args.gpu_partition or args.partition)
    path = install_profile(args.name, args.account, args.partition, args.gpu_partition,
                           dest=args.dest, status_command=args.status_command, force=args.force,
                           gpus_per_node=gpus)
    print(f"wrote {path} and {path.with_name('partitions.yaml')}; "
          f"use it with: snakemake --profile {args.name if args.dest is None else path.parent}")
    return 0


def ask_gpus(partition: str) -> int:
    answer = input(f"GPUs per node in partition {partition} (0 if it has none): ").strip()
    if not answer.isdigit():
        raise ProfileError(f"GPUs per node: {answer!r} is not a whole number")
    return int(answer)
