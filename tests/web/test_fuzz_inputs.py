"""Property-based fuzzing of every public form and API parameter (issue 10): arbitrary text,
unicode, NUL bytes and other control characters, very long strings and huge numbers, on the
real database (PostgreSQL under `scripts/with-postgres`). Whatever is sent, the answer is
never a 5xx.

The public endpoints are read from the URL map: a new one fails
`test_every_public_endpoint_is_fuzzed` until it is given its parameters below (or a reason
not to be fuzzed). Runs are reproducible (`derandomize=True`: the same examples every time)
and bounded (FUZZ_EXAMPLES per endpoint, 40 by default); what they create is deleted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from portal.beneficiary.models import SignInLink
from portal.booking.models import Appointment, AppointmentRequest
from portal.extensions import db
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.mediation.models import Complaint, ComplaintAttachment, ComplaintMessage
from portal.orientation.models import OrientationContact
from portal.people.models import Beneficiary
from tests.web.test_survey_page import survey_path

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
RENNES = "35238"
NOT_FUZZED = {
    "static": "files from disk, no parameter reaches the code",
    # /dev/mailbox is the development mailbox, off in production (issue 10, mail helper).
    "mail.mailbox": "development only",
    "mail.message": "development only",
    "mail.attachment": "development only",
    "mail.html_version": "development only",
    "mail.send": "development only",
}

# --- What is thrown -------------------------------------------------------------------------

SPECIALS = [
    "",
    "   ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\r\n",
    "\u202e",
    "\ufeff",
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999",
    "1e309",
    "NaN",
    "²",
    "١٢",
    "0x10",
    "2026-02-30",
    "9999-12-31",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%00",
    "../../etc/passwd",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂",
    "A" * 5000,
    "\x00" * 300,
]
# Any unicode text that can travel as UTF-8 (lone surrogates cannot be sent at all).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
CONTROLS = st.text(st.characters(min_codepoint=0, max_codepoint=0x9F), min_size=1, max_size=20)
NUMBERS = st.integers(min_value=-(10**30), max_value=10**30).map(str)
NASTY = st.one_of(st.sampled_from(SPECIALS), st.sampled_from(SPECIALS), TEXT, CONTROLS, NUMBERS)
# Values that broke the portal before (issue 10), each sent to every parameter in turn.
SHARP = ["\x00", "   ", "2147483648", "99999999999999999999", "²", "-1", "a\x1bb", "A" * 5000]


def maybe(valid: str) -> st.SearchStrategy[str]:
    """The valid value (so that the request goes deep) or something nasty."""
    return st.one_of(st.just(valid), NASTY)


# --- The public endpoints and their parameters -----------------------------------------------

PERSON = {
    "last_name": "Martin",
    "first_name": "Léa",
    "email": "fuzz@example.org",
    "phone": "06 12 34 56 78",
    "birth_date": "1990-05-04",
    "modality": "presentiel",
    "motif": "",
    "comment": "",
    "consent": "y",
}
FRONT_DOOR = {
    "home": "35000",
    "home_choice": "",
    "work": "",
    "work_choice": "",
    "situation": "salarie_prive",
    "cadre": "0",
    "age": "34",
    "rqth": "0",
    "suivi": "0",
    "motif": "",
}

# The complaint form (issue 12), anonymous: the operator is found from the commune.
COMPLAINT = {
    "last_name": "Martin",
    "first_name": "Léa",
    "email": "fuzz@example.org",
    "phone": "",
    "dossier": "",
    "home": "35000",
    "home_choice": "",
    "motive": "accueil",
    "text": "Personne ne répond.",
}


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    path: str  # with {name} for each path parameter
    params: dict[str, str] = field(default_factory=dict)  # name → a valid value
    path_params: dict[str, str] = field(default_factory=dict)


SIGNING = {"mention": "Lu et approuvé", "name": "Camille Lefèvre", "consent": "y", "code": "123456"}


def signing_token(app: Flask) -> str:
    """The link of a pending online signature (the advisor signed; the person has not)."""
    from datetime import timedelta

    from portal.advisor.models import UnitKind
    from portal.clock import now, today_in_france
    from portal.esign import online
    from portal.esign.codes import request_token
    from portal.esign.models import SigningPlace
    from portal.livrables.models import SignatureMethod
    from portal.livrables.signing import freeze_for_signature
    from tests.unit.test_signing import livrable_of
    from tests.workspace_data import engaged, staff

    today = today_in_france()
    with app.app_context():
        advisor = staff(db.session, "16")
        unit = engaged(
            db.session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=5), today=today
        )
        version = freeze_for_signature(
            db.session, livrable_of(db.session, unit), by=advisor, now=now()
        )
        online.choose_method(db.session, version, SignatureMethod.ELECTRONIC, by=advisor, now=now())
        online.sign_as_advisor(db.session, version, by=advisor, today=today)
        request = online.request_signature(
            db.session,
            version,
            by=advisor,
            place=SigningPlace.REMOTE,
            reason="objectif_atteint",
            now=now(),
        )
        db.session.commit()
        return request_token(app.config["SECRET_KEY"], request.id, request.nonce)


def session_token_for(app: Flask) -> tuple[str, str]:
    """The signed link of a follow-up session to come, and a free slot of its advisor."""
    from datetime import timedelta

    from portal.advisor.models import UnitKind
    from portal.advisor.sessions import book_session
    from portal.booking.tokens import session_token
    from portal.clock import now, today_in_france
    from portal.network.models import Modality
    from tests.staff_booking_data import slot_at
    from tests.workspace_data import engaged, staff

    today = today_in_france()
    with app.app_context():
        advisor = staff(db.session, "16")
        unit = engaged(
            db.session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=1), today=today
        )
        site = advisor.sites[0]
        booked = slot_at(db.session, advisor, site, now() + timedelta(days=3))
        free = slot_at(db.session, advisor, site, now() + timedelta(days=4))
        appointment = book_session(
            db.session,
            unit=unit,
            slot_id=booked.id,
            modality=Modality.TELEPHONE,
            advisor=advisor,
            staff=advisor,
            now=now(),
        )
        db.session.commit()
        token = session_token(app.config["SECRET_KEY"], appointment.id)
        return token, str(free.id)


def cases(known: dict[str, str]) -> list[Case]:
    """`known`: valid values found in the database (a free slot, a manage token…)."""
    slot, token, signing = known["slot"], known["token"], known["signing"]
    session = known["session"]
    booking = {"key": known["key"], "slot": slot, "commune": RENNES, "lieu": "", **PERSON}
    search = {"commune": RENNES, "lieu": "", "modalite": "", "site": "", "moment": ""}
    return [
        Case("public.home", "GET", "/", {"lang": "fr"}),
        Case("public.submit", "POST", "/", {"key": known["key"], **FRONT_DOOR}),
        Case("public.result", "GET", "/resultat", {"lang": "fr"}),
        Case("public.accessibility", "GET", "/accessibilite", {"lang": "fr"}),
        Case("public.mediator", "GET", "/mediateur", {"lang": "fr"}),
        Case("i18n.switch", "GET", "/langue/{code}", {"next": "/"}, {"code": "en"}),
        Case(
            "locator.suggestions",
            "GET",
            "/communes/suggestions",
            {"field": "home", "home": "Ren", "work": ""},
        ),
        Case(
            "locator.nearby",
            "GET",
            "/lieux",
            {"home": "35000", "home_choice": "", "work": "", "work_choice": ""},
        ),
        Case("booking.search", "GET", "/rendez-vous", {**search, "semaine": "2026-12-07"}),
        Case(
            "booking.slot",
            "GET",
            "/rendez-vous/creneau/{slot_id}",
            {"commune": RENNES, "lieu": "", "modalite": ""},
            {"slot_id": slot},
        ),
        Case("booking.book", "POST", "/rendez-vous/reserver", booking),
        Case(
            "booking.waiting_form", "GET", "/rendez-vous/demande", {"commune": RENNES, "lieu": ""}
        ),
        Case("booking.waiting", "POST", "/rendez-vous/demande", booking),
        Case("booking.manage", "GET", "/rendez-vous/gerer/{token}", {}, {"token": token}),
        Case(
            "booking.calendar_file",
            "GET",
            "/rendez-vous/gerer/{token}/rendez-vous.ics",
            {},
            {"token": token},
        ),
        Case(
            "booking.move", "GET", "/rendez-vous/gerer/{token}/deplacer", search, {"token": token}
        ),
        Case(
            "booking.move_slot",
            "GET",
            "/rendez-vous/gerer/{token}/deplacer/{slot_id}",
            {"modalite": ""},
            {"token": token, "slot_id": slot},
        ),
        Case(
            "booking.move_slot",
            "POST",
            "/rendez-vous/gerer/{token}/deplacer/{slot_id}",
            {"modality": "presentiel"},
            {"token": token, "slot_id": slot},
        ),
        Case(
            "booking.cancel",
            "GET",
            "/rendez-vous/gerer/{token}/annuler",
            {},
            {"token": "x" + token},
        ),
        Case(
            "booking.cancel",
            "POST",
            "/rendez-vous/gerer/{token}/annuler",
            {},
            {"token": "x" + token},
        ),
        Case("space.home", "GET", "/mon-espace", {"lang": "fr"}),
        Case("space.request_link", "POST", "/mon-espace/lien", {"email": "fuzz@example.org"}),
        Case("space.link_sent", "GET", "/mon-espace/lien-envoye", {"lang": "fr"}),
        Case("space.sign_in", "GET", "/mon-espace/connexion/{token}", {}, {"token": "abc"}),
        Case("space.sign_out", "POST", "/mon-espace/deconnexion", {}),
        Case("space.confirm_sign_in", "POST", "/mon-espace/connexion", {"token": "abc"}),
        Case("space.sign_out_everywhere", "POST", "/mon-espace/deconnexion-partout", {}),
        Case(
            "referent.write",
            "POST",
            "/mon-espace/dossiers/{dossier_id}/message",
            {"message-1-text": "Bonjour"},
            {"dossier_id": "1"},
        ),
        Case("esign.sign_page", "GET", "/signer/{token}", {"lang": "fr"}, {"token": signing}),
        Case("esign.sign_pdf", "GET", "/signer/{token}/document.pdf", {}, {"token": signing}),
        Case("esign.open_page", "POST", "/signer/{token}/ouvrir", {}, {"token": signing}),
        Case("esign.send_code", "POST", "/signer/{token}/code", {}, {"token": signing}),
        Case("esign.sign", "POST", "/signer/{token}", SIGNING, {"token": signing}),
        Case("esign.verify_page", "GET", "/verifier", {"lang": "fr"}),
        Case("esign.verify_form", "POST", "/verifier", {"file": "pas un PDF"}),
        Case("api.api_verify", "POST", "/api/v1/verify", {"file": "pas un PDF"}),
        Case("privacy.notice", "GET", "/donnees-personnelles", {"lang": "fr"}),
        Case("privacy.export", "GET", "/mon-espace/mes-donnees.json", {"lang": "fr"}),
        Case(
            "space.document",
            "GET",
            "/mon-espace/documents/{version_id}.pdf",
            {},
            {"version_id": "1"},
        ),
        Case(
            "space.signed_copy",
            "GET",
            "/mon-espace/documents/{version_id}/copie-signee",
            {},
            {"version_id": "1"},
        ),
        Case(
            "paper_copy.form",
            "GET",
            "/mon-espace/documents/{version_id}/copie-papier",
            {},
            {"version_id": "1"},
        ),
        Case(
            "paper_copy.ask",
            "POST",
            "/mon-espace/documents/{version_id}/copie-papier",
            {"street": "12 rue des Lilas", "complement": "", "postcode": "35000", "town": "Rennes"},
            {"version_id": "1"},
        ),
        Case(
            "space.request_closure",
            "POST",
            "/mon-espace/unites/{unit_id}/cloture",
            {"reason": "", "text": ""},
            {"unit_id": "1"},
        ),
        Case("mediation.file", "GET", "/reclamation", {"lang": "fr"}),
        Case("mediation.file", "POST", "/reclamation", COMPLAINT),
        Case("mediation.filed", "GET", "/reclamation/envoyee", {"lang": "fr"}),
        Case(
            "mediation.complaint_page",
            "GET",
            "/mon-espace/reclamations/{complaint_id}",
            {},
            {"complaint_id": "1"},
        ),
        Case(
            "mediation.add_message",
            "POST",
            "/mon-espace/reclamations/{complaint_id}/message",
            {"text": "Merci"},
            {"complaint_id": "1"},
        ),
        Case(
            "mediation.satisfaction",
            "POST",
            "/mon-espace/reclamations/{complaint_id}/satisfaction",
            {"satisfied": "no"},
            {"complaint_id": "1"},
        ),
        Case(
            "mediation.refer",
            "POST",
            "/mon-espace/reclamations/{complaint_id}/mediateur",
            {"text": ""},
            {"complaint_id": "1"},
        ),
        Case(
            "mediation_letters.person_letter",
            "GET",
            "/mon-espace/reclamations/{complaint_id}/reponse.pdf",
            {},
            {"complaint_id": "1"},
        ),
        Case(
            "mediation_letters.person_attachment",
            "GET",
            "/mon-espace/reclamations/{complaint_id}/pieces/{attachment_id}",
            {},
            {"complaint_id": "1", "attachment_id": "1"},
        ),
        Case(
            "mediator_messages.person_reply",
            "POST",
            "/mon-espace/reclamations/{complaint_id}/message-mediateur",
            {"text": "Merci"},
            {"complaint_id": "1"},
        ),
        # Issue 14: an advisor's calendar feed; only the token's hash reaches the database.
        Case("agenda.feed", "GET", "/calendrier/{token}.ics", {}, {"token": "x" * 43}),
        # A follow-up session's own page (issue 14 §2): see, move, cancel.
        Case("session_link.page", "GET", "/rendez-vous/seance/{token}", {}, {"token": session}),
        Case(
            "session_link.move",
            "POST",
            "/rendez-vous/seance/{token}/deplacer",
            {"slot": known["session_slot"], "modality": "telephone"},
            {"token": session},
        ),
        Case(
            "session_link.cancel",
            "POST",
            "/rendez-vous/seance/{token}/annuler",
            {},
            {"token": session},
        ),
        Case("satisfaction.survey", "GET", "/enquete/{token}", {}, {"token": known["survey"]}),
        Case(
            "satisfaction.survey",
            "POST",
            "/enquete/{token}",
            {"quality": "4", "usefulness": "3", "comment": "Merci"},
            {"token": known["survey"]},
        ),
        Case(
            "api.api_deadline",
            "GET",
            "/api/v1/deadline",
            {"requested_on": "2026-12-01", "commune": RENNES},
        ),
        Case(
            "api.api_annex2",
            "GET",
            "/api/v1/annex2",
            {"day": "2026-06-17", "operator": "07", "format": "csv"},
        ),
        Case(
            "api.api_locate",
            "GET",
            "/api/v1/locate",
            {"postal_code": "35000", "commune": "", "work_postal_code": "", "work_commune": ""},
        ),
        Case(
            "api.api_orientation",
            "GET",
            "/api/v1/orientation",
            {
                "situation": "salarie_prive",
                "age": "34",
                "cadre": "0",
                "rqth": "0",
                "suivi_autre_operateur": "0",
            },
        ),
    ]


# --- Setting up and cleaning up ------------------------------------------------------------

CREATED = (
    ComplaintAttachment,
    ComplaintMessage,
    Complaint,
    OrientationContact,
    Appointment,
    AppointmentRequest,
    Beneficiary,
    SignInLink,
)


@pytest.fixture(scope="module")
def known(app: Flask) -> Iterator[dict[str, str]]:
    """Valid values to start from; every row the fuzzing creates is deleted afterwards."""
    signing = signing_token(app)  # before the counts: its rows stay, tied together
    session, session_slot = session_token_for(app)  # the same
    with app.app_context():
        mail_before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    _survey_id, survey = survey_path(app)  # a closed unit and its survey (its mail goes)
    with app.app_context():
        before = {model: db.session.scalar(select(func.max(model.id))) or 0 for model in CREATED}
    client = app.test_client()
    html = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    slots = re.findall(r"/rendez-vous/creneau/(\d+)\?", html)
    booked = client.post(
        "/rendez-vous/reserver", data={"slot": slots[-1], "commune": RENNES, **PERSON}
    )
    assert booked.status_code == 303
    yield {
        "slot": slots[0],
        "key": "f" * 32,
        "token": booked.location.rsplit("/", 1)[1],
        "survey": survey.rsplit("/", 1)[1],
        "signing": signing,
        "session": session,
        "session_slot": session_slot,
    }
    with app.app_context():
        db.session.execute(
            delete(OutboxAttachment).where(OutboxAttachment.message_id > mail_before)
        )
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > mail_before))
        # The session made before the counts was moved onto appointments made after them.
        db.session.execute(
            update(Appointment)
            .where(Appointment.replaced_by_id > before[Appointment])
            .values(replaced_by_id=None)
        )
        for model in CREATED:
            db.session.execute(delete(model).where(model.id > before[model]))
        db.session.commit()


# --- The properties ---------------------------------------------------------------------------


def public_endpoints(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith("/pro") and rule.endpoint not in NOT_FUZZED
    }


def test_every_public_endpoint_is_fuzzed(app: Flask) -> None:
    fuzzed = {case.endpoint for case in cases(PLACEHOLDERS)}
    missing = public_endpoints(app) - fuzzed
    assert not missing, f"give these endpoints their parameters in cases(): {sorted(missing)}"


def _request(app: Flask, case: Case, params: dict[str, str], path: dict[str, str]) -> int:
    url = case.path.format(**{k: quote(v, safe="") for k, v in path.items()})
    client = app.test_client()
    if case.method == "GET":
        response = client.get(url, query_string=params)
    else:
        response = client.post(url, data=params)
    return response.status_code


PLACEHOLDERS = {
    "slot": "1",
    "key": "",
    "token": "",
    "survey": "",
    "signing": "",
    "session": "",
    "session_slot": "1",
}
CASE_IDS = [f"{case.method} {case.path}" for case in cases(PLACEHOLDERS)]


@pytest.mark.parametrize("index", range(len(CASE_IDS)), ids=CASE_IDS)
def test_no_input_gives_a_server_error(app: Flask, known: dict[str, str], index: int) -> None:
    case = cases(known)[index]
    strategy = st.fixed_dictionaries(
        {
            "params": st.fixed_dictionaries({k: maybe(v) for k, v in case.params.items()}),
            "path": st.fixed_dictionaries({k: maybe(v) for k, v in case.path_params.items()}),
        }
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def no_server_error(sent: dict[str, dict[str, str]]) -> None:
        status = _request(app, case, sent["params"], sent["path"])
        assert status < 500, f"{case.method} {case.path}: {status} for {sent!r}"

    no_server_error()


@pytest.mark.parametrize("index", range(len(CASE_IDS)), ids=CASE_IDS)
def test_every_parameter_survives_the_sharp_values(
    app: Flask, known: dict[str, str], index: int
) -> None:
    """Each sharp value in each parameter, the others valid: a sweep, where Hypothesis
    samples."""
    case = cases(known)[index]
    failures = []
    for name in [*case.params, *case.path_params]:
        for value in SHARP:
            params = {**case.params, **({name: value} if name in case.params else {})}
            path = {**case.path_params, **({name: value} if name in case.path_params else {})}
            try:
                status = _request(app, case, params, path)
            except Exception as error:  # the test client re-raises what would be a 500
                failures.append(f"{name}={value[:20]!r}: {error!r}")
                continue
            if status >= 500:
                failures.append(f"{name}={value[:20]!r}: {status}")
    assert not failures, f"{case.method} {case.path}: " + "; ".join(failures)
