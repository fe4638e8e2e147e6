"""A private name (`_helper`) stays inside its app: another app that needs it gets a public one. Checked
over every module, imports inside functions included."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "budgets", "evaluation", "schools", "zones")


def _app(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "portal" and len(parts) > 1 else parts[0]


def _modules(root: Path, packages):
    for package in packages:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield ".".join(path.relative_to(root).with_suffix("").parts), path


def crossings(root: Path = ROOT, packages=PACKAGES) -> list[str]:
    found = []
    for module, path in _modules(root, packages):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] not in PACKAGES or _app(node.module) == _app(module):
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{module}:{node.lineno} imports {node.module}.{alias.name}")
    return found


def test_no_app_imports_another_apps_private_name():
    assert crossings() == []


def test_the_check_sees_a_crossing_and_allows_a_private_name_inside_its_app(tmp_path):
    fake = tmp_path / "budgets"
    fake.mkdir()
    (fake / "leak.py").write_text(
        "from budgets.arithmetic import _own\n\n\ndef f():\n    from portal.reports.kinds import _call\n",
        encoding="utf-8",
    )
    assert crossings(tmp_path, ("budgets",)) == ["budgets.leak:5 imports portal.reports.kinds._call"]
