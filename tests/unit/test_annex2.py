"""The rows of the daily Annex 2 export on a small hand-built dataset (issue 15 §4).

The day is Wednesday 12 March 2025 (Paris is UTC+1). Operator 16 has four dossiers: B (UO1
signed on the 11th, UO2.1 engaged on the 12th), C (a complaint recorded on the 12th and the
mediator's access request on an older one), D (nothing on the 12th) and A (UO1 engaged on the
12th, one interaction that day and one the next day); operator 11 has E (engaged on the 12th).
The expected rows are written out here, not recomputed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.advisor.models import ClosureKind, Interaction, Unit, UnitKind, UnitStatus
from portal.mediation.models import (
    Channel,
    Complaint,
    ComplaintStatus,
    Referral,
    ReferralChannel,
    ReferredBy,
)
from portal.network.models import StaffMember
from portal.people.profile_models import DossierProfile
from portal.reporting.annex2 import Period, stream_rows
from portal.reporting.annex2_columns import COLUMNS, NOT_CAPTURED
from portal.reporting.annex2_files import encode, targets
from tests import workspace_data as ws
from tests.conftest import FrozenClock

DAY = date(2025, 3, 12)


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2025 given in Paris time (UTC+1 then)."""
    return datetime(2025, 3, day, hour - 1, minute, tzinfo=UTC)


def interaction(session: Session, unit: Unit, on: date, mode: str, by: StaffMember) -> None:
    session.add(
        Interaction(
            unit=unit, advisor_id=by.id, occurred_on=on, contact_mode=mode, duration_minutes=45
        )
    )
    session.flush()


def complaint(session: Session, unit: Unit, received_on: date, motive: str, **kw: Any) -> Complaint:
    found = Complaint(
        operator_id=unit.operator_id,
        dossier_id=unit.dossier_id,
        beneficiary_id=unit.dossier.beneficiary_id,
        last_name="Lefèvre",
        first_name="Camille",
        channel=Channel.LETTER,
        received_on=received_on,
        motive=motive,
        text="Je n'ai pas eu de réponse.",
        status=ComplaintStatus.RECEIVED,
        **kw,
    )
    session.add(found)
    session.flush()
    return found


@pytest.fixture
def dataset(session: Session, clock: FrozenClock) -> dict[str, Any]:
    ws.ensure_orders(session, "16", (2025,))
    ws.ensure_orders(session, "11", (2025,))
    advisor = ws.staff(session, "16")
    other = ws.staff(session, "11")

    clock.set(paris(3, 9))
    b1 = ws.engaged(session, advisor, engaged_on=date(2025, 3, 3), today=date(2025, 3, 3))
    b1.status, b1.closed_on = UnitStatus.CLOSED, date(2025, 3, 11)
    b1.closure_kind, b1.motif_cloture = ClosureKind.SIGNED, "objectif_atteint"
    interaction(session, b1, date(2025, 3, 3), "presentiel", advisor)
    interaction(session, b1, date(2025, 3, 10), "telephone", advisor)

    clock.set(paris(5, 9))
    c = ws.engaged(session, advisor, engaged_on=date(2025, 3, 5), today=date(2025, 3, 5))
    ws.engaged(session, advisor, engaged_on=date(2025, 3, 5), today=date(2025, 3, 5))  # D
    clock.set(paris(5, 11))
    old = complaint(
        session,
        c,
        date(2025, 3, 4),
        "delai_rendez_vous",
        recorded_at=paris(5, 11),
        answered_at=paris(7, 15),
    )

    clock.set(paris(12, 9, 30))
    a = ws.engaged(session, advisor, engaged_on=DAY, today=DAY)
    clock.set(paris(12, 10))
    interaction(session, a, DAY, "presentiel", advisor)

    clock.set(paris(12, 11))
    e = ws.engaged(session, other, engaged_on=DAY, today=DAY)

    clock.set(paris(12, 14, 45))
    b2 = ws.engaged(
        session, advisor, UnitKind.UO21, engaged_on=DAY, today=DAY, in_dossier=b1.dossier
    )
    b2.types_service = ["identification_competences", "investigation_metiers"]
    b2.auto_prescription = False

    clock.set(paris(12, 16, 20))
    complaint(session, c, date(2025, 3, 10), "accueil", recorded_at=paris(12, 16, 20))
    clock.set(paris(12, 17, 5))
    session.add(
        Referral(
            complaint_id=old.id,
            operator_id=c.operator_id,
            referred_at=paris(10, 9),
            referred_by=ReferredBy.PERSON,
            channel=ReferralChannel.PORTAL,
            last_name="Lefèvre",
            first_name="Camille",
            access_requested_at=paris(12, 17, 5),
        )
    )
    session.flush()

    clock.set(paris(13, 11))  # the next day: not in the 12th's rows
    interaction(session, a, date(2025, 3, 13), "telephone", advisor)
    return {"a": a, "b1": b1, "b2": b2, "c": c, "e": e, "advisor": advisor, "other": other}


