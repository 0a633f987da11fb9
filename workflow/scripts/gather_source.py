from budgetai.stages.ingest import gather
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    gather(
        snakemake.input.records,
        snakemake.input.stats,
        snakemake.input.quarantine,
        snakemake.output.records,
        snakemake.output.stats,
        snakemake.output.quarantine,
        source=snakemake.wildcards.source,
        optional=snakemake.params.optional,
    )
