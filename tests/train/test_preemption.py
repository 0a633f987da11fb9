"""The stop flag of one process: a signal asks for a checkpoint at the end of the step."""

from __future__ import annotations

import os
import signal

import pytest
from accelerate import Accelerator
from accelerate.state import AcceleratorState
from transformers import TrainerControl

from budgetai.train.preemption import PreemptionCallback


@pytest.fixture
def callback():
    callback = PreemptionCallback()
    callback.install(Accelerator(cpu=True))  # one process: its trigger is its own
    yield callback
    callback.uninstall()
    AcceleratorState._reset_state(reset_partial_state=True)  # later Trainers build their own


def step_end(callback) -> TrainerControl:
    control = TrainerControl()
    callback.on_step_end(None, None, control)
    return control


def test_without_a_signal_training_goes_on(callback):
    control = step_end(callback)
    assert not control.should_save and not control.should_training_stop
    assert not callback.stopped


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGUSR1])
def test_a_signal_saves_and_stops_at_the_end_of_the_step(callback, signum):
    os.kill(os.getpid(), signum)  # the handler runs before kill returns to Python
    assert callback.signal_received == signum and not callback.stopped
    control = step_end(callback)
    assert control.should_save and control.should_training_stop
    assert callback.stopped and callback.reason() == f"signal {signum}"


def test_uninstall_restores_the_default_handlers(callback):
    callback.uninstall()
    assert signal.getsignal(signal.SIGTERM) == signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL

