"""Forms of the choice blueprint."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from webapp.services.choices import LATE_REASON_MAX_LENGTH


def clean_text(value):
    """Free text as stored: control characters other than line breaks and tabs removed (PostgreSQL
    refuses NUL in text), surrounding whitespace trimmed."""
    if not isinstance(value, str):
        return value
    kept = "".join(char for char in value if char in "\n\t" or unicodedata.category(char) != "Cc")
    return kept.strip()


class ChoiceForm(FlaskForm):
    agreement = RadioField(
        _l("Which agreement do you choose?"),
        choices=[SelectChoice("KAP-KL"), SelectChoice("AKAP-KR")],
        validators=[InputRequired(message=_l("Choose KAP-KL or AKAP-KR."))],
    )


class LateRequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Why could you not choose before the period ended?"),
        filters=[clean_text],
        validators=[
            InputRequired(message=_l("Write why you could not choose in time.")),
            Length(min=3, max=LATE_REASON_MAX_LENGTH,
                   message=_l("Write between %(min)d and %(max)d characters.")),
        ],
    )
