from budgetai.stages import datacard
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    sources = snakemake.params.sources
    datacard.run(
        {
            "ingest": dict(zip(sources, snakemake.input.ingest)),
            "clean": dict(zip(sources, snakemake.input.clean)),
            "dedup": snakemake.input.dedup,
            "decontaminate": snakemake.input.decontaminate,
            "split": snakemake.input.split,
        },
        {"train": snakemake.input.train, "val": snakemake.input.val, "test": snakemake.input.test},
        snakemake.input.clusters,
        snakemake.input.decontamination_report,
        snakemake.output.card,
        snakemake.output.stats,
        snakemake.output.plots,
        snakemake.params.examples_cards,
        snakemake.params.settings,
    )
