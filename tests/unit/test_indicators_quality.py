"""Indicators 2.3, 2.4 and 8.x on a small hand-built network: expected figures counted by
hand from the rows below."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from portal.advisor.models import ClosureKind, UnitKind
from portal.mediation.referrals import refer_to_mediator
from portal.network.models import Modality, StaffMember, StaffRole
from portal.reporting.indicators import WITHIN_30, Figure, Period, compute
from tests import indicator_data as data
from tests.mediation_data import at, letter

MARCH = Period.parse("2031-03")
S1 = Period.parse("2031-S1")
UO1, UO21, UO22 = UnitKind.UO1, UnitKind.UO21, UnitKind.UO22
SIGNED, REQUESTED = ClosureKind.SIGNED, ClosureKind.REQUESTED


def net(session: Session) -> data.Net:
    za = data.network(session, "ZA")
    for kind in UnitKind:
        za.order(kind, 2031, 100, date(2031, 1, 2))
    return za


def values(
    figures: list[Figure], number: str
) -> dict[tuple[int | None, str | None], tuple[object, ...]]:
    return {
        (f.site_id, f.category): (f.numerator, f.denominator, f.value)
        for f in figures
        if f.number == number
    }


def test_recourse_by_social_category_and_status(session: Session) -> None:
    za = net(session)
    data.population(session, 2031, active=20_000, cep=10_000)
    a = za.unit(UO1, date(2031, 3, 2), closed_on=date(2031, 3, 19), closure=SIGNED)
    data.profile(a, categorie_sociale="ouvrier", statut="cdi")
    # the same person's UO2.1 in the same dossier: one beneficiary
    za.unit(UO21, date(2031, 3, 20), dossier=a.dossier)
    b = za.unit(UO1, date(2031, 3, 5))
    data.profile(b, categorie_sociale="ouvrier", statut=None)
    za.unit(UO22, date(2031, 3, 6))  # no profile yet
    c = za.unit(UO1, date(2031, 2, 6))  # February: not in March
    data.profile(c, categorie_sociale="employe", statut="cdd")
    february = Period.parse("2031-02")
    both = compute(session, [february, MARCH], operator_ids=[za.id], numbers=["2.3", "2.4"])
    # a category seen in any period asked has its figure in each
    figures = [f for f in both if f.period == MARCH]
    assert values(figures, "2.3") == {
        (None, "employe"): (0, 10_000, 0.0),
        (None, "non_renseigne"): (1, 10_000, 0.0001),
        (None, "ouvrier"): (2, 10_000, 0.0002),
    }
    assert values(figures, "2.4") == {
        (None, "cdd"): (0, 10_000, 0.0),
        (None, "cdi"): (1, 10_000, 0.0001),
        (None, "non_renseigne"): (2, 10_000, 0.0002),
    }


def test_perceived_quality_over_the_semester(session: Session) -> None:
    za = net(session)
    closed = [
        za.unit(
            UO1, date(2031, 1, 5), closed_on=date(2031, day_month[0], day_month[1]), closure=SIGNED
        )
        for day_month in ((2, 1), (3, 1), (4, 1), (5, 1), (6, 30), (7, 1))
    ]
    data.survey(za, closed[0], quality=4, usefulness=3)  # positive
    data.survey(za, closed[1], quality=3, usefulness=2)  # not useful enough
    data.survey(za, closed[2], quality=None, usefulness=None)  # not answered
    data.survey(za, closed[3], quality=3, usefulness=4)  # positive
    data.survey(za, closed[4], quality=2, usefulness=4)  # not of quality enough
    data.survey(za, closed[5], quality=4, usefulness=4)  # July: the next semester
    figures = compute(session, [S1], operator_ids=[za.id], numbers=["8.1"])
    assert values(figures, "8.1") == {(None, None): (2, 4, 0.5)}


def test_diversity_of_services_per_type(session: Session) -> None:
    za = net(session)
    kw = {"closed_on": date(2031, 3, 10), "closure": REQUESTED}
    za.unit(UO21, date(2031, 2, 1), site=0, types_service=["pmsmp", "information"], **kw)  # type: ignore[arg-type]
    za.unit(UO22, date(2031, 2, 2), site=1, types_service=["information"], **kw)  # type: ignore[arg-type]
    za.unit(UO21, date(2031, 2, 3), site=1, types_service=[], **kw)  # type: ignore[arg-type]
    za.unit(UO1, date(2031, 2, 4), site=1, types_service=["pmsmp"], **kw)  # type: ignore[arg-type]  # a UO1: not counted
    figures = compute(session, [S1], operator_ids=[za.id], by_site=True, numbers=["8.2"])
    s0, s1 = (s.id for s in za.sites)
    assert values(figures, "8.2") == {
        (None, "information"): (2, 3, 2 / 3),
        (None, "pmsmp"): (1, 3, 1 / 3),
        (s0, "information"): (1, 1, 1.0),
        (s0, "pmsmp"): (1, 1, 1.0),
        (s1, "information"): (1, 2, 0.5),
        (s1, "pmsmp"): (0, 2, 0.0),
    }


def test_self_prescription(session: Session) -> None:
    za = net(session)
    kw = {"closed_on": date(2031, 3, 10), "closure": REQUESTED}
    za.unit(UO21, date(2031, 2, 1), prestations=["vae"], auto_prescription=True, **kw)  # type: ignore[arg-type]
    za.unit(UO21, date(2031, 2, 1), prestations=["vae", "formation"], auto_prescription=False, **kw)  # type: ignore[arg-type]
    za.unit(UO22, date(2031, 2, 1), prestations=["formation"], auto_prescription=True, **kw)  # type: ignore[arg-type]
    za.unit(UO22, date(2031, 2, 1), prestations=["aucune"], auto_prescription=True, **kw)  # type: ignore[arg-type]
    za.unit(UO22, date(2031, 2, 1), prestations=[], **kw)  # type: ignore[arg-type]
    figures = compute(session, [S1], operator_ids=[za.id], numbers=["8.6", "6.1"])
    assert values(figures, "8.6") == {(None, None): (2, 3, 2 / 3)}
    # every indicator asked is computed for every period asked: 6.1 over the semester too
    assert values(figures, "6.1") == {(None, None): (3, 5, 0.6)}


def test_delay_to_the_first_appointment_in_working_days(session: Session) -> None:
    za = net(session)
    # Tuesday 4 March → Friday 18 April 2031: 32 working days (Easter Monday, 14 April, is
    # a public holiday): past the 30
    data.request(za, date(2031, 3, 4), date(2031, 4, 18), site=0)
    # Monday 3 → Friday 7 March: 4 working days (the request's day not counted)
    data.request(za, date(2031, 3, 3), date(2031, 3, 7), site=1)
    # Wednesday 5 → Thursday 6 March by phone: 1 working day, in the lot's figure only
    data.request(za, date(2031, 3, 5), date(2031, 3, 6), site=None, modality=Modality.TELEPHONE)
    data.request(za, date(2031, 3, 6))  # still waiting: left out
    data.request(za, date(2031, 4, 1), date(2031, 4, 2))  # April: another month
    figures = compute(session, [MARCH], operator_ids=[za.id], by_site=True, numbers=["8.4"])
    s0, s1 = (s.id for s in za.sites)
    assert values(figures, "8.4") == {
        (None, None): (37, 3, 37 / 3),
        (None, WITHIN_30): (2, 3, 2 / 3),
        (s0, None): (32, 1, 32.0),
        (s0, WITHIN_30): (0, 1, 0.0),
        (s1, None): (4, 1, 4.0),
        (s1, WITHIN_30): (1, 1, 1.0),
    }


def test_complaints_followed_by_a_referral(session: Session) -> None:
    za = net(session)
    manager = StaffMember(
        operator_id=za.id,
        email="ind-manager@test.cep-demo.example",
        full_name="Gérante",
        role=StaffRole.MANAGER,
    )
    session.add(manager)
    session.flush()
    first = letter(session, manager, received_on=date(2031, 1, 6))
    letter(session, manager, received_on=date(2031, 2, 3))
    letter(session, manager, received_on=date(2031, 7, 1))  # the next semester
    refer_to_mediator(session, first, text=None, now=at(date(2031, 3, 3)), today=date(2031, 3, 3))
    figures = compute(session, [S1], operator_ids=[za.id], numbers=["8.7"])
    assert values(figures, "8.7") == {(None, None): (1, 2, 0.5)}
