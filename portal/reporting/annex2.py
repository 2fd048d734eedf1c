"""The daily Annex 2 export: which dossiers changed on a day, and their rows, streamed.

A dossier « changed » on a day (Europe/Paris) when one of these moments or dates falls in it:
the dossier opened (`dossier.created_at`); its Annex 2 profile was saved
(`dossier_profile.updated_at`); a unit was recorded, engaged or closed
(`unit.created_at`, `engaged_on`, `closed_on`); a unit's Annex 2 fields were changed or its
closure recorded (`unit.data_updated_at`); an interaction was recorded
(`interaction.created_at`); a complaint of the dossier was recorded, acknowledged, answered or
closed; the mediator asked access to it (`referral.access_requested_at`); a livrable version
was frozen, signed or sealed. The moments of the big tables are indexed (migrations 0023 and 0024).

A past day's file is reproducible: interactions, complaints, answers, access requests, units
and closures recorded after the day are left out of its rows; only an edit of a unit's fields
or of the profile (which keep no history) would show through.

One SQL statement gives every row, read through a server-side cursor (`yield_per`): memory
stays flat whatever the number of dossiers. PostgreSQL only (ordered `array_agg`, time zones):
the export runs against the dedicated database Annex 3 asks for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from portal.clock import PARIS
from portal.reporting import annex2_uo0
from portal.reporting.annex2_columns import COLUMNS, NO, PROFILE_COLUMNS, SEPARATOR, YES

BATCH = 2000  # rows fetched per round trip of the server-side cursor
# Our error codes; the CLI and the API put them into words.
NOT_POSTGRESQL = "not_postgresql"

# (table, join to reach the dossier, dossier id expression, moment column or None, date column)
_MOMENTS = (
    ("dossier d", "", "d.id", "d.created_at"),
    ("dossier_profile p", "", "p.dossier_id", "p.updated_at"),
    ("unit u", "", "u.dossier_id", "u.created_at"),  # its consent: recorded in the same row
    ("unit u", "", "u.dossier_id", "u.data_updated_at"),
    ("interaction i", "JOIN unit u ON u.id = i.unit_id", "u.dossier_id", "i.created_at"),
    ("complaint c", "", "c.dossier_id", "c.recorded_at"),
    ("complaint c", "", "c.dossier_id", "c.acknowledged_at"),
    ("complaint c", "", "c.dossier_id", "c.answered_at"),
    ("complaint c", "", "c.dossier_id", "c.closed_at"),
    (
        "referral r",
        "JOIN complaint c ON c.id = r.complaint_id",
        "c.dossier_id",
        "r.access_requested_at",
    ),
    (
        "livrable_version v",
        "JOIN livrable l ON l.id = v.livrable_id JOIN unit u ON u.id = l.unit_id",
        "u.dossier_id",
        "v.frozen_at",
    ),
    (
        "signature s",
        "JOIN livrable_version v ON v.id = s.version_id "
        "JOIN livrable l ON l.id = v.livrable_id JOIN unit u ON u.id = l.unit_id",
        "u.dossier_id",
        "s.recorded_at",
    ),
    (
        "sealed_document sd",
        "JOIN livrable_version v ON v.id = sd.version_id "
        "JOIN livrable l ON l.id = v.livrable_id JOIN unit u ON u.id = l.unit_id",
        "u.dossier_id",
        "sd.sealed_at",
    ),
)
_DATES = ("u.engaged_on", "u.closed_on")  # changes known only by their date


def _changed_sql() -> str:
    """The (dossier, moment, day) of every change in the period, one SELECT per source."""
    parts = [
        " ".join(
            [
                *("SELECT", dossier, "AS dossier_id,", col, "AS at, CAST(NULL AS date) AS on_day"),
                *("FROM", table, join, "WHERE", col, ">= :start AND", col, "< :end"),
            ]
        )
        for table, join, dossier, col in _MOMENTS
    ]
    parts += [
        " ".join(
            [
                *("SELECT u.dossier_id, CAST(NULL AS timestamptz),", col, "FROM unit u WHERE"),
                *(col, "BETWEEN :first_day AND :last_day"),
            ]
        )
        for col in _DATES
    ]
    return "\nUNION ALL\n".join(parts)


_ROWS_TEMPLATE = """
WITH changed AS (
CHANGED
), dossiers AS (
  SELECT ch.dossier_id, max(ch.at) AS last_at, max(ch.on_day) AS last_day
  FROM changed ch JOIN dossier d ON d.id = ch.dossier_id
  WHERE d.operator_id IN :operators
  GROUP BY ch.dossier_id
)
SELECT o.code AS operator_code, u.number, ds.last_at, ds.last_day, u.purchase_order_ref,
  b.id AS beneficiary_id, b.last_name, b.first_name, b.birth_date, s.name AS site_name,
  b.email, b.phone, u.kind, u.engaged_on,
  p.sexe, p.adresse_numero, p.adresse_type_voie, p.adresse_nom_voie, p.adresse_commune,
  p.adresse_code_postal, p.entreprise_departement, p.entreprise_code_postal,
  p.entreprise_commune, p.handicap, p.niveau_formation, p.secteur_activite,
  p.taille_entreprise, p.categorie_sociale, p.libelle_secteur, p.libelle_profession,
  p.statut, p.entree_entreprise,
  CASE WHEN u.closed_on <= :last_day THEN u.closed_on END AS closed_on,
  u.origine, u.motif, u.motif_detaille,
  CASE WHEN u.closed_on <= :last_day THEN u.motif_cloture END AS motif_cloture,
  u.types_service, u.description_service, u.prestations,
  u.auto_prescription, u.financements, u.decouvertes, u.projet_cpir, u.etat_projet,
  (SELECT array_agg(i.occurred_on ORDER BY i.occurred_on, i.id)
     FROM interaction i WHERE i.unit_id = u.id AND i.created_at < :end) AS interaction_days,
  (SELECT array_agg(i.contact_mode ORDER BY i.occurred_on, i.id)
     FROM interaction i WHERE i.unit_id = u.id AND i.created_at < :end) AS contact_modes,
  (SELECT array_agg(c.received_on ORDER BY c.received_on, c.id)
     FROM complaint c WHERE c.dossier_id = d.id AND c.recorded_at < :end) AS complaint_days,
  (SELECT array_agg(c.motive ORDER BY c.received_on, c.id)
     FROM complaint c WHERE c.dossier_id = d.id AND c.recorded_at < :end) AS complaint_motives,
  (SELECT array_agg(CASE WHEN c.answered_at < :end THEN c.answered_at END
                   ORDER BY c.received_on, c.id)
     FROM complaint c WHERE c.dossier_id = d.id AND c.recorded_at < :end) AS complaint_answers,
  (SELECT array_agg(r.access_requested_at ORDER BY r.access_requested_at, r.id)
     FROM referral r JOIN complaint c ON c.id = r.complaint_id
     WHERE c.dossier_id = d.id AND r.access_requested_at < :end) AS access_requests,
  (SELECT max(v.number) FROM livrable l JOIN livrable_version v ON v.livrable_id = l.id
     WHERE l.unit_id = u.id AND l.status = 'signed' AND v.voided_at IS NULL
       AND u.closed_on BETWEEN :first_day AND :last_day) AS deposited_version
  UO0_SELECT
