"""`flask cep export-annex2` and GET /api/v1/annex2 on committed rows (issue 15 §4).

The day is Wednesday 17 June 2026 (Paris is UTC+2), operator 07: dossier Y (UO1 engaged on
1 June, signed and closed on the 17th, its livrable sealed at 14:00) and dossier X (UO1
engaged on the 17th at 10:30). The rows stay in the throwaway database.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import text

from portal import clock as portal_clock
from portal.advisor.models import ClosureKind, UnitStatus
from portal.esign.models import SealedDocument
from portal.extensions import db
from portal.livrables.models import Livrable, LivrableKind, LivrableStatus, LivrableVersion
from portal.reporting.annex2_columns import COLUMNS
from portal.reporting.annex2_files import export_day, targets
from tests import workspace_data as ws

DAY = "2026-06-17"
SEALED = b"%PDF-1.7 the sealed copy"


def cli(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["cep", *args])


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of June 2026 given in Paris time (UTC+2 then)."""
    return datetime(2026, 6, day, hour - 2, minute, tzinfo=UTC)


@pytest.fixture(scope="module")
def dossiers(app: Flask) -> Iterator[dict[str, Any]]:
    moment = [at(1, 9)]
    with app.app_context(), portal_clock.frozen(lambda: moment[0]):
        session = db.session
        ws.ensure_orders(session, "07", (2026,))
        advisor = ws.staff(session, "07")
        y = ws.engaged(session, advisor, engaged_on=date(2026, 6, 1), today=date(2026, 6, 1))
        moment[0] = at(17, 10, 30)
        x = ws.engaged(session, advisor, engaged_on=date(2026, 6, 17), today=date(2026, 6, 17))
        moment[0] = at(17, 14)
        y.status, y.closed_on, y.closure_kind = (
            UnitStatus.CLOSED,
            date(2026, 6, 17),
            ClosureKind.SIGNED,
        )
        y.motif_cloture = "objectif_atteint"
        livrable = Livrable(
            unit_id=y.id, kind=LivrableKind.ETAT_DES_LIEUX, status=LivrableStatus.SIGNED
        )
        session.add(livrable)
        session.flush()
        for number, voided in ((1, at(16, 9)), (2, None)):
            session.add(
                LivrableVersion(
                    livrable_id=livrable.id,
                    number=number,
                    content={},
                    content_sha256="0" * 64,
                    pdf=f"%PDF-1.4 version {number}".encode(),
                    frozen_at=at(16, 9),
                    frozen_by_id=advisor.id,
                    voided_at=voided,
                )
            )
        session.flush()
        session.add(
            SealedDocument(
                version_id=livrable.versions[-1].id,
                pdf=SEALED,
                sha256=hashlib.sha256(SEALED).hexdigest(),
                message_digest=hashlib.sha512(str(y.id).encode()).hexdigest(),
                certificate_sha256="1" * 64,
                sealed_at=at(17, 14),
                timestamp="server",
                chain_length=1,
                chain_head="2" * 64,
            )
        )
        session.commit()
        found = {
            "x": x.number,
            "y": y.number,
            "x_ref": x.purchase_order_ref,
            "y_ref": y.purchase_order_ref,
            "email": x.dossier.beneficiary.email,
        }
    yield found


