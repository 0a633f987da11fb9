"""resources/sample/make_the_stack_sample.py rebuilds the committed Stack sample (shards and
manifest) from the files under resources/sample/the-stack/src, so editing a .hs file there and
rerunning the script is the way to change the sample."""

import importlib.util
import shutil

import pyarrow.parquet as pq
import pytest

SAMPLE = "resources/sample/the-stack"


@pytest.fixture(scope="module")
def generator(repo_dir):
    spec = importlib.util.spec_from_file_location(
        "make_the_stack_sample", repo_dir / "resources/sample/make_the_stack_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_the_committed_shards_and_manifest(generator, repo_dir, tmp_path):
    committed = repo_dir / SAMPLE
    generator.write_sample(committed / "src", tmp_path)
    shards = sorted(p.name for p in (committed / "data/haskell").glob("*.parquet"))
    assert shards == ["train-00000-of-00002.parquet", "train-00001-of-00002.parquet"]
    for name in shards:
        old, new = (pq.read_table(d / "data/haskell" / name) for d in (committed, tmp_path))
        assert new.schema.equals(old.schema), name
        old_rows, new_rows = old.to_pylist(), new.to_pylist()
        assert len(new_rows) == len(old_rows), name
        for i, (want, got) in enumerate(zip(old_rows, new_rows)):
            assert got == want, f"{name} row {i} ({want['max_stars_repo_name']}/{want['max_stars_repo_path']})"
        assert (pq.ParquetFile(tmp_path / "data/haskell" / name).metadata.num_row_groups
                == pq.ParquetFile(committed / "data/haskell" / name).metadata.num_row_groups)
    assert (tmp_path / "manifest.json").read_text() == (committed / "manifest.json").read_text()


def test_a_file_missing_from_the_index_is_named(generator, repo_dir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(repo_dir / SAMPLE / "src", src)
    (src / "amelie-k/pure-queues/src/Data/Stack.hs").write_text("module Data.Stack where\n")
    with pytest.raises(ValueError, match="not listed.*amelie-k/pure-queues/src/Data/Stack.hs"):
        generator.read_files(src)
