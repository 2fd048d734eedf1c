"""The advisor's home and the dossier page through the test client: what the advisor sees,
the named transitions behind their buttons and forms, refusals in words with what was typed
kept, the manager's read-only view, and 404 for anyone of another operator."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, event, select

from portal import clock as portal_clock
from portal.advisor.closing import close_unit
from portal.advisor.models import ClosureKind, Dossier, Interaction, Unit, UnitKind, UnitStatus
from portal.advisor.rules import add_months
from portal.booking.models import Appointment, AppointmentStatus, RequestStatus
from portal.clock import today_in_france
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.network.models import StaffMember, StaffRole
from tests import staff_booking_data as booking
from tests import workspace_data as ws


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


def client_for(app: Flask, email: str) -> FlaskClient:
    return ws.sign_in(app.test_client(), email)


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _appointment(
    advisor_id: int, *, hours_ago: float, status: RequestStatus, last_name: str
) -> int:
    """A first appointment booked through the front door (a request and its appointment)."""
    session = db.session
    advisor = session.get_one(StaffMember, advisor_id)
    op = ws.operator(session, "16")
    starts = portal_clock.now() - timedelta(hours=hours_ago)
    request = booking.request_for(
        session, op, requested_on=today_in_france() - timedelta(days=3), last_name=last_name
    )
    request.status = status
    appointment = booking.book(
        session, booking.slot_at(session, advisor, advisor.sites[0], starts), request
    )
    return appointment.id


def test_home_lists_appointments_units_warnings_and_waiting_people(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        session = db.session
        me = ws.staff(session, "16")
        colleague = ws.staff(session, "16")
        past = _appointment(me.id, hours_ago=0.5, status=RequestStatus.BOOKED, last_name="Passé")
        fresh = ws.engaged(session, me, UnitKind.UO1, engaged_on=today, today=today)
        warned = ws.engaged(
            session, me, UnitKind.UO1, engaged_on=today - timedelta(days=52), today=today
        )
        late = ws.engaged(
            session,
            me,
            UnitKind.UO1,
            engaged_on=add_months(today, -2) - timedelta(days=3),
            today=today,
        )
        to_engage = ws.dossier(
            session, me, opened_on=today, who=ws.person(session, last_name="Àengager")
        )
        theirs = ws.engaged(session, colleague, UnitKind.UO21, engaged_on=today, today=today)
        waiting = booking.request_for(
            session,
            ws.operator(session, "16"),
            requested_on=today,
            status=RequestStatus.WAITING,
            last_name="Enattente",
        )
        numbers = [u.formatted_number for u in (fresh, warned, late)]
        theirs_number = theirs.formatted_number
        email, waiting_name = me.email, waiting.beneficiary.full_name
        to_engage_id = to_engage.id
        session.commit()
    body = client_for(app, email).get("/pro/conseiller")
    assert body.status_code == 200
    page = text_of(body.data)
    assert "Camille Passé" in page
    assert f"/pro/rendez-vous/{past}/tenu" in body.get_data(as_text=True)
    assert f"/pro/rendez-vous/{past}/absent" in body.get_data(as_text=True)
    for number in numbers:
        assert number in page
    assert theirs_number not in page  # a colleague's unit
    # Sorted by deadline: the overdue one first, then the warned one, then the fresh one.
    assert page.index(numbers[2]) < page.index(numbers[1]) < page.index(numbers[0])
    assert "80 % du délai écoulé" in page
    assert "Délai dépassé de 3 jours" in page or "Délai dépassé de" in page
    assert f"/pro/dossiers/{to_engage_id}#engager" in body.get_data(as_text=True)
    assert waiting_name in page
    assert "jours ouvrés" in page


def test_held_button_opens_the_dossier_and_missed_puts_the_request_back_to_waiting(
    app: Flask,
) -> None:
    with app.app_context():
        me = ws.staff(db.session, "16")
        held = _appointment(me.id, hours_ago=1, status=RequestStatus.BOOKED, last_name="Venue")
        missed = _appointment(me.id, hours_ago=2, status=RequestStatus.BOOKED, last_name="Absente")
        future = _appointment(me.id, hours_ago=-30, status=RequestStatus.BOOKED, last_name="Futur")
        email = me.email
        db.session.commit()
    client = client_for(app, email)
    response = client.post(f"/pro/rendez-vous/{held}/tenu")
    assert response.status_code == 303
    match = re.search(r"/pro/dossiers/(\d+)$", response.location)
    assert match
    page = client.get(response.location)
    assert page.status_code == 200
    assert "Rendez-vous tenu : dossier ouvert pour Camille Venue." in text_of(page.data)
    assert "Engager une unité" in text_of(page.data)
    again = client.post(f"/pro/rendez-vous/{held}/tenu", follow_redirects=True)
    assert "déjà été renseigné" in text_of(again.data)

    client.post(f"/pro/rendez-vous/{missed}/absent")
    early = client.post(f"/pro/rendez-vous/{future}/tenu", follow_redirects=True)
    assert "n'a pas encore commencé" in text_of(early.data)
    with app.app_context():
        dossier = db.session.get_one(Dossier, int(match.group(1)))
        assert dossier.first_appointment_id == held
        assert dossier.request is not None and dossier.request.status == RequestStatus.HONOURED
        absent = db.session.get_one(Appointment, missed)
        assert absent.status == AppointmentStatus.MISSED
        assert absent.request is not None and absent.request.status == RequestStatus.WAITING
        assert db.session.get_one(Appointment, future).status == AppointmentStatus.BOOKED
    home = text_of(client.get("/pro/conseiller").data)
    assert "Ouvrir le dossier — Camille Venue" in home
    assert "Camille Absente" in home  # waiting again for a first appointment


def _engage_data(**changes: str) -> dict[str, str]:
    today = today_in_france().isoformat()
    data = {
        "kind": "01",
        "engaged_on": today,
        "consent_given_on": today,
        "consent_mode": "oral",
        "origine": "entreprise",
        "motif": "competences",
        "motif_detaille": "vae",
        "referent": "",
    }
    data.update(changes)
    return data


def test_engage_form_refusals_keep_what_was_typed_then_engage(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        me = ws.staff(db.session, "16")
        held = _appointment(me.id, hours_ago=1, status=RequestStatus.BOOKED, last_name="Engagée")
        email, me_id = me.email, me.id
        db.session.commit()
    client = client_for(app, email)
    dossier_url = client.post(f"/pro/rendez-vous/{held}/tenu").location
    dossier_id = int(dossier_url.rsplit("/", 1)[1])
    action = f"/pro/dossiers/{dossier_id}/unites"

    tomorrow = (today + timedelta(days=1)).isoformat()
    future = client.post(action, data=_engage_data(engaged_on=tomorrow, referent=str(me_id)))
    assert future.status_code == 422
    body = future.get_data(as_text=True)
    assert "Cette date ne peut pas être dans le futur." in text_of(future.data)
    assert f'value="{tomorrow}"' in body  # what was typed stays
    assert '<option value="entreprise" selected>' in body
    assert '<option value="vae" selected>' in body
    assert body.startswith("<!doctype html>") and "Erreur :" in body

    no_consent = client.post(action, data=_engage_data(consent_mode="", referent=str(me_id)))
    assert no_consent.status_code == 422
    assert "Indiquez comment la personne a donné son accord." in text_of(no_consent.data)

    wrong_motive = client.post(
        action, data=_engage_data(motif="projet", motif_detaille="vae", referent=str(me_id))
    )
    assert wrong_motive.status_code == 422
    assert "ne correspond pas au motif choisi" in text_of(wrong_motive.data)

    uo22 = client.post(action, data=_engage_data(kind="22", referent=str(me_id)))
    assert uo22.status_code == 422
    assert "L'UO2.2 ne peut être engagée qu'après une UO2.1" in text_of(uo22.data)

    done = client.post(
        action,
        data=_engage_data(referent=str(me_id), link_first_appointment="y", consent_mode="email"),
    )
    assert done.status_code == 303
    page = text_of(client.get(done.location).data)
    with app.app_context():
        unit = db.session.scalars(select(Unit).where(Unit.dossier_id == dossier_id)).one()
        assert unit.kind == UnitKind.UO1 and unit.status == UnitStatus.OPEN
        assert unit.consent_mode == "email" and unit.consent_recorded_by_id == me_id
        assert (unit.origine, unit.motif, unit.motif_detaille) == (
            "entreprise",
            "competences",
            "vae",
        )
        linked = db.session.scalars(select(Interaction).where(Interaction.unit_id == unit.id)).one()
        assert linked.appointment_id == held
        number, order = unit.formatted_number, unit.purchase_order_ref
    assert f"UO1 engagée : dossier n° {number}." in page
    assert number in page and order in page
    assert "État des lieux partagé" in page
    assert "Une unité est en cours" in page  # no second engagement offered
    assert "1 échange" in page


def test_a_uo21_is_engaged_with_the_referent_named(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        me, colleague = ws.staff(db.session, "16"), ws.staff(db.session, "16", name="Zoé Référente")
        dossier = ws.dossier(db.session, me, opened_on=today)
        email, dossier_id, colleague_id = me.email, dossier.id, colleague.id
        db.session.commit()
    client = client_for(app, email)
    form = client.get(f"/pro/dossiers/{dossier_id}").get_data(as_text=True)
    assert f'<option value="{colleague_id}">Zoé Référente</option>' in form
    action = f"/pro/dossiers/{dossier_id}/unites"
    nobody = client.post(action, data=_engage_data(kind="21", referent=""))
    assert nobody.status_code == 422
    assert "Choisissez un conseiller actif de l'opérateur." in text_of(nobody.data)
    done = client.post(action, data=_engage_data(kind="21", referent=str(colleague_id)))
    assert done.status_code == 303
    page = text_of(client.get(done.location).data)
    assert "UO2.1 engagée" in page and "Référent unique Zoé Référente" in page
    assert "Projet professionnel" in page
    with app.app_context():
        unit = db.session.scalars(select(Unit).where(Unit.dossier_id == dossier_id)).one()
        assert unit.advisor_id == colleague_id and unit.dossier.advisor_id == colleague_id
        assert unit.deadline == add_months(today, 6)


def test_annex2_data_form_shows_missing_fields_and_saves_them(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        me = ws.staff(db.session, "16")
        unit = ws.engaged(db.session, me, UnitKind.UO21, engaged_on=today, today=today)
        email, unit_id, dossier_id = me.email, unit.id, unit.dossier_id
        db.session.commit()
    client = client_for(app, email)
    page = text_of(client.get(f"/pro/dossiers/{dossier_id}").data)
    assert "5 informations Annexe 2 restent à compléter avant la clôture" in page
    for label in ("Types de service mobilisés", "Prestations complémentaires", "Financements"):
        assert label in page
    assert "Projet professionnel" in page  # the UO2.1 livrable

    prefix = f"u{unit_id}-"
    base = {
        prefix + "origine": "individuelle",
        prefix + "motif": "projet",
        prefix + "motif_detaille": "changer_metier",
    }
    mixed = client.post(
        f"/pro/unites/{unit_id}/donnees",
        data={**base, prefix + "prestations": ["aucune", "vae"], prefix + "types_service": "pmsmp"},
    )
    assert mixed.status_code == 422
    assert "« Aucune » est cochée avec une autre valeur" in text_of(mixed.data)
    assert f'name="{prefix}types_service" value="pmsmp" checked' in mixed.get_data(as_text=True)

    cleared = client.post(f"/pro/unites/{unit_id}/donnees", data={**base, prefix + "origine": ""})
    assert cleared.status_code == 422
    assert "Cette information est obligatoire." in text_of(cleared.data)

    saved = client.post(
        f"/pro/unites/{unit_id}/donnees",
        data={
            **base,
            prefix + "types_service": ["pmsmp", "information"],
            prefix + "prestations": "aucune",
            prefix + "auto_prescription": "0",
            prefix + "financements": "cpf",
            prefix + "decouvertes": "enquete_metier",
            prefix + "description_service": "  Enquêtes métier  ",
        },
        follow_redirects=True,
    )
    assert "Données Annexe 2 enregistrées." in text_of(saved.data)
    assert "restent à compléter" not in text_of(saved.data)
    with app.app_context():
        stored = db.session.get_one(Unit, unit_id)
        assert stored.types_service == ["pmsmp", "information"]
        assert stored.auto_prescription is False and stored.prestations == ["aucune"]
        assert stored.description_service == "Enquêtes métier"


def test_interactions_are_listed_and_refused_in_words(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        me = ws.staff(db.session, "16")
        unit = ws.engaged(db.session, me, UnitKind.UO1, engaged_on=today, today=today)
        email, unit_id, dossier_id = me.email, unit.id, unit.dossier_id
        db.session.commit()
    client = client_for(app, email)
    p = f"i{unit_id}-"
    data = {
        p + "occurred_on": today.isoformat(),
        p + "contact_mode": "telephone",
        p + "service_type": "information",
        p + "duration_minutes": "45",
        p + "notes": "Point sur les formations",
    }
    too_long = client.post(
        f"/pro/unites/{unit_id}/echanges", data={**data, p + "duration_minutes": "0"}
    )
    assert too_long.status_code == 422
    assert "Indiquez une durée entre 1 et 600 minutes." in text_of(too_long.data)
    assert "Point sur les formations" in too_long.get_data(as_text=True)
    before = (today - timedelta(days=1)).isoformat()
    early = client.post(f"/pro/unites/{unit_id}/echanges", data={**data, p + "occurred_on": before})
    assert early.status_code == 422
    assert "Cette date est trop ancienne" in text_of(early.data)
    ok = client.post(f"/pro/unites/{unit_id}/echanges", data=data, follow_redirects=True)
    page = text_of(ok.data)
    assert "enregistré" in page
    assert "Téléphone" in page and "45 min" in page and "Point sur les formations" in page
    assert f"/pro/dossiers/{dossier_id}" in ok.request.path


def test_a_uo22_closes_on_the_written_request(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        session = db.session
        me = ws.staff(session, "16")
        start = today - timedelta(days=120)
        uo21 = ws.engaged(session, me, UnitKind.UO21, engaged_on=start, today=today)
        close_unit(
            session,
            uo21,
            kind=ClosureKind.SIGNED,
            closed_on=start + timedelta(days=60),
            reason="poursuite",
            today=today,
        )
        uo22 = ws.engaged(
            session,
            me,
            UnitKind.UO22,
            engaged_on=start + timedelta(days=61),
            today=today,
            in_dossier=uo21.dossier,
        )
        email, unit_id, dossier_id = me.email, uo22.id, uo22.dossier_id
        session.commit()
    client = client_for(app, email)
    page = text_of(client.get(f"/pro/dossiers/{dossier_id}").data)
    assert "Clôturer sur demande écrite du bénéficiaire" in page
    assert "Clôture automatique en fin de délai" not in page  # abandon is not a choice
    c = f"c{unit_id}-"
    empty = client.post(
        f"/pro/unites/{unit_id}/cloture",
        data={
            c + "closure_trace": "",
            c + "motif_cloture": "objectif_atteint",
            c + "closed_on": today.isoformat(),
        },
    )
    assert empty.status_code == 422
    assert "Recopiez la demande écrite de la personne." in text_of(empty.data)
    done = client.post(
        f"/pro/unites/{unit_id}/cloture",
        data={
            c + "closure_trace": "Je souhaite arrêter, merci pour tout.",
            c + "motif_cloture": "objectif_atteint",
            c + "closed_on": today.isoformat(),
        },
        follow_redirects=True,
    )
    page = text_of(done.data)
    assert "UO2.2 clôturée le" in page
    assert "Je souhaite arrêter, merci pour tout." in page
    assert "Clôturée sur demande écrite du bénéficiaire" in page
    with app.app_context():
        closed = db.session.get_one(Unit, unit_id)
        assert closed.closure_kind == ClosureKind.REQUESTED and closed.closed_on == today
        # The survey invitations of both closures: leave the outbox as it was.
        address = closed.dossier.beneficiary.email
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address == address))
        db.session.commit()


def test_a_manager_reads_the_dossier_without_any_form(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        advisor = ws.staff(db.session, "16")
        manager = ws.staff(db.session, "16", StaffRole.MANAGER)
        unit = ws.engaged(db.session, advisor, UnitKind.UO21, engaged_on=today, today=today)
        email, unit_id, dossier_id, number = (
            manager.email,
            unit.id,
            unit.dossier_id,
            unit.formatted_number,
        )
        db.session.commit()
    client = client_for(app, email)
    response = client.get(f"/pro/dossiers/{dossier_id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert number in text_of(response.data)
    assert "Lecture seule" in text_of(response.data)
    assert "Démarche individuelle" in text_of(response.data)  # the Annex 2 data, as text
    # Signing out (here, or everywhere) and handing the dossier over (issue 14), nothing else.
    actions = re.findall(r'<form[^>]*action="([^"]*)"', body)
    assert sorted(actions) == [
        "/pro/deconnexion",
        "/pro/deconnexion-partout",
        f"/pro/dossiers/{dossier_id}/referent",
    ]
    assert f'action="/pro/unites/{unit_id}/' not in body
    assert client.post(f"/pro/dossiers/{dossier_id}/unites", data=_engage_data()).status_code == 404
    assert client.post(f"/pro/unites/{unit_id}/donnees", data={}).status_code == 404
    assert client.post(f"/pro/unites/{unit_id}/echanges", data={}).status_code == 404
    assert client.get("/pro/conseiller").status_code == 404


def test_an_advisor_of_another_operator_gets_404(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        mine = ws.staff(db.session, "16")
        stranger = ws.staff(db.session, "10")
        unit = ws.engaged(db.session, mine, UnitKind.UO1, engaged_on=today, today=today)
        held = _appointment(mine.id, hours_ago=1, status=RequestStatus.BOOKED, last_name="Corse")
        email, unit_id, dossier_id = stranger.email, unit.id, unit.dossier_id
        db.session.commit()
    client = client_for(app, email)
    assert client.get(f"/pro/dossiers/{dossier_id}").status_code == 404
    assert client.post(f"/pro/dossiers/{dossier_id}/unites", data=_engage_data()).status_code == 404
    assert client.post(f"/pro/unites/{unit_id}/donnees", data={}).status_code == 404
    assert client.post(f"/pro/rendez-vous/{held}/tenu").status_code == 404
    with app.app_context():
        assert db.session.get_one(Appointment, held).status == AppointmentStatus.BOOKED


def test_home_and_dossier_page_stay_within_15_queries(app: Flask) -> None:
    today = today_in_france()
    with app.app_context():
        me = ws.staff(db.session, "16")
        units = [
            ws.engaged(
                db.session, me, UnitKind.UO1, engaged_on=today - timedelta(days=i), today=today
            )
            for i in range(40)
        ]
        for i in range(5):
            _appointment(me.id, hours_ago=1 + i, status=RequestStatus.BOOKED, last_name=f"Q{i}")
        email, dossier_id = me.email, units[0].dossier_id
        db.session.commit()
    client = client_for(app, email)
    with counted_queries(app) as statements:
        assert client.get("/pro/conseiller").status_code == 200
    assert len(statements) <= 15, statements
    with counted_queries(app) as statements:
        assert client.get(f"/pro/dossiers/{dossier_id}").status_code == 200
    assert len(statements) <= 15, statements


def test_forms_post_with_their_own_csrf_token(app: Flask, database_url: str, tmp_path: Any) -> None:
    """With CSRF on, the prefixed unit forms carry a token under their own name."""
    from tests.conftest import make_app

    today = today_in_france()
    with app.app_context():
        me = ws.staff(db.session, "16")
        unit = ws.engaged(db.session, me, UnitKind.UO1, engaged_on=today, today=today)
        email, unit_id, dossier_id = me.email, unit.id, unit.dossier_id
        db.session.commit()
    strict = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    try:
        _post_with_csrf(strict, email, unit_id, dossier_id, today)
    finally:
        with strict.app_context():
            db.engine.dispose()


def _post_with_csrf(strict: Flask, email: str, unit_id: int, dossier_id: int, today: date) -> None:
    client = strict.test_client()
    login = client.get("/pro/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert token
    credentials = {"email": email, "password": ws.PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/pro/connexion", data=credentials).status_code == 303
    page = client.get(f"/pro/dossiers/{dossier_id}").get_data(as_text=True)
    token = re.search(rf'name="i{unit_id}-csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "the interaction form has its token"
    p = f"i{unit_id}-"
    data = {
        p + "csrf_token": token.group(1),
        p + "occurred_on": today.isoformat(),
        p + "contact_mode": "visio",
        p + "duration_minutes": "30",
    }
    assert client.post(f"/pro/unites/{unit_id}/echanges", data=data).status_code == 303
    del data[p + "csrf_token"]
    assert client.post(f"/pro/unites/{unit_id}/echanges", data=data).status_code in (400, 422)
    with strict.app_context():
        assert len(db.session.get_one(Unit, unit_id).interactions) == 1
