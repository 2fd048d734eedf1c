"""The e-mails between a person and their référent, and the warning before an abandon
(issue 14 §4), all through `portal.mail.compose.compose_mail`; links from `public_url`.

Queued in the caller's transaction; `queue_abandon_warnings` runs from cron (no request).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.advisor import queries
from portal.advisor.abandon import abandon_on, claim_abandon_warnings
from portal.advisor.contact_models import DossierHandover, DossierMessage
from portal.advisor.models import Dossier, Unit, UnitKind
from portal.i18n import long_date
from portal.livrables.models import LivrableStatus
from portal.mail.compose import compose_mail
from portal.mail.models import OutboxMessage
from portal.network.models import Site, StaffMember
from portal.urls import public_url


def referent_site(dossier: Dossier) -> Site | None:
    """Where the référent sees the person: the dossier's site, else the advisor's first."""
    if dossier.site is not None:
        return dossier.site
    sites = dossier.advisor.sites
    return sites[0] if sites else None


def queue_message_to_advisor(
    session: Session, dossier: Dossier, message: DossierMessage
) -> OutboxMessage:
    person = dossier.beneficiary
    advisor = dossier.advisor
    return compose_mail(
        session,
        to=advisor.email,
        locale=None,
        subject=lambda: _("Message de %(name)s", name=person.full_name),
        template="advisor/email/message_to_advisor",
        context={
            "advisor": advisor,
            "person": person,
            "message": message,
            "dossier_url": public_url("advisor.dossier", dossier_id=dossier.id),
        },
        topic=f"dossier:{dossier.id}:message:{message.id}",
        operator_id=dossier.operator_id,
    )


def queue_answer_to_person(
    session: Session, dossier: Dossier, message: DossierMessage, by: StaffMember
) -> OutboxMessage:
    person = dossier.beneficiary
    return compose_mail(
        session,
        to=person.email,
        locale=person.locale,
        subject=lambda: _("Réponse de votre conseiller référent"),
        template="space/email/referent_answer",
        context=lambda: {
            "person": person,
            "advisor": by,
            "message": message,
            "operator": dossier.operator,
            "space_url": public_url("space.home", person.locale),
        },
        topic=f"dossier:{dossier.id}:answer:{message.id}",
        operator_id=dossier.operator_id,
    )


def queue_referent_changed(
    session: Session, dossier: Dossier, handover: DossierHandover
) -> OutboxMessage:
    person = dossier.beneficiary
    site = referent_site(dossier)
    return compose_mail(
        session,
        to=person.email,
        locale=person.locale,
        subject=lambda: _("Votre conseiller référent change"),
        template="space/email/referent_changed",
        context=lambda: {
            "person": person,
            "advisor": dossier.advisor,
            "site": site,
            "operator": dossier.operator,
            "space_url": public_url("space.home", person.locale),
        },
        topic=f"dossier:{dossier.id}:handover:{handover.id}",
        operator_id=dossier.operator_id,
    )


def queue_abandon_warning(session: Session, unit: Unit) -> OutboxMessage:
    dossier = unit.dossier
    person = dossier.beneficiary
    livrable = queries.livrable_statuses(session, [unit.id]).get(unit.id)
    return compose_mail(
        session,
        to=person.email,
        locale=person.locale,
        subject=lambda: _(
            "Votre accompagnement se termine le %(date)s", date=long_date(abandon_on(unit))
        ),
        template="space/email/abandon_warning",
        context=lambda: {
            "person": person,
            "unit": unit,
            "closes_on": long_date(abandon_on(unit)),
            "advisor": dossier.advisor,
            "operator": dossier.operator,
            "has_livrable": unit.kind != UnitKind.UO22,
            "printed": livrable == LivrableStatus.FROZEN,
            "closable": unit.kind == UnitKind.UO22,
            "space_url": public_url("space.home", person.locale),
        },
        topic=f"unit:{unit.id}:abandon-warning",
        operator_id=unit.operator_id,
    )


def queue_abandon_warnings(session: Session, *, today: date, now: datetime) -> int:
    """Claim today's units to warn and queue their e-mails, in one transaction (the caller
    commits): safe to run daily on several hosts."""
    claimed = claim_abandon_warnings(session, today=today, now=now)
    for unit_id in claimed:
        queue_abandon_warning(session, session.get_one(Unit, unit_id))
    return len(claimed)
