"""The manager's purchase orders: France compétences' bons de commande per year and UO, how
much of each is consumed, and adding a new one (Annex 2).

Each engagement takes the next unit of the oldest open order of its UO and year and gets
the reference `AAAA-Lotww-UOxx-yy-zzzzz`; `yy` is the order's number in the year for that
UO (1 to 99, unique per year and UO), `zzzzz` the engagement's rank in the order (so an
order holds at most 99,999 units). An order running low is flagged before engagements stop.
"""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import DateField, IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from portal.advisor.models import UnitKind
from portal.advisor.numbering import order_reference
from portal.advisor.orders import (
    FIRST_YEAR,
    LOW_SHARE,
    MAX_QUANTITY,
    OrderError,
    add_purchase_order,
    order_lines,
)
from portal.advisor.views import bp
from portal.auth.policies import current_operator, staff_required
from portal.clock import today_in_france
from portal.extensions import db
from portal.forms import PortalForm
from portal.network.models import StaffRole
from portal.orientation.uo0 import numbered_without_order

PAGE = "advisor/orders.html"


# --- Form -------------------------------------------------------------------------------------


class OrderForm(PortalForm):
    year = IntegerField(
        _l("Année"),
        validators=[InputRequired(message=_l("Indiquez l'année, par exemple 2026."))],
        invalid_value_message=_l("Indiquez l'année, par exemple 2026."),
    )
    kind = SelectField(
        _l("Unité d'œuvre"), choices=[SelectChoice(k.value, k.label) for k in UnitKind]
    )
    number = IntegerField(
        _l("Numéro d'ordre du bon dans l'année pour cette UO (yy)"),
        validators=[
            InputRequired(message=_l("Indiquez un numéro de 1 à 99.")),
            NumberRange(min=1, max=99, message=_l("Indiquez un numéro de 1 à 99.")),
        ],
        invalid_value_message=_l("Indiquez un numéro de 1 à 99."),
    )
    quantity = IntegerField(
        _l("Quantité commandée"),
        validators=[
            InputRequired(message=_l("Indiquez la quantité commandée.")),
            NumberRange(
                min=1,
                max=MAX_QUANTITY,
                message=_l("Indiquez une quantité de 1 à %(max)d.", max=MAX_QUANTITY),
            ),
        ],
        invalid_value_message=_l("Indiquez la quantité en chiffres, par exemple 4000."),
    )
    issued_on = DateField(
        _l("Date du bon de commande"),
        validators=[InputRequired(message=_l("Indiquez une date, par exemple 2026-01-02."))],
        invalid_value_message=_l("Indiquez une date, par exemple 2026-01-02."),
    )

    def validate_year(self, field: IntegerField) -> None:
        last = today_in_france().year + 1
        if field.data is not None and not FIRST_YEAR <= field.data <= last:
            raise ValidationError(
                _l("Indiquez une année de %(first)d à %(last)d.", first=FIRST_YEAR, last=last)
            )


# --- Views ------------------------------------------------------------------------------------


@bp.get("/bons-de-commande")
@staff_required(StaffRole.MANAGER)
def purchase_orders() -> str:
    form = OrderForm(formdata=None, year=today_in_france().year)
    return render_template(PAGE, **_context(form))


@bp.post("/bons-de-commande", endpoint="add_purchase_order")
@staff_required(StaffRole.MANAGER)
def create_purchase_order() -> Response:
    operator = current_operator()
    form = OrderForm()
    if form.validate():
        try:
            order = add_purchase_order(
                db.session,
                operator_id=operator.id,
                year=form.year.data,
                kind=UnitKind(form.kind.data),
                number=form.number.data,
                quantity=form.quantity.data,
                issued_on=form.issued_on.data,
            )
        except OrderError:
            db.session.rollback()
            form.number.errors = [
                *form.number.errors,
                _(
                    "Le bon n° %(number)02d de %(year)d pour l'%(unit)s est déjà enregistré : "
                    "choisissez le numéro suivant.",
                    number=form.number.data,
                    year=form.year.data,
                    unit=UnitKind(form.kind.data).label,
                ),
            ]
        else:
            db.session.commit()
            flash(
                _(
                    "Bon de commande enregistré : %(unit)s, %(year)d, n° %(number)02d, "
                    "%(quantity)d unités.",
                    unit=UnitKind(order.kind).label,
                    year=order.year,
                    number=order.number,
                    quantity=order.quantity,
                ),
                "success",
            )
            return redirect(url_for("advisor.purchase_orders"), code=303)
    return make_response(render_template(PAGE, **_context(form)), 422)


def _context(form: OrderForm) -> dict[str, object]:
    operator = current_operator()
    return {
        "form": form,
        "operator": operator,
        "years": order_lines(db.session, operator),
        "low_percent": int(LOW_SHARE * 100),
        "example": order_reference(2020, operator.lot_number, UnitKind.UO21, 2, 256),
        "uo0_without_order": numbered_without_order(db.session, operator_id=operator.id),
    }