FROM dossiers ds
JOIN dossier d ON d.id = ds.dossier_id
JOIN operator o ON o.id = d.operator_id
JOIN beneficiary b ON b.id = d.beneficiary_id
LEFT JOIN site s ON s.id = d.site_id
LEFT JOIN dossier_profile p ON p.dossier_id = d.id
LEFT JOIN unit u ON u.dossier_id = d.id AND u.created_at < :end
UO0_JOIN
ORDER BY o.code, d.id, u.engaged_on, u.id
"""
ROWS_SQL = (
    _ROWS_TEMPLATE.replace("CHANGED", _changed_sql())
    .replace("UO0_SELECT", annex2_uo0.SELECT)
    .replace("UO0_JOIN", annex2_uo0.JOIN)
)

_UO = {"00": "UO0", "01": "UO1", "21": "UO2.1", "22": "UO2.2"}


@dataclass(frozen=True)
class Period:
    """Days of Europe/Paris, both ends included (one day for the daily export)."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), PARIS).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), PARIS).astimezone(UTC)


class Annex2Error(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def livrable_filename(operator_code: str, day: date, number: str, version: int) -> str:
    return f"annex2-{operator_code}-{day.isoformat()}-{number}-v{version}.pdf"


def stream_rows(
    session: Session, period: Period, operator_ids: Sequence[int]
) -> Iterator[dict[str, str]]:
    """Every row of `period` for these operators, in the fixed column order, ordered by
    operator code, dossier, engagement and unit (a total order: the same bytes every run)."""
    if session.get_bind().dialect.name != "postgresql":
        raise Annex2Error(NOT_POSTGRESQL)
    if not operator_ids:
        return
    statement = text(ROWS_SQL).bindparams(bindparam("operators", expanding=True))
    params = {
        "start": period.start,
        "end": period.end,
        "first_day": period.first,
        "last_day": period.last,
        "operators": list(operator_ids),
    }
    result = session.execute(statement, params, execution_options={"yield_per": BATCH})
    dossier_id = None
    for row in result.mappings():
        if row["dossier_id"] != dossier_id:  # a dossier's first row: its UO0 first, if any
            dossier_id = row["dossier_id"]
            if row["uo0_number"] is not None:
                yield annex2_uo0.uo0_row(row, period, build_row)
        if row["kind"] is not None:  # a dossier with no unit yet has only its UO0 row
            yield build_row(row, period)


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _month(value: date | None) -> str:
    return f"{value:%Y-%m}" if value is not None else ""


def _moment_day(value: datetime | None) -> str:
    return value.astimezone(PARIS).date().isoformat() if value is not None else ""


def _joined(values: Sequence[Any] | None) -> str:
    return SEPARATOR.join(str(v) for v in values or ())


def _flag(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def build_row(row: Any, period: Period) -> dict[str, str]:
    """One line of the export from one row of ROWS_SQL (every value a string)."""
    if row["last_at"] is not None:
        moment = row["last_at"].astimezone(PARIS)
    else:  # a change known only by its date: midnight of that day
        moment = datetime.combine(row["last_day"], time(0), PARIS)
    complaints = row["complaint_days"] or []
    access = row["access_requests"] or []
    version = row["deposited_version"]
    values: dict[str, str] = {
        "operateur": row["operator_code"],
        "numero_dossier": row["number"],
        "date": moment.date().isoformat(),
        "heure": moment.strftime("%H:%M:%S"),
        "timestamp": str(int(moment.timestamp())),
        "reference_bon_commande": row["purchase_order_ref"],
        "identifiant_beneficiaire": str(row["beneficiary_id"]),
        "nom": row["last_name"],
        "prenom": row["first_name"],
        "date_naissance": _day(row["birth_date"]),
        "structure": row["site_name"] or "",
        **{column: row[source] or "" for column, source in PROFILE_COLUMNS.items()},
        "entree_entreprise": _month(row["entree_entreprise"]),
        "email": row["email"],
        "telephone": row["phone"],
        "uo": _UO[row["kind"]],
        "date_engagement": _day(row["engaged_on"]),
        "date_cloture": _day(row["closed_on"]),
        "origine": row["origine"] or "",
        "motif": row["motif"] or "",
        "motif_detaille": row["motif_detaille"] or "",
        "dates_interactions": _joined([_day(d) for d in row["interaction_days"] or ()]),
        "modes_contact": _joined(row["contact_modes"]),
        "motif_cloture": row["motif_cloture"] or "",
        "types_service": _joined(row["types_service"]),
        "description_service": row["description_service"] or "",
        "prestations": _joined(row["prestations"]),
        "auto_prescription": _flag(row["auto_prescription"]),
        "financements": _joined(row["financements"]),
        "decouvertes": _joined(row["decouvertes"]),
        "projet_cpir": _flag(row["projet_cpir"]),
        "etat_projet": row["etat_projet"] or "",
        "reclamation": YES if complaints else NO,
        "reclamation_dates": _joined([_day(d) for d in complaints]),
        "reclamation_motifs": _joined(row["complaint_motives"]),
        "reclamation_reponse_dates": _joined(
            [_moment_day(a) for a in row["complaint_answers"] or ()]
        ),
        "mediateur_acces": YES if access else NO,
        "mediateur_acces_dates": _joined([_moment_day(a) for a in access]),
        "livrable_fichier": (
            livrable_filename(row["operator_code"], row["closed_on"], row["number"], version)
            if version is not None
            else ""
        ),
    }
    return {column: values.get(column, "") for column in COLUMNS}
