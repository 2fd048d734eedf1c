"""What the online signature sends the person: the link (e-mail), the one-time code (SMS,
or e-mail when no mobile is on file) and the news that a request was withdrawn. In the
person's language; the link's token and the code are outbox secrets, never stored in clear.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.beneficiary.emails import bodies, language
from portal.esign.codes import CODE_VALIDITY, request_token
from portal.esign.models import SignatureRequest
from portal.esign.online import CodeSent
from portal.i18n import long_date
from portal.livrables.emails import TITLES
from portal.mail.links import link_secrets
from portal.mail.models import OutboxMessage
from portal.mail.secrets import MIN_CODE_LENGTH
from portal.mail.services import enqueue_mail
from portal.mail.sms import enqueue_sms
from portal.urls import public_url


def signing_link(request: SignatureRequest, locale: str | None = None) -> str:
    token = request_token(current_app.config["SECRET_KEY"], request.id, request.nonce)
    return public_url("esign.sign_page", locale, token=token)


def queue_link(session: Session, request: SignatureRequest) -> OutboxMessage:
    person = request.beneficiary
    unit = request.version.livrable.unit
    locale = language(person)
    link = signing_link(request, locale)
    with force_locale(locale):
        title = _title(request)
        subject = _("Votre %(title)s est prêt à signer", title=title)
        context = {
            "beneficiary": person,
            "advisor": unit.advisor,
            "operator": unit.operator,
            "title": title,
            "link": link,
            "deadline": long_date(unit.deadline),
            "unit": unit,
        }
        text, html = bodies("esign/email/link", subject, context)
    return enqueue_mail(
        session,
        to=person.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"signature-request:{request.id}:link",
        secrets=link_secrets(link, "sign_token"),
        secret_key=current_app.config["SECRET_KEY"],
        operator_id=unit.operator_id,
    )


def queue_code(session: Session, request: SignatureRequest, sent: CodeSent) -> OutboxMessage:
    person = request.beneficiary
    operator_id = request.version.livrable.unit.operator_id
    minutes = int(CODE_VALIDITY.total_seconds() // 60)
    secret_key = current_app.config["SECRET_KEY"]
    with force_locale(language(person)):
        text = _(
            "Code de signature CEP : %(code)s. Valable %(minutes)d minutes. Ne le donnez à "
            "personne : votre conseiller ne vous le demandera jamais.",
            code=sent.code,
            minutes=minutes,
        )
        subject = _("Votre code de signature")
    topic = f"signature-request:{request.id}:code"
    if sent.channel == "sms":
        return enqueue_sms(
            session,
            to=sent.to,
            text=text,
            topic=topic,
            secrets={"code": sent.code},
            secret_key=secret_key,
            operator_id=operator_id,
        )
    return enqueue_mail(
        session,
        to=sent.to,
        subject=subject,
        text=text + "\n",
        topic=topic,
        secrets={"code": sent.code},
        secret_key=secret_key,
        operator_id=operator_id,
        min_secret_length=MIN_CODE_LENGTH,
    )


def queue_withdrawn(session: Session, request: SignatureRequest, why: str) -> OutboxMessage:
    person = request.beneficiary
    unit = request.version.livrable.unit
    with force_locale(language(person)):
        title = _title(request)
        subject = _("Demande de signature retirée : %(title)s", title=title)
        context = {
            "beneficiary": person,
            "advisor": unit.advisor,
            "operator": unit.operator,
            "title": title,
            "new_version": why == "new_version",
            "paper": why == "paper",
        }
        text, html = bodies("esign/email/withdrawn", subject, context)
    return enqueue_mail(
        session,
        to=person.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"signature-request:{request.id}:withdrawn",
        operator_id=unit.operator_id,
    )


def _title(request: SignatureRequest) -> str:
    title = str(TITLES[request.version.livrable.kind])
    return title[:1].lower() + title[1:]


__all__ = ["queue_code", "queue_link", "queue_withdrawn", "signing_link"]
