from budgetai.dedup import signatures
from budgetai.workflow_glue import logged

with logged(snakemake):
    signatures.run(snakemake.input.records, snakemake.output.signatures, snakemake.params.cfg)
