from budgetai.model.prepare import prepare_model
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    prepare_model(snakemake.params.cfg, snakemake.output[0])
