"""What each job of a plan needs on a cluster: which jobs need the network (they
run as local rules on the login node, because compute nodes often have no outbound network),
whether the gated downloads have a token to fetch with, and what train and evaluate jobs request.

    network_sources(config["sources"])   -> names of sources whose ingest fetches pages or a hub dataset
    hub_models(config["models"])          -> names of models fetched from the hub
    check_hub_tokens(downloads, sources)  -> raises MissingTokenError naming HF_TOKEN
    job_resource(experiments, "evaluate", "mem_mb", 8000)

The keys read here are the readers' own (budgetai.sources: `base_url`, `start_url`, `urls`, a URL
`path`, hf_dataset's `hub_id`; `mirror_dir` reads a local copy instead of the network).
"""

from __future__ import annotations

import os
from pathlib import Path

# Source keys that name pages on the network, read through budgetai.sources.http_client.
PAGE_KEYS = ("base_url", "start_url", "urls")
TOKEN_VARIABLE = "HF_TOKEN"


class MissingTokenError(RuntimeError):
    """A gated download has no token; the message names the variable and the downloads."""


def source_needs_network(cfg: dict) -> bool:
    """Whether ingesting this source reads the network (a local mirror or file never does)."""
    if cfg.get("mirror_dir"):
        return False
    if any(cfg.get(key) for key in PAGE_KEYS):
        return True
    if str(cfg.get("path") or "").startswith(("http://", "https://")):
        return True
    return cfg.get("kind") == "hf_dataset" and bool(cfg.get("hub_id")) and not cfg.get("path")


def network_sources(sources: dict[str, dict]) -> list[str]:
    return [name for name, cfg in sources.items() if source_needs_network(cfg)]


def hub_models(models: dict[str, dict]) -> list[str]:
    """Models whose weights come from the hub (prepare_model's snapshot_download)."""
    return [name for name, cfg in models.items() if cfg.get("hub_id")]


def hub_token_available(environ=os.environ) -> bool:
    """HF_TOKEN (or its older name) set, or the token file `hf auth login` writes, which
    huggingface_hub reads by itself (under HF_HOME, default ~/.cache/huggingface)."""
    if environ.get(TOKEN_VARIABLE) or environ.get("HUGGING_FACE_HUB_TOKEN"):
        return True
    home = Path(environ.get("HF_HOME") or Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huggingface")
    token_file = Path(environ.get("HF_TOKEN_PATH") or home / "token")
    return token_file.is_file() and bool(token_file.read_text().strip())


def gated_hub_repos(downloads: dict[str, dict], sources: dict[str, dict]) -> dict[str, str]:
    """{what: hub repo} of the hub reads the config marks `gated: true` (their terms must be
    accepted by the token's account): `download:` blocks, and hf_dataset sources read from the hub."""
    gated = {download_id: spec["hub"] for download_id, spec in downloads.items() if "hub" in spec and spec.get("gated")}
    for name, cfg in sources.items():
        if cfg.get("gated") and cfg.get("enabled", True) and source_needs_network(cfg):
            gated[f"sources/{name}"] = cfg["hub_id"]
    return gated


def check_hub_tokens(downloads: dict[str, dict], sources: dict[str, dict], environ=os.environ) -> None:
    """Fail before any job is planned when a gated hub read would be refused for want of a token
    (otherwise the refusal comes from the login node hours into a cluster run, or never, in a
    dry run)."""
    gated = gated_hub_repos(downloads, sources)
    if gated and not hub_token_available(environ):
        listed = ", ".join(f"{what} ({repo})" for what, repo in gated.items())
        raise MissingTokenError(
            f"{TOKEN_VARIABLE} is not set and no `hf auth login` token was found, but gated hub downloads "
            f"need one: {listed}. Accept the dataset's terms on the hub with your account, then "
            f"`export {TOKEN_VARIABLE}=hf_...` (a read token of that account) and rerun; or give the "
            "source a local copy (`path:`/`files:`) in a site overlay.")


def job_resource(experiments: list[dict], job: str, key: str, default):
    """One resource (`gpu`, `mem_mb`, `runtime` in minutes, `cpus_per_gpu`) of a train or
    evaluate job, from the `resources:` blocks of the experiments it serves (a base-model
    evaluation serves every experiment on that model: it takes the largest request).

    Evaluation has its own block, `resources.evaluation`, because generating answers for a suite
    needs far less than training: no optimizer state or activations for backward, and minutes,
    not hours. Unset keys of that block fall back to training's, except `gpu`: evaluation runs on
    one GPU (generation is not distributed), so it asks for at most one."""
    values = []
    for experiment in experiments:
        block = experiment.get("resources") or {}
        if job == "evaluate":
            evaluation = block.get("evaluation") or {}
            value = evaluation.get(key, block.get(key, default))
            if key == "gpu" and key not in evaluation:
                value = min(value, 1)
        else:
            value = block.get(key, default)
        values.append(value)
    return max(values, default=default)
