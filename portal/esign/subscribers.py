"""What esign does when the domains below it publish: a signed livrable is sealed before
its copy goes out (`portal.events.LivrableSigned`); a version taken back to the draft
withdraws its pending online request and tells the person (`VersionVoided`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from portal.esign import notices, online
from portal.esign.certificates import SealSettings, SealUnavailableError
from portal.esign.seal import SealError, seal_version
from portal.events import LivrableSigned, VersionVoided
from portal.livrables.models import LivrableVersion
from portal.urls import public_base_url


def seal_settings(config: Mapping[str, Any]) -> SealSettings:
    return SealSettings(
        pkcs12_path=str(config["ESIGN_PKCS12_PATH"]),
        pkcs12_password=str(config["ESIGN_PKCS12_PASSWORD"]),
        tsa_url=str(config["ESIGN_TSA_URL"]),
        demo_dir=Path(config["ESIGN_DEMO_DIR"]),
        allow_demo=config["PORTAL_ENV"] != "production",
        verify_url=f"{public_base_url()}/verifier",
        mediator_url=str(config["MEDIATOR_URL"]),
        mediator_address=str(config["MEDIATOR_POSTAL_ADDRESS"]),
    )


def seal_signed_livrable(session: Session, event: LivrableSigned) -> None:
    """Seal the signed version. The unit's closure never waits on the seal: without a
    certificate, or with a broken evidence chain, the copy goes out unsealed and the error is
    logged; a timestamp server that fails leaves the server's time, said so (`seal_version`)."""
    version = session.get(LivrableVersion, event.version_id)
    assert version is not None
    settings = seal_settings(current_app.config)
    try:
        seal_version(session, version, settings=settings, now=event.at)
    except (SealUnavailableError, SealError):
        current_app.logger.exception("livrable version %s left unsealed", version.id)


def withdraw_on_new_version(session: Session, event: VersionVoided) -> None:
    """A printed version went back to the draft: its pending request dies, and the person
    is told by e-mail that a new document will come."""
    version = session.get(LivrableVersion, event.version_id)
    assert version is not None
    for request in online.withdraw_pending(session, version, why="new_version", now=event.at):
        notices.queue_withdrawn(session, request, "new_version")


__all__ = ["seal_settings", "seal_signed_livrable", "withdraw_on_new_version"]
