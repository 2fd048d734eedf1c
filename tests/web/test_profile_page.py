"""The Annex 2 profile page (/pro/dossiers/<id>/profil, issue 15 §1): saved, refused with
the typed values kept in French and English, communes resolved from the gazetteer (one,
several, none), read-only for managers, 404 for another operator; the dossier page lists
what is missing; printing the livrable is refused until the due fields are there."""

from __future__ import annotations

import html as htmllib
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.advisor.models import Dossier, UnitKind
from portal.booking.models import AppointmentRequest, RequestStatus
from portal.clock import now, today_in_france
from portal.extensions import db
from portal.livrables.models import Livrable, LivrableKind, LivrableStatus
from portal.network.models import StaffRole
from portal.orientation.models import OrientationContact
from portal.orientation.rules import Route, Situation
from portal.people.profile_models import DossierProfile
from portal.privacy.export import export_person
from tests.workspace_data import engaged, sign_in, staff

GOOD = {
    "sexe": "F",
    "adresse_numero": "12 bis",
    "adresse_type_voie": "RUE",
    "adresse_nom_voie": "de la Soif",
    "home": "35000",
    "niveau_formation": "niveau_4",
    "statut": "cdi",
    "categorie_sociale": "6",
    "libelle_profession": "Préparatrice de commandes",
    "secteur_activite": "H",
    "libelle_secteur": "Logistique",
    "taille_entreprise": "50_249",
    "entree_entreprise": "2013-09",
    "work": "Bruz",
}
ETAT = {
    "sections": {
        "situation": "Salariée en logistique depuis douze ans, souhaite changer de métier.",
        "informations": "CPF, PTP, Transitions Pro ; les métiers du soin recrutent.",
        "next_steps": "UO2.1 avec le même conseiller, trois entretiens.",
    },
    "decision": "uo21",
}


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass
class Case:
    dossier_id: int
    unit_id: int
    advisor: str
    manager: str
    stranger: str


@pytest.fixture
def case(app: Flask) -> Case:
    today = today_in_france()
    with app.app_context():
        session = db.session
        advisor = staff(session, "16")
        unit = engaged(
            session, advisor, engaged_on=today - timedelta(days=10), today=today, profile=False
        )
        session.add(Livrable(unit=unit, kind=LivrableKind.ETAT_DES_LIEUX, content=ETAT))
        made = Case(
            unit.dossier_id,
            unit.id,
            advisor.email,
            staff(session, "16", StaffRole.MANAGER).email,
            staff(session, "10").email,
        )
        session.commit()
    return made


def url(case: Case, lang: str = "fr") -> str:
    return f"/pro/dossiers/{case.dossier_id}/profil?lang={lang}"


def client_of(app: Flask, email: str) -> FlaskClient:
    return sign_in(app.test_client(), email)


def stored(app: Flask, case: Case) -> DossierProfile | None:
    with app.app_context():
        return db.session.get(DossierProfile, case.dossier_id)


def test_the_profile_is_saved_with_the_communes_from_the_gazetteer(app: Flask, case: Case) -> None:
    client = client_of(app, case.advisor)
    assert client.get(url(case)).status_code == 200
    response = client.post(url(case), data=GOOD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/pro/dossiers/{case.dossier_id}#profil")
    profile = stored(app, case)
    assert profile is not None
    assert (profile.adresse_commune_insee, profile.adresse_commune) == ("35238", "Rennes")
    assert profile.adresse_code_postal == "35000"
    assert (profile.entreprise_commune, profile.entreprise_code_postal) == ("Bruz", "35170")
    assert profile.entreprise_departement == "35"
    assert profile.entree_entreprise == date(2013, 9, 1)
    assert (profile.sexe, profile.statut, profile.secteur_activite) == ("F", "cdi", "H")
    page = client.get(url(case)).data.decode()
    assert 'value="Rennes (35000)"' in page and 'value="2013-09"' in page
    dossier_page = text_of(client.get(f"/pro/dossiers/{case.dossier_id}").data)
    assert "Le profil est complet pour les unités du dossier." in dossier_page


def test_an_employer_abroad_gets_department_00(app: Flask, case: Case) -> None:
    client = client_of(app, case.advisor)
    data = GOOD | {"work": "Genève", "entreprise_etranger": "y"}
    assert client.post(url(case), data=data).status_code == 303
    profile = stored(app, case)
    assert profile is not None
    assert (profile.entreprise_departement, profile.entreprise_commune) == ("00", "Genève")
    assert profile.entreprise_code_postal is None


@pytest.mark.parametrize(
    ("lang", "month_error", "list_error"),
    [
        ("fr", "Indiquez un mois sous la forme AAAA-MM", "Choisissez une valeur de la liste."),
        ("en", "Give a month as YYYY-MM", "Choose a value from the list."),
    ],
)
def test_bad_input_is_explained_and_kept(
    app: Flask, case: Case, lang: str, month_error: str, list_error: str
) -> None:
    client = client_of(app, case.advisor)
    data = GOOD | {"entree_entreprise": "sept 2013", "secteur_activite": "Z", "home": "Rennes"}
    response = client.post(url(case, lang), data=data)
    assert response.status_code == 422
    page = text_of(response.data)
    assert month_error in page
    assert list_error in page
    assert 'value="sept 2013"' in response.data.decode()
    assert 'value="de la Soif"' in response.data.decode()
    assert stored(app, case) is None


def test_a_month_in_the_future_or_before_14_years_old_is_refused(app: Flask, case: Case) -> None:
    client = client_of(app, case.advisor)
    next_month = today_in_france().replace(day=1) + timedelta(days=32)
    response = client.post(url(case), data=GOOD | {"entree_entreprise": f"{next_month:%Y-%m}"})
    assert response.status_code == 422
    assert "Ce mois est dans le futur." in text_of(response.data)
    # ws.person is born in June 1985: 14 years old in June 1999.
    response = client.post(url(case, "en"), data=GOOD | {"entree_entreprise": "1999-05"})
    assert response.status_code == 422
    assert "before the person turned 14" in text_of(response.data)
    assert client.post(url(case), data=GOOD | {"entree_entreprise": "1999-06"}).status_code == 303


def test_an_ambiguous_commune_lists_its_candidates_then_one_is_picked(
    app: Flask, case: Case
) -> None:
    client = client_of(app, case.advisor)
    response = client.post(url(case), data=GOOD | {"home": "Toulouse"})
    assert response.status_code == 422
    page = text_of(response.data)
    assert "Plusieurs communes correspondent à « Toulouse » : choisissez-en une." in page
    # Asked of the advisor about the person, not « la vôtre » as on the public pages.
    assert "Choisissez celle de la personne" in page and "Choisissez la vôtre" not in page
    assert "Toulouse (31000)" in page and "Toulouse (31500)" in page
    picked = GOOD | {"home": "Toulouse", "home_choice": "Toulouse (31400)"}
    assert client.post(url(case), data=picked).status_code == 303
    profile = stored(app, case)
    assert profile is not None
    assert (profile.adresse_commune_insee, profile.adresse_code_postal) == ("31555", "31400")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Xyzzyville", "Aucune commune ne correspond à « Xyzzyville »"),
        ("3500", "« 3500 » n'est pas un code postal"),
    ],
)
def test_an_unknown_commune_is_explained(app: Flask, case: Case, typed: str, message: str) -> None:
    client = client_of(app, case.advisor)
    response = client.post(url(case), data=GOOD | {"work": typed})
    assert response.status_code == 422
    assert message in text_of(response.data)
    assert f'value="{typed}"' in response.data.decode()


