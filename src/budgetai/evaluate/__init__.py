"""Executable evaluation: problem suites, sandboxed compile/run of model completions, pass@k and
text metrics. Completions come in from generation; `execution.score_completions` turns them into
per-sample results and `pass_at_k.summarize` into the numbers a report shows."""
