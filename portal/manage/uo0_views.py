"""UO0 taken by phone or in person (issue 15 §2), for the operator's chargés d'information
and advisors: the contact in under a minute, today's list, and « La personne souhaite un
rendez-vous », which makes the waiting request staff then « Proposer un rendez-vous » for."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.auth.policies import current_operator, current_staff, staff_required
from portal.booking import emails
from portal.booking.identity import Person
from portal.booking.models import AppointmentRequest, RequestStatus
from portal.clock import PARIS, now, today_in_france
from portal.extensions import db
from portal.locator.resolve import resolve_field
from portal.manage import bp
from portal.manage.uo0_forms import MODE_LABELS, ROUTE_LABELS, ContactForm, GoingOnForm
from portal.network.models import StaffRole
from portal.orientation.labels import MOTIFS, SITUATIONS
from portal.orientation.models import OrientationContact
from portal.orientation.rules import Route, Situation
from portal.orientation.uo0 import (
    Uo0Error,
    Uo0ErrorCode,
    contacts_of_day,
    record_staff_contact,
    staff_contact,
)
from portal.orientation.uo0_requests import request_from_contact
from portal.reference import ContactMode, Motif

RECORDERS = (StaffRole.INFORMATION, StaffRole.ADVISOR)
LABELS = {
    "modes": MODE_LABELS,
    "situations": SITUATIONS,
    "routes": ROUTE_LABELS,
    "motifs": MOTIFS,
}


@bp.get("/uo0")
@staff_required(*RECORDERS)
def uo0_list() -> str:
    operator, today = current_operator(), today_in_france()
    contacts = contacts_of_day(db.session, operator_id=operator.id, on=today)
    return render_template(
        "manage/uo0_list.html", contacts=contacts, today=today, tz=PARIS, **LABELS
    )


@bp.get("/uo0/nouveau")
@staff_required(*RECORDERS)
def uo0_new() -> str:
    form = ContactForm(formdata=None)
    form.key.data = uuid.uuid4().hex
    return render_template("manage/uo0_new.html", form=form)


@bp.post("/uo0/nouveau")
@staff_required(*RECORDERS)
def uo0_record() -> Response | tuple[str, int]:
    form = ContactForm()
    if not form.validate():
        return render_template("manage/uo0_new.html", form=form), 422
    try:
        contact = record_staff_contact(
            db.session,
            key=form.key.data,
            staff=current_staff(),
            on=today_in_france(),
            contact_mode=ContactMode(form.contact_mode.data),
            situation=Situation(form.situation.data),
            route=Route(form.route.data),
            motif=Motif(form.motif.data) if form.motif.data else None,
        )
    except Uo0Error:
        # Another member's key (a copied form): nothing recorded, a fresh form.
        db.session.rollback()
        abort(404)
    db.session.commit()
    return redirect(url_for("manage.uo0_recorded", contact_id=contact.id), code=303)


@bp.get("/uo0/<id:contact_id>")
@staff_required(*RECORDERS)
def uo0_recorded(contact_id: int) -> str:
    contact = _own_contact(contact_id)
    return render_template("manage/uo0_recorded.html", contact=contact, **LABELS)


@bp.get("/uo0/<id:contact_id>/rendez-vous")
@staff_required(*RECORDERS)
def uo0_going_on(contact_id: int) -> Response | str:
    contact = _own_contact(contact_id)
    if contact.request_id is not None:
        return _already_gone_on(contact)
    form = GoingOnForm(formdata=None)
    return render_template("manage/uo0_request.html", contact=contact, form=form, **LABELS)


@bp.post("/uo0/<id:contact_id>/rendez-vous")
@staff_required(*RECORDERS)
def uo0_make_request(contact_id: int) -> Response | tuple[str, int]:
    contact, operator = _own_contact(contact_id), current_operator()
    form = GoingOnForm()
    form.lot_number = operator.lot_number
    valid = form.validate()
    home = resolve_field(form.home, form.home_choice) if form.home.data else None
    if not valid or home is None or home.place is None:
        page = render_template("manage/uo0_request.html", contact=contact, form=form, **LABELS)
        return page, 422
    try:
        booked = request_from_contact(
            db.session,
            contact=contact,
            person=Person(
                last_name=form.last_name.data,
                first_name=form.first_name.data,
                email=form.email.data,
                phone=form.phone_e164,
                birth_date=form.birth_date.data,
                locale="fr",
            ),
            commune_insee=home.place.communes[0].insee,
            today=today_in_france(),
            now=now(),
            call_back_working_days=current_app.config["WAITING_CALL_BACK_WORKING_DAYS"],
        )
    except Uo0Error as error:
        db.session.rollback()
        if error.code is Uo0ErrorCode.NOT_FOUND:
            abort(404)
        return _already_gone_on(db.session.get_one(OrientationContact, contact_id))
    if not booked.replayed:
        emails.queue_waiting(db.session, booked.request)
    db.session.commit()
    flash(
        _(
            "Demande de rendez-vous enregistrée pour %(name)s (UO0 n° %(number)s). "
            "Proposez-lui un créneau maintenant, ou retrouvez la demande dans « Demandes en "
            "attente ».",
            name=booked.request.beneficiary.full_name,
            number=contact.number,
        ),
        "success",
    )
    return redirect(url_for("manage.book_request", request_id=booked.request.id), code=303)


def _own_contact(contact_id: int) -> OrientationContact:
    try:
        return staff_contact(db.session, operator_id=current_operator().id, contact_id=contact_id)
    except Uo0Error:
        abort(404)


def _already_gone_on(contact: OrientationContact) -> Response:
    """The person already has their request (a second tab, the Back button): go to it."""
    request = db.session.get(AppointmentRequest, contact.request_id)
    if request is not None and request.status == RequestStatus.WAITING:
        flash(_("Ce contact a déjà sa demande de rendez-vous : la voici."), "info")
        return redirect(url_for("manage.book_request", request_id=request.id), code=303)
    flash(_("Ce contact a déjà sa demande de rendez-vous, qui n'est plus en attente."), "info")
    return redirect(url_for("manage.uo0_recorded", contact_id=contact.id), code=303)
