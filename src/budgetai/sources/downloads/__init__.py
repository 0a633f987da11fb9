"""Downloads as workflow rules: a source or evaluation suite may say where its data comes from
(`download:`) instead of giving a local `path`/`files`.

    download: {url: https://archive.org/download/stackexchange/stackoverflow.com-Posts.7z,
               sha256: <optional; checked>, terms: <optional; recorded and logged>}
    download: {hub: bigcode/the-stack-dedup, allow_patterns: [data/haskell/*.parquet],
               revision: main}  # resolved to a commit, which the record pins

`plan` says which downloads a config declares and where they land (the workflow's view);
`url` and `hub` fetch them, each leaving a record of what was fetched.
"""

from budgetai.sources.downloads.plan import (DEFAULT_DIR, declared, downloads_dir, hub_record, local_paths, resolve,
                                     single_file, url_filename, url_target)

__all__ = ["DEFAULT_DIR", "declared", "downloads_dir", "hub_record", "local_paths", "resolve", "single_file",
           "url_filename", "url_target"]
