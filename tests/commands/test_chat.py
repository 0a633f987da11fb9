"""`budgetai chat` through a real pseudo-terminal (pexpect) and through a pipe, on a tiny model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from budgetai.commands.chat import ChatSession, experiment_dirs, load_config

pytestmark = pytest.mark.slow  # every test needs the ~30 s SmolLM2 conversion (tokenizer)

BUDGETAI = str(Path(sys.executable).with_name("budgetai"))
SAMPLING = ["--temperature", "1.0", "--seed", "0", "--max-new-tokens", "8"]


@pytest.fixture(scope="module")
def tiny_session(tiny_llama_dir):
    from budgetai.model.load import load_model, load_tokenizer

    return ChatSession(load_model(tiny_llama_dir), load_tokenizer(tiny_llama_dir), max_new_tokens=6, temperature=1.0)


def test_reply_streams_pieces_and_records_the_turn(tiny_session):
    tiny_session.reset()
    pieces = list(tiny_session.reply("What is a functor?"))
    assert len(pieces) >= 2  # token by token, not one block at the end
    assert [m["role"] for m in tiny_session.history] == ["user", "assistant"]
    assert tiny_session.history[1]["content"] == "".join(pieces).strip()


def test_system_message_reaches_the_chat_template(tiny_session):
    tiny_session.set_system("Answer in Haskell only.")
    rendered = tiny_session.render(tiny_session.messages() + [{"role": "user", "content": "hi"}])
    assert "<|im_start|>system\nAnswer in Haskell only.<|im_end|>" in rendered
    assert "SmolLM" not in rendered  # the template's default system message is replaced
    tiny_session.set_system("")
    rendered = tiny_session.render([{"role": "user", "content": "hi"}])
    assert "SmolLM" in rendered


def spawn_chat(*args: str, cwd=None) -> pexpect.spawn:
    child = pexpect.spawn(BUDGETAI, ["chat", *args], cwd=cwd, encoding="utf-8", timeout=120,
                          dimensions=(40, 200), env={"TERM": "dumb", "PATH": "/usr/bin:/bin"})
    child.expect_exact("you> ")
    return child


def ask(child: pexpect.spawn, line: str) -> str:
    """Send a line and return everything printed before the next prompt."""
    child.sendline(line)
    child.expect_exact("you> ")
    return child.before.replace("\r\n", "\n")


def test_repl_answers_resets_and_sets_the_system_message(tiny_llama_dir):
    child = spawn_chat("--model", str(tiny_llama_dir), *SAMPLING)
    output = ask(child, "How do I reverse a list in Haskell?")
    answer = output.split("bot> ", 1)[1].strip()
    assert answer, output
    assert "(history: 2 messages)" in ask(child, "/history")
    ask(child, "And a map?")
    assert "(history: 4 messages)" in ask(child, "/history")
    assert "(conversation cleared; history: 0 messages)" in ask(child, "/reset")
    assert "(history: 0 messages)" in ask(child, "/history")
    assert "system message: 'Be terse.'" in ask(child, "/system Be terse.")
    history = ask(child, "/history")
    assert "system: Be terse." in history and "(history: 0 messages)" in history
    assert "unknown command /bogus" in ask(child, "/bogus")
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_repl_ends_on_ctrl_d(tiny_llama_dir):
    child = spawn_chat("--model", str(tiny_llama_dir), *SAMPLING)
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def one_shot(args: list[str], question: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([BUDGETAI, "chat", *args], input=question, capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_one_shot_prints_only_the_answer_and_repeats_with_a_seed(tiny_llama_dir):
    first = one_shot(["--model", str(tiny_llama_dir), *SAMPLING], "What is a monad?\n")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() and "you>" not in first.stdout and "bot>" not in first.stdout
    assert "commands:" not in first.stdout
    again = one_shot(["--model", str(tiny_llama_dir), *SAMPLING], "What is a monad?\n")
    assert again.stdout == first.stdout


def test_one_shot_with_empty_stdin_is_an_error(tiny_llama_dir):
    proc = one_shot(["--model", str(tiny_llama_dir)], "")
    assert proc.returncode == 2 and "stdin is empty" in proc.stderr


@pytest.fixture
def experiment_tree(tmp_path, tiny_llama_dir):
    """A repo-like cwd: config/config.yaml naming an experiment, its model and a real LoRA adapter."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    (tmp_path / "config").mkdir()
    config = {"experiments": {"tiny": {"model": "wrong-model"}}}
    (tmp_path / "config" / "config.yaml").write_text(yaml.safe_dump(config))
    (tmp_path / "overlay.yaml").write_text(yaml.safe_dump({"experiments": {"tiny": {"model": "tiny-llama"}}}))
    (tmp_path / "results" / "models").mkdir(parents=True)
    (tmp_path / "results" / "models" / "tiny-llama").symlink_to(tiny_llama_dir)
    peft_model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_llama_dir),
                                LoraConfig(r=2, target_modules=["q_proj", "v_proj"]))
    peft_model.save_pretrained(tmp_path / "results" / "experiments" / "tiny" / "adapter")
    return tmp_path


def test_experiment_resolves_model_and_adapter_through_configfile_overlay(experiment_tree):
    config = load_config([str(experiment_tree / "overlay.yaml")], base=experiment_tree / "config" / "config.yaml")
    model_dir, adapter_dir = experiment_dirs("tiny", config, experiment_tree / "results")
    assert model_dir.name == "tiny-llama" and (adapter_dir / "adapter_config.json").exists()
    proc = one_shot(["--experiment", "tiny", "--configfile", "overlay.yaml", *SAMPLING], "hi\n", cwd=experiment_tree)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


def test_experiment_errors_name_what_is_missing(experiment_tree):
    proc = one_shot(["--experiment", "tiny"], "hi\n", cwd=experiment_tree)  # no overlay: wrong-model
    assert proc.returncode == 2 and "results/models/wrong-model does not exist" in proc.stderr
    proc = one_shot(["--experiment", "nope"], "hi\n", cwd=experiment_tree)
    assert proc.returncode == 2 and "'nope' is not in the config" in proc.stderr


def test_ctrl_c_stops_an_answer_and_keeps_the_history(smollm2_dir):
    # The real 135M model (~25 tokens/s here): 1900 tokens take over a minute, so the interrupt
    # surely lands mid-answer (the tiny random model can finish before it arrives).
    child = spawn_chat("--model", str(smollm2_dir), "--temperature", "1.0", "--seed", "0", "--max-new-tokens", "1900")
    child.sendline("Write a very long essay.")
    child.expect_exact("bot> ")
    child.expect(r"\S")  # the first streamed text
    child.sendintr()
    child.expect_exact("[stopped]")
    child.expect_exact("you> ")
    assert "(history: 0 messages)" in ask(child, "/history")
    child.sendline("/quit")
    child.expect(pexpect.EOF)