def person_columns(unit: Unit) -> dict[str, str]:
    """The identity columns, as the fixtures made them (ws.person)."""
    who = unit.dossier.beneficiary
    return {
        "identifiant_beneficiaire": str(who.id),
        "nom": "Lefèvre",
        "prenom": "Camille",
        "date_naissance": "1985-06-15",
        "structure": unit.dossier.site.name if unit.dossier.site else "",
        "email": who.email,
        "telephone": "+33612345678",
        # The Annex 2 profile of ws.PROFILE (issue 15 §1).
        "sexe": "F",
        "adresse_numero_voie": "12",
        "adresse_type_voie": "RUE",
        "adresse_nom_voie": "de la Soif",
        "adresse_commune": "Rennes",
        "adresse_code_postal": "35000",
        "entreprise_departement": "35",
        "entreprise_code_postal": "35170",
        "entreprise_commune": "Bruz",
        "handicap": "non",
        "niveau_formation": "niveau_4",
        "secteur_activite": "H",
        "taille_entreprise": "50_249",
        "categorie_sociale": "6",
        "libelle_secteur": "Logistique",
        "libelle_profession": "Préparatrice de commandes",
        "statut": "cdi",
        "entree_entreprise": "2013-09",
    }


def row(unit: Unit, code: str, **values: str) -> dict[str, str]:
    expected = dict.fromkeys(COLUMNS, "")
    expected.update(
        operateur=code,
        numero_dossier=unit.number,
        reference_bon_commande=unit.purchase_order_ref,
        origine="individuelle",
        motif="projet",
        motif_detaille="changer_metier",
        reclamation="non",
        mediateur_acces="non",
    )
    expected.update(person_columns(unit))
    expected.update(values)
    return expected


def expected_rows(d: dict[str, Any]) -> list[dict[str, str]]:
    at_1445 = {"date": "2025-03-12", "heure": "14:45:00", "timestamp": "1741787100"}
    return [
        row(
            d["e"],
            "11",
            date="2025-03-12",
            heure="11:00:00",
            timestamp="1741773600",
            uo="UO1",
            date_engagement="2025-03-12",
        ),
        row(
            d["b1"],
            "16",
            **at_1445,
            uo="UO1",
            date_engagement="2025-03-03",
            date_cloture="2025-03-11",
            motif_cloture="objectif_atteint",
            dates_interactions="2025-03-03|2025-03-10",
            modes_contact="presentiel|telephone",
        ),
        row(
            d["b2"],
            "16",
            **at_1445,
            uo="UO2.1",
            date_engagement="2025-03-12",
            types_service="identification_competences|investigation_metiers",
            auto_prescription="non",
        ),
        row(
            d["c"],
            "16",
            date="2025-03-12",
            heure="17:05:00",
            timestamp="1741795500",
            uo="UO1",
            date_engagement="2025-03-05",
            reclamation="oui",
            reclamation_dates="2025-03-04|2025-03-10",
            reclamation_motifs="delai_rendez_vous|accueil",
            reclamation_reponse_dates="2025-03-07|",
            mediateur_acces="oui",
            mediateur_acces_dates="2025-03-12",
        ),
        row(
            d["a"],
            "16",
            date="2025-03-12",
            heure="10:00:00",
            timestamp="1741770000",
            uo="UO1",
            date_engagement="2025-03-12",
            dates_interactions="2025-03-12",
            modes_contact="presentiel",
        ),
    ]


def rows_of(session: Session, *codes: str) -> list[dict[str, str]]:
    ids = [t.id for code in codes for t in targets(session, code)]
    return list(stream_rows(session, Period(DAY, DAY), ids))


