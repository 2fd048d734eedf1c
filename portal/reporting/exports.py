"""CSV exports. One layout for every report: the long format, one figure per line
(« Rubrique ; Élément ; Mesure ; Valeur »), which a spreadsheet pastes as is, filters by
section and turns into a pivot table; the first lines say which year and lot.

For French spreadsheets (LibreOffice, Excel in French): UTF-8 with a byte-order mark (so the
accents open right), `;` between fields (the comma is the decimal separator), a decimal comma
and shares in per cent (`Cell.for_csv`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from portal.reporting.texts import Table

BOM = "\ufeff"


def long_csv(
    headers: Sequence[str], preamble: Sequence[tuple[str, str, str]], tables: Sequence[Table]
) -> str:
    """`headers`: the four column names; `preamble`: (section, element, value) lines about the
    report itself (its year, its lot); then every table's cells, row by row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for section, element, value in preamble:
        writer.writerow([section, element, "", value])
    for table in tables:
        measures = table.headers[1:]
        for row_label, cells in table.rows:
            for measure, cell in zip(measures, cells, strict=True):
                writer.writerow([table.title, row_label, measure, cell.for_csv()])
    return BOM + out.getvalue()


__all__ = ["BOM", "long_csv"]
