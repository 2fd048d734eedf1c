"""The beneficiary profile of CCTP Annex 2 §1, due from UO1 (issue 15 §1).

One row per dossier: it describes the person as they were when accompanied (their employer,
status and socio-professional category may change from one dossier to the next). Coded fields
hold codes of the `reference_item` lists named beside them; every field may be empty until the
advisor fills it in, and printing a livrable checks what is due for its UO.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.network.models import StaffMember


class DossierProfile(Base):
    __tablename__ = "dossier_profile"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True
    )
    sexe: Mapped[str | None] = mapped_column(String(40))  # list `sexe`
    # The postal address; the commune comes from the gazetteer (its INSEE code and name).
    adresse_numero: Mapped[str | None] = mapped_column(String(10))  # « 12 », « 12 bis »
    adresse_type_voie: Mapped[str | None] = mapped_column(String(40))  # list `type_voie`
    adresse_nom_voie: Mapped[str | None] = mapped_column(String(150))
    adresse_commune_insee: Mapped[str | None] = mapped_column(String(5))
    adresse_commune: Mapped[str | None] = mapped_column(String(100))
    adresse_code_postal: Mapped[str | None] = mapped_column(String(5))
    # The employer's place (Annex 2: department « 00 » abroad).
    entreprise_commune_insee: Mapped[str | None] = mapped_column(String(5))
    entreprise_commune: Mapped[str | None] = mapped_column(String(100))
    entreprise_code_postal: Mapped[str | None] = mapped_column(String(5))
    entreprise_departement: Mapped[str | None] = mapped_column(String(3))
    handicap: Mapped[str | None] = mapped_column(String(40))  # list `handicap`
    niveau_formation: Mapped[str | None] = mapped_column(String(40))  # list `niveau_formation`
    secteur_activite: Mapped[str | None] = mapped_column(String(40))  # list `secteur_activite`
    taille_entreprise: Mapped[str | None] = mapped_column(String(40))  # list `taille_entreprise`
    categorie_sociale: Mapped[str | None] = mapped_column(String(40))  # list `categorie_sociale`
    libelle_secteur: Mapped[str | None] = mapped_column(String(200))
    libelle_profession: Mapped[str | None] = mapped_column(String(200))
    statut: Mapped[str | None] = mapped_column(String(40))  # list `statut`
    entree_entreprise: Mapped[date | None] = mapped_column(Date)  # the first of the month
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))

    updated_by: Mapped[StaffMember | None] = relationship()


__all__ = ["DossierProfile"]
