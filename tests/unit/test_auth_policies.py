"""Who may see and manage an operator's data: the rules, without a request."""

from __future__ import annotations

import pytest

from portal.auth.policies import (
    can_manage_operator,
    can_manage_site,
    can_see_operator,
    is_operator_staff,
)
from portal.network.models import Site, StaffMember, StaffRole

OWN, OTHER = 10, 11


def member(role: StaffRole, operator_id: int | None = OWN, active: bool = True) -> StaffMember:
    return StaffMember(
        email=f"{role}@example.org",
        full_name="Camille Test",
        role=role,
        operator_id=operator_id,
        active=active,
    )


@pytest.mark.parametrize(
    ("role", "operator_id", "active", "sees_own", "manages_own"),
    [
        (StaffRole.MANAGER, OWN, True, True, True),
        (StaffRole.ADVISOR, OWN, True, True, False),
        (StaffRole.MANAGER, OWN, False, False, False),
        (StaffRole.ADVISOR, OWN, False, False, False),
        (StaffRole.MEDIATOR, None, True, False, False),
        (StaffRole.FRANCE_COMPETENCES, None, True, False, False),
    ],
)
def test_operator_staff_see_their_operator_and_only_managers_manage_it(
    role: StaffRole, operator_id: int | None, active: bool, sees_own: bool, manages_own: bool
) -> None:
    staff = member(role, operator_id, active)
    assert can_see_operator(staff, OWN) is sees_own
    assert can_manage_operator(staff, OWN) is manages_own
    assert is_operator_staff(staff) is sees_own


@pytest.mark.parametrize("role", list(StaffRole))
def test_nobody_sees_or_manages_another_operator(role: StaffRole) -> None:
    staff = member(role, None if role in {"mediator", "france_competences"} else OWN)
    assert not can_see_operator(staff, OTHER)
    assert not can_manage_operator(staff, OTHER)
    assert not can_see_operator(staff, None)


def test_a_manager_manages_the_sites_of_their_operator_only() -> None:
    manager = member(StaffRole.MANAGER)
    assert can_manage_site(manager, Site(operator_id=OWN, name="CEP Rennes"))
    assert not can_manage_site(manager, Site(operator_id=OTHER, name="CEP Nantes"))
    assert not can_manage_site(member(StaffRole.ADVISOR), Site(operator_id=OWN, name="CEP Rennes"))
