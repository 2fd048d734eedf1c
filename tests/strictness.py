"""A pytest plugin: a test that asserts nothing fails.

A test passes when nothing it checks goes wrong; one that checks nothing passes whatever the
code does. Each collected test function is read (its source, and the module's own helper
functions it calls, followed through): it must contain an `assert`, a Playwright `expect(...)`,
a `pytest.raises`/`pytest.warns`/`pytest.fail`, or call a helper named `assert_*`.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

ASSERTING_CALLS = {"expect", "raises", "warns", "fail", "deprecated_call"}
_no_assertion = pytest.StashKey[str]()


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _helpers(module: ModuleType | None) -> dict[str, Callable[..., Any]]:
    if module is None:
        return {}
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__
    }


def asserts_something(
    function: Callable[..., Any], helpers: dict[str, Callable[..., Any]], seen: set[str]
) -> bool:
    """Whether the function's body (or a module helper it calls) can make a test fail."""
    try:
        source = textwrap.dedent(inspect.getsource(inspect.unwrap(function)))
    except (OSError, TypeError):
        return True  # no source to read (a generated test): give it the benefit of the doubt
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            return True
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name is None:
            continue
        if name in ASSERTING_CALLS or name.startswith("assert_"):
            return True
        if name in helpers and name not in seen:
            seen.add(name)
            if asserts_something(helpers[name], helpers, seen):
                return True
    return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    verdicts: dict[Callable[..., Any], bool] = {}
    for item in items:
        function = getattr(item, "function", None)
        if function is None:
            continue
        if function not in verdicts:
            module = getattr(item, "module", None)
            verdicts[function] = asserts_something(function, _helpers(module), set())
        if not verdicts[function]:
            item.stash[_no_assertion] = item.nodeid


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _no_assertion in item.stash:
        pytest.fail(
            f"{item.nodeid} asserts nothing: add an assert, an expect(...) or a "
            "pytest.raises, so that the test can fail when the behaviour breaks",
            pytrace=False,
        )
