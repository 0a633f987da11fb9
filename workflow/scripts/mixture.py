from budgetai import mixture
from budgetai.workflow_glue import logged

with logged(snakemake):
    mixture.run(
        snakemake.input.train,
        snakemake.input.val,
        snakemake.output.train,
        snakemake.output.val,
        snakemake.output.stats,
        snakemake.params.cfg,
    )
