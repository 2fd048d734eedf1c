"""Booking a slot, or recording a waiting request when nothing is free before the deadline."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.booking import emails
from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.forms import MODALITY_LABELS, PersonForm, WaitingForm
from portal.booking.identity import Person
from portal.booking.models import RequestStatus, Slot
from portal.booking.search import Criteria, Widening
from portal.booking.services import Booked, book_first_appointment, record_waiting_request
from portal.booking.tokens import manage_token
from portal.booking.views import bp
from portal.booking.views.context import (
    BookingPlace,
    booking_place,
    min_notice,
    neighbour_exception,
    no_store,
    now_utc,
    run_search,
)
from portal.booking.views.keys import bound_key, issue_key
from portal.booking.views.messages import BOOKING_ERRORS
from portal.clock import today_in_france
from portal.csrf import refill_on_lost_token
from portal.extensions import db
from portal.network.models import Modality
from portal.orientation.uo0_front_door import link_front_door_contact
from portal.public.sealed import saved_answer
from portal.reference import Motif, motif_from
from portal.routing import bounded_id
from portal.urls import public_url

RETRYABLE = {
    BookingErrorCode.SLOT_TAKEN,
    BookingErrorCode.SLOT_UNAVAILABLE,
    BookingErrorCode.AFTER_DEADLINE,
}


def _where_or_404() -> BookingPlace:
    values = request.form if request.method == "POST" else request.args
    where = booking_place(db.session, values.get("commune"), values.get("lieu"))
    if where is None:
        abort(404)
    return where


def _modality_choices(form: PersonForm, slot: Slot | None) -> None:
    offered = slot.modalities if slot is not None else list(Modality)
    if slot is not None and slot.site_id is None:
        offered = [m for m in offered if m is not Modality.PRESENTIEL]
    form.modality.choices = [SelectChoice(m.value, MODALITY_LABELS[m]) for m in offered]


@bp.get("/rendez-vous/creneau/<id:slot_id>")
def slot(slot_id: int) -> Response | str:
    where = _where_or_404()
    chosen = db.session.get(Slot, slot_id)
    if (
        chosen is None
        or chosen.withdrawn_at is not None
        or chosen.starts_at < now_utc() + min_notice()
    ):
        flash(str(BOOKING_ERRORS[BookingErrorCode.SLOT_UNAVAILABLE]), "error")
        return redirect(url_for("booking.search", commune=where.commune_insee), code=303)
    form = PersonForm()
    form.key.data = issue_key()
    form.slot.data = slot_id
    _modality_choices(form, chosen)
    wanted = request.args.get("modalite")
    if wanted in {c.value for c in form.modality.choices}:
        form.modality.data = wanted
    _motif_from_link(form)
    return no_store(
        render_template("booking/book.html", form=form, slot=chosen, where=where, alternatives=())
    )


@bp.post("/rendez-vous/reserver")
@refill_on_lost_token
def book() -> Response | tuple[str, int]:
    where = _where_or_404()
    form = PersonForm()
    form.key.data = bound_key(form.key.data)
    form.lot_number = where.operator.lot_number
    slot_id = bounded_id(form.slot.data)
    chosen = db.session.get(Slot, slot_id) if slot_id is not None else None
    _modality_choices(form, chosen)
    if chosen is None or not form.validate():
        if chosen is None:
            form.slot.errors = [str(BOOKING_ERRORS[BookingErrorCode.SLOT_UNAVAILABLE])]
        return _form_again(form, where, chosen, 422)
    modality = Modality(form.modality.data)
    exception = None
    if chosen.operator_id != where.operator.id:
        exception = neighbour_exception(run_search(db.session, where), where)
    try:
        booked = book_first_appointment(
            db.session,
            idempotency_key=form.key.data,
            slot_id=chosen.id,
            modality=modality,
            person=_person(form),
            details=where.details(_motif(form), form.comment.data or ""),
            now=now_utc(),
            min_notice=min_notice(),
            exception_reason=exception,
        )
    except BookingError as error:
        db.session.rollback()
        form.slot.errors = [str(BOOKING_ERRORS[error.code])]
        status = 409 if error.code in RETRYABLE else 422
        return _form_again(form, where, chosen, status, alternatives=error.code in RETRYABLE)
    _link_front_door_contact(booked)
    return _confirmed(booked, _("Votre rendez-vous est réservé."))


@bp.get("/rendez-vous/demande")
def waiting_form() -> Response:
    where = _where_or_404()
    form = WaitingForm()
    form.key.data = issue_key()
    _modality_choices(form, None)
    _motif_from_link(form)
    return no_store(render_template("booking/waiting.html", form=form, where=where))


@bp.post("/rendez-vous/demande")
@refill_on_lost_token
def waiting() -> Response | tuple[str, int]:
    where = _where_or_404()
    form = WaitingForm()
    form.key.data = bound_key(form.key.data)
    form.lot_number = where.operator.lot_number
    _modality_choices(form, None)
    if not form.validate():
        return render_template("booking/waiting.html", form=form, where=where), 422
    result = run_search(db.session, where)
    if result.widening is not Widening.NOTHING:
        flash(_("Des créneaux viennent de se libérer : choisissez-en un ci-dessous."), "info")
        return redirect(url_for("booking.search", commune=where.commune_insee), code=303)
    booked = record_waiting_request(
        db.session,
        idempotency_key=form.key.data,
        person=_person(form),
        details=where.details(_motif(form), form.comment.data or ""),
        now=now_utc(),
        call_back_working_days=current_app.config["WAITING_CALL_BACK_WORKING_DAYS"],
    )
    _link_front_door_contact(booked)
    return _confirmed(booked, _("Votre demande est enregistrée."))


def _link_front_door_contact(booked: Booked) -> None:
    """The front door's UO0 of this person becomes theirs (numbered, billed; issue 15 §2)."""
    if not booked.replayed:
        link_front_door_contact(
            db.session, answer=saved_answer(), request=booked.request, on=today_in_france()
        )


