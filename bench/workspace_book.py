"""The measured advisor's book: exactly 300 open units, their livrables (their agenda:
`bench/workspace_agenda.py`; the national data: `bench/workspace_data.py`).

The advisor (`ADVISOR_EMAIL` unless the demo gave them dossiers of its own, then the first
advisor of lot 1 without any; signing in with `PASSWORD`) keeps the closed history the
national draw gave them; their open dossiers from that draw go to a colleague, and 300 open
dossiers are planned here instead: 40 % in UO1, 45 % in UO2.1 (half after a signed UO1),
15 % in UO2.2 (after a signed UO2.1), with deadlines spread: ~4 % overdue by 1 to 5 days (the
next `close-expired` closes them), ~20 % warned (80 % of the delay passed), the rest on track.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from portal.advisor.models import Dossier
from portal.advisor.rules import add_months
from portal.auth.services import hash_password
from portal.livrables.content import empty_content
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableRevision,
    LivrableVersion,
    Signature,
    SignedScan,
)
from portal.network.models import Operator, StaffMember, StaffRole, advisor_site

ADVISOR_EMAIL = "conseiller1@lot01.cep-demo.example"
PASSWORD = "banc d'essai du poste de travail conseiller"
OPEN_UNITS = 300
PDF = b"%PDF-1.4\n% bench placeholder\n%%EOF\n"
TEXT = "Échange approfondi sur le parcours, les compétences et les pistes envisagées. " * 4

# (kind of the open unit, share), (deadline state, share)
KINDS = (("01", 0.40), ("21", 0.45), ("22", 0.15))
STATES = (("overdue", 0.04), ("warning", 0.20), ("on_track", 0.76))


def advisors(session: Session) -> tuple[StaffMember, StaffMember]:
    """The measured advisor: an advisor of lot 1 who holds no dossier yet (the demo's own
    caseloads stay as they are), `ADVISOR_EMAIL` when free; and a colleague of theirs."""
    team = session.scalars(
        select(StaffMember)
        .join(Operator, Operator.id == StaffMember.operator_id)
        .where(
            Operator.lot_number == 1,
            StaffMember.role == StaffRole.ADVISOR,
            StaffMember.active.is_(True),
        )
        .order_by(StaffMember.id)
    ).all()
    busy = set(session.scalars(select(Dossier.advisor_id).distinct()))
    free = [member for member in team if member.id not in busy]
    chosen = next((m for m in free if m.email == ADVISOR_EMAIL), free[0])
    return chosen, next(member for member in team if member.id != chosen.id)


def clear_advisor(session: Session, advisor_id: int, colleague_id: int) -> int:
    """The advisor's open dossiers of the national draw go to a colleague (staging tables)."""
    session.execute(
        text(
            "CREATE TEMP TABLE bench_moved AS SELECT DISTINCT dossier_g FROM bench_unit"
            " WHERE advisor_id = :a AND closure_kind IS NULL"
        ),
        {"a": advisor_id},
    )
    for table, key in (("bench_dossier", "g"), ("bench_unit", "dossier_g")):
        session.execute(
            text(
                f"UPDATE {table} SET advisor_id = :c"
                f" WHERE {key} IN (SELECT dossier_g FROM bench_moved)"
            ),
            {"c": colleague_id},
        )
    moved = int(session.scalar(text("SELECT count(*) FROM bench_moved")) or 0)
    session.execute(text("DROP TABLE bench_moved"))
    return moved


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    roll, edge = rng.random(), 0.0
    for name, share in table:
        edge += share
        if roll < edge:
            return name
    return table[-1][0]


def _engaged_for(rng: random.Random, today: date, months: int, state: str) -> date:
    """An engagement day whose deadline (`months` later) is in the wanted state today."""
    total = (add_months(today, months) - today).days
    if state == "overdue":
        engaged = add_months(today - timedelta(days=rng.randint(1, 5)), -months)
        while add_months(engaged, months) >= today:
            engaged -= timedelta(days=1)
        return engaged
    low, high = (0.80, 0.97) if state == "warning" else (0.03, 0.78)
    return today - timedelta(days=round(rng.uniform(low, high) * total))


def _chain(rng: random.Random, today: date, kind: str, state: str) -> list[dict[str, Any]]:
    """The dossier's units, oldest first; the last one open."""

    def unit(k: str, e: date, dl: date, uo21: date | None, closed: date | None) -> dict[str, Any]:
        return {
            "kind": k, "engaged_on": e, "deadline": dl, "uo21_on": uo21,
            "closure_kind": "signed" if closed else None, "closed_on": closed,
            "interactions": rng.randint(2, 6),
        }  # fmt: skip

    if kind == "01":
        e = _engaged_for(rng, today, 2, state)
        return [unit("01", e, add_months(e, 2), None, None)]
    if kind == "21":
        e21 = _engaged_for(rng, today, 6, state)
        chain = [unit("21", e21, add_months(e21, 6), e21, None)]
    else:
        days_left = {"overdue": -rng.randint(1, 5), "warning": rng.randint(1, 60)}.get(
            state, rng.randint(61, 380)
        )
        e21 = add_months(today + timedelta(days=days_left), -18)
        while state == "overdue" and add_months(e21, 18) >= today:
            e21 -= timedelta(days=1)
        dl21 = add_months(e21, 6)
        c21 = min(e21 + timedelta(days=rng.randint(30, 170)), dl21, today - timedelta(days=1))
        e22 = c21 + timedelta(days=rng.randint(0, min(14, (today - c21).days)))
        chain = [
            unit("21", e21, dl21, e21, c21),
            unit("22", e22, add_months(e21, 18), e21, None),
        ]
    if rng.random() < 0.5:  # after a signed UO1
        c1 = e21 - timedelta(days=rng.randint(0, 20))
        e1 = c1 - timedelta(days=rng.randint(10, 55))
        chain.insert(0, unit("01", e1, add_months(e1, 2), None, c1))
    return chain


