"""pyproject.toml declares what the code uses: nothing installed for nothing.

Invariants: every run-time dependency is imported by ``src/tidings`` (or, for a model
package, named in its data files); a package that only the tests import (pycountry, the
ISO 3166 reference of tests/test_refdata.py) is in the ``test`` extra, not a run-time
dependency that every user installs.
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "tidings"

#: run-time dependencies that nothing imports by name, and why they are needed
NOT_IMPORTED = {
    "lxml-html-clean": "trafilatura's justext imports it (lxml 5.2+ ships it separately)",
}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement (``ray[data]>=2`` -> ``ray``)."""
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def _modules(distribution: str) -> set[str]:
    """The top-level modules an installed distribution provides."""
    by_module = importlib.metadata.packages_distributions()
    found = {m for m, dists in by_module.items() if distribution in {_name(d) for d in dists}}
    return found or {distribution.replace("-", "_")}


def _imported(text: str, module: str) -> bool:
    return re.search(rf"^\s*(?:import|from)\s+{re.escape(module)}\b", text, re.M) is not None


def test_every_runtime_dependency_is_used() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    data = "\n".join(p.read_text(encoding="utf-8") for p in (SRC / "data").glob("*.yaml"))
    unused = []
    for requirement in _project()["dependencies"]:
        dist = _name(requirement)
        modules = _modules(dist)
        used = any(_imported(code, m) or re.search(rf"\b{m}\b", data) for m in modules)
        if not used and dist not in NOT_IMPORTED:
            unused.append(dist)
    assert not unused, f"declared but never imported by src/tidings: {unused}"


def test_test_only_packages_are_in_the_test_extra() -> None:
    project = _project()
    runtime = {_name(r) for r in project["dependencies"]}
    test_extra = {_name(r) for r in project["optional-dependencies"]["test"]}
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("*.py"))
    assert _imported(tests, "pycountry") and not _imported(code, "pycountry")
    assert "pycountry" in test_extra and "pycountry" not in runtime
