"""How units close (CCTP 1.2.6): by the beneficiary's act, or by themselves at the deadline.

- UO1 and UO2.1 close at the beneficiary's signature of their livrable (`ClosureKind.SIGNED`,
  called by the livrable's signing once both parties signed);
- UO2.2 closes on a written trace of the beneficiary asking to close (`REQUESTED`);
- any unit still open after its deadline closes as « abandon », dated at the deadline, by
  `close_expired_units`, run from cron (`flask cep close-expired`) on any number of hosts.

Every closure publishes `portal.events.UnitClosed` in the caller's transaction; what follows
a closure (the satisfaction survey of CCTP 4.1) subscribes to it (`portal.subscribers`).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import Session

from portal.advisor import reference_data as ref
from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import ClosureKind, Unit, UnitKind, UnitStatus
from portal.advisor.reference import active_codes
from portal.advisor.rules import PAPER_RETURN_GRACE_DAYS
from portal.db import utcnow
from portal.events import UnitClosed, publish
from portal.livrables.models import Livrable, LivrableStatus
from portal.network.models import StaffMember


def close_unit(
    session: Session,
    unit: Unit,
    *,
    kind: ClosureKind,
    closed_on: date,
    reason: str,
    today: date,
    by: StaffMember | None = None,
    trace: str | None = None,
) -> None:
    """Close by the beneficiary's act: on a day between the engagement and the deadline,
    never in the future, with a voluntary closure reason.

    The person's act is never refused for missing Annex 2 data: the livrable cannot be
    printed for signature until its unit's data is complete, and a UO2.2 closed on request
    lists what is left to fill in (`missing_fields`)."""
    if not unit.is_open:
        raise UnitError(UnitErrorCode.UNIT_CLOSED)
    expected = UnitKind.UO22 if kind == ClosureKind.REQUESTED else None
    if kind == ClosureKind.ABANDON or (expected and unit.kind != expected):
        raise UnitError(UnitErrorCode.WRONG_UNIT, f"{kind} for {UnitKind(unit.kind).label}")
    if kind == ClosureKind.SIGNED and unit.kind == UnitKind.UO22:
        raise UnitError(UnitErrorCode.WRONG_UNIT, "a UO2.2 has no livrable to sign")
    if closed_on > today:
        raise UnitError(UnitErrorCode.DATE_IN_FUTURE, "closed_on", ("closed_on",))
    if closed_on < unit.engaged_on:
        raise UnitError(UnitErrorCode.DATE_BEFORE_START, "closed_on", ("closed_on",))
    if closed_on > unit.deadline:
        raise UnitError(UnitErrorCode.DATE_AFTER_DEADLINE, "closed_on", ("closed_on",))
    voluntary = set(active_codes(session).get(ref.MOTIF_CLOTURE, {})) - {ref.ABANDON}
    if reason not in voluntary:
        raise UnitError(UnitErrorCode.NOT_VOLUNTARY_REASON, reason, ("motif_cloture",))
    _close(session, unit, kind, closed_on, reason, by, trace)


def _close(
    session: Session,
    unit: Unit,
    kind: ClosureKind,
    closed_on: date,
    reason: str,
    by: StaffMember | None,
    trace: str | None,
) -> None:
    unit.status = UnitStatus.CLOSED
    unit.closure_kind = kind
    unit.closed_on = closed_on
    unit.motif_cloture = reason
    unit.closed_by_id = by.id if by else None
    unit.closure_trace = trace
    unit.data_updated_at = utcnow()  # the daily Annex 2 export sends the dossier that day
    session.flush()
    publish(session, UnitClosed(unit.id, kind, closed_on, utcnow()))


def close_on_written_request(
    session: Session,
    unit: Unit,
    *,
    text: str,
    reason: str,
    on: date,
    today: date,
    by: StaffMember | None,
) -> None:
    """UO2.2: the beneficiary asked in writing to close (their space, an e-mail, a letter)."""
    if not text.strip():
        raise UnitError(UnitErrorCode.MISSING_FIELDS, "closure_trace", ("closure_trace",))
    close_unit(
        session,
        unit,
        kind=ClosureKind.REQUESTED,
        closed_on=on,
        reason=reason,
        today=today,
        by=by,
        trace=text.strip(),
    )


def expired_unit_ids(session: Session, *, today: date, limit: int) -> list[int]:
    """Open units past their deadline, oldest first, locked for this transaction and skipped
    by other hosts running the same job (`SKIP LOCKED`). A unit whose livrable is printed
    and waiting for a paper signature gets `PAPER_RETURN_GRACE_DAYS` more."""
    awaiting_paper = exists().where(
        Livrable.unit_id == Unit.id, Livrable.status == LivrableStatus.FROZEN
    )
    grace = today - timedelta(days=PAPER_RETURN_GRACE_DAYS)
    query = (
        select(Unit.id)
        .where(
            Unit.status == UnitStatus.OPEN,
            Unit.deadline < today,
            ~and_(awaiting_paper, Unit.deadline >= grace),
        )
        .order_by(Unit.deadline, Unit.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def close_expired_units(session: Session, *, today: date, limit: int = 500) -> list[Unit]:
    """Close one batch of expired units as « abandon », at their deadline (CCTP 1.2.6).

    Idempotent: the UPDATE only touches units still open, so a unit closed meanwhile (by a
    signature, or by another host) is left as it is. The caller commits per batch."""
    closed: list[Unit] = []
    for unit_id in expired_unit_ids(session, today=today, limit=limit):
        changed = session.execute(  # type: ignore[attr-defined]
            update(Unit)
            .where(Unit.id == unit_id, Unit.status == UnitStatus.OPEN)
            .values(
                status=UnitStatus.CLOSED,
                closure_kind=ClosureKind.ABANDON,
                closed_on=Unit.deadline,
                motif_cloture=ref.ABANDON,
                data_updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if not changed:
            continue
        unit = session.get_one(Unit, unit_id)
        session.refresh(unit)
        assert unit.closed_on is not None
        publish(session, UnitClosed(unit.id, ClosureKind.ABANDON, unit.closed_on, utcnow()))
        closed.append(unit)
    session.flush()
    return closed
