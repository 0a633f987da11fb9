"""The exercism suite format: reading exercise directories into Problems (no GHC needed)."""

import pytest

from budgetai.core.records import Record, read_records, write_records
from budgetai.stages import decontaminate
from budgetai.suites.exercism import read_exercises
from budgetai.suites.load import SuiteFileMissing, SuiteFormatError, load_suite, suite_items

STUB = 'module Greeting (greet) where\n\ngreet :: String -> String\ngreet = error "You need to implement this function."\n'
TESTS = 'import Test.Hspec (Spec, it, shouldBe)\nimport Greeting (greet)\n\nspecs :: Spec\nspecs = it "greets" $ greet "Ann" `shouldBe` "Hello, Ann"\n'
PACKAGE = """name: greeting
dependencies:
  - base
default-extensions:
  - LambdaCase
library:
  exposed-modules: Greeting
  dependencies:
    - containers >= 0.6
tests:
  test:
    main: Tests.hs
    dependencies:
      - greeting
      - hspec
"""


def _exercise(root, name="greeting", **extra):
    files = {".docs/instructions.md": "# Greeting\n\nGreet someone.", "src/Greeting.hs": STUB,
             "test/Tests.hs": TESTS, "package.yaml": PACKAGE,
             ".meta/examples/success-standard/src/Greeting.hs":
                 'module Greeting (greet) where\ngreet :: String -> String\ngreet n = "Hello, " ++ n\n',
             ".meta/examples/fail-empty/src/Greeting.hs":
                 "module Greeting (greet) where\ngreet :: String -> String\ngreet _ = \"\"\n", **extra}
    for relative, text in files.items():
        if text is None:
            continue
        path = root / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / name


def test_an_exercise_becomes_a_problem(tmp_path):
    _exercise(tmp_path)
    [problem] = load_suite(tmp_path, "exercism")
    assert (problem.id, problem.format, problem.language, problem.entry) == ("greeting", "exercism", "haskell", "Greeting")
    assert "Greet someone." in problem.prompt and STUB.strip() in problem.prompt
    assert "Libraries available besides base: containers." in problem.prompt
    assert problem.tests == TESTS
    exercise = problem.exercise
    assert exercise.dependencies == ("base", "containers", "hspec")  # own package and bounds dropped
    assert exercise.extensions == ("LambdaCase",)
    assert [s.name for s in exercise.references] == ["success-standard"]
    assert [s.name for s in exercise.wrong] == ["fail-empty"]
    assert problem.reference.endswith('greet n = "Hello, " ++ n\n')
    assert exercise.test_support == {}


def test_other_test_modules_come_with_the_tests(tmp_path):
    _exercise(tmp_path, **{"test/Fixtures/Names.hs": "module Fixtures.Names (names) where\nnames = [\"Ann\"]\n"})
    [problem] = load_suite(tmp_path, "exercism")
    assert problem.exercise.test_support == {"Fixtures/Names.hs": 'module Fixtures.Names (names) where\nnames = ["Ann"]\n'}


def test_decontamination_sees_instructions_stub_tests_and_every_solution(tmp_path):
    _exercise(tmp_path)
    [item] = suite_items("mine", "exercism", tmp_path)
    text = "\n".join(item.texts)
    for needle in ("Greet someone.", "You need to implement", 'shouldBe` "Hello, Ann"',
                   'greet n = "Hello, " ++ n', 'greet _ = ""'):
        assert needle in text


def test_the_module_to_write_comes_from_meta_config(tmp_path):
    exercise = _exercise(tmp_path, **{
        "src/Tree.hs": "module Tree (Tree(..)) where\ndata Tree = Leaf\n",
        ".meta/config.json": '{"files": {"solution": ["src/Greeting.hs"], "example": []}}'})
    [problem] = load_suite(tmp_path, "exercism")
    assert problem.exercise.solution_file == "Greeting.hs"
    assert problem.exercise.support == {"Tree.hs": "module Tree (Tree(..)) where\ndata Tree = Leaf\n"}
    assert "The exercise provides `src/Tree.hs`" in problem.prompt
    (exercise / ".meta/config.json").write_text('{"files": {"solution": ["src/Nope.hs"]}}')
    with pytest.raises(SuiteFormatError, match=r"config.json: files.solution names 'Nope.hs'"):
        load_suite(tmp_path, "exercism")


@pytest.mark.parametrize("broken,message", [
    ({"test/Tests.hs": None}, r"greeting: exercise has no test/Tests.hs"),
    ({"package.yaml": "name: [unclosed"}, r"package.yaml: not valid YAML"),
    ({"package.yaml": "dependencies: 3\n"}, r"package.yaml: dependencies must be a list of strings"),
    ({".docs/instructions.md": None}, r"greeting: no .docs/instructions.md"),
])
def test_a_broken_exercise_is_named(tmp_path, broken, message):
    exercise = _exercise(tmp_path)
    for relative, text in broken.items():
        if text is None:
            (exercise / relative).unlink()
        else:
            (exercise / relative).write_text(text)
    with pytest.raises(SuiteFormatError, match=message):
        load_suite(tmp_path, "exercism")


def test_a_missing_suite_directory_is_named(tmp_path):
    with pytest.raises(SuiteFileMissing, match="nowhere"):
        load_suite(tmp_path / "nowhere", "exercism")


def test_the_shared_exercism_half_loads_whole(shared_dir):
    root = shared_dir / "realdata/exercism/exercises/practice"
    problems = load_suite(root, "exercism")
    assert len(problems) == 51
    assert sum(p.reference is not None for p in problems) == 51
    by_id = {p.id: p for p in problems}
    assert by_id["leap"].entry == "LeapYear"
    assert by_id["satellite"].exercise.support.keys() == {"BinaryTree.hs"}
    assert by_id["word-count"].exercise.references[0].name == "success-simple"  # config.json's example
    assert "split" in by_id["word-count"].exercise.references[0].dependencies
    assert sum(len(p.exercise.wrong) for p in problems) == 3  # accumulate, strain: fail-reverse; leap: error-nosig
    assert all("specs ::" in p.tests for p in problems)


def test_hidden_and_plain_files_beside_exercises_are_skipped(tmp_path):
    _exercise(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text("not an exercise")
    assert [e.slug for e in read_exercises(tmp_path)] == ["greeting"]


def test_decontamination_removes_a_training_row_that_copies_an_exercise(repo_dir, tmp_path):
    suite = repo_dir / "resources/exercises"
    reference = (suite / "stack-calculator/.meta/examples/success-standard/src/StackCalculator.hs").read_text()
    tests = (suite / "merge-intervals/test/Tests.hs").read_text()
    rows = [Record(f"so:{i}", "so", "qa", prompt, response, "haskell", "", "MIT", str(i)) for i, (prompt, response) in
            enumerate([("How do I write a postfix calculator?", reference),
                       ("How should I test interval merging?", tests),
                       ("How do I sum a list?", "Use `sum`, or `foldl' (+) 0` for a strict accumulator.")])]
    write_records(rows, tmp_path / "in.parquet")
    decontaminate.run(tmp_path / "in.parquet", [{"name": "own", "format": "exercism", "path": str(suite)}],
                      tmp_path / "out.parquet", tmp_path / "report.json", tmp_path / "stats.json", {})
    assert [r.id for r in read_records(tmp_path / "out.parquet")] == ["so:2"]
