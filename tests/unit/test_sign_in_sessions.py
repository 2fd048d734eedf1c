"""Sessions, the sign-in throttle and the pruning of what sign-in keeps, on a bare session
with time passed in explicitly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.auth.links import create_staff_link, prune_staff_links, use_staff_link
from portal.auth.models import LoginAttempt, SessionKind, StaffLink, StaffLinkPurpose, UserSession
from portal.auth.services import Throttle, prune_login_attempts, throttled_until
from portal.auth.sessions import (
    SessionPolicy,
    live_session,
    open_session,
    prune_user_sessions,
    revoke_beneficiary_sessions,
    revoke_session,
)
from portal.beneficiary.models import SignInLink
from portal.beneficiary.services import prune_sign_in_links
from portal.network.models import StaffMember

# Long before anything other tests write: prunes "before T0 + x" only see these rows.
T0 = datetime(1990, 3, 5, 9, 0, tzinfo=UTC)
STAFF = SessionPolicy(lifetime=timedelta(hours=10), idle=timedelta(minutes=30))
THROTTLE = Throttle(
    free_failures=3,
    address_free_failures=20,
    max_delay=timedelta(minutes=15),
    window=timedelta(hours=24),
)


def a_member(session: Session) -> StaffMember:
    staff = session.scalars(select(StaffMember).where(StaffMember.active.is_(True))).first()
    assert staff is not None
    return staff


def staff_session(session: Session, at: datetime = T0) -> str:
    return open_session(
        session, kind=SessionKind.STAFF, staff_member_id=a_member(session).id, now=at, policy=STAFF
    )


def test_thirty_idle_minutes_end_a_staff_session(session: Session) -> None:
    key = staff_session(session)
    alive = live_session(
        session, key=key, kind=SessionKind.STAFF, now=T0 + timedelta(minutes=29), policy=STAFF
    )
    assert alive is not None and alive.last_seen_at == T0 + timedelta(minutes=29)
    # Seen at 0:29, so still alive at 0:58; then 30 minutes without a request end it.
    later = T0 + timedelta(minutes=58)
    assert live_session(session, key=key, kind=SessionKind.STAFF, now=later, policy=STAFF)
    dead = later + timedelta(minutes=30)
    assert live_session(session, key=key, kind=SessionKind.STAFF, now=dead, policy=STAFF) is None
    record = session.scalars(select(UserSession).where(UserSession.created_at == T0)).one()
    assert record.revoked_at == dead
    # Revoked: coming back earlier changes nothing.
    assert live_session(session, key=key, kind=SessionKind.STAFF, now=later, policy=STAFF) is None


def test_ten_hours_after_sign_in_a_busy_session_ends(session: Session) -> None:
    key = staff_session(session)
    for minutes in range(20, 600, 20):  # a request every 20 minutes, until 9 h 40 in
        moment = T0 + timedelta(minutes=minutes)
        assert live_session(session, key=key, kind=SessionKind.STAFF, now=moment, policy=STAFF)
    end = T0 + timedelta(hours=10)
    assert live_session(session, key=key, kind=SessionKind.STAFF, now=end, policy=STAFF) is None


def test_last_seen_is_written_at_most_once_a_minute(session: Session) -> None:
    key = staff_session(session)
    for seconds in (1, 20, 59):
        found = live_session(
            session,
            key=key,
            kind=SessionKind.STAFF,
            now=T0 + timedelta(seconds=seconds),
            policy=STAFF,
        )
        assert found is not None and found.last_seen_at == T0
    found = live_session(
        session, key=key, kind=SessionKind.STAFF, now=T0 + timedelta(seconds=61), policy=STAFF
    )
    assert found is not None and found.last_seen_at == T0 + timedelta(seconds=61)


def test_a_key_opens_only_its_kind_and_dies_with_sign_out(session: Session) -> None:
    key = staff_session(session)
    policy = SessionPolicy(lifetime=timedelta(hours=12))
    assert (
        live_session(session, key=key, kind=SessionKind.BENEFICIARY, now=T0, policy=policy) is None
    )
    revoke_session(session, key=key, now=T0 + timedelta(minutes=1))
    session.expire_all()
    later = T0 + timedelta(minutes=2)
    assert live_session(session, key=key, kind=SessionKind.STAFF, now=later, policy=STAFF) is None


def test_a_beneficiary_space_has_no_idle_end_and_closes_everywhere(session: Session) -> None:
    policy = SessionPolicy(lifetime=timedelta(hours=12))
    email = "unit.space@example.org"
    keys = [
        open_session(session, kind=SessionKind.BENEFICIARY, email=email, now=T0, policy=policy)
        for _ in range(2)
    ]
    eleven = T0 + timedelta(hours=11)
    for key in keys:
        assert live_session(
            session, key=key, kind=SessionKind.BENEFICIARY, now=eleven, policy=policy
        )
    assert revoke_beneficiary_sessions(session, email=email, now=eleven) == 2
    session.expire_all()
    for key in keys:
        assert (
            live_session(session, key=key, kind=SessionKind.BENEFICIARY, now=eleven, policy=policy)
            is None
        )


def test_the_delay_doubles_from_the_third_failure_and_stops_at_fifteen_minutes() -> None:
    assert [THROTTLE.delay(n, 3).total_seconds() for n in range(0, 6)] == [0, 0, 0, 8, 16, 32]
    assert THROTTLE.delay(9, 3) == timedelta(seconds=512)
    assert THROTTLE.delay(10, 3) == timedelta(minutes=15)  # 1024 s, capped
    assert THROTTLE.delay(500, 3) == timedelta(minutes=15)


def fail(session: Session, email: str, address: str, at: datetime, succeeded: bool = False) -> None:
    session.add(
        LoginAttempt(email=email, remote_address=address, succeeded=succeeded, attempted_at=at)
    )
    session.flush()


def test_the_throttle_is_keyed_by_email_and_address(session: Session) -> None:
    email, attacker, victim = "cible@unit.example", "203.0.113.1", "192.0.2.1"
    for second in range(3):
        fail(session, email, attacker, T0 + timedelta(seconds=second))
    now = T0 + timedelta(seconds=3)
    assert throttled_until(
        session, email=email, address=attacker, now=now, throttle=THROTTLE
    ) == T0 + timedelta(seconds=2 + 8)
    assert throttled_until(session, email=email, address=victim, now=now, throttle=THROTTLE) is None
    # Once the delay has passed, the attacker may try again.
    later = T0 + timedelta(seconds=11)
    assert (
        throttled_until(session, email=email, address=attacker, now=later, throttle=THROTTLE)
        is None
    )
    # A success clears the pair.
    fail(session, email, attacker, T0 + timedelta(seconds=12), succeeded=True)
    assert (
        throttled_until(session, email=email, address=attacker, now=later, throttle=THROTTLE)
        is None
    )


def test_an_address_with_many_failures_is_slowed_for_everyone_behind_it(session: Session) -> None:
    office = "198.51.100.99"
    for number in range(20):
        fail(session, f"essai{number}@unit.example", office, T0 + timedelta(seconds=number))
    now = T0 + timedelta(seconds=20)
    retry = throttled_until(
        session, email="membre@unit.example", address=office, now=now, throttle=THROTTLE
    )
    assert retry == T0 + timedelta(seconds=19 + 8)
    # A day later the failures are forgotten.
    day = T0 + timedelta(hours=24, seconds=20)
    assert (
        throttled_until(
            session, email="membre@unit.example", address=office, now=day, throttle=THROTTLE
        )
        is None
    )


def test_prune_login_attempts_deletes_only_older_ones(session: Session) -> None:
    fail(session, "ancien@unit.example", "192.0.2.7", T0)
    fail(session, "recent@unit.example", "192.0.2.7", T0 + timedelta(days=2))
    assert prune_login_attempts(session, before=T0 + timedelta(days=1)) == 1
    left = session.scalars(
        select(LoginAttempt.email).where(LoginAttempt.remote_address == "192.0.2.7")
    ).all()
    assert left == ["recent@unit.example"]


def test_prune_user_sessions_keeps_live_ones(session: Session) -> None:
    revoked = staff_session(session)  # signed out at 9:05
    staff_session(session)  # opened at 9:00, ends at 19:00
    later = T0 + timedelta(hours=5)
    live = staff_session(session, at=later)  # opened at 14:00, ends at midnight
    revoke_session(session, key=revoked, now=T0 + timedelta(minutes=5))
    assert prune_user_sessions(session, before=T0 + timedelta(hours=1)) == 1  # the signed-out one
    assert prune_user_sessions(session, before=T0 + timedelta(hours=11)) == 1  # past its end
    session.expire_all()
    assert live_session(
        session, key=live, kind=SessionKind.STAFF, now=later + timedelta(minutes=1), policy=STAFF
    )


def test_prune_staff_links_deletes_used_and_expired_ones(session: Session) -> None:
    staff = a_member(session)
    tokens = [
        create_staff_link(
            session,
            staff=staff,
            purpose=StaffLinkPurpose.RESET,
            now=T0,
            minutes=30,
            max_per_hour=10,
        )
        for _ in range(2)
    ]
    assert all(tokens)
    assert use_staff_link(
        session, token=str(tokens[0]), purpose=StaffLinkPurpose.RESET, now=T0 + timedelta(minutes=1)
    )
    assert prune_staff_links(session, before=T0 + timedelta(minutes=10)) == 1  # the used one
    assert prune_staff_links(session, before=T0 + timedelta(hours=1)) == 1  # the expired one
    assert session.scalar(select(func.count(StaffLink.id)).where(StaffLink.created_at == T0)) == 0


def test_prune_sign_in_links_deletes_used_and_expired_ones(session: Session) -> None:
    for number, used in ((1, T0 + timedelta(minutes=2)), (2, None)):
        session.add(
            SignInLink(
                email="unit.prune@example.org",
                token_sha256=f"{number:064d}",
                created_at=T0,
                expires_at=T0 + timedelta(minutes=30),
                used_at=used,
            )
        )
    session.flush()
    assert prune_sign_in_links(session, before=T0 + timedelta(minutes=10)) == 1  # the used one
    assert prune_sign_in_links(session, before=T0 + timedelta(minutes=31)) == 1  # the expired one
    assert session.scalar(select(func.count(SignInLink.id)).where(SignInLink.created_at == T0)) == 0
