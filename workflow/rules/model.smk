# Base models: a GGUF in a package, a local directory or a hub id -> a transformers directory.


rule prepare_model:
    output:
        directory(layout.model_dir()),
    params:
        cfg=model_cfg,
    wildcard_constraints:
        model=local_models(),
    conda:
        "../../envs/train.yaml"
    log:
        "logs/prepare_model/{model}.log",
    script:
        "../scripts/prepare_model.py"


# A hub model is a download (snapshot_download, no conversion): a local rule, run by the driver
# on the login node, because compute nodes often have no outbound network.
use rule prepare_model as download_model with:
    wildcard_constraints:
        model=hub_models(),


localrules:
    download_model,
