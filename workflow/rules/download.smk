# Downloads: the `download:` blocks of sources and suites (budgetai.sources.downloads), fetched once into
# the downloads dir. Local rules: compute nodes of many clusters have no outbound network, so the
# driver on the login node fetches, for every job that reads the data.


localrules:
    download_url,
    download_hub,


rule download_url:
    output:
        f"{DOWNLOADS_DIR}/{{download}}/{{filename}}",
    params:
        spec=download_spec,
    wildcard_constraints:
        download=download_ids("url"),
        filename=url_filenames(),
    # a cut transfer resumes from its partial file (kept outside the output) on the next attempt
    retries: 2
    conda:
        "../../envs/data.yaml"
    log:
        "logs/download/{download}/{filename}.log",
    script:
        "../scripts/download.py"


# A checkpoint: which shard files the hub has is known only once the record is written.
checkpoint download_hub:
    output:
        f"{DOWNLOADS_DIR}/{{download}}/download.json",
    params:
        spec=download_spec,
    wildcard_constraints:
        download=download_ids("hub"),
    retries: 2
    conda:
        "../../envs/data.yaml"
    log:
        "logs/download/{download}/download.log",
    script:
        "../scripts/download.py"
