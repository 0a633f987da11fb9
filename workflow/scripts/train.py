import sys

from budgetai.train.allocator import use_fast_allocator

# First, before torch is imported: this may re-execute the job with tcmalloc preloaded.
use_fast_allocator(snakemake.params.cfg.get("allocator", "auto"))

from budgetai.train.distributed import launch
from budgetai.core.workflow_glue import logged

# resources.gpu > 1: one process per GPU under torchrun (budgetai.train.distributed).
with logged(snakemake):
    code = launch(
        int(getattr(snakemake.resources, "gpu", 0) or 0),
        snakemake.params.cfg,
        snakemake.input.model,
        snakemake.input.train,
        snakemake.input.val,
        snakemake.output.adapter,
        snakemake.params.checkpoints,
    )
    if code:
        raise SystemExit(code)
