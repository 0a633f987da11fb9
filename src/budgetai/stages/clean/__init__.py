"""The clean stage (`stage.run`): rewrite rows (`text` normalisation, `pii` scrubbing), then drop
them by the first filter that rejects them (`filters/`). Readers use the same code filters."""

from budgetai.stages.clean.stage import resolve_cfg, run

__all__ = ["resolve_cfg", "run"]
