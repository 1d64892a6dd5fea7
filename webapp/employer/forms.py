"""Forms of the employer pages (CSRF through Flask-WTF)."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError


def printable(value):
    """Drop control characters (NUL cannot even be stored by PostgreSQL); keep line breaks and tabs."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch in "\n\r\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


class SearchForm(FlaskForm):
    term = StringField(
        _l("Name or personal identity number"),
        filters=[printable],
        validators=[DataRequired(message=_l("Type a name or a personal identity number.")), Length(max=100)],
    )
    # The current filters travel along so a search keeps them.
    status = HiddenField()
    agreement = HiddenField()
    timing = HiddenField()
    received_from = HiddenField()
    received_to = HiddenField()


def _reason_when(value: str, message):
    def check(form, field):
        if form.outcome.data == value and not (field.data or "").strip():
            raise ValidationError(message)

    return check


class DecisionForm(FlaskForm):
    outcome = RadioField(
        _l("Decision"),
        choices=[("approved", _l("Approve the choice")), ("rejected", _l("Reject the choice"))],
        validators=[InputRequired(message=_l("Choose approve or reject."))],
    )
    reason = TextAreaField(
        _l("Reason (required when rejecting)"),
        filters=[printable],
        validators=[
            _reason_when("rejected", _l("Give the reason for the rejection; the employee will see it.")),
            Length(max=2000),
        ],
    )


class BulkDecisionForm(DecisionForm):
    pass


class LateDecisionForm(FlaskForm):
    outcome = RadioField(
        _l("Decision"),
        choices=[("granted", _l("Grant: the employee may choose now")), ("refused", _l("Refuse the request"))],
        validators=[InputRequired(message=_l("Choose grant or refuse."))],
    )
    reason = TextAreaField(
        _l("Reason (required when refusing)"),
        filters=[printable],
        validators=[
            _reason_when("refused", _l("Give the reason for the refusal; the employee will see it.")),
            Length(max=2000),
        ],
    )


class ExportForm(FlaskForm):
    organisation_id = HiddenField(validators=[InputRequired()])
