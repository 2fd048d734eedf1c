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


# The wall clock read past portal.clock: a test that does sees another « now » than the views
# (frozen by the `clock` fixture), and passes or fails with the day and hour it runs.
WALL_CLOCK_METHODS = {"now", "utcnow", "today"}
# Path (from the repository root) -> why it may read the wall clock. Keep it empty if you can.
WALL_CLOCK_ALLOWED: dict[str, str] = {}


def _datetime_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names a module binds to the `datetime` module, and to its date/datetime classes."""
    modules, classes = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == "datetime"}
        elif isinstance(node, ast.ImportFrom) and node.module == "datetime":
            classes |= {a.asname or a.name for a in node.names if a.name in ("date", "datetime")}
    return modules, classes


def _wall_clock_reads(path: Path, root: Path = TESTS.parent) -> list[str]:
    """Calls such as `datetime.now(UTC)`, `date.today()`, `datetime.datetime.utcnow()`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, classes = _datetime_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WALL_CLOCK_METHODS
        ):
            continue
        owner = node.func.value
        if (isinstance(owner, ast.Name) and owner.id in classes) or (
            isinstance(owner, ast.Attribute)
            and owner.attr in ("date", "datetime")
            and isinstance(owner.value, ast.Name)
            and owner.value.id in modules
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_test_reads_the_wall_clock() -> None:
    # Read portal.clock (`now()`, `today_in_france()`) or the `clock` fixture instead.
    found = [
        hit
        for path in sorted(TESTS.rglob("*.py"))
        if str(path.relative_to(TESTS.parent)) not in WALL_CLOCK_ALLOWED
        for hit in _wall_clock_reads(path)
    ]
    assert found == []


def test_the_wall_clock_check_sees_every_spelling(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\nfrom datetime import UTC, date, datetime as DT\n"
        "from portal import clock\n"
        "def f(frozen):\n"
        "    a = DT.now(UTC)\n    b = date.today()\n    c = dt.datetime.utcnow()\n"
        "    d = clock.now()\n    e = frozen.now\n    g = date(2026, 12, 4)\n"
        "    return dt.date.today(), a, b, c, d, e, g\n",
        encoding="utf-8",
    )
    found = _wall_clock_reads(sample.resolve(), root=tmp_path)
    assert found == ["sample.py:5", "sample.py:6", "sample.py:7", "sample.py:11"]
