"""Staff sign-in through the test client: the generic error, the rate limit kept in the
database, session versions, htmx redirects and CSRF."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash
from werkzeug.test import TestResponse

from portal.auth.models import LoginAttempt, StaffLink, UserSession
from portal.auth.services import set_password
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.network.models import StaffMember
from tests.conftest import make_app
from tests.mail_data import text_as_sent

MANAGER = "manager@lot10.cep-demo.example"
ADVISOR = "conseiller1@lot10.cep-demo.example"
PASSWORD = "un mot de passe de test assez long"
GENERIC = "Adresse e-mail ou mot de passe incorrect."


def member(email: str) -> StaffMember:
    return db.session.scalars(select(StaffMember).where(StaffMember.email == email)).one()


@pytest.fixture
def staff_passwords(app: Flask) -> Iterator[None]:
    """A password on a demo manager and advisor; removed afterwards, with the attempts."""
    with app.app_context():
        for email in (MANAGER, ADVISOR):
            set_password(db.session, email=email, password=PASSWORD)
        db.session.commit()
    yield
    with app.app_context():
        for email in (MANAGER, ADVISOR):
            member(email).password_hash = None
        db.session.execute(delete(LoginAttempt))
        db.session.execute(delete(StaffLink))
        db.session.execute(delete(UserSession))
        db.session.commit()


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


def staff_link_in_outbox(app: Flask, email: str, topic: str) -> str:
    """The path of the last link e-mailed to this member; built from PUBLIC_BASE_URL."""
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == email, OutboxMessage.topic == topic)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None
        assert "médiateur de France compétences" in message.body_text
        base = app.config["PUBLIC_BASE_URL"]
        found = re.search(re.escape(base) + r"(/pro/\S+)", text_as_sent(app, message))
        assert found is not None, message.body_text
        # The token itself is sealed in the outbox, never stored in clear.
        token = found.group(1).rsplit("/", 1)[1]
        assert token not in message.body_text and token not in (message.body_html or "")
        return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **data: str) -> TestResponse:
    return client.post("/pro/connexion", data={"email": email, "password": password, **data})


def test_the_footer_links_to_the_staff_sign_in(client: FlaskClient) -> None:
    html = client.get("/").data.decode()
    assert 'href="/pro/connexion">Espace professionnel</a>' in html


def test_a_wrong_password_keeps_the_email_and_does_not_say_which_was_wrong(
    client: FlaskClient, staff_passwords: None
) -> None:
    wrong = sign_in(client, MANAGER, "pas le bon mot de passe")
    unknown = sign_in(client, "personne@lot10.cep-demo.example", "pas le bon mot de passe")
    for response, email in ((wrong, MANAGER), (unknown, "personne@lot10.cep-demo.example")):
        assert response.status_code == 422
        html = response.data.decode()
        assert GENERIC in html
        assert f'value="{email}"' in html
        assert "pas le bon mot de passe" not in html  # the password is never sent back

    # Same page for a known and an unknown address, apart from the address itself (and the
    # CSRF token, signed with the time: two requests a second apart differ there).
    def page(response: object, email: str) -> str:
        html = response.data.decode().replace(email, "X")  # type: ignore[attr-defined]
        html = re.sub(r'"X-CSRFToken": "[^"]*"', "csrf", html)
        return re.sub(r'name="csrf_token" value="[^"]*"', "csrf", html)

    assert page(wrong, MANAGER) == page(unknown, "personne@lot10.cep-demo.example")


def test_a_manager_signs_in_and_lands_on_the_staff_home(
    client: FlaskClient, staff_passwords: None
) -> None:
    response = sign_in(client, "  Manager@LOT10.cep-demo.example ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/pro/"
    page = client.get("/pro/").data.decode()
    assert "CEP Bretagne — opérateur de démonstration" in page
    assert "demande" in page and "en attente" in page
    assert "Sites et horaires" in page
    assert client.post("/pro/deconnexion").status_code == 303
    assert client.get("/pro/").status_code == 303


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/pro/sites?q=brest", "/pro/sites?q=brest"),
        ("https://evil.example/pro/", "/pro/"),
        ("//evil.example/", "/pro/"),
        ("/\\evil.example/", "/pro/"),
        ("", "/pro/"),
    ],
)
def test_after_sign_in_only_a_local_next_is_followed(
    client: FlaskClient, staff_passwords: None, next_url: str, lands_on: str
) -> None:
    response = sign_in(client, MANAGER, next=next_url)
    assert response.headers["Location"] == lands_on


def test_an_anonymous_visitor_is_sent_to_sign_in_and_comes_back(
    client: FlaskClient, staff_passwords: None
) -> None:
    response = client.get("/pro/sites?q=rennes")
    assert response.status_code == 303
    assert response.headers["Location"] == "/pro/connexion?next=/pro/sites?q%3Drennes"
    form = client.get(response.headers["Location"]).data.decode()
    assert 'name="next" value="/pro/sites?q=rennes"' in form
    assert sign_in(client, MANAGER, next="/pro/sites?q=rennes").headers["Location"] == (
        "/pro/sites?q=rennes"
    )


def test_an_anonymous_htmx_request_gets_an_hx_redirect_not_a_page(client: FlaskClient) -> None:
    response = client.get(
        "/pro/sites?q=ren",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/pro/sites?q=r"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/pro/connexion?next=/pro/sites?q%3Dr"
    assert response.data == b""


ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
VICTIM = {"REMOTE_ADDR": "192.0.2.10"}
OFFICE = {"REMOTE_ADDR": "198.51.100.7"}


def test_failures_from_elsewhere_never_lock_the_victim_out(
    app: Flask, client: FlaskClient, staff_passwords: None
) -> None:
    """The finding: five wrong passwords for an e-mail locked it for 15 minutes, even for the
    right password. Now someone else's failures from their address do not touch the victim."""
    attacker = app.test_client()
    answers = [
        attacker.post(
            "/pro/connexion",
            data={"email": MANAGER, "password": "mauvais"},
            environ_base=ATTACKER,
        ).status_code
        for _ in range(5)
    ]
    assert answers[:3] == [422, 422, 422]
    assert answers[3:] == [429, 429]  # the attacker's own address is slowed
    # The victim, at once, from their own address: in.
    response = client.post(
        "/pro/connexion", data={"email": MANAGER, "password": PASSWORD}, environ_base=VICTIM
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/pro/"


def age_attempts(app: Flask, seconds: int) -> None:
    """Time passes: every recorded attempt moves `seconds` into the past."""
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.attempted_at -= timedelta(seconds=seconds)
        db.session.commit()


def test_the_same_pair_waits_a_growing_delay_that_the_page_states(
    app: Flask, client: FlaskClient, staff_passwords: None
) -> None:
    for _ in range(3):
        response = client.post(
            "/pro/connexion", data={"email": MANAGER, "password": "mauvais"}, environ_base=VICTIM
        )
        assert response.status_code == 422
    # The right password waits too: the delay holds before the password is checked.
    slowed = client.post(
        "/pro/connexion", data={"email": MANAGER, "password": PASSWORD}, environ_base=VICTIM
    )
    assert slowed.status_code == 429
    assert 0 < int(slowed.headers["Retry-After"]) <= 8  # 2^3 seconds after 3 failures
    page = text_of(slowed.data)
    assert "Connexion ralentie" in page
    assert re.search(r"attendez avant de réessayer : [1-8] secondes?\.", page)
    assert "Recevoir un lien de connexion par e-mail" in page
    assert f'value="{MANAGER}"' in slowed.data.decode()
    english = client.post(
        "/pro/connexion?lang=en",
        data={"email": MANAGER, "password": PASSWORD},
        environ_base=VICTIM,
    )
    assert english.status_code == 429
    assert re.search(r"wait before trying again: [1-8] seconds?\.", text_of(english.data))
    # Nine seconds later the right password opens; a fourth failure would have waited 16 s.
    age_attempts(app, 9)
    response = client.post(
        "/pro/connexion", data={"email": MANAGER, "password": PASSWORD}, environ_base=VICTIM
    )
    assert response.status_code == 303


def test_twenty_failures_from_one_address_slow_it_and_the_emailed_link_lets_a_member_in(
    app: Flask, client: FlaskClient, staff_passwords: None
) -> None:
    """The finding: twenty failures from one address locked out every member behind it (an
    office, everyone behind a proxy). Now the address is slowed, and a member who proves they
    hold their mailbox gets in at once; from elsewhere nothing is slowed at all."""
    for number in range(20):
        response = client.post(
            "/pro/connexion",
            data={"email": f"essai{number}@example.org", "password": "x"},
            environ_base=OFFICE,
        )
        assert response.status_code == 422
    member = app.test_client()
    slowed = member.post(
        "/pro/connexion", data={"email": ADVISOR, "password": PASSWORD}, environ_base=OFFICE
    )
    assert slowed.status_code == 429
    elsewhere = app.test_client().post(
        "/pro/connexion", data={"email": ADVISOR, "password": PASSWORD}, environ_base=VICTIM
    )
    assert elsewhere.status_code == 303

    # The proof: a link by e-mail, asked for from the slowed page.
    asked = member.post("/pro/connexion/lien", data={"email": ADVISOR}, environ_base=OFFICE)
    assert asked.status_code == 303 and asked.headers["Location"] == "/pro/lien-envoye"
    link = staff_link_in_outbox(app, ADVISOR, "staff:unlock")
    opened = member.get(link, environ_base=OFFICE)
    assert opened.status_code == 200
    assert "Votre adresse est vérifiée" in text_of(opened.data)
    assert member.get(link, environ_base=OFFICE).status_code == 200  # opening uses nothing
    token = link.rsplit("/", 1)[1]
    wrong = member.post(
        "/pro/connexion/deblocage",
        data={"token": token, "password": "mauvais"},
        environ_base=OFFICE,
    )
    assert wrong.status_code == 422
    assert "Mot de passe incorrect." in text_of(wrong.data)
    response = member.post(
        "/pro/connexion/deblocage",
        data={"token": token, "password": PASSWORD},
        environ_base=OFFICE,
    )
    assert response.status_code == 303 and response.headers["Location"] == "/pro/"
    assert member.get("/pro/", environ_base=OFFICE).status_code == 200
    # Used: the link opens nothing any more.
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "Ce lien n'est plus valable" in text_of(again.data)


def test_asking_for_an_unlock_link_answers_the_same_for_anybody(
    app: Flask, client: FlaskClient, staff_passwords: None
) -> None:
    unknown = "personne@lot10.cep-demo.example"
    answers = [
        client.post("/pro/connexion/lien", data={"email": email}, follow_redirects=True)
        for email in (unknown, MANAGER)
    ]
    assert text_of(answers[0].data) == text_of(answers[1].data)
    assert "Si cette adresse est celle d'un compte" in text_of(answers[0].data)
    with app.app_context():
        sent = db.session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.topic == "staff:unlock")
        ).all()
    assert unknown not in sent