def plan_book(session: Session, today: date, member: StaffMember, seed: int = 2026) -> int:
    """300 open dossiers for the advisor, in the staging tables (numbered with the rest)."""
    rng = random.Random(seed)
    first = int(session.scalar(text("SELECT max(g) FROM bench_dossier")) or 0) + 1
    site_id = session.scalar(
        select(func.min(advisor_site.c.site_id)).where(advisor_site.c.staff_id == member.id)
    )
    dossiers, units = [], []
    for i in range(OPEN_UNITS):
        chain = _chain(rng, today, _pick(rng, KINDS), _pick(rng, STATES))
        opened = chain[0]["engaged_on"] - timedelta(days=rng.randint(0, 10))
        dossiers.append(
            {"g": first + i, "op": member.operator_id, "a": member.id, "s": site_id, "o": opened}
        )
        for seq, row in enumerate(chain, start=1):
            units.append(
                {
                    **row,
                    "dossier_g": first + i,
                    "seq": seq,
                    "op": member.operator_id,
                    "a": member.id,
                }
            )
    session.execute(
        text(
            "INSERT INTO bench_dossier (g, operator_id, advisor_id, site_id, opened_on)"
            " VALUES (:g, :op, :a, :s, :o)"
        ),
        dossiers,
    )
    session.execute(
        text(
            "INSERT INTO bench_unit (dossier_g, seq, kind, operator_id, advisor_id, engaged_on,"
            " deadline, uo21_on, closure_kind, closed_on, interactions) VALUES (:dossier_g, :seq,"
            " :kind, :op, :a, :engaged_on, :deadline, :uo21_on, :closure_kind, :closed_on,"
            " :interactions)"
        ),
        units,
    )
    return first


def livrables(session: Session, member: StaffMember, first_dossier_id: int) -> int:
    """The book's livrables: signed with their version, signatures and scan for the signed
    units; for the open ones, a draft (70 %) or a printed version waiting for signatures (10 %)."""
    rng = random.Random(7)
    rows = session.execute(
        text(
            "SELECT u.id, u.kind, u.status, u.closed_on, u.engaged_on, b.first_name, b.last_name"
            " FROM unit u JOIN dossier d ON d.id = u.dossier_id"
            " JOIN beneficiary b ON b.id = d.beneficiary_id"
            " WHERE d.id >= :first AND u.kind IN ('01', '21') ORDER BY u.id"
        ),
        {"first": first_dossier_id},
    ).all()
    made = 0
    for unit_id, kind, status, closed_on, engaged_on, first_name, last_name in rows:
        roll = rng.random()
        if status == "open" and roll >= 0.8:
            continue
        lkind = LivrableKind.ETAT_DES_LIEUX if kind == "01" else LivrableKind.PROJET_PROFESSIONNEL
        content = empty_content(lkind)
        content["sections"] = {key: TEXT for key in content["sections"]}
        state = "signed" if status == "closed" else "frozen" if roll >= 0.7 else "draft"
        moment = datetime.combine(closed_on or engaged_on, time(15), UTC)
        livrable_id = session.scalar(
            insert(Livrable)
            .values(unit_id=unit_id, kind=lkind, status=state, content=content, draft_number=4,
                    updated_at=moment, updated_by_id=member.id)
            .returning(Livrable.id)
        )  # fmt: skip
        session.execute(
            insert(LivrableRevision),
            [
                {"livrable_id": livrable_id, "kind": k, "content": content,
                 "saved_at": moment, "saved_by_id": member.id}
                for k in ("autosave", "save", "autosave")
            ],
        )  # fmt: skip
        made += 1
        if state == "draft":
            continue
        digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
        version_id = session.scalar(
            insert(LivrableVersion)
            .values(livrable_id=livrable_id, number=1, content=content, content_sha256=digest,
                    pdf=PDF, frozen_at=moment, frozen_by_id=member.id)
            .returning(LivrableVersion.id)
        )  # fmt: skip
        if state == "frozen":
            continue
        for party, name in (
            ("advisor", member.full_name),
            ("beneficiary", f"{first_name} {last_name}"),
        ):
            session.execute(
                insert(Signature).values(
                    version_id=version_id, party=party, method="paper", signer_name=name,
                    signed_on=closed_on, recorded_at=moment, recorded_by_id=member.id,
                )
            )  # fmt: skip
        session.execute(
            insert(SignedScan).values(
                version_id=version_id, filename="livrable-signe.pdf",
                content_type="application/pdf", sha256=hashlib.sha256(PDF).hexdigest(),
                data=PDF, uploaded_at=moment, uploaded_by_id=member.id,
            )
        )  # fmt: skip
    return made


def password(session: Session, member: StaffMember) -> None:
    session.execute(
        update(StaffMember)
        .where(StaffMember.id == member.id)
        .values(password_hash=hash_password(PASSWORD))
    )
