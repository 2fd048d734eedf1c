"""The « due from UO n » rules of the Annex 2 profile, the status a front-door situation
leads to, the communes the gazetteer finds, and the month of entry into the company."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from portal.advisor.profile_forms import parse_month
from portal.geo.gazetteer import get_gazetteer
from portal.orientation.rules import Situation
from portal.people.profile_commune import Candidates, Located, NotFound, locate_commune
from portal.people.profile_lists import PROFILE_ITEMS, STATUT
from portal.people.profile_rules import due_fields, missing_fields, statut_for_situation
from portal.people.profile_service import ProfileError, ProfileErrorCode, check_entry_month

UO1_FIELDS = [
    "sexe",
    "adresse_nom_voie",
    "adresse_commune",
    "structure",
    "niveau_formation",
    "secteur_activite",
    "taille_entreprise",
    "categorie_sociale",
    "libelle_secteur",
    "libelle_profession",
    "statut",
    "entree_entreprise",
]


def profile(**values: object) -> SimpleNamespace:
    fields = {
        "sexe": "F",
        "adresse_nom_voie": "de la Soif",
        "adresse_commune_insee": "35238",
        "niveau_formation": "niveau_4",
        "secteur_activite": "H",
        "taille_entreprise": "50_249",
        "categorie_sociale": "6",
        "libelle_secteur": "Logistique",
        "libelle_profession": "Cariste",
        "statut": "cdi",
        "entree_entreprise": date(2013, 9, 1),
    }
    return SimpleNamespace(**(fields | values))


def test_the_uo0_needs_the_status_only() -> None:
    assert due_fields("00") == ["statut"]
    assert missing_fields(None, "00") == ["statut"]
    assert missing_fields(profile(sexe=None), "00") == []


@pytest.mark.parametrize("kind", ["01", "21", "22"])
def test_from_the_uo1_on_every_annex2_field_is_due(kind: str) -> None:
    assert due_fields(kind) == UO1_FIELDS
    assert missing_fields(None, kind, has_structure=False) == UO1_FIELDS
    assert missing_fields(profile(), kind) == []


def test_an_empty_text_or_commune_counts_as_missing() -> None:
    found = missing_fields(profile(libelle_profession="", adresse_commune_insee=None), "01")
    assert found == ["adresse_commune", "libelle_profession"]
    assert missing_fields(profile(), "01", has_structure=False) == ["structure"]


def test_a_person_who_never_worked_owes_no_company_fields() -> None:
    never = profile(
        categorie_sociale="8",
        secteur_activite=None,
        taille_entreprise=None,
        libelle_secteur=None,
        entree_entreprise=None,
        libelle_profession=None,
    )
    assert missing_fields(never, "01") == ["libelle_profession"]


def test_a_situation_prefills_the_status_when_it_leads_to_one() -> None:
    statuses = [(code, parent) for name, code, _, _, parent in PROFILE_ITEMS if name == STATUT]
    assert statut_for_situation(statuses, Situation.INTERIMAIRE) == "interim"
    assert statut_for_situation(statuses, Situation.APPRENTI) == "alternance"
    assert statut_for_situation(statuses, Situation.SALARIE_PRIVE) is None  # CDI or CDD
    assert statut_for_situation(statuses, None) is None
    # Every front-door situation has at least one status.
    assert {str(s) for s in Situation} <= {parent for _, parent in statuses if parent}


def test_the_lists_have_their_codes_and_both_languages() -> None:
    by_list: dict[str, list[str]] = {}
    for name, code, fr, en, _ in PROFILE_ITEMS:
        assert fr and en
        by_list.setdefault(name, []).append(code)
    assert by_list["secteur_activite"] == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    assert by_list["taille_entreprise"] == ["0", "1_9", "10_49", "50_249", "250_4999", "5000_plus"]
    assert by_list["niveau_formation"][0] == "sans_diplome"
    assert by_list["niveau_formation"][-1] == "niveau_8"
    assert len({(n, c) for n, c, *_ in PROFILE_ITEMS}) == len(PROFILE_ITEMS)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("35000", Located("35238", "Rennes", "35000", "35")),
        ("Bruz", Located("35047", "Bruz", "35170", "35")),
        ("Bruz (35170)", Located("35047", "Bruz", "35170", "35")),
        ("Toulouse (31400)", Located("31555", "Toulouse", "31400", "31")),
        ("Xyzzyville", NotFound()),
        ("3500", NotFound(malformed_postal_code=True)),
    ],
)
def test_a_commune_is_located_with_its_postcode(typed: str, expected: object) -> None:
    assert locate_commune(get_gazetteer(), typed) == expected


def test_a_commune_with_several_postcodes_asks_which() -> None:
    found = locate_commune(get_gazetteer(), "Rennes")
    assert found == Candidates(("Rennes (35000)", "Rennes (35200)", "Rennes (35700)"))


def test_the_month_of_entry() -> None:
    assert parse_month("2019-03") == date(2019, 3, 1)
    assert parse_month("2019-13") is None
    assert parse_month("03/2019") is None
    born, today = date(1985, 6, 15), date(2026, 12, 7)
    check_entry_month(date(1999, 6, 1), birth_date=born, today=today)
    check_entry_month(date(2026, 12, 1), birth_date=born, today=today)
    with pytest.raises(ProfileError) as early:
        check_entry_month(date(1999, 5, 1), birth_date=born, today=today)
    assert early.value.code == ProfileErrorCode.ENTRY_BEFORE_WORKING_AGE
    with pytest.raises(ProfileError) as late:
        check_entry_month(date(2027, 1, 1), birth_date=born, today=today)
    assert late.value.code == ProfileErrorCode.ENTRY_IN_FUTURE
