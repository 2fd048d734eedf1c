"""Every staff endpoint × every role × an object of another operator.

The endpoints are read from the application's URL map, so a new staff page is in the matrix
the day it is written: one whose URL names an object this test does not know fails here until
the object is added to `foreign_objects`. Staff of operator 16 (and the mediator and France
compétences, who belong to no operator) must get 404 on any object of operator 10 — never
200, 403 or 500 — and pages without an object open only for the roles they are meant for.

The positive control: operator 10's own staff open the same URLs (200 or a redirect for a
page, an answer other than 404 and 5xx for an action), so a route that answers 404 to
everyone cannot pass for a well-guarded one.

The mediator's screens (`staff_roles == {MEDIATOR}`) follow a policy of their own: every lot,
only what was referred. There the mediator is the positive control (a referral on operator
10's complaint opens for them) and every other role gets 404; on the operators' complaint
screens the mediator gets 404 like any stranger.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from portal import clock as portal_clock
from portal.advisor.models import Unit, UnitKind
from portal.booking.models import Absence, AvailabilityWindow, RequestStatus
from portal.clock import today_in_france
from portal.directory.models import Provider
from portal.esign.models import PaperCopyRequest
from portal.extensions import db
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableRevision,
    LivrableStatus,
    LivrableVersion,
    RevisionKind,
    Signature,
    SignatureMethod,
    SignatureParty,
    SignedScan,
)
from portal.mail.models import OutboxStatus
from portal.mail.services import enqueue_mail
from portal.mediation.models import (
    Admissible,
    ComplaintAttachment,
    Referral,
    ReferralChannel,
    ReferredBy,
)
from portal.network.models import Site, SiteClosure, StaffMember, StaffRole
from portal.orientation.rules import Route, Situation
from portal.orientation.uo0 import record_staff_contact
from portal.reference import ContactMode
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.mediation_data import letter

ROLES = (
    StaffRole.ADVISOR,
    StaffRole.INFORMATION,
    StaffRole.MANAGER,
    StaffRole.MEDIATOR,
    StaffRole.FRANCE_COMPETENCES,
)
# Pages every signed-in member may reach whatever the operator, and the sign-in itself.
OPEN_ENDPOINTS = {
    "auth.login",
    "auth.sign_in",
    "auth.logout",
    # The pages of a forgotten password and of the e-mailed links: for signed-out members.
    "auth.forgot_password",
    "auth.request_reset",
    "auth.request_unlock",
    "auth.link_sent",
    "auth.new_password",
    "auth.save_new_password",
    "auth.unlock",
    "auth.unlock_sign_in",
}
# Pages that moved: they answer their roles with a redirect to the new page (issue 14: the
# week list became the agenda).
MOVED_PAGES = {"manage.my_appointments": "/pro/agenda"}


@pytest.fixture(scope="module")
def members(app: Flask) -> dict[StaffRole, str]:
    with app.app_context():
        emails = {role: ws.staff(db.session, "16", role).email for role in ROLES}
        db.session.commit()
    return emails


@pytest.fixture(scope="module")
def owners(app: Flask) -> dict[StaffRole, str]:
    """Operator 10's advisor who holds every foreign object, and a manager of operator 10."""
    with app.app_context():
        emails = {
            StaffRole.ADVISOR: ws.staff(db.session, "10", name="Conseillère propriétaire").email,
            StaffRole.MANAGER: ws.staff(db.session, "10", StaffRole.MANAGER).email,
        }
        db.session.commit()
    return emails


