# Ingest: the only stage that touches dumps or the network. One job per source shard.


rule ingest:
    input:
        get_ingest_input,
    output:
        records=layout.shard("parquet"),
        stats=layout.shard("stats.json"),
        quarantine=layout.shard("quarantine.parquet"),
    params:
        cfg=source_cfg,
        shard_file=shard_file,
    # scrapes meet transient failures (rate limits, resets); the HTTP cache keeps what was fetched
    retries: 2
    conda:
        "../../envs/data.yaml"
    log:
        "logs/ingest/{source}/{shard}.log",
    benchmark:
        "benchmarks/ingest/{source}/{shard}.tsv"
    script:
        "../scripts/ingest.py"


# Concatenating a source's shards is quick: the driver does it instead of a cluster job.
localrules:
    gather_source,


rule gather_source:
    input:
        records=get_source_shard_outputs("parquet"),
        stats=get_source_shard_outputs("stats.json"),
        quarantine=get_source_shard_outputs("quarantine.parquet"),
    output:
        records=layout.raw(),
        stats=layout.ingest_stats(),
        quarantine=layout.ingest_quarantine(),
    conda:
        "../../envs/data.yaml"
    log:
        "logs/gather_source/{source}.log",
    script:
        "../scripts/gather_source.py"
