from budgetai.stages import split
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    split.run(
        snakemake.input.records,
        snakemake.output.train,
        snakemake.output.val,
        snakemake.output.test,
        snakemake.output.stats,
        snakemake.params.cfg,
    )