def _confirmed(booked: Booked, message: str) -> Response:
    token = manage_token(current_app.config["SECRET_KEY"], booked.request.id)
    if not booked.replayed:
        url = public_url("booking.manage", token=token)
        if booked.appointment is not None:
            # The sender renders the confirmation: the POST only queues it.
            emails.queue_booked(db.session, booked.appointment, url, render_later=True)
        else:
            emails.queue_waiting(db.session, booked.request)
    db.session.commit()
    if booked.replayed and booked.request.status == RequestStatus.CANCELLED:
        # The form came back (Back button) after the appointment was cancelled: say so.
        flash(
            _(
                "Ce rendez-vous a été annulé : rien n'est réservé. Vous pouvez en prendre un "
                "nouveau."
            ),
            "info",
        )
    else:
        flash(message, "success")
    return redirect(url_for("booking.manage", token=token), code=303)


def _form_again(
    form: PersonForm,
    where: BookingPlace,
    chosen: Slot | None,
    status: int,
    alternatives: bool = False,
) -> tuple[str, int]:
    """The form again, with what the person typed and, when the slot is gone, the next ones."""
    others = []
    if alternatives:
        wanted = Modality(form.modality.data) if form.modality.data else None
        result = run_search(db.session, where, Criteria(modality=wanted))
        others = [f for f in result.earliest if chosen is None or f.slot.id != chosen.id]
    return (
        render_template(
            "booking/book.html", form=form, slot=chosen, where=where, alternatives=others
        ),
        status,
    )


def _person(form: PersonForm) -> Person:
    return Person(
        last_name=form.last_name.data.strip(),
        first_name=form.first_name.data.strip(),
        email=form.email.data.strip(),
        phone=form.phone_e164,
        birth_date=form.birth_date.data,
        locale=str(get_locale()),
    )


def _motif(form: PersonForm) -> Motif | None:
    return Motif(form.motif.data) if form.motif.data else None


def _motif_from_link(form: PersonForm) -> None:
    """`?motif=` of a link (an e-mail, a partner's page, a bookmark; a former value too)."""
    given = motif_from(request.args.get("motif"))
    if given is not None:
        form.motif.data = given.value
