"""Exercise collections in the layout of an Exercism track's `exercises/practice/` (the Haskell
track's shape): one directory per exercise with

    .docs/instructions.md (+ instructions.append.md)   what to do
    src/<Module>.hs                                     the stub: signatures, `error` bodies
    test/Tests.hs                                       hspec tests (`specs :: Spec`)
    package.yaml                                        dependencies, default-extensions
    .meta/config.json                                   files.solution / example / editor
    .meta/examples/success-*/src/ (+ package.yaml)      reference solutions
    .meta/examples/fail-*/, error-*/                    deliberately wrong solutions

`read_exercises(dir)` reads them into `Exercise`s; errors name the exercise and the file. The
suite loader (budgetai.suites.load, format "exercism") turns each into a Problem.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

STUB_MARKER = "You need to implement"  # the track's stub bodies: error "You need to implement ..."
SUCCESS_PREFIX = "success-"
WRONG_PREFIXES = ("fail-", "error-")
TEST_FILE = "test/Tests.hs"


class ExerciseFormatError(ValueError):
    """An exercise directory that does not have the track's layout."""


@dataclass(frozen=True)
class Solution:
    """One solution directory: its modules (path under src/ -> text) and package.yaml."""

    name: str  # e.g. "success-standard"
    path: Path
    sources: dict[str, str]
    dependencies: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exercise:
    slug: str
    path: Path
    instructions: str  # instructions.md + instructions.append.md
    module: str  # the module the answer writes, e.g. "LeapYear"
    solution_file: str  # its path under src/, e.g. "LeapYear.hs"
    stub: str  # the stub of that module
    support: dict[str, str]  # the other src/ modules, given as they are (path -> text)
    tests: str  # test/Tests.hs as written
    dependencies: tuple[str, ...]  # package.yaml's, the exercise's own package left out
    extensions: tuple[str, ...]  # package.yaml's default-extensions
    references: tuple[Solution, ...]  # success-* solutions, the track's chosen example first
    wrong: tuple[Solution, ...] = field(default=())  # fail-* / error-* solutions
    test_support: dict[str, str] = field(default_factory=dict)  # other test/ modules (path -> text)

    @property
    def reference(self) -> Solution | None:
        return self.references[0] if self.references else None


def read_exercises(root: str | os.PathLike) -> list[Exercise]:
    """Every exercise directory under `root` (sorted by name; hidden directories skipped)."""
    root = Path(root)
    if not root.is_dir():
        raise ExerciseFormatError(f"{root}: not a directory of exercises")
    exercises = [read_exercise(d) for d in sorted(root.iterdir())
                 if d.is_dir() and not d.name.startswith(".")]
    if not exercises:
        raise ExerciseFormatError(f"{root}: no exercise directories")
    return exercises


def read_exercise(path: Path) -> Exercise:
    tests_path = path / TEST_FILE
    if not tests_path.is_file():
        raise ExerciseFormatError(f"{path}: exercise has no {TEST_FILE}")
    stubs = _sources(path / "src", path)
    config = _meta_config(path)
    solution_file = _solution_file(path, stubs, config)
    package = _package(path / "package.yaml", path.name)
    examples = path / ".meta" / "examples"
    solutions = [_solution(d, path.name) for d in sorted(examples.iterdir()) if d.is_dir()] \
        if examples.is_dir() else []
    chosen = {Path(p).parts[2] for p in config.get("files", {}).get("example", [])
              if len(Path(p).parts) > 2}
    references = sorted((s for s in solutions if s.name.startswith(SUCCESS_PREFIX)),
                        key=lambda s: (s.name not in chosen, s.name != "success-standard", s.name))
    return Exercise(
        slug=path.name, path=path, instructions=_instructions(path), module=solution_file[:-3].replace("/", "."),
        solution_file=solution_file, stub=stubs[solution_file],
        support={k: v for k, v in stubs.items() if k != solution_file},
        tests=tests_path.read_text(encoding="utf-8"), dependencies=package[0], extensions=package[1],
        references=tuple(references),
        wrong=tuple(s for s in solutions if s.name.startswith(WRONG_PREFIXES)),
        test_support={k: v for k, v in _sources(path / "test", path).items() if k != Path(TEST_FILE).name})


