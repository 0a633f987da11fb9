"""A manifest of the files a source reads out of a system directory (Debian's ghc-doc, the
libghc-*-doc packages), so the workflow depends on those files and nothing else in the tree.

Installing any Debian Haskell library package regenerates ghc-doc's `doc-index-*.html` pages; when
the whole directory was the source's input, that made the source, training and every evaluation
stale. The `source_inputs` rule takes only the pages the reader reads as its input and writes
`results/sources/<source>/inputs.json`:

    {"source": "ghc_library_sources", "files": [{"path", "bytes", "sha256"}, ...]}

The ingest job depends on that file, not on the directory; `budgetai status` names the pages
whose change made `source_inputs` stale (Snakemake's reason for the job).
"""

from __future__ import annotations

import os
from pathlib import Path

from budgetai.core.io import write_json
from budgetai.core.manifest import file_sha256


def describe(paths: list[str]) -> list[dict]:
    """path, size and content hash of each file, in path order."""
    return [{"path": str(p), "bytes": Path(p).stat().st_size, "sha256": file_sha256(p)} for p in sorted(map(str, paths))]


def write_input_manifest(source: str, paths: list[str], out_path: str | os.PathLike) -> dict:
    manifest = {"source": source, "files": describe(paths)}
    write_json(manifest, out_path)
    return manifest
