# Per-source cleaning and MinHash signatures: adding a source computes only its own.


rule clean:
    input:
        records="results/sources/{source}/raw.parquet",
    output:
        records="results/sources/{source}/clean.parquet",
        stats="results/sources/{source}/clean_stats.json",
        quarantine="results/sources/{source}/clean_quarantine.parquet",
    params:
        cfg=clean_cfg,
    conda:
        "../../envs/data.yaml"
    log:
        "logs/clean/{source}.log",
    benchmark:
        "benchmarks/clean/{source}.tsv"
    script:
        "../scripts/clean.py"


rule signatures:
    input:
        records="results/sources/{source}/clean.parquet",
    output:
        signatures="results/sources/{source}/minhash.parquet",
    params:
        cfg=config["dedup"],
    conda:
        "../../envs/data.yaml"
    log:
        "logs/signatures/{source}.log",
    script:
        "../scripts/signatures.py"
