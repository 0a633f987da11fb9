# Training examples, then QLoRA training per experiment. Examples are their own rule so that a
# tokenizer or max_length change rebuilds them and a LoRA change does not. Checkpoints live
# outside the output, so a killed or preempted job resumes from them on rerun instead of starting over.


rule examples:
    input:
        model=experiment_model_dir,
        train=layout.experiment_data("train.parquet"),
        val=layout.experiment_data("val.parquet"),
    output:
        train=layout.experiment_data("train_examples.parquet"),
        val=layout.experiment_data("val_examples.parquet"),
        stats=layout.experiment_data("examples_summary.json"),
        card=layout.experiment_data("examples_card.md"),
    params:
        cfg=examples_cfg,
    conda:
        "../../envs/train.yaml"
    log:
        "logs/examples/{experiment}.log",
    script:
        "../scripts/examples.py"


rule train:
    input:
        model=experiment_model_dir,
        train=layout.experiment_data("train_examples.parquet"),
        val=layout.experiment_data("val_examples.parquet"),
        scoring_suite=checkpoint_scoring_suite,
    output:
        adapter=directory(layout.adapter()),
    params:
        cfg=training_cfg,
        checkpoints=layout.checkpoints(),
    resources:
        gpu=experiment_resource("gpu", 0),
        mem_mb=experiment_resource("mem_mb", 8000),
        runtime=experiment_resource("runtime", 60),
        cpus_per_gpu=experiment_resource("cpus_per_gpu", 1),
    conda:
        "../../envs/train.yaml"
    log:
        "logs/train/{experiment}.log",
    benchmark:
        "benchmarks/train/{experiment}.tsv"
    script:
        "../scripts/train.py"
