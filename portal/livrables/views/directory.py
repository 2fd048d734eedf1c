"""The regional directory of complementary services (CCTP 2.1.3, CCAP 19.3.4).

Everyone of the operator reads it (filtered by service, as the editor lists it to people);
managers add, edit, deactivate and reactivate organisations. A provider of another
operator answers 404.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.auth.policies import (
    can_manage_operator,
    current_operator,
    current_staff,
    staff_required,
)
from portal.directory import services
from portal.directory.forms import DirectoryFilterForm, ProviderForm
from portal.directory.models import Provider
from portal.directory.services import DirectoryError, DirectoryErrorCode, ProviderDetails
from portal.extensions import db
from portal.htmx import render
from portal.livrables.views import bp
from portal.livrables.views.context import service_labels
from portal.network.models import StaffRole

FORM_PAGE = "livrables/directory_form.html"


@bp.get("/annuaire")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def directory() -> Response:
    operator = current_operator()
    labels = service_labels()
    form = DirectoryFilterForm(request.args, services=labels)
    service = form.service.data if form.validate() and form.service.data else None
    is_manager = can_manage_operator(current_staff(), operator.id)
    providers = services.operator_providers(db.session, operator.id, service=service)
    inactive = (
        services.operator_providers(db.session, operator.id, service=service, active=False)
        if is_manager
        else []
    )
    return render(
        "livrables/directory.html",
        "livrables/directory_list.html",
        form=form,
        service=service,
        providers=providers,
        inactive=inactive,
        service_labels=labels,
        is_manager=is_manager,
    )


@bp.get("/annuaire/nouveau")
@staff_required(StaffRole.MANAGER)
def new_provider() -> str:
    form = ProviderForm(formdata=None, services=service_labels())
    return render_template(FORM_PAGE, form=form, provider=None)


@bp.post("/annuaire/nouveau")
@staff_required(StaffRole.MANAGER)
def create_provider() -> Response:
    operator = current_operator()
    form = ProviderForm(services=service_labels())
    if form.validate():
        try:
            provider = services.create_provider(
                db.session, operator_id=operator.id, details=_details(form)
            )
        except DirectoryError as error:
            db.session.rollback()
            _attach(form, error)
        else:
            db.session.commit()
            flash(_("« %(name)s » est ajouté à l'annuaire.", name=provider.name), "success")
            return redirect(url_for("livrables.directory"), code=303)
    return make_response(render_template(FORM_PAGE, form=form, provider=None), 422)


@bp.get("/annuaire/<id:provider_id>")
@staff_required(StaffRole.MANAGER)
def provider(provider_id: int) -> str:
    found = _provider(provider_id)
    form = ProviderForm(formdata=None, obj=found, services=service_labels())
    form.services.data = found.services
    return render_template(FORM_PAGE, form=form, provider=found)


@bp.post("/annuaire/<id:provider_id>")
@staff_required(StaffRole.MANAGER)
def update_provider(provider_id: int) -> Response:
    found = _provider(provider_id)
    form = ProviderForm(services=service_labels())
    if form.validate():
        try:
            changed = services.update_provider(db.session, found, _details(form))
        except DirectoryError as error:
            db.session.rollback()
            _attach(form, error)
        else:
            db.session.commit()
            flash(_("Organisme enregistré.") if changed else _("Aucune modification."), "success")
            return redirect(url_for("livrables.directory"), code=303)
    return make_response(render_template(FORM_PAGE, form=form, provider=found), 422)


@bp.post("/annuaire/<id:provider_id>/activation")
@staff_required(StaffRole.MANAGER)
def toggle_provider(provider_id: int) -> Response:
    """Deactivate (it leaves the lists shown to people) or reactivate an organisation."""
    found = _provider(provider_id)
    services.set_provider_active(db.session, found, active=not found.active)
    db.session.commit()
    if found.active:
        flash(_("« %(name)s » est de nouveau proposé aux personnes.", name=found.name), "success")
    else:
        flash(
            _(
                "« %(name)s » n'est plus proposé aux personnes. Les livrables qui le citaient "
                "le gardent.",
                name=found.name,
            ),
            "success",
        )
    return redirect(url_for("livrables.directory"), code=303)


# --- Helpers ----------------------------------------------------------------------------------


def _provider(provider_id: int) -> Provider:
    found = db.session.get(Provider, provider_id)
    if found is None or not can_manage_operator(current_staff(), found.operator_id):
        abort(404)
    return found


def _details(form: ProviderForm) -> ProviderDetails:
    return ProviderDetails(
        name=form.name.data.strip(),
        commune_name=form.commune_name.data.strip(),
        postal_code=(form.postal_code.data or "").strip(),
        website=(form.website.data or "").strip(),
        phone=(form.phone.data or "").strip(),
        email=(form.email.data or "").strip(),
        note=(form.note.data or "").strip(),
        is_operator=bool(form.is_operator.data),
        services=tuple(form.services.data or ()),
    )


def _attach(form: ProviderForm, error: DirectoryError) -> None:
    """The refusal, next to the field it is about."""
    if error.code == DirectoryErrorCode.DUPLICATE:
        field, message = (
            form.name,
            _("« %(name)s » figure déjà dans l'annuaire pour cette commune.", name=error.detail),
        )
    else:
        field, message = form.services, _("Cochez au moins un service de la liste.")
    field.errors = [*field.errors, message]
