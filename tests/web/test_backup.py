"""`flask cep backup` and `flask cep restore-check`, on the test suite's real PostgreSQL and
on a fresh SQLite file: a dump is written with its manifest, restores whole, and any change to
the file, to the manifest's figures or to the live evidence afterwards is reported with a
non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from portal.backup.check import live_extends
from portal.backup.manifest import Manifest, manifest_path
from portal.clock import today_in_france
from portal.extensions import db
from tests.conftest import make_app
from tests.esign_data import signed_version
from tests.workspace_data import staff


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["cep", *args])
    return result.exit_code, result.output  # stdout and stderr, as a person reads them


def backup(app: Flask, folder: Path) -> Path:
    code, output = run(app, "backup", "--output", str(folder))
    assert code == 0, output
    dump = Path(output.splitlines()[0])
    assert dump.parent == folder and dump.name.endswith(".dump")
    return dump


def test_a_postgresql_backup_restores_whole(app: Flask, tmp_path: Path) -> None:
    dump = backup(app, tmp_path)
    manifest = json.loads(manifest_path(dump).read_text())
    assert manifest["dialect"] == "postgresql"
    assert manifest["counts"]["operator"] == 18  # the demo network
    code, output = run(app, "restore-check", str(dump))
    assert code == 0, output
    assert "restored and checked" in output
    assert f"{sum(manifest['counts'].values())} rows" in output


def test_a_changed_dump_is_refused(app: Flask, tmp_path: Path) -> None:
    dump = backup(app, tmp_path)
    with dump.open("ab") as stream:
        stream.write(b"\0")
    code, output = run(app, "restore-check", str(dump))
    assert code != 0
    assert "SHA-256" in output


def test_a_count_that_differs_from_the_manifest_is_named(app: Flask, tmp_path: Path) -> None:
    dump = backup(app, tmp_path)
    path = manifest_path(dump)
    manifest = json.loads(path.read_text())
    manifest["counts"]["site"] += 1
    path.write_text(json.dumps(manifest))
    code, output = run(app, "restore-check", str(dump))
    assert code != 0
    assert "site:" in output and "rows restored" in output


def test_a_missing_file_is_a_clear_error(app: Flask, tmp_path: Path) -> None:
    code, output = run(app, "restore-check", str(tmp_path / "none.dump"))
    assert code != 0
    assert "missing" in output


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Flask:
    instance = tmp_path / "instance"
    instance.mkdir()
    app = make_app(f"sqlite:///{tmp_path / 'portal.sqlite3'}", instance)
    code, output = run(app, "upgrade")
    assert code == 0, output
    code, output = run(app, "seed-demo")
    assert code == 0, output
    return app


def test_a_sqlite_backup_restores_whole(sqlite_app: Flask, tmp_path: Path) -> None:
    dump = backup(sqlite_app, tmp_path / "backups")
    assert json.loads(manifest_path(dump).read_text())["dialect"] == "sqlite"
    code, output = run(sqlite_app, "restore-check", str(dump))
    assert code == 0, output
    assert "evidence chains intact" in output


def test_the_evidence_is_restored_and_still_the_start_of_the_live_chain(
    app: Flask, tmp_path: Path
) -> None:
    with app.app_context():
        version = signed_version(db.session, staff(db.session, "16"), today_in_france())
        db.session.commit()
        version_id = version.id
    dump = backup(app, tmp_path)
    manifest = Manifest.read(manifest_path(dump))
    length, head = manifest.chains[str(version_id)]
    assert isinstance(length, int) and length >= 4  # printed, signed twice, scanned, sealed…
    code, output = run(app, "restore-check", str(dump))
    assert code == 0, output
    # A backup whose chain the live database no longer starts with is named.
    manifest.chains[str(version_id)] = [length, "f" * 64]
    with app.app_context():
        problems = live_extends(db.engine, manifest)
    assert problems == [
        f"chain of version {version_id}: event #{length} of the live database "
        "is not the one backed up"
    ]
    assert head != "f" * 64
