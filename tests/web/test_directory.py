"""The regional directory of complementary services and the purchase orders, through the test
client: who reads and who changes them, the neutral list per service, the manager's forms
keeping what was typed, and the demo directory."""

from __future__ import annotations

import html as htmllib
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.advisor.models import PurchaseOrder, UnitKind
from portal.clock import today_in_france
from portal.directory.models import Provider, ProviderService
from portal.extensions import db
from portal.network.models import Operator, StaffRole
from tests import workspace_data as ws

HX = {"HX-Request": "true"}


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


def signed_in(app: Flask, code: str, role: StaffRole) -> FlaskClient:
    with app.app_context():
        email = ws.staff(db.session, code, role).email
        db.session.commit()
    return ws.sign_in(app.test_client(), email)


def provider(
    app: Flask, code: str, name: str, services: tuple[str, ...], *, active: bool = True
) -> int:
    with app.app_context():
        row = Provider(
            operator_id=ws.operator(db.session, code).id,
            name=name,
            commune_name="Quelque part",
            active=active,
        )
        row.service_rows = [ProviderService(service_code=s) for s in services]
        db.session.add(row)
        db.session.commit()
        return row.id


def names_offering(app: Flask, code: str, service: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Provider.name)
                .join(ProviderService)
                .join(Operator, Operator.id == Provider.operator_id)
                .where(
                    Operator.code == code,
                    Provider.active.is_(True),
                    ProviderService.service_code == service,
                )
            )
        )


# --- The directory ----------------------------------------------------------------------------


def test_an_advisor_reads_every_provider_of_the_region_for_a_service(app: Flask) -> None:
    provider(app, "10", "Validation Armor (autre opérateur)", ("vae",))
    provider(app, "16", "Ancien centre VAE désactivé", ("vae",), active=False)
    expected = names_offering(app, "16", "vae")
    assert len(expected) >= 3
    advisor = signed_in(app, "16", StaffRole.ADVISOR)
    page = advisor.get("/pro/annuaire?service=vae")
    assert page.status_code == 200
    shown = text_of(page.data)
    for name in expected:
        assert name in shown
    assert "Validation Armor" not in shown
    assert "Ancien centre VAE désactivé" not in shown
    positions = [shown.index(name) for name in sorted(expected, key=str.casefold)]
    assert positions == sorted(positions)
    # Advisors read; only managers change the directory.
    assert "Ajouter un organisme" not in shown
    assert "Désactiver" not in shown
    assert advisor.get("/pro/annuaire/nouveau").status_code == 404

    fragment = advisor.get("/pro/annuaire?service=vae", headers=HX)
    assert "<html" not in fragment.data.decode()
    assert 'id="provider-list"' in fragment.data.decode()
    assert "HX-Request" in fragment.headers["Vary"]


def test_a_manager_adds_a_provider_and_mistakes_keep_what_was_typed(app: Flask) -> None:
    manager = signed_in(app, "16", StaffRole.MANAGER)
    refused = manager.post(
        "/pro/annuaire/nouveau",
        data={
            "name": "",
            "commune_name": "Corte",
            "postal_code": "2025",
            "email": "accueil-at-exemple.fr",
            "website": "https://bilan-corte.example/",
        },
    )
    assert refused.status_code == 422
    body = text_of(refused.data)
    assert "Indiquez le nom de l'organisme." in body
    assert "Un code postal compte 5 chiffres." in body
    assert "Indiquez une adresse e-mail complète" in body
    assert "Cochez au moins un service." in body
    html = refused.data.decode()
    assert 'value="Corte"' in html and 'value="accueil-at-exemple.fr"' in html
    assert 'value="https://bilan-corte.example/"' in html

    data = {
        "name": "Bilan Corte Centre",
        "commune_name": "Corte",
        "postal_code": "20250",
        "services": ["bilan_competences", "vae"],
        "is_operator": "y",
    }
    created = manager.post("/pro/annuaire/nouveau", data=data)
    assert created.status_code == 303
    listed = text_of(manager.get("/pro/annuaire?service=bilan_competences").data)
    assert "Bilan Corte Centre" in listed
    assert "organisme du titulaire" in listed
    with app.app_context():
        row = db.session.scalar(select(Provider).where(Provider.name == "Bilan Corte Centre"))
        assert row is not None and row.services == ["bilan_competences", "vae"]
        assert row.is_operator

    # The same organisation twice in the same commune is refused, next to its name.
    again = manager.post("/pro/annuaire/nouveau", data={**data, "name": "bilan corte centre"})
    assert again.status_code == 422
    assert "figure déjà dans l'annuaire" in text_of(again.data)


def test_a_manager_edits_and_deactivates_a_provider(app: Flask) -> None:
    provider_id = provider(app, "16", "Atelier Mobilité Calvi", ("autre",))
    manager = signed_in(app, "16", StaffRole.MANAGER)
    form = manager.get(f"/pro/annuaire/{provider_id}")
    assert form.status_code == 200
    assert 'value="Atelier Mobilité Calvi"' in form.data.decode()
    changed = manager.post(
        f"/pro/annuaire/{provider_id}",
        data={
            "name": "Atelier Mobilité Calvi",
            "commune_name": "Calvi",
            "services": ["autre", "formation"],
        },
    )
    assert changed.status_code == 303
    assert "Atelier Mobilité Calvi" in names_offering(app, "16", "formation")

    off = manager.post(f"/pro/annuaire/{provider_id}/activation")
    assert off.status_code == 303
    assert "Atelier Mobilité Calvi" not in names_offering(app, "16", "formation")
    page = text_of(manager.get("/pro/annuaire").data)
    assert "Organismes désactivés" in page
    assert "n'est plus proposé aux personnes" in page  # the flash


