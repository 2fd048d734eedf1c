"""What livrables do when one is signed (`portal.events.LivrableSigned`): the person's copy."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.esign import paper as evidence
from portal.esign.models import EventKind, SignatureEvent
from portal.events import LivrableSigned
from portal.livrables.emails import queue_signed_copy
from portal.livrables.models import LivrableVersion


def send_signed_copy(session: Session, event: LivrableSigned) -> None:
    """E-mail the beneficiary their copy (it also waits in their space), and record it in the
    evidence (`copy_delivered`). Subscribed after esign's seal (`portal.subscribers`), so the
    copy is the sealed PDF when sealing worked. Once per version: the same event published
    again sends nothing."""
    version = session.get_one(LivrableVersion, event.version_id)
    if _delivered(session, version.id):
        return
    message = queue_signed_copy(session, version.livrable, version)
    evidence.copy_delivered(session, version, message, now=utcnow())


def _delivered(session: Session, version_id: int) -> bool:
    query = select(
        exists().where(
            SignatureEvent.version_id == version_id,
            SignatureEvent.kind == EventKind.COPY_DELIVERED,
        )
    )
    return bool(session.scalar(query))


__all__ = ["send_signed_copy"]
