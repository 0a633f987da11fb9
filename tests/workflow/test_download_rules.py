"""The download rules inside the workflow: a source whose data comes from a URL (a loopback
server) is fetched by download_url before its ingest, once, and the hub token appears in no log."""

from __future__ import annotations

import yaml

from tests.sources.downloads.servers import RangeFileServer
from tests.workflow.run_workflow import REPO, scratch_workdir, snakemake

TOKEN = "hf_WORKFLOWtoken0123456789"


def test_a_url_source_is_downloaded_once_then_ingested(tmp_path):
    workdir = scratch_workdir(tmp_path / "work")
    posts = (REPO / "resources/sample/stackexchange/Posts.xml").read_bytes()
    with RangeFileServer({"/dump/Posts.xml": posts}) as server:
        # The first response stops halfway and the rule retries; (the sample is smaller than one
        # 64 KiB read, so nothing was kept: the Range resume itself is tests/downloads/test_url.py's)
        server.cuts = [len(posts) // 2]
        config = yaml.safe_load((REPO / "config/config.yaml").read_text())
        source = config["sources"]["stackoverflow_haskell"]
        del source["path"]
        source["download"] = {"url": server.base_url + "/dump/Posts.xml", "terms": "sample terms"}
        config["downloads"] = {"dir": "downloads"}  # resources/ is the repository's, linked in
        (workdir / "site.yaml").write_text(yaml.safe_dump(config))
        target = "results/sources/stackoverflow_haskell/raw.parquet"
        args = [target, "--cores", "1", "--configfile", "site.yaml", "--replace-workflow-config"]
        env = {"HF_TOKEN": TOKEN}
        snakemake(workdir, *args, env=env)
        snakemake(workdir, *args, env=env)  # nothing to do: not fetched again
    downloaded = workdir / "downloads/sources/stackoverflow_haskell/Posts.xml"
    assert downloaded.read_bytes() == posts
    assert len(server.requests) == 2  # the cut one and its retry; the second run asked nothing
    assert (workdir / target).exists()
    for path in [*(workdir / "logs").rglob("*"), *(workdir / "downloads").rglob("*")]:
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
