"""/pro/dossiers/<id>/profil: the person's Annex 2 profile (issue 15 §1).

The dossier's advisors fill it in, its managers read it, anyone else gets 404 (the dossier
page's rules). Everything is checked here and in `portal.people.profile_service`; a refusal
comes back next to its field with what was typed (422). What is due, and from which unit, is
`portal.people.profile_rules`; the dossier page shows what is missing
(`advisor/_profile_summary.html`, fed by `profile_missing`, with no query of its own).
"""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.advisor.models import Dossier, UnitKind
from portal.advisor.policies import can_work_on_dossier, dossier_or_404
from portal.advisor.profile_forms import (
    PLAIN_FIELDS,
    ProfileForm,
    initial_data,
    parse_month,
    resolve_commune,
)
from portal.advisor.reference import reference_tables
from portal.advisor.views import bp
from portal.advisor.views.profile_texts import PROFILE_ERRORS, PROFILE_FIELD_LABELS
from portal.auth.policies import current_staff, staff_required
from portal.clock import today_in_france
from portal.extensions import db
from portal.network.models import Site, StaffRole
from portal.orientation.labels import SITUATIONS
from portal.people import profile_lists as lists
from portal.people.profile_commune import Located
from portal.people.profile_models import DossierProfile
from portal.people.profile_rules import ABROAD, missing_fields, statut_for_situation
from portal.people.profile_service import ProfileError, front_door_situation, save_profile


def dossier_kind(dossier: Dossier) -> str:
    """The unit whose due fields apply: the dossier's latest, else its UO0."""
    last = dossier.last_unit
    return last.kind if last is not None else UnitKind.UO0.value


def profile_missing(dossier: Dossier) -> list[tuple[str, str]]:
    """(field, label) of what the dossier's units need and its profile lacks; reads the
    relationships the dossier page already loaded (`queries.dossier_for_page`)."""
    names = missing_fields(
        dossier.profile, dossier_kind(dossier), has_structure=dossier.site_id is not None
    )
    return [(name, str(PROFILE_FIELD_LABELS[name])) for name in names]


@bp.app_template_global("profile_missing")
def _profile_missing(dossier: Dossier) -> list[tuple[str, str]]:
    return profile_missing(dossier)


@bp.get("/dossiers/<id:dossier_id>/profil")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def profile(dossier_id: int) -> Response:
    dossier = dossier_or_404(dossier_id)
    tables = reference_tables(db.session, str(get_locale()))
    stored = db.session.get(DossierProfile, dossier_id)
    suggested = None
    situation = front_door_situation(db.session, dossier)
    if stored is None:
        statuses = [(i.code, i.parent) for i in tables.choices(lists.STATUT)]
        suggested = statut_for_situation(statuses, situation)
    form = ProfileForm(formdata=None, data=initial_data(stored, suggested, dossier.site_id))
    form.set_choices(tables, _sites(dossier))
    return _page(dossier, form, situation=situation, prefilled=suggested is not None)


@bp.post("/dossiers/<id:dossier_id>/profil")
@staff_required(StaffRole.ADVISOR)
def profile_save(dossier_id: int) -> Response:
    dossier = dossier_or_404(dossier_id, work=True)
    tables = reference_tables(db.session, str(get_locale()))
    form = ProfileForm()
    form.set_choices(tables, _sites(dossier))
    valid = form.validate()
    home = resolve_commune(form.home, form.home_choice)
    abroad = bool(form.entreprise_etranger.data)
    work = None if abroad else resolve_commune(form.work, form.work_choice)
    if valid and home is not False and work is not False:
        try:
            save_profile(
                db.session,
                dossier,
                _values(form, home, work, abroad),
                by=current_staff(),
                today=today_in_france(),
            )
        except ProfileError as error:
            db.session.rollback()
            for name in error.fields:
                form[name].errors.append(str(PROFILE_ERRORS[error.code]))
        else:
            db.session.commit()
            flash(_("Profil de la personne enregistré."), "success")
            back = url_for("advisor.dossier", dossier_id=dossier_id, _anchor="profil")
            return redirect(back, 303)
    situation = front_door_situation(db.session, dossier)
    return _page(dossier, form, situation=situation, status=422)


def _sites(dossier: Dossier) -> list[Site]:
    query = select(Site).where(Site.operator_id == dossier.operator_id)
    sites = db.session.scalars(query.order_by(Site.name, Site.id))
    return [site for site in sites if site.active or site.id == dossier.site_id]


def _values(
    form: ProfileForm, home: Located | bool | None, work: Located | bool | None, abroad: bool
) -> dict[str, Any]:
    values: dict[str, Any] = {name: form[name].data or None for name in PLAIN_FIELDS}
    values["site_id"] = int(form.structure.data) if form.structure.data else None
    values["entree_entreprise"] = parse_month(form.entree_entreprise.data or "")
    if isinstance(home, Located):
        values["adresse_commune_insee"] = home.insee
        values["adresse_commune"] = home.name
        values["adresse_code_postal"] = home.postal_code
    if abroad:
        # Annex 2: department « 00 » abroad; the foreign town is kept as typed, if any.
        values["entreprise_departement"] = ABROAD
        values["entreprise_commune"] = (form.work.data or "")[:100] or None
    elif isinstance(work, Located):
        values["entreprise_commune_insee"] = work.insee
        values["entreprise_commune"] = work.name
        values["entreprise_code_postal"] = work.postal_code
        values["entreprise_departement"] = work.departement
    return values


def _statut_hint(situation: str | None, prefilled: bool) -> str | None:
    """What the person said of their situation at the first contact (UO0), if anything."""
    known = {str(key): value for key, value in SITUATIONS.items()}
    label = known.get(situation or "")
    if label is None:
        return None
    hint = str(_("Au premier contact, la personne a dit : %(situation)s.", situation=str(label)))
    if not prefilled:
        return hint
    return hint + " " + str(_("Le statut en est déduit : vérifiez-le."))


def _page(
    dossier: Dossier,
    form: ProfileForm,
    *,
    situation: str | None,
    prefilled: bool = False,
    status: int = 200,
) -> Response:
    staff = current_staff()
    return make_response(
        render_template(
            "advisor/profile.html",
            dossier=dossier,
            person=dossier.beneficiary,
            form=form,
            can_work=can_work_on_dossier(staff, dossier),
            missing=profile_missing(dossier),
            statut_hint=_statut_hint(situation, prefilled),
            has_errors=status == 422,
        ),
        status,
    )