def test_raising_the_session_version_signs_out_open_sessions(
    app: Flask, client: FlaskClient, staff_passwords: None
) -> None:
    sign_in(client, MANAGER)
    assert client.get("/pro/").status_code == 200
    with app.app_context():
        member(MANAGER).session_version += 1  # what a new password or a deactivation does
        db.session.commit()
    response = client.get("/pro/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/pro/connexion")


def test_an_inactive_member_cannot_sign_in(
    app: Flask, client: FlaskClient, staff_passwords: None
) -> None:
    with app.app_context():
        member(ADVISOR).active = False
        db.session.commit()
    try:
        response = sign_in(client, ADVISOR)
        assert response.status_code == 422
        assert GENERIC in response.data.decode()
    finally:
        with app.app_context():
            member(ADVISOR).active = True
            db.session.commit()


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found[1]


def test_with_csrf_on_sign_in_needs_the_token_and_renews_the_session(
    app: Flask, database_url: str, tmp_path: Path, staff_passwords: None
) -> None:
    strict = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    try:
        client = strict.test_client()
        before = csrf_token(client.get("/pro/connexion").data.decode())
        data = {"email": MANAGER, "password": PASSWORD}
        # Without the token the form comes back (the address kept), and nobody is signed in.
        assert client.post("/pro/connexion", data=data).status_code == 422
        assert client.get("/pro/").status_code == 303
        assert client.post("/pro/connexion", data={**data, "csrf_token": before}).status_code == 303
        # A new session: the token from before sign-in no longer works.
        assert client.post("/pro/deconnexion", data={"csrf_token": before}).status_code == 400
        after = csrf_token(client.get("/pro/").data.decode())
        assert after != before
        assert client.post("/pro/deconnexion", data={"csrf_token": after}).status_code == 303
        assert client.get("/pro/").status_code == 303
    finally:
        with strict.app_context():
            db.engine.dispose()