def test_the_manager_reads_and_another_operator_gets_404(app: Flask, case: Case) -> None:
    manager = client_of(app, case.manager)
    page = manager.get(url(case))
    assert page.status_code == 200
    assert "Lecture seule" in text_of(page.data)
    assert "Enregistrer le profil" not in text_of(page.data)
    assert manager.post(url(case), data=GOOD).status_code in (403, 404)
    stranger = client_of(app, case.stranger)
    assert stranger.get(url(case)).status_code == 404
    assert stranger.post(url(case), data=GOOD).status_code == 404
    assert stored(app, case) is None


def test_the_status_is_prefilled_from_the_front_door_situation(app: Flask, case: Case) -> None:
    with app.app_context():
        dossier = db.session.get_one(Dossier, case.dossier_id)
        request = AppointmentRequest(
            idempotency_key=uuid.uuid4().hex,
            beneficiary_id=dossier.beneficiary_id,
            operator_id=dossier.operator_id,
            competent_operator_id=dossier.operator_id,
            requested_on=dossier.opened_on,
            commune_insee="35238",
            territory="metropole",
            deadline=dossier.opened_on + timedelta(days=40),
            status=RequestStatus.HONOURED,
        )
        db.session.add(request)
        db.session.flush()
        dossier.request_id = request.id
        db.session.add(
            OrientationContact(
                key=str(uuid.uuid4()),
                contacted_on=dossier.opened_on,
                situation=Situation.INTERIMAIRE,
                route=Route.OPERATEUR_REGIONAL,
                request_id=request.id,
            )
        )
        db.session.commit()
    page = client_of(app, case.advisor).get(url(case))
    assert '<option value="interim" selected>' in page.data.decode()
    assert "Au premier contact, la personne a dit : Intérimaire." in text_of(page.data)


def test_printing_waits_for_the_profile_then_goes_through(app: Flask, case: Case) -> None:
    client = client_of(app, case.advisor)
    dossier_page = text_of(client.get(f"/pro/dossiers/{case.dossier_id}").data)
    assert "informations dues manquent" in dossier_page
    assert "Niveau de formation" in dossier_page
    print_url = f"/pro/unites/{case.unit_id}/livrable/imprimer"
    refused = client.post(print_url)
    assert refused.status_code == 422
    page = text_of(refused.data)
    assert "Le livrable ne peut pas encore être imprimé : il manque" in page
    assert "Profil Annexe 2 : Sexe" in page
    assert "Profil Annexe 2 : Entrée dans l'entreprise" in page
    assert f'href="/pro/dossiers/{case.dossier_id}/profil"' in refused.data.decode()

    assert client.post(url(case), data=GOOD).status_code == 303
    assert client.post(print_url).status_code == 303
    with app.app_context():
        status = db.session.scalar(select(Livrable.status).where(Livrable.unit_id == case.unit_id))
        assert status == LivrableStatus.FROZEN


def test_a_uo21_needs_the_same_fields(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        advisor = staff(db.session, "16")
        unit = engaged(
            db.session, advisor, UnitKind.UO21, engaged_on=today, today=today, profile=False
        )
        dossier_id, email = unit.dossier_id, advisor.email
        db.session.commit()
    page = text_of(client_of(app, email).get(f"/pro/dossiers/{dossier_id}").data)
    assert "Libellé de la profession" in page


def test_the_persons_data_export_carries_the_profile(app: Flask, case: Case) -> None:
    assert client_of(app, case.advisor).post(url(case), data=GOOD).status_code == 303
    with app.app_context():
        dossier = db.session.get_one(Dossier, case.dossier_id)
        exported = export_person(db.session, email=dossier.beneficiary.email, now=now())
    [row] = exported["tables"]["dossier_profile"]
    assert row["adresse_commune"] == "Rennes"
    assert row["statut"] == "cdi"
