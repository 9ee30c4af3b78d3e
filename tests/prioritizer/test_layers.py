"""The apps import only the ones below them: organisation (the ground floor) knows no app,
customers knows organisation. What needs the apps above lives above them (the project
package's seed_demo) or is handed down (the customer list's tiers, from evaluation)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ABOVE = {
    "organisation": {"customers", "evaluation", "inquiries", "reviews"},
    "customers": {"evaluation", "inquiries", "reviews"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, those inside functions included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_an_app_imports_no_app_above_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} {module}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for line, module in _imports(path)
        if module.split(".")[0] in ABOVE[app]
    ]
    assert wrong == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from evaluation.models import Tier\n")
    assert _imports(module) == [(2, "evaluation.models")]
