from budgetai.stages import dedup
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    dedup.run(
        list(snakemake.input.records),
        list(snakemake.input.signatures),
        snakemake.output.records,
        snakemake.output.clusters,
        snakemake.output.stats,
        snakemake.params.cfg,
    )
