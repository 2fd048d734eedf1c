"""The public front door through the Flask test client: what a person sees and what is kept."""

from __future__ import annotations

import html as htmllib
import re
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.orientation.models import OrientationContact

ANSWERS = {"situation": "salarie_prive", "cadre": "0", "age": "41", "rqth": "0", "suivi": "0"}


def text_of(html: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode())))


def contacts(app: Flask) -> int:
    from portal.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count(OrientationContact.id))) or 0


@pytest.mark.parametrize(
    "url", ["/", "/lieux", "/lieux?home=Brest", "/accessibilite", "/mediateur"]
)
def test_every_page_names_the_mediator_and_has_landmarks(client: FlaskClient, url: str) -> None:
    html = client.get(url).data.decode()
    assert "médiateur de France compétences" in html
    assert "11 rue Scribe, 75009 Paris" in html
    assert 'class="skip-link" href="#contenu"' in html
    for landmark in ("<header", "<main", "<footer", "<nav"):
        assert landmark in html
    assert '<html lang="fr">' in html


def test_a_person_gets_their_operator_and_nearest_sites_without_javascript(
    app: Flask, client: FlaskClient
) -> None:
    before = contacts(app)
    response = client.post("/", data={"home": "Brest", "key": uuid.uuid4().hex, **ANSWERS})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/resultat")
    assert contacts(app) == before + 1

    page = text_of(client.get("/resultat").data)
    assert "L'opérateur régional du conseil en évolution professionnelle est fait pour vous" in page
    assert "CEP Bretagne — opérateur de démonstration" in page
    assert "Près de chez vous : Brest (29200)" in page
    assert "Les 5 lieux d'accueil les plus proches" in page
    assert "CEP Brest 0,0 km" in page
    assert "horaire élargi" in page
    assert "Ne démissionnez pas avant d'avoir fait valider votre projet" in page


def test_the_same_form_submitted_twice_records_one_contact(app: Flask, client: FlaskClient) -> None:
    key = uuid.uuid4().hex
    before = contacts(app)
    for _ in range(2):
        assert client.post("/", data={"home": "29200", "key": key, **ANSWERS}).status_code == 303
    assert contacts(app) == before + 1


def test_the_contact_keeps_no_personal_data(app: Flask, client: FlaskClient) -> None:
    key = uuid.uuid4().hex
    data = {
        **ANSWERS,
        "home": "Lyon",
        "rqth": "1",
        "age": "52",
        "motif": "changer_metier",
        "key": key,
    }
    client.post("/", data=data)
    from portal.extensions import db

    with app.app_context():
        contact = db.session.scalars(
            select(OrientationContact).where(OrientationContact.key == key)
        ).one()
        assert contact.route == "cap_emploi"
        assert contact.motif == "changer_metier"
        assert contact.contact_mode == "web"
        assert contact.lot_number == 2
        stored = " ".join(str(getattr(contact, c.key)) for c in OrientationContact.__table__.c)
    assert "52" not in stored.split()
    assert not any("rqth" in c.key or c.key == "age" for c in OrientationContact.__table__.c)


def test_bad_input_is_explained_and_what_was_typed_is_kept(client: FlaskClient) -> None:
    response = client.post(
        "/",
        data={
            "home": "3500",
            "work": "Xyzzyville",
            "age": "abc",
            "situation": "independant",
            "key": "k",
        },
    )
    assert response.status_code == 422
    html = response.data.decode()
    page = text_of(response.data)
    assert "Erreur : Trouver mon conseil" in page  # the title says the page has errors
    assert "« 3500 » n'est pas un code postal" in page
    assert "Nous ne trouvons pas de commune « Xyzzyville »" in page
    assert "Dites-nous si vous êtes cadre." in page
    assert 'value="3500"' in html and 'value="Xyzzyville"' in html
    assert re.search(r'value="independant"\s+checked', html)
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html


def test_a_postal_code_across_two_regions_asks_which_commune(client: FlaskClient) -> None:
    response = client.post("/", data={"home": "37160", "key": uuid.uuid4().hex, **ANSWERS})
    assert response.status_code == 422
    page = text_of(response.data)
    assert "Plusieurs communes correspondent à « 37160 »" in page
    assert "Nouvelle-Aquitaine" in page and "Centre-Val de Loire" in page
    picked = re.search(r'name="home_choice" value="(\w+)"', response.data.decode())
    assert picked
    again = client.post(
        "/", data={"home": "37160", "home_choice": picked[1], "key": uuid.uuid4().hex, **ANSWERS}
    )
    assert again.status_code == 303


