"""Online signing through the web: the advisor chooses it and signs with their password, the
person opens the e-mailed link, receives the code by SMS, and signs; the unit closes. Bad
input keeps what was typed; a link not made by the portal, or ended, says so."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.advisor.models import Unit, UnitKind
from portal.clock import today_in_france
from portal.extensions import db
from portal.livrables.models import LivrableStatus, LivrableVersion, SignatureMethod
from portal.livrables.signing import freeze_for_signature
from portal.mail.models import OutboxMessage
from tests.mail_data import text_as_sent
from tests.unit.test_signing import livrable_of, noon
from tests.workspace_data import PASSWORD, engaged, sign_in, staff


def text_of(body: bytes) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass(frozen=True)
class Printed:
    unit_id: int
    version_id: int
    advisor_email: str
    person_email: str


@pytest.fixture
def printed(app: Flask, clock: object) -> Printed:
    today = today_in_france()
    with app.app_context():
        advisor = staff(db.session, "16")
        unit = engaged(
            db.session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
        )
        version = freeze_for_signature(
            db.session,
            livrable_of(db.session, unit),
            by=advisor,
            now=noon(today - timedelta(days=1)),
        )
        db.session.commit()
        return Printed(unit.id, version.id, advisor.email, unit.dossier.beneficiary.email)


def base(printed: Printed) -> str:
    return f"/pro/unites/{printed.unit_id}/livrable"


def last_message(app: Flask, topic_like: str) -> str:
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.topic.like(topic_like))
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None
        return text_as_sent(app, message)


def advisor_asks(app: Flask, client: FlaskClient, printed: Printed) -> str:
    """The advisor chooses online, signs, and asks the person at a distance: the link."""
    sign_in(client, printed.advisor_email)
    url = base(printed)
    assert client.post(f"{url}/methode", data={"online-method": "electronic"}).status_code == 303
    signed = client.post(f"{url}/signature-en-ligne", data={"advisor_online-password": PASSWORD})
    assert signed.status_code == 303
    asked = client.post(
        f"{url}/demande-signature",
        data={"request-place": "remote", "request-motif_cloture": "objectif_atteint"},
    )
    assert asked.status_code == 303
    body = last_message(app, "signature-request:%:link")
    found = re.search(r"https?://\S+/signer/(\S+)", body)
    assert found, body
    return "/signer/" + found.group(1)


def test_the_person_signs_from_the_e_mailed_link_and_the_sms_code(
    app: Flask, client: FlaskClient, printed: Printed
) -> None:
    link = advisor_asks(app, client, printed)
    person = app.test_client()
    assert "Continuer" in text_of(person.get(link).data)  # the link's first page: a button
    page = person.post(f"{link}/ouvrir")
    assert page.status_code == 200
    assert "Lisez-le, puis signez-le" in text_of(page.data)
    assert "Lisez-le, puis signez-le" in text_of(person.get(link).data)  # opened, then read
    assert person.get(f"{link}/document.pdf").data.startswith(b"%PDF")

    sent = person.post(f"{link}/code")
    assert sent.status_code == 303
    assert "Code envoyé par SMS au +336 •• •• •• 78" in text_of(person.get(link).data)
    sms = last_message(app, "signature-request:%:code")
    code = re.search(r"\b(\d{6})\b", sms)
    assert code, sms

    wrong = person.post(
        link,
        data={"mention": "ok", "name": "Camille Lefèvre", "consent": "y", "code": code.group(1)},
    )
    assert wrong.status_code == 422
    assert "Recopiez exactement la mention" in text_of(wrong.data)
    assert 'value="Camille Lefèvre"' in wrong.data.decode()

    done = person.post(
        link,
        data={
            "mention": "Lu et approuvé",
            "name": "Camille Lefèvre",
            "consent": "y",
            "code": code.group(1),
        },
    )
    assert done.status_code == 303
    assert "Vous avez signé ce document" in text_of(person.get(link).data)
    with app.app_context():
        version = db.session.get(LivrableVersion, printed.version_id)
        assert version is not None
        assert version.livrable.status == LivrableStatus.SIGNED
        unit = db.session.get(Unit, printed.unit_id)
        assert unit is not None and unit.closed_on == today_in_france()
    copy = last_message(app, "livrable:%:signed")
    assert "signé par vous et par votre conseiller" in copy


def test_a_wrong_password_keeps_the_advisor_s_signature_unrecorded(
    app: Flask, client: FlaskClient, printed: Printed
) -> None:
    sign_in(client, printed.advisor_email)
    url = base(printed)
    client.post(f"{url}/methode", data={"online-method": "electronic"})
    refused = client.post(
        f"{url}/signature-en-ligne", data={"advisor_online-password": "pas le bon"}
    )
    assert refused.status_code == 422
    assert "Ce mot de passe n'est pas le vôtre." in text_of(refused.data)
    with app.app_context():
        version = db.session.get(LivrableVersion, printed.version_id)
        assert version is not None and version.method == SignatureMethod.ELECTRONIC
        assert version.signatures == []


def test_a_wrong_code_says_how_many_tries_are_left(
    app: Flask, client: FlaskClient, printed: Printed
) -> None:
    link = advisor_asks(app, client, printed)
    person = app.test_client()
    person.post(f"{link}/code")
    code = re.search(r"\b(\d{6})\b", last_message(app, "signature-request:%:code"))
    assert code
    wrong = "000000" if code.group(1) != "000000" else "111111"
    answer = person.post(
        link,
        data={
            "mention": "Lu et approuvé",
            "name": "Camille Lefèvre",
            "consent": "y",
            "code": wrong,
        },
    )
    assert answer.status_code == 422
    assert "Ce code n'est pas le bon. Essais restants : 4." in text_of(answer.data)


def test_a_forged_or_ended_link_is_refused_clearly(
    app: Flask, client: FlaskClient, printed: Printed
) -> None:
    link = advisor_asks(app, client, printed)
    assert app.test_client().get(link[:-3] + "xyz").status_code == 404
    # A new request: the first link is dead and says why.
    client.post(
        f"{base(printed)}/demande-signature",
        data={"request-place": "in_session", "request-motif_cloture": "objectif_atteint"},
    )
    page = app.test_client().get(link)
    assert "Demande de signature retirée" in text_of(page.data)
    again = app.test_client().post(f"{link}/code")
    assert again.status_code == 422
    assert "Utilisez le lien le plus récent" in text_of(again.data)


def test_the_in_session_page_shows_the_qr_code_and_the_link(
    app: Flask, client: FlaskClient, printed: Printed
) -> None:
    advisor_asks(app, client, printed)
    client.post(
        f"{base(printed)}/demande-signature",
        data={"request-place": "in_session", "request-motif_cloture": "objectif_atteint"},
    )
    page = client.get(f"{base(printed)}/signature-sur-place")
    assert page.status_code == 200
    body = page.data.decode()
    assert "<svg" in body and "Code QR du lien de signature" in body
    assert re.search(r'href="https?://[^"]+/signer/[^"]+"', body)


def test_the_panel_offers_the_online_method_in_english(
    app: Flask, client: FlaskClient, printed: Printed
) -> None:
    sign_in(client, printed.advisor_email)
    page = client.get(f"/pro/unites/{printed.unit_id}/livrable?lang=en")
    text = text_of(page.data)
    assert "Online signature" in text and "Paper signature" in text


def test_the_person_finds_the_signing_link_in_their_space(
    app: Flask, client: FlaskClient, printed: Printed
) -> None:
    from tests.web.test_beneficiary_space import signed_in

    link = advisor_asks(app, client, printed)
    space = signed_in(app, printed.person_email).get("/mon-espace")
    assert space.status_code == 200
    assert f'href="{link}"' in space.data.decode()
    assert "Lire et signer en ligne" in text_of(space.data)