@pytest.fixture(scope="module")
def foreign_objects(app: Flask, owners: dict[StaffRole, str]) -> dict[str, int]:
    """One object of each kind, all belonging to operator 10."""
    today = today_in_france()
    with app.app_context():
        session = db.session
        op = ws.operator(session, "10")
        advisor = session.scalars(
            select(StaffMember).where(StaffMember.email == owners[StaffRole.ADVISOR])
        ).one()
        site = session.scalars(select(Site).where(Site.operator_id == op.id)).first()
        assert site is not None
        request = booking.request_for(
            session, op, requested_on=today, status=RequestStatus.WAITING, call_back_by=today
        )
        start = datetime.combine(today - timedelta(days=1), time(9), UTC)
        appointment = booking.book(session, booking.slot_at(session, advisor, site, start), request)
        unit = ws.engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
        # A follow-up session of the unit (issue 14 §2), to come: it may be moved or cancelled.
        later = datetime.combine(today + timedelta(days=2), time(9), UTC)
        follow_up = booking.book(session, booking.slot_at(session, advisor, site, later), request)
        follow_up.request_id, follow_up.unit_id = None, unit.id
        follow_up.beneficiary_id = unit.dossier.beneficiary_id
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
        revision = LivrableRevision(
            livrable_id=livrable.id, kind=RevisionKind.SAVE, content={}, saved_by_id=advisor.id
        )
        session.add_all([version, revision])
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
        failed_mail = enqueue_mail(
            session, to="x@example.org", subject="Échec", text="T", operator_id=op.id
        )
        failed_mail.status = OutboxStatus.FAILED
        copy_request = PaperCopyRequest(
            version_id=version.id,
            beneficiary_id=unit.dossier.beneficiary_id,
            address_lines="12 rue des Lilas",
            postcode="35000",
            town="Rennes",
            requested_at=portal_clock.now(),
        )
        session.add_all([signature, scan, window, absence, closure, provider, copy_request])
        session.flush()
        manager = session.scalars(
            select(StaffMember).where(StaffMember.email == owners[StaffRole.MANAGER])
        ).one()
        complaint = letter(session, manager, received_on=today)
        complaint_scan = ComplaintAttachment(
            complaint_id=complaint.id,
            filename="lettre.pdf",
            content_type="application/pdf",
            size=8,
            sha256="0" * 64,
            data=b"%PDF-1.4",
            added_at=portal_clock.now(),
            added_by_id=manager.id,
        )
        session.add(complaint_scan)
        referral = Referral(
            complaint_id=complaint.id,
            operator_id=op.id,
            referred_at=portal_clock.now(),
            referred_by=ReferredBy.PERSON,
            channel=ReferralChannel.PORTAL,
            last_name=complaint.last_name,
            first_name=complaint.first_name,
            email=complaint.email,
            # Admissible, access asked and granted: the mediator's dossier opens (positive
            # control) and the operator's grant is the one refusal left (already granted).
            admissible=Admissible.YES,
            access_requested_at=portal_clock.now(),
            access_granted_at=portal_clock.now(),
            access_granted_by_id=manager.id,
        )
        complaint.dossier_id = unit.dossier_id
        session.add(referral)
        # A UO0 taken by phone by operator 10's advisor (issue 15 §2).
        contact = record_staff_contact(
            session,
            key=uuid.uuid4().hex,
            staff=advisor,
            on=today,
            contact_mode=ContactMode.TELEPHONE,
            situation=Situation.SALARIE_PRIVE,
            route=Route.OPERATEUR_REGIONAL,
            motif=None,
        )
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
            "revision_id": revision.id,
            "signature_id": signature.id,
            "scan_id": scan.id,
            "window_id": window.id,
            "absence_id": absence.id,
            "closure_id": closure.id,
            "hours_id": site.hours[0].id,
            "provider_id": provider.id,
            "order_id": unit.purchase_order_id,
            "message_id": failed_mail.id,
            "copy_request_id": copy_request.id,
            "complaint_id": complaint.id,
            "attachment_id": complaint_scan.id,
            "referral_id": referral.id,
            "session_id": follow_up.id,
            "contact_id": contact.id,
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


def owner_role(app: Flask, rule: Rule) -> StaffRole:
    """The role of operator 10's staff who acts on this URL's objects: the advisor, unless the
    page is for managers only."""
    allowed = getattr(app.view_functions[rule.endpoint], "staff_roles", None) or ()
    return StaffRole.ADVISOR if not allowed or StaffRole.ADVISOR in allowed else StaffRole.MANAGER


def for_the_mediator(app: Flask, rule: Rule) -> bool:
    """A screen of the mediator's own policy (every lot, only what was referred)."""
    allowed = getattr(app.view_functions[rule.endpoint], "staff_roles", None)
    return allowed == frozenset({StaffRole.MEDIATOR})


