"""Every rule whose job runs a model gets the threads training gets: the job scripts hand
Snakemake's `threads` to torch, and a rule the workflow profile forgets runs on one thread (a
self-improvement round trained at half speed before its rules were listed)."""

from __future__ import annotations

import re

import yaml

from tests.workflow.run_workflow import REPO

MODEL_SCRIPTS = ("train.py", "evaluate.py")
RULE = re.compile(r"^rule (\w+):$", re.M)


def model_rules() -> set[str]:
    """Rules whose script trains or evaluates, and the round's sampling (it generates)."""
    found = set()
    for smk in (REPO / "workflow" / "rules").glob("*.smk"):
        text = smk.read_text()
        starts = [(m.start(), m.group(1)) for m in RULE.finditer(text)] + [(len(text), None)]
        for (start, name), (end, _) in zip(starts, starts[1:]):
            body = text[start:end]
            if any(f'"../scripts/{script}"' in body for script in MODEL_SCRIPTS) or name == "self_improve_sample":
                found.add(name)
    return found


def test_every_model_rule_gets_trainings_threads():
    threads = yaml.safe_load((REPO / "profiles" / "default" / "config.yaml").read_text())["set-threads"]
    rules = model_rules()
    assert {"train", "evaluate_experiment", "self_improve_train", "self_improve_evaluate"} <= rules
    assert {rule: threads.get(rule) for rule in rules} == {rule: threads["train"] for rule in rules}
