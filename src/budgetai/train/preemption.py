"""Stop at a checkpoint on SIGTERM/SIGUSR1: what SLURM sends before a time limit or preemption
(SIGUSR1 with `--signal`), and what torchrun passes to every rank when its launcher gets one.

The signal only sets a flag; at the end of the current optimizer step the Trainer saves a checkpoint
and stops. Under DDP the ranks first agree: each rank's signal arrives at its own moment, and a rank
that saved and stopped while another went into the next step's gradient all-reduce would hang both
until torchrun killed them. (The Trainer's own JIT checkpoint decides per rank after a 3 s timer; the
two-rank SIGTERM test hung that way.) The agreement is accelerate's trigger on the Trainer's
accelerator (`set_trigger` / `check_trigger`): one all-reduce of one integer per step.
"""

from __future__ import annotations

import logging
import signal

from transformers import TrainerCallback

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGUSR1)


class PreemptionCallback(TrainerCallback):
    def __init__(self):
        self.signal_received: int | None = None  # on this rank
        self.stopped = False  # a signal on any rank stopped training
        self.accelerator = None

    def install(self, accelerator) -> None:
        """accelerator: the Trainer's, whose trigger the ranks reduce."""
        self.accelerator = accelerator
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
        if self.signal_received is not None:
            self.accelerator.set_trigger()
        if self.accelerator.check_trigger():  # on every rank, every step: it is a collective
            self.stopped = True
            control.should_save = True
            control.should_training_stop = True

