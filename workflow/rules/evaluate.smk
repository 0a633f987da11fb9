# The base model and every experiment's adapter go through the same evaluation, suite by suite.


rule evaluate_experiment:
    input:
        unpack(suite_inputs),
        model=experiment_model_dir,
        adapter=layout.adapter(),
    output:
        metrics=layout.evaluation(layout.eval_dir()),
        generations=layout.generations(layout.eval_dir()),
    params:
        suite=suite_cfg,
        cfg=config["evaluation"],
    resources:
        gpu=experiment_resource("gpu", 0, job="evaluate"),
        mem_mb=experiment_resource("mem_mb", 8000, job="evaluate"),
        runtime=experiment_resource("runtime", 60, job="evaluate"),
        cpus_per_gpu=experiment_resource("cpus_per_gpu", 1, job="evaluate"),
    conda:
        "../../envs/eval.yaml"
    log:
        "logs/evaluate/{experiment}/{suite}.log",
    benchmark:
        "benchmarks/evaluate/{experiment}/{suite}.tsv"
    script:
        "../scripts/evaluate.py"


rule evaluate_base:
    input:
        unpack(suite_inputs),
        model=layout.model_dir(),
    output:
        metrics=layout.evaluation(layout.base_eval_dir()),
        generations=layout.generations(layout.base_eval_dir()),
    params:
        suite=suite_cfg,
        cfg=config["evaluation"],
    resources:
        gpu=experiment_resource("gpu", 0, job="evaluate"),
        mem_mb=experiment_resource("mem_mb", 8000, job="evaluate"),
        runtime=experiment_resource("runtime", 60, job="evaluate"),
        cpus_per_gpu=experiment_resource("cpus_per_gpu", 1, job="evaluate"),
    conda:
        "../../envs/eval.yaml"
    log:
        "logs/evaluate_base/{model}/{suite}.log",
    script:
        "../scripts/evaluate.py"