def opens_for(app: Flask, path: str, role: StaffRole) -> bool:
    """Whether the page at `path` is meant for this role (its `staff_required` roles)."""
    endpoint, _args = app.url_map.bind("localhost").match(path)
    allowed = getattr(app.view_functions[endpoint], "staff_roles", None)
    assert allowed is not None, f"{endpoint} is not behind staff_required"
    return not allowed or role in allowed


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
    rules = [
        rule for rule in staff_rules(app) if rule.arguments and not for_the_mediator(app, rule)
    ]
    for rule, role in itertools.product(rules, ROLES):
        url = url_for_rule(rule, foreign_objects)
        for method in methods(rule):
            status = clients[role].open(url, method=method).status_code
            if status != 404:
                failures.append(f"{role} {method} {url} ({rule.endpoint}): {status}")
    assert not failures, "\n".join(failures)


def test_the_mediators_screens_open_for_the_mediator_only(
    app: Flask, clients: dict[StaffRole, FlaskClient], foreign_objects: dict[str, int]
) -> None:
    """A referral on operator 10's complaint: the mediator opens it (every lot; an action may
    refuse an empty form, never 404 or 5xx), every other role gets 404."""
    rules = [rule for rule in staff_rules(app) if rule.arguments and for_the_mediator(app, rule)]
    assert {rule.endpoint for rule in rules} >= {"mediator.referral", "mediator.decide"}
    failures = []
    for rule, role in itertools.product(rules, ROLES):
        url = url_for_rule(rule, foreign_objects)
        for method in methods(rule):
            status = clients[role].open(url, method=method, data={}).status_code
            if role != StaffRole.MEDIATOR:
                ok = status == 404
            elif method == "GET":
                ok = status in (200, 302, 303)
            else:
                ok = status != 404 and status < 500
            if not ok:
                failures.append(f"{role} {method} {url} ({rule.endpoint}): {status}")
    assert not failures, "\n".join(failures)


def test_the_mediator_gets_404_on_the_operators_complaint_screens(
    app: Flask, clients: dict[StaffRole, FlaskClient], foreign_objects: dict[str, int]
) -> None:
    """Even on the complaint referred to them: the operator's screens are not the mediator's."""
    rules = [rule for rule in staff_rules(app) if rule.rule.startswith("/pro/reclamations")]
    assert any("complaint_id" in rule.arguments for rule in rules)
    failures = []
    for rule in rules:
        url = url_for_rule(rule, foreign_objects)
        for method in methods(rule):
            status = clients[StaffRole.MEDIATOR].open(url, method=method).status_code
            if status != 404:
                failures.append(f"{method} {url} ({rule.endpoint}): {status}")
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
        # A page names its roles (the mediator's and the national views name theirs); a page
        # for any staff member is an operator's screen, where staff of no operator get 404.
        meant = (
            role in allowed
            if allowed
            else role in (StaffRole.ADVISOR, StaffRole.MANAGER) or rule.endpoint == "manage.home"
        )
        response = clients[role].get(rule.rule)
        status, moved_to = response.status_code, MOVED_PAGES.get(rule.endpoint)
        if meant and moved_to:
            if status not in (301, 302, 303) or not response.location.startswith(moved_to):
                failures.append(f"{role} GET {rule.rule} ({rule.endpoint}): {status}")
        elif status != (200 if meant else 404):
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
        number = db.session.get_one(Unit, foreign_objects["unit_id"]).formatted_number
    for role in (StaffRole.ADVISOR, StaffRole.MANAGER):
        for page in ("/pro/", "/pro/conseiller", "/pro/demandes-en-attente"):
            response = clients[role].get(page)
            expected = 200 if opens_for(app, page, role) else 404
            assert response.status_code == expected, (role, page, response.status_code)
            assert number not in response.get_data(as_text=True), (role, page)


def test_the_owners_lists_show_the_dossier_the_others_do_not_see(
    app: Flask, owners: dict[StaffRole, str], foreign_objects: dict[str, int]
) -> None:
    # The positive control of the test above: the same list shows it to its own advisor.
    with app.app_context():
        number = db.session.get_one(Unit, foreign_objects["unit_id"]).formatted_number
    body = signed_in(app, owners[StaffRole.ADVISOR]).get("/pro/conseiller").get_data(as_text=True)
    assert number in body


