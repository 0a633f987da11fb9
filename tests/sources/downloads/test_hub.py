"""The hub download against a fake hub on loopback (HF_ENDPOINT): what it fetches, the commit it
pins, a gated repo without a token, and a token that reaches the hub and nothing else."""

import hashlib
import importlib
import json
import logging

import pytest

from tests.sources.downloads.servers import FakeHub

REPO = "bigcode/the-stack-dedup"
FILES = {"data/haskell/train-00000.parquet": b"PAR1" + b"h" * 5000, "data/haskell/train-00001.parquet": b"PAR1 two",
         "data/python/train-00000.parquet": b"PAR1 python", "README.md": b"# terms"}
TOKEN = "hf_TESTtoken1234567890secret"


@pytest.fixture
def hub(monkeypatch, tmp_path):
    """A FakeHub, with huggingface_hub pointed at it (its constants read the environment at import)."""
    def start(**kwargs):
        server = FakeHub(REPO, FILES, **kwargs).__enter__()
        monkeypatch.setenv("HF_ENDPOINT", server.base_url)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))  # no token file of the machine's user
        monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
        import huggingface_hub.constants

        importlib.reload(huggingface_hub.constants)
        servers.append(server)
        return server

    servers = []
    yield start
    for server in servers:
        server.__exit__()
    monkeypatch.undo()
    import huggingface_hub.constants

    importlib.reload(huggingface_hub.constants)


def download(tmp_path, **kwargs):
    from budgetai.sources.downloads.hub import download_hub

    return download_hub(REPO, tmp_path / "dl", allow_patterns=["data/haskell/*.parquet"], **kwargs)


def test_downloads_the_matching_files_and_pins_the_commit(hub, tmp_path):
    server = hub(commit="c0ffee" * 6 + "c0ff")
    record = download(tmp_path)
    for name in ("data/haskell/train-00000.parquet", "data/haskell/train-00001.parquet"):
        assert (tmp_path / "dl" / name).read_bytes() == FILES[name]
    assert not (tmp_path / "dl/data/python").exists()
    assert record["revision_requested"] == "main" and record["revision"] == "c0ffee" * 6 + "c0ff"
    assert [f["path"] for f in record["files"]] == sorted(p for p in FILES if "haskell" in p)
    assert record["files"][0]["sha256"] == hashlib.sha256(FILES["data/haskell/train-00000.parquet"]).hexdigest()
    assert json.loads((tmp_path / "dl/download.json").read_text()) == record
    fetched = [r["path"] for r in server.requests if r["method"] == "GET" and "/resolve/" in r["path"]]
    assert len(fetched) == 2

    server.requests.clear()
    download(tmp_path)  # a second run: metadata only, no file fetched again
    assert not [r for r in server.requests if r["method"] == "GET" and "/resolve/" in r["path"]]


def test_a_gated_repo_without_a_token_says_what_to_do(hub, tmp_path, monkeypatch):
    from budgetai.sources.downloads.hub import HubDownloadError

    monkeypatch.delenv("HF_TOKEN", raising=False)
    hub(token=TOKEN, gated="auto")
    with pytest.raises(HubDownloadError, match="accept its terms.*HF_TOKEN"):
        download(tmp_path)


def test_no_match_names_the_patterns(hub, tmp_path):
    from budgetai.sources.downloads.hub import HubDownloadError, download_hub

    hub()
    with pytest.raises(HubDownloadError, match=r"allow_patterns \['data/cobol/\*'\] match none"):
        download_hub(REPO, tmp_path / "dl", allow_patterns=["data/cobol/*"])


def test_the_token_reaches_the_hub_and_no_log_record_or_file(hub, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    server = hub(token=TOKEN, gated="auto")
    caplog.set_level(logging.DEBUG)
    record = download(tmp_path)
    assert record["gated"] == "auto"
    assert {r["headers"].get("authorization") for r in server.requests} == {f"Bearer {TOKEN}"}
    assert TOKEN not in caplog.text and TOKEN[3:] not in caplog.text
    for path in (tmp_path / "dl").rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
