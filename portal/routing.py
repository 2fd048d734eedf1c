"""Ids in URLs and query strings, bounded to what the database can hold.

Every primary key is an `integer` column: PostgreSQL refuses a parameter past 2³¹−1 in a
comparison with it ("integer out of range", a 500), and SQLite's driver raises OverflowError
past 2⁶³. An id outside 1 … 2³¹−1 names nothing, so the route answers 404 before any query.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# PostgreSQL `integer` (the type of every id column): 4 bytes, signed.
MIN_ID = 1
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive integer id within the column's range; anything else is 404."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, min=MIN_ID, max=MAX_ID)


def bounded_int(value: object, *, minimum: int = MIN_ID, maximum: int = MAX_ID) -> int | None:
    """A whole number read from a form or a query string, or None when it is not one, or
    is outside minimum … maximum (by default, the range of an id)."""
    text = str(value).strip() if value is not None else ""
    sign = -1 if text.startswith("-") else 1
    digits = text[1:] if sign < 0 else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(MAX_ID)):
        return None
    number = sign * int(digits)
    return number if minimum <= number <= maximum else None


def bounded_id(value: object) -> int | None:
    """An id read from a form or a query string, or None when it cannot name a row."""
    return bounded_int(value)
