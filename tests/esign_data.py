"""A livrable printed, signed on paper by both, scanned and closed: sealed by esign."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from portal.advisor.models import UnitKind
from portal.livrables.models import LivrableVersion
from portal.livrables.signing import attach_scan, complete_if_signed, freeze_for_signature
from portal.network.models import StaffMember
from tests.unit.test_signing import PDF, livrable_of, noon, sign_both
from tests.workspace_data import engaged


def signed_version(session: Session, advisor: StaffMember, today: date) -> LivrableVersion:
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
    )
    version = freeze_for_signature(
        session, livrable_of(session, unit), by=advisor, now=noon(today - timedelta(days=1))
    )
    sign_both(session, version, advisor, today, today)
    attach_scan(session, version, filename="scan.pdf", data=PDF, by=advisor)
    assert complete_if_signed(session, version.livrable, by=advisor, today=today)
    return version
