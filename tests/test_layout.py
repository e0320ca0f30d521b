"""The layout of harness/ (README, "Layout"): one sub-package per stage, imports one way only.

gold <- dates <- extraction <- scoring <- reporting <- cli, with annotate beside reporting (it may
import every stage below cli; only cli imports it). The import statements are read from the
source (ast), function-level imports included, so an upward import fails here even where it
would only run late.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import harness

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "harness"
#: No module of the library or of the baselines is longer than this (lines): past it, split the
#: module along its seams and keep its public names importable from the old path.
MAX_LINES = 500

STAGES = ("gold", "dates", "extraction", "scoring", "reporting", "annotate")
BELOW = {
    "gold": set(),
    "dates": {"gold"},
    "extraction": {"gold", "dates"},
    "scoring": {"gold", "dates", "extraction"},
    "reporting": {"gold", "dates", "extraction", "scoring"},
    "annotate": {"gold", "dates", "extraction", "scoring", "reporting"},
    "cli": set(STAGES),
    "__main__": {"cli"},
    "__init__": set(),
}


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(HARNESS.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _stage(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported harness module) for every import statement of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.append((node.lineno, sub if sub in MODULES else base))
    return [(line, name) for line, name in out if name == "harness" or name.startswith("harness.")]


def test_each_subpackage_imports_and_says_what_it_owns():
    for stage in STAGES:
        package = importlib.import_module(f"harness.{stage}")
        assert package.__doc__ and len(package.__doc__.split()) > 8, stage


def test_no_module_imports_against_the_pipeline_direction():
    wrong = []
    for module, path in MODULES.items():
        stage = _stage(module)
        for line, target in _imports(module, path):
            if target in harness.MOVED:
                wrong.append(f"{path.relative_to(ROOT)}:{line} uses the old path {target}")
                continue
            if target == "harness" or _stage(target) in BELOW[stage] | {stage}:
                continue
            wrong.append(f"{path.relative_to(ROOT)}:{line} ({stage}) imports {target}")
    assert wrong == []


def test_the_direction_check_catches_an_upward_import(tmp_path, monkeypatch):
    upward = tmp_path / "upward.py"
    upward.write_text("def f():\n    from harness.scoring.score import score\n")
    assert _imports("harness.gold.upward", upward) == [(2, "harness.scoring.score")]
    assert _stage("harness.scoring.score") not in BELOW["gold"]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_between_modules():
    graph = {
        module: {t for _, t in _imports(module, path) if t in MODULES and t != module}
        for module, path in MODULES.items()
    }
    assert _cycles(graph) == []
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_nothing_under_harness_imports_or_names_the_baselines():
    for path in MODULES.values():
        assert "baselines" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("old", sorted(harness.MOVED))
def test_old_flat_paths_are_the_moved_modules(old):
    assert importlib.import_module(old) is importlib.import_module(harness.MOVED[old])


def test_help_imports_no_heavy_package_and_no_extractor():
    code = (
        "import sys\n"
        "from harness.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('spacy', 'sklearn', 'datasets', 'numpy', 'scipy', 'matplotlib', 'dateparser',"
        " 'baselines')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_no_module_under_harness_or_baselines_is_over_500_lines():
    long = []
    for folder in (HARNESS, ROOT / "baselines"):
        for path in sorted(folder.rglob("*.py")):
            n = len(path.read_text(encoding="utf-8").splitlines())
            if n > MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}: {n} lines")
    assert long == [], f"over {MAX_LINES} lines; split along the seams: {long}"


def test_every_source_file_the_docs_name_exists():
    """README, METRICS.md and the guidelines point readers at code by path; a path left behind
    by a move (``harness/match.py`` for ``harness/scoring/match.py``) sends them nowhere."""
    import re

    named = re.compile(r"\b(?:harness|baselines|scripts|tests)/[\w/]+\.(?:py|java)\b")
    missing = []
    for doc in ("README.md", "METRICS.md", "annotations/GUIDELINES.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        for m in named.finditer(text):
            if not (ROOT / m.group()).exists():
                line = text.count("\n", 0, m.start()) + 1
                missing.append(f"{doc}:{line}: {m.group()}")
    assert missing == []
