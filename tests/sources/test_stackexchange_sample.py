"""resources/sample/make_stackexchange_sample.py renders stackexchange/questions.yaml and the code
blocks under stackexchange/code into the committed Posts.xml and compiling_answers.json, so editing
those files and rerunning the script is the way to change the sample."""

import importlib.util
import shutil

import pytest

SAMPLE = "resources/sample/stackexchange"


@pytest.fixture(scope="module")
def generator(repo_dir):
    spec = importlib.util.spec_from_file_location(
        "make_stackexchange_sample", repo_dir / "resources/sample/make_stackexchange_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sample_copy(repo_dir, tmp_path):
    """The generator's inputs, copied so a test can edit them."""
    src = tmp_path / "stackexchange"
    shutil.copytree(repo_dir / SAMPLE / "code", src / "code")
    shutil.copy(repo_dir / SAMPLE / "questions.yaml", src / "questions.yaml")
    return src


def test_generator_reproduces_the_committed_posts_and_compiling_answers(generator, repo_dir, tmp_path):
    committed = repo_dir / SAMPLE
    assert generator.write_sample(committed, tmp_path) == 131
    for name in ("Posts.xml", "compiling_answers.json"):
        want, got = (committed / name).read_bytes(), (tmp_path / name).read_bytes()
        # Posts.xml has one row per line, so a line diff names the row that changed
        assert got.decode().splitlines() == want.decode().splitlines(), name
        assert got == want, name


def test_every_code_block_comes_from_its_file(generator, repo_dir):
    """A code file's text, html-escaped, is its block in the rendered body (the answer of q03)."""
    _, questions = generator.read_posts(repo_dir / SAMPLE)
    code = (repo_dir / SAMPLE / "code/q03-word-frequencies-a1.hs").read_text()
    assert code.startswith("import qualified Data.Map.Strict as Map\n") and code.endswith("the hat\"))\n")
    assert generator.C(code) in questions[2]["answers"][0]["body"]
    assert "&quot;" not in generator.C(code) and "\\n" not in code


@pytest.mark.parametrize("old, new, message", [
    ("- code: q03-word-frequencies-a1.hs", "- code: q03-word-frequencies-a9.hs",
     r"question 3 \('Counting word frequencies with Data.Map'\) answer 1 body part 2 names code "
     r"file 'q03-word-frequencies-a9.hs'"),
    ("    tags: [haskell, io]\n", "    tags: [haskell, io]\n    stars: 3\n",
     r"question 2 has unknown keys \['stars'\]"),
    ("date: '2009-09-02T17:45:01.020'", "date: 2009-09-02T17:45:01.020",
     r"question 2 \('How do I read an Int from standard input\?'\) has date datetime"),
    ("          - p: 'For several numbers on one line:'", "          - text: several",
     r"question 2 \(.*\) answer 2 body part 1 is \{'text': 'several'\}"),
])
def test_a_bad_entry_is_named(generator, sample_copy, old, new, message):
    data = sample_copy / "questions.yaml"
    assert data.read_text().count(old) == 1
    data.write_text(data.read_text().replace(old, new))
    with pytest.raises(ValueError, match=message):
        generator.read_posts(sample_copy)


def test_a_code_file_no_part_names_is_named(generator, sample_copy):
    (sample_copy / "code/q99-stray-a1.hs").write_text("main = pure ()\n")
    with pytest.raises(ValueError, match=r"not used \['q99-stray-a1.hs'\]"):
        generator.read_posts(sample_copy)
