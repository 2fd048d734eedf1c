"""The survey a person answers after each closure (public, reached by its signed link), and
indicator 8.1 for the operator's managers, with indicator 6.8 next to it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.advisor.indicators import reengagements
from portal.auth.policies import current_operator, staff_required
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.forms import PortalForm
from portal.network.models import StaffRole
from portal.satisfaction import indicators
from portal.satisfaction.models import Survey
from portal.satisfaction.services import (
    MAX_COMMENT,
    InvalidSurveyLink,
    answer_survey,
    survey_id_from_token,
)

bp = Blueprint("satisfaction", __name__)

QUALITY = [
    SelectChoice("4", _l("Très satisfait")),
    SelectChoice("3", _l("Plutôt satisfait")),
    SelectChoice("2", _l("Plutôt pas satisfait")),
    SelectChoice("1", _l("Pas du tout satisfait")),
]
USEFULNESS = [
    SelectChoice("4", _l("Très utile")),
    SelectChoice("3", _l("Plutôt utile")),
    SelectChoice("2", _l("Plutôt pas utile")),
    SelectChoice("1", _l("Pas du tout utile")),
]


class SurveyForm(PortalForm):
    quality = RadioField(
        _l("Comment jugez-vous la qualité du service rendu ?"),
        choices=QUALITY,
        validators=[InputRequired(message=_l("Choisissez une réponse."))],
    )
    usefulness = RadioField(
        _l("Ce service vous a-t-il été utile ?"),
        choices=USEFULNESS,
        validators=[InputRequired(message=_l("Choisissez une réponse."))],
    )
    comment = TextAreaField(
        _l("Un commentaire ? (facultatif)"),
        validators=[Length(max=MAX_COMMENT, message=_l("4 000 caractères au plus."))],
    )


def _survey(token: str) -> Survey | None:
    try:
        survey_id = survey_id_from_token(current_app.config["SECRET_KEY"], token)
    except InvalidSurveyLink:
        return None
    return db.session.get(Survey, survey_id)


@bp.route("/enquete/<token>", methods=["GET", "POST"])
def survey(token: str) -> str | tuple[str, int]:
    found = _survey(token)
    if found is None:
        return render_template("satisfaction/invalid_link.html"), 404
    context: dict[str, Any] = {"survey": found, "operator": found.unit.operator}
    if found.answered_at is not None:
        return render_template("satisfaction/answered.html", already=True, **context)
    form = SurveyForm()
    if not form.is_submitted():
        return render_template("satisfaction/survey.html", form=form, token=token, **context)
    if not form.validate():
        page = render_template("satisfaction/survey.html", form=form, token=token, **context)
        return page, 422
    stored = answer_survey(
        db.session,
        found,
        quality=int(form.quality.data),
        usefulness=int(form.usefulness.data),
        comment=form.comment.data or "",
        now=utcnow(),
    )
    db.session.commit()
    return render_template("satisfaction/answered.html", already=not stored, **context)


@bp.get("/pro/indicateurs/satisfaction")
@staff_required(StaffRole.MANAGER)
def indicator() -> str:
    operator = current_operator()
    today = today_in_france()
    semesters = indicators.last_semesters(today)
    figures = indicators.satisfaction(db.session, operator.id, semesters)
    # Indicator 6.8 counts closures of [start, end): the day after the semester's last.
    reengaged = [
        (s, reengagements(db.session, operator.id, s.start, s.end + timedelta(days=1)))
        for s in semesters
    ]
    return render_template(
        "satisfaction/indicator.html",
        figures=figures,
        reengagements=reengaged,
        current=indicators.Semester.of(today),
        threshold=indicators.QUALITY_BONUS_THRESHOLD,
        positive_from=indicators.POSITIVE_FROM,
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
