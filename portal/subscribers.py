"""Who reacts to the domain events (`portal.events`), and in which order: the one place.

`create_app()` calls `register()`. `publish` runs an event's subscribers in the order below,
in the publisher's transaction; they flush, never commit.

- `UnitClosed` (`advisor.closing`: `close_unit`, and `close_expired_units` for `close-expired`)
  1. satisfaction: the survey and its invitation e-mail (CCTP 4.1), once per unit;
  2. advisor: the unit's follow-up sessions still booked after the closure are cancelled, and
     the person told (issue 14).
- `LivrableSigned` (`livrables.signing.complete_if_signed`, after its unit's `UnitClosed`)
  1. esign: seal the signed version (PAdES, certificate of evidence); a failed seal is logged
     and the copy goes out unsealed;
  2. livrables: e-mail the beneficiary's copy, the sealed PDF when 1 worked, and record
     `copy_delivered` in the evidence; once per version.
- `VersionVoided` (`livrables.signing.reopen_draft`)
  1. esign: withdraw the version's pending online request; e-mail the person that the link
     no longer works.

The domains that publish never import these modules: signing, closing, the survey and the
mail no longer call each other in a circle (`tests/unit/test_events.py` checks both).
"""

from __future__ import annotations

from portal.advisor.session_subscribers import cancel_sessions_on_closure
from portal.esign.subscribers import seal_signed_livrable, withdraw_on_new_version
from portal.events import LivrableSigned, Subscriber, UnitClosed, VersionVoided, subscribe
from portal.livrables.subscribers import send_signed_copy
from portal.satisfaction.subscribers import invite_on_closure

SUBSCRIPTIONS: tuple[tuple[type, Subscriber], ...] = (
    (UnitClosed, invite_on_closure),
    (UnitClosed, cancel_sessions_on_closure),
    (LivrableSigned, seal_signed_livrable),
    (LivrableSigned, send_signed_copy),  # after the seal: the copy is the sealed PDF
    (VersionVoided, withdraw_on_new_version),
)


def register() -> None:
    """Idempotent: an application factory run twice (tests) subscribes each once."""
    for event_type, subscriber in SUBSCRIPTIONS:
        subscribe(event_type, subscriber)


__all__ = ["SUBSCRIPTIONS", "register"]
