"""The indicators of CCTP 4.3, in one place: their definitions and their computation, per
operator, per site and for the nation, over months and semesters.

`compute(session, periods, ...)` runs SQL aggregates only (grouped by operator, site, kind
and month, or by a CASE over periods that do not overlap), loaded once per call: the number
of statements does not grow with the number of periods or operators. One module per family:
`orders` (1.x–5.x), `profiles` (2.3, 2.4), `journeys` (6.x, 8.6), `quality` (8.1, 8.2, 8.4,
8.7). 7.x, 8.3 and 8.5 are defined but never computed (their data are not in the portal).

Figures per site (`by_site`) exist where a site makes sense — the dossier's site for units,
the first appointment's site for 8.4: 3, 6.x, 8.2, 8.4, 8.6. The others are per lot only
(orders and populations are the lot's, a UO0 contact, a survey or a complaint has no site);
`Definition.by_site` says which.

`snapshots(session, period)` reads what the monthly job (`flask cep indicators`) stored: each
figure's latest revision with the earlier ones. `reported_figures(session, periods, ...)`
gives the figures as `compute` does, read from those snapshots in one statement, computing
now only the periods never stored (the steering views read it).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from portal.reporting.indicators import journeys, orders, profiles, quality
from portal.reporting.indicators.catalogue import BY_NUMBER, DEFINITIONS, unit_of
from portal.reporting.indicators.definitions import WITHIN_30, Definition
from portal.reporting.indicators.figures import Figure, load_context, national
from portal.reporting.indicators.periods import Period, last_months
from portal.reporting.indicators.snapshots import Revision, SnapshotRow, snapshots
from portal.reporting.indicators.sources import Sources
from portal.reporting.indicators.stored import Reported, StoredFigure, reported_figures

COMPUTED = tuple(d.number for d in DEFINITIONS if d.computed)


def compute(
    session: Session,
    periods: Sequence[Period],
    *,
    operator_ids: Sequence[int] | None = None,
    by_site: bool = False,
    numbers: Sequence[str] | None = None,
) -> list[Figure]:
    """The figures of each period and indicator asked (all computed ones when `numbers` is
    None): one per operator (every operator when `operator_ids` is None, and then the
    nation's too, `operator_id` None), and one per site of each operator when `by_site`
    (for the indicators meaningful per site). Indicators never computed are skipped."""
    if numbers is not None:
        unknown = set(numbers) - set(BY_NUMBER)
        if unknown:
            raise ValueError(f"unknown indicators: {', '.join(sorted(unknown))}")
    wanted = set(COMPUTED if numbers is None else numbers) & set(COMPUTED)
    if not periods or not wanted:
        return []
    context = load_context(session, periods, operator_ids, by_site)
    if not context.operators:
        return []
    sources = Sources(context, wanted)
    result: list[Figure] = []
    for family in (orders, profiles, journeys, quality):
        result.extend(family.figures(sources))
    if not context.named:
        result.extend(national(result))
    order = {number: i for i, number in enumerate(BY_NUMBER)}
    result.sort(
        key=lambda f: (
            f.period.start,
            f.period.kind,
            order[f.number],
            f.category or "",
            f.operator_id is not None,
            context.operators.get(f.operator_id or 0, 0),
            f.operator_id or 0,
            f.site_id is not None,
            f.site_id or 0,
        )
    )
    return result


__all__ = [
    "BY_NUMBER",
    "COMPUTED",
    "DEFINITIONS",
    "WITHIN_30",
    "Definition",
    "Figure",
    "Period",
    "Reported",
    "Revision",
    "SnapshotRow",
    "StoredFigure",
    "compute",
    "last_months",
    "reported_figures",
    "snapshots",
    "unit_of",
]
