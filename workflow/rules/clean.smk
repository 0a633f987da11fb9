# Per-source cleaning and MinHash signatures: adding a source computes only its own.


rule clean:
    input:
        records=layout.raw(),
    output:
        records=layout.clean(),
        stats=layout.clean_stats(),
        quarantine=layout.clean_quarantine(),
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
        records=layout.clean(),
    output:
        signatures=layout.signatures(),
    params:
        cfg=config["dedup"],
    conda:
        "../../envs/data.yaml"
    log:
        "logs/signatures/{source}.log",
    script:
        "../scripts/signatures.py"
