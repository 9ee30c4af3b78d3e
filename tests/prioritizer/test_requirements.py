"""requirements.txt lists what the code imports (and the few packages that run without an
import, each saying why); constraints.txt pins only what those pull in."""

import ast
import importlib.metadata
import re
import sys
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
NOT_CODE = {".venv", "node_modules", "tests", "var", "docs", "static", "locale", "templates"}
# Where a package can be named without being imported: the settings' dotted paths
# (INSTALLED_APPS, MIDDLEWARE, backends) and the commands the processes run.
NAMED_IN = ["prioritizer/settings.py", "Makefile", "Dockerfile", "scripts/stack.sh"]


def _lines(name: str) -> list[tuple[str, str]]:
    """(requirement, comment) of each package line of a requirements file."""
    rows = []
    for line in (ROOT / name).read_text().splitlines():
        text, _, comment = line.partition("#")
        text = text.strip()
        if text and not text.startswith("-"):
            rows.append((text, comment.strip()))
    return rows


def _listed(name: str) -> dict[str, Requirement]:
    return {canonicalize_name(req.name): req for req in (Requirement(t) for t, _ in _lines(name))}


def _first_party() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/__init__.py")} | {"manage"}


def _code_files():
    for path in ROOT.rglob("*.py"):
        if not NOT_CODE.intersection(path.relative_to(ROOT).parts):
            yield path


@cache
def _imported_modules() -> frozenset[str]:
    """Top-level names of the third-party modules the code imports (lazy imports too)."""
    modules = set()
    for path in _code_files():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return frozenset(modules - set(sys.stdlib_module_names) - _first_party())


@cache
def _module_distributions() -> dict[str, set[str]]:
    """Top-level module -> the distributions that install it (as their top_level.txt says)."""
    return {
        module: {canonicalize_name(d) for d in dists}
        for module, dists in importlib.metadata.packages_distributions().items()
    }


def _distributions_of(module: str) -> set[str]:
    return _module_distributions().get(module, set())


def _modules_of(distribution: str) -> set[str]:
    return {m for m, dists in _module_distributions().items() if distribution in dists}


def _named_outside_code() -> set[str]:
    words = set()
    for name in NAMED_IN:
        words |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", (ROOT / name).read_text()))
    return words


def _pulled_in(roots: dict[str, Requirement]) -> set[str]:
    """Every distribution the listed ones need, with the extras they ask for."""
    seen: set[str] = set()
    todo = [(name, set(req.extras)) for name, req in roots.items()]
    while todo:
        name, extras = todo.pop()
        dist = importlib.metadata.distribution(name)
        for text in dist.requires or []:
            req = Requirement(text)
            wanted = req.marker is None or any(
                req.marker.evaluate({"extra": extra}) for extra in extras | {""}
            )
            key = canonicalize_name(req.name)
            if wanted and key not in seen:
                seen.add(key)
                todo.append((key, set(req.extras)))
    return seen


def test_every_module_the_code_imports_is_listed():
    listed = set(_listed("requirements.txt"))
    missing = {
        module: sorted(_distributions_of(module))
        for module in _imported_modules()
        if not _distributions_of(module) & listed
    }
    assert missing == {}


def test_every_listed_package_is_imported_named_or_says_why():
    imported = _imported_modules()
    named = _named_outside_code()
    unexplained = [
        text
        for text, comment in _lines("requirements.txt")
        if not comment
        and not _modules_of(canonicalize_name(Requirement(text).name)) & (imported | named)
    ]
    assert unexplained == []


def test_the_packages_that_say_why_are_really_not_imported():
    """A "not imported" comment goes stale once the code imports the package."""
    imported = _imported_modules()
    stale = [
        text
        for text, comment in _lines("requirements.txt")
        if comment.startswith("not imported")
        and _modules_of(canonicalize_name(Requirement(text).name)) & imported
    ]
    assert stale == []


def test_the_unused_packages_are_gone():
    listed = set(_listed("requirements.txt")) | set(_listed("constraints.txt"))
    assert not listed & {"django-tables2", "django-import-export", "tablib", "diff-match-patch"}


def test_constraints_pin_exactly_what_the_listed_packages_pull_in():
    listed = _listed("requirements.txt")
    pinned = set(_listed("constraints.txt"))
    assert pinned == _pulled_in(listed) - set(listed)


def test_every_line_is_pinned_to_one_version():
    loose = [
        text
        for name in ("requirements.txt", "constraints.txt")
        for text, _ in _lines(name)
        if not re.fullmatch(r"==[^,]+", str(Requirement(text).specifier))
    ]
    assert loose == []


def test_requirements_read_the_constraints():
    assert "-c constraints.txt" in (ROOT / "requirements.txt").read_text().splitlines()
