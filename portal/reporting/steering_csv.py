"""The steering views' CSV (issue 15 §3): every figure of a table on its own line, with the
codes and labels of its lot, site and indicator, its numerator, denominator and value, the
revision stored (empty when computed now) and when it was computed (Paris time). For
French spreadsheets, as every export of the portal (`reporting.exports`): UTF-8 with a
byte-order mark, `;` between fields, a decimal comma and rates in per cent."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _

from portal.clock import PARIS
from portal.reporting.exports import BOM
from portal.reporting.steering_forms import period_name
from portal.reporting.steering_tables import Column, SteeringTable, Value
from portal.reporting.steering_trends import Trend
from portal.reporting.texts import Cell, Kind


def _headers() -> list[str]:
    return [
        _("Tableau"),
        _("Période"),
        _("Code opérateur"),
        _("Lot"),
        _("Région"),
        _("Site"),
        _("Indicateur"),
        _("Libellé"),
        _("Catégorie"),
        _("Numérateur"),
        _("Dénominateur"),
        _("Valeur"),
        _("Unité"),
        _("Remarque"),
        _("Révision"),
        _("Calculé le"),
    ]


def _line(
    table: str, column: Column, value: Value, place: tuple[str, str, str, str], now: datetime
) -> list[str]:
    figure = value.figure
    stored = value.stored
    at = now if stored is None else stored.computed_at
    period = figure.period if figure is not None else None
    code, lot, region, site = place
    return [
        table,
        period.key if period is not None else "",
        code,
        lot,
        region,
        site,
        column.definition.number,
        str(column.definition.label),
        column.category or "",
        "" if figure is None else Cell(figure.numerator, Kind.COUNT).for_csv(),
        "" if figure is None else Cell(figure.denominator, Kind.COUNT).for_csv(),
        value.cell.for_csv(),
        column.unit_name + (" (%)" if column.unit in ("rate", "change") else ""),
        value.reason or "",
        "" if stored is None else str(stored.revision),
        "" if figure is None else at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M"),
    ]


def steering_csv(tables: Sequence[SteeringTable], trends: Sequence[Trend], now: datetime) -> str:
    """`now`: when the figures not stored were computed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_headers())
    for table in tables:
        title = f"{table.title} ({period_name(table.period)})"
        for row in table.rows:
            lot = _("National") if row.nation else (row.label if not row.site else "")
            site = row.label if row.site else ""
            for column, value in zip(table.columns, row.values, strict=True):
                where = (row.code, lot, row.region, site)
                writer.writerow(_line(title, column, value, where, now))
    for trend in trends:
        title = str(_("Tendance : %(label)s", label=trend.column.label))
        for place, values in trend.series:
            lot = _("National") if place.operator_id is None else place.label
            for value in values:
                writer.writerow(
                    _line(title, trend.column, value, (place.code, lot, place.region, ""), now)
                )
    return BOM + out.getvalue()


__all__ = ["steering_csv"]
