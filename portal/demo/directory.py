"""Demo directory of complementary services: for every demo operator, 8 to 12 fictional
organisations of its region, in the communes of its sites, covering every service a person
may wish (formation, bilan de compétences, VAE, création d'entreprise, autre), one of them
the operator's own (« organisme du titulaire »).

Deterministic (no randomness, no clock). Phone numbers are in the range ARCEP keeps for
fiction (01 99 00 xx xx) and addresses end in .cep-demo.example (RFC 2606).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.directory.models import Provider, ProviderService
from portal.geo.gazetteer import normalise
from portal.network.models import Operator, Site

FORMATION = "formation"
BILAN = "bilan_competences"
VAE = "vae"
CREATION = "creation_entreprise"
AUTRE = "autre"

# (name pattern, services, is the operator's own). `{commune}` is a commune of the lot's
# sites; the first eight already cover every service, so every lot lists each of them.
PROVIDERS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Centre de formation {commune}", (FORMATION,), False),
    ("Formation et bilans — groupe de l'opérateur CEP", (FORMATION, BILAN), True),
    ("Cabinet de bilan {commune}", (BILAN, VAE), False),
    ("Maison de la création d'entreprise de {commune}", (CREATION,), False),
    ("Association Mobilité solidaire {commune}", (AUTRE,), False),
    ("Centre de validation des acquis de {commune}", (VAE,), False),
    ("Couveuse d'entreprises {commune}", (CREATION, FORMATION), False),
    ("Atelier santé et travail {commune}", (AUTRE,), False),
    ("Institut régional de formation professionnelle {commune}", (FORMATION, VAE), False),
    ("Cabinet Orientation et compétences {commune}", (BILAN,), False),
    ("Centre de formation aux métiers du numérique {commune}", (FORMATION,), False),
    ("Cabinet de bilan Horizon {commune}", (BILAN, VAE), False),
)
MIN_PER_LOT = 8


def providers_for_lot(lot_number: int) -> int:
    """8 to 12 organisations, varying from one lot to the next."""
    return MIN_PER_LOT + lot_number % (len(PROVIDERS) - MIN_PER_LOT + 1)


def _places(session: Session, operator: Operator) -> list[tuple[str, str]]:
    """(commune, postal code) of the operator's sites, each commune once, in site order."""
    places: dict[str, str] = {}
    for site in session.scalars(
        select(Site).where(Site.operator_id == operator.id).order_by(Site.id)
    ):
        places.setdefault(site.commune_name, site.postal_code)
    return list(places.items()) or [("", "")]


def add_demo_directory(session: Session) -> int:
    added = 0
    for operator in session.scalars(select(Operator).order_by(Operator.id)):
        places = _places(session, operator)
        lot = f"lot{operator.lot_number:02d}"
        for index, (pattern, services, own) in enumerate(
            PROVIDERS[: providers_for_lot(operator.lot_number)]
        ):
            commune, postal_code = places[index % len(places)]
            name = pattern.format(commune=commune).strip()
            slug = "-".join(normalise(pattern.format(commune="")).split()[:4])
            provider = Provider(
                operator_id=operator.id,
                name=name,
                commune_name=commune,
                postal_code=postal_code,
                website=f"https://{slug}.{lot}.cep-demo.example/",
                phone=f"01 99 00 {operator.lot_number:02d} {60 + index:02d}",
                email=f"contact@{slug}.{lot}.cep-demo.example",
                is_operator=own,
                service_rows=[ProviderService(service_code=code) for code in services],
            )
            session.add(provider)
            added += 1
    session.flush()
    return added
