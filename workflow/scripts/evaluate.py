from budgetai.evaluate.runner import evaluate_suite
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    evaluate_suite(
        snakemake.input.model,
        snakemake.input.get("adapter"),
        snakemake.params.suite,
        snakemake.params.cfg,
        snakemake.output.metrics,
        snakemake.output.generations,
        test_split=snakemake.input.get("test_split"),
        label=snakemake.wildcards.get("experiment", "base"),
    )
