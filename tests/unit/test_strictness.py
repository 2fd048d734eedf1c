"""The suite's own guard: a test that asserts nothing fails, one that asserts passes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

SAMPLE = """
import pytest


def _check(value):
    assert value == 1


def _nothing(value):
    return value


def test_asserts():
    assert 1 + 1 == 2


def test_raises():
    with pytest.raises(ZeroDivisionError):
        1 / 0


def test_through_a_helper():
    _check(1)


def assert_positive(value):
    assert value > 0


def test_through_an_assert_helper():
    assert_positive(3)


def test_silent():
    _nothing(2)


@pytest.mark.parametrize("n", [1, 2])
def test_silent_parametrized(n):
    n + 1
"""


def test_a_test_without_any_assertion_fails_and_says_why(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["tests.strictness"]')
    pytester.makepyfile(test_sample=SAMPLE)
    # In process, without the browser plugins of the outer run (they nest their own scopes).
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:base_url"
    )
    result.assert_outcomes(passed=4, errors=3)
    result.stdout.fnmatch_lines(["*test_silent asserts nothing*"])
    assert "test_asserts asserts nothing" not in result.stdout.str()


# date.today(), datetime.now(), datetime.utcnow(), time.time(), time.monotonic(), and the
# portal's own today_in_france(), utcnow(), now() — not the time(9, 30) constructor.
CLOCK_METHODS = {"today", "now", "utcnow", "time", "monotonic"}
CLOCK_FUNCTIONS = {"today_in_france", "utcnow", "now"}


def _reads_the_clock(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr == "time":
            return isinstance(func.value, ast.Name) and func.value.id == "time"
        return func.attr in CLOCK_METHODS
    return isinstance(func, ast.Name) and func.id in CLOCK_FUNCTIONS


def _module_level_clock_reads(path: Path, root: Path = TESTS.parent) -> list[str]:
    """Calls that read the clock when the module is imported (outside any function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and _reads_the_clock(node):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_test_module_reads_the_clock_at_import() -> None:
    # A date computed at import is stale when the run crosses midnight: use the clock fixture.
    found = [hit for path in sorted(TESTS.rglob("*.py")) for hit in _module_level_clock_reads(path)]
    assert found == []


def test_the_clock_check_sees_a_module_level_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import time\nfrom datetime import date, datetime, time as t\n"
        "TODAY = date.today()\nSTARTED = time.time()\nNINE = t(9, 30)\n"
        "NOON = datetime(2026, 12, 4, 12)\n",
        encoding="utf-8",
    )
    found = _module_level_clock_reads(sample.resolve(), root=tmp_path)
    assert found == ["sample.py:3", "sample.py:4"]
