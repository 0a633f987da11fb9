#!/usr/bin/env bash
# Snakemake runs this inside the new eval environment, in the directory snakemake was started
# from: install the budgetai package from there (editable, so jobs see the checked-out code;
# --no-deps because eval.yaml already pins the dependencies).
set -euo pipefail
if ! grep -qs '^name = "budgetai"' pyproject.toml; then
  echo "envs/eval.post-deploy.sh: run snakemake from the BudgetAI repository root" \
       "(no budgetai pyproject.toml in $PWD)" >&2
  exit 1
fi
python -m pip install --no-deps -e .
