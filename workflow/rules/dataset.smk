# Leak-free splits (by group), per-experiment mixtures, and the data card.


rule split:
    input:
        records="results/dataset/decontaminated.parquet",
    output:
        train="results/dataset/train.parquet",
        val="results/dataset/val.parquet",
        test="results/dataset/test.parquet",
        stats="results/dataset/split_stats.json",
    params:
        cfg=config["split"],
    conda:
        "../../envs/data.yaml"
    log:
        "logs/split.log",
    script:
        "../scripts/split.py"


rule mixture:
    input:
        train="results/dataset/train.parquet",
        val="results/dataset/val.parquet",
    output:
        train="results/experiments/{experiment}/data/train.parquet",
        val="results/experiments/{experiment}/data/val.parquet",
        stats="results/experiments/{experiment}/data/mixture_stats.json",
    params:
        cfg=mixture_cfg,
    conda:
        "../../envs/data.yaml"
    log:
        "logs/mixture/{experiment}.log",
    script:
        "../scripts/mixture.py"


rule datacard:
    input:
        ingest=expand("results/sources/{source}/ingest_stats.json", source=enabled_sources()),
        clean=expand("results/sources/{source}/clean_stats.json", source=enabled_sources()),
        dedup="results/dataset/dedup_stats.json",
        clusters="results/dataset/dedup_clusters.parquet",
        decontaminate="results/dataset/decontaminate_stats.json",
        decontamination_report="results/dataset/decontamination.json",
        split="results/dataset/split_stats.json",
        train="results/dataset/train.parquet",
        val="results/dataset/val.parquet",
        test="results/dataset/test.parquet",
    output:
        card=report("results/dataset/card.md", caption="../report/datacard.rst", category="Dataset"),
        stats="results/dataset/stats.json",
        plots=directory("results/dataset/plots"),
    params:
        sources=enabled_sources(),
        # Linked, not inputs: the examples are built later, per experiment, with its tokenizer.
        examples_cards={e: f"results/experiments/{e}/data/examples_card.md" for e in config["experiments"]},
    conda:
        "../../envs/data.yaml"
    log:
        "logs/datacard.log",
    script:
        "../scripts/datacard.py"
