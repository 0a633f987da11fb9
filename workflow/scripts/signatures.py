from budgetai.dedup import minhash
from budgetai.workflow_glue import logged

with logged(snakemake):
    minhash.run(snakemake.input.records, snakemake.output.signatures, snakemake.params.cfg)
