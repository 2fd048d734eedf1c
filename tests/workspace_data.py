"""Rows for the advisor-workspace tests, on the demo network.

Every test makes its own advisor (with a known password) and its own people, so that tests
never see each other's dossiers; the rows stay in the throwaway database.
"""

from __future__ import annotations

import uuid
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from portal import clock as portal_clock
from portal.advisor.models import ConsentMode, Dossier, PurchaseOrder, Unit, UnitKind
from portal.advisor.units import Consent, EntryData, engage_unit, open_dossier
from portal.network.models import Operator, Site, StaffMember, StaffRole
from portal.people.models import Beneficiary
from portal.people.profile_models import DossierProfile

PASSWORD = "un mot de passe de test assez long"
PASSWORD_HASH = generate_password_hash(PASSWORD)
ENTRY = EntryData(origine="individuelle", motif="projet", motif_detaille="changer_metier")


def operator(session: Session, code: str = "16") -> Operator:
    found = session.scalar(select(Operator).where(Operator.code == code))
    assert found is not None
    return found


def staff(
    session: Session, code: str = "16", role: StaffRole = StaffRole.ADVISOR, name: str = ""
) -> StaffMember:
    """A new member of operator `code` (or of no operator for the mediator and France
    compétences), who signs in with PASSWORD."""
    members = (StaffRole.ADVISOR, StaffRole.MANAGER, StaffRole.INFORMATION)
    op = operator(session, code) if role in members else None
    member = StaffMember(
        operator_id=op.id if op else None,
        email=f"ws-{uuid.uuid4().hex[:12]}@test.cep-demo.example",
        full_name=name or f"Conseillère {uuid.uuid4().hex[:6]}",
        role=role,
        password_hash=PASSWORD_HASH,
    )
    if op is not None and role == StaffRole.ADVISOR:
        first_site = session.scalar(
            select(Site).where(Site.operator_id == op.id).order_by(Site.id).limit(1)
        )
        if first_site is not None:
            member.sites.append(first_site)
    session.add(member)
    session.flush()
    return member


def person(
    session: Session, *, email: str | None = None, last_name: str = "Lefèvre"
) -> Beneficiary:
    beneficiary = Beneficiary(
        last_name=last_name,
        first_name="Camille",
        email=email or f"camille-{uuid.uuid4().hex[:8]}@example.org",
        phone="+33612345678",
        birth_date=date(1985, 6, 15),
        consent_at=portal_clock.now(),
        consent_version="test",
    )
    session.add(beneficiary)
    session.flush()
    return beneficiary


def dossier(
    session: Session, advisor: StaffMember, *, opened_on: date, who: Beneficiary | None = None
) -> Dossier:
    assert advisor.operator_id is not None
    return open_dossier(
        session,
        beneficiary=who or person(session),
        operator_id=advisor.operator_id,
        advisor=advisor,
        opened_on=opened_on,
        site_id=advisor.sites[0].id if advisor.sites else None,
    )


def engaged(
    session: Session,
    advisor: StaffMember,
    kind: UnitKind = UnitKind.UO1,
    *,
    engaged_on: date,
    today: date,
    in_dossier: Dossier | None = None,
    profile: bool = True,
) -> Unit:
    """A unit engaged on `engaged_on` (a new dossier opened that day unless one is given),
    its dossier's Annex 2 profile complete unless `profile` is False (printing needs it)."""
    target = in_dossier or dossier(session, advisor, opened_on=engaged_on)
    if profile and session.get(DossierProfile, target.id) is None:
        complete_profile(session, target)
    return engage_unit(
        session,
        target,
        kind,
        engaged_on=engaged_on,
        consent=Consent(given_on=engaged_on, mode=ConsentMode.ORAL),
        entry=ENTRY,
        by=advisor,
        today=today,
    )


# A complete Annex 2 profile (issue 15 §1), as the export shows it.
PROFILE = {
    "sexe": "F",
    "adresse_numero": "12",
    "adresse_type_voie": "RUE",
    "adresse_nom_voie": "de la Soif",
    "adresse_commune_insee": "35238",
    "adresse_commune": "Rennes",
    "adresse_code_postal": "35000",
    "entreprise_commune_insee": "35047",
    "entreprise_commune": "Bruz",
    "entreprise_code_postal": "35170",
    "entreprise_departement": "35",
    "handicap": "non",
    "niveau_formation": "niveau_4",
    "secteur_activite": "H",
    "taille_entreprise": "50_249",
    "categorie_sociale": "6",
    "libelle_secteur": "Logistique",
    "libelle_profession": "Préparatrice de commandes",
    "statut": "cdi",
    "entree_entreprise": date(2013, 9, 1),
}


def complete_profile(session: Session, target: Dossier) -> DossierProfile:
    profile = DossierProfile(dossier_id=target.id, **PROFILE)
    session.add(profile)
    session.flush()
    return profile


def sign_in(client: FlaskClient, email: str) -> FlaskClient:
    response = client.post("/pro/connexion", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.data
    return client


def ensure_orders(session: Session, code: str, years: tuple[int, ...]) -> None:
    """An order per UO for each year that has none yet (the demo covers last year to next)."""
    op = operator(session, code)
    for year in years:
        for kind in UnitKind:
            found = session.scalar(
                select(PurchaseOrder.id).where(
                    PurchaseOrder.operator_id == op.id,
                    PurchaseOrder.year == year,
                    PurchaseOrder.kind == kind,
                )
            )
            if found is None:
                session.add(
                    PurchaseOrder(
                        operator_id=op.id,
                        year=year,
                        kind=kind,
                        number=1,
                        quantity=1000,
                        issued_on=date(year, 1, 2),
                    )
                )
    session.flush()
