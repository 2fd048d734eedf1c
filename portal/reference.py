"""Reference values of CCTP Annex 2 shared by several domains.

France compétences announced reference tables for these fields without publishing them in
the CCTP; the codes below follow the Annex 2 examples and are stable identifiers for exports.
People read them through the labels in each domain's web layer.
"""

from __future__ import annotations

from enum import StrEnum


class ContactMode(StrEnum):
    """Annex 2 « Mode de contact »: présentiel, atelier collectif, e-mail, téléphone, chat…"""

    WEB = "web"
    PRESENTIEL = "presentiel"
    TELEPHONE = "telephone"
    VISIO = "visio"
    EMAIL = "email"
    ATELIER_COLLECTIF = "atelier_collectif"


class Motif(StrEnum):
    """Annex 2 « Motif de sollicitation », as a person gives it at the front door or when
    booking: a short list of seven, each value a code of the Annex 2 reference lists
    (`portal/advisor/reference_data.py`, table `reference_item`). The three broad motives are
    codes of list `motif`; the four others are codes of list `motif_detaille`, whose `parent`
    gives the motive (`tests/unit/test_motif_vocabulary.py` keeps the two from drifting).

    The person reads them in their own words (`portal/orientation/labels.MOTIFS`); advisors
    and the Annex 2 export read the reference labels."""

    FAIRE_LE_POINT = "faire_le_point"  # motif
    COMPETENCES = "competences"  # motif
    PROJET = "projet"  # motif
    CHANGER_METIER = "changer_metier"  # motif_detaille of « projet »
    CREER_ENTREPRISE = "creer_entreprise"  # motif_detaille of « projet »
    SE_FORMER = "se_former"  # motif_detaille of « competences »
    DEMISSION_RECONVERSION = "demission_reconversion"  # motif_detaille of « projet »


# The `motif` of each detailed motive above (its `parent` in the reference list), for the
# exports that must send both without reading the tables (the UO0 row of Annex 2).
MOTIF_PARENTS: dict[Motif, Motif] = {
    Motif.CHANGER_METIER: Motif.PROJET,
    Motif.CREER_ENTREPRISE: Motif.PROJET,
    Motif.SE_FORMER: Motif.COMPETENCES,
    Motif.DEMISSION_RECONVERSION: Motif.PROJET,
}


def motif_pair(value: object) -> tuple[str | None, str | None]:
    """(motif, motif_detaille) of a motive a person gave; (None, None) when none is known."""
    found = motif_from(value)
    if found is None:
        return None, None
    parent = MOTIF_PARENTS.get(found)
    return (parent.value, found.value) if parent is not None else (found.value, None)


# The values the portal used before its motives became reference codes (issue 15, migration
# 0022): links in e-mails and bookmarks, forms left open, and sealed front-door answers in a
# session cookie may still carry them. The one place that knows them.
FORMER_MOTIFS: dict[str, Motif] = {
    "reconversion": Motif.CHANGER_METIER,
    "creation_entreprise": Motif.CREER_ENTREPRISE,
    "formation": Motif.SE_FORMER,
}


def motif_from(value: object) -> Motif | None:
    """The motive a value names (a current code or a former one), or None for anything else
    (nothing given, or a value no release ever used)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value in FORMER_MOTIFS:
        return FORMER_MOTIFS[value]
    try:
        return Motif(value)
    except ValueError:
        return None


def canonical_motif(value: object) -> object:
    """The WTForms filter of a motive field: a former value becomes its code; anything else
    is left for the field's own check of its choices."""
    found = motif_from(value)
    return found.value if found is not None else value
