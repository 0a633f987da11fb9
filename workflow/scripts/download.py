from pathlib import Path

from budgetai.sources.downloads.hub import download_hub
from budgetai.sources.downloads.url import download_url
from budgetai.core.workflow_glue import logged

spec = snakemake.params.spec
with logged(snakemake):
    if "url" in spec:
        download_url(spec["url"], snakemake.output[0], sha256=spec.get("sha256"), terms=spec.get("terms"))
    else:
        download_hub(spec["hub"], Path(snakemake.output[0]).parent, allow_patterns=spec["allow_patterns"],
                     revision=spec.get("revision", "main"), repo_type=spec.get("repo_type", "dataset"))
