"""The manager's site screens through the test client: the list and its warnings, editing a
site's details, hours and closures, and who may open what."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from portal.auth.models import LoginAttempt
from portal.auth.services import hash_password
from portal.clock import today_in_france
from portal.extensions import db
from portal.network.models import Operator, Site, SiteClosure, SiteKind, StaffMember

PASSWORD = "un mot de passe de test assez long"
MANAGER = "manager@lot10.cep-demo.example"
ADVISOR = "conseiller1@lot10.cep-demo.example"
CORSICA_MANAGER = "manager@lot16.cep-demo.example"
STAFF = (MANAGER, ADVISOR, CORSICA_MANAGER)


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@pytest.fixture(scope="module")
def passwords(app: Flask) -> Iterator[None]:
    with app.app_context():
        members = db.session.scalars(select(StaffMember).where(StaffMember.email.in_(STAFF)))
        password_hash = hash_password(PASSWORD)
        for member in members:
            member.password_hash = password_hash
        db.session.commit()
    yield
    with app.app_context():
        for member in db.session.scalars(select(StaffMember).where(StaffMember.email.in_(STAFF))):
            member.password_hash = None
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.email.in_(STAFF)))
        db.session.commit()


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/pro/connexion", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.data
    return client


@pytest.fixture
def manager(app: Flask, passwords: None) -> FlaskClient:
    return signed_in(app, MANAGER)


def sites_of(lot_code: str) -> list[Site]:
    return list(
        db.session.scalars(
            select(Site).join(Operator).where(Operator.code == lot_code).order_by(Site.id)
        )
    )


def a_site(app: Flask, lot_code: str = "10", kind: SiteKind = SiteKind.AGENCE) -> tuple[int, str]:
    with app.app_context():
        site = next(s for s in sites_of(lot_code) if s.kind == kind and s.active)
        return site.id, site.name


def version_of(app: Flask, site_id: int) -> int:
    with app.app_context():
        site = db.session.get(Site, site_id)
        assert site
        return site.version


def test_the_list_shows_the_sites_and_warns_about_a_partner_permanence(
    app: Flask, manager: FlaskClient
) -> None:
    _, permanence = a_site(app, kind=SiteKind.PERMANENCE)
    html = manager.get("/pro/sites").data.decode()
    assert "45 sites sur 45" in text_of(html.encode())
    items = html.split('<li class="card staff-site')[1:]
    (item,) = [text_of(i.encode()) for i in items if htmllib.escape(permanence) in i]
    assert "Permanence chez un partenaire" in item
    assert "Sur place" in item and "Par téléphone" in item
    assert re.search(r"Horaires élargis 0 jours? par semaine : il en faut au moins 2\.", item)
    agences = [text_of(i.encode()) for i in items if ">CEP " in i]
    assert any("Horaires élargis" not in agence for agence in agences)


def test_the_list_filters_by_name_or_commune_and_htmx_gets_the_list_only(
    manager: FlaskClient,
) -> None:
    page = text_of(manager.get("/pro/sites?q=QUIMPER").data)
    assert "CEP Quimper" in page and "CEP Rennes" not in page
    fragment = manager.get("/pro/sites?q=quimper", headers={"HX-Request": "true"})
    assert fragment.data.decode().lstrip().startswith('<div id="site-list"')
    assert "CEP Quimper" in fragment.data.decode()
    assert "HX-Request" in fragment.headers["Vary"]
    short = text_of(manager.get("/pro/sites?short=y").data)
    assert "(permanence)" in short and "CEP Rennes" not in short


def test_a_manager_adds_and_removes_opening_hours(app: Flask, manager: FlaskClient) -> None:
    site_id, _ = a_site(app)
    version = version_of(app, site_id)
    response = manager.post(
        f"/pro/sites/{site_id}/horaires", data={"weekday": "6", "opens": "08:00", "closes": "09:30"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pro/sites/{site_id}"
    page = text_of(manager.get(f"/pro/sites/{site_id}").data)
    assert "Ouverture ajoutée : dimanche, 8 h 00 – 9 h 30." in page
    assert "Dimanche 8 h 00 – 9 h 30 horaire élargi : tôt le matin" in page
    assert version_of(app, site_id) == version + 1
    with app.app_context():
        site = db.session.get(Site, site_id)
        assert site
        (added_id,) = [h.id for h in site.hours if h.weekday == 6]
    removed = manager.post(f"/pro/sites/{site_id}/horaires/{added_id}/suppression")
    assert removed.status_code == 303
    assert version_of(app, site_id) == version + 2
    assert "Dimanche Fermé" in text_of(manager.get(f"/pro/sites/{site_id}").data)


def test_overlapping_hours_are_refused_next_to_the_field_keeping_what_was_typed(
    app: Flask, manager: FlaskClient
) -> None:
    site_id, _ = a_site(app)
    version = version_of(app, site_id)
    response = manager.post(
        f"/pro/sites/{site_id}/horaires", data={"weekday": "1", "opens": "10:00", "closes": "11:15"}
    )
    assert response.status_code == 422
    html = response.data.decode()
    page = text_of(response.data)
    assert "Erreur :" in page
    assert "Ces horaires chevauchent ceux du mardi" in page
    assert 'value="10:00"' in html and 'value="11:15"' in html
    assert re.search(r'<option value="1" selected>', html)
    assert 'aria-invalid="true"' in html
    # The other forms of the page keep the site's values.
    assert 'id="active" name="active" value="y" checked' in html
    assert version_of(app, site_id) == version
    backwards = manager.post(
        f"/pro/sites/{site_id}/horaires",
        data={"weekday": "6", "opens": "18:00", "closes": "09:00"},
        headers={"HX-Request": "true"},
    )
    # To htmx: the schedule fragment with the error, as a 200 so that htmx swaps it.
    assert backwards.status_code == 200
    assert backwards.data.decode().lstrip().startswith('<div id="site-schedule"')
    assert "L'heure de fermeture doit être après l'heure d'ouverture." in text_of(backwards.data)


def test_a_closure_that_leaves_a_departement_without_an_open_site_is_flagged(
    app: Flask, passwords: None
) -> None:
    corsica = signed_in(app, CORSICA_MANAGER)
    year = today_in_france().year + 1
    first_of_august = date(year, 8, 1)
    monday = first_of_august + timedelta(days=(7 - first_of_august.weekday()) % 7)
    friday = monday + timedelta(days=4)
    with app.app_context():
        in_2a = [s.id for s in sites_of("16") if s.commune_insee.startswith("2A")]
    assert len(in_2a) >= 2
    try:
        first = corsica.post(
            f"/pro/sites/{in_2a[0]}/fermetures",
            data={"starts_on": f"{year}-07-01", "ends_on": f"{year}-08-31", "reason": "Congés"},
            headers={"HX-Request": "true"},
        )
        assert "Fermeture enregistrée." in text_of(first.data)
        assert "Attention" not in text_of(first.data)
        for other in in_2a[1:]:
            last = corsica.post(
                f"/pro/sites/{other}/fermetures",
                data={"starts_on": monday.isoformat(), "ends_on": friday.isoformat()},
            )
            assert last.status_code == 303
        page = text_of(corsica.get(last.headers["Location"]).data)
        assert "aucun lieu de votre opérateur n'est ouvert dans le département 2A" in page
        assert f"du {monday.day} août {year} au {friday.day} août {year}" in page
    finally:
        with app.app_context():
            db.session.execute(delete(SiteClosure).where(SiteClosure.site_id.in_(in_2a)))
            db.session.commit()


def test_a_manager_edits_the_details_and_a_wrong_commune_is_explained(
    app: Flask, manager: FlaskClient
) -> None:
    site_id, _ = a_site(app)
    with app.app_context():
        site = db.session.get(Site, site_id)
        assert site
        form = {
            "name": site.name,
            "kind": site.kind,
            "street": site.street,
            "postal_code": site.postal_code,
            "commune_name": site.commune_name,
            "offers_presentiel": "y",
            "offers_telephone": "y",
            "step_free_access": "y",
            "access_note": "",
            "phone": "01 99 00 10 99",
            "email": site.email,
            "active": "y",
        }
        before = {"phone": site.phone, "visio": site.offers_visio, "version": site.version}
    try:
        wrong = manager.post(
            f"/pro/sites/{site_id}", data={**form, "postal_code": "29200", "commune_name": "Brest"}
        )
        # Brest is fine for lot 10 (Bretagne); Lyon is not.
        assert wrong.status_code == 303
        lyon = manager.post(
            f"/pro/sites/{site_id}", data={**form, "postal_code": "69001", "commune_name": "Lyon"}
        )
        assert lyon.status_code == 422
        assert "n'est pas dans le territoire de votre lot (Bretagne)" in text_of(lyon.data)
        mismatch = manager.post(
            f"/pro/sites/{site_id}", data={**form, "postal_code": "35000", "commune_name": "Brest"}
        )
        assert "« Brest » ne porte pas le code postal 35000" in text_of(mismatch.data)
        assert 'value="Brest"' in mismatch.data.decode()
        nothing = {k: v for k, v in form.items() if not k.startswith("offers_")}
        assert "Cochez au moins une modalité." in text_of(
            manager.post(f"/pro/sites/{site_id}", data=nothing).data
        )
        saved = manager.post(f"/pro/sites/{site_id}", data=form)
        assert saved.status_code == 303
        with app.app_context():
            site = db.session.get(Site, site_id)
            assert site
            assert site.phone == "01 99 00 10 99" and not site.offers_visio
            assert site.version == before["version"] + 2  # Brest, then back
    finally:
        with app.app_context():
            site = db.session.get(Site, site_id)
            assert site
            site.phone, site.offers_visio = str(before["phone"]), bool(before["visio"])
            db.session.commit()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/pro/sites"),
        ("get", "/pro/sites/{site}"),
        ("post", "/pro/sites/{site}/horaires"),
        ("post", "/pro/sites/{site}/fermetures"),
    ],
)
@pytest.mark.parametrize("who", ["advisor", "foreign manager"])
def test_advisors_and_other_operators_get_404(
    app: Flask, passwords: None, method: str, path: str, who: str
) -> None:
    site_id, _ = a_site(app)
    client = signed_in(app, ADVISOR if who == "advisor" else CORSICA_MANAGER)
    if who == "foreign manager" and path == "/pro/sites":
        assert client.get(path).status_code == 200  # their own list
        return
    data = {"weekday": "6", "opens": "10:00", "closes": "11:00"}
    response = getattr(client, method)(path.format(site=site_id), data=data)
    assert response.status_code == 404


def test_the_advisor_home_has_no_manager_summary(app: Flask, passwords: None) -> None:
    page = text_of(signed_in(app, ADVISOR).get("/pro/").data)
    assert "CEP Bretagne — opérateur de démonstration" in page
    assert "Sites et horaires" not in page
    assert "À suivre" not in page


def test_the_manager_home_counts_sites_short_of_the_rule(manager: FlaskClient) -> None:
    page = text_of(manager.get("/pro/").data)
    assert re.search(r"\b\d+ sites ouverts sur 45 n'ont pas d'horaires élargis", page)
    assert "demandes en attente" in page or "demande en attente" in page
