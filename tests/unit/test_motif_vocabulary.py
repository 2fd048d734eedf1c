"""One vocabulary of motives (issue 15 §1): what a person gives at the front door or when
booking is a code of the Annex 2 reference lists, a former value still names its code, and
the motive reaches the entry data of the first unit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from portal.advisor import reference_data as ref
from portal.advisor.booking_motive import entry_motives
from portal.advisor.reference import ReferenceTables, reference_tables
from portal.orientation.labels import MOTIFS, motif_label
from portal.reference import FORMER_MOTIFS, Motif, canonical_motif, motif_from

MIGRATION = Path(__file__).parents[2] / "migrations/versions/20261207_0022_motif_codes.py"
PARENTS = {code: parent for name, code, _, _, parent in ref.ITEMS if name == ref.MOTIF_DETAILLE}
BROAD = {code for name, code, _, _, _ in ref.ITEMS if name == ref.MOTIF}


def test_every_public_motive_is_a_code_of_the_reference_lists() -> None:
    unknown = {m.value for m in Motif} - BROAD - set(PARENTS)
    assert unknown == set()
    # The three broad motives, each offered as such, and precise ones under them.
    assert {m.value for m in Motif} >= BROAD
    assert {PARENTS[m] for m in Motif if m in PARENTS} <= BROAD


def test_the_person_reads_every_motive_in_a_short_list() -> None:
    assert set(MOTIFS) == set(Motif)
    assert len(MOTIFS) == 7
    assert len({str(label) for label in MOTIFS.values()}) == 7  # no two say the same


def test_former_values_name_their_new_code() -> None:
    assert FORMER_MOTIFS == {
        "reconversion": Motif.CHANGER_METIER,
        "creation_entreprise": Motif.CREER_ENTREPRISE,
        "formation": Motif.SE_FORMER,
    }
    assert not set(FORMER_MOTIFS) & {m.value for m in Motif}
    assert motif_from("creation_entreprise") is Motif.CREER_ENTREPRISE
    assert motif_from(" se_former ") is Motif.SE_FORMER
    assert motif_from("projet") is Motif.PROJET
    assert [motif_from(v) for v in ("", None, "vae", "PROJET", 3)] == [None] * 5


def test_the_form_filter_translates_a_former_value_and_leaves_the_rest() -> None:
    assert canonical_motif("reconversion") == "changer_metier"
    assert canonical_motif("nimporte") == "nimporte"  # refused by the field's choices
    assert canonical_motif(None) is None


def test_a_former_value_reads_in_the_persons_words() -> None:
    assert motif_label("formation") == motif_label("se_former") == str(MOTIFS[Motif.SE_FORMER])
    assert motif_label("inconnu") == "inconnu"


def test_the_migration_renames_exactly_the_former_values() -> None:
    spec = importlib.util.spec_from_file_location("motif_codes", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert {old: new.value for old, new in FORMER_MOTIFS.items()} == module.RENAMED
    assert module.DATA_ONLY is True


@pytest.fixture
def tables(session: Session) -> ReferenceTables:
    return reference_tables(session, "fr")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("faire_le_point", ("faire_le_point", None)),
        ("competences", ("competences", None)),
        ("creer_entreprise", ("projet", "creer_entreprise")),
        ("creation_entreprise", ("projet", "creer_entreprise")),  # stored before 0022
        ("se_former", ("competences", "se_former")),
        ("changer_metier", ("projet", "changer_metier")),
        ("demission_reconversion", ("projet", "demission_reconversion")),
        (None, (None, None)),
        ("vae", (None, None)),  # a reference code no person gives: not a public motive
    ],
)
def test_the_motive_given_when_booking_becomes_the_entry_data(
    tables: ReferenceTables, given: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert entry_motives(tables, given) == expected


def test_a_motive_the_tables_no_longer_hold_prefills_nothing(tables: ReferenceTables) -> None:
    without = {k: v for k, v in tables.active.items() if k != ref.MOTIF_DETAILLE}
    shrunk = ReferenceTables(without, tables.labels, tables.locale)
    assert entry_motives(shrunk, "creer_entreprise") == (None, None)
    assert entry_motives(shrunk, "projet") == ("projet", None)


def test_the_export_sends_each_motive_with_the_parent_the_reference_list_gives() -> None:
    from portal.reference import MOTIF_PARENTS, motif_pair

    assert {k.value: v.value for k, v in MOTIF_PARENTS.items()} == {
        m.value: PARENTS[m.value] for m in Motif if m.value in PARENTS
    }
    assert motif_pair("creation_entreprise") == ("projet", "creer_entreprise")
    assert motif_pair("se_former") == ("competences", "se_former")
    assert motif_pair("faire_le_point") == ("faire_le_point", None)
    assert motif_pair(None) == (None, None)
