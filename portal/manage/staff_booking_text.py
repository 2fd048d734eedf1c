"""The words of « Proposer un rendez-vous »: why a booking was refused, and next to which
field the staff member reads it."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import Field

from portal.booking.errors import BookingError, BookingErrorCode
from portal.manage.staff_booking_forms import BookSlotForm, OneOffForm


def refusal(error: BookingError, form: BookSlotForm | OneOffForm) -> tuple[Field, str]:
    """The field that shows the refusal, and its sentence."""
    if error.code is BookingErrorCode.AFTER_DEADLINE:
        return form.late_reason, _(
            "Ce rendez-vous est après la date limite de la demande : indiquez pourquoi."
        )
    if isinstance(form, OneOffForm):
        one_off = _one_off(error, form)
        if one_off is not None:
            return one_off
        return form.starts, _slot_message(error.code)
    return form.slot, _slot_message(error.code)


def _slot_message(code: BookingErrorCode) -> str:
    if code is BookingErrorCode.SLOT_TAKEN:
        return str(
            _(
                "Ce créneau vient d'être pris par quelqu'un d'autre. Choisissez-en un autre : "
                "vos réponses sont gardées."
            )
        )
    if code is BookingErrorCode.MODALITY_NOT_OFFERED:
        return str(_("Ce créneau n'est pas proposé dans cette modalité."))
    return str(
        _("Ce créneau n'est plus disponible. Choisissez-en un autre : vos réponses sont gardées.")
    )


def _one_off(error: BookingError, form: OneOffForm) -> tuple[Field, str] | None:
    """A one-off time's own refusals (`one_off.create_one_off_slot`'s details)."""
    if error.detail == "time":
        return form.starts, _("Indiquez un moment à venir.")
    if error.detail == "absent":
        return form.advisor, _("Ce conseiller est absent ce jour-là.")
    if error.detail == "advisor":
        return form.advisor, _("Choisissez un conseiller de la liste.")
    if error.detail == "overlap":
        return form.starts, _("Ce conseiller a déjà un créneau ou un rendez-vous à ce moment-là.")
    if error.detail == "site":
        return form.site, _("Choisissez le site où recevoir la personne.")
    return None
