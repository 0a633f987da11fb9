from budgetai.stages.dedup import signatures
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    signatures.run(snakemake.input.records, snakemake.output.signatures, snakemake.params.cfg)
