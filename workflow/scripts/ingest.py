from budgetai.stages.ingest import ingest
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    ingest(
        snakemake.wildcards.source,
        snakemake.params.cfg,
        snakemake.output.records,
        snakemake.output.stats,
        snakemake.output.quarantine,
        shard_file=snakemake.params.shard_file,
    )
