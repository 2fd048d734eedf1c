"""What importing a core module loads, and what its functions would import when called.

Run as `python -m tests.import_graph portal.advisor.closing` in a fresh interpreter: it prints
JSON with `imported` (the modules loaded by the import, no application made), `reached` (those
and every module an import inside a function of a loaded `portal` module brings, followed until
nothing new comes) and `web` (the loaded `portal` modules whose source imports Flask, WTForms
or Werkzeug themselves; `portal/__init__.py`, the application factory, excepted).
"""

from __future__ import annotations

import ast
import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ("flask", "flask_wtf", "wtforms", "werkzeug", "flask_sqlalchemy_lite", "portal.extensions")


def _source(module_name: str) -> ast.Module | None:
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    return ast.parse(Path(path).read_text(encoding="utf-8")) if path else None


def _is_portal_module(name: str) -> bool:
    """Told from the files, without importing anything."""
    path = ROOT.joinpath(*name.split("."))
    return name.startswith("portal.") and (
        path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()
    )


def _named(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or not node.module:
        return []
    names = [node.module]
    for alias in node.names:  # `from portal import subscribers`: a module too
        candidate = f"{node.module}.{alias.name}"
        if _is_portal_module(candidate):
            names.append(candidate)
    return names


def imports_in_functions(module_name: str) -> list[str]:
    tree = _source(module_name)
    found: list[str] = []
    for function in ast.walk(tree) if tree else ():
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found += [name for name in _named(node) if name.startswith("portal.")]
    return found


def imports_web(module_name: str) -> bool:
    tree = _source(module_name)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Import | ast.ImportFrom):
            for name in _named(node):
                if any(name == web or name.startswith(f"{web}.") for web in WEB):
                    return True
    return False


def graph(core: str) -> dict[str, list[str]]:
    importlib.import_module(core)
    imported = sorted(sys.modules)
    web = [m for m in imported if m.startswith("portal.") and imports_web(m)]
    followed: set[str] = set()
    while pending := [m for m in sys.modules if m.startswith("portal.") and m not in followed]:
        for name in pending:
            followed.add(name)
            for target in imports_in_functions(name):
                importlib.import_module(target)
    return {"imported": imported, "reached": sorted(sys.modules), "web": web}


if __name__ == "__main__":
    print(json.dumps(graph(sys.argv[1])))
