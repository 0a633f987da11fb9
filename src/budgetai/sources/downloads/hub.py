"""Files of a hub repository (a dataset by default), pinned to a commit:

    record = download_hub("bigcode/the-stack-dedup", "resources/downloads/sources/the_stack",
                          allow_patterns=["data/haskell/*.parquet"], revision="main")

huggingface_hub does the transfer (`snapshot_download` into the directory: its own resume of cut
files, and files already there are not fetched again) and finds the token itself, from HF_TOKEN
or the token file `hf auth login` writes; this module never reads, passes or logs it. HF_ENDPOINT
points it at another hub (tests use a loopback one). The record (`download.json`) pins the
revision to the commit it resolved to, lists the files with their sizes and the hub's sha256, and
says whether the repo is gated (its terms were accepted on the hub by the token's owner).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from huggingface_hub import HfApi, constants, snapshot_download
from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError, RevisionNotFoundError
from huggingface_hub.hf_api import RepoFile
from huggingface_hub.utils import filter_repo_objects

from budgetai.core.io import write_json

log = logging.getLogger(__name__)

RECORD_NAME = "download.json"


class HubDownloadError(RuntimeError):
    """The hub refused or has nothing matching; the message says what to do."""


def download_hub(repo: str, target_dir: str | os.PathLike, *, allow_patterns: list[str],
                 revision: str = "main", repo_type: str = "dataset") -> dict:
    """Download the repo's files matching allow_patterns into target_dir; write and return the record."""
    target_dir = Path(target_dir)
    api = HfApi()
    page = f"{constants.ENDPOINT}/{'datasets/' if repo_type == 'dataset' else ''}{repo}"
    try:
        info = api.repo_info(repo, repo_type=repo_type, revision=revision)
        files = [f for f in api.list_repo_tree(repo, repo_type=repo_type, revision=info.sha, recursive=True)
                 if isinstance(f, RepoFile)]
    except GatedRepoError as error:
        raise HubDownloadError(f"{page} is gated: accept its terms there with your account, then set HF_TOKEN "
                               "(or run `hf auth login`) to a token of that account") from error
    except RevisionNotFoundError as error:
        raise HubDownloadError(f"{page}: no revision {revision!r} (config download.revision)") from error
    except RepositoryNotFoundError as error:
        raise HubDownloadError(f"{page}: not found, or private without a token that may read it "
                               "(set HF_TOKEN; config download.hub)") from error
    wanted = {f.path: f for f in files}
    matched = sorted(filter_repo_objects(wanted, allow_patterns=allow_patterns))
    if not matched:
        raise HubDownloadError(f"{page}@{info.sha}: download.allow_patterns {allow_patterns} match none of its "
                               f"{len(files)} files")
    if info.gated:
        log.warning("%s is gated (%s): its terms bind what you do with the data", page, info.gated)
    log.info("%s@%s: %d files", repo, info.sha, len(matched))
    snapshot_download(repo, repo_type=repo_type, revision=info.sha, local_dir=target_dir, allow_patterns=matched)
    record = {
        "hub": repo, "repo_type": repo_type, "endpoint": constants.ENDPOINT, "revision_requested": revision,
        "revision": info.sha, "allow_patterns": list(allow_patterns), "gated": info.gated or False,
        "license": (info.card_data or {}).get("license") if info.card_data else None,
        "files": [{"path": p, "bytes": wanted[p].size, "sha256": wanted[p].lfs.sha256 if wanted[p].lfs else None,
                   "blob_id": wanted[p].blob_id} for p in matched],
        "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_json(record, target_dir / RECORD_NAME)
    return record
