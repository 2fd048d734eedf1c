"""The UO0 row of a dossier in the daily Annex 2 export (issue 15 §2).

A numbered contact that led to a dossier (`orientation_contact.dossier_id`) is sent as one more
row of that dossier, before its units: `uo` = `UO0`, its own number and purchase-order
reference, the contact's day as engagement and closure, its route as `aiguillage`, its contact
mode and motive. The dossier-wide columns (beneficiary, profile, complaints) are the dossier's,
as on its units' rows. The SQL pieces join the contact to the export's one statement (no
second query); `uo0_row` builds the line from the same result row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from portal.reference import motif_pair

# Selected with each row of the dossier (the first numbered contact of the dossier, if any).
SELECT = """, d.id AS dossier_id, uo0.number AS uo0_number,
  uo0.purchase_order_ref AS uo0_order_ref, uo0.contacted_on AS uo0_on, uo0.route AS uo0_route,
  uo0.contact_mode AS uo0_mode, uo0.motif AS uo0_motif"""
JOIN = """LEFT JOIN LATERAL (
  SELECT oc.number, oc.purchase_order_ref, oc.contacted_on, oc.route, oc.contact_mode, oc.motif
  FROM orientation_contact oc
  WHERE oc.dossier_id = d.id AND oc.number IS NOT NULL AND oc.created_at < :end
  ORDER BY oc.id LIMIT 1
) uo0 ON true"""
# The unit's columns a UO0 row does not have.
_NO_UNIT = dict.fromkeys(
    (
        "origine",
        "motif_detaille",
        "motif_cloture",
        "types_service",
        "description_service",
        "prestations",
        "auto_prescription",
        "financements",
        "decouvertes",
        "projet_cpir",
        "etat_projet",
        "deposited_version",
    )
)


def uo0_row(
    row: Any, period: Any, build_row: Callable[[Any, Any], dict[str, str]]
) -> dict[str, str]:
    """The dossier's UO0 line, from a row of the export that carries its contact."""
    on = row["uo0_on"]
    motif, detail = motif_pair(row["uo0_motif"])
    values = build_row(
        {
            **row,
            **_NO_UNIT,
            "number": row["uo0_number"],
            "purchase_order_ref": row["uo0_order_ref"] or "",
            "kind": "00",
            "engaged_on": on,
            "closed_on": on,
            "motif": motif,
            "motif_detaille": detail,
            "interaction_days": [on],
            "contact_modes": [row["uo0_mode"]],
        },
        period,
    )
    values["aiguillage"] = row["uo0_route"]
    return values