def test_a_provider_of_another_operator_answers_404(app: Flask) -> None:
    provider_id = provider(app, "10", "Cabinet de Rennes", ("bilan_competences",))
    manager = signed_in(app, "16", StaffRole.MANAGER)
    assert manager.get(f"/pro/annuaire/{provider_id}").status_code == 404
    data = {"name": "Pris", "commune_name": "Bastia", "services": "vae"}
    assert manager.post(f"/pro/annuaire/{provider_id}", data=data).status_code == 404
    assert manager.post(f"/pro/annuaire/{provider_id}/activation").status_code == 404
    for role in (StaffRole.MEDIATOR, StaffRole.FRANCE_COMPETENCES):
        assert signed_in(app, "16", role).get("/pro/annuaire").status_code == 404


def test_every_demo_operator_has_a_neutral_directory(app: Flask) -> None:
    with app.app_context():
        operators = db.session.scalars(select(Operator)).all()
        for operator in operators:
            rows = db.session.scalars(
                select(Provider).where(
                    Provider.operator_id == operator.id,
                    Provider.email.like("%.cep-demo.example"),
                )
            ).all()
            assert 8 <= len(rows) <= 12, operator.code
            assert sum(p.is_operator for p in rows) == 1
            offered = {code for p in rows for code in p.services}
            assert offered == {
                "formation",
                "bilan_competences",
                "vae",
                "creation_entreprise",
                "autre",
            }
            assert all(p.phone.startswith("01 99 00 ") for p in rows)


# --- Purchase orders --------------------------------------------------------------------------


def test_a_manager_adds_a_purchase_order_and_a_taken_number_is_refused(app: Flask) -> None:
    year = today_in_france().year - 1
    manager = signed_in(app, "16", StaffRole.MANAGER)
    page = manager.get("/pro/bons-de-commande")
    assert page.status_code == 200
    assert "AAAA-Lotww-UOxx-yy-zzzzz" in text_of(page.data)
    data = {
        "year": str(year),
        "kind": UnitKind.UO21.value,
        "number": "2",
        "quantity": "40",
        "issued_on": f"{year}-06-01",
    }
    added = manager.post("/pro/bons-de-commande", data=data)
    assert added.status_code == 303
    listed = text_of(manager.get("/pro/bons-de-commande").data)
    assert "Bon de commande enregistré : UO2.1" in listed
    assert f"{year}-Lot16-UO2.1-02-00001" in listed  # the next reference on it

    taken = manager.post("/pro/bons-de-commande", data={**data, "quantity": "55"})
    assert taken.status_code == 422
    assert f"Le bon n° 02 de {year} pour l'UO2.1 est déjà enregistré" in text_of(taken.data)
    assert 'value="55"' in taken.data.decode()
    with app.app_context():
        count = db.session.scalar(
            select(func.count(PurchaseOrder.id)).where(
                PurchaseOrder.operator_id == ws.operator(db.session, "16").id,
                PurchaseOrder.year == year,
                PurchaseOrder.kind == UnitKind.UO21,
                PurchaseOrder.number == 2,
            )
        )
        assert count == 1


def test_an_order_running_low_is_flagged_and_bad_numbers_refused(app: Flask) -> None:
    year = today_in_france().year - 1
    with app.app_context():
        db.session.add(
            PurchaseOrder(
                operator_id=ws.operator(db.session, "16").id,
                year=year,
                kind=UnitKind.UO22,
                number=5,
                quantity=100,
                consumed=95,
                issued_on=today_in_france().replace(year=year, month=1, day=3),
            )
        )
        db.session.commit()
    manager = signed_in(app, "16", StaffRole.MANAGER)
    assert "Moins de 10 % restants" in text_of(manager.get("/pro/bons-de-commande").data)
    refused = manager.post(
        "/pro/bons-de-commande",
        data={"year": str(year), "kind": "22", "number": "100", "quantity": "0", "issued_on": ""},
    )
    assert refused.status_code == 422
    body = text_of(refused.data)
    assert "Indiquez un numéro de 1 à 99." in body
    assert "Indiquez une quantité de 1 à 99999." in body
    assert "Indiquez une date" in body


def test_purchase_orders_are_for_managers_only(app: Flask) -> None:
    for role in (StaffRole.ADVISOR, StaffRole.MEDIATOR, StaffRole.FRANCE_COMPETENCES):
        assert signed_in(app, "16", role).get("/pro/bons-de-commande").status_code == 404


def test_an_order_with_unreadable_figures_is_explained(app: Flask) -> None:
    manager = signed_in(app, "16", StaffRole.MANAGER)
    refused = manager.post(
        "/pro/bons-de-commande",
        data={"year": "deux mille", "kind": "01", "number": "1", "quantity": "beaucoup"},
    )
    assert refused.status_code == 422
    body = text_of(refused.data)
    assert "Indiquez l'année, par exemple 2026." in body
    assert "Indiquez la quantité en chiffres" in body
    assert 'value="deux mille"' in refused.data.decode()
    old = manager.post(
        "/pro/bons-de-commande",
        data={
            "year": "1999",
            "kind": "01",
            "number": "3",
            "quantity": "5",
            "issued_on": "1999-01-04",
        },
    )
    assert old.status_code == 422
    assert "Indiquez une année de 2019 à" in text_of(old.data)
