"""The `budgetai` command line. Pipeline stages run through Snakemake; these commands are for
what a person does outside the DAG: run one step by hand (`pipeline`), chat with a fine-tune,
trace a row through the stages, see what is built, install the SLURM profile.
"""

from __future__ import annotations

import argparse
import logging
import sys

from budgetai.commands import chat, compare, install_profile, lineage, pipeline, status

COMMAND_MODULES = (pipeline, chat, lineage, status, install_profile, compare)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budgetai", description=__doc__.split("\n\n")[0].replace("\n", " "))
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.add_cli(commands)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.run(args) or 0
    except (FileNotFoundError, ValueError, KeyError) as err:
        print(f"budgetai {args.command}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
