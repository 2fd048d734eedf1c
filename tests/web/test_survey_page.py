"""The survey page reached from the e-mail, and indicator 8.1 for managers."""

from __future__ import annotations

import html as htmllib
import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from portal.advisor.closing import close_unit
from portal.advisor.models import ClosureKind, UnitKind
from portal.clock import today_in_france
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.network.models import StaffRole
from portal.satisfaction.models import Survey
from tests.mail_data import text_as_sent
from tests.workspace_data import engaged, sign_in, staff


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


def survey_path(app: Flask) -> tuple[int, str]:
    """A closed unit's survey, and the link of its e-mail (as the person clicks it)."""
    today = today_in_france()
    with app.app_context():
        advisor = staff(db.session, "16")
        unit = engaged(
            db.session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=3), today=today
        )
        close_unit(
            db.session,
            unit,
            kind=ClosureKind.SIGNED,
            closed_on=today,
            reason="objectif_atteint",
            today=today,
            by=advisor,
        )
        survey = db.session.scalars(select(Survey).where(Survey.unit_id == unit.id)).one()
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"survey:{survey.id}")
        ).one()
        db.session.commit()
        link = re.search(r"https?://\S+/enquete/\S+", text_as_sent(app, message))
        assert link is not None
        assert link.group(0).rsplit("/", 1)[1] not in message.body_text  # sealed, not stored
        return survey.id, "/" + link.group(0).split("/", 3)[3]


def test_the_person_answers_once_from_the_e_mailed_link(app: Flask) -> None:
    survey_id, path = survey_path(app)
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200
    text = text_of(page.data)
    assert "Comment jugez-vous la qualité du service rendu ?" in text
    assert "Très satisfait" in text and "Pas du tout utile" in text
    assert "<legend>" in page.data.decode()  # radio groups in fieldsets

    missing = client.post(path, data={"quality": "4", "comment": "Très bon accueil"})
    assert missing.status_code == 422
    assert "Choisissez une réponse." in text_of(missing.data)
    assert "Très bon accueil" in missing.data.decode()  # what was typed stays
    assert 'value="4" checked' in missing.data.decode()

    done = client.post(path, data={"quality": "4", "usefulness": "3", "comment": "Merci"})
    assert done.status_code == 200 and "Merci pour vos réponses" in text_of(done.data)
    again = client.post(path, data={"quality": "1", "usefulness": "1"})
    assert "Merci, vous avez déjà répondu" in text_of(again.data)
    assert "Merci, vous avez déjà répondu" in text_of(client.get(path).data)
    with app.app_context():
        survey = db.session.get_one(Survey, survey_id)
        assert (survey.quality, survey.usefulness, survey.comment) == (4, 3, "Merci")


def test_a_wrong_link_says_so(client: object, app: Flask) -> None:
    response = app.test_client().get("/enquete/not-a-real-token")
    assert response.status_code == 404
    assert "Ce lien d'enquête n'est pas valide" in text_of(response.data)


def test_managers_see_indicators_8_1_and_6_8_advisors_do_not(app: Flask) -> None:
    survey_path(app)  # at least one survey this semester for operator 16
    with app.app_context():
        manager = staff(db.session, "16", StaffRole.MANAGER).email
        advisor = staff(db.session, "16").email
        db.session.commit()
    page = sign_in(app.test_client(), manager).get("/pro/indicateurs/satisfaction")
    assert page.status_code == 200
    text = text_of(page.data)
    assert "Qualité et utilité perçues (indicateur 8.1)" in text
    assert "(en cours)" in text and "Enquêtes envoyées" in text
    assert "Ré-engagements quasi-immédiats (indicateur 6.8)" in text
    assert page.data.decode().count('<th scope="row">') >= 4  # four semesters
    assert (
        sign_in(app.test_client(), advisor).get("/pro/indicateurs/satisfaction").status_code == 404
    )
