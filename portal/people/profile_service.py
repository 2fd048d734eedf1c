"""Saving a dossier's Annex 2 profile (issue 15 §1): one row per dossier, made on first save.

The view hands over what the advisor chose (codes of the `reference_item` lists, the
communes the gazetteer resolved, the month of entry as the first of the month); this core
checks the codes against the active lists and the month against the person's life, then
writes. It flushes, never commits, and raises `ProfileError` naming the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.models import Dossier
from portal.advisor.reference import active_codes
from portal.advisor.rules import add_months
from portal.clock import now
from portal.network.models import Site, StaffMember
from portal.orientation.models import OrientationContact
from portal.people import profile_lists as lists
from portal.people.profile_models import DossierProfile

# Each coded field and the list its code comes from.
CODED = {
    "sexe": lists.SEXE,
    "adresse_type_voie": lists.TYPE_VOIE,
    "handicap": lists.HANDICAP,
    "niveau_formation": lists.NIVEAU_FORMATION,
    "secteur_activite": lists.SECTEUR_ACTIVITE,
    "taille_entreprise": lists.TAILLE_ENTREPRISE,
    "categorie_sociale": lists.CATEGORIE_SOCIALE,
    "statut": lists.STATUT,
}
# Every column the advisor fills in: all of the table's but the key and the trace.
FIELDS = tuple(
    c.name
    for c in DossierProfile.__table__.columns
    if c.name not in {"dossier_id", "updated_at", "updated_by_id"}
)
# The youngest age at which one may work in France (Code du travail L4153-1: 14 for
# holiday jobs, 16 otherwise): an entry into a company before it is a typing mistake.
MIN_WORKING_AGE = 14


class ProfileErrorCode(StrEnum):
    UNKNOWN_CODE = "unknown_code"  # a value not in its active list (names the fields)
    ENTRY_IN_FUTURE = "entry_in_future"
    ENTRY_BEFORE_WORKING_AGE = "entry_before_working_age"


class ProfileError(Exception):
    def __init__(self, code: ProfileErrorCode, fields: tuple[str, ...]) -> None:
        super().__init__(f"{code}: {', '.join(fields)}")
        self.code = code
        self.fields = fields


def check_entry_month(entry: date, *, birth_date: date, today: date) -> None:
    """The month of entry into the company: not after this month, not before 14 years old."""
    if entry > today.replace(day=1):
        raise ProfileError(ProfileErrorCode.ENTRY_IN_FUTURE, ("entree_entreprise",))
    if entry < add_months(birth_date, 12 * MIN_WORKING_AGE).replace(day=1):
        raise ProfileError(ProfileErrorCode.ENTRY_BEFORE_WORKING_AGE, ("entree_entreprise",))


def save_profile(
    session: Session,
    dossier: Dossier,
    values: Mapping[str, Any],
    *,
    by: StaffMember,
    today: date,
) -> DossierProfile:
    """Write the profile's fields (`FIELDS`; a missing key or "" is stored empty), and
    `site_id`, when given, as the dossier's structure (one of its operator's sites)."""
    tables = active_codes(session)
    wrong = tuple(
        name
        for name, list_name in CODED.items()
        if values.get(name) and values[name] not in tables.get(list_name, {})
    )
    if wrong:
        raise ProfileError(ProfileErrorCode.UNKNOWN_CODE, wrong)
    site_id = values.get("site_id")
    if site_id is not None:
        site = session.get(Site, site_id)
        if site is None or site.operator_id != dossier.operator_id:
            raise ProfileError(ProfileErrorCode.UNKNOWN_CODE, ("structure",))
        # Annex 2's « structure »: the site of the operator the person is attached to.
        dossier.site_id = site_id
    entry = values.get("entree_entreprise")
    if entry is not None:
        check_entry_month(entry, birth_date=dossier.beneficiary.birth_date, today=today)
    profile = session.get(DossierProfile, dossier.id)
    if profile is None:
        profile = DossierProfile(dossier_id=dossier.id)
        session.add(profile)
    for name in FIELDS:
        value = values.get(name)
        setattr(profile, name, None if value == "" else value)
    profile.updated_at = now()
    profile.updated_by_id = by.id
    session.flush()
    return profile


def front_door_situation(session: Session, dossier: Dossier) -> str | None:
    """The situation the person gave at their first contact (UO0), when the dossier's
    request came from one (`OrientationContact.request_id`)."""
    if dossier.request_id is None:
        return None
    situation = session.scalar(
        select(OrientationContact.situation).where(
            OrientationContact.request_id == dossier.request_id
        )
    )
    return str(situation) if situation else None


__all__ = [
    "CODED",
    "FIELDS",
    "ProfileError",
    "ProfileErrorCode",
    "check_entry_month",
    "front_door_situation",
    "save_profile",
]
