from budgetai import clean
from budgetai.workflow_glue import logged

with logged(snakemake):
    clean.run(snakemake.input.records, snakemake.output.records, snakemake.output.stats, snakemake.params.cfg)
