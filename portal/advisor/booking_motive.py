"""The motive a person gave when booking, as the entry data of their first unit (issue 15 §1).

The public motives are codes of the Annex 2 lists (`portal.reference.Motif`): a broad one is a
`motif`; a precise one is a `motif_detaille`, whose parent in the reference table is the
`motif`. The engagement form starts from them, and the advisor confirms or corrects them.
"""

from __future__ import annotations

from portal.advisor import reference_data as ref
from portal.advisor.reference import ReferenceTables
from portal.reference import motif_from


def entry_motives(tables: ReferenceTables, given: str | None) -> tuple[str | None, str | None]:
    """(motif, motif_detaille) for a motive given at booking, as far as the active reference
    tables know it; (None, None) when none was given or the tables no longer hold it."""
    found = motif_from(given)
    if found is None:
        return None, None
    if any(item.code == found for item in tables.choices(ref.MOTIF)):
        return found.value, None
    for item in tables.choices(ref.MOTIF_DETAILLE):
        if item.code == found:
            return item.parent, item.code
    return None, None
