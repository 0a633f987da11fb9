# Self-improvement rounds (experiments.<e>.self_improve, src/budgetai/train/self_improve.py):
# round r samples answers to training prompts with round r-1's model, the verifier keeps those
# that pass the prompts' tests or doc examples (forgery suite first), the kept answers are
# decontaminated like any source (self_r<r>), and round r trains from the base model on the
# experiment's training split plus the kept answers of rounds 1..r, then is evaluated on every
# suite. Paths and input functions: RoundPlan (an experiment without self_improve has no jobs here).
from budgetai.train.self_improve import RoundPlan

SELF_IMPROVE = RoundPlan(config)


wildcard_constraints:
    round=r"[1-9][0-9]*",


rule self_improve_sample:
    input:
        model=experiment_model_dir,
        adapter=SELF_IMPROVE.sampling_adapter,
        train=layout.experiment_data("train.parquet"),
    output:
        samples=SELF_IMPROVE.path("samples.jsonl"),
    params:
        settings=SELF_IMPROVE.settings_of,
        evaluation=config["evaluation"],
    resources:
        gpu=experiment_resource("gpu", 0, job="evaluate"),
        mem_mb=experiment_resource("mem_mb", 8000, job="evaluate"),
        runtime=experiment_resource("runtime", 60, job="evaluate"),
    conda:
        "../../envs/eval.yaml"
    log:
        "logs/self_improve/{experiment}/r{round}/sample.log",
    script:
        "../scripts/self_improve.py"


rule self_improve_verify:
    input:
        train=layout.experiment_data("train.parquet"),
        samples=SELF_IMPROVE.path("samples.jsonl"),
    output:
        records=SELF_IMPROVE.path("verified.parquet"),
        verdicts=SELF_IMPROVE.path("verdicts.jsonl"),
        stats=SELF_IMPROVE.path("verify_stats.json"),
    params:
        settings=SELF_IMPROVE.settings_of,
        model=SELF_IMPROVE.model_of,
        execution=config["evaluation"].get("execution", {}),
    conda:
        "../../envs/eval.yaml"
    log:
        "logs/self_improve/{experiment}/r{round}/verify.log",
    script:
        "../scripts/self_improve.py"


rule self_improve_decontaminate:
    input:
        decontamination_inputs,
        records=SELF_IMPROVE.path("verified.parquet"),
    output:
        kept=SELF_IMPROVE.path("kept.parquet"),
        report=SELF_IMPROVE.path("decontamination.json"),
        stats=SELF_IMPROVE.path("decontaminate_stats.json"),
    params:
        suites=decontamination_suites(),
        cfg=decontamination_cfg(),
    conda:
        "../../envs/data.yaml"
    log:
        "logs/self_improve/{experiment}/r{round}/decontaminate.log",
    script:
        "../scripts/self_improve.py"


rule self_improve_mixture:
    input:
        train=layout.experiment_data("train.parquet"),
        val=layout.experiment_data("val.parquet"),
        kept=SELF_IMPROVE.kept_up_to,
    output:
        train=SELF_IMPROVE.path("data/train.parquet"),
        val=SELF_IMPROVE.path("data/val.parquet"),
        stats=SELF_IMPROVE.path("data/mixture_stats.json"),
    conda:
        "../../envs/data.yaml"
    log:
        "logs/self_improve/{experiment}/r{round}/mixture.log",
    script:
        "../scripts/self_improve.py"


rule self_improve_examples:
    input:
        model=experiment_model_dir,
        train=SELF_IMPROVE.path("data/train.parquet"),
        val=SELF_IMPROVE.path("data/val.parquet"),
    output:
        train=SELF_IMPROVE.path("data/train_examples.parquet"),
        val=SELF_IMPROVE.path("data/val_examples.parquet"),
        stats=SELF_IMPROVE.path("data/examples_summary.json"),
        card=SELF_IMPROVE.path("data/examples_card.md"),
    params:
        cfg=examples_cfg,
    conda:
        "../../envs/train.yaml"
    log:
        "logs/self_improve/{experiment}/r{round}/examples.log",
    script:
        "../scripts/examples.py"


rule self_improve_train:
    input:
        model=experiment_model_dir,
        train=SELF_IMPROVE.path("data/train_examples.parquet"),
        val=SELF_IMPROVE.path("data/val_examples.parquet"),
        scoring_suite=checkpoint_scoring_suite,
    output:
        adapter=directory(SELF_IMPROVE.path("adapter")),
    params:
        cfg=training_cfg,
        checkpoints=SELF_IMPROVE.path("checkpoints"),
    resources:
        gpu=experiment_resource("gpu", 0),
        mem_mb=experiment_resource("mem_mb", 8000),
        runtime=experiment_resource("runtime", 60),
        cpus_per_gpu=experiment_resource("cpus_per_gpu", 1),
    conda:
        "../../envs/train.yaml"
    log:
        "logs/self_improve/{experiment}/r{round}/train.log",
    benchmark:
        "benchmarks/self_improve/{experiment}/r{round}/train.tsv"
    script:
        "../scripts/train.py"


rule self_improve_evaluate:
    input:
        unpack(suite_inputs),
        model=experiment_model_dir,
        adapter=SELF_IMPROVE.path("adapter"),
    output:
        metrics=layout.evaluation(layout.self_improve_eval_dir()),
        generations=layout.generations(layout.self_improve_eval_dir()),
    params:
        suite=suite_cfg,
        cfg=config["evaluation"],
    resources:
        gpu=experiment_resource("gpu", 0, job="evaluate"),
        mem_mb=experiment_resource("mem_mb", 8000, job="evaluate"),
        runtime=experiment_resource("runtime", 60, job="evaluate"),
    conda:
        "../../envs/eval.yaml"
    log:
        "logs/self_improve/{experiment}/r{round}/evaluate_{suite}.log",
    script:
        "../scripts/evaluate.py"


rule self_improve_summary:
    input:
        unpack(SELF_IMPROVE.summary_inputs),
    output:
        summary=layout.self_improve_summary(),
    params:
        evaluations=SELF_IMPROVE.evaluations_of,
    conda:
        "../../envs/data.yaml"
    log:
        "logs/self_improve/{experiment}/summary.log",
    script:
        "../scripts/self_improve.py"
