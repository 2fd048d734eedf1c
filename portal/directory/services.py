"""The regional directory of complementary services: reading it, and the manager's changes.

CCTP 2.1.3 and CCAP 19.3.4: when a person wishes a service, the operator lists **all** the
organisations of the region that offer it, and the person chooses. So the list for a service
is every active provider of the operator's directory offering it, in alphabetical order,
with nothing put forward — the operator's own organisation (`is_operator`) included, but not
first and not highlighted. Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.advisor import reference_data as ref
from portal.advisor.reference import items
from portal.directory.models import Provider, ProviderService
from portal.geo.gazetteer import normalise


class DirectoryErrorCode(StrEnum):
    NO_SERVICE = "no_service"  # a provider offers at least one service
    UNKNOWN_SERVICE = "unknown_service"  # not a code of the « prestation » table
    DUPLICATE = "duplicate"  # same name in the same commune already listed


class DirectoryError(Exception):
    def __init__(self, code: DirectoryErrorCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ProviderDetails:
    """What a manager edits about an organisation of the directory."""

    name: str
    commune_name: str
    postal_code: str
    website: str
    phone: str
    email: str
    note: str
    is_operator: bool
    services: tuple[str, ...]

    @classmethod
    def of(cls, provider: Provider) -> ProviderDetails:
        values = {f.name: getattr(provider, f.name) for f in fields(cls) if f.name != "services"}
        return cls(**values, services=tuple(provider.services))


# --- Reading ----------------------------------------------------------------------------------


def service_codes(session: Session) -> list[str]:
    """The services a person may wish: the « prestation » table without « aucune »."""
    return [item.code for item in items(session, ref.PRESTATION) if item.code not in ref.NONE_CODES]


def alphabetical(providers: list[Provider]) -> list[Provider]:
    """By name as people read it (accents and case ignored), whoever the provider is."""
    return sorted(providers, key=lambda p: (normalise(p.name), p.name, p.id))


def operator_providers(
    session: Session, operator_id: int, *, service: str | None = None, active: bool | None = True
) -> list[Provider]:
    """The operator's directory, alphabetical; `active=None` lists every provider."""
    query = (
        select(Provider)
        .where(Provider.operator_id == operator_id)
        .options(selectinload(Provider.service_rows))
    )
    if active is not None:
        query = query.where(Provider.active.is_(active))
    if service:
        query = query.where(
            Provider.id.in_(
                select(ProviderService.provider_id).where(ProviderService.service_code == service)
            )
        )
    return alphabetical(list(session.scalars(query)))


def providers_offering(session: Session, operator_id: int, service: str) -> list[Provider]:
    """CCTP 2.1.3: all the active providers of the region offering this service."""
    return operator_providers(session, operator_id, service=service, active=True)


def snapshot(provider: Provider) -> dict[str, Any]:
    """A provider as listed in a livrable (`services[].providers`): what the person was shown,
    kept even if the directory changes later."""
    return {
        "id": provider.id,
        "name": provider.name,
        "commune": provider.commune_name,
        "postal_code": provider.postal_code,
        "website": provider.website,
        "phone": provider.phone,
        "email": provider.email,
        "is_operator": provider.is_operator,
    }


# --- Changes ----------------------------------------------------------------------------------


def create_provider(session: Session, *, operator_id: int, details: ProviderDetails) -> Provider:
    _check(session, operator_id, details, provider_id=None)
    provider = Provider(operator_id=operator_id)
    _apply(provider, details)
    session.add(provider)
    session.flush()
    return provider


def update_provider(session: Session, provider: Provider, details: ProviderDetails) -> bool:
    """Apply the manager's changes; False when nothing changed."""
    if details == ProviderDetails.of(provider):
        return False
    _check(session, provider.operator_id, details, provider_id=provider.id)
    _apply(provider, details)
    session.flush()
    return True


def set_provider_active(session: Session, provider: Provider, *, active: bool) -> None:
    """A deactivated provider leaves the lists shown to people; livrables that listed it
    keep their snapshot."""
    provider.active = active
    session.flush()


def _check(
    session: Session, operator_id: int, details: ProviderDetails, *, provider_id: int | None
) -> None:
    if not details.services:
        raise DirectoryError(DirectoryErrorCode.NO_SERVICE)
    unknown = set(details.services) - set(service_codes(session))
    if unknown:
        raise DirectoryError(DirectoryErrorCode.UNKNOWN_SERVICE, ", ".join(sorted(unknown)))
    same_name = session.scalars(
        select(Provider).where(Provider.operator_id == operator_id, Provider.id != provider_id)
    )
    key = (normalise(details.name), details.postal_code, normalise(details.commune_name))
    for other in same_name:
        if (normalise(other.name), other.postal_code, normalise(other.commune_name)) == key:
            raise DirectoryError(DirectoryErrorCode.DUPLICATE, other.name)


def _apply(provider: Provider, details: ProviderDetails) -> None:
    for field in fields(ProviderDetails):
        if field.name != "services":
            setattr(provider, field.name, getattr(details, field.name))
    wanted = set(details.services)
    provider.service_rows = [row for row in provider.service_rows if row.service_code in wanted]
    have = {row.service_code for row in provider.service_rows}
    for code in sorted(wanted - have):
        provider.service_rows.append(ProviderService(service_code=code))


__all__ = [
    "DirectoryError",
    "DirectoryErrorCode",
    "ProviderDetails",
    "alphabetical",
    "create_provider",
    "operator_providers",
    "providers_offering",
    "service_codes",
    "set_provider_active",
    "snapshot",
    "update_provider",
]
