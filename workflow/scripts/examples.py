from budgetai.stages.datacard import write_examples_card
from budgetai.examples.stage import write_examples
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    write_examples(
        snakemake.input.model,
        {"train": snakemake.input.train, "val": snakemake.input.val},
        snakemake.params.cfg,
        {"train": snakemake.output.train, "val": snakemake.output.val},
        snakemake.output.stats,
    )
    write_examples_card(snakemake.wildcards.experiment, snakemake.output.stats, snakemake.output.card)