def test_every_dossier_changed_that_day_gives_one_row_per_unit(
    session: Session, dataset: dict[str, Any]
) -> None:
    assert rows_of(session, "11", "16") == expected_rows(dataset)


def test_one_operator_gets_only_its_dossiers(session: Session, dataset: dict[str, Any]) -> None:
    assert rows_of(session, "16") == expected_rows(dataset)[1:]
    assert [r["numero_dossier"] for r in rows_of(session, "11")] == [dataset["e"].number]


def test_a_day_without_changes_gives_no_row(session: Session, dataset: dict[str, Any]) -> None:
    assert list(stream_rows(session, Period(date(2025, 3, 6), date(2025, 3, 6)), [1, 2])) == []


def test_columns_not_captured_yet_stay_empty(session: Session, dataset: dict[str, Any]) -> None:
    found = rows_of(session, "11", "16")
    assert {column for r in found for column in NOT_CAPTURED if r[column]} == set()
    assert list(found[0]) == list(COLUMNS)


def test_a_profile_saved_that_day_sends_its_dossier_with_the_profile(
    session: Session, clock: FrozenClock
) -> None:
    ws.ensure_orders(session, "16", (2025,))
    advisor = ws.staff(session, "16")
    clock.set(paris(5, 9))
    unit = ws.engaged(
        session, advisor, engaged_on=date(2025, 3, 5), today=date(2025, 3, 5), profile=False
    )
    assert rows_of(session, "16") == []  # nothing changed on the 12th yet
    clock.set(paris(12, 15, 30))
    session.add(
        DossierProfile(
            dossier_id=unit.dossier_id,
            sexe="M",
            statut="interim",
            entreprise_departement="00",  # an employer abroad (Annex 2)
            entreprise_commune="Genève",
            entree_entreprise=date(2024, 11, 1),
        )
    )
    session.flush()
    [found] = rows_of(session, "16")
    assert found["numero_dossier"] == unit.number
    assert (found["date"], found["heure"]) == ("2025-03-12", "15:30:00")
    assert found["sexe"] == "M"
    assert found["statut"] == "interim"
    assert found["entreprise_departement"] == "00"
    assert found["entreprise_commune"] == "Genève"
    assert found["entree_entreprise"] == "2024-11"
    assert found["adresse_commune"] == found["niveau_formation"] == ""


def test_csv_is_semicolon_separated_utf8_with_a_header(
    session: Session, dataset: dict[str, Any]
) -> None:
    body = b"".join(encode(iter(rows_of(session, "11")), "csv"))
    lines = body.decode("utf-8").split("\r\n")
    assert lines[0] == ";".join(COLUMNS)
    assert lines[0].startswith("operateur;numero_dossier;date;heure;timestamp;")
    assert lines[2] == ""  # one row, then the final line break
    parsed = list(csv.reader(io.StringIO(body.decode()), delimiter=";"))
    assert dict(zip(parsed[0], parsed[1], strict=True)) == expected_rows(dataset)[0]
    assert "Lefèvre" in lines[1]  # UTF-8, not escaped, no byte-order mark
    assert not body.startswith(b"\xef\xbb\xbf")


def test_json_lines_keep_the_column_order(session: Session, dataset: dict[str, Any]) -> None:
    body = b"".join(encode(iter(rows_of(session, "11", "16")), "json")).decode()
    objects = [json.loads(line) for line in body.splitlines()]
    assert objects == expected_rows(dataset)
    assert body.splitlines()[0].startswith('{"operateur":"11","numero_dossier":"')


def test_the_same_day_twice_gives_the_same_bytes(session: Session, dataset: dict[str, Any]) -> None:
    first = b"".join(encode(iter(rows_of(session, "11", "16")), "csv"))
    second = b"".join(encode(iter(rows_of(session, "11", "16")), "csv"))
    assert first == second
    assert first.count(b"\r\n") == 6


def test_rows_are_read_through_a_server_side_cursor(
    session: Session, dataset: dict[str, Any]
) -> None:
    cursors: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "WITH changed AS" in statement:
            cursors.append(type(cursor).__name__)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert len(rows_of(session, "16")) == 4
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert cursors == ["ServerCursor"]  # psycopg's named cursor: rows fetched in batches
