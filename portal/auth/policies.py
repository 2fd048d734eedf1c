"""Who may open what on the staff side.

The `can_*` functions are plain rules over a staff member (no request, no Flask), unit-tested
on their own. `staff_required` applies them to views: an anonymous visitor is sent to the
sign-in page, a signed-in member without the role gets a 404 (the page does not exist for
them), and an object of another operator answers 404 too, never 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import abort, make_response, redirect, request, url_for
from flask_login import current_user
from htmx_flask import request as htmx_request
from werkzeug.wrappers import Response

from portal.i18n import safe_next
from portal.network.models import Operator, Site, StaffMember, StaffRole

P = ParamSpec("P")
R = TypeVar("R")

# Staff who belong to one operator and work on its data (dossiers, livrables, indicators).
# The chargé d'information (StaffRole.INFORMATION) belongs to an operator too, but is left
# out on purpose: they record UO0 and handle waiting requests, whose pages name the role
# (`staff_required`), and never see a dossier (`advisor.policies` rests on this set).
OPERATOR_ROLES = frozenset({StaffRole.ADVISOR, StaffRole.MANAGER})


# --- Rules ------------------------------------------------------------------------------------


def is_operator_staff(staff: StaffMember) -> bool:
    return staff.active and staff.role in OPERATOR_ROLES and staff.operator_id is not None


def can_see_operator(staff: StaffMember, operator_id: int | None) -> bool:
    """Advisors and managers see their own operator's data, and nothing of the others."""
    return is_operator_staff(staff) and operator_id is not None and staff.operator_id == operator_id


def can_manage_operator(staff: StaffMember, operator_id: int | None) -> bool:
    """Only a manager of the operator changes its network (sites, hours, closures)."""
    return staff.role == StaffRole.MANAGER and can_see_operator(staff, operator_id)


def can_manage_site(staff: StaffMember, site: Site) -> bool:
    return can_manage_operator(staff, site.operator_id)


# --- Applied to views -------------------------------------------------------------------------


def current_staff() -> StaffMember:
    """The signed-in staff member, typed; 401 when nobody is (use inside `staff_required`)."""
    user = current_user._get_current_object()
    if not isinstance(user, StaffMember):
        abort(401)
    return user


def login_url_for_here() -> str:
    """The sign-in page, with the page to come back to as a safe local `next`.

    For an htmx request the page to come back to is the one in the address bar
    (HX-Current-URL), not the fragment URL htmx called.
    """
    target = request.full_path.rstrip("?")
    hx = htmx_request.htmx
    if hx and hx.current_url:
        parts = urlsplit(hx.current_url)
        if parts.netloc == request.host:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("auth.login", next=safe_next(target))


def staff_required(*roles: StaffRole) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """Only signed-in staff, and only these roles when given (any role otherwise).

    Anonymous: a redirect to the sign-in page (an htmx request gets 401 with HX-Redirect, so
    that the sign-in page is not swapped into a fragment). Another role: 404.
    """
    allowed = frozenset(roles)

    def decorator(view: Callable[P, R]) -> Callable[P, R | Response]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            user = current_user._get_current_object()
            if not isinstance(user, StaffMember) or not user.is_active:
                return _to_sign_in()
            if allowed and user.role not in allowed:
                abort(404)
            return view(*args, **kwargs)

        # Read by the access-matrix test: which roles this page is for (empty: any staff).
        wrapper.staff_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


def current_operator() -> Operator:
    """The operator of the signed-in member; 404 for staff of no operator (the mediator,
    France compétences) on an operator's screen."""
    operator = current_staff().operator
    if operator is None:
        abort(404)
    return operator


def own_operator_or_404(operator_id: int | None) -> None:
    """404 unless the signed-in member works for this operator (a foreign object)."""
    if not can_see_operator(current_staff(), operator_id):
        abort(404)


def managed_site_or_404(site: Site | None) -> Site:
    """The site, when the signed-in manager manages it; 404 for a missing or foreign one."""
    if site is None or not can_manage_site(current_staff(), site):
        abort(404)
    return site


def _to_sign_in() -> Response:
    login = login_url_for_here()
    if htmx_request.htmx:
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login
        response.vary.add("HX-Request")
        return response
    return redirect(login, code=303)


__all__ = [
    "OPERATOR_ROLES",
    "can_manage_operator",
    "can_manage_site",
    "can_see_operator",
    "current_staff",
    "is_operator_staff",
    "managed_site_or_404",
    "own_operator_or_404",
    "staff_required",
]
