"""The agenda's words for people: why a move was refused, and how an appointment is named."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.agenda.moves import MoveError, MoveErrorCode
from portal.agenda.week import AgendaAppointment
from portal.i18n import long_date

MOVE_ERRORS = {
    MoveErrorCode.NOT_MOVABLE: _l(
        "Ce rendez-vous ne peut plus être déplacé : il est passé, a eu lieu, a été annulé, "
        "ou son unité est close."
    ),
    MoveErrorCode.SAME_SLOT: _l("C'est déjà l'heure et la modalité de ce rendez-vous."),
    MoveErrorCode.SLOT_UNAVAILABLE: _l(
        "Ce créneau n'est plus disponible (passé, retiré ou d'un autre opérateur). "
        "Choisissez-en un autre."
    ),
    MoveErrorCode.SLOT_TAKEN: _l(
        "Ce créneau vient d'être pris, ou le conseiller a déjà un rendez-vous à cette heure. "
        "Le rendez-vous n'a pas été déplacé : choisissez un autre créneau."
    ),
    MoveErrorCode.MODALITY_NOT_OFFERED: _l("Ce créneau n'est pas ouvert dans cette modalité."),
    MoveErrorCode.ADVISOR_ABSENT: _l("Le conseiller est absent ce jour-là."),
    MoveErrorCode.OTHER_ADVISOR_REASON_NEEDED: _l(
        "À partir de l'UO2.1, les séances ont lieu avec le référent unique : indiquez le motif "
        "d'une séance avec un autre conseiller."
    ),
}


def move_error(error: MoveError) -> str:
    """The refusal in words; the deadlines say their date."""
    deadline = long_date(error.deadline) if error.deadline else ""
    if error.code is MoveErrorCode.LATE_REASON_NEEDED:
        message = _(
            "Ce créneau tombe après le délai de la demande (%(deadline)s) : indiquez le motif "
            "de ce rendez-vous tardif, il sera enregistré.",
            deadline=deadline,
        )
    elif error.code is MoveErrorCode.AFTER_UNIT_DEADLINE:
        message = _(
            "Impossible : l'unité doit être terminée le %(deadline)s au plus tard, et une séance "
            "ne peut pas être placée après cette date.",
            deadline=deadline,
        )
    else:
        message = MOVE_ERRORS[error.code]
    return str(message)


def kind_label(item: AgendaAppointment) -> str:
    """« Premier rendez-vous » or « Séance UO1 0125… »."""
    if item.unit_kind is None:
        return str(_("Premier rendez-vous"))
    return str(_("Séance %(kind)s %(number)s", kind=item.unit_kind.label, number=item.unit_number))
