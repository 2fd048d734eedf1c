"""The dossier page's context: the person, the units as a timeline with their deadlines,
what is still missing for closure, and the forms an advisor of the operator may fill in
(none for a manager, who reads).

The POST views re-render this page with their failing form (status 422), so that what was
typed stays and every other form shows the stored values (`formdata=None`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import abort, make_response, render_template
from flask_babel import get_locale
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.advisor import queries
from portal.advisor.booking_motive import entry_motives
from portal.advisor.forms import (
    EngageForm,
    InteractionForm,
    WrittenClosureForm,
    unit_data_form_class,
    unit_data_initial,
)
from portal.advisor.models import Dossier, Unit, UnitKind
from portal.advisor.policies import can_view_dossier, can_work_on_dossier
from portal.advisor.reference import ReferenceTables, reference_tables
from portal.advisor.rules import DeadlineView, Stage, deadline_view, fields_for
from portal.advisor.unit_work import missing_fields
from portal.advisor.units import engageable_kinds
from portal.advisor.views.texts import (
    CLOSURE_LABELS,
    CONSENT_LABELS,
    FIELD_LABELS,
    KIND_TITLES,
    LIVRABLE_TITLES,
)
from portal.auth.policies import current_staff
from portal.booking.models import Appointment, AppointmentStatus
from portal.clock import PARIS, today_in_france
from portal.extensions import db
from portal.livrables.models import LivrableStatus
from portal.network.models import StaffMember


@dataclass(slots=True)
class UnitView:
    unit: Unit
    deadline: DeadlineView | None  # open units only
    missing: list[str]  # labels of the Annex 2 fields still empty for closure
    livrable: LivrableStatus | None
    forms: dict[str, FlaskForm] = field(default_factory=dict)

    @property
    def livrable_title(self) -> str | None:
        title = LIVRABLE_TITLES.get(self.unit.kind)
        return str(title) if title is not None else None


def form_key(kind: str, unit: Unit) -> str:
    return f"{kind}-{unit.id}"


def unit_forms(
    unit: Unit, tables: ReferenceTables, given: dict[str, FlaskForm]
) -> dict[str, FlaskForm]:
    """The forms of one unit: its Annex 2 data always (a closed unit's data may still be
    corrected); interactions while it is open; the written-request closure for a UO2.2."""
    forms: dict[str, FlaskForm] = {}
    data = given.get(form_key("data", unit))
    if data is None:
        data = unit_data_form_class(unit.kind)(
            formdata=None, prefix=f"u{unit.id}", data=unit_data_initial(unit)
        )
        data.set_choices(tables)
    forms["data"] = data
    if not unit.is_open:
        return forms
    today = today_in_france()
    interaction = given.get(form_key("interaction", unit))
    if interaction is None:
        interaction = InteractionForm(formdata=None, prefix=f"i{unit.id}", occurred_on=today)
        interaction.set_choices(tables)
    forms["interaction"] = interaction
    if unit.kind == UnitKind.UO22:
        closure = given.get(form_key("closure", unit))
        if closure is None:
            closure = WrittenClosureForm(formdata=None, prefix=f"c{unit.id}", closed_on=today)
            closure.set_choices(tables)
        forms["closure"] = closure
    return forms


def linkable_first_appointment(dossier: Dossier) -> Appointment | None:
    """The dossier's first appointment, held and not yet recorded as an exchange of a unit."""
    appointment = dossier.first_appointment
    if appointment is None or appointment.status != AppointmentStatus.HELD:
        return None
    linked = any(i.appointment_id == appointment.id for u in dossier.units for i in u.interactions)
    return None if linked else appointment


def appointment_day(appointment: Appointment) -> date:
    """The day of an appointment, as the dossier counts days (French calendar)."""
    return appointment.starts_at.astimezone(PARIS).date()


def engage_form(
    dossier: Dossier, staff: StaffMember, tables: ReferenceTables, advisors: list[StaffMember]
) -> EngageForm:
    """The engagement form as first shown: today, the signed-in advisor as référent, and the
    entry data of the previous unit (the same person, the same request) to correct if need be;
    for the first unit, the motive the person gave when booking."""
    today = today_in_france()
    kinds = engageable_kinds(dossier)
    last = dossier.last_unit
    appointment = linkable_first_appointment(dossier)
    given = dossier.request.motif if dossier.request else None
    motif, detail = (last.motif, last.motif_detaille) if last else entry_motives(tables, given)
    form = EngageForm(
        formdata=None,
        kind=kinds[0].value if len(kinds) == 1 else None,
        engaged_on=today,
        consent_given_on=today,
        referent=staff.id,
        origine=last.origine if last else None,
        motif=motif,
        motif_detaille=detail,
        link_first_appointment=appointment is not None and appointment_day(appointment) == today,
    )
    form.set_choices(tables, kinds, advisors)
    return form


def _error_anchor(given: dict[str, FlaskForm]) -> str | None:
    """Where the form to correct is on the page: the engagement, or the unit's section."""
    for key, form in given.items():
        if form.errors:
            return "engager" if key == "engage" else f"unite-{key.rsplit('-', 1)[1]}"
    return None


def render_dossier(
    dossier_id: int, *, status: int = 200, forms: dict[str, FlaskForm] | None = None
) -> Response:
    staff = current_staff()
    dossier = queries.dossier_for_page(db.session, dossier_id)
    if dossier is None or not can_view_dossier(staff, dossier):
        abort(404)
    can_work = can_work_on_dossier(staff, dossier)
    given = forms or {}
    today = today_in_france()
    tables = reference_tables(db.session, str(get_locale()))
    livrables = queries.livrable_statuses(db.session, [u.id for u in dossier.units])
    units = []
    for unit in dossier.units:
        view = UnitView(
            unit=unit,
            deadline=deadline_view(unit.engaged_on, unit.deadline, today) if unit.is_open else None,
            missing=[str(FIELD_LABELS[name]) for name in missing_fields(unit, Stage.CLOSURE)],
            livrable=livrables.get(unit.id),
        )
        if can_work:
            view.forms = unit_forms(unit, tables, given)
        units.append(view)
    engage = None
    kinds = engageable_kinds(dossier) if can_work else ()
    if can_work and (kinds or "engage" in given):
        advisors = queries.active_advisors(db.session, dossier.operator_id)
        engage = given.get("engage") or engage_form(dossier, staff, tables, advisors)
    recorders = {u.consent_recorded_by_id for u in dossier.units}
    recorders |= {u.closed_by_id for u in dossier.units if u.closed_by_id}
    recorders |= {i.advisor_id for u in dossier.units for i in u.interactions}
    response = make_response(
        render_template(
            "advisor/dossier.html",
            dossier=dossier,
            person=dossier.beneficiary,
            units=units,
            open_unit=next((view for view in units if view.unit.is_open), None),
            can_work=can_work,
            engage=engage,
            first_appointment=linkable_first_appointment(dossier) if can_work else None,
            tables=tables,
            names=queries.staff_names(db.session, recorders),
            today=today,
            kind_titles=KIND_TITLES,
            consent_labels=CONSENT_LABELS,
            closure_labels=CLOSURE_LABELS,
            field_labels=FIELD_LABELS,
            fields_for=fields_for,
            has_errors=any(form.errors for form in given.values()),
            error_anchor=_error_anchor(given),
        ),
        status,
    )
    return response
