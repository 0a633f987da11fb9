"""Several processes per training job: `launch(N, ...)` runs the recipe under torchrun
(`torch.distributed.run --standalone --nproc_per_node N`), one process per GPU, DDP through the
HF Trainer (see budgetai.train.recipe for what each rank loads: its own 4-bit copy of the base on
its LOCAL_RANK GPU). N <= 1 runs in this process, as before.

    launch(resources_gpu, cfg, model_dir, train, val, out_dir, checkpoint_dir)  # -> exit code

Ranks share the checkpoint dir; the Trainer saves and resumes across them and only rank 0 writes
the adapter and its files. SIGTERM/SIGUSR1 sent to the launcher (SLURM before a time limit) go to
torchrun, which passes them to every rank; the ranks save a checkpoint and stop, and the launcher
returns PREEMPTED_EXIT_CODE, as a single-process job does, so the job can be requeued.
On CPU (tests, no GPU) the ranks talk over gloo.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from budgetai.train.run_identity import prepare_checkpoint_dir, run_identity

PREEMPTED_MARKER = "preempted-by-signal"


def launch(nproc: int, cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir) -> int:
    # The recipe loads torch, transformers and peft (seconds, ~0.5 GB): imported when this process
    # trains, not by a launcher that only waits for its N ranks.
    from budgetai.train.recipe import PREEMPTED_EXIT_CODE, Preempted, run_training

    prepare_checkpoint_dir(checkpoint_dir, run_identity(cfg, model_dir, train_path, val_path))
    if nproc <= 1:
        try:
            run_training(cfg, model_dir, train_path, val_path, out_dir, checkpoint_dir)
        except Preempted:
            return PREEMPTED_EXIT_CODE
        return 0
    checkpoint_dir = Path(checkpoint_dir)
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    marker = checkpoint_dir / PREEMPTED_MARKER
    marker.unlink(missing_ok=True)
    args = checkpoint_dir / "launch.json"
    args.write_text(json.dumps({"cfg": cfg, "paths": [str(p) for p in (model_dir, train_path, val_path, out_dir,
                                                                        checkpoint_dir)]}))
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
               "-m", "budgetai.train.distributed", str(args)]
    # The ranks write where this process's Python streams go (the rule's log under `logged`).
    process = subprocess.Popen(command, stdout=_file_or_none(sys.stdout), stderr=_file_or_none(sys.stderr))
    forward = lambda signum, frame: process.send_signal(signum)  # noqa: E731 - a two-line handler
    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGUSR1)}
    try:
        code = process.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    # torchrun reports a rank's non-zero exit as 1 (or a signal's); the marker says it was ours.
    if marker.exists():
        marker.unlink()
        return PREEMPTED_EXIT_CODE
    return code


def _file_or_none(stream):
    try:
        stream.fileno()
        stream.flush()
        return stream
    except (AttributeError, OSError, ValueError):  # an in-memory stream (pytest's capture)
        return None


def _rank_main(args_path: str) -> int:
    """One rank: the recipe, with a marker file when a signal stopped it (see launch)."""
    from budgetai.train.recipe import PREEMPTED_EXIT_CODE, Preempted, run_training

    spec = json.loads(Path(args_path).read_text())
    model_dir, train_path, val_path, out_dir, checkpoint_dir = spec["paths"]
    try:
        run_training(spec["cfg"], model_dir, train_path, val_path, out_dir, checkpoint_dir)
    except Preempted:
        (Path(checkpoint_dir) / PREEMPTED_MARKER).touch()
        return PREEMPTED_EXIT_CODE
    return 0


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sys.exit(_rank_main(sys.argv[1]))
