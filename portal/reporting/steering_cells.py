"""A figure's cell on the steering views (issue 15 §3): its value formatted in the person's
language, why there is none or that it is beyond the rule, the revisions of a stored figure,
and its HTML (`Value.td()`, built here rather than by a template macro: a lot's page has
thousands of cells)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern
from flask import g
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from portal.reporting.indicators import Figure, StoredFigure
from portal.reporting.texts import Cell, Kind

KINDS = {"rate": Kind.SHARE, "count": Kind.COUNT, "days": Kind.DAYS, "change": Kind.SHARE}


# The patterns parsed once (format_percent would parse them for each of a page's cells). A
# small share keeps its significant digits (1.x: a few UO1 against a year's order): « 0,04 % »,
# never a row of « 0 % ».
_PATTERNS = {
    (unit, digits): parse_pattern(text.replace("0.#", f"0.{digits}"))
    for unit, text in (("change", "+#,##0.# %;-#,##0.# %"), ("rate", "#,##0.# %"))
    for digits in ("#", "##", "###")
}
_DECIMAL = parse_pattern("#,##0.#")


@lru_cache(maxsize=4096)
def _formatted(value: float, unit: str, locale: Locale) -> str:
    size = abs(value)
    digits = "###" if 0 < size < 0.001 else "##" if 0 < size < 0.01 else "#"
    return str(_PATTERNS.get((unit, digits), _DECIMAL).apply(value, locale))


def _texts() -> dict[str, str]:
    """The cells' words, translated once per request (a page has thousands of cells)."""
    texts: dict[str, str] | None = g.get("steering_texts")
    if texts is None:
        texts = g.steering_texts = {
            "none": str(_("non calculé")),
            "empty": str(_("aucun cas sur la période")),
            "below": str(_("sous le seuil")),
        }
    return texts


def formatted(value: float | None, unit: str) -> str:
    """A figure as the page shows it, in the person's language; « — » without one."""
    if value is None:
        return "—"
    return _formatted(value, unit, get_locale())


@dataclass(frozen=True, slots=True)
class Value:
    figure: Figure | None
    unit: str
    below: bool = False  # beyond the contract's rule or threshold
    stored: StoredFigure | None = None  # None: computed now (the month was never stored)

    @property
    def cell(self) -> Cell:
        return Cell(None if self.figure is None else self.figure.value, KINDS[self.unit])

    def shown(self, locale: Locale | None = None) -> str:
        value = None if self.figure is None else self.figure.value
        if value is None:
            return "—"
        return _formatted(value, self.unit, locale or get_locale())

    @property
    def reason(self) -> str | None:
        """Why there is no figure, or that it is beyond the rule."""
        if self.figure is None:
            return _texts()["none"]
        if self.figure.value is None:
            return _texts()["empty"]
        return _texts()["below"] if self.below else None

    def td(self, locale: Locale | None = None) -> Markup:
        """The figure's cell: its value, why there is none or that it is beyond the rule (in
        words, an arrow beside: not colour alone), each revision of a stored figure. Built
        here, not by a template macro: a lot's page has thousands of cells."""
        parts = ['<td class="num steer-below">' if self.below else '<td class="num">']
        parts.append(html.escape(self.shown(locale)))
        reason = self.reason
        if reason:
            mark = '<span aria-hidden="true">▼ </span>' if self.below else ""
            parts.append(f'<br><span class="steer-reason">{mark}{html.escape(reason)}</span>')
        for note in self.revisions():
            parts.append(f'<br><small class="steer-revision">{html.escape(note)}</small>')
        parts.append("</td>")
        return Markup("".join(parts))  # noqa: S704 (every text above is escaped)

    def revisions(self) -> list[str]:
        """Each revision, oldest first (« révisé le 3 janv. 2027 : 12 → 13 »)."""
        if self.stored is None or not self.stored.earlier or self.figure is None:
            return []
        chain = [*self.stored.earlier]
        values = [r.value for r in chain] + [self.figure.value]
        dates = [r.computed_at for r in chain[1:]] + [self.stored.computed_at]
        return [
            str(
                _(
                    "révisé le %(day)s : %(old)s → %(new)s",
                    day=format_date(day, "d MMM y"),
                    old=formatted(old, self.unit),
                    new=formatted(new, self.unit),
                )
            )
            for day, old, new in zip(dates, values[:-1], values[1:], strict=True)
        ]


__all__ = ["KINDS", "Value", "formatted"]
