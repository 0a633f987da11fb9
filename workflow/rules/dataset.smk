# Leak-free splits (by group), per-experiment mixtures, and the data card.


rule split:
    input:
        records=layout.dataset("decontaminated.parquet"),
    output:
        train=layout.dataset("train.parquet"),
        val=layout.dataset("val.parquet"),
        test=layout.dataset("test.parquet"),
        stats=layout.dataset("split_stats.json"),
    params:
        cfg=views.split_view(config),
    conda:
        "../../envs/data.yaml"
    log:
        "logs/split.log",
    script:
        "../scripts/split.py"


rule mixture:
    input:
        train=layout.dataset("train.parquet"),
        val=layout.dataset("val.parquet"),
    output:
        train=layout.experiment_data("train.parquet"),
        val=layout.experiment_data("val.parquet"),
        stats=layout.experiment_data("mixture_stats.json"),
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
        ingest=expand(layout.ingest_stats(), source=enabled_sources()),
        clean=expand(layout.clean_stats(), source=enabled_sources()),
        dedup=layout.dataset("dedup_stats.json"),
        clusters=layout.dataset("dedup_clusters.parquet"),
        decontaminate=layout.dataset("decontaminate_stats.json"),
        decontamination_report=layout.dataset("decontamination.json"),
        split=layout.dataset("split_stats.json"),
        train=layout.dataset("train.parquet"),
        val=layout.dataset("val.parquet"),
        test=layout.dataset("test.parquet"),
    output:
        card=report(layout.dataset("card.md"), caption="../report/datacard.rst", category="Dataset"),
        stats=layout.dataset("stats.json"),
        plots=directory(layout.dataset("plots")),
    params:
        sources=enabled_sources(),
        # Linked, not inputs: the examples are built later, per experiment, with its tokenizer.
        examples_cards={e: layout.experiment_data("examples_card.md", e) for e in config["experiments"]},
        settings=config.get("datacard", {}),
    conda:
        "../../envs/data.yaml"
    log:
        "logs/datacard.log",
    script:
        "../scripts/datacard.py"
