"""The engine's layout: each layer imports only the layers before it, no import cycle, and
no web import anywhere in server/engine."""

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "server" / "engine"
# Which engine layers each layer may import (a layer may always import itself).
ALLOWED = {"core": set(), "kinds": {"core"}, "analysis": {"core"}, "data": {"core"},
           "model": {"core", "kinds", "analysis"}, "__init__": {"core", "kinds", "model"}}
WEB = ("fastapi", "starlette", "pydantic", "uvicorn", "orjson", "server.api", "server.store")


def _module_name(path):
    parts = path.relative_to(ENGINE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path):
    """The absolute names of every module `path` imports."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.append(module)
            names += [f"{module}.{a.name}" for a in node.names]  # `from . import x` names a module
    return names


MODULES = {_module_name(p): p for p in sorted(ENGINE.rglob("*.py"))}
# A module's own packages are not edges: importing a submodule always runs them first.
GRAPH = {name: {m for m in _imports(p) if m in MODULES and not (name + ".").startswith(m + ".")}
         for name, p in MODULES.items()}


def _layer(module):
    rest = module.split(".")[2:]  # server.engine.<layer>…
    return rest[0] if rest else "__init__"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_the_layers_before_its_own(module):
    layer = _layer(module)
    outside = {_layer(m) for m in GRAPH[module]} - {layer} - ALLOWED[layer]
    assert outside == set(), f"{module} imports from {outside}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_engine_module_imports_the_web_layer(module):
    web = [m for m in _imports(MODULES[module]) if m.startswith(WEB)]
    assert web == []


def test_the_engine_has_no_import_cycle():
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for dep in sorted(GRAPH[m]):
            if state.get(dep) == "open":
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(dep):] + [dep]))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[m] = "done"

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)
    # the RNN's layers read one way: build <- sweeps <- extras, never back
    assert "server.engine.kinds.rnn.extras" not in GRAPH["server.engine.kinds.rnn.build"]
    assert "server.engine.kinds.rnn.extras" not in GRAPH["server.engine.kinds.rnn.sweeps"]


def test_no_kind_is_reached_through_getattr_hooks():
    for path in [ENGINE / "model.py", ENGINE / "core" / "trace.py", *(ENGINE / "kinds").rglob("*.py")]:
        assert "getattr(" not in path.read_text(), path
