from budgetai.core.workflow_glue import logged
from budgetai.haskell.execution import ExecutionConfig
from budgetai.stages import decontaminate
from budgetai.train import self_improve as si

with logged(snakemake):
    rule, inp, out, params = snakemake.rule, snakemake.input, snakemake.output, snakemake.params
    round_no = int(snakemake.wildcards.get("round", 0))
    if rule == "self_improve_sample":
        si.sample_round(inp.model, inp.adapter, inp.train, si.SelfImproveSettings.from_dict(params.settings),
                        params.evaluation, out.samples)
    elif rule == "self_improve_verify":
        si.verify_round(inp.train, inp.samples, si.SelfImproveSettings.from_dict(params.settings), round_no,
                        params.model, ExecutionConfig.from_dict(params.execution),
                        out.records, out.verdicts, out.stats)
    elif rule == "self_improve_decontaminate":
        decontaminate.run(inp.records, params.suites, out.kept, out.report, out.stats, params.cfg)
    elif rule == "self_improve_mixture":
        si.round_mixture(inp.train, inp.val, list(inp.kept), out.train, out.val, out.stats)
    elif rule == "self_improve_summary":
        si.round_summary(list(inp.stats), params.evaluations, out.summary)
    else:
        raise ValueError(f"workflow/scripts/self_improve.py: no step for rule {rule}")
