"""The mediator's access to a person's dossier (issue 12 §3): asked, dated, e-mailed to the
operator's managers; granted only by a manager of the complaint's operator; every page and
PDF read logged once (`file_read`) and shown to the person with its time; nobody but the
mediator reaches the mediator's routes.

Routes and roles: POST /pro/mediateur/saisines/<id>/acces, GET …/dossier and
…/dossier/versions/<id>.pdf: the mediator only (everyone else 404);
POST /pro/reclamations/<id>/acces-mediateur: the complaint operator's manager only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.audit.models import FileRead, ReadWhat
from portal.booking.views import long_moment
from portal.clock import PARIS, today_in_france
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mediation.models import Referral, ReferralChannel
from portal.mediation.referrals import decide_admissibility, record_referral
from portal.network.models import StaffRole
from portal.privacy.export import export_person
from tests.conftest import FrozenClock
from tests.esign_data import signed_version
from tests.mediation_data import letter
from tests.web.test_beneficiary_space import signed_in, text_of
from tests.workspace_data import sign_in, staff


@dataclass
class Case:
    referral_id: int
    complaint_id: int
    version_id: int
    other_version_id: int  # a version of another person's dossier
    person_email: str
    mediator: str
    manager: str
    manager_email: str
    advisor: str
    foreign_manager: str
    france_competences: str


def _referral(
    app: Flask, clock: FrozenClock, *, with_dossier: bool = True, admissible: bool = True
) -> Case:
    with app.app_context():
        today = today_in_france()
        manager = staff(db.session, "16", StaffRole.MANAGER, name=f"Resp {uuid.uuid4().hex[:6]}")
        advisor = staff(db.session, "16")
        mediator = staff(db.session, role=StaffRole.MEDIATOR, name="Médiatrice Dupont")
        version = signed_version(db.session, advisor, today)
        other = signed_version(db.session, advisor, today)
        dossier = version.livrable.unit.dossier
        complaint = letter(db.session, manager, received_on=today - timedelta(days=3))
        if with_dossier:
            complaint.dossier_id = dossier.id
            complaint.beneficiary_id = dossier.beneficiary_id
        complaint.email = dossier.beneficiary.email
        referral = record_referral(
            db.session,
            by=mediator,
            channel=ReferralChannel.LETTER,
            operator_id=complaint.operator_id,
            last_name=complaint.last_name,
            first_name=complaint.first_name,
            email=complaint.email,
            text=None,
            referred_at=clock.now - timedelta(days=1),
            now=clock.now,
            complaint=complaint,
        )
        if admissible:
            decide_admissibility(
                db.session, referral, by=mediator, admissible=True, reason=None, now=clock.now
            )
        case = Case(
            referral_id=referral.id,
            complaint_id=complaint.id,
            version_id=version.id,
            other_version_id=other.id,
            person_email=dossier.beneficiary.email,
            mediator=mediator.email,
            manager=manager.email,
            manager_email=manager.email,
            advisor=advisor.email,
            foreign_manager=staff(db.session, "10", StaffRole.MANAGER).email,
            france_competences=staff(db.session, role=StaffRole.FRANCE_COMPETENCES).email,
        )
        db.session.commit()
        return case


@pytest.fixture
def case(app: Flask, clock: FrozenClock) -> Case:
    return _referral(app, clock)


def reads(app: Flask, referral_id: int) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count())
                .select_from(FileRead)
                .where(FileRead.referral_id == referral_id)
            )
            or 0
        )


def base(case: Case) -> str:
    return f"/pro/mediateur/saisines/{case.referral_id}"


def grant(app: Flask, case: Case) -> None:
    mediator = sign_in(app.test_client(), case.mediator)
    assert mediator.post(f"{base(case)}/acces").status_code == 303
    manager = sign_in(app.test_client(), case.manager)
    granted = manager.post(f"/pro/reclamations/{case.complaint_id}/acces-mediateur")
    assert granted.status_code == 303


def test_without_request_and_grant_the_dossier_stays_closed(app: Flask, case: Case) -> None:
    mediator = sign_in(app.test_client(), case.mediator)
    page = mediator.get(f"{base(case)}/dossier")
    assert page.status_code == 403
    assert "Accès non accordé" in text_of(page.data)
    assert "Demander l'accès au dossier" in text_of(page.data)
    pdf = mediator.get(f"{base(case)}/dossier/versions/{case.version_id}.pdf")
    assert pdf.status_code == 403 and pdf.mimetype == "text/html"
    assert mediator.post(f"{base(case)}/acces").status_code == 303
    waiting = mediator.get(f"{base(case)}/dossier")
    assert waiting.status_code == 403
    assert "Accès demandé le" in text_of(waiting.data)
    assert "En attente de l'opérateur" in text_of(waiting.data)
    assert reads(app, case.referral_id) == 0


def test_the_request_is_dated_and_e_mailed_to_the_operators_managers(
    app: Flask, case: Case, clock: FrozenClock
) -> None:
    mediator = sign_in(app.test_client(), case.mediator)
    assert mediator.post(f"{base(case)}/acces").status_code == 303
    with app.app_context():
        referral = db.session.get_one(Referral, case.referral_id)
        assert referral.access_requested_at == clock.now
        sent = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == case.manager_email)
        ).all()
        assert len(sent) == 1
        assert f"/pro/reclamations/{case.complaint_id}" in sent[0].body_text
    again = mediator.post(f"{base(case)}/acces")
    assert again.status_code == 422 and "déjà demandé" in text_of(again.data)
    staff_page = sign_in(app.test_client(), case.manager).get(
        f"/pro/reclamations/{case.complaint_id}"
    )
    assert "Accorder l'accès au médiateur" in text_of(staff_page.data)


def test_only_a_manager_of_the_complaints_operator_grants(app: Flask, case: Case) -> None:
    sign_in(app.test_client(), case.mediator).post(f"{base(case)}/acces")
    url = f"/pro/reclamations/{case.complaint_id}/acces-mediateur"
    for other in (case.foreign_manager, case.advisor, case.mediator, case.france_competences):
        assert sign_in(app.test_client(), other).post(url).status_code == 404
    with app.app_context():
        assert db.session.get_one(Referral, case.referral_id).access_granted_at is None
    manager = sign_in(app.test_client(), case.manager)
    assert manager.post(url).status_code == 303
    page = text_of(manager.get(f"/pro/reclamations/{case.complaint_id}").data)
    assert "Accès accordé le" in page
    twice = manager.post(url)
    assert twice.status_code == 422 and "déjà accordé" in text_of(twice.data)


def test_a_grant_without_a_request_is_refused(app: Flask, case: Case) -> None:
    manager = sign_in(app.test_client(), case.manager)
    refused = manager.post(f"/pro/reclamations/{case.complaint_id}/acces-mediateur")
    assert refused.status_code == 422
    assert "n'a pas demandé l'accès" in text_of(refused.data)


def test_each_read_of_a_page_or_a_pdf_is_logged_once(app: Flask, case: Case) -> None:
    grant(app, case)
    mediator = sign_in(app.test_client(), case.mediator)
    page = mediator.get(f"{base(case)}/dossier")
    assert page.status_code == 200
    text = text_of(page.data)
    assert "UO1" in text and "Version 1" in text and "signé par" in text
    assert reads(app, case.referral_id) == 1
    pdf = mediator.get(f"{base(case)}/dossier/versions/{case.version_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert reads(app, case.referral_id) == 2
    foreign = mediator.get(f"{base(case)}/dossier/versions/{case.other_version_id}.pdf")
    assert foreign.status_code == 404
    assert mediator.get(f"{base(case)}/dossier").status_code == 200
    assert reads(app, case.referral_id) == 3
    with app.app_context():
        logged = db.session.scalars(
            select(FileRead).where(FileRead.referral_id == case.referral_id).order_by(FileRead.id)
        ).all()
        dossier, pdf_read = ReadWhat.DOSSIER, ReadWhat.LIVRABLE_PDF
        assert [r.what for r in logged] == [dossier, pdf_read, dossier]
        assert logged[1].path.endswith(f"/versions/{case.version_id}.pdf")
        assert all(r.staff_member.email == case.mediator for r in logged)
    panel = text_of(mediator.get(f"{base(case)}/dossier").data)
    assert "Consultations du dossier" in panel and "Document (PDF)" in panel


def test_the_person_sees_the_request_and_each_read_with_its_time(
    app: Flask, case: Case, clock: FrozenClock
) -> None:
    clock.set(datetime.combine(clock.today, time(8, 15), tzinfo=UTC))
    grant(app, case)
    clock.advance(hours=1, minutes=20)
    read_at = clock.now
    sign_in(app.test_client(), case.mediator).get(f"{base(case)}/dossier")
    with app.test_request_context():
        expected = long_moment(read_at.astimezone(PARIS))
    person = signed_in(app, case.person_email)
    for url in ("/mon-espace", f"/mon-espace/reclamations/{case.complaint_id}"):
        page = text_of(person.get(url).data)
        assert "Le médiateur a demandé l'accès à votre dossier le" in page
        assert "Le médiateur de France compétences a consulté votre dossier" in page
        assert expected[:1].upper() + expected[1:] in page
        assert "votre dossier (accompagnements, rendez-vous et documents)" in page


def test_the_reads_are_in_the_persons_export(app: Flask, case: Case, clock: FrozenClock) -> None:
    grant(app, case)
    sign_in(app.test_client(), case.mediator).get(f"{base(case)}/dossier")
    with app.app_context():
        exported = export_person(db.session, email=case.person_email, now=clock.now)
        rows = exported["tables"]["file_read"]
        assert [row["what"] for row in rows] == ["dossier"]


def test_nobody_but_the_mediator_reaches_the_mediators_routes(app: Flask, case: Case) -> None:
    grant(app, case)
    urls = [f"{base(case)}/dossier", f"{base(case)}/dossier/versions/{case.version_id}.pdf"]
    for who in (case.france_competences, case.advisor, case.manager, case.foreign_manager):
        client = sign_in(app.test_client(), who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
        assert client.post(f"{base(case)}/acces").status_code == 404
    assert reads(app, case.referral_id) == 0
    anonymous = app.test_client().get(urls[0])
    assert anonymous.status_code in (302, 303)


def test_a_referral_without_a_dossier_has_no_dossier_page(app: Flask, clock: FrozenClock) -> None:
    case = _referral(app, clock, with_dossier=False)
    mediator = sign_in(app.test_client(), case.mediator)
    assert mediator.get(f"{base(case)}/dossier").status_code == 404
    refused = mediator.post(f"{base(case)}/acces")
    assert refused.status_code == 422
    assert "aucun dossier" in text_of(refused.data)


def test_access_is_asked_only_once_the_referral_is_admissible(
    app: Flask, clock: FrozenClock
) -> None:
    case = _referral(app, clock, admissible=False)
    mediator = sign_in(app.test_client(), case.mediator)
    refused = mediator.post(f"{base(case)}/acces")
    assert refused.status_code == 422
    assert "déclarée recevable" in text_of(refused.data)
    with app.app_context():
        assert db.session.get_one(Referral, case.referral_id).access_requested_at is None
