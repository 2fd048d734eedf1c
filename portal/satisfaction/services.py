"""The survey sent at each closure, its answers, and indicator 8.1 (CCTP 4.1).

CCTP 4.1: « des enquêtes qualité et utilité perçues auprès des bénéficiaires dès la clôture
des UO1, UO2.1 et UO2.2 ». Each closed unit gets one survey, whatever closed it; the person
answers once, through a signed link that needs no sign-in (or from their space).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.advisor.models import Unit
from portal.beneficiary.emails import bodies, language
from portal.i18n import long_date
from portal.mail.services import enqueue_mail
from portal.satisfaction.models import Survey
from portal.urls import public_url

SALT = "cep.satisfaction.survey"
# A survey answered long after the closure says little about the service: the link works
# for about six months, the semester the answer is counted in.
MAX_AGE_SECONDS = 183 * 24 * 3600
ANSWERS = (4, 3, 2, 1)  # 4 = très satisfait / très utile … 1 = pas du tout
MAX_COMMENT = 4000


class InvalidSurveyLink(Exception):
    """Tampered, expired, or for a survey that no longer exists."""


def survey_token(secret_key: str, survey_id: int) -> str:
    return URLSafeTimedSerializer(secret_key, salt=SALT).dumps({"s": survey_id})


def survey_id_from_token(secret_key: str, token: str) -> int:
    try:
        data = URLSafeTimedSerializer(secret_key, salt=SALT).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidSurveyLink(str(error)) from error
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise InvalidSurveyLink("unexpected payload")
    return int(data["s"])


def invite_to_survey(session: Session, unit: Unit) -> Survey:
    """Create the unit's survey (once) and queue the e-mail inviting the person to answer."""
    survey = session.scalar(select(Survey).where(Survey.unit_id == unit.id))
    if survey is not None:
        return survey
    assert unit.closed_on is not None
    survey = Survey(unit_id=unit.id, operator_id=unit.operator_id, closed_on=unit.closed_on)
    session.add(survey)
    session.flush()
    _queue_invitation(session, unit, survey)
    return survey


def answer_survey(
    session: Session,
    survey: Survey,
    *,
    quality: int,
    usefulness: int,
    comment: str,
    now: datetime,
) -> bool:
    """Store the answers, once: False when the survey was already answered (a second tab,
    a second click). The UPDATE only touches an unanswered survey."""
    if quality not in ANSWERS or usefulness not in ANSWERS:
        raise ValueError("answers go from 1 to 4")
    changed = session.execute(  # type: ignore[attr-defined]
        update(Survey)
        .where(Survey.id == survey.id, Survey.answered_at.is_(None))
        .values(
            answered_at=now,
            quality=quality,
            usefulness=usefulness,
            comment=comment.strip()[:MAX_COMMENT],
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(survey)
    return bool(changed)


def _queue_invitation(session: Session, unit: Unit, survey: Survey) -> None:
    beneficiary = unit.dossier.beneficiary
    locale = language(beneficiary)
    token = survey_token(current_app.config["SECRET_KEY"], survey.id)
    with force_locale(locale):
        subject = _("Votre avis sur votre accompagnement")
        context = {
            "beneficiary": beneficiary,
            "operator": unit.operator,
            "unit": unit,
            "closed_on": long_date(survey.closed_on),
            "survey_url": public_url("satisfaction.survey", locale, token=token),
        }
        text, html = bodies("satisfaction/email/invite", subject, context)
    enqueue_mail(
        session,
        to=beneficiary.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"survey:{survey.id}",
        # The survey link's token is sealed, never stored in clear (`mail.secrets`).
        secrets={"survey_token": token},
        secret_key=current_app.config["SECRET_KEY"],
        operator_id=unit.operator_id,
    )
