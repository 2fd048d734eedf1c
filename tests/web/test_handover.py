"""A manager hands a dossier to another advisor of the operator (issue 14 §4): the dossier
and its open unit change advisor, the change is dated and shown, the person is told by
e-mail, the new advisor sees it on their home. Bad input is kept and explained."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.advisor.contact_models import DossierHandover
from portal.advisor.models import Dossier, Unit, UnitKind
from portal.clock import today_in_france
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.network.models import StaffRole
from tests.mail_data import text_as_sent
from tests.web.test_beneficiary_space import text_of
from tests.workspace_data import engaged, sign_in, staff


@dataclass(frozen=True)
class Team:
    dossier_id: int
    unit_id: int
    person_email: str
    first: str
    second: str
    second_id: int
    second_name: str
    manager: str


@pytest.fixture
def team(app: Flask, clock: object) -> Team:
    today = today_in_france()
    with app.app_context():
        session = db.session
        first = staff(session, "16")
        second = staff(session, "16", name="Bastien Nouveau")
        manager = staff(session, "16", role=StaffRole.MANAGER)
        unit = engaged(
            session, first, UnitKind.UO21, engaged_on=today - timedelta(days=5), today=today
        )
        session.commit()
        return Team(
            unit.dossier_id,
            unit.id,
            unit.dossier.beneficiary.email,
            first.email,
            second.email,
            second.id,
            second.full_name,
            manager.email,
        )


def test_a_manager_hands_the_dossier_and_everyone_knows(app: Flask, team: Team) -> None:
    manager = sign_in(app.test_client(), team.manager)
    url = f"/pro/dossiers/{team.dossier_id}/referent"
    page = manager.get(f"/pro/dossiers/{team.dossier_id}").data.decode()
    assert f'action="{url}"' in page and "Bastien Nouveau" in page
    done = manager.post(
        url, data={"handover-advisor": str(team.second_id), "handover-reason": "Départ en congé"}
    )
    assert done.status_code == 303
    shown = text_of(manager.get(f"/pro/dossiers/{team.dossier_id}").data)
    assert "Changements de référent" in shown and "Départ en congé" in shown
    with app.app_context():
        dossier = db.session.get_one(Dossier, team.dossier_id)
        assert dossier.advisor_id == team.second_id
        assert db.session.get_one(Unit, team.unit_id).advisor_id == team.second_id
        row = db.session.scalars(
            select(DossierHandover).where(DossierHandover.dossier_id == team.dossier_id)
        ).one()
        assert row.to_advisor_id == team.second_id and row.reason == "Départ en congé"
        mail = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.to_address == team.person_email,
                OutboxMessage.topic.like(f"dossier:{team.dossier_id}:handover:%"),
            )
        ).one()
        text = text_as_sent(app, mail)
        assert "Bastien Nouveau" in text and "/mon-espace" in text
    home = text_of(sign_in(app.test_client(), team.second).get("/pro/conseiller").data)
    assert "Dossiers qui vous sont confiés" in home


def test_bad_handovers_are_kept_and_explained(app: Flask, team: Team) -> None:
    manager = sign_in(app.test_client(), team.manager)
    url = f"/pro/dossiers/{team.dossier_id}/referent"
    nobody = manager.post(url, data={"handover-advisor": "abc", "handover-reason": "Motif gardé"})
    assert nobody.status_code == 422
    assert "Choisissez un conseiller de la liste." in text_of(nobody.data)
    assert "Motif gardé" in nobody.data.decode()
    empty = manager.post(url, data={"handover-advisor": ""})
    assert empty.status_code == 422
    assert "Choisissez le nouveau conseiller." in text_of(empty.data)
    long = manager.post(
        url, data={"handover-advisor": str(team.second_id), "handover-reason": "x" * 501}
    )
    assert long.status_code == 422 and "500 caractères au plus." in text_of(long.data)
    with app.app_context():
        assert db.session.get_one(Dossier, team.dossier_id).advisor_id != team.second_id


def test_only_a_manager_hands_a_dossier(app: Flask, team: Team) -> None:
    advisor = sign_in(app.test_client(), team.first)
    page = advisor.get(f"/pro/dossiers/{team.dossier_id}").data.decode()
    assert "Confier le dossier" not in page
    refused = advisor.post(
        f"/pro/dossiers/{team.dossier_id}/referent",
        data={"handover-advisor": str(team.second_id)},
    )
    assert refused.status_code == 404
