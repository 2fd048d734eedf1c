"""Shared form pieces: the base form every form of the portal derives from, its text filter,
yes/no radios and the error messages of the locator.

Every text that a person types goes through `clean_text` before anything reads it: white
space around it is dropped, and control characters (NUL, escape, vertical tab…) are removed
and reported. PostgreSQL refuses NUL in text (the request would fail with a 500 and the
booking would be lost), and no person means to type the others. `PortalForm` applies the
filter to every text field of every form by itself, so that a new field cannot forget it
(`tests/web/test_input_hardening.py` fails on a form that does not derive from it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired

YES_NO = [SelectChoice("1", _l("Oui")), SelectChoice("0", _l("Non"))]

# Unicode's control characters (category Cc: C0, DEL and C1). A multi-line text keeps its
# line breaks and tabs; a single-line one keeps none of them.
SINGLE_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
MULTI_LINE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

CONTROL_CHARACTERS_MESSAGE = _l(
    "Ce champ contenait des caractères invisibles non autorisés : nous les avons retirés. "
    "Vérifiez le texte, puis envoyez à nouveau."
)


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    pattern = MULTI_LINE_CONTROLS if multiline else SINGLE_LINE_CONTROLS
    return pattern.search(value) is not None


def clean_text(value: str, *, multiline: bool = False) -> str:
    """The text without its control characters and the white space around it."""
    pattern = MULTI_LINE_CONTROLS if multiline else SINGLE_LINE_CONTROLS
    return pattern.sub("", value).strip()


class TextFilter:
    """The WTForms filter of every text field (see `PortalForm`)."""

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> Any:
        return clean_text(value, multiline=self.multiline) if isinstance(value, str) else value


SINGLE_LINE = TextFilter(multiline=False)
MULTI_LINE = TextFilter(multiline=True)


def strip_choice(value: Any) -> Any:
    """A choice of white space only is no choice (it would skip `Optional()`'s check)."""
    return value.strip() if isinstance(value, str) else value


def text_filter_of(field_class: type[Field]) -> TextFilter | None:
    """The filter a field of this class gets; passwords are compared, never stored or
    stripped, and keep exactly what was typed."""
    if not issubclass(field_class, StringField) or issubclass(field_class, PasswordField):
        return None
    return MULTI_LINE if issubclass(field_class, TextAreaField) else SINGLE_LINE


class PortalForm(FlaskForm):
    """The base of every form: its text fields are cleaned, and a control character in what
    was posted is reported on the field (the text is kept without it)."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            field_class = unbound_field.field_class
            added: Callable[[Any], Any] | None = text_filter_of(field_class)
            if added is None and issubclass(field_class, SelectField):
                added = strip_choice
            if added is not None:
                options = {
                    **options,
                    "filters": (*unbound_field.kwargs.get("filters", ()), added),
                }
            return super().bind_field(form, unbound_field, options)

    def process(self, *args: Any, **kwargs: Any) -> None:
        super().process(*args, **kwargs)
        for field in self:
            found = next((f for f in field.filters if isinstance(f, TextFilter)), None)
            if found is None:
                continue
            typed = [value for value in field.raw_data or () if isinstance(value, str)]
            # White space around the text (a tab pasted from a table) is dropped silently.
            if any(has_control_characters(v.strip(), multiline=found.multiline) for v in typed):
                field.process_errors.append(str(CONTROL_CHARACTERS_MESSAGE))


def yes_no(label: object, required_message: object) -> RadioField:
    return RadioField(label, choices=YES_NO, validators=[InputRequired(message=required_message)])
