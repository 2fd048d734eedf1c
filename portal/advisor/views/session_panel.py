"""« Prochaine séance » on the dossier page: what `advisor/_sessions.html` shows, built by the
template itself (`session_panel(dossier, can_work)`), so that the dossier page's view needs
no change. A failing POST leaves its form in `g.session_forms`; the page shows it as typed.

Also the words for a refused session (`session_error_text`), shared with the person's page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.advisor import queries
from portal.advisor.models import Dossier, Unit
from portal.advisor.session_forms import TYPED, HeldForm, SessionForm
from portal.advisor.session_rules import (
    REFERENT_KINDS,
    SessionError,
    SessionErrorCode,
    free_slots,
)
from portal.advisor.sessions import session_minutes
from portal.advisor.views import bp
from portal.auth.policies import current_staff
from portal.booking.models import Appointment, AppointmentStatus, Slot
from portal.clock import now
from portal.extensions import db
from portal.i18n import long_date
from portal.network.models import Site, StaffMember

SESSION_ERRORS = {
    SessionErrorCode.UNIT_CLOSED: _l("L'unité est close : plus aucune séance ne s'y ajoute."),
    SessionErrorCode.REASON_REQUIRED: _l(
        "À partir de l'UO2.1, les séances ont lieu avec le référent unique : indiquez pourquoi "
        "cette séance a lieu avec un autre conseiller."
    ),
    SessionErrorCode.WRONG_ADVISOR: _l("Choisissez un conseiller actif de l'opérateur."),
    SessionErrorCode.SLOT_UNAVAILABLE: _l(
        "Cet horaire n'est pas disponible (passé, retiré, conseiller absent ou durée "
        "impossible). Choisissez-en un autre."
    ),
    SessionErrorCode.SLOT_TAKEN: _l(
        "Cet horaire vient d'être pris, ou le conseiller a déjà un rendez-vous à ce moment. "
        "Choisissez-en un autre."
    ),
    SessionErrorCode.MODALITY_NOT_OFFERED: _l(
        "Cette modalité n'est pas possible sur cet horaire (sur place : un lieu est "
        "nécessaire). Choisissez-en une autre."
    ),
    SessionErrorCode.NOT_CHANGEABLE: _l(
        "Cette séance ne peut plus être modifiée en ligne. Appelez votre conseiller."
    ),
    SessionErrorCode.SAME_SLOT: _l("C'est déjà l'horaire de cette séance."),
    SessionErrorCode.NOT_A_SESSION: _l("Ce rendez-vous n'est pas une séance de suivi."),
    SessionErrorCode.BAD_TEMPLATE: _l(
        "Indiquez une adresse qui commence par https:// et contient {code} à l'endroit du "
        "code de la réunion, par exemple https://visio.example.fr/{code}."
    ),
}


def session_error_text(error: SessionError) -> str:
    if error.code == SessionErrorCode.AFTER_DEADLINE and error.deadline is not None:
        return str(
            _(
                "Cette date est après la date limite de l'unité, le %(day)s : choisissez une "
                "séance au plus tard ce jour-là.",
                day=long_date(error.deadline),
            )
        )
    return str(SESSION_ERRORS.get(error.code, SESSION_ERRORS[SessionErrorCode.SLOT_UNAVAILABLE]))


def attach_session_error(form: FlaskForm, error: SessionError) -> None:
    """The refusal next to its field (the error summary links to it), else on the form."""
    target = getattr(form, error.field, None) if error.field else None
    message = session_error_text(error)
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


@dataclass(slots=True)
class SessionPanel:
    unit: Unit
    referent: StaffMember
    needs_reason_kinds: bool
    sessions: list[Appointment]
    form: SessionForm | None  # None for a reader (a manager)
    held_forms: dict[int, HeldForm] = field(default_factory=dict)
    viewer_id: int = 0
    now: datetime | None = None


def given_forms() -> dict[str, FlaskForm]:
    forms: dict[str, FlaskForm] = g.setdefault("session_forms", {})
    return forms


def unit_sessions(unit_id: int) -> list[Appointment]:
    return list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.unit_id == unit_id, Appointment.status != AppointmentStatus.MOVED)
            # The panel names each session's advisor and site: read with it, not one by one.
            .options(joinedload(Appointment.advisor), joinedload(Appointment.site))
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def offered_slots(unit: Unit, staff: StaffMember) -> list[Slot]:
    """The signed-in advisor's free slots, and the référent's when it is someone else."""
    moment = now()
    slots = free_slots(db.session, advisor_id=staff.id, unit=unit, now=moment)
    if unit.dossier.advisor_id != staff.id:
        slots += free_slots(db.session, advisor_id=unit.dossier.advisor_id, unit=unit, now=moment)
    return sorted(slots, key=lambda s: (s.starts_at, s.advisor_id))


def session_form(
    unit: Unit, staff: StaffMember, *, formdata: bool, appointment: Appointment | None = None
) -> SessionForm:
    """The « Prochaine séance » form (or the move form of `appointment`), choices set."""
    prefix = f"m{appointment.id}" if appointment else f"s{unit.id}"
    if formdata:
        form = SessionForm(prefix=prefix)
    elif appointment is not None:
        form = SessionForm(
            formdata=None,
            prefix=prefix,
            slot=TYPED,
            modality=appointment.modality,
            advisor=str(appointment.advisor_id),
            site=str(appointment.site_id or ""),
            minutes=session_minutes(appointment),
            other_advisor_reason=appointment.other_advisor_reason or "",
        )
    else:
        default = unit.dossier.advisor_id if unit.kind in REFERENT_KINDS else staff.id
        form = SessionForm(
            formdata=None, prefix=prefix, advisor=str(default), site=str(unit.dossier.site_id or "")
        )
    sites = db.session.scalars(
        select(Site).where(Site.operator_id == unit.operator_id).order_by(Site.name)
    )
    form.set_choices(
        offered_slots(unit, staff), sites, queries.active_advisors(db.session, unit.operator_id)
    )
    return form


@bp.app_template_global()
def session_panel(dossier: Dossier, can_work: bool) -> SessionPanel | None:
    """The open unit's sessions and, for an advisor of the operator, the forms."""
    unit = dossier.open_unit
    if unit is None:
        return None
    staff = current_staff()
    given = given_forms()
    sessions = unit_sessions(unit.id)
    moment = now()
    form = given.get(f"session-{unit.id}")
    if not isinstance(form, SessionForm) and can_work:
        form = session_form(unit, staff, formdata=False)
    panel = SessionPanel(
        unit=unit,
        referent=dossier.advisor,
        needs_reason_kinds=unit.kind in REFERENT_KINDS,
        sessions=sessions,
        form=form if isinstance(form, SessionForm) else None,
        viewer_id=staff.id,
        now=moment,
    )
    if not can_work:
        return panel
    for appointment in sessions:
        if appointment.status == AppointmentStatus.BOOKED and appointment.starts_at <= moment:
            held = given.get(f"held-{appointment.id}")
            if not isinstance(held, HeldForm):
                held = HeldForm(
                    formdata=None,
                    prefix=f"h{appointment.id}",
                    duration_minutes=session_minutes(appointment),
                )
            panel.held_forms[appointment.id] = held
    return panel
