"""Checkpoints resume only the run that made them.

A rerun of the train job after a change of its config (learning rate, LoRA rank, token budget),
its data (another mixture) or its base model must start over: resuming the old checkpoints would
continue the old run under the new name, and a run that had reached its last step would hand back
the old adapter unchanged. `prepare_checkpoint_dir` keeps `run.json` in the checkpoint directory
(the training config and the sha256 of the train and val files and of the model's config.json)
and empties the directory when the current run's identity differs, or when `run.json` is
missing, empty, not JSON or not an object (a job killed while writing it, a hand edit): then
nothing says whose checkpoints these are, so training starts over with a warning naming the file
rather than stopping every rerun on a bare JSONDecodeError.

    prepare_checkpoint_dir(checkpoint_dir, run_identity(cfg, model_dir, train_path, val_path))
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

from budgetai.core.io import write_json

RUN_FILE = "run.json"

log = logging.getLogger(__name__)


def run_identity(cfg: dict, model_dir, train_path, val_path) -> dict:
    """What a checkpoint depends on, as JSON-comparable values (no paths: a moved checkout resumes)."""
    return {
        "config": json.loads(json.dumps(cfg, sort_keys=True, default=str)),
        "model_config": _sha256(Path(model_dir) / "config.json"),
        "train": _sha256(train_path),
        "val": _sha256(val_path),
    }


def prepare_checkpoint_dir(checkpoint_dir, identity: dict) -> bool:
    """Empty `checkpoint_dir` when its checkpoints belong to another run, then record `identity`.
    Returns whether stale checkpoints were removed."""
    checkpoint_dir = Path(checkpoint_dir)
    record = checkpoint_dir / RUN_FILE
    recorded, unreadable = _recorded_identity(record)
    stale = checkpoint_dir.is_dir() and any(checkpoint_dir.iterdir()) and recorded != identity
    if stale:
        log.warning("%s: its checkpoints belong to another run (%s): starting over", checkpoint_dir,
                    unreadable or _difference(recorded, identity))
        shutil.rmtree(checkpoint_dir)
    write_json(identity, record)
    return stale


def _recorded_identity(record: Path) -> tuple[dict | None, str]:
    """(the identity `record` holds, or None; why it holds none, naming the file, or "")."""
    if not record.exists():
        return None, f"no {RUN_FILE}"
    try:
        old = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        return None, f"{record} is unreadable ({type(err).__name__}: {err})"
    if not isinstance(old, dict):
        return None, f"{record} holds a JSON {type(old).__name__}, not an object"
    return old, ""


def _difference(old: dict, identity: dict) -> str:
    changed = sorted(key for key in {*old, *identity} if old.get(key) != identity.get(key))
    return "changed: " + ", ".join(changed)


def _sha256(path) -> str:
    path = Path(path)
    if not path.is_file():
        return ""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
