"""The comparison's adjustable assumptions, read from the query string (a GET form)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.fields import Field
from wtforms.validators import InputRequired, NumberRange, ValidationError
from wtforms.widgets import TextInput

RETIREMENT_AGES = range(61, 70)
RATE_RANGE = (Decimal(-5), Decimal(10))  # percent per year, real (above inflation)
PAYOUT_YEARS = (10, 40)  # AKAP-KR pays out for at least ten years (spec 3, [S4][S28])


class WholeNumberField(IntegerField):
    """An integer field whose parse error is in our catalogs."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Enter a whole number, for example 20."))) from None


class PercentField(Field):
    """A percentage typed as people type it: `1,5`, `1.5` or `1,5 %`. Holds a Decimal (percent)."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        text = format(self.data.normalize(), "f")
        return text.replace(".", ",") if str(get_locale()) == "sv" else text

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].replace("\u00a0", "").replace(" ", "").replace("%", "").replace(",", ".")
        text = text.replace("\u2212", "-")  # a typographic minus sign
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(str(_l("Enter a number, for example 1.5."))) from None
        if not self.data.is_finite():
            self.data = None
            raise ValueError(str(_l("Enter a number, for example 1.5.")))


def _percent_in_range(form, field) -> None:
    low, high = RATE_RANGE
    if field.data is not None and not low <= field.data <= high:
        raise ValidationError(
            str(_l("Enter a value between %(low)s and %(high)s percent.", low=low, high=high))
        )


class AssumptionsForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    retirement_age = WholeNumberField(
        _l("Retirement age"),
        validators=[
            InputRequired(message=_l("Choose a retirement age.")),
            NumberRange(min=61, max=69, message=_l("Choose a retirement age between 61 and 69.")),
        ],
    )
    real_salary_growth = PercentField(
        _l("Real salary growth per year (percent)"),
        validators=[InputRequired(message=_l("Enter the salary growth.")), _percent_in_range],
    )
    real_return = PercentField(
        _l("Real return per year (percent)"),
        validators=[InputRequired(message=_l("Enter the return.")), _percent_in_range],
    )
    payout_years = WholeNumberField(
        _l("Payout years for the defined-contribution pension"),
        validators=[
            InputRequired(message=_l("Enter the number of payout years.")),
            NumberRange(
                min=PAYOUT_YEARS[0],
                max=PAYOUT_YEARS[1],
                message=_l("Enter a number of years between %(min)s and %(max)s."),
            ),
        ],
    )