def test_set_password_asks_twice_and_signs_out_open_sessions(
    app: Flask, client: FlaskClient, staff_passwords: None
) -> None:
    sign_in(client, ADVISOR)
    assert client.get("/pro/").status_code == 200
    runner = app.test_cli_runner()
    new_password = "un tout nouveau mot de passe"
    mismatch = runner.invoke(
        args=["cep", "set-password", ADVISOR], input=f"{new_password}\nautre chose\n"
    )
    assert mismatch.exit_code != 0  # asked again, then no input left
    short = runner.invoke(args=["cep", "set-password", ADVISOR], input="court\ncourt\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    done = runner.invoke(
        args=["cep", "set-password", ADVISOR.upper()], input=f"{new_password}\n{new_password}\n"
    )
    assert done.exit_code == 0, done.output
    assert new_password not in done.output
    assert client.get("/pro/").status_code == 303  # the open session ended
    assert sign_in(client, ADVISOR).status_code == 422
    assert sign_in(client, ADVISOR, new_password).status_code == 303


def test_demo_staff_get_one_shared_password(session: Session) -> None:
    from portal.demo.access import give_demo_passwords

    demo = session.scalar(
        select(func.count(StaffMember.id)).where(
            StaffMember.email.like("%.cep-demo.example")
            | StaffMember.email.like("%@cep-demo.example")  # the mediator, of no operator
        )
    )
    assert give_demo_passwords(session, "cep-demo-2026") == demo
    mediator = "mediateur@cep-demo.example"
    members = session.scalars(
        select(StaffMember).where(StaffMember.email.in_([MANAGER, ADVISOR, mediator]))
    )
    for staff in members:
        assert staff.password_hash and check_password_hash(staff.password_hash, "cep-demo-2026")
    # The session fixture rolls back: the demo keeps no password in the test database.
