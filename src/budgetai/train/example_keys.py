"""The training-config keys that decide an experiment's examples (budgetai.train.examples).

The workflow passes only these to the examples rule, so that a LoRA or optimizer change does not
rebuild the examples. A module of its own because the Snakefile imports it at every start, and
the examples stage itself pulls in torch and transformers (10 s to import).
"""

EXAMPLE_KEYS = ("max_length", "max_target_length", "chunk_long_records", "system_prompt", "trust_remote_code")
