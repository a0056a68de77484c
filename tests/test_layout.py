"""The TensorFlow boundary is a folder, and the imports run one way.

Every module outside ``zoo/keras/`` imports in a fresh process without loading tensorflow, keras or numpy, and
none of them imports those at module level; the package's own imports (function-level ones included) have no
cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import convzoo

PACKAGE = Path(convzoo.__file__).resolve().parent
HEAVY = ("tensorflow", "keras", "numpy")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        name = ".".join(("convzoo", *parts[:-1])) if parts[-1] == "__init__" else ".".join(("convzoo", *parts))
        found[name] = path
    return found


MODULES = _modules()
OUTSIDE = sorted(name for name in MODULES if not name.startswith("convzoo.zoo.keras"))


def test_every_module_outside_zoo_keras_imports_without_tensorflow_keras_or_numpy():
    code = (
        "import importlib, sys\n"
        f"for name in {OUTSIDE!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert len(OUTSIDE) > 40  # the kinds, the models, the exports: the walk did find the package


def _imports(name: str, top_level_only: bool):
    """The modules that module ``name`` imports, absolute and relative imports alike (``from ..zoo import
    engine`` in convzoo.questions.quiz is convzoo.zoo and convzoo.zoo.engine)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # what is imported for the type checker only never runs: not an edge (a layer type's module imports the
    # engine, which finds the layer types when called; the registry names LayerType for mypy alone)
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for statement in node.body
        for inner in ast.walk(statement)
    }
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def test_no_module_outside_zoo_keras_imports_tensorflow_keras_or_numpy_at_module_level():
    offenders = {
        name: heavy for name in OUTSIDE if (heavy := {m.split(".")[0] for m in _imports(name, True)} & set(HEAVY))
    }
    assert offenders == {}


def test_the_package_imports_have_no_cycle():
    graph = {name: {m for m in _imports(name, False) if m in MODULES and m != name} for name in MODULES}
    for name in graph:  # a package's __init__ is imported with any of its modules: not an edge of its own
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return path + [node, nxt]
            if nxt not in state and (cycle := visit(nxt, path + [node])):
                return cycle
        state[node] = "done"
        return None

    cycles = [cycle for name in sorted(graph) if name not in state and (cycle := visit(name, []))]
    assert cycles == []
    assert sum(len(edges) for edges in graph.values()) > 300  # the walk did follow the imports
