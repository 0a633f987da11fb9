# One self-contained HTML page a person opens first.


rule report:
    input:
        card="results/dataset/card.md",
        dataset_stats="results/dataset/stats.json",
        adapters=expand("results/experiments/{experiment}/adapter", experiment=config["experiments"]),
        examples=expand("results/experiments/{experiment}/data/examples_summary.json", experiment=config["experiments"]),
        evaluations=all_evaluations(),
    output:
        report(
            "results/report/index.html", caption="../report/index.rst", category="Report"
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
