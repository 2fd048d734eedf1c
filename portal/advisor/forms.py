"""Forms of the dossier page: engaging a unit, its Annex 2 data, its interactions, and the
closure of a UO2.2 on the person's written request.

Field names are the core's (`engaged_on`, `consent_given_on`, `motif_detaille`,
`closure_trace`…), so that a `UnitError` naming fields lands next to them. Choices come from
the reference tables the view read (`ReferenceTables`): forms never query the database.
"""

from __future__ import annotations

import functools
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.advisor import reference_data as ref
from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import Unit, UnitKind
from portal.advisor.reference import ReferenceTables
from portal.advisor.rules import FieldRule, Stage, fields_for
from portal.advisor.views.texts import (
    CONSENT_LABELS,
    FIELD_LABELS,
    KIND_DELAYS,
    KIND_TITLES,
    error_message,
)
from portal.forms import YES_NO, PortalForm
from portal.network.models import StaffMember

REQUIRED = _l("Cette information est obligatoire.")
NOT_IN_TABLE = _l("Choisissez une valeur de la liste.")
# The core's transition refusals belong next to the unit chosen; the others name their field.
CODE_FIELDS = {
    UnitErrorCode.REFERENT_NOT_ADVISOR: "referent",
    UnitErrorCode.MISSING_FIELDS: "closure_trace",
    UnitErrorCode.NOT_VOLUNTARY_REASON: "motif_cloture",
}
# Reference-table names the core gives in UNKNOWN_CODE, and the form field holding them.
LIST_FIELDS = {ref.MODE_CONTACT: "contact_mode", ref.TYPE_SERVICE: "service_type"}


def attach_error(form: FlaskForm, error: UnitError, *, fallback: str) -> None:
    """Put the refusal's sentence next to the fields it names (or the field of its code,
    or `fallback`); on the form itself when none of them is in this form."""
    message = error_message(error)
    names = [LIST_FIELDS.get(name, name) for name in error.fields] or [
        CODE_FIELDS.get(error.code, fallback)
    ]
    placed = False
    for name in names:
        if name in form:
            form[name].errors.append(message)
            placed = True
    if not placed:
        form.form_errors.append(message)


def reference_choices(
    tables: ReferenceTables, list_name: str, *, placeholder: bool = True, exclude: str = ""
) -> list[SelectChoice]:
    first = [SelectChoice("", _l("— Choisir —"))] if placeholder else []
    return first + [
        SelectChoice(item.code, item.label(tables.locale))
        for item in tables.choices(list_name)
        if item.code != exclude
    ]


def detailed_motive_choices(tables: ReferenceTables) -> list[SelectChoice]:
    """Detailed motives grouped under their motive (`<optgroup>`)."""
    choices = [SelectChoice("", _l("— Choisir —"))]
    for motif in tables.choices(ref.MOTIF):
        choices += [
            SelectChoice(item.code, item.label(tables.locale), optgroup=motif.label(tables.locale))
            for item in tables.choices(ref.MOTIF_DETAILLE)
            if item.parent == motif.code
        ]
    return choices


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


