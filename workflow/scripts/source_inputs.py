from budgetai.core.input_manifest import write_input_manifest
from budgetai.core.workflow_glue import logged

with logged(snakemake):
    write_input_manifest(snakemake.wildcards.source, list(snakemake.input), snakemake.output[0])
