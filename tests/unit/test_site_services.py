"""Changes to a site through `network.services`, on the demo network (rolled back)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.network import services
from portal.network.errors import SiteError, SiteErrorCode
from portal.network.models import Operator, Site, SiteKind


def demo_site(session: Session, lot: str = "10") -> Site:
    site = session.scalars(
        select(Site)
        .join(Operator)
        .where(Operator.code == lot, Site.kind == SiteKind.AGENCE)
        .order_by(Site.id)
    ).first()
    assert site is not None
    return site


def sunday(site: Site) -> list[tuple[time, time]]:
    return [(h.opens, h.closes) for h in site.hours if h.weekday == 6]


def test_adjoining_ranges_merge_and_overlapping_ones_are_refused(session: Session) -> None:
    site = demo_site(session)
    version = site.version
    services.add_opening_hours(session, site, weekday=6, opens=time(9), closes=time(12))
    services.add_opening_hours(session, site, weekday=6, opens=time(14), closes=time(17))
    # 12:00-14:00 joins both: one range that now covers the midday window.
    merged = services.add_opening_hours(session, site, weekday=6, opens=time(12), closes=time(14))
    assert (merged.opens, merged.closes) == (time(9), time(17))
    assert sunday(site) == [(time(9), time(17))]
    with pytest.raises(SiteError) as overlap:
        services.add_opening_hours(session, site, weekday=6, opens=time(16), closes=time(18))
    assert overlap.value.code is SiteErrorCode.HOURS_OVERLAP
    assert overlap.value.params == {"weekday": 6, "opens": time(9), "closes": time(17)}
    with pytest.raises(SiteError) as empty:
        services.add_opening_hours(session, site, weekday=6, opens=time(18), closes=time(18))
    assert empty.value.code is SiteErrorCode.HOURS_EMPTY
    session.refresh(site)
    assert site.version == version + 3


def test_closures_are_checked_and_removing_a_foreign_one_is_not_found(session: Session) -> None:
    site = demo_site(session)
    today = date(2027, 6, 1)
    with pytest.raises(SiteError) as backwards:
        services.add_closure(
            session,
            site,
            starts_on=date(2027, 7, 10),
            ends_on=date(2027, 7, 1),
            reason="",
            today=today,
        )
    assert backwards.value.code is SiteErrorCode.CLOSURE_RANGE
    with pytest.raises(SiteError) as past:
        services.add_closure(
            session,
            site,
            starts_on=date(2027, 5, 1),
            ends_on=date(2027, 5, 2),
            reason="",
            today=today,
        )
    assert past.value.code is SiteErrorCode.CLOSURE_PAST
    closure = services.add_closure(
        session,
        site,
        starts_on=date(2027, 8, 2),
        ends_on=date(2027, 8, 6),
        reason=" Travaux ",
        today=today,
    )
    assert closure.reason == "Travaux"
    other = demo_site(session, lot="16")
    with pytest.raises(SiteError) as foreign:
        services.remove_closure(session, other, closure.id)
    assert foreign.value.code is SiteErrorCode.NOT_FOUND
    services.remove_closure(session, site, closure.id)
    assert closure not in site.closures


def test_details_keep_the_official_commune_name_and_nothing_changed_keeps_the_version(
    session: Session,
) -> None:
    site = demo_site(session)
    details = services.SiteDetails.of(site)
    assert not services.update_site(session, site, details)
    typed = services.SiteDetails(
        **{**vars_of(details), "commune_name": details.commune_name.upper()}
    )
    assert not services.update_site(session, site, typed)  # same place, same name once read
    with pytest.raises(SiteError) as none:
        services.update_site(
            session,
            site,
            services.SiteDetails(
                **{
                    **vars_of(details),
                    "offers_presentiel": False,
                    "offers_telephone": False,
                    "offers_visio": False,
                }
            ),
        )
    assert none.value.code is SiteErrorCode.NO_MODALITY


def vars_of(details: services.SiteDetails) -> dict[str, object]:
    return {name: getattr(details, name) for name in services.SiteDetails.__dataclass_fields__}


def test_the_filter_ignores_accents_case_and_matches_postal_codes(session: Session) -> None:
    sites = services.operator_sites(session, demo_site(session).operator_id)
    assert [s.commune_name for s in services.filter_sites(sites, "QUIMPERLE")] == ["Quimperlé"]
    assert "Quimper" in [s.commune_name for s in services.filter_sites(sites, "quimper")]
    assert services.filter_sites(sites, "  ") == sites
    assert all(s.postal_code.startswith("29") for s in services.filter_sites(sites, "29"))
