"""/pro/dossiers/<id>: a person's dossier, and the engagement of its next unit.

Advisors of the operator work on it; its managers read it; anyone else gets 404. The core
(`portal.advisor.units`) decides what may be engaged and refuses the rest with a code; this
view commits, or puts the refusal in words next to the field, keeping what was typed (422).
"""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor import queries
from portal.advisor.errors import UnitError
from portal.advisor.forms import EngageForm, attach_error
from portal.advisor.models import ConsentMode, Dossier, Unit, UnitKind
from portal.advisor.policies import dossier_or_404
from portal.advisor.reference import reference_tables
from portal.advisor.unit_work import record_interaction
from portal.advisor.units import (
    Consent,
    EntryData,
    engage_unit,
    engageable_kinds,
)
from portal.advisor.views import bp
from portal.advisor.views.page import appointment_day, linkable_first_appointment, render_dossier
from portal.auth.policies import current_staff, staff_required
from portal.clock import today_in_france
from portal.extensions import db
from portal.i18n import long_date
from portal.network.models import StaffMember, StaffRole


@bp.get("/dossiers/<id:dossier_id>")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def dossier(dossier_id: int) -> Response:
    return render_dossier(dossier_id)


@bp.post("/dossiers/<id:dossier_id>/unites")
@staff_required(StaffRole.ADVISOR)
def engage(dossier_id: int) -> Response:
    """Engage the next unit, with the person's explicit consent and the Annex 2 entry data;
    and, when asked, record the held first appointment as the unit's first exchange."""
    dossier = dossier_or_404(dossier_id, work=True)
    staff = current_staff()
    tables = reference_tables(db.session, str(get_locale()))
    advisors = queries.active_advisors(db.session, dossier.operator_id)
    form = EngageForm()
    # Every kind is accepted here, so that a refused one gets the core's reason, not
    # « not a valid choice »; the page then offers the allowed ones again. UO0 is never a unit.
    form.set_choices(tables, tuple(k for k in UnitKind if k != UnitKind.UO0), advisors)
    if form.validate() and _first_appointment_fits(form, dossier):
        try:
            unit = _engage(form, dossier, staff, advisors)
        except UnitError as error:
            db.session.rollback()
            attach_error(form, error, fallback="kind")
        else:
            label, number = UnitKind(unit.kind).label, unit.formatted_number
            db.session.commit()
            flash(_("%(unit)s engagée : dossier n° %(number)s.", unit=label, number=number))
            return redirect(
                url_for("advisor.dossier", dossier_id=dossier_id, _anchor=f"unite-{unit.id}"),
                code=303,
            )
    allowed = {kind.value for kind in engageable_kinds(db.session.get_one(Dossier, dossier_id))}
    form.kind.choices = [c for c in form.kind.choices if c.value in allowed | {form.kind.data}]
    return render_dossier(dossier_id, status=422, forms={"engage": form})


def _engage(
    form: EngageForm, dossier: Dossier, staff: StaffMember, advisors: list[StaffMember]
) -> Unit:
    kind = UnitKind(form.kind.data)
    today = today_in_france()
    referent = None
    if kind == UnitKind.UO21:
        referent = next((a for a in advisors if a.id == form.referent.data), None)
    unit = engage_unit(
        db.session,
        dossier,
        kind,
        engaged_on=form.engaged_on.data,
        consent=Consent(
            given_on=form.consent_given_on.data, mode=ConsentMode(form.consent_mode.data)
        ),
        entry=EntryData(
            origine=form.origine.data or "",
            motif=form.motif.data or "",
            motif_detaille=form.motif_detaille.data or "",
        ),
        by=staff,
        today=today,
        referent=referent,
    )
    appointment = linkable_first_appointment(dossier)
    if form.link_first_appointment.data and appointment is not None:
        minutes = int((appointment.ends_at - appointment.starts_at) / timedelta(minutes=1))
        record_interaction(
            db.session,
            unit,
            occurred_on=appointment_day(appointment),
            contact_mode=str(appointment.modality),
            duration_minutes=max(1, min(minutes, 600)),
            by=staff,
            today=today,
            appointment=appointment,
        )
    return unit


def _first_appointment_fits(form: EngageForm, dossier: Dossier) -> bool:
    """An exchange belongs to a unit from its engagement on: the first appointment can only
    be the unit's first exchange when the unit is engaged on that day (or before)."""
    appointment = linkable_first_appointment(dossier)
    if not form.link_first_appointment.data or appointment is None:
        return True
    day = appointment_day(appointment)
    if day >= form.engaged_on.data:
        return True
    form.link_first_appointment.errors.append(
        _(
            "Le premier rendez-vous a eu lieu le %(day)s, avant la date d'engagement : "
            "engagez l'unité à cette date, ou décochez cette case.",
            day=long_date(day),
        )
    )
    return False
