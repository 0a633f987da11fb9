from budgetai.stages import decontaminate
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    decontaminate.run(
        snakemake.input.records,
        snakemake.params.suites,
        snakemake.output.records,
        snakemake.output.report,
        snakemake.output.stats,
        snakemake.params.cfg,
    )
