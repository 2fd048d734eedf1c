"""What people read when a booking, a move or a cancellation is refused."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.booking.calendar import Territory
from portal.booking.errors import BookingErrorCode

BOOKING_ERRORS = {
    BookingErrorCode.SLOT_TAKEN: _l(
        "Ce créneau vient d'être pris par une autre personne. Vos informations sont "
        "conservées : choisissez un autre créneau ci-dessous."
    ),
    BookingErrorCode.SLOT_UNAVAILABLE: _l(
        "Ce créneau n'est plus disponible (il est passé, trop proche ou a été retiré). "
        "Choisissez un autre créneau."
    ),
    BookingErrorCode.AFTER_DEADLINE: _l(
        "Ce créneau dépasse la date limite de votre premier rendez-vous. Choisissez un "
        "créneau plus proche."
    ),
    BookingErrorCode.MODALITY_NOT_OFFERED: _l(
        "Cette modalité n'est pas proposée sur ce créneau. Choisissez-en une autre."
    ),
    BookingErrorCode.WRONG_OPERATOR: _l(
        "Ce créneau n'appartient pas à l'opérateur de votre région. Choisissez un créneau "
        "dans la liste proposée."
    ),
    BookingErrorCode.NOT_CHANGEABLE: _l(
        "Ce rendez-vous ne peut plus être modifié en ligne. Appelez le lieu d'accueil pour "
        "le déplacer ou l'annuler."
    ),
    BookingErrorCode.SAME_SLOT: _l("C'est déjà l'horaire de votre rendez-vous."),
}

# Names of holiday territories that differ in English; the others are proper nouns.
TERRITORY_NAMES = {"metropole": _l("France métropolitaine")}


def territory_name(territory: Territory) -> str:
    return str(TERRITORY_NAMES.get(territory.code, territory.name))
