"""Every staff endpoint × every role × an object of another operator.

The endpoints are read from the application's URL map, so a new staff page is in the matrix
the day it is written: one whose URL names an object this test does not know fails here until
the object is added to `foreign_objects`. Staff of operator 16 (and the mediator and France
compétences, who belong to no operator) must get 404 on any object of operator 10 — never
200, 403 or 500 — and pages without an object open only for the roles they are meant for.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from portal.advisor.models import Unit, UnitKind
from portal.booking.models import Absence, AvailabilityWindow, RequestStatus
from portal.directory.models import Provider
from portal.extensions import db
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableStatus,
    LivrableVersion,
    Signature,
    SignatureMethod,
    SignatureParty,
    SignedScan,
)
from portal.network.models import Site, SiteClosure, StaffRole
from tests import staff_booking_data as booking
from tests import workspace_data as ws

ROLES = (StaffRole.ADVISOR, StaffRole.MANAGER, StaffRole.MEDIATOR, StaffRole.FRANCE_COMPETENCES)
# Pages every signed-in member may reach whatever the operator, and the sign-in itself.
OPEN_ENDPOINTS = {"auth.login", "auth.sign_in", "auth.logout"}


@pytest.fixture(scope="module")
def members(app: Flask) -> dict[StaffRole, str]:
    with app.app_context():
        emails = {role: ws.staff(db.session, "16", role).email for role in ROLES}
        db.session.commit()
    return emails


@pytest.fixture(scope="module")
def foreign_objects(app: Flask) -> dict[str, int]:
    """One object of each kind, all belonging to operator 10."""
    today = date.today()
    with app.app_context():
        session = db.session
        op = ws.operator(session, "10")
        advisor = ws.staff(session, "10")
        site = session.scalars(select(Site).where(Site.operator_id == op.id)).first()
        assert site is not None
        request = booking.request_for(
            session, op, requested_on=today, status=RequestStatus.WAITING, call_back_by=today
        )
        start = datetime.combine(today - timedelta(days=1), time(9), UTC)
        appointment = booking.book(session, booking.slot_at(session, advisor, site, start), request)
        unit = ws.engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
        livrable = Livrable(
            unit_id=unit.id, kind=LivrableKind.ETAT_DES_LIEUX, status=LivrableStatus.FROZEN
        )
        session.add(livrable)
        session.flush()
        version = LivrableVersion(
            livrable_id=livrable.id,
            number=1,
            content={},
            content_sha256="0" * 64,
            pdf=b"%PDF-1.4",
            frozen_by_id=advisor.id,
        )
        session.add(version)
        session.flush()
        signature = Signature(
            version_id=version.id,
            party=SignatureParty.ADVISOR,
            method=SignatureMethod.PAPER,
            signer_name=advisor.full_name,
            signed_on=today,
            recorded_by_id=advisor.id,
        )
        scan = SignedScan(
            version_id=version.id,
            filename="scan.pdf",
            content_type="application/pdf",
            sha256="0" * 64,
            data=b"%PDF-1.4",
            uploaded_by_id=advisor.id,
        )
        window = AvailabilityWindow(
            advisor_id=advisor.id,
            operator_id=op.id,
            site_id=site.id,
            weekday=0,
            starts=time(9),
            ends=time(12),
            valid_from=today,
        )
        absence = Absence(advisor_id=advisor.id, starts_on=today, ends_on=today)
        closure = SiteClosure(site_id=site.id, starts_on=today, ends_on=today)
        provider = Provider(operator_id=op.id, name="Organisme d'un autre opérateur")
        session.add_all([signature, scan, window, absence, closure, provider])
        session.flush()
        ids = {
            "advisor_id": advisor.id,
            "site_id": site.id,
            "request_id": request.id,
            "appointment_id": appointment.id,
            "dossier_id": unit.dossier_id,
            "unit_id": unit.id,
            "livrable_id": livrable.id,
            "version_id": version.id,
            "revision_id": version.id,
            "signature_id": signature.id,
            "scan_id": scan.id,
            "window_id": window.id,
            "absence_id": absence.id,
            "closure_id": closure.id,
            "hours_id": site.hours[0].id,
            "provider_id": provider.id,
            "order_id": unit.purchase_order_id,
        }
        session.commit()
    return ids


def staff_rules(app: Flask) -> list[Rule]:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/pro") and rule.endpoint not in OPEN_ENDPOINTS
        ),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


def url_for_rule(rule: Rule, ids: dict[str, int]) -> str:
    unknown = [name for name in rule.arguments if name not in ids]
    assert not unknown, f"{rule.rule}: add {unknown} to foreign_objects"
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:\w+:)?{name}>", str(ids[name]), path)
    return path


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def signed_in(app: Flask, email: str) -> FlaskClient:
    return ws.sign_in(app.test_client(), email)


@pytest.fixture(scope="module")
def clients(app: Flask, members: dict[StaffRole, str]) -> Iterator[dict[StaffRole, FlaskClient]]:
    yield {role: signed_in(app, email) for role, email in members.items()}


def test_the_matrix_covers_the_workspace(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in staff_rules(app)}
    assert {"advisor.home", "advisor.dossier", "livrables.editor", "manage.sites"} <= endpoints


def test_a_foreign_object_answers_404_to_every_role(
    app: Flask, clients: dict[StaffRole, FlaskClient], foreign_objects: dict[str, int]
) -> None:
    failures = []
    rules = [rule for rule in staff_rules(app) if rule.arguments]
    for rule, role in itertools.product(rules, ROLES):
        url = url_for_rule(rule, foreign_objects)
        for method in methods(rule):
            status = clients[role].open(url, method=method).status_code
            if status != 404:
                failures.append(f"{role} {method} {url} ({rule.endpoint}): {status}")
    assert not failures, "\n".join(failures)


def test_pages_without_an_object_open_only_for_their_roles(
    app: Flask, clients: dict[StaffRole, FlaskClient]
) -> None:
    failures = []
    rules = [rule for rule in staff_rules(app) if not rule.arguments and "GET" in methods(rule)]
    for rule, role in itertools.product(rules, ROLES):
        view = app.view_functions[rule.endpoint]
        allowed = getattr(view, "staff_roles", None)
        assert allowed is not None, f"{rule.endpoint} is not behind staff_required"
        meant = (not allowed or role in allowed) and (
            role in (StaffRole.ADVISOR, StaffRole.MANAGER) or rule.endpoint == "manage.home"
        )
        status = clients[role].get(rule.rule).status_code
        if status != (200 if meant else 404):
            failures.append(f"{role} GET {rule.rule} ({rule.endpoint}): {status}")
    assert not failures, "\n".join(failures)


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(
    app: Flask, foreign_objects: dict[str, int]
) -> None:
    client = app.test_client()
    failures = []
    for rule in staff_rules(app):
        url = url_for_rule(rule, foreign_objects)
        for method in methods(rule):
            response = client.open(url, method=method)
            if response.status_code != 303 or "/pro/connexion" not in response.location:
                failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_an_advisor_sees_nothing_of_a_foreign_dossier_in_their_lists(
    app: Flask, clients: dict[StaffRole, FlaskClient], foreign_objects: dict[str, int]
) -> None:
    with app.app_context():
        unit = db.session.get_one(Unit, foreign_objects["unit_id"])
        number, name = unit.formatted_number, unit.dossier.beneficiary.last_name
    for role in (StaffRole.ADVISOR, StaffRole.MANAGER):
        for page in ("/pro/", "/pro/conseiller", "/pro/demandes-en-attente"):
            body = clients[role].get(page).get_data(as_text=True)
            assert number not in body, (role, page)
    del name
