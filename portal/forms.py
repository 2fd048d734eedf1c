"""Shared form pieces: yes/no radios and the error messages of the locator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

YES_NO = [SelectChoice("1", _l("Oui")), SelectChoice("0", _l("Non"))]


def yes_no(label: object, required_message: object) -> RadioField:
    return RadioField(label, choices=YES_NO, validators=[InputRequired(message=required_message)])
