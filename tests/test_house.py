"""The house rules that a reader of the code relies on: a module's path is its import name, no
import circle, modules of a readable size, every package installed, one reader of ``.rq`` files."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).parent.parent
SETUP = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
ROOMS: dict[str, str] = SETUP["package-dir"]
#: "~400 lines": a module past this is cut by concept before it grows further.
MOST_LINES = 450


def _modules() -> dict[str, Path]:
    """Every module of the distribution by import name, from the rooms' folders."""
    modules: dict[str, Path] = {}
    for package, folder in ROOMS.items():
        base = ROOT / folder
        for path in base.rglob("*.py"):
            parts = path.relative_to(base).with_suffix("").parts
            if folder == "habitat_kg" and parts[0] in {
                room.split(".")[1] for room in ROOMS if "." in room
            }:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join([package, *parts])] = path
    return modules


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project's modules that ``name`` imports (inside functions too; not for type checks)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for_type_checks = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in for_type_checks:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package
                for _ in range(node.level - 1):
                    parent = parent.rpartition(".")[0]
                base = f"{parent}.{base}" if base else parent
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def test_no_import_circle() -> None:
    graph = nx.DiGraph()
    for name, path in MODULES.items():
        graph.add_node(name)
        graph.add_edges_from((name, imported) for imported in _imports(name, path))
    circles = [sorted(group) for group in nx.strongly_connected_components(graph) if len(group) > 1]
    assert circles == []


def test_every_package_is_installed() -> None:
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert packages - set(SETUP["packages"]) == set()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_reads_in_one_sitting(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MOST_LINES, f"{MODULES[name]}: {lines} lines; cut it by concept"


def test_one_reader_of_query_files() -> None:
    readers = [name for name, path in MODULES.items() if _names_query_files(path)]
    assert readers == ["habitat_kg.queries"]


def _names_query_files(path: Path) -> bool:
    """Whether code spells the name of a ``.rq`` file (a message naming one does not count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_messages = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Raise, ast.Assert))
        for inner in ast.walk(node)
    }
    return any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.endswith(".rq")
        and " " not in node.value
        and id(node) not in in_messages
        for node in ast.walk(tree)
    )
