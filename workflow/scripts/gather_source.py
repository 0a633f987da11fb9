from budgetai.ingest import gather
from budgetai.workflow_glue import logged

with logged(snakemake):
    gather(
        snakemake.input.records,
        snakemake.input.stats,
        snakemake.input.quarantine,
        snakemake.output.records,
        snakemake.output.stats,
        snakemake.output.quarantine,
    )