def test_the_command_writes_the_file_the_livrable_and_the_manifest(
    app: Flask, dossiers: dict[str, Any], tmp_path: Path
) -> None:
    result = cli(app, "export-annex2", "--day", DAY, "--operator", "07", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    pdf = f"annex2-07-{DAY}-{dossiers['y']}-v2.pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"annex2-07-{DAY}.csv", pdf, f"manifest-{DAY}.json"]
    )
    assert (tmp_path / pdf).read_bytes() == SEALED  # the sealed copy, not the version's PDF
    lines = (tmp_path / f"annex2-07-{DAY}.csv").read_bytes().decode().split("\r\n")
    assert lines[0] == ";".join(COLUMNS)
    assert len(lines) == 4 and lines[3] == ""
    y, x = (dict(zip(COLUMNS, line.split(";"), strict=True)) for line in lines[1:3])
    assert (y["numero_dossier"], y["date"], y["heure"], y["timestamp"]) == (
        dossiers["y"],
        DAY,
        "14:00:00",
        "1781697600",
    )
    assert (y["date_engagement"], y["date_cloture"], y["motif_cloture"]) == (
        "2026-06-01",
        DAY,
        "objectif_atteint",
    )
    assert y["livrable_fichier"] == pdf
    assert y["reference_bon_commande"] == dossiers["y_ref"]
    assert (x["numero_dossier"], x["heure"], x["timestamp"], x["email"]) == (
        dossiers["x"],
        "10:30:00",
        "1781685000",
        dossiers["email"],
    )
    manifest = json.loads((tmp_path / f"manifest-{DAY}.json").read_text())
    assert manifest["day"] == DAY
    for entry in manifest["files"]:
        data = (tmp_path / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    assert {e["name"]: e["rows"] for e in manifest["files"]} == {
        f"annex2-07-{DAY}.csv": 2,
        pdf: 0,
    }


def test_the_same_day_twice_gives_identical_bytes(
    app: Flask, dossiers: dict[str, Any], tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        assert cli(app, "export-annex2", "--day", DAY, "--output", str(folder)).exit_code == 0
    names = sorted(p.name for p in first.iterdir())
    assert len(names) == 18 + 2  # one file per operator, the livrable, the manifest
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    stdout = cli(app, "export-annex2", "--day", DAY, "--operator", "07")
    assert stdout.exit_code == 0
    assert stdout.stdout_bytes == (first / f"annex2-07-{DAY}.csv").read_bytes()


def test_two_concurrent_runs_leave_one_export(
    app: Flask, dossiers: dict[str, Any], tmp_path: Path
) -> None:
    reference, shared = tmp_path / "reference", tmp_path / "shared"
    assert cli(app, "export-annex2", "--day", DAY, "--operator", "07", "--output", str(reference))
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                chosen = targets(db.session, "07")
                start.wait()
                export_day(db.session, date(2026, 6, 17), chosen, "csv", shared)
                db.session.rollback()
        except BaseException as failed:  # reported below
            failures.append(failed)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert sorted(p.name for p in shared.iterdir()) == sorted(p.name for p in reference.iterdir())
    for path in reference.iterdir():
        assert (shared / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--day", "17/06/2026"], "YYYY-MM-DD"),
        (["--day", "2026-6-17"], "YYYY-MM-DD"),
        (["--day", "2099-01-01"], "not over yet"),
        (["--day", DAY, "--operator", "ZZ"], "no operator has the code 'ZZ'"),
        (["--day", DAY, "--format", "xml"], "xml"),
    ],
)
def test_bad_input_fails_and_writes_nothing(
    app: Flask, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = cli(app, "export-annex2", *args, "--output", str(out))
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()


def test_today_is_not_over_yet(app: Flask, tmp_path: Path) -> None:
    with portal_clock.frozen(lambda: at(18, 12)):
        result = cli(app, "export-annex2", "--day", "2026-06-18", "--output", str(tmp_path))
    assert result.exit_code != 0
    assert "not over yet" in result.output
    assert list(tmp_path.iterdir()) == []


def token(app: Flask, name: str) -> str:
    made = cli(app, "create-api-token", "--name", name)
    assert made.exit_code == 0, made.output
    return made.output.strip()


def test_the_api_serves_the_same_bytes_to_a_good_token(
    app: Flask, dossiers: dict[str, Any], tmp_path: Path
) -> None:
    secret = token(app, "si-france-competences")
    assert cli(app, "create-api-token", "--name", "si-france-competences").exit_code != 0
    cli(app, "export-annex2", "--day", DAY, "--operator", "07", "--output", str(tmp_path))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    answer = client.get(f"/api/v1/annex2?day={DAY}&operator=07", headers=headers)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.data == (tmp_path / f"annex2-07-{DAY}.csv").read_bytes()
    lines = client.get(f"/api/v1/annex2?day={DAY}&operator=07&format=json", headers=headers)
    assert [json.loads(line)["numero_dossier"] for line in lines.data.splitlines()] == [
        dossiers["y"],
        dossiers["x"],
    ]
    everyone = client.get(f"/api/v1/annex2?day={DAY}", headers=headers)
    assert everyone.status_code == 200
    assert everyone.data.count(dossiers["x"].encode()) == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "AAAA-MM-JJ"),
        ("day=2026-13-01", "AAAA-MM-JJ"),
        ("day=2099-01-01", "pas encore terminé"),
        (f"day={DAY}&operator=ZZ", "ZZ"),
        (f"day={DAY}&format=xml", "csv ou json"),
    ],
)
def test_the_api_explains_bad_parameters(app: Flask, query: str, message: str) -> None:
    secret = token(app, f"essai-{uuid.uuid4().hex[:8]}")
    answer = app.test_client().get(
        f"/api/v1/annex2?{query}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 400
    assert message in answer.get_json()["message"]


def test_the_api_refuses_a_missing_unknown_or_revoked_token(app: Flask) -> None:
    secret = token(app, "revoked-soon")
    client = app.test_client()
    url = f"/api/v1/annex2?day={DAY}"
    assert client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert cli(app, "revoke-api-token", "--name", "revoked-soon").exit_code == 0
    for headers in ({"Authorization": f"Bearer {secret}"}, {}, {"Authorization": "Bearer x"}):
        answer = client.get(url, headers=headers)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert cli(app, "revoke-api-token", "--name", "nobody").exit_code != 0


@pytest.mark.parametrize(
    "query",
    [
        {"day": "\x00"},
        {"day": DAY, "operator": "\x00"},
        {"day": DAY, "operator": "0\x00"},
        {"day": "9" * 5000},
        {"day": "2026-06-17T10:00"},
        {"day": DAY, "format": "\u202ejson"},
        {"day": DAY, "operator": "é7"},
    ],
)
def test_sharp_values_get_a_400_never_a_server_error(app: Flask, query: dict[str, str]) -> None:
    secret = token(app, f"sharp-{uuid.uuid4().hex[:8]}")
    answer = app.test_client().get(
        "/api/v1/annex2", query_string=query, headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 400
    assert answer.get_json()["result"] == "invalid"


KEY = "hashtext('annex2:07:' || :d)"  # the lock of operator 07 and the day


def test_a_run_waits_while_another_host_holds_the_operator_and_day(
    app: Flask, dossiers: dict[str, Any], tmp_path: Path
) -> None:
    with app.app_context():
        holder = db.engine.connect()
        holder.execute(text(f"SELECT pg_advisory_lock({KEY})"), {"d": DAY})
        done = threading.Event()

        def run() -> None:
            with app.app_context():
                chosen = targets(db.session, "07")
                export_day(db.session, date(2026, 6, 17), chosen, "csv", tmp_path)
                db.session.rollback()
            done.set()

        thread = threading.Thread(target=run)
        thread.start()
        try:
            assert not done.wait(1.5)  # blocked on the other host's lock
            assert not (tmp_path / f"annex2-07-{DAY}.csv").exists()
        finally:
            holder.execute(text(f"SELECT pg_advisory_unlock({KEY})"), {"d": DAY})
            holder.close()
        thread.join(60)
    assert done.is_set()
    assert (tmp_path / f"annex2-07-{DAY}.csv").exists()
