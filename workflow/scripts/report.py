from budgetai.report.html import build_report
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    build_report(
        results_dir="results",
        experiments=snakemake.params.experiments,
        base_models=snakemake.params.base_models,
        suites=snakemake.params.suites,
        config=snakemake.params.config,
        out_html=snakemake.output[0],
    )
