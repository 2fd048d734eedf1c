"""The retention purge (`flask cep purge`): a list of steps, each one batch at a time.

A step takes a session, the moment of the run and the batch size, changes at most one batch
of rows with guarded statements (a DELETE or UPDATE whose WHERE re-checks the condition, so a
second host running at the same time changes nothing twice) and returns how many rows it
changed. The command repeats a step until it returns less than a batch, committing after each
batch. Every step is idempotent: a second run changes nothing.

Why these steps:
- sign-in links are deleted a week after they were used or expired (a trace for support only);
- staff sign-in attempts, ended sessions and used staff links go after a month;
- e-mail bodies go a month after sending, their metadata stays (`mail.services`);
- people inactive past their retention period are pseudonymised, not deleted: the numbers
  of indicators and of the Annex 2 rows already sent must hold (see `erasure`);
- orientation contacts (UO0) hold nobody's data: nothing to purge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from portal.advisor.models import Dossier, Interaction, Unit, UnitStatus
from portal.auth.links import prune_staff_links
from portal.auth.services import prune_login_attempts
from portal.auth.sessions import prune_user_sessions
from portal.beneficiary.services import prune_sign_in_links
from portal.booking.models import Appointment, AppointmentRequest
from portal.mail.services import purge_sent_bodies
from portal.people.models import Beneficiary
from portal.privacy.erasure import PSEUDONYM_DOMAIN, pseudonymise
from portal.privacy.models import ErasureReason
from portal.satisfaction.models import Survey


@dataclass(frozen=True, slots=True)
class PurgeContext:
    now: datetime  # timezone-aware
    today: date  # the day in France
    settings: Mapping[str, Any]  # the application's config


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    run: Callable[[Session, PurgeContext, int], int]  # rows changed in this batch


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- Steps of this domain ---------------------------------------------------------------------


def delete_expired_sign_in_links(session: Session, ctx: PurgeContext, batch: int) -> int:
    """The space's sign-in links, a week after they were used or expired. One guarded
    DELETE (`beneficiary.services.prune_sign_in_links`): the batch size does not apply."""
    cutoff = ctx.now - timedelta(days=ctx.settings["RETENTION_SIGN_IN_LINK_DAYS"])
    return prune_sign_in_links(session, before=cutoff)


def pseudonymise_inactive_people(session: Session, ctx: PurgeContext, batch: int) -> int:
    """People (an address) with no activity since their retention period began: RETENTION_
    CONTACT_YEARS without a dossier, RETENTION_ACCOMPANIMENT_YEARS with one."""
    contact = years_before(ctx.today, ctx.settings["RETENTION_CONTACT_YEARS"])
    accompaniment = years_before(ctx.today, ctx.settings["RETENTION_ACCOMPANIMENT_YEARS"])
    addresses = session.scalars(inactive_addresses(contact, accompaniment).limit(batch)).all()
    erased = 0
    for address in addresses:
        ids = list(
            session.scalars(select(Beneficiary.id).where(func.lower(Beneficiary.email) == address))
        )
        record = pseudonymise(
            session,
            beneficiary_ids=ids,
            email=address,
            now=ctx.now,
            reason=ErasureReason.RETENTION,
            operator_id=None,
            by=None,
        )
        erased += 1 if record is not None else 0
    return erased


def inactive_addresses(contact: date, accompaniment: date) -> Any:
    """Addresses (lower-cased) whose every record is older than its retention period."""

    def recent(since: date) -> Any:
        b = aliased(Beneficiary)
        return select(func.lower(b.email)).where(_active_since(b, since))

    has_dossier = select(func.lower(Beneficiary.email)).join(
        Dossier, Dossier.beneficiary_id == Beneficiary.id
    )
    email = func.lower(Beneficiary.email)
    return (
        select(email)
        .where(
            not_(Beneficiary.email.like(f"%@{PSEUDONYM_DOMAIN}")),
            email.not_in(recent(contact)),
            or_(email.not_in(has_dossier), email.not_in(recent(accompaniment))),
        )
        .group_by(email)
        .order_by(email)
    )


def _active_since(b: Any, since: date) -> ColumnElement[bool]:
    """Record `b` shows activity on or after `since` (or an open unit)."""
    moment = datetime(since.year, since.month, since.day, tzinfo=UTC)
    dossier = and_(Dossier.beneficiary_id == b.id)
    unit = and_(Unit.dossier_id == Dossier.id, dossier)
    return or_(
        b.created_at >= moment,
        exists().where(
            AppointmentRequest.beneficiary_id == b.id, AppointmentRequest.requested_on >= since
        ),
        exists().where(Appointment.beneficiary_id == b.id, Appointment.starts_at >= moment),
        exists().where(dossier, Dossier.opened_on >= since),
        exists().where(
            unit,
            or_(Unit.status == UnitStatus.OPEN, Unit.engaged_on >= since, Unit.closed_on >= since),
        ),
        exists().where(Interaction.unit_id == Unit.id, unit, Interaction.occurred_on >= since),
        exists().where(Survey.unit_id == Unit.id, unit, Survey.answered_at >= moment),
    )


def prune_sign_in_traces(session: Session, ctx: PurgeContext, batch: int) -> int:
    """Staff sign-in attempts, ended sessions and used or expired staff links, after
    RETENTION_SIGN_IN_TRACE_DAYS (the throttle itself looks back one day only)."""
    before = ctx.now - timedelta(days=ctx.settings["RETENTION_SIGN_IN_TRACE_DAYS"])
    return (
        prune_login_attempts(session, before=before)
        + prune_user_sessions(session, before=before)
        + prune_staff_links(session, before=before)
    )


def purge_mail_bodies(session: Session, ctx: PurgeContext, batch: int) -> int:
    """Sent (and failed) e-mails keep their metadata; their bodies go after
    MAIL_BODY_RETENTION_DAYS. One guarded UPDATE: the batch size does not apply."""
    days = ctx.settings["MAIL_BODY_RETENTION_DAYS"]
    return purge_sent_bodies(session, before=ctx.now - timedelta(days=days))


# --- The steps, in order ----------------------------------------------------------------------

STEPS: list[Step] = [
    Step("sign-in links", delete_expired_sign_in_links),
    Step("inactive people", pseudonymise_inactive_people),
    Step("sent e-mail bodies", purge_mail_bodies),
    Step("sign-in traces", prune_sign_in_traces),
]


__all__ = [
    "STEPS",
    "PurgeContext",
    "Step",
    "delete_expired_sign_in_links",
    "inactive_addresses",
    "pseudonymise_inactive_people",
    "years_before",
]
