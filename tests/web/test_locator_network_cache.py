"""The locator's network held in memory per worker: a manager's edit of a site is on the very
next answer, in this worker and in any other, and a warm answer costs one SQL statement."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, event, select

from portal.auth.models import LoginAttempt
from portal.auth.services import hash_password
from portal.extensions import db
from portal.network.models import Operator, Site, SiteKind, StaffMember
from portal.network.snapshot import NetworkCache, NetworkSnapshot, cache_for, network_snapshot
from tests.conftest import make_app

PASSWORD = "un mot de passe de test assez long"
MANAGER = "manager@lot10.cep-demo.example"


@pytest.fixture(scope="module")
def manager_password(app: Flask) -> Iterator[None]:
    with app.app_context():
        member = db.session.scalar(select(StaffMember).where(StaffMember.email == MANAGER))
        assert member
        member.password_hash = hash_password(PASSWORD)
        db.session.commit()
    yield
    with app.app_context():
        member = db.session.scalar(select(StaffMember).where(StaffMember.email == MANAGER))
        assert member
        member.password_hash = None
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == MANAGER))
        db.session.commit()


@pytest.fixture
def manager(app: Flask, manager_password: None) -> FlaskClient:
    client = app.test_client()
    response = client.post("/pro/connexion", data={"email": MANAGER, "password": PASSWORD})
    assert response.status_code == 303
    return client


@pytest.fixture
def other_worker(app: Flask, database_url: str, tmp_path: Path) -> Iterator[FlaskClient]:
    """A second application on the same database: another gunicorn worker, its own cache."""
    second = make_app(database_url, tmp_path)
    yield second.test_client()
    with second.app_context():
        db.engine.dispose()


def a_site(app: Flask) -> Site:
    with app.app_context():
        site = db.session.scalars(
            select(Site)
            .join(Operator)
            .where(Operator.code == "10", Site.kind == SiteKind.AGENCE, Site.active.is_(True))
            .order_by(Site.id)
        ).first()
        assert site
        db.session.expunge(site)
        return site


def sites_near(client: FlaskClient, insee: str) -> dict[int, dict[str, Any]]:
    response = client.get(f"/api/v1/locate?commune={insee}")
    assert response.status_code == 200
    return {site["id"]: site for site in response.get_json()["sites"]}


def sunday(site: dict[str, Any]) -> list[tuple[str, str]]:
    return [(h["opens"], h["closes"]) for h in site["hours"] if h["weekday"] == 6]


def test_new_opening_hours_are_on_the_next_answer_in_every_worker(
    app: Flask, client: FlaskClient, manager: FlaskClient, other_worker: FlaskClient
) -> None:
    site = a_site(app)
    for worker in (client, other_worker):  # both caches warm, without Sunday hours
        assert sunday(sites_near(worker, site.commune_insee)[site.id]) == []
    added = manager.post(
        f"/pro/sites/{site.id}/horaires", data={"weekday": "6", "opens": "08:00", "closes": "09:30"}
    )
    assert added.status_code == 303
    for worker in (client, other_worker):
        assert sunday(sites_near(worker, site.commune_insee)[site.id]) == [("08:00", "09:30")]
    with app.app_context():
        hours_id = next(h.id for h in db.session.get_one(Site, site.id).hours if h.weekday == 6)
    removed = manager.post(f"/pro/sites/{site.id}/horaires/{hours_id}/suppression")
    assert removed.status_code == 303
    for worker in (other_worker, client):
        assert sunday(sites_near(worker, site.commune_insee)[site.id]) == []


def test_a_site_moved_by_its_manager_is_found_at_its_new_place_by_another_worker(
    app: Flask, client: FlaskClient, manager: FlaskClient, other_worker: FlaskClient
) -> None:
    site = a_site(app)
    brest = "29019"
    assert site.id not in sites_near(other_worker, brest)
    assert site.id in sites_near(other_worker, site.commune_insee)
    form = {
        "name": site.name,
        "kind": site.kind,
        "street": site.street,
        "postal_code": "29200",
        "commune_name": "Brest",
        "offers_presentiel": "y",
        "offers_telephone": "y",
        "offers_visio": "y",
        "step_free_access": "y",
        "access_note": site.access_note,
        "phone": "02 99 00 13 13",
        "email": site.email,
        "active": "y",
    }
    try:
        assert manager.post(f"/pro/sites/{site.id}", data=form).status_code == 303
        moved = sites_near(other_worker, brest)[site.id]
        assert moved["commune"] == "Brest" and moved["distance_km"] == 0.0
        assert moved["phone"] == "02 99 00 13 13"
        assert site.id in sites_near(client, brest)
    finally:
        with app.app_context():
            back = db.session.get_one(Site, site.id)
            for name in ("postal_code", "commune_insee", "commune_name", "phone"):
                setattr(back, name, getattr(site, name))
            back.latitude, back.longitude = site.latitude, site.longitude
            db.session.commit()
    assert site.id not in sites_near(other_worker, brest)


def test_a_site_closed_for_good_leaves_the_answer_at_once(
    app: Flask, client: FlaskClient, other_worker: FlaskClient
) -> None:
    site = a_site(app)
    assert site.id in sites_near(other_worker, site.commune_insee)
    with app.app_context():
        db.session.get_one(Site, site.id).active = False
        db.session.commit()
    try:
        assert site.id not in sites_near(other_worker, site.commune_insee)
        assert site.id not in sites_near(client, site.commune_insee)
    finally:
        with app.app_context():
            db.session.get_one(Site, site.id).active = True
            db.session.commit()
    assert site.id in sites_near(other_worker, site.commune_insee)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        # SQLite's BEGIN is transaction control sent by `portal.db` (PostgreSQL's never
        # reaches the cursor events); it costs no round trip.
        if not str(args[2]).startswith("BEGIN"):
            seen.append(str(args[2]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/locate?postal_code=35400",
        "/api/v1/locate?postal_code=60200&work_postal_code=75008",
        "/api/v1/locate?postal_code=97300",
        "/lieux?home=Brest&work=Lille",
    ],
)
def test_a_warm_locate_answer_costs_one_sql_statement(
    app: Flask, client: FlaskClient, url: str
) -> None:
    assert client.get(url).status_code == 200  # warms the worker's network
    with app.app_context():
        cache = cache_for(db.session)
    for _ in range(3):
        checks = cache.version_checks
        with statements(app) as seen:
            response = client.get(url)
        assert response.status_code == 200
        # The version check goes to the driver's cursor, unseen by the engine's events.
        assert seen == []
        assert cache.version_checks == checks + 1


def test_a_change_rolled_back_never_reaches_an_answer(app: Flask, client: FlaskClient) -> None:
    site = a_site(app)
    assert sites_near(client, site.commune_insee)[site.id]["phone"] == site.phone
    with app.app_context():
        changed = db.session.get_one(Site, site.id)
        changed.phone = "02 00 00 00 00"
        db.session.flush()  # the trigger gives the version a new value, inside the transaction
        snapshot = network_snapshot(db.session)  # read through that transaction, and cached
        assert snapshot.sites[site.id].phone == "02 00 00 00 00"
        db.session.rollback()
    assert sites_near(client, site.commune_insee)[site.id]["phone"] == site.phone


def test_threads_of_a_worker_share_one_reload(app: Flask) -> None:
    with app.app_context():
        cache = NetworkCache(db.engine)
    start = threading.Barrier(8)

    def read() -> NetworkSnapshot:
        with app.app_context():
            start.wait()
            return cache.get(db.session)

    with ThreadPoolExecutor(8) as pool:
        snapshots = list(pool.map(lambda _: read(), range(8)))
    assert cache.loads == 1
    assert all(snapshot is snapshots[0] for snapshot in snapshots)
    assert len(snapshots[0].sites) > 700
