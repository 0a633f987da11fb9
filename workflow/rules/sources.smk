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
    wildcard_constraints:
        source=offline_sources(),
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


# The same job for sources read from the network (scrapes, crawls, hub datasets): a local rule,
# run by the driver on the login node, because compute nodes often have no outbound network.
use rule ingest as ingest_online with:
    wildcard_constraints:
        source=online_sources(),


localrules:
    ingest_online,


# A source read out of a system directory (Debian's ghc-doc) depends on a manifest of the pages it
# reads, so a regenerated doc-index-*.html beside them leaves it, and all that follows, up to date.
rule source_inputs:
    input:
        source_input_pages,
    output:
        source_inputs_manifest("{source}"),
    wildcard_constraints:
        source=system_page_sources(),
    conda:
        "../../envs/data.yaml"
    log:
        "logs/source_inputs/{source}.log",
    script:
        "../scripts/source_inputs.py"


# Concatenating a source's shards is quick, and so is listing a source's pages: the driver does
# them instead of cluster jobs.
localrules:
    gather_source,
    source_inputs,


rule gather_source:
    input:
        records=get_source_shard_outputs("parquet"),
        stats=get_source_shard_outputs("stats.json"),
        quarantine=get_source_shard_outputs("quarantine.parquet"),
    output:
        records=layout.raw(),
        stats=layout.ingest_stats(),
        quarantine=layout.ingest_quarantine(),
    params:
        optional=source_optional,
    conda:
        "../../envs/data.yaml"
    log:
        "logs/gather_source/{source}.log",
    script:
        "../scripts/gather_source.py"
