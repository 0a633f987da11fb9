# BudgetAI: raw programming sources -> QLoRA fine-tune -> honest evaluation -> report.
# Wiring only: every rule calls the budgetai package (see workflow/rules/*.smk).
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/download.smk"
include: "workflow/rules/sources.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/dedup.smk"
include: "workflow/rules/dataset.smk"
include: "workflow/rules/model.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/self_improve.smk"
include: "workflow/rules/report.smk"


localrules:
    all,


rule all:
    input:
        get_final_output(),
        SELF_IMPROVE.targets(),
    default_target: True
