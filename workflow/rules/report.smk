# One self-contained HTML page a person opens first.


rule report:
    input:
        card=layout.dataset("card.md"),
        dataset_stats=layout.dataset("stats.json"),
        # every stats file the page reads, so a rerun of any stage rebuilds it
        ingest_stats=expand(layout.ingest_stats(), source=enabled_sources()),
        clean_stats=expand(layout.clean_stats(), source=enabled_sources()),
        stage_stats=[layout.stage_stats(stage) for stage in ("dedup", "decontaminate", "split")],
        adapters=expand(layout.adapter(), experiment=config["experiments"]),
        examples=expand(layout.experiment_data("examples_summary.json"), experiment=config["experiments"]),
        evaluations=all_evaluations(),
        self_improve=SELF_IMPROVE.targets(),
    output:
        report(
            layout.report_page(), caption="../report/index.rst", category="Report"
        ),
    params:
        experiments=list(config["experiments"]),
        base_models=base_models(),
        suites=list(config["evaluation"]["suites"]),
        config=config,
    conda:
        "../../envs/data.yaml"
    log:
        "logs/report.log",
    script:
        "../scripts/report.py"
