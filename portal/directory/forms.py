"""Forms of the directory screens: the service filter, and an organisation's details."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from portal.forms import PortalForm

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
WEBSITE = r"^https?://[^\s/$.?#][^\s]*$"


class DirectoryFilterForm(PortalForm):
    class Meta:
        csrf = False  # a GET filter

    service = SelectField(_l("Service proposé"), choices=[], validators=[Optional()])

    def __init__(self, *args: Any, services: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service.choices = [SelectChoice("", _l("Tous les services"))] + [
            SelectChoice(code, label) for code, label in services.items()
        ]


class ProviderForm(PortalForm):
    name = StringField(
        _l("Nom de l'organisme"),
        validators=[InputRequired(message=_l("Indiquez le nom de l'organisme.")), Length(max=200)],
    )
    commune_name = StringField(
        _l("Commune"),
        validators=[InputRequired(message=_l("Indiquez la commune.")), Length(max=200)],
    )
    postal_code = StringField(
        _l("Code postal (facultatif)"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{5}$", message=_l("Un code postal compte 5 chiffres.")),
        ],
    )
    website = StringField(
        _l("Site internet (facultatif)"),
        validators=[
            Optional(),
            Length(max=300),
            Regexp(
                WEBSITE,
                message=_l("Indiquez l'adresse complète, par exemple https://www.exemple.fr."),
            ),
        ],
    )
    phone = StringField(_l("Téléphone (facultatif)"), validators=[Optional(), Length(max=40)])
    email = StringField(
        _l("Adresse e-mail (facultatif)"),
        validators=[
            Optional(),
            Length(max=200),
            Regexp(
                EMAIL,
                message=_l("Indiquez une adresse e-mail complète, par exemple contact@exemple.fr."),
            ),
        ],
    )
    services = SelectMultipleField(
        _l("Services proposés"),
        choices=[],
        validators=[InputRequired(message=_l("Cochez au moins un service."))],
        validate_choice=True,
    )
    is_operator = BooleanField(
        _l("Organisme du titulaire (l'opérateur lui-même ou une structure de son groupe)")
    )

    note = TextAreaField(_l("Précisions (facultatif)"), validators=[Optional(), Length(max=1000)])

    def __init__(self, *args: Any, services: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services.choices = [SelectChoice(code, label) for code, label in services.items()]
