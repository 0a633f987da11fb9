"""`budgetai chat`: talk to a base model or a fine-tuned adapter, tokens streamed as generated.

    budgetai chat --experiment haskell-smollm2     # results/models/<its model> + its adapter
    budgetai chat --model results/models/smollm2-135m [--adapter DIR]
    budgetai chat --experiment haskell-7b-all~only-curated --configfile config/experiments/haskell-7b.yaml \
        config/standin.yaml --replace-workflow-config   # configs resolved as the workflow does
    echo "How do I reverse a list?" | budgetai chat --experiment haskell-smollm2   # answer only

In the REPL: /reset forgets the conversation, /system TEXT sets the system message (and resets),
/history shows the conversation, /quit (or Ctrl-D) leaves; Ctrl-C stops an answer mid-way.
When stdin is not a terminal, all of it is one question and only the answer is printed.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Callable, Iterator, TextIO

from budgetai.core.config.load import load_config, resolve_config
from budgetai.model.chat_format import render_prompt

PROMPT = "you> "
ANSWER_PREFIX = "bot> "
HELP = "commands: /reset, /system TEXT, /history, /quit"


def experiment_dirs(experiment: str, config: dict, results: Path = Path("results")) -> tuple[Path, Path]:
    """(model dir, adapter dir) the pipeline built for an experiment; errors say what to build."""
    experiments = config.get("experiments", {})
    if experiment not in experiments:
        raise KeyError(f"experiment {experiment!r} is not in the config; known: {sorted(experiments)}")
    model_dir = results / "models" / experiments[experiment]["model"]
    adapter_dir = results / "experiments" / experiment / "adapter"
    for path in (model_dir, adapter_dir):
        if not path.is_dir():
            raise FileNotFoundError(f"{path} does not exist; build it with `snakemake --cores all {path}`")
    return model_dir, adapter_dir


class _StopFlag:
    """A transformers stopping criterion the main thread sets to end generation early (Ctrl-C)."""

    def __init__(self):
        self.event = threading.Event()

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class ChatSession:
    """A conversation with one model: history, system message, streamed replies."""

    def __init__(self, model, tokenizer, system: str | None = None, max_new_tokens: int = 256,
                 temperature: float = 0.7, top_p: float = 0.95):
        self.model, self.tokenizer = model, tokenizer
        self.system = system
        self.history: list[dict] = []  # user/assistant turns; the system message is kept apart
        self.max_new_tokens, self.temperature, self.top_p = max_new_tokens, temperature, top_p

    def system_messages(self) -> list[dict]:
        return [{"role": "system", "content": self.system}] if self.system else []

    def messages(self) -> list[dict]:
        """The conversation as chat messages, system message first."""
        return self.system_messages() + self.history

    def reset(self) -> None:
        self.history = []

    def set_system(self, text: str | None) -> None:
        """A new system message starts a new conversation (old turns were answered under the old one)."""
        self.system = text or None
        self.reset()

    def render(self, messages: list[dict]) -> str:
        return render_prompt(self.tokenizer, messages)

    def reply(self, question: str) -> Iterator[str]:
        """Stream the answer to `question` piece by piece; the turn joins the history once the
        answer is complete (an interrupted answer leaves the history as it was)."""
        turn = self.history + [{"role": "user", "content": question}]
        inputs = self._encode(turn)
        chunks: list[str] = []
        for chunk in self._stream(inputs):
            chunks.append(chunk)
            yield chunk
        self.history = turn + [{"role": "assistant", "content": "".join(chunks).strip()}]

    def _encode(self, turn: list[dict]):
        """Tokenized prompt, dropping the oldest turns when it would not fit the context window."""
        limit = getattr(self.model.config, "max_position_embeddings", None)
        while True:
            text = self.render(self.system_messages() + turn)
            enc = self.tokenizer(text, return_tensors="pt", add_special_tokens=not bool(self.tokenizer.chat_template))
            if limit is None or enc["input_ids"].shape[1] + self.max_new_tokens <= limit or len(turn) <= 1:
                return enc.to(next(self.model.parameters()).device)
            turn = turn[2:]  # one user/assistant pair, oldest first

    def _stream(self, inputs) -> Iterator[str]:
        # transformers and torch load here, not at import: every `budgetai` command imports this module
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        stop, errors = _StopFlag(), []
        sampling = self.temperature > 0
        kwargs = dict(**inputs, streamer=streamer, max_new_tokens=self.max_new_tokens, do_sample=sampling,
                      temperature=self.temperature if sampling else None, top_p=self.top_p if sampling else None,
                      top_k=None, pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
                      stopping_criteria=StoppingCriteriaList([stop]))

        def generate():
            try:
                self.model.generate(**kwargs)
            except Exception as err:  # re-raised in the caller's thread below
                errors.append(err)
                streamer.end()  # otherwise the consumer waits forever for tokens

        worker = threading.Thread(target=generate, daemon=True)
        worker.start()
        try:
            yield from streamer
        finally:
            stop.event.set()  # no-op when generation already ended; stops it on Ctrl-C
            worker.join()
        if errors:
            raise errors[0]


def repl(session: ChatSession, read: Callable[[str], str] = input, out: TextIO = sys.stdout) -> None:
    """The interactive loop: read a line, run a /command or stream an answer, until /quit or EOF."""
    # Ctrl-C must stop an answer even when the chat was started from a context that ignores
    # SIGINT (a background job of a script, nohup): Python then never installs its handler.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(HELP, file=out, flush=True)
    while True:
        try:
            line = read(PROMPT).strip()
        except EOFError:
            print(file=out)
            return
        except KeyboardInterrupt:  # Ctrl-C at the prompt clears the line, as in a shell
            print(file=out)
            continue
        if not line:
            continue
        if line.startswith("/"):
            if run_command(session, line, out) == "quit":
                return
            continue
        stream_answer(session, line, out)


def run_command(session: ChatSession, line: str, out: TextIO) -> str | None:
    """Carry out one /command; returns "quit" for /quit."""
    name, _, arg = line.partition(" ")
    if name in ("/quit", "/exit"):
        return "quit"
    if name == "/reset":
        session.reset()
        print(f"(conversation cleared; history: {len(session.history)} messages)", file=out, flush=True)
    elif name == "/system":
        session.set_system(arg.strip())
        shown = repr(session.system) if session.system else "none (the chat template's default)"
        print(f"(system message: {shown}; conversation cleared)", file=out, flush=True)
    elif name == "/history":
        print(f"(history: {len(session.history)} messages)", file=out)
        for message in session.messages():
            print(f"{message['role']}: {message['content']}", file=out)
        out.flush()
    else:
        print(f"(unknown command {name}; {HELP})", file=out, flush=True)
    return None


def stream_answer(session: ChatSession, question: str, out: TextIO, prefix: str = ANSWER_PREFIX) -> str:
    """Print the answer as it is generated; Ctrl-C stops it and keeps the history unchanged."""
    print(prefix, end="", file=out, flush=True)
    pieces, answer = [], session.reply(question)
    try:
        for piece in answer:
            if not pieces:  # the answer starts at its first visible character
                piece = piece.lstrip()
                if not piece:
                    continue
            pieces.append(piece)
            print(piece, end="", file=out, flush=True)
    except KeyboardInterrupt:
        answer.close()
        print(" [stopped]", end="", file=out)
    print(file=out, flush=True)
    return "".join(pieces)


def one_shot(session: ChatSession, stdin: TextIO, out: TextIO) -> int:
    """Answer the whole of stdin as one question, printing only the answer."""
    question = stdin.read().strip()
    if not question:
        raise ValueError("chat: stdin is empty; pipe a question in, e.g. echo 'question' | budgetai chat ...")
    stream_answer(session, question, out, prefix="")
    return 0


def open_session(args) -> ChatSession:
    # torch loads here, not at import: every `budgetai` command imports this module
    from budgetai.model.load import load_model, load_tokenizer

    if args.experiment:
        config = resolve_config(load_config(args.configfile, replace_base=args.replace_workflow_config))
        model_dir, adapter_dir = experiment_dirs(args.experiment, config, Path(args.results))
    else:
        model_dir, adapter_dir = Path(args.model), Path(args.adapter) if args.adapter else None
        if not model_dir.is_dir():
            raise FileNotFoundError(f"model directory {model_dir} does not exist")
    model = load_model(model_dir, args.quantization, args.compute_dtype, adapter_dir=adapter_dir)
    model.eval()
    if args.seed is not None:
        import torch

        torch.manual_seed(args.seed)
    return ChatSession(model, load_tokenizer(model_dir), args.system, args.max_new_tokens, args.temperature)


def add_cli(commands) -> None:
    p = commands.add_parser("chat", help="chat with a base model or an experiment's adapter")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--experiment", help="use results/models/<its model> + results/experiments/E/adapter")
    which.add_argument("--model", help="a prepared model directory")
    p.add_argument("--adapter", help="a LoRA adapter directory (with --model)")
    p.add_argument("--configfile", nargs="+", help="config overlays, as given to snakemake (with --experiment)")
    p.add_argument("--replace-workflow-config", action="store_true",
                   help="the --configfiles replace config/config.yaml, as given to snakemake")
    p.add_argument("--results", default="results", help="the pipeline's results directory")
    p.add_argument("--system", help="the system message to start with")
    p.add_argument("--max-new-tokens", type=int, default=256)
    p.add_argument("--temperature", type=float, default=0.7, help="0: greedy (deterministic)")
    p.add_argument("--seed", type=int, help="seed sampling, for answers that repeat run to run")
    p.add_argument("--quantization", default="none", choices=["nf4", "fp4", "int8", "none"])
    p.add_argument("--compute-dtype", default="auto", choices=["auto", "float32", "bfloat16", "float16"],
                   help="auto: bf16 where the CPU/GPU multiplies it natively, else float32")

    def run(args):
        if args.adapter and args.experiment:
            raise ValueError("chat: --adapter goes with --model; --experiment finds its own adapter")
        session = open_session(args)
        if not sys.stdin.isatty():
            return one_shot(session, sys.stdin, sys.stdout)
        try:
            import readline  # noqa: F401  (line editing and history in input())
        except ImportError:
            pass
        repl(session)
        return 0

    p.set_defaults(run=run)
