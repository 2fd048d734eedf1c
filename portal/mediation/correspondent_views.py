"""/pro/reclamations/correspondant: the manager designates the operator's correspondant
médiation (CCTP 3.7: « chaque Titulaire désigne un correspondant Médiation … de préférence le
manager »), one of its active advisors or managers, or goes back to « the managers ».

The correspondant receives the complaint reminders, the person's messages, the referrals and
the mediator's messages (`contacts.mediation_contacts`), and may act on complaints
(`policies.can_handle_complaint`). Blueprint `mediation_settings`, manager only.
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.auth.policies import current_operator, current_staff, staff_required
from portal.extensions import db
from portal.mediation.contacts import candidates, correspondent, designate_correspondent
from portal.mediation.dialogue_forms import MANAGERS, CorrespondentForm
from portal.mediation.dialogue_text import refusal
from portal.mediation.errors import ComplaintError
from portal.network.models import Operator, StaffMember, StaffRole

bp = Blueprint("mediation_settings", __name__, url_prefix="/pro/reclamations")


@bp.route("/correspondant", methods=["GET", "POST"])
@staff_required(StaffRole.MANAGER)
def correspondent_page() -> Response | str | tuple[str, int]:
    operator = current_operator()
    members = candidates(db.session, operator.id)
    form = CorrespondentForm()
    form.member.choices = _choices(members)
    if request.method == "GET":
        current = correspondent(db.session, operator.id)
        form.member.data = MANAGERS if current is None else str(current.id)
        return _page(operator, form)
    if not form.validate():
        return _page(operator, form), 422
    chosen = next((m for m in members if str(m.id) == form.member.data), None)
    try:
        designate_correspondent(db.session, operator, member=chosen, by=current_staff())
    except ComplaintError as error:
        db.session.rollback()
        form.member.errors = [refusal(error)]
        return _page(current_operator(), form), 422
    db.session.commit()
    if chosen is None:
        flash(_("Sans correspondant désigné, les responsables reçoivent tout."), "success")
    else:
        flash(_("%(name)s est le correspondant médiation.", name=chosen.full_name), "success")
    return redirect(url_for("mediation_settings.correspondent_page"), code=303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _choices(members: list[StaffMember]) -> list[SelectChoice]:
    roles = {StaffRole.MANAGER: _("responsable"), StaffRole.ADVISOR: _("conseiller ou conseillère")}
    return [
        SelectChoice(MANAGERS, _("Personne : les responsables de la structure")),
        *(SelectChoice(str(m.id), f"{m.full_name} ({roles[StaffRole(m.role)]})") for m in members),
    ]


def _page(operator: Operator, form: CorrespondentForm) -> str:
    return render_template(
        "mediation/staff/correspondent.html",
        operator=operator,
        form=form,
        current=correspondent(db.session, operator.id),
    )
