"""A manager erases a person of their own operator on request (RGPD art. 17).

Find by address (POST, so the address stays out of URLs and logs), read what will happen,
tick to confirm. A person unknown to this operator, or only known to another, answers 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.auth.policies import current_operator, current_staff, staff_required
from portal.db import utcnow
from portal.extensions import db
from portal.manage import bp
from portal.network.models import StaffRole
from portal.privacy.erasure import ErasureError, ErasureErrorCode, erase_person, find_person
from portal.privacy.forms import ErasureForm, PersonSearchForm
from portal.privacy.models import ErasureRecord

RECENT_ERASURES = 20


@bp.get("/donnees-personnelles")
@staff_required(StaffRole.MANAGER)
def privacy() -> str:
    return _page(PersonSearchForm(formdata=None))


@bp.post("/donnees-personnelles")
@staff_required(StaffRole.MANAGER)
def privacy_search() -> tuple[str, int] | str:
    form = PersonSearchForm()
    if not form.validate():
        return _page(form), 422
    return _found(form.email.data or "", form)


@bp.post("/donnees-personnelles/effacement")
@staff_required(StaffRole.MANAGER)
def privacy_erase() -> Response | tuple[str, int] | str:
    form = ErasureForm()
    email = (form.email.data or "").strip()
    if not form.validate():
        if form.email.errors:
            return _page(PersonSearchForm(formdata=None)), 422
        return _found(email, PersonSearchForm(formdata=None, email=email), erasure=form, status=422)
    operator = current_operator()
    try:
        record = erase_person(
            db.session, operator_id=operator.id, email=email, now=utcnow(), by=current_staff().id
        )
    except ErasureError as error:
        db.session.rollback()
        if error.code == ErasureErrorCode.UNKNOWN_PERSON:
            abort(404)
        return _found(email, PersonSearchForm(formdata=None, email=email), status=409)
    db.session.commit()
    flash(
        _(
            "Données personnelles effacées (%(count)d dossier(s) : %(numbers)s).",
            count=len(record.unit_numbers),
            numbers=", ".join(formatted(n) for n in record.unit_numbers) or "—",
        ),
        "success",
    )
    return redirect(url_for("manage.privacy"), code=303)


def formatted(number: str) -> str:
    """An Annex 2 number as people read it: `OO AA MM UU XXXXXX`."""
    return f"{number[0:2]} {number[2:4]} {number[4:6]} {number[6:8]} {number[8:]}"


def _found(
    email: str,
    search: PersonSearchForm,
    *,
    erasure: ErasureForm | None = None,
    status: int = 200,
) -> tuple[str, int] | str:
    operator = current_operator()
    person = find_person(db.session, operator_id=operator.id, email=email, now=utcnow())
    if person is None:
        return _page(search, not_found=True), 404
    page = _page(search, person=person, erasure=erasure or ErasureForm(formdata=None, email=email))
    return (page, status) if status != 200 else page


def _page(form: PersonSearchForm, **context: object) -> str:
    operator = current_operator()
    records = db.session.scalars(
        select(ErasureRecord)
        .where(ErasureRecord.operator_id == operator.id)
        .order_by(ErasureRecord.erased_at.desc(), ErasureRecord.id.desc())
        .limit(RECENT_ERASURES)
    ).all()
    return render_template("manage/privacy.html", form=form, records=records, **context)
