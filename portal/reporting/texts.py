"""The words of the reports: the annual report laid out as tables (each with its chart), read
by the page and by the CSV alike, so that both always show the same figures. Web layer (it
translates); the figures come from `mediation_report`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from portal.mediation.models import Outcome
from portal.reporting.charts import Bar, bar_chart
from portal.reporting.mediation_report import DelayFigures, MediationReport
from portal.satisfaction.indicators import Semester


class Kind(StrEnum):
    COUNT = "count"
    DAYS = "days"
    SHARE = "share"  # from 0 to 1


@dataclass(frozen=True, slots=True)
class Cell:
    value: float | None
    kind: Kind = Kind.COUNT

    def shown(self) -> str:
        """As the page shows it, in the person's language."""
        if self.value is None:
            return "—"
        if self.kind == Kind.SHARE:
            return str(format_percent(self.value, "#,##0.# %"))
        return str(format_decimal(self.value, "#,##0.#"))

    def for_csv(self) -> str:
        """As a French spreadsheet reads a number: a decimal comma, a share in per cent,
        no thousands separator; empty when there is no figure."""
        if self.value is None:
            return ""
        value = self.value * 100 if self.kind == Kind.SHARE else self.value
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.1f}".replace(".", ",")


@dataclass(slots=True)
class Table:
    id: str
    title: str
    headers: list[str]  # the first names the row headers' column
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    chart: Markup | None = None
    note: str | None = None


OUTCOME_LABELS: dict[Outcome, Callable[[], str]] = {
    Outcome.RECOMMENDATION: lambda: _("Recommandation"),
    Outcome.SETTLEMENT: lambda: _("Transaction"),
    Outcome.NONE: lambda: _("Sans suite"),
}


def semester_name(semester: Semester) -> str:
    if semester.half == 1:
        return str(_("1er semestre %(year)d", year=semester.year))
    return str(_("2e semestre %(year)d", year=semester.year))


def report_tables(report: MediationReport, motive_label: Callable[[str], str]) -> list[Table]:
    """The report's blocks, in the order of CCTP 3.7's annual report."""
    referrals = Table(
        "referrals",
        _("Saisines reçues et recevabilité"),
        [_("Saisines"), _("Nombre")],
        [
            (_("Saisines reçues dans l'année"), [Cell(report.referrals)]),
            (_("Recevables"), [Cell(report.admissible)]),
            (_("Non recevables"), [Cell(report.not_admissible)]),
            (_("En attente de décision"), [Cell(report.pending)]),
        ],
    )
    reasons = Table(
        "reasons",
        _("Motifs de non-recevabilité"),
        [_("Motif donné par le médiateur"), _("Saisines")],
        [(text or _("(sans motif écrit)"), [Cell(n)]) for text, n in report.reasons],
        note=_("Les motifs rédigés à l'identique sont regroupés."),
    )
    motives = Table(
        "motives",
        _("Motifs des réclamations à l'origine des saisines"),
        [_("Motif de la réclamation"), _("Saisines")],
        [
            (motive_label(code) if code else _("Saisine sans réclamation préalable"), [Cell(n)])
            for code, n in report.motives
        ],
    )
    delays = Table(
        "delays",
        _("Délais (en jours calendaires)"),
        [
            _("Délai"),
            _("Nombre"),
            _("Médiane"),
            _("Moyenne"),
            _("Maximum"),
            _("Part dans le délai du CCTP"),
            _("Encore en attente"),
        ],
        [
            (
                _(
                    "Réception de la réclamation → accusé de réception (%(days)s jours)",
                    days=report.acknowledgement.limit,
                ),
                _delay(report.acknowledgement),
            ),
            (
                _(
                    "Réception de la réclamation → réponse (%(days)s jours)",
                    days=report.answer.limit,
                ),
                _delay(report.answer),
            ),
            (_("Saisine du médiateur → issue"), _delay(report.outcome_delay)),
        ],
        note=_(
            "Les deux premiers délais portent sur les %(count)d réclamations reçues dans "
            "l'année par l'opérateur, saisies ou non ; le troisième sur les saisines "
            "recevables de l'année.",
            count=report.complaints,
        ),
    )
    outcomes = Table(
        "outcomes",
        _("Issues des saisines recevables"),
        [_("Issue"), _("Acceptée"), _("Non acceptée"), _("Sans objet"), _("Total")],
        [
            (
                OUTCOME_LABELS[o.outcome](),
                [Cell(o.accepted), Cell(o.refused), Cell(o.unstated), Cell(o.total)],
            )
            for o in report.outcomes
        ],
    )
    tables = [referrals, reasons, motives, delays, outcomes]
    for table in (referrals, reasons, motives, outcomes):
        rows = table.rows[1:] if table is referrals else table.rows
        table.chart = _chart(table.id, table.title, [(label, cells[-1]) for label, cells in rows])
    delays.chart = _chart(
        "delays", _("Délai médian, en jours"), [(label, cells[1]) for label, cells in delays.rows]
    )
    return tables


def _delay(figures: DelayFigures) -> list[Cell]:
    return [
        Cell(figures.count),
        Cell(figures.median, Kind.DAYS),
        Cell(figures.mean, Kind.DAYS),
        Cell(figures.max, Kind.DAYS),
        Cell(figures.share_within, Kind.SHARE),
        Cell(figures.waiting),
    ]


def _chart(chart_id: str, title: str, rows: Sequence[tuple[str, Cell]]) -> Markup | None:
    if not rows:
        return None
    return bar_chart(
        f"chart-{chart_id}",
        title,
        [Bar(label, cell.value or 0, cell.shown()) for label, cell in rows],
    )


__all__ = ["Cell", "Kind", "Table", "report_tables", "semester_name"]
