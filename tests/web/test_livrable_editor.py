"""The livrable editor through the test client: saving without JavaScript, the htmx autosave,
stale saves from another tab, the plan d'actions rows, the neutral list of providers, the
history, and who may open what."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.advisor.closing import close_unit
from portal.advisor.models import ClosureKind, Unit, UnitKind
from portal.clock import today_in_france
from portal.directory.models import Provider, ProviderService
from portal.extensions import db
from portal.livrables.drafts import livrable_for
from portal.livrables.models import Livrable, LivrableRevision, LivrableStatus
from portal.network.models import StaffRole
from tests import workspace_data as ws

HX = {"HX-Request": "true"}


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


def based_on(body: bytes) -> int:
    match = re.search(rb'name="based_on" id="based-on" value="(\d+)"', body)
    assert match, "no based_on in the form"
    return int(match[1])


@dataclass
class Setting:
    advisor: str
    unit_id: int
    operator_id: int
    dossier_id: int


def make_unit(app: Flask, kind: UnitKind = UnitKind.UO1, code: str = "16") -> Setting:
    today = today_in_france()
    with app.app_context():
        advisor = ws.staff(db.session, code)
        unit = ws.engaged(db.session, advisor, kind, engaged_on=today, today=today)
        db.session.commit()
        return Setting(advisor.email, unit.id, unit.operator_id, unit.dossier_id)


def member(app: Flask, code: str, role: StaffRole) -> str:
    with app.app_context():
        email = ws.staff(db.session, code, role).email
        db.session.commit()
        return email


def livrable_of(app: Flask, unit_id: int) -> Livrable:
    with app.app_context():
        found = db.session.scalar(select(Livrable).where(Livrable.unit_id == unit_id))
        assert found is not None
        db.session.expunge(found)
        return found


@pytest.fixture
def uo1(app: Flask) -> Setting:
    return make_unit(app)


@pytest.fixture
def advisor(app: Flask, uo1: Setting) -> FlaskClient:
    return ws.sign_in(app.test_client(), uo1.advisor)


def edl_form(number: int, **extra: str) -> dict[str, Any]:
    form = {
        "based_on": str(number),
        "section-situation": "Camille travaille en atelier depuis 12 ans.",
        "section-informations": "Le CPF, la VAE, les métiers du bois.",
        "section-next_steps": "Formaliser le projet en UO2.1.",
        "decision": "uo21",
    }
    form.update(extra)
    return form


def test_the_editor_saves_without_javascript_and_shows_the_text_back(
    advisor: FlaskClient, uo1: Setting, app: Flask
) -> None:
    url = f"/pro/unites/{uo1.unit_id}/livrable"
    page = advisor.get(url)
    assert page.status_code == 200
    page_text = text_of(page.data)
    assert "État des lieux partagé" in page_text
    assert "Analyse partagée de la situation" in page_text  # a section's label
    assert f'href="/pro/dossiers/{uo1.dossier_id}"' in page.data.decode()  # back to the dossier
    # The form posts to a real URL; htmx autosaves the same form on top.
    assert f'action="{url}"' in page.data.decode()
    assert f'hx-post="{url}/brouillon"' in page.data.decode()

    saved = advisor.post(url, data=edl_form(based_on(page.data)))
    assert saved.status_code == 303
    again = advisor.get(saved.headers["Location"])
    shown = again.data.decode()
    assert "Camille travaille en atelier depuis 12 ans." in shown
    assert 'value="uo21" checked' in shown
    assert "Brouillon enregistré à" in text_of(again.data)
    livrable = livrable_of(app, uo1.unit_id)
    assert livrable.content["decision"] == "uo21"
    assert livrable.content["sections"]["next_steps"] == "Formaliser le projet en UO2.1."


def test_htmx_autosave_answers_the_status_line_and_the_next_draft_number(
    advisor: FlaskClient, uo1: Setting, app: Flask
) -> None:
    url = f"/pro/unites/{uo1.unit_id}/livrable"
    number = based_on(advisor.get(url).data)
    response = advisor.post(f"{url}/brouillon", data=edl_form(number), headers=HX)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    body = response.data.decode()
    assert "<html" not in body
    assert "Brouillon enregistré à" in text_of(response.data)
    # The next save is based on the new draft, swapped out of band into the form.
    assert f'id="based-on" value="{number + 1}" hx-swap-oob="true"' in body
    with app.app_context():
        [revision] = db.session.scalars(
            select(LivrableRevision).join(Livrable).where(Livrable.unit_id == uo1.unit_id)
        ).all()
        assert revision.kind == "autosave"


def test_a_save_from_a_stale_tab_shows_the_conflict_and_overwrites_nothing(
    advisor: FlaskClient, uo1: Setting, app: Flask
) -> None:
    url = f"/pro/unites/{uo1.unit_id}/livrable"
    opened = based_on(advisor.get(url).data)
    # Another tab saves first.
    first = advisor.post(url, data=edl_form(opened, **{"section-situation": "Version A"}))
    assert first.status_code == 303

    # The autosave of the old tab says so, and saves nothing.
    late = advisor.post(
        f"{url}/brouillon", data=edl_form(opened, **{"section-situation": "Version B"}), headers=HX
    )
    assert late.status_code == 200
    assert "Enregistrement automatique suspendu" in text_of(late.data)
    assert "hx-swap-oob" not in late.data.decode()

    # Its plain save shows the typed text back with the conflict…
    stale = advisor.post(url, data=edl_form(opened, **{"section-situation": "Version B"}))
    assert stale.status_code == 409
    assert "Ce brouillon a changé depuis que vous l'avez ouvert" in text_of(stale.data)
    assert "Version B" in stale.data.decode()
    assert livrable_of(app, uo1.unit_id).content["sections"]["situation"] == "Version A"
    # …and saving again from there keeps it, knowingly.
    kept = advisor.post(url, data=edl_form(based_on(stale.data), **{"section-situation": "B"}))
    assert kept.status_code == 303
    assert livrable_of(app, uo1.unit_id).content["sections"]["situation"] == "B"


def test_the_plan_d_actions_gains_and_loses_rows_without_javascript(
    app: Flask, client: FlaskClient
) -> None:
    setting = make_unit(app, UnitKind.UO21)
    ws.sign_in(client, setting.advisor)
    url = f"/pro/unites/{setting.unit_id}/livrable"
    page = client.get(url)
    assert "Étape 1" in text_of(page.data) and "Étape 2" not in text_of(page.data)
    form = {
        "based_on": str(based_on(page.data)),
        "section-projet": "Ébéniste",
        "step-0-objective": "Obtenir le CAP",
        "step-0-action": "S'inscrire au CFA",
        "step-0-who": "Camille",
        "step-0-due_on": "2027-06-30",
        "step-0-financing": "CPF",
        "action": "add_step",
    }
    added = client.post(url, data=form)
    assert added.status_code == 303
    assert "#etape-1" in added.headers["Location"]
    page = client.get(added.headers["Location"])
    assert "Étape 2" in text_of(page.data)
    assert 'value="Obtenir le CAP"' in page.data.decode()

    form.update(based_on=str(based_on(page.data)), action="remove_step-0")
    removed = client.post(url, data=form)
    assert removed.status_code == 303
    assert livrable_of(app, setting.unit_id).content["steps"] == []


def test_a_wrong_date_is_refused_next_to_its_field_keeping_what_was_typed(
    app: Flask, client: FlaskClient
) -> None:
    setting = make_unit(app, UnitKind.UO21)
    ws.sign_in(client, setting.advisor)
    url = f"/pro/unites/{setting.unit_id}/livrable"
    number = based_on(client.get(url).data)
    refused = client.post(
        url,
        data={
            "based_on": str(number),
            "section-projet": "Mon projet tel que je l'ai tapé",
            "step-0-objective": "Un objectif",
            "step-0-due_on": "fin juin",
        },
    )
    assert refused.status_code == 422
    body = refused.data.decode()
    assert "Mon projet tel que je l'ai tapé" in text_of(refused.data)
    assert 'value="fin juin"' in body
    assert 'aria-describedby="step-0-due_on-hint step-0-due_on-error"' in body
    assert "Indiquez une date valide" in text_of(refused.data)
    assert livrable_of(app, setting.unit_id).draft_number == number


def test_each_wished_service_lists_all_providers_of_the_operator_only(
    app: Flask, client: FlaskClient
) -> None:
    setting = make_unit(app, UnitKind.UO21)
    with app.app_context():
        stranger = Provider(operator_id=ws.operator(db.session, "10").id, name="Bilan Armor")
        stranger.service_rows.append(ProviderService(service_code="bilan_competences"))
        db.session.add(stranger)
        db.session.commit()
        offering = db.session.scalars(
            select(Provider.name)
            .join(ProviderService)
            .where(
                Provider.operator_id == setting.operator_id,
                Provider.active.is_(True),
                ProviderService.service_code == "bilan_competences",
            )
        ).all()
    assert len(offering) >= 2
    ws.sign_in(client, setting.advisor)
    url = f"/pro/unites/{setting.unit_id}/livrable"
    number = based_on(client.get(url).data)
    saved = client.post(url, data={"based_on": str(number), "services": "bilan_competences"})
    page = text_of(client.get(saved.headers["Location"]).data)
    assert "Organisme choisi par la personne pour : Bilan de compétences" in page
    for name in offering:
        assert name in page
    assert "Bilan Armor" not in page
    positions = [page.index(name) for name in sorted(offering, key=str.casefold)]
    assert positions == sorted(positions)  # alphabetical, the operator's own not first
    assert "La personne n'a pas encore choisi" in page
    [service] = livrable_of(app, setting.unit_id).content["services"]
    assert sorted(p["name"] for p in service["providers"]) == sorted(offering)


def test_the_history_lists_saves_newest_first_and_shows_each(
    advisor: FlaskClient, uo1: Setting
) -> None:
    url = f"/pro/unites/{uo1.unit_id}/livrable"
    number = based_on(advisor.get(url).data)
    advisor.post(url, data=edl_form(number, **{"section-situation": "Premier jet"}))
    advisor.post(url, data=edl_form(number + 1, **{"section-situation": "Second jet"}))
    history = advisor.get(f"{url}/historique")
    assert history.status_code == 200
    links = re.findall(rb'href="(/pro/unites/\d+/livrable/historique/\d+)"', history.data)
    assert len(links) == 2
    newest = text_of(advisor.get(links[0].decode()).data)
    oldest = text_of(advisor.get(links[1].decode()).data)
    assert "Second jet" in newest and "Premier jet" in oldest


def test_a_manager_reads_the_livrable_without_a_form(app: Flask, uo1: Setting) -> None:
    writer = ws.sign_in(app.test_client(), uo1.advisor)
    url = f"/pro/unites/{uo1.unit_id}/livrable"
    writer.post(url, data=edl_form(based_on(writer.get(url).data)))
    manager = ws.sign_in(app.test_client(), member(app, "16", StaffRole.MANAGER))
    page = manager.get(url)
    assert page.status_code == 200
    assert "Camille travaille en atelier depuis 12 ans." in text_of(page.data)
    assert 'id="livrable-form"' not in page.data.decode()
    assert "Lecture seule" in text_of(page.data)
    assert manager.post(url, data=edl_form(1)).status_code == 404
    assert manager.get(f"{url}/historique").status_code == 200


def test_a_frozen_livrable_is_read_only(advisor: FlaskClient, uo1: Setting, app: Flask) -> None:
    url = f"/pro/unites/{uo1.unit_id}/livrable"
    number = based_on(advisor.get(url).data)
    with app.app_context():
        livrable = db.session.scalar(select(Livrable).where(Livrable.unit_id == uo1.unit_id))
        assert livrable is not None
        livrable.status = LivrableStatus.FROZEN
        db.session.commit()
    page = advisor.get(url)
    assert 'id="livrable-form"' not in page.data.decode()
    refused = advisor.post(url, data=edl_form(number, **{"section-situation": "Trop tard"}))
    assert refused.status_code == 409
    assert "imprimé pour signature" in text_of(refused.data)
    assert "Trop tard" in text_of(refused.data)  # offered to copy, not lost


def test_staff_of_another_operator_get_404(app: Flask, uo1: Setting) -> None:
    url = f"/pro/unites/{uo1.unit_id}/livrable"
    for role in (StaffRole.ADVISOR, StaffRole.MANAGER):
        other = ws.sign_in(app.test_client(), member(app, "10", role))
        assert other.get(url).status_code == 404
        assert other.post(url, data=edl_form(0)).status_code == 404
        assert other.post(f"{url}/brouillon", data=edl_form(0), headers=HX).status_code == 404
        assert other.get(f"{url}/historique").status_code == 404


def test_a_uo22_has_no_editor(app: Flask, uo1: Setting) -> None:
    with app.app_context():
        unit = db.session.get_one(Unit, uo1.unit_id)
        kind = unit.kind
        unit.kind = UnitKind.UO22
        db.session.commit()
    try:
        advisor = ws.sign_in(app.test_client(), uo1.advisor)
        assert advisor.get(f"/pro/unites/{uo1.unit_id}/livrable").status_code == 404
    finally:
        with app.app_context():
            db.session.get_one(Unit, uo1.unit_id).kind = kind
            db.session.commit()


def test_the_projet_takes_over_the_signed_uo1_only_when_asked(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        session = db.session
        writer = ws.staff(session, "16")
        uo1 = ws.engaged(session, writer, UnitKind.UO1, engaged_on=today, today=today)
        source = livrable_for(session, uo1)
        source.content = {
            "sections": {"situation": "Situation signée", "informations": "", "next_steps": ""},
            "decision": "uo21",
        }
        source.status = LivrableStatus.SIGNED
        close_unit(
            session, uo1, kind=ClosureKind.SIGNED, closed_on=today, reason="poursuite", today=today
        )
        uo21 = ws.engaged(
            session, writer, UnitKind.UO21, engaged_on=today, today=today, in_dossier=uo1.dossier
        )
        direct = ws.engaged(session, writer, UnitKind.UO21, engaged_on=today, today=today)
        session.commit()
        email, unit_id, direct_id = writer.email, uo21.id, direct.id
    client = ws.sign_in(app.test_client(), email)
    # Without a UO1 in the dossier, nothing to take over.
    assert 'id="reprise"' not in client.get(f"/pro/unites/{direct_id}/livrable").data.decode()

    url = f"/pro/unites/{unit_id}/livrable"
    page = client.get(url)
    assert 'id="reprise"' in page.data.decode()
    assert 'name="section-analyse" rows="8"' in page.data.decode()
    assert livrable_of(app, unit_id).content["sections"]["analyse"] == ""  # nothing pre-filled
    taken = client.post(
        url,
        data={
            "based_on": str(based_on(page.data)),
            "section-projet": "Ébéniste",
            "takeover": "situation",
            "action": "takeover",
        },
    )
    assert taken.status_code == 303 and taken.headers["Location"].endswith("#reprise")
    after = client.get(taken.headers["Location"])
    assert "Texte de l'état des lieux partagé repris dans" in text_of(after.data)
    sections = livrable_of(app, unit_id).content["sections"]
    assert sections == {
        "projet": "Ébéniste",
        "analyse": "Situation signée",
        "informations": "",
        "parcours": "",
    }
