"""Provenance for every artifact the pipeline writes: which config, inputs, code and packages
produced it, when and where.

A file output gets `<file>.manifest.json` beside it; a directory output (model, adapter, plots)
gets `manifest.json` inside. Manifests are written by `budgetai.core.workflow_glue.logged` after a
rule's block succeeds and are never declared as Snakemake outputs, so they never trigger reruns.

    {"artifact", "rule", "wildcards", "config_hash", "config" (the rule's params),
     "inputs": {name: [{"path", "type", "sha256", "bytes"}]}, "git": {"commit", "dirty"},
     "packages": {name: version}, "started", "ended", "host", "manifest_version"}
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from budgetai.core.io import write_json

MANIFEST_VERSION = 1
DIR_MANIFEST = "manifest.json"
FILE_SUFFIX = ".manifest.json"
PACKAGES = ("budgetai", "torch", "transformers", "peft", "bitsandbytes", "pyarrow", "snakemake")
_CHUNK = 1 << 20


def manifest_path(artifact: str | os.PathLike) -> Path:
    """Where the manifest of a file or directory artifact lives."""
    artifact = Path(artifact)
    if artifact.is_dir():
        return artifact / DIR_MANIFEST
    return artifact.with_name(artifact.name + FILE_SUFFIX)


def read_manifest(artifact: str | os.PathLike) -> dict | None:
    """The manifest of an artifact, or None when it has none (built before manifests existed)."""
    path = manifest_path(artifact)
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: manifest is not valid JSON ({err})") from err


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(path: str | os.PathLike) -> dict:
    """Content hash of a file, or of a directory: sha256 over its files' relative paths and
    hashes in sorted order (manifests and temp files excluded, so writing a manifest into a
    directory does not change the directory's fingerprint)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"manifest: input {path} does not exist")
    if path.is_file():
        return {"path": str(path), "type": "file", "sha256": file_sha256(path), "bytes": path.stat().st_size}
    digest, total, count = hashlib.sha256(), 0, 0
    for file in sorted(p for p in path.rglob("*") if p.is_file() and not _is_bookkeeping(p)):
        relative = file.relative_to(path).as_posix()
        digest.update(f"{relative}\0{file_sha256(file)}\n".encode())
        total += file.stat().st_size
        count += 1
    return {"path": str(path), "type": "directory", "sha256": digest.hexdigest(), "bytes": total, "files": count}


def _is_bookkeeping(path: Path) -> bool:
    return path.name in (DIR_MANIFEST, ".snakemake_timestamp") or path.name.endswith((FILE_SUFFIX, ".tmp"))


def config_hash(config_slice) -> str:
    """sha256 of the canonical JSON of a config slice (key order does not matter)."""
    text = json.dumps(config_slice, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def git_state(repo_dir: str | os.PathLike = ".") -> dict | None:
    """{"commit", "dirty"} of the checkout holding repo_dir, or None outside a git checkout."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=repo_dir, capture_output=True, text=True, timeout=30)

    try:
        head = git("rev-parse", "HEAD")
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    if head.returncode != 0:
        return None
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}


def package_versions(names=PACKAGES) -> dict:
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def code_dir() -> Path:
    """The directory of the budgetai package that is running (its git checkout is the code)."""
    return Path(__file__).resolve().parent


def build_manifest(artifact, rule: str, wildcards: dict, params: dict, inputs: dict,
                   started: str, ended: str | None = None) -> dict:
    """The manifest dict for one artifact; `inputs` maps input names to fingerprint lists."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "artifact": str(artifact),
        "rule": rule,
        "wildcards": dict(wildcards),
        "config_hash": config_hash(params),
        "config": json.loads(json.dumps(params, default=str)),
        "inputs": inputs,
        "git": git_state(code_dir()),
        "packages": package_versions(),
        "started": started,
        "ended": ended or now(),
        "host": platform.node(),
    }


def write_manifest(manifest: dict, artifact: str | os.PathLike) -> Path:
    """Write a manifest atomically next to (file) or into (directory) its artifact."""
    path = manifest_path(artifact)
    write_json(manifest, path)
    return path


def named_items(namedlist) -> dict[str, list[str]]:
    """{name: [paths]} of a Snakemake input/output Namedlist; unnamed entries go under their index."""
    names = {}
    for name, value in namedlist.items():
        names[name] = [str(v) for v in (value if isinstance(value, list) else [value])]
    named = {p for paths in names.values() for p in paths}
    for index, value in enumerate(namedlist):
        if str(value) not in named:
            names[str(index)] = [str(value)]
    return names


def fingerprint_inputs(inputs: dict[str, list[str]]) -> dict[str, list[dict]]:
    cache: dict[str, dict] = {}
    out = {}
    for name, paths in inputs.items():
        for path in paths:
            if path not in cache:  # one file may be named twice (e.g. in a list and on its own)
                cache[path] = fingerprint(path)
        out[name] = [cache[path] for path in paths]
    return out


def write_job_manifests(snakemake, started: str) -> list[Path]:
    """Manifests for every existing output of a finished Snakemake job (the `snakemake` object a
    `script:` receives). Returns the manifest paths written."""
    inputs = fingerprint_inputs(named_items(snakemake.input))
    params = {name: value for name, value in snakemake.params.items()}
    wildcards = {name: str(value) for name, value in snakemake.wildcards.items()}
    ended = now()
    written = []
    for output in snakemake.output:
        if Path(output).exists():
            manifest = build_manifest(output, snakemake.rule, wildcards, params, inputs, started, ended)
            written.append(write_manifest(manifest, output))
    return written