def _sources(src: Path, exercise: Path) -> dict[str, str]:
    if not src.is_dir():
        raise ExerciseFormatError(f"{exercise}: no src/ directory")
    files = {p.relative_to(src).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted(src.rglob("*.hs"))}
    if not files:
        raise ExerciseFormatError(f"{src}: no .hs files")
    return files


def _meta_config(path: Path) -> dict:
    file = path / ".meta" / "config.json"
    if not file.is_file():
        return {}
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ExerciseFormatError(f"{file}: not valid JSON ({err})") from err


def _solution_file(path: Path, stubs: dict[str, str], config: dict) -> str:
    """The module the answer writes: .meta/config.json's files.solution, else the one stub with
    `error "You need to implement ..."` bodies, else the only module."""
    named = [p[len("src/"):] for p in config.get("files", {}).get("solution", [])
             if p.startswith("src/") and p.endswith(".hs")]
    if named:
        if named[0] not in stubs:
            raise ExerciseFormatError(f"{path}/.meta/config.json: files.solution names {named[0]!r}, "
                                      f"not among src/ {sorted(stubs)}")
        return named[0]
    candidates = [p for p, text in stubs.items() if STUB_MARKER in text] or list(stubs)
    if len(candidates) != 1:
        raise ExerciseFormatError(f"{path}: cannot tell which of src/ {sorted(stubs)} the answer "
                                  f"writes; list it under files.solution in .meta/config.json")
    return candidates[0]


def _instructions(path: Path) -> str:
    docs = path / ".docs"
    parts = [(docs / name).read_text(encoding="utf-8").strip()
             for name in ("instructions.md", "instructions.append.md") if (docs / name).is_file()]
    if not parts:
        raise ExerciseFormatError(f"{path}: no .docs/instructions.md")
    return "\n\n".join(parts)


def _package(file: Path, own_name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(dependencies, default-extensions) of a package.yaml: top level, library and tests,
    version bounds dropped, the exercise's own package left out."""
    if not file.is_file():
        return (), ()
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ExerciseFormatError(f"{file}: not valid YAML ({err})") from err
    if not isinstance(data, dict):
        raise ExerciseFormatError(f"{file}: expected a mapping at the top")
    sections = [data, data.get("library") or {}, *((data.get("tests") or {}).values())]
    own = {own_name, str(data.get("name", own_name))}
    dependencies, extensions = [], []
    for section in sections:
        if not isinstance(section, dict):
            raise ExerciseFormatError(f"{file}: a library or test section is not a mapping")
        for raw in _string_list(section.get("dependencies"), file, "dependencies"):
            name = raw.split()[0] if raw.split() else ""
            if name and name not in own and name not in dependencies:
                dependencies.append(name)
        for name in _string_list(section.get("default-extensions"), file, "default-extensions"):
            if name not in extensions:
                extensions.append(name)
    return tuple(dependencies), tuple(extensions)


def _string_list(value, file: Path, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    if isinstance(value, dict):  # hpack's other form: name -> version constraint
        return [str(k) for k in value]
    raise ExerciseFormatError(f"{file}: {key} must be a list of strings")


def exercise_prompt(exercise: Exercise) -> str:
    """The problem text a model sees: the instructions, the stub of the module to write, the
    modules the exercise provides, and the libraries its package.yaml lists."""
    parts = [exercise.instructions.strip(), f"Write the module `src/{exercise.solution_file}`. "
             f"Its stub:\n\n```haskell\n{exercise.stub.rstrip()}\n```"]
    for name, text in exercise.support.items():
        parts.append(f"The exercise provides `src/{name}` (not to be written):\n\n"
                     f"```haskell\n{text.rstrip()}\n```")
    libraries = [d for d in exercise.dependencies if d not in ("base", "hspec", "QuickCheck")]
    if libraries:
        parts.append(f"Libraries available besides base: {', '.join(libraries)}.")
    return "\n\n".join(parts) + "\n"


def _solution(path: Path, own_name: str) -> Solution:
    dependencies, extensions = _package(path / "package.yaml", own_name)
    return Solution(path.name, path, _sources(path / "src", path), dependencies, extensions)
