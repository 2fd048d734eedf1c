"""Every input is checked before the database (issue 10): control characters in text, ids past
the column's range, choices of white space only. Each finding's exact request is here, with
the answer a person now gets."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select
from wtforms import Form, PasswordField, StringField, TextAreaField

import portal
from portal.extensions import db
from portal.forms import MULTI_LINE, SINGLE_LINE, PortalForm, clean_text
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.people.models import Beneficiary
from portal.routing import MAX_ID, bounded_int
from tests import workspace_data as ws

RENNES = "35238"
INVISIBLE = "caractères invisibles non autorisés"


@pytest.fixture(autouse=True, scope="module")
def _no_mail_left(app: Flask) -> Iterator[None]:
    """The confirmations these bookings queue are not left for the next tests' sender."""
    with app.app_context():
        before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    yield
    with app.app_context():
        db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id > before))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > before))
        db.session.commit()


def _portal_form_classes() -> list[type[Form]]:
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    found: list[type[Form]] = []
    pending: list[type[Form]] = [Form]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("portal.") and sub is not PortalForm:
                found.append(sub)
    return found


def _bound(form_class: type[Form]) -> Form:
    parameters = inspect.signature(form_class.__init__).parameters
    extra = {"services": {}} if "services" in parameters else {}
    return form_class(formdata=None, meta={"csrf": False}, **extra)


def test_every_form_of_the_portal_filters_its_text_fields(app: Flask) -> None:
    classes = _portal_form_classes()
    assert len(classes) > 20  # the walk found the forms (booking, front door, manage…)
    outside = [c.__qualname__ for c in classes if not issubclass(c, PortalForm)]
    assert not outside, f"derive these forms from portal.forms.PortalForm: {outside}"
    missing = []
    with app.test_request_context():
        for form_class in classes:
            for field in _bound(form_class):
                if not isinstance(field, StringField) or isinstance(field, PasswordField):
                    continue
                wanted = MULTI_LINE if isinstance(field, TextAreaField) else SINGLE_LINE
                if wanted not in field.filters:
                    missing.append(f"{form_class.__qualname__}.{field.name}")
    assert not missing


def test_the_filter_keeps_line_breaks_only_where_they_belong() -> None:
    assert clean_text("  Mar\x00tin\x1b \n") == "Martin"
    assert clean_text("ligne 1\r\n\tligne 2\x0b\x00", multiline=True) == "ligne 1\r\n\tligne 2"
    assert clean_text("a\nb") == "ab"


def _booking_form(client: FlaskClient) -> dict[str, str]:
    html = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    slot_id = re.findall(r"/rendez-vous/creneau/(\d+)\?", html)[-1]
    page = client.get(f"/rendez-vous/creneau/{slot_id}?commune={RENNES}").get_data(as_text=True)
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page)
    assert key
    return {
        "key": key.group(1),
        "slot": slot_id,
        "commune": RENNES,
        "last_name": "Martin",
        "first_name": "Léa",
        "email": f"nul.{uuid.uuid4().hex[:8]}@example.org",
        "phone": "06 12 34 56 78",
        "birth_date": "1990-05-04",
        "modality": "presentiel",
        "consent": "y",
    }


def _people(app: Flask, email: str) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count()).select_from(Beneficiary).where(Beneficiary.email == email)
            )
            or 0
        )


