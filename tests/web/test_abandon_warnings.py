"""Two weeks before a unit would close as an abandon, the person gets one e-mail and the
advisor sees the date (issue 14 §4). `flask cep abandon-warnings` is idempotent."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.advisor.models import Unit, UnitKind
from portal.clock import today_in_france
from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.mail_data import text_as_sent
from tests.web.test_beneficiary_space import text_of
from tests.workspace_data import engaged, sign_in, staff


def _unit(session: Session, advisor_code: str, kind: UnitKind, days_left: int) -> Unit:
    today = today_in_france()
    advisor = staff(session, advisor_code)
    unit = engaged(session, advisor, kind, engaged_on=today - timedelta(days=30), today=today)
    unit.deadline = today + timedelta(days=days_left)
    session.flush()
    return unit


def _warnings(session: Session, unit_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.topic == f"unit:{unit_id}:abandon-warning")
        )
        or 0
    )


def test_the_command_mails_once_and_the_advisor_sees_the_date(app: Flask, clock: object) -> None:
    with app.app_context():
        unit = _unit(db.session, "16", UnitKind.UO21, 10)
        unit_id, dossier_id, advisor_email = unit.id, unit.dossier_id, unit.advisor.email
        person_email = unit.dossier.beneficiary.email
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["cep", "abandon-warnings"])
    assert first.exit_code == 0 and "warned=" in first.output
    again = runner.invoke(args=["cep", "abandon-warnings"])
    assert again.exit_code == 0
    with app.app_context():
        assert _warnings(db.session, unit_id) == 1
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"unit:{unit_id}:abandon-warning")
        ).one()
        assert mail.to_address == person_email
        text = text_as_sent(app, mail)
        assert "clôturé pour abandon" in text
        assert "signer votre document" in text and "/mon-espace" in text
        assert db.session.get_one(Unit, unit_id).abandon_warning_sent_at is not None
    advisor = sign_in(app.test_client(), advisor_email)
    home = text_of(advisor.get("/pro/conseiller").data)
    assert "Bientôt clôturées pour abandon" in home and "clôture pour abandon le" in home
    page = text_of(advisor.get(f"/pro/dossiers/{dossier_id}").data)
    assert "Clôture pour abandon le" in page and "La personne a été prévenue" in page


def test_a_uo22_warning_says_how_to_close_it_oneself(app: Flask, clock: object) -> None:
    with app.app_context():
        # A UO2.2 follows a signed UO2.1; only its kind matters to the e-mail.
        unit = _unit(db.session, "16", UnitKind.UO21, 3)
        unit.kind = UnitKind.UO22
        unit_id = unit.id
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["cep", "abandon-warnings"]).exit_code == 0
    with app.app_context():
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"unit:{unit_id}:abandon-warning")
        ).one()
        text = text_as_sent(app, mail)
        assert "Demander la clôture de mon accompagnement" in text
        assert "signer votre document" not in text
