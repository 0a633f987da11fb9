# Base models: a GGUF in a package, a local directory or a hub id -> a transformers directory.


rule prepare_model:
    output:
        directory(layout.model_dir()),
    params:
        cfg=model_cfg,
    conda:
        "../../envs/train.yaml"
    log:
        "logs/prepare_model/{model}.log",
    script:
        "../scripts/prepare_model.py"
