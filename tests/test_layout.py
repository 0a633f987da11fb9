"""The package's shape: folders import one way (DESIGN.md), no module-level import cycles, not
even ones hidden by an import inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "budgetai"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """budgetai modules `path` imports anywhere in its body (`from budgetai.x import y` counts
    as budgetai.x.y when that is a module, else budgetai.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("budgetai"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in modules else node.module)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: imported_modules(path, set(paths)) - {name} for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


# Which folders each folder may import (besides itself). The arrows of DESIGN.md:
#   commands -> report -> train -> evaluate -> {examples, model, haskell, suites} -> core
#   commands -> stages -> sources -> haskell -> core; stages -> suites; examples -> model, haskell
BELOW = {
    "core": set(),
    "haskell": {"core"},
    "suites": {"core"},
    "model": {"core"},
    "examples": {"model", "haskell", "core"},
    "sources": {"haskell", "suites", "core"},
    "stages": {"sources", "haskell", "suites", "core"},
    "evaluate": {"examples", "model", "haskell", "suites", "core"},
    "train": {"evaluate", "examples", "model", "haskell", "suites", "core"},
    "report": {"train", "evaluate", "examples", "model", "haskell", "suites", "core"},
    "commands": {"report", "train", "evaluate", "examples", "model", "haskell", "suites", "stages", "sources",
                 "core"},
}


def folder_of(module: str) -> str | None:
    """budgetai.<folder>.x -> <folder>; a module directly under budgetai has none."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else None


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """"a -> b" for every import of a module in a folder not below the importer's folder."""
    found = []
    for module, targets in sorted(graph.items()):
        source = folder_of(module)
        for target in sorted(targets):
            folder = folder_of(target)
            if source and folder and folder != source and folder not in BELOW[source]:
                found.append(f"{module} -> {target}")
    return found


def test_every_package_folder_has_a_place_in_the_order():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(BELOW), "give the new folder its place in BELOW (and DESIGN.md)"


def test_upward_imports_are_found():
    graph = {"budgetai.core.io": {"budgetai.train.recipe"}, "budgetai.train.recipe": {"budgetai.core.io"}}
    assert upward_imports(graph) == ["budgetai.core.io -> budgetai.train.recipe"]


def test_folders_import_one_way_even_inside_functions():
    wrong = upward_imports(import_graph())
    assert not wrong, "imports against the folder order (tests/test_layout.py BELOW):\n" + "\n".join(wrong)


def test_only_the_package_marker_sits_at_the_top():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert not loose, f"modules outside any folder: {loose}"


def test_find_cycle_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("init", sorted(PACKAGE.rglob("__init__.py")), ids=lambda p: module_name(p))
def test_init_files_only_re_export(init):
    # A package's __init__ is read as its table of contents; logic there is found by no one.
    body = [n for n in ast.parse(init.read_text()).body
            if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]  # docstring
    allowed = (ast.Import, ast.ImportFrom)
    assert all(isinstance(n, allowed) or names_a_dunder(n) for n in body), f"{init} holds more than re-exports"


def names_a_dunder(node: ast.stmt) -> bool:
    """`__all__ = [...]`, `__version__ = "..."`: metadata, not logic."""
    targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
    return isinstance(node, ast.Assign) and bool(targets) and all(t.startswith("__") for t in targets)