@pytest.mark.parametrize(
    ("field", "typed", "kept"),
    [
        ("last_name", "Mar\x00tin", 'value="Martin"'),
        ("comment", "Bonjour\x00, à bientôt", ">Bonjour, à bientôt</textarea>"),
    ],
)
def test_a_nul_byte_is_refused_with_a_message_and_the_text_kept(
    client: FlaskClient, app: Flask, field: str, typed: str, kept: str
) -> None:
    data = {**_booking_form(client), field: typed}
    response = client.post("/rendez-vous/reserver", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert INVISIBLE in html
    assert kept in html
    assert "\x00" not in html
    assert _people(app, data["email"]) == 0
    # Sent again as shown (without the character), the booking goes through.
    again = client.post("/rendez-vous/reserver", data={**data, field: typed.replace("\x00", "")})
    assert again.status_code == 303
    assert _people(app, data["email"]) == 1


def test_line_breaks_in_a_comment_and_tabs_around_a_name_are_welcome(
    client: FlaskClient, app: Flask
) -> None:
    data = {**_booking_form(client), "comment": "Ligne 1\r\nLigne 2\tfin"}
    data["last_name"] = "\tMartin\t"  # pasted from a table
    assert client.post("/rendez-vous/reserver", data=data).status_code == 303
    with app.app_context():
        person = db.session.scalar(select(Beneficiary).where(Beneficiary.email == data["email"]))
        assert person is not None and person.last_name == "Martin"


def test_the_message_in_english(client: FlaskClient) -> None:
    data = {**_booking_form(client), "last_name": "Mar\x00tin"}
    client.get("/langue/en")
    try:
        html = client.post("/rendez-vous/reserver", data=data).get_data(as_text=True)
        assert "This field contained invisible characters" in html
    finally:
        client.get("/langue/fr")


def test_a_nul_byte_in_the_staff_sign_in_email(client: FlaskClient) -> None:
    response = client.post(
        "/pro/connexion", data={"email": "conseil\x00@example.org", "password": "x"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert INVISIBLE in html
    assert 'value="conseil@example.org"' in html


def test_a_nul_byte_in_the_space_sign_in_email(client: FlaskClient) -> None:
    response = client.post("/mon-espace/lien", data={"email": "lea\x00@example.org"})
    assert response.status_code == 422
    assert INVISIBLE in response.get_data(as_text=True)


# --- ids past the column's range --------------------------------------------------------------


def test_a_slot_id_past_the_integer_range_is_not_found(client: FlaskClient) -> None:
    response = client.get("/rendez-vous/creneau/2147483648?commune=2A004")
    assert response.status_code == 404
    assert "introuvable" in response.get_data(as_text=True).lower()
    assert client.get(f"/rendez-vous/creneau/{MAX_ID}?commune=2A004").status_code == 303


def test_a_huge_site_filter_is_ignored_with_a_message(client: FlaskClient) -> None:
    response = client.get("/rendez-vous?commune=2A004&site=99999999999999999999")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Un filtre n'était pas valide" in html
    assert "/rendez-vous/creneau/" in html


def test_a_huge_slot_in_the_booking_form_is_refused(client: FlaskClient) -> None:
    data = {**_booking_form(client), "slot": "99999999999999999999"}
    response = client.post("/rendez-vous/reserver", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "n&#39;est plus disponible" in html
    assert 'value="Martin"' in html


@pytest.fixture
def advisor_client(app: Flask, client: FlaskClient) -> Iterator[FlaskClient]:
    with app.app_context():
        email = ws.staff(db.session, "10").email
        db.session.commit()
    yield ws.sign_in(client, email)


def test_staff_pages_answer_404_past_the_range(advisor_client: FlaskClient) -> None:
    for url in ("/pro/dossiers/2147483648", "/pro/dossiers/0", "/pro/sites/99999999999999999999"):
        assert advisor_client.get(url).status_code == 404, url


def test_bounded_int_reads_only_what_a_column_holds() -> None:
    assert bounded_int("12") == 12
    assert bounded_int(str(MAX_ID)) == MAX_ID
    assert bounded_int(str(MAX_ID + 1)) is None
    assert bounded_int("0") is None
    assert bounded_int("-3", minimum=-5) == -3
    assert bounded_int("١٢") is None  # digits, but not ASCII ones
    assert bounded_int(None) is None


# --- choices of white space only --------------------------------------------------------------


@pytest.mark.parametrize("name", ["modalite", "moment", "site"])
def test_a_blank_search_filter_is_no_filter(client: FlaskClient, name: str) -> None:
    response = client.get(f"/rendez-vous?commune={RENNES}&{name}=%20%20%20")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/rendez-vous/creneau/" in html
    assert "Un filtre n'était pas valide" not in html


def test_a_blank_motif_when_booking_is_no_motif(client: FlaskClient, app: Flask) -> None:
    data = {**_booking_form(client), "motif": "   "}
    assert client.post("/rendez-vous/reserver", data=data).status_code == 303


def test_a_blank_motif_at_the_front_door_is_no_motif(client: FlaskClient) -> None:
    answers = {
        "key": uuid.uuid4().hex,
        "home": "35000",
        "situation": "salarie_prive",
        "cadre": "0",
        "age": "34",
        "rqth": "0",
        "suivi": "0",
        "motif": "   ",
    }
    response = client.post("/", data=answers)
    assert response.status_code == 303
    assert response.location.endswith("/resultat")


@pytest.mark.parametrize("name", ["situation", "cadre", "rqth", "suivi"])
def test_a_blank_answer_at_the_front_door_is_asked_again(client: FlaskClient, name: str) -> None:
    answers = {
        "home": "35000",
        "situation": "salarie_prive",
        "cadre": "0",
        "age": "34",
        "rqth": "0",
        "suivi": "0",
        name: "   ",
    }
    response = client.post("/", data=answers)
    assert response.status_code == 422
    assert 'value="35000"' in response.get_data(as_text=True)
