"""The package's shape: its import graph, its lint, its public names."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import gzie

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "gzie"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, top_level_only: bool) -> set[str]:
    """The gzie modules a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("gzie"):
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("gzie"))
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def graph(top_level_only: bool) -> dict[str, set[str]]:
    return {name: {m for m in imports_of(path, top_level_only) if m in MODULES and m != name}
            for name, path in MODULES.items()}


def test_module_level_import_graph_has_no_cycle():
    edges = graph(top_level_only=True)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(trail + [node, nxt]))
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [])


@pytest.mark.parametrize("low,high", [("gzie.facts", "gzie.pipeline"), ("gzie.normalize", "gzie.pipeline"),
                                      ("gzie.pipeline", "gzie.corpus"), ("gzie.text", "gzie.pipeline"),
                                      ("gzie.text", "gzie.corpus"), ("gzie.normalize", "gzie.corpus")])
def test_lower_layers_never_import_higher_ones(low, high):
    edges = graph(top_level_only=False)
    offenders = {(name, target) for name, targets in edges.items() if name == low or name.startswith(low + ".")
                 for target in targets if target == high or target.startswith(high + ".")}
    assert offenders == set()


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "gzie", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_version_has_one_home():
    import importlib.metadata

    assert importlib.metadata.version("gzie") == gzie.__version__
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[project]")[1].split("\n[")[0]
    assert 'version = "' not in project


def test_extract_takes_doc_id():
    assert gzie.extract("上半年，园区营业收入增长8%。", doc_id="a")["id"] == "a"


def test_extract_id_is_a_deprecated_alias():
    with pytest.warns(DeprecationWarning, match="doc_id"):
        assert gzie.extract("上半年，园区营业收入增长8%。", id="a")["id"] == "a"
