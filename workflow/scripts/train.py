import sys

from budgetai.train.allocator import use_fast_allocator

# First, before torch is imported: this may re-execute the job with tcmalloc preloaded.
use_fast_allocator(snakemake.params.cfg.get("allocator", "auto"))

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
