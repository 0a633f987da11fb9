"""Which downloads a config declares, and where each lands.

Each download has an id (`sources/<name>` or `suites/<name>`) and lands under the downloads
directory (config `downloads.dir`, default resources/downloads; a shared filesystem on a
cluster), with a record of what was fetched beside it (budgetai.sources.downloads.url / .hub). The
workflow runs them as local rules: many clusters have no outbound network on compute nodes.
`resolve` rewrites the config so every later stage reads the downloaded files as local paths.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from budgetai.sources.registry import reads_files

DEFAULT_DIR = "resources/downloads"
GLOB_CHARS = set("*?[")


def downloads_dir(config: dict) -> str:
    return (config.get("downloads") or {}).get("dir", DEFAULT_DIR).rstrip("/")


def url_filename(spec: dict) -> str:
    """The file name a URL download is saved as: `file:` or the URL's last path segment."""
    name = spec.get("file") or posixpath.basename(unquote(urlsplit(spec["url"]).path))
    if not name or "/" in name or name in (".", ".."):
        raise ValueError(f"download {spec['url']}: cannot name the file from the URL; set download.file")
    return name


def declared(config: dict) -> dict[str, dict]:
    """download id -> its `download:` block, for every source and suite that has one and no
    local copy: a `path`/`files` given beside it wins (a site overlay pointing at a copy the
    cluster already has, without deleting the experiment's download)."""
    found = {f"sources/{name}": cfg["download"] for name, cfg in config["sources"].items()
             if cfg.get("download") and not _has_local_copy(cfg)}
    for name, suite in config["evaluation"]["suites"].items():
        if suite.get("download") and not _has_local_copy(suite):
            found[f"suites/{name}"] = suite["download"]
    return found


def _has_local_copy(block: dict) -> bool:
    return any(block.get(key) for key in ("path", "files", "package_file", "hub_dataset"))


def url_target(config: dict, download_id: str, spec: dict) -> str:
    return f"{downloads_dir(config)}/{download_id}/{url_filename(spec)}"


def hub_record(config: dict, download_id: str) -> str:
    return f"{downloads_dir(config)}/{download_id}/download.json"


def local_paths(config: dict, download_id: str, spec: dict) -> list[str]:
    """The local paths (globs for hub patterns) the downloaded data will have."""
    if "url" in spec:
        return [url_target(config, download_id, spec)]
    return [f"{downloads_dir(config)}/{download_id}/{pattern}" for pattern in spec["allow_patterns"]]


def single_file(config: dict, download_id: str, spec: dict, where: str) -> str:
    """The one file a `path`-reading source or suite gets from its download."""
    paths = local_paths(config, download_id, spec)
    if len(paths) != 1 or GLOB_CHARS & set(PurePosixPath(paths[0]).name):
        raise ValueError(f"config: {where}.download: this reads one file; give a url or a single "
                         f"allow_patterns entry without wildcards (got {spec.get('allow_patterns')})")
    return paths[0]


def resolve(config: dict) -> dict[str, dict]:
    """Point every source and suite with a `download:` at its downloaded files (sources that read
    `files`, e.g. the_stack, get the globs; the rest get `path`). Returns `declared(config)`."""
    found = declared(config)
    for download_id, spec in found.items():
        kind, name = download_id.split("/", 1)
        if kind == "sources":
            cfg = config["sources"][name]
            if reads_files(cfg["kind"]):
                cfg["files"] = local_paths(config, download_id, spec)
            else:
                cfg["path"] = single_file(config, download_id, spec, f"sources.{name}")
        else:
            config["evaluation"]["suites"][name]["path"] = single_file(config, download_id, spec,
                                                                       f"evaluation.suites.{name}")
    return found
