"""A lost CSRF token (cookie lost, session expired) gives the form back, never the action.

Design (issue 10). CSRFProtect keeps checking every unsafe request before any view runs, and
a failure answers the branded 400 page of portal/errors.py. The public forms a person fills
in at length (the front-door questionnaire, the booking and waiting-request forms, moving or
cancelling an appointment) are marked `@refill_on_lost_token`: for them the same check runs
at the start of the view instead, and on failure

- a message in the person's language is flashed;
- the view runs with CSRF still *not* validated, so its FlaskForm's own CSRF field fails
  `validate()` and the view answers its usual « correct the form » page (422), with what the
  person typed and a fresh token;
- as a second lock, any ORM write (flush, insert, update, delete) in that request raises
  CSRFError (the 400 page), so a view that would act without validating its form can never
  be tricked into it.

Only views that act after `form.validate()` of a FlaskForm with CSRF on may be marked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, flash, make_response, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from portal.extensions import csrf, db

SESSION_EXPIRED = _l("Votre session a expiré ; vérifiez vos informations et envoyez à nouveau.")

View = TypeVar("View", bound=Callable[..., Any])


def refill_on_lost_token(view: View) -> View:
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        config = current_app.config
        if not config["WTF_CSRF_ENABLED"] or request.method not in config["WTF_CSRF_METHODS"]:
            return view(*args, **kwargs)
        try:
            csrf.protect()
        except CSRFError:
            pass
        else:
            return view(*args, **kwargs)
        flash(str(SESSION_EXPIRED), "error")
        event.listen(db.session, "before_flush", _refuse_writes)
        event.listen(db.session, "do_orm_execute", _refuse_bulk_writes)
        response = make_response(view(*args, **kwargs))
        if response.status_code < 300:  # a view that re-renders with 200 is still a refusal
            response.status_code = 422
        return response

    # CSRFProtect skips it: the check above runs inside the view instead.
    csrf.exempt(checked)
    return checked  # type: ignore[return-value]


def _refuse_writes(session: Session, *args: Any) -> None:
    raise CSRFError(str(SESSION_EXPIRED))


def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise CSRFError(str(SESSION_EXPIRED))
