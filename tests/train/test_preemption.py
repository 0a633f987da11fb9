"""The stop flag of one process: a signal asks for a checkpoint at the end of the step."""

from __future__ import annotations

import os
import signal
from types import SimpleNamespace

import pytest
import torch
from transformers import TrainerControl

from budgetai.train.preemption import PreemptionCallback, stop_requested_on_any_rank


@pytest.fixture
def callback():
    callback = PreemptionCallback()
    callback.install()
    yield callback
    callback.uninstall()


def step_end(callback) -> TrainerControl:
    control = TrainerControl()
    callback.on_step_end(SimpleNamespace(device=torch.device("cpu")), None, control)
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


def test_one_process_decides_alone():
    assert stop_requested_on_any_rank(True, "cpu") and not stop_requested_on_any_rank(False, "cpu")