def test_monaco_is_told_it_has_no_regional_operator(client: FlaskClient) -> None:
    client.post("/", data={"home": "98000", "key": uuid.uuid4().hex, **ANSWERS})
    page = text_of(client.get("/resultat").data)
    assert "Aucun opérateur régional ne couvre Monaco" in page
    assert "Apec" in page and "France Travail" in page


def test_home_and_work_in_two_lots_offer_both_operators(client: FlaskClient) -> None:
    client.post(
        "/", data={"home": "Compiègne", "work": "75008", "key": uuid.uuid4().hex, **ANSWERS}
    )
    page = text_of(client.get("/resultat").data)
    assert "deux régions différentes" in page
    assert "CEP Hauts-de-France — opérateur de démonstration" in page
    assert "CEP Île-de-France — opérateur de démonstration" in page
    assert "Près de votre travail : Paris 8e Arrondissement (75008)" in page


def test_a_public_agent_is_told_where_to_go_and_sees_no_regional_sites(client: FlaskClient) -> None:
    data = {**ANSWERS, "situation": "agent_public", "home": "Rennes", "key": uuid.uuid4().hex}
    client.post("/", data=data)
    page = text_of(client.get("/resultat").data)
    assert "L'opérateur régional ne peut pas vous accompagner" in page
    assert "proposé par leur employeur public" in page
    assert "lieux d'accueil les plus proches" not in page


def test_the_result_page_without_answers_goes_back_to_the_questionnaire(app: Flask) -> None:
    response = app.test_client().get("/resultat")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/")


def test_suggestions_answer_a_fragment_to_htmx_and_a_page_otherwise(client: FlaskClient) -> None:
    fragment = client.get(
        "/communes/suggestions?field=home&home=st+mal", headers={"HX-Request": "true"}
    )
    assert fragment.data.decode().lstrip().startswith('<datalist id="home-suggestions">')
    assert 'value="Saint-Malo (35400)"' in fragment.data.decode()
    assert "HX-Request" in fragment.headers["Vary"]
    page = client.get("/communes/suggestions?field=home&home=st+mal")
    assert "<html" in page.data.decode() and "Saint-Malo (35400)" in page.data.decode()
    assert "HX-Request" in page.headers["Vary"]
    boosted = client.get(
        "/communes/suggestions?field=home&home=st+mal",
        headers={"HX-Request": "true", "HX-Boosted": "true"},
    )
    assert "<html" in boosted.data.decode()


def test_the_locator_page_works_from_a_plain_link(client: FlaskClient) -> None:
    page = text_of(client.get("/lieux?home=Ajaccio").data)
    assert "CEP Corse — opérateur de démonstration" in page
    assert "Lot 16 — Corse" in page
    bad = client.get("/lieux?home=123")
    assert bad.status_code == 422
    assert "« 123 » n'est pas un code postal" in text_of(bad.data)


def test_the_language_switch_keeps_the_page_and_refuses_other_sites(client: FlaskClient) -> None:
    response = client.get("/langue/en?next=/lieux?home=Brest")
    assert response.status_code == 303 and response.headers["Location"] == "/lieux?home=Brest"
    assert '<html lang="en">' in client.get("/").data.decode()
    evil = client.get("/langue/fr?next=https://evil.example/")
    assert evil.headers["Location"] == "/"
    assert client.get("/langue/fr?next=//evil.example").headers["Location"] == "/"
    assert client.get("/langue/fr?next=/%5Cevil.example").headers["Location"] == "/"


def test_a_post_without_csrf_token_is_refused(
    app: Flask, database_url: str, tmp_path: object
) -> None:
    from pathlib import Path

    from tests.other_apps import other_app

    before = contacts(app)
    with other_app(database_url, Path(str(tmp_path)), WTF_CSRF_ENABLED=True) as strict:
        response = strict.test_client().post("/", data={"home": "Brest", **ANSWERS})
    # The questionnaire comes back to be sent again (portal/csrf.py); nothing is recorded.
    assert response.status_code == 422
    assert "Votre session a expiré" in text_of(response.data)
    assert contacts(app) == before


def test_a_tampered_form_key_is_replaced_not_stored(app: Flask, client: FlaskClient) -> None:
    before = contacts(app)
    response = client.post("/", data={"home": "Brest", "key": "x" * 300, **ANSWERS})
    assert response.status_code == 303
    assert contacts(app) == before + 1


def test_an_answer_that_can_no_longer_be_read_asks_again(client: FlaskClient) -> None:
    stale = {"route": "apec", "alternatives": [], "reasons": [], "home": {"insee": "99999"}}
    with client.session_transaction() as s:
        s["orientation"] = stale
    response = client.get("/resultat")
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    with client.session_transaction() as s:
        assert "orientation" not in s
