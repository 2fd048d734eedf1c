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
    """Annex 2 « Motif de sollicitation » (with the detailed motives the examples name)."""

    FAIRE_LE_POINT = "faire_le_point"
    COMPETENCES = "competences"
    PROJET = "projet"
    RECONVERSION = "reconversion"
    CREATION_ENTREPRISE = "creation_entreprise"
    FORMATION = "formation"
    DEMISSION_RECONVERSION = "demission_reconversion"
