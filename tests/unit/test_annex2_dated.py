"""A unit's Annex 2 data corrected or closed later sends its dossier again that day (issue 15
§4): `unit.data_updated_at`, stamped by `update_unit_data` and by every closure.

Operator 16, UO2.1 engaged on Monday 3 March 2025 (D) at 09:00, Paris time (UTC+1). Its
complementary services are corrected on Saturday 8 March (D+5) at 15:30; nothing happens on
D+4. The expected rows are written out here, not recomputed.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from portal.advisor.closing import close_expired_units, close_unit
from portal.advisor.models import ClosureKind, Unit, UnitKind
from portal.advisor.unit_work import update_unit_data
from portal.clock import PARIS
from portal.reporting.annex2 import Period, stream_rows
from portal.reporting.annex2_files import encode, targets
from tests import workspace_data as ws
from tests.conftest import FrozenClock
from tests.unit.test_annex2 import paris, row

D = date(2025, 3, 3)


def rows_on(session: Session, day: date) -> list[dict[str, str]]:
    ids = [t.id for t in targets(session, "16")]
    return list(stream_rows(session, Period(day, day), ids))


@pytest.fixture
def unit(session: Session, clock: FrozenClock) -> Unit:
    ws.ensure_orders(session, "16", (2025,))
    advisor = ws.staff(session, "16")
    clock.set(paris(3, 9))
    return ws.engaged(session, advisor, UnitKind.UO21, engaged_on=D, today=D)


def test_services_corrected_on_a_later_day_send_the_dossier_that_day(
    session: Session, clock: FrozenClock, unit: Unit
) -> None:
    clock.set(paris(8, 15, 30))
    update_unit_data(session, unit, {"prestations": ["bilan_competences", "vae"]})

    assert rows_on(session, date(2025, 3, 7)) == []  # D+4: nothing changed
    assert rows_on(session, date(2025, 3, 8)) == [
        row(
            unit,
            "16",
            date="2025-03-08",
            heure="15:30:00",
            timestamp="1741444200",
            uo="UO2.1",
            date_engagement="2025-03-03",
            prestations="bilan_competences|vae",
        )
    ]
    first = b"".join(encode(iter(rows_on(session, date(2025, 3, 8))), "csv"))
    assert first == b"".join(encode(iter(rows_on(session, date(2025, 3, 8))), "csv"))


def test_saving_the_same_values_again_dates_nothing(
    session: Session, clock: FrozenClock, unit: Unit
) -> None:
    clock.set(paris(8, 15, 30))
    update_unit_data(session, unit, {"prestations": ["vae"]})
    clock.set(paris(10, 11))
    update_unit_data(session, unit, {"prestations": ["vae"], "origine": "individuelle"})
    assert rows_on(session, date(2025, 3, 10)) == []
    assert [r["prestations"] for r in rows_on(session, date(2025, 3, 8))] == ["vae"]


def test_a_closure_recorded_days_after_the_signature_is_sent_the_day_it_is_recorded(
    session: Session, clock: FrozenClock, unit: Unit
) -> None:
    clock.set(paris(9, 10))  # a paper signature of the 5th, come back on Sunday the 9th
    close_unit(
        session,
        unit,
        kind=ClosureKind.SIGNED,
        closed_on=date(2025, 3, 5),
        reason="objectif_atteint",
        today=date(2025, 3, 9),
    )
    assert rows_on(session, date(2025, 3, 9)) == [
        row(
            unit,
            "16",
            date="2025-03-09",
            heure="10:00:00",
            timestamp="1741510800",
            uo="UO2.1",
            date_engagement="2025-03-03",
            date_cloture="2025-03-05",
            motif_cloture="objectif_atteint",
        )
    ]


def test_an_abandon_closed_the_next_morning_is_sent_that_morning(
    session: Session, clock: FrozenClock, unit: Unit
) -> None:
    assert unit.deadline == date(2025, 9, 3)
    clock.set(datetime(2025, 9, 4, 4, tzinfo=PARIS))  # `close-expired`, from cron
    assert unit.id in [u.id for u in close_expired_units(session, today=date(2025, 9, 4))]
    [found] = rows_on(session, date(2025, 9, 4))
    assert found == row(
        unit,
        "16",
        date="2025-09-04",
        heure="04:00:00",
        timestamp="1756951200",
        uo="UO2.1",
        date_engagement="2025-03-03",
        date_cloture="2025-09-03",
        motif_cloture="abandon",
    )
