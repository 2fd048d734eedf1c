"""The manager's site screens: the operator's sites, and one site's details, hours and
closures, with the extended-hours rule and the continuity of service of CCTP 3.3.

The core (`network.services`) checks and applies each change; the view commits, turns a
refusal into a sentence next to its field (keeping what was typed), and answers the whole
page, or the schedule fragment to htmx.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.auth.policies import (
    current_operator,
    managed_site_or_404,
    staff_required,
)
from portal.clock import today_in_france
from portal.extensions import db
from portal.htmx import is_fragment_request, render
from portal.i18n import weekday_in_text
from portal.manage import bp
from portal.manage.network_forms import (
    KIND_LABELS,
    ClosureForm,
    OpeningHoursForm,
    SiteDetailsForm,
    SiteFilterForm,
)
from portal.manage.network_text import ERROR_FIELDS, error_message, format_runs, hours_range
from portal.network import services
from portal.network.continuity import (
    coming_periods,
    departement_of,
    find_gaps,
    operator_gaps,
    periods_overlapping,
)
from portal.network.errors import SiteError
from portal.network.hours import (
    MIN_EXTENDED_DAYS_PER_WEEK,
    extended_days,
    meets_extended_hours_rule,
    windows_covered,
)
from portal.network.models import Site, SiteClosure, SiteKind, StaffRole

PAGE = "manage/site.html"
SCHEDULE = "manage/_partials/_site_schedule.html"


def _site(site_id: int) -> Site:
    return managed_site_or_404(db.session.get(Site, site_id))


@bp.get("/sites")
@staff_required(StaffRole.MANAGER)
def sites() -> Response:
    form = SiteFilterForm(request.args)
    every_site = services.operator_sites(db.session, current_operator().id)
    extended = {site.id: extended_days(site.hours) for site in every_site}
    short = {site.id for site in every_site if extended[site.id] < MIN_EXTENDED_DAYS_PER_WEEK}
    shown = every_site
    if form.validate():
        shown = services.filter_sites(every_site, form.q.data or "")
        if form.short.data:
            shown = [site for site in shown if site.id in short]
    return render(
        "manage/sites.html",
        "manage/_partials/_site_list.html",
        form=form,
        sites=shown,
        total=len(every_site),
        extended=extended,
        short=short,
        min_days=MIN_EXTENDED_DAYS_PER_WEEK,
        kind_labels=KIND_LABELS,
        gaps=find_gaps(every_site, coming_periods(today_in_france())),
    )


@bp.get("/sites/<id:site_id>")
@staff_required(StaffRole.MANAGER)
def site(site_id: int) -> Response:
    site = _site(site_id)
    return render(PAGE, SCHEDULE, **_context(site))


@bp.post("/sites/<id:site_id>")
@staff_required(StaffRole.MANAGER)
def update_site(site_id: int) -> Response:
    site = _site(site_id)
    form = SiteDetailsForm()
    if form.validate():
        try:
            changed = services.update_site(db.session, site, _details(form))
        except SiteError as error:
            db.session.rollback()
            _attach(form, error)
        else:
            db.session.commit()
            flash(_("Site enregistré.") if changed else _("Aucune modification."), "success")
            return redirect(url_for("manage.site", site_id=site.id), code=303)
    return make_response(render_template(PAGE, **_context(site, details=form)), 422)


@bp.post("/sites/<id:site_id>/horaires")
@staff_required(StaffRole.MANAGER)
def add_site_hours(site_id: int) -> Response:
    site = _site(site_id)
    form = OpeningHoursForm()
    if form.validate():
        try:
            hours = services.add_opening_hours(
                db.session,
                site,
                weekday=form.weekday.data,
                opens=form.opens.data,
                closes=form.closes.data,
            )
        except SiteError as error:
            db.session.rollback()
            _attach(form, error)
        else:
            db.session.commit()
            day, span = weekday_in_text(hours.weekday), hours_range(hours.opens, hours.closes)
            return _done(site, _("Ouverture ajoutée : %(day)s, %(range)s.", day=day, range=span))
    return _failed(site, hours_form=form)


@bp.post("/sites/<id:site_id>/horaires/<id:hours_id>/suppression")
@staff_required(StaffRole.MANAGER)
def remove_site_hours(site_id: int, hours_id: int) -> Response:
    site = _site(site_id)
    try:
        hours = services.remove_opening_hours(db.session, site, hours_id)
    except SiteError:
        abort(404)
    db.session.commit()
    day, span = weekday_in_text(hours.weekday), hours_range(hours.opens, hours.closes)
    return _done(site, _("Ouverture retirée : %(day)s, %(range)s.", day=day, range=span))


@bp.post("/sites/<id:site_id>/fermetures")
@staff_required(StaffRole.MANAGER)
def add_site_closure(site_id: int) -> Response:
    site = _site(site_id)
    form = ClosureForm()
    if form.validate():
        try:
            closure = services.add_closure(
                db.session,
                site,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                reason=form.reason.data or "",
                today=today_in_france(),
            )
        except SiteError as error:
            db.session.rollback()
            _attach(form, error)
        else:
            db.session.commit()
            warning = _continuity_warning(site, closure)
            return _done(site, _("Fermeture enregistrée."), warning=warning, section="closures")
    return _failed(site, closure_form=form)


@bp.post("/sites/<id:site_id>/fermetures/<id:closure_id>/suppression")
@staff_required(StaffRole.MANAGER)
def remove_site_closure(site_id: int, closure_id: int) -> Response:
    site = _site(site_id)
    try:
        services.remove_closure(db.session, site, closure_id)
    except SiteError:
        abort(404)
    db.session.commit()
    return _done(site, _("Fermeture retirée."), section="closures")


# --- Helpers ----------------------------------------------------------------------------------


def _details(form: SiteDetailsForm) -> services.SiteDetails:
    return services.SiteDetails(
        name=form.name.data.strip(),
        kind=SiteKind(form.kind.data),
        street=form.street.data.strip(),
        postal_code=form.postal_code.data,
        commune_name=form.commune_name.data.strip(),
        offers_presentiel=form.offers_presentiel.data,
        offers_telephone=form.offers_telephone.data,
        offers_visio=form.offers_visio.data,
        step_free_access=form.step_free_access.data,
        access_note=(form.access_note.data or "").strip(),
        phone=(form.phone.data or "").strip(),
        email=(form.email.data or "").strip(),
        active=form.active.data,
    )


def _attach(form: Any, error: SiteError) -> None:
    """The refusal, next to the field it is about."""
    field = form[ERROR_FIELDS[error.code]]
    field.errors = [*field.errors, error_message(error)]


def _context(site: Site, **forms: Any) -> dict[str, Any]:
    today = today_in_france()
    gaps = operator_gaps(
        db.session,
        site.operator_id,
        coming_periods(today),
        departement=departement_of(site.commune_insee),
    )
    return {
        "site": site,
        # formdata=None: a form posted for another section must not blank these fields.
        "details": forms.get("details") or SiteDetailsForm(formdata=None, obj=site),
        "hours_form": forms.get("hours_form") or OpeningHoursForm(formdata=None),
        "closure_form": forms.get("closure_form") or ClosureForm(formdata=None),
        "days": [(day, [h for h in site.hours if h.weekday == day]) for day in range(7)],
        "windows_covered": windows_covered,
        "extended_days": extended_days(site.hours),
        "meets_rule": meets_extended_hours_rule(site.hours),
        "min_days": MIN_EXTENDED_DAYS_PER_WEEK,
        "closures": [c for c in site.closures if c.ends_on >= today],
        "gaps": gaps,
        # After an htmx change, said next to the section that changed.
        "section": forms.get("section"),
        "message": forms.get("message"),
        "warning": forms.get("warning"),
    }


def _done(
    site: Site, message: str, *, warning: str | None = None, section: str = "hours"
) -> Response:
    """After a change: the fresh schedule to htmx; otherwise back to the page (PRG), where
    the messages show at the top."""
    if is_fragment_request():
        context = _context(site, message=message, warning=warning, section=section)
        return render(PAGE, SCHEDULE, **context)
    flash(message, "success")
    if warning:
        flash(warning, "warning")
    return redirect(url_for("manage.site", site_id=site.id), code=303)


def _failed(site: Site, **forms: Any) -> Response:
    response = render(PAGE, SCHEDULE, **_context(site, **forms))
    # htmx leaves 4xx answers unswapped: the fragment with its errors comes as a 200.
    if not is_fragment_request():
        response.status_code = 422
    return response


def _continuity_warning(site: Site, closure: SiteClosure) -> str | None:
    """When the new closure leaves a département with no site open on working days of the
    summer or Christmas (CCTP 3.3), say which days."""
    gaps = operator_gaps(
        db.session,
        site.operator_id,
        periods_overlapping(closure.starts_on, closure.ends_on),
        departement=departement_of(site.commune_insee),
    )
    runs = []
    for gap in gaps:
        for first, last in gap.runs:
            inside = [
                day
                for day in gap.days
                if first <= day <= last and closure.starts_on <= day <= closure.ends_on
            ]
            if inside:
                runs.append((inside[0], inside[-1]))
    if not runs:
        return None
    message = _(
        "Attention : pendant cette fermeture, aucun lieu de votre opérateur n'est ouvert dans "
        "le département %(departement)s %(days)s. Le CCTP (3.3) demande une continuité de "
        "service l'été et pendant les fêtes de fin d'année : ouvrez un autre lieu ces jours-là.",
        departement=departement_of(site.commune_insee),
        days=format_runs(runs),
    )
    return str(message)
