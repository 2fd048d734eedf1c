"""What an advisor records within a unit, from the dossier page: its Annex 2 data, its
interactions, and the closure of a UO2.2 on the person's written request.

Each view checks the unit belongs to the advisor's operator (404 otherwise), lets the core
decide, commits, and comes back to the unit on the dossier page; a refusal re-renders the
page with the form as typed and the reason next to the field (422).
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor.closing import close_on_written_request
from portal.advisor.errors import UnitError
from portal.advisor.forms import (
    InteractionForm,
    WrittenClosureForm,
    attach_error,
    unit_data_form_class,
    unit_data_values,
)
from portal.advisor.models import Unit
from portal.advisor.policies import unit_or_404
from portal.advisor.reference import reference_tables
from portal.advisor.rules import Stage
from portal.advisor.unit_work import missing_fields, record_interaction, update_unit_data
from portal.advisor.views import bp
from portal.advisor.views.page import render_dossier
from portal.auth.policies import current_staff, staff_required
from portal.clock import today_in_france
from portal.extensions import db
from portal.i18n import long_date
from portal.network.models import StaffRole


def _back_to(dossier_id: int, unit_id: int) -> Response:
    return redirect(
        url_for("advisor.dossier", dossier_id=dossier_id, _anchor=f"unite-{unit_id}"), code=303
    )


def _missing_note(unit: Unit) -> str:
    count = len(missing_fields(unit, Stage.CLOSURE))
    if not count:
        return ""
    note = ngettext(
        "%(num)d information reste à compléter avant la clôture.",
        "%(num)d informations restent à compléter avant la clôture.",
        count,
    )
    return f" {note}"


@bp.post("/unites/<id:unit_id>/donnees")
@staff_required(StaffRole.ADVISOR)
def update_data(unit_id: int) -> Response:
    """The unit's Annex 2 data (required from UO n, Annex 2 section 2)."""
    unit = unit_or_404(unit_id, work=True)
    dossier_id = unit.dossier_id
    form = unit_data_form_class(unit.kind)(prefix=f"u{unit.id}")
    form.set_choices(reference_tables(db.session, str(get_locale())))
    if form.validate():
        try:
            update_unit_data(db.session, unit, unit_data_values(form))
        except UnitError as error:
            db.session.rollback()
            attach_error(form, error, fallback="origine")
        else:
            note = _missing_note(unit)
            db.session.commit()
            flash(_("Données Annexe 2 enregistrées.") + note, "success")
            return _back_to(dossier_id, unit_id)
    return render_dossier(dossier_id, status=422, forms={f"data-{unit_id}": form})


@bp.post("/unites/<id:unit_id>/echanges")
@staff_required(StaffRole.ADVISOR)
def add_interaction(unit_id: int) -> Response:
    """One exchange of the unit: its date, mode de contact, type de service, duration."""
    unit = unit_or_404(unit_id, work=True)
    dossier_id = unit.dossier_id
    form = InteractionForm(prefix=f"i{unit.id}")
    form.set_choices(reference_tables(db.session, str(get_locale())))
    if form.validate():
        try:
            interaction = record_interaction(
                db.session,
                unit,
                occurred_on=form.occurred_on.data,
                contact_mode=form.contact_mode.data,
                duration_minutes=form.duration_minutes.data,
                by=current_staff(),
                today=today_in_france(),
                service_type=form.service_type.data or None,
                notes=(form.notes.data or "").strip(),
            )
        except UnitError as error:
            db.session.rollback()
            attach_error(form, error, fallback="occurred_on")
        else:
            day = long_date(interaction.occurred_on)
            db.session.commit()
            flash(_("Échange du %(day)s enregistré.", day=day), "success")
            return _back_to(dossier_id, unit_id)
    return render_dossier(dossier_id, status=422, forms={f"interaction-{unit_id}": form})


@bp.post("/unites/<id:unit_id>/cloture")
@staff_required(StaffRole.ADVISOR)
def close_on_request(unit_id: int) -> Response:
    """UO2.2: « Clôturer sur demande écrite du bénéficiaire » (CCTP 2.1.3)."""
    unit = unit_or_404(unit_id, work=True)
    dossier_id = unit.dossier_id
    form = WrittenClosureForm(prefix=f"c{unit.id}")
    form.set_choices(reference_tables(db.session, str(get_locale())))
    if form.validate():
        try:
            close_on_written_request(
                db.session,
                unit,
                text=form.closure_trace.data or "",
                reason=form.motif_cloture.data or "",
                on=form.closed_on.data,
                today=today_in_france(),
                by=current_staff(),
            )
        except UnitError as error:
            db.session.rollback()
            attach_error(form, error, fallback="closure_trace")
        else:
            note = _missing_note(unit)
            day = long_date(form.closed_on.data)
            db.session.commit()
            flash(_("UO2.2 clôturée le %(day)s sur demande écrite.", day=day) + note, "success")
            return _back_to(dossier_id, unit_id)
    return render_dossier(dossier_id, status=422, forms={f"closure-{unit_id}": form})
