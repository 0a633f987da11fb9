from budgetai.stages import mixture
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    mixture.run(
        snakemake.input.train,
        snakemake.input.val,
        snakemake.output.train,
        snakemake.output.val,
        snakemake.output.stats,
        snakemake.params.cfg,
    )