class EngageForm(PortalForm):
    kind = RadioField(
        _l("Unité à engager"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez l'unité à engager."))],
        invalid_choice_message=_l("Choisissez l'unité à engager."),
    )
    engaged_on = DateField(
        _l("Date d'engagement"),
        validators=[InputRequired(message=_l("Indiquez la date d'engagement."))],
    )
    consent_given_on = DateField(
        _l("Date de l'accord de la personne"),
        validators=[InputRequired(message=_l("Indiquez la date de l'accord de la personne."))],
    )
    consent_mode = RadioField(
        _l("Comment la personne a donné son accord explicite"),
        choices=[SelectChoice(mode.value, label) for mode, label in CONSENT_LABELS.items()],
        validators=[InputRequired(message=_l("Indiquez comment la personne a donné son accord."))],
        invalid_choice_message=_l("Indiquez comment la personne a donné son accord."),
    )
    origine = SelectField(
        FIELD_LABELS["origine"],
        choices=[],
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=NOT_IN_TABLE,
    )
    motif = SelectField(
        FIELD_LABELS["motif"],
        choices=[],
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=NOT_IN_TABLE,
    )
    motif_detaille = SelectField(
        FIELD_LABELS["motif_detaille"],
        choices=[],
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=NOT_IN_TABLE,
    )
    # Only read for a UO2.1 (a UO1 is the engaging advisor's, a UO2.2 keeps its référent).
    referent = SelectField(
        _l("Référent unique (UO2.1)"), coerce=_int_or_none, choices=[], validate_choice=False
    )
    link_first_appointment = BooleanField(
        _l("Enregistrer le premier rendez-vous comme premier échange de cette unité")
    )

    def validate_referent(self, field: SelectField) -> None:
        if self.kind.data == UnitKind.UO21 and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choisissez un conseiller actif de l'opérateur."))

    def set_choices(
        self, tables: ReferenceTables, kinds: tuple[UnitKind, ...], advisors: list[StaffMember]
    ) -> None:
        self.kind.choices = [
            SelectChoice(kind.value, f"{kind.label} — {KIND_TITLES[kind]} ({KIND_DELAYS[kind]})")
            for kind in kinds
        ]
        self.origine.choices = reference_choices(tables, ref.ORIGINE)
        self.motif.choices = reference_choices(tables, ref.MOTIF)
        self.motif_detaille.choices = detailed_motive_choices(tables)
        self.referent.choices = [SelectChoice(a.id, a.full_name) for a in advisors]


class InteractionForm(PortalForm):
    occurred_on = DateField(
        _l("Date de l'échange"),
        validators=[InputRequired(message=_l("Indiquez la date de l'échange."))],
    )
    contact_mode = SelectField(
        _l("Mode de contact"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez le mode de contact."))],
        invalid_choice_message=NOT_IN_TABLE,
    )
    service_type = SelectField(
        _l("Type de service (facultatif)"),
        choices=[],
        validators=[Optional()],
        invalid_choice_message=NOT_IN_TABLE,
    )
    duration_minutes = IntegerField(
        _l("Durée, en minutes"),
        validators=[
            InputRequired(message=_l("Indiquez la durée de l'échange, en minutes.")),
            NumberRange(min=1, max=600, message=_l("Indiquez une durée entre 1 et 600 minutes.")),
        ],
    )
    notes = TextAreaField(_l("Notes (facultatif)"), validators=[Optional(), Length(max=4000)])

    def set_choices(self, tables: ReferenceTables) -> None:
        self.contact_mode.choices = reference_choices(tables, ref.MODE_CONTACT)
        self.service_type.choices = reference_choices(tables, ref.TYPE_SERVICE)


class WrittenClosureForm(PortalForm):
    """UO2.2: the person asked in writing to close (CCTP 2.1.3)."""

    closure_trace = TextAreaField(
        _l("Demande écrite de la personne, recopiée mot pour mot"),
        validators=[
            InputRequired(message=_l("Recopiez la demande écrite de la personne.")),
            Length(max=10000),
        ],
    )
    motif_cloture = SelectField(
        FIELD_LABELS["motif_cloture"],
        choices=[],
        validators=[InputRequired(message=_l("Choisissez le motif de clôture."))],
        invalid_choice_message=_l("Choisissez un motif de clôture volontaire."),
    )
    closed_on = DateField(
        _l("Date de la demande"),
        validators=[InputRequired(message=_l("Indiquez la date de la demande."))],
    )

    def set_choices(self, tables: ReferenceTables) -> None:
        # « Abandon » is the system's to record at the end of the delay, never a choice.
        self.motif_cloture.choices = reference_choices(
            tables, ref.MOTIF_CLOTURE, exclude=ref.ABANDON
        )


# --- The unit's Annex 2 data: one form class per kind of unit, built from the rules --------


class UnitDataForm(PortalForm):
    """Fields added per unit kind by `unit_data_form_class` (`rules.fields_for`)."""

    def set_choices(self, tables: ReferenceTables) -> None:
        for rule in fields_for(self.kind):
            if rule.table is None:
                continue
            field = self[rule.name]
            if rule.name == "motif_detaille":
                field.choices = detailed_motive_choices(tables)
            else:
                field.choices = reference_choices(tables, rule.table, placeholder=not rule.multiple)

    kind: UnitKind = UnitKind.UO1


def _data_field(rule: FieldRule) -> Field:
    label = FIELD_LABELS[rule.name]
    if rule.name == "description_service":
        return TextAreaField(label, validators=[Optional(), Length(max=4000)])
    if rule.table is None:  # a yes/no answer, which may stay unanswered until closure
        return RadioField(label, choices=YES_NO, validators=[Optional()])
    if rule.multiple:
        return SelectMultipleField(
            label, choices=[], validators=[Optional()], invalid_choice_message=NOT_IN_TABLE
        )
    # The entry data is required from the engagement on (Annex 2, « Oui » for every UO).
    required = rule.stage == Stage.ENGAGEMENT
    return SelectField(
        label,
        choices=[],
        validators=[InputRequired(message=REQUIRED) if required else Optional()],
        invalid_choice_message=NOT_IN_TABLE,
    )


@functools.cache
def unit_data_form_class(kind: UnitKind) -> type[UnitDataForm]:
    kind = UnitKind(kind)  # a unit read from the database holds the plain code
    fields: dict[str, Any] = {rule.name: _data_field(rule) for rule in fields_for(kind)}
    fields["kind"] = kind
    return type(f"UnitData{kind.name}Form", (UnitDataForm,), fields)


def unit_data_initial(unit: Unit) -> dict[str, Any]:
    """The unit's stored values, as the form shows them (yes/no as "1"/"0")."""
    initial: dict[str, Any] = {}
    for rule in fields_for(unit.kind):
        value = getattr(unit, rule.name)
        if isinstance(value, bool):
            value = "1" if value else "0"
        initial[rule.name] = value
    return initial


def unit_data_values(form: UnitDataForm) -> dict[str, Any]:
    """What the form says, as `update_unit_data` takes it."""
    values: dict[str, Any] = {}
    for rule in fields_for(form.kind):
        raw = form[rule.name].data
        if rule.name == "description_service":
            values[rule.name] = (raw or "").strip()
        elif rule.table is None:
            values[rule.name] = {"1": True, "0": False}.get(raw or "")
        elif rule.multiple:
            values[rule.name] = list(raw or [])
        else:
            values[rule.name] = raw or None
    return values
