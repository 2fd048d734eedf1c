"""Indicators 1.x–5.x and 6.x on a small hand-built network (tests/indicator_data.py): every
expected figure is counted by hand from the rows below and written as a literal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from portal.advisor.models import ClosureKind, UnitKind
from portal.reporting.indicators import Figure, Period, compute
from tests import indicator_data as data

MARCH = Period.parse("2031-03")
UO1, UO21, UO22 = UnitKind.UO1, UnitKind.UO21, UnitKind.UO22
SIGNED, REQUESTED, ABANDON = ClosureKind.SIGNED, ClosureKind.REQUESTED, ClosureKind.ABANDON


@pytest.fixture
def net(session: Session) -> data.Net:
    """Operator ZA: orders, UO0 contacts and units around March 2031 (see each line)."""
    za = data.network(session, "ZA")
    jan2, jan2030 = date(2031, 1, 2), date(2030, 1, 2)
    za.order(UnitKind.UO0, 2031, 100, jan2)
    za.order(UO1, 2031, 50, jan2)
    za.order(UO1, 2031, 30, date(2031, 4, 1))  # issued after March: not in March's figures
    za.order(UO21, 2031, 20, jan2)
    za.order(UO22, 2031, 10, jan2)
    za.order(UO1, 2030, 40, jan2030)
    za.order(UO21, 2030, 10, jan2030)
    za.contact(date(2030, 12, 1), numbered=True)  # last year: 5.1 only
    za.contact(date(2031, 1, 15), numbered=True)
    za.contact(date(2031, 3, 5), numbered=True)
    za.contact(date(2031, 3, 20), numbered=False)
    za.contact(date(2031, 4, 2), numbered=True)  # after March
    # site 0 / site 1
    za.unit(UO1, date(2031, 2, 10), site=0, closed_on=date(2031, 3, 10), closure=SIGNED)  # 28 d
    za.unit(UO1, date(2031, 3, 1), site=1)
    za.unit(UO1, date(2031, 1, 5), site=0, closed_on=date(2031, 3, 31), closure=ABANDON)
    u4 = za.unit(
        UO21,
        date(2031, 3, 2),
        site=0,
        closed_on=date(2031, 3, 22),
        closure=SIGNED,
        prestations=["bilan_competences"],
        auto_prescription=True,
    )  # 20 days
    za.unit(UO21, date(2031, 3, 3), site=1)
    u6 = za.unit(
        UO22,
        date(2031, 3, 4),
        site=1,
        closed_on=date(2031, 3, 14),
        closure=REQUESTED,
        prestations=["aucune"],
    )  # 10 days
    za.unit(UO1, date(2030, 3, 15), site=0, closed_on=date(2030, 9, 1), closure=SIGNED)
    za.unit(UO21, date(2030, 3, 20), site=1, closed_on=date(2030, 10, 1), closure=ABANDON)
    # u6's person comes back within three months; u4's does not
    back = za.person(
        email=session.get(type(u6.dossier.beneficiary), u6.dossier.beneficiary_id).email
    )  # type: ignore[union-attr]
    za.dossier(1, date(2031, 4, 20), who=back, reengagement_of=u6)
    assert u4.id
    data.population(session, 2030, active=200_000, cep=100_000)
    return za


def by_key(figures: list[Figure]) -> dict[tuple[str, int | None, str | None], float | None]:
    return {(f.number, f.site_id, f.category): f.value for f in figures}


def terms(figures: list[Figure], number: str, site: int | None = None) -> tuple[object, ...]:
    (found,) = [f for f in figures if f.number == number and f.site_id == site]
    return found.numerator, found.denominator, found.value


def test_engagements_against_the_current_orders(session: Session, net: data.Net) -> None:
    figures = compute(session, [MARCH], operator_ids=[net.id])
    assert {f.operator_id for f in figures} == {net.id}
    assert terms(figures, "1.1") == (3, 100, 0.03)  # Jan 15, Mar 5, Mar 20
    assert terms(figures, "1.2") == (3, 50, 0.06)  # Jan 5, Feb 10, Mar 1
    assert terms(figures, "1.3") == (2, 20, 0.1)
    assert terms(figures, "1.4") == (1, 10, 0.1)


def test_recourse_and_its_development(session: Session, net: data.Net) -> None:
    figures = compute(session, [MARCH], operator_ids=[net.id], by_site=True)
    assert terms(figures, "2.1") == (2, 200_000, 0.00001)  # March's contacts, 2030 census
    assert terms(figures, "2.2") == (4, 100_000, 0.00004)  # UO1 + UO2 engaged in March
    assert terms(figures, "3") == (4, 2, 1.0)  # March 2031 against March 2030
    s0, s1 = (s.id for s in net.sites)
    assert terms(figures, "3", s0) == (1, 1, 0.0)
    assert terms(figures, "3", s1) == (3, 1, 2.0)
    assert not [f for f in figures if f.number == "1.2" and f.site_id is not None]


def test_closures_of_the_current_and_of_all_orders(session: Session, net: data.Net) -> None:
    figures = compute(session, [MARCH], operator_ids=[net.id])
    assert terms(figures, "4.1") == (2, 100, 0.02)
    assert terms(figures, "4.2") == (2, 50, 0.04)  # signed and abandoned alike
    assert terms(figures, "4.3") == (1, 20, 0.05)
    assert terms(figures, "4.4") == (1, 10, 0.1)
    assert terms(figures, "5.1") == (3, 100, 0.03)
    assert terms(figures, "5.2") == (3, 90, 3 / 90)
    assert terms(figures, "5.3") == (2, 30, 2 / 30)
    assert terms(figures, "5.4") == (1, 10, 0.1)


def test_journeys(session: Session, net: data.Net) -> None:
    figures = compute(session, [MARCH], operator_ids=[net.id], by_site=True)
    s0, s1 = (s.id for s in net.sites)
    assert terms(figures, "6.1") == (1, 2, 0.5)  # « aucune » is no prestation
    assert terms(figures, "6.2") == (28, 1, 28.0)  # the abandon left out
    assert terms(figures, "6.3") == (20, 1, 20.0)
    assert terms(figures, "6.4") == (10, 1, 10.0)
    assert terms(figures, "6.5") == (1, None, 1)
    assert terms(figures, "6.5", s0) == (1, None, 1)
    assert terms(figures, "6.5", s1) == (0, None, 0)
    assert terms(figures, "6.6") == (0, None, 0)
    assert terms(figures, "6.7") == (0, None, 0)
    assert terms(figures, "6.8") == (1, 2, 0.5)
    assert terms(figures, "6.8", s1) == (1, 1, 1.0)
    assert terms(figures, "8.6") == (1, 1, 1.0)


def test_a_semester_adds_its_months(session: Session, net: data.Net) -> None:
    figures = compute(
        session, [Period.parse("2031-S1"), MARCH], operator_ids=[net.id], numbers=["6.5", "6.2"]
    )
    semester = [f for f in figures if f.period.kind == "semester"]
    assert {(f.number, f.value) for f in semester} == {("6.5", 1), ("6.2", 28.0)}
    assert len(figures) == 4


def test_unknown_indicator_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match=r"9\.9"):
        compute(session, [MARCH], numbers=["9.9"])
