# Over the union of sources: exact + near deduplication, then decontamination against eval suites.


rule dedup:
    input:
        records=all_clean(),
        signatures=all_signatures(),
    output:
        records=layout.dataset("dedup.parquet"),
        clusters=layout.dataset("dedup_clusters.parquet"),
        stats=layout.dataset("dedup_stats.json"),
    params:
        cfg=config["dedup"],
    conda:
        "../../envs/data.yaml"
    log:
        "logs/dedup.log",
    script:
        "../scripts/dedup.py"


rule decontaminate:
    input:
        records=layout.dataset("dedup.parquet"),
        suites=decontamination_inputs,
    output:
        records=layout.dataset("decontaminated.parquet"),
        report=layout.dataset("decontamination.json"),
        stats=layout.dataset("decontaminate_stats.json"),
    params:
        suites=decontamination_suites(),
        cfg=decontamination_cfg(),
    conda:
        "../../envs/data.yaml"
    log:
        "logs/decontaminate.log",
    script:
        "../scripts/decontaminate.py"
