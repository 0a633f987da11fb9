"""cluster_jobs: which sources and models need the network, the gated-download token check, and
the evaluate jobs' own resource request."""

import pytest

from budgetai.core.cluster_jobs import (MissingTokenError, check_hub_tokens, hub_models, job_resource,
                                        network_sources)

SOURCES = {
    "scrape": {"kind": "codeforces", "base_url": "https://codeforces.com"},
    "mirrored": {"kind": "codeforces", "base_url": "https://codeforces.com", "mirror_dir": "m"},
    "crawl": {"kind": "textbook", "start_url": "https://en.wikibooks.org/wiki/Haskell"},
    "pages": {"kind": "haddock", "urls": ["https://hackage.haskell.org/x.html"]},
    "hub": {"kind": "hf_dataset", "hub_id": "flytech/python-codes-25k"},
    "hub_copy": {"kind": "hf_dataset", "hub_id": "flytech/python-codes-25k", "path": "codes.jsonl"},
    "dump": {"kind": "stackexchange", "path": "Posts.xml"},
    "docs": {"kind": "haddock", "doc_dirs": ["/usr/share/doc/ghc-doc/html/libraries"]},
}
GATED = {"sources/stack": {"hub": "bigcode/the-stack-dedup", "allow_patterns": ["*"], "gated": True},
         "sources/open": {"hub": "open/data", "allow_patterns": ["*"]},
         "suites/x": {"url": "https://example.org/x.jsonl"}}


def test_network_sources_are_the_scrapes_crawls_and_hub_datasets():
    assert network_sources(SOURCES) == ["scrape", "crawl", "pages", "hub"]


def test_hub_models():
    models = {"big": {"hub_id": "mistralai/Mistral-7B-v0.1"}, "small": {"gguf_package": {"package": "p"}}}
    assert hub_models(models) == ["big"]


def test_a_gated_download_without_a_token_names_the_variable(tmp_path):
    with pytest.raises(MissingTokenError, match=r"HF_TOKEN is not set.*sources/stack \(bigcode/the-stack-dedup\)") as err:
        check_hub_tokens(GATED, {}, environ={"HF_HOME": str(tmp_path)})
    assert "sources/open" not in str(err.value)


def test_a_token_from_the_environment_or_the_login_file_satisfies_it(tmp_path):
    check_hub_tokens(GATED, {}, environ={"HF_TOKEN": "hf_x", "HF_HOME": str(tmp_path)})
    (tmp_path / "token").write_text("hf_saved\n")
    check_hub_tokens(GATED, {}, environ={"HF_HOME": str(tmp_path)})


def test_ungated_downloads_need_no_token(tmp_path):
    check_hub_tokens({k: v for k, v in GATED.items() if k != "sources/stack"}, SOURCES, environ={"HF_HOME": str(tmp_path)})


TRAIN = {"gpu": 2, "mem_mb": 64000, "runtime": 720, "cpus_per_gpu": 8}


def test_evaluation_has_its_own_block_and_at_most_one_gpu():
    experiment = {"resources": {**TRAIN, "evaluation": {"mem_mb": 32000, "runtime": 180}}}
    assert [job_resource([experiment], "train", k, 0) for k in TRAIN] == [2, 64000, 720, 8]
    assert [job_resource([experiment], "evaluate", k, 0) for k in TRAIN] == [1, 32000, 180, 8]


def test_evaluation_falls_back_to_training_and_base_models_take_the_largest():
    small = {"resources": {"gpu": 1, "mem_mb": 16000, "evaluation": {"mem_mb": 8000}}}
    cpu = {}
    assert job_resource([small, cpu], "evaluate", "mem_mb", 4000) == 8000
    assert job_resource([cpu], "evaluate", "gpu", 0) == 0
    assert job_resource([small], "evaluate", "runtime", 60) == 60
    assert job_resource([{"resources": {"gpu": 4, "evaluation": {"gpu": 2}}}], "evaluate", "gpu", 0) == 2


def test_a_gated_hub_dataset_source_needs_a_token_unless_read_from_a_local_copy(tmp_path):
    gated = {"lima": {"kind": "hf_dataset", "hub_id": "GAIR/lima", "gated": True}}
    with pytest.raises(MissingTokenError, match=r"sources/lima \(GAIR/lima\)"):
        check_hub_tokens({}, gated, environ={"HF_HOME": str(tmp_path)})
    local = {"lima": {**gated["lima"], "path": "lima.jsonl"}}
    check_hub_tokens({}, local, environ={"HF_HOME": str(tmp_path)})
