from budgetai.stages import clean
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    clean.run(snakemake.input.records, snakemake.output.records, snakemake.output.stats, snakemake.params.cfg,
              quarantine_path=snakemake.output.quarantine)
