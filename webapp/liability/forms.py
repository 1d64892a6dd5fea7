"""Forms of the pension liability pages: a new calculation (POST, CSRF), the name search of the
individual list (POST, so the term stays out of URLs) and the what-if assumptions (a GET form that
changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from webapp import clock
from webapp.employee.forms import PercentField, WholeNumberField
from webapp.employer.forms import printable
from webapp.register.forms import DayField


class CalculationForm(FlaskForm):
    at = DayField(_l("Calculation date"), [InputRequired(message=_l("Give the calculation date."))])
    label = StringField(_l("Name of the calculation (optional)"), filters=[printable],
                        validators=[Optional(), Length(max=200, message=_l("Use at most 200 characters."))])

    def validate_at(self, field):
        if field.data is not None and field.data > clock.today():
            raise ValidationError(_l("The calculation date cannot be in the future."))


class NameSearchForm(FlaskForm):
    term = StringField(_l("Search by name"), filters=[printable],
                       validators=[DataRequired(message=_l("Type a name to search for.")),
                                   Length(max=100, message=_l("Use at most 100 characters."))])


class AgeField(WholeNumberField):
    """Whole years; its parse error speaks of an age."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Enter the age as a whole number of years, for example 65."))) from None


class WhatIfForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    discount_rate = PercentField(
        _l("Discount rate (real, percent per year)"),
        validators=[InputRequired(message=_l("Enter the discount rate."))])
    mortality = SelectField(_l("Mortality table"), validate_choice=False,
                            validators=[InputRequired(message=_l("Choose a mortality table."))])
    payment_age = AgeField(
        _l("Age at which payments start"),
        validators=[InputRequired(message=_l("Enter the age at which payments start."))])
