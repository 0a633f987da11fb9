import sys

from budgetai.train.recipe import PREEMPTED_EXIT_CODE, Preempted, run_training
from budgetai.workflow_glue import logged

try:
    with logged(snakemake):
        run_training(
            snakemake.params.cfg,
            snakemake.input.model,
            snakemake.input.train,
            snakemake.input.val,
            snakemake.output.adapter,
            snakemake.params.checkpoints,
        )
except Preempted:
    sys.exit(PREEMPTED_EXIT_CODE)
