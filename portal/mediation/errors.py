"""Why a complaint or referral transition was refused: codes the views turn into words."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class ComplaintErrorCode(StrEnum):
    # Filing and recording
    MISSING_FIELDS = "missing_fields"  # names the fields (`ComplaintError.fields`)
    UNKNOWN_MOTIVE = "unknown_motive"  # not an active `complaint_motive` code
    EMAIL_REQUIRED = "email_required"  # online: the acknowledgement goes by e-mail
    RECEIVED_IN_FUTURE = "received_in_future"
    ONLINE_IS_FILED = "online_is_filed"  # staff record letters, e-mails and calls only
    DOSSIER_MISMATCH = "dossier_mismatch"  # the dossier is another operator's or person's
    WRONG_OPERATOR = "wrong_operator"  # staff of another operator
    # Transitions of the complaint
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    ALREADY_ANSWERED = "already_answered"
    NOT_ANSWERED = "not_answered"  # closing, or stating satisfaction, needs an answer
    REFERRAL_OPEN = "referral_open"  # satisfaction is not changed while the mediator works
    COMPLAINT_CLOSED = "complaint_closed"
    EMPTY_TEXT = "empty_text"
    # Attachments
    ATTACHMENT_EMPTY = "attachment_empty"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_TYPE = "attachment_type"  # neither PDF, JPEG nor PNG, whatever its name
    ATTACHMENT_DAMAGED = "attachment_damaged"  # looks like one but does not open
    TOO_MANY_ATTACHMENTS = "too_many_attachments"
    # Referral to the mediator
    REFERRAL_NOT_YET = "referral_not_yet"  # no answer yet, 45 days not over: `allowed_from`
    REFERRAL_SATISFACTION_NOT_STATED = "referral_satisfaction_not_stated"
    REFERRAL_SATISFIED = "referral_satisfied"  # answered, and the person is satisfied
    ALREADY_REFERRED = "already_referred"  # an open referral exists for this complaint
    NOT_MEDIATOR = "not_mediator"
    WRONG_CHANNEL = "wrong_channel"  # the mediator records letters and FC's form only
    ALREADY_DECIDED = "already_decided"
    REASON_REQUIRED = "reason_required"  # « non recevable » needs its reason
    NOT_ADMISSIBLE = "not_admissible"  # the step needs a referral declared admissible
    ALREADY_INFORMED = "already_informed"
    ALREADY_REQUESTED = "already_requested"
    ACCESS_NOT_REQUESTED = "access_not_requested"
    ALREADY_GRANTED = "already_granted"
    ACCEPTANCE_REQUIRED = "acceptance_required"  # a recommendation/settlement: accepted or not
    REFERRAL_CLOSED = "referral_closed"
    # Messages of a referral (`referral_messages`)
    WRONG_AUTHOR = "wrong_author"  # the operator does not write on the person's thread, …
    NO_OPERATOR_THREAD_YET = "no_operator_thread_yet"  # the referral is not admissible yet
    NOT_CORRESPONDENT = "not_correspondent"  # neither its manager nor its correspondant
    NOT_A_CONTACT = "not_a_contact"  # a correspondant must be an active member of the operator


class ComplaintError(Exception):
    def __init__(
        self,
        code: ComplaintErrorCode,
        detail: str = "",
        *,
        fields: tuple[str, ...] = (),
        allowed_from: date | None = None,
    ) -> None:
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.code = code
        self.fields = fields
        # REFERRAL_NOT_YET: the first day the person may refer to the mediator.
        self.allowed_from = allowed_from


__all__ = ["ComplaintError", "ComplaintErrorCode"]
