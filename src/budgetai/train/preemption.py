"""Stop at a checkpoint on SIGTERM/SIGUSR1: what SLURM sends before a time limit or preemption
(SIGUSR1 with `--signal`), and what torchrun passes to every rank when its launcher gets one.

The signal only sets a flag; at the end of the current optimizer step the Trainer saves a checkpoint
and stops. Under DDP the ranks first agree: each rank's signal arrives at its own moment, and a rank
that saved and stopped while another went into the next step's gradient all-reduce would hang both
until torchrun killed them. (The Trainer's own JIT checkpoint decides per rank after a 3 s timer; the
two-rank SIGTERM test hung that way.) The agreement is one all-reduce of one integer per step.
"""

from __future__ import annotations

import logging
import signal

import torch
import torch.distributed as dist
from transformers import TrainerCallback

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGUSR1)


class PreemptionCallback(TrainerCallback):
    def __init__(self):
        self.signal_received: int | None = None  # on this rank
        self.stopped = False  # a signal on any rank stopped training

    def install(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    def uninstall(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)

    def reason(self) -> str:
        return f"signal {self.signal_received}" if self.signal_received is not None else "a signal to another rank"

    def _on_signal(self, signum, frame) -> None:
        if self.signal_received is None:
            log.warning("signal %d: saving a checkpoint at the end of this step, then stopping", signum)
        self.signal_received = signum

    def on_step_end(self, args, state, control, **kwargs):
        if stop_requested_on_any_rank(self.signal_received is not None, args.device):
            self.stopped = True
            control.should_save = True
            control.should_training_stop = True


def stop_requested_on_any_rank(requested_here: bool, device) -> bool:
    """True on every rank when any rank got a signal (the maximum of one flag over the ranks)."""
    if not (dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1):
        return requested_here
    flag = torch.tensor([int(requested_here)], device=device)
    dist.all_reduce(flag, op=dist.ReduceOp.MAX)
    return bool(flag.item())
