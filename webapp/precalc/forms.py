"""Forms of the pre-calculation pages (CSRF through Flask-WTF on the POST forms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from webapp.employer.forms import printable
from webapp.services.precalc import NOTE_MAX

ADDRESSEE_CHOICES = [
    SelectChoice("employee", _l("The employee")),
    SelectChoice("employer", _l("The employer (kept on file)")),
]


class FindForm(FlaskForm):
    """A name or a personal identity number, posted so that the number never lands in a URL."""

    term = StringField(
        _l("Name or personal identity number"),
        filters=[printable],
        validators=[DataRequired(message=_l("Type a name or a personal identity number.")), Length(max=100)],
    )


class SaveForm(FlaskForm):
    """Saving a pre-calculation; the simulation's inputs travel along as hidden fields and are
    checked again (the figures are recomputed on the server, never taken from the form)."""

    note = TextAreaField(
        _l("Note (optional)"), filters=[printable],
        validators=[Length(max=NOTE_MAX, message=_l("Write at most %(max)s characters.", max=NOTE_MAX))],
    )
    addressee = RadioField(
        _l("Whom is the pension letter for?"), choices=ADDRESSEE_CHOICES, default="employee",
        validators=[InputRequired(message=_l("Choose whom the pension letter is for."))],
    )


class LetterForm(FlaskForm):
    """The letter's addressee (a GET form: downloading changes no data)."""

    class Meta:
        csrf = False

    till = RadioField(_l("Address the letter to"), choices=ADDRESSEE_CHOICES,
                      validators=[InputRequired(message=_l("Choose whom the pension letter is for."))])