def test_the_owners_staff_open_every_object_page(
    app: Flask, owners: dict[StaffRole, str], foreign_objects: dict[str, int]
) -> None:
    """Every GET with an object answers its own operator's staff with the page (or a redirect).

    Runs after the 404 tests of this module, because the actions below change the objects.
    """
    own = {role: signed_in(app, email) for role, email in owners.items()}
    failures = []
    # The mediator's screens have the mediator as their control (test above).
    rules = [r for r in staff_rules(app) if r.arguments and not for_the_mediator(app, r)]
    for rule in rules:
        url = url_for_rule(rule, foreign_objects)
        role = owner_role(app, rule)
        if "GET" in methods(rule):
            status = own[role].get(url).status_code
            if status not in (200, 302, 303):
                failures.append(f"{role} GET {url} ({rule.endpoint}): {status}")
    assert not failures, "\n".join(failures)


def test_the_owners_staff_reach_every_action(
    app: Flask, owners: dict[StaffRole, str], foreign_objects: dict[str, int]
) -> None:
    """Every POST with an object reaches its view for its own operator's staff: the answer may
    be a validation error (the form is empty) or a redirect, never 404 or a server error."""
    own = {role: signed_in(app, email) for role, email in owners.items()}
    failures = []
    for rule in [r for r in staff_rules(app) if r.arguments and not for_the_mediator(app, r)]:
        if "POST" not in methods(rule):
            continue
        url = url_for_rule(rule, foreign_objects)
        role = owner_role(app, rule)
        if rule.rule.startswith("/pro/reclamations/"):
            # Acting on a complaint is the manager's (or the correspondant médiation's, who may
            # be an advisor: the views admit advisors and `can_handle_complaint` decides).
            role = StaffRole.MANAGER
        status = own[role].post(url, data={}).status_code
        if status == 404 or status >= 500:
            failures.append(f"{role} POST {url} ({rule.endpoint}): {status}")
    assert not failures, "\n".join(failures)


def person_rules(app: Flask) -> list[Rule]:
    """The person's pages of an object of theirs in the space (issue 12: a complaint)."""
    return sorted(
        (r for r in app.url_map.iter_rules() if r.rule.startswith("/mon-espace/reclamations/")),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


def test_a_complaint_opens_for_its_owner_only(
    app: Flask, clients: dict[StaffRole, FlaskClient]
) -> None:
    """Another person's space answers 404, staff of every role (no space) never get 200, and
    the owner reaches every page and action (the positive control)."""
    from tests.unit.test_complaints import pdf_bytes
    from tests.web.test_beneficiary_space import signed_in as space_signed_in
    from tests.web.test_complaint_pages import file, form, known_person, new_email

    owner, other = new_email(), new_email()
    known_person(app, owner)
    known_person(app, other)
    filed = form(owner, attachments=[(BytesIO(pdf_bytes()), "lettre.pdf")])
    ids = {"complaint_id": file(app.test_client(), filed)}
    with app.app_context():
        ids["attachment_id"] = db.session.scalars(
            select(ComplaintAttachment.id).where(
                ComplaintAttachment.complaint_id == ids["complaint_id"]
            )
        ).one()
    rules = person_rules(app)
    assert {r.endpoint for r in rules} >= {"mediation.complaint_page", "mediation.refer"}
    stranger, own = space_signed_in(app, other), space_signed_in(app, owner)
    failures = []
    for rule in rules:
        url = url_for_rule(rule, ids)
        for method in methods(rule):
            if (status := stranger.open(url, method=method).status_code) != 404:
                failures.append(f"another person {method} {url}: {status}")
            for role, client in clients.items():
                status = client.open(url, method=method).status_code
                if status not in (303, 404):
                    failures.append(f"{role} {method} {url}: {status}")
            data = {"text": "Merci", "satisfied": "no"}
            status = own.open(url, method=method, data=data).status_code
            if status == 404 or status >= 500:
                failures.append(f"the owner {method} {url}: {status}")
    assert not failures, "\n".join(failures)
