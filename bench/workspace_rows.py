"""The rows of the advisor-workspace dataset, written from the staging tables that
`bench/workspace_data.py` plans: purchase orders, beneficiaries, dossiers, units with their
Annex 2 numbers and data, interactions and surveys, all with `INSERT … SELECT`."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from portal.booking.services import CONSENT_VERSION
from portal.demo.names import FIRST_NAMES, LAST_NAMES
from portal.livrables.content import empty_content
from portal.livrables.models import LivrableKind

ORDER_CHUNK = 90_000  # units per purchase order (« zzzzz » has five digits)


def run(session: Session, sql: str, **params: Any) -> int:
    """One statement of the build; its row count."""
    return int(session.execute(text(sql), params).rowcount or 0)  # type: ignore[attr-defined]


def orders(session: Session) -> int:
    """Purchase orders for the planned units: per operator, year and UO, numbered after the
    orders that exist (the demo's), fully consumed; `bench_po` maps them for the insert."""
    session.execute(
        text(
            "CREATE UNLOGGED TABLE bench_po (id int, operator_id int, year int, kind varchar(2),"
            " number int, chunk int)"
        )
    )
    return run(
        session,
        """
        WITH counts AS (
            SELECT operator_id, extract(year FROM engaged_on)::int AS year, kind, count(*) AS n
            FROM bench_unit GROUP BY 1, 2, 3
        ), chunks AS (
            SELECT c.operator_id, c.year, c.kind, ch AS chunk,
                   LEAST(:chunk, c.n - ch * :chunk) AS quantity,
                   ch + 1 + coalesce((SELECT max(p.number) FROM purchase_order p
                                      WHERE p.operator_id = c.operator_id AND p.year = c.year
                                        AND p.kind = c.kind), 0) AS number
            FROM counts c CROSS JOIN generate_series(0, (c.n - 1) / :chunk) ch
        ), created AS (
            INSERT INTO purchase_order (operator_id, year, kind, number, quantity, consumed,
                                        issued_on)
            SELECT operator_id, year, kind, number, quantity, quantity, make_date(year, 1, 1)
            FROM chunks
            RETURNING id, operator_id, year, kind, number
        )
        INSERT INTO bench_po
        SELECT created.id, created.operator_id, created.year, created.kind, created.number,
               chunks.chunk
        FROM created JOIN chunks USING (operator_id, year, kind, number)
        """,
        chunk=ORDER_CHUNK,
    )


def bases(session: Session) -> dict[str, int]:
    """Ids are given explicitly (staged row + base), above what the demo already holds."""
    return {
        table: int(session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}")) or 0)
        for table in ("beneficiary", "dossier", "unit")
    }


def people_and_dossiers(session: Session, base: dict[str, int]) -> int:
    run(
        session,
        """
        INSERT INTO beneficiary (id, last_name, first_name, email, phone, birth_date, consent_at,
                                 consent_version, locale, created_at)
        SELECT :b + g, (CAST(:last AS text[]))[1 + (g * 7) % cardinality(CAST(:last AS text[]))],
               (CAST(:first AS text[]))[1 + g % cardinality(CAST(:first AS text[]))],
               'personne' || g || '@exemple.example', '+336' || lpad((g % 100000000)::text, 8, '0'),
               date '1960-01-01' + ((g * 7919) % 15000)::int,
               (opened_on - 12 + time '09:30') AT TIME ZONE 'UTC', :consent, 'fr',
               (opened_on - 12 + time '09:30') AT TIME ZONE 'UTC'
        FROM bench_dossier
        """,
        b=base["beneficiary"],
        last=list(LAST_NAMES),
        first=list(FIRST_NAMES),
        consent=CONSENT_VERSION,
    )
    return run(
        session,
        """
        INSERT INTO dossier (id, operator_id, beneficiary_id, advisor_id, site_id, opened_on,
                             created_at)
        SELECT :d + g, operator_id, :b + g, advisor_id, site_id, opened_on,
               (opened_on + time '10:00') AT TIME ZONE 'UTC'
        FROM bench_dossier
        """,
        d=base["dossier"],
        b=base["beneficiary"],
    )


def units(session: Session, base: dict[str, int], ref: dict[str, list[str]]) -> int:
    """The units, with their numbers, order references and Annex 2 data; then the monthly
    counters raised past the numbers given."""
    details = session.execute(
        text("SELECT code, parent FROM reference_item WHERE list_name = 'motif_detaille'")
    ).all()
    voluntary = [c for c in ref["motif_cloture"] if c != "abandon"]
    inserted = run(
        session,
        """
        INSERT INTO unit (id, dossier_id, operator_id, advisor_id, kind, number, purchase_order_id,
            purchase_order_ref, engaged_on, deadline, status, closed_on, closure_kind,
            closed_by_id, closure_trace, consent_given_on, consent_mode, consent_recorded_by_id,
            consent_recorded_at, origine, motif, motif_detaille, types_service, prestations,
            auto_prescription, financements, decouvertes, projet_cpir, etat_projet,
            description_service, motif_cloture, created_at)
        SELECT :u + b.g, :d + b.dossier_g, b.operator_id, b.advisor_id, b.kind,
            o.code || to_char(b.engaged_on, 'YYMM') || b.kind
                || lpad((coalesce(dc.value, 0) + b.rn_month)::text, 6, '0'),
            po.id,
            po.year || '-Lot' || lpad(o.lot_number::text, 2, '0') || '-UO'
                || CASE b.kind WHEN '01' THEN '01' WHEN '21' THEN '2.1' ELSE '2.2' END
                || '-' || lpad(po.number::text, 2, '0') || '-'
                || lpad((b.rn_order - po.chunk * :chunk)::text, 5, '0'),
            b.engaged_on, b.deadline,
            CASE WHEN b.closure_kind IS NULL THEN 'open' ELSE 'closed' END,
            b.closed_on, b.closure_kind,
            CASE WHEN b.closure_kind IN ('signed', 'requested') THEN b.advisor_id END,
            CASE WHEN b.closure_kind = 'requested'
                 THEN 'Je souhaite arrêter l''accompagnement, merci pour tout.' END,
            b.engaged_on, CASE WHEN b.r1 < 0.85 THEN 'oral' ELSE 'written' END, b.advisor_id,
            (b.engaged_on + time '10:00') AT TIME ZONE 'UTC',
            pg_temp.pick(:origine, b.r2),
            (CAST(:parents AS text[]))[b.k_detail], (CAST(:details AS text[]))[b.k_detail],
            CASE WHEN b.done_uo2 THEN json_build_array(pg_temp.pick(:types, b.r2))
                 ELSE '[]'::json END,
            CASE WHEN b.done_uo2 THEN json_build_array(pg_temp.pick(:prest, b.r3))
                 ELSE '[]'::json END,
            CASE WHEN b.done_uo2 THEN b.r2 < 0.3 END,
            CASE WHEN b.done_uo2 THEN json_build_array(pg_temp.pick(:fin, b.r4))
                 ELSE '[]'::json END,
            CASE WHEN b.done_uo2 THEN json_build_array(pg_temp.pick(:dec, b.r3))
                 ELSE '[]'::json END,
            CASE WHEN b.done_uo2 THEN b.r4 < 0.1 END,
            CASE WHEN b.done_uo2 AND b.kind = '22' THEN pg_temp.pick(:etat, b.r2) END,
            CASE WHEN b.done_uo2 AND b.kind = '22'
                 THEN 'Accompagnement de la mise en œuvre du projet.' ELSE '' END,
            CASE WHEN b.closure_kind = 'abandon' THEN 'abandon'
                 WHEN b.closure_kind IS NOT NULL THEN pg_temp.pick(:vol, b.r4) END,
            (b.engaged_on + time '10:00') AT TIME ZONE 'UTC'
        FROM (
            SELECT s.*, 1 + floor(s.r3 * cardinality(CAST(:details AS text[])))::int AS k_detail,
                   s.kind <> '01' AND s.closure_kind IN ('signed', 'requested') AS done_uo2,
                   row_number() OVER (PARTITION BY s.operator_id, to_char(s.engaged_on, 'YYMM')
                                      ORDER BY s.engaged_on, s.g) AS rn_month,
                   row_number() OVER (PARTITION BY s.operator_id,
                                      extract(year FROM s.engaged_on), s.kind
                                      ORDER BY s.engaged_on, s.g) AS rn_order
            FROM (SELECT u.*, random() AS r1, random() AS r2, random() AS r3, random() AS r4
                  FROM bench_unit u) s
        ) b
        JOIN operator o ON o.id = b.operator_id
        JOIN bench_po po ON po.operator_id = b.operator_id
            AND po.year = extract(year FROM b.engaged_on)::int AND po.kind = b.kind
            AND po.chunk = (b.rn_order - 1) / :chunk
        LEFT JOIN dossier_counter dc ON dc.operator_id = b.operator_id
            AND dc.period = to_char(b.engaged_on, 'YYMM')
        """,
        u=base["unit"],
        d=base["dossier"],
        chunk=ORDER_CHUNK,
        origine=ref["origine"],
        details=[c for c, _ in details],
        parents=[p for _, p in details],
        types=ref["type_service"],
        prest=ref["prestation"],
        fin=ref["financement"],
        dec=ref["decouverte"],
        etat=ref["etat_projet"],
        vol=voluntary,
    )
    run(
        session,
        """
        INSERT INTO dossier_counter (operator_id, period, value)
        SELECT operator_id, to_char(engaged_on, 'YYMM'), count(*) FROM bench_unit GROUP BY 1, 2
        ON CONFLICT (operator_id, period)
        DO UPDATE SET value = dossier_counter.value + excluded.value
        """,
    )
    return inserted


def interactions(
    session: Session, base: dict[str, int], ref: dict[str, list[str]], today: date
) -> int:
    """2 to 6 exchanges per unit, spread between its engagement and its end (or today)."""
    return run(
        session,
        """
        INSERT INTO interaction (unit_id, advisor_id, occurred_on, contact_mode, service_type,
                                 duration_minutes, notes, created_at)
        SELECT :u + b.g, b.advisor_id, day,
               pg_temp.pick(:modes, power(random(), 2)),
               CASE WHEN b.kind <> '01' THEN pg_temp.pick(:types, random()) END,
               30 + 15 * floor(random() * 5)::int,
               CASE WHEN random() < 0.3 THEN 'Point d''étape sur le projet et les démarches.'
                    ELSE '' END,
               (day + time '16:00') AT TIME ZONE 'UTC'
        FROM bench_unit b
        CROSS JOIN LATERAL generate_series(1, b.interactions) AS s(i)
        CROSS JOIN LATERAL (
            SELECT b.engaged_on + floor((s.i - 1 + random()) / b.interactions
                   * (coalesce(b.closed_on, CAST(:today AS date)) - b.engaged_on + 1))::int AS day
        ) d
        """,
        u=base["unit"],
        modes=ref["mode_contact"],
        types=ref["type_service"],
        today=today,
    )


def livrables(session: Session, base: dict[str, int], before_g: int) -> int:
    """The national livrables of UO1 and UO2.1 (the draft only, a short content): signed for
    the signed units; for the open ones a draft (70 %), or printed and waiting for the
    signatures (12 %); a draft left behind by half the abandons. The book's units (from
    `before_g` on) get theirs, with versions and signatures, from `bench/workspace_book.py`."""
    contents = {}
    for kind, code in (
        (LivrableKind.ETAT_DES_LIEUX, "01"),
        (LivrableKind.PROJET_PROFESSIONNEL, "21"),
    ):
        content = empty_content(kind)
        first = next(iter(content["sections"]))
        content["sections"][first] = "Synthèse de l'échange et des pistes retenues."
        contents[code] = json.dumps(content, ensure_ascii=False)
    return run(
        session,
        """
        INSERT INTO livrable (unit_id, kind, status, content, draft_number, updated_at,
                              updated_by_id)
        SELECT :u + g, CASE kind WHEN '01' THEN 'etat_des_lieux' ELSE 'projet_professionnel' END,
               state, CAST(CASE kind WHEN '01' THEN :uo1 ELSE :uo21 END AS json),
               2 + floor(r * 6)::int,
               (coalesce(closed_on, engaged_on) + time '15:00') AT TIME ZONE 'UTC', advisor_id
        FROM (
            SELECT b.*, CASE
                WHEN b.closure_kind = 'signed' THEN 'signed'
                WHEN b.closure_kind IS NULL AND r < 0.12 THEN 'frozen'
                WHEN b.closure_kind IS NULL AND r < 0.82 THEN 'draft'
                WHEN b.closure_kind = 'abandon' AND r < 0.5 THEN 'draft' END AS state
            FROM (SELECT u.*, random() AS r FROM bench_unit u
                  WHERE u.kind IN ('01', '21') AND u.dossier_g < :before) b
        ) x
        WHERE state IS NOT NULL
        """,
        u=base["unit"],
        uo1=contents["01"],
        uo21=contents["21"],
        before=before_g,
    )


def surveys(session: Session, base: dict[str, int]) -> int:
    """One survey per closed unit (as `invite_to_survey`), a third of them answered, ~90 %
    satisfied (domain rules)."""
    return run(
        session,
        """
        INSERT INTO survey (unit_id, operator_id, closed_on, sent_at, answered_at, quality,
                            usefulness, comment)
        SELECT :u + g, operator_id, closed_on, (closed_on + time '18:00') AT TIME ZONE 'UTC',
               CASE WHEN r < 0.33 THEN (closed_on + 3 + time '12:00') AT TIME ZONE 'UTC' END,
               CASE WHEN r < 0.33 THEN CASE WHEN q < 0.9 THEN 3 + (q < 0.55)::int ELSE 2 END END,
               CASE WHEN r < 0.33 THEN CASE WHEN q < 0.91 THEN 3 + (q < 0.5)::int ELSE 1 END END,
               ''
        FROM (SELECT b.*, random() AS r, random() AS q FROM bench_unit b
              WHERE b.closure_kind IS NOT NULL) c
        """,
        u=base["unit"],
    )


def finish(session: Session) -> None:
    """Sequences past the explicit ids; staging tables dropped."""
    for table in ("beneficiary", "dossier", "unit"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        )
    session.execute(text("DROP TABLE bench_dossier, bench_unit, bench_po"))
