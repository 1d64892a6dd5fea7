"""Forms of the register pages. Amounts accept the Swedish decimal comma and spaces between
thousands; dates are YYYY-MM-DD; every message says what to do."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from domain import InvalidPersonalIdentityNumber, parse_pnr
from webapp import clock
from webapp.importing.csv_layout import parse_day, parse_decimal

PAY_TYPES = {"monthly": _l("Monthly salary"), "hourly": _l("Hourly pay")}
LEAVE_KINDS = {
    "leave": _l("Leave of absence"),
    "sickness_compensation": _l("Sickness compensation"),
    "activity_compensation": _l("Activity compensation"),
}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]
PNR_MESSAGES = {
    "format": _l("Write the personal identity number as YYYYMMDD-NNNN."),
    "date": _l("The personal identity number does not contain a real date of birth."),
    "check_digit": _l("The check digit of the personal identity number is wrong. Check the number."),
}


class DecimalCommaField(StringField):
    """An amount: `12 345,50` or `12345.50`; the data is a Decimal (None when empty)."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw:
            try:
                self.data = parse_decimal(self.raw.rstrip("%").strip())
            except ValueError:
                raise ValueError(_l("Write a number, for example 12 345,50.")) from None

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return "" if self.data is None else str(self.data).replace(".", ",")


class DayField(StringField):
    """A date as YYYY-MM-DD; a date that does not exist (2023-02-30) is an error."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw:
            try:
                self.data = parse_day(self.raw)
            except ValueError:
                raise ValueError(_l("Write a real date as YYYY-MM-DD, for example 2023-04-01.")) from None

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return "" if self.data is None else self.data.isoformat()


def _required(message):
    return InputRequired(message=message)


class EmploymentForm(FlaskForm):
    start_date = DayField(_l("First day"), [_required(_l("Give the first day of the employment."))])
    end_date = DayField(_l("Last day (leave empty while it lasts)"), [Optional()])
    pay_type = SelectField(_l("Pay form"), choices=_choices(PAY_TYPES))
    degree = DecimalCommaField(_l("Employment degree (%)"), [_required(_l("Give the employment degree."))])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def validate_degree(self, field):
        if field.data is not None and not (Decimal(0) < field.data <= Decimal(100)):
            raise ValidationError(_l("The employment degree must be above 0 and at most 100 %."))

    def values(self) -> dict:
        return {"start_date": self.start_date.data, "end_date": self.end_date.data,
                "pay_type": self.pay_type.data, "degree": self.degree.data}


class SalaryForm(FlaskForm):
    year = IntegerField(_l("Year"), [_required(_l("Give the year.")),
                                     NumberRange(1960, 2100, message=_l("Give a year between 1960 and 2100."))])
    amount = DecimalCommaField(_l("Pensionable salary for the year (SEK)"),
                               [_required(_l("Give the pensionable salary."))])
    full_time_amount = DecimalCommaField(_l("Converted to full time (SEK, hourly paid only)"), [Optional()])

    def __init__(self, *args, hourly_years: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.hourly_years = hourly_years

    def validate_amount(self, field):
        if field.data is not None and field.data < 0:
            raise ValidationError(_l("The salary cannot be negative."))
        if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError(_l("Give the amount in kronor and öre (at most two decimals)."))

    def validate_full_time_amount(self, field):
        if field.data is not None and field.data < 0:
            raise ValidationError(_l("The salary cannot be negative."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # An empty optional field skips its own validators, so the hourly rule is checked here.
        if self.full_time_amount.data is None and self.year.data in self.hourly_years:
            self.full_time_amount.errors = [
                *self.full_time_amount.errors,
                _l("The person was hourly paid this year: give the salary converted to full time."),
            ]
            return False
        return valid

    def values(self) -> dict:
        return {"year": self.year.data, "amount": self.amount.data, "full_time_amount": self.full_time_amount.data}


class LeaveForm(FlaskForm):
    start_date = DayField(_l("First day"), [_required(_l("Give the first day of the period."))])
    end_date = DayField(_l("Last day (leave empty while it lasts)"), [Optional()])
    kind = SelectField(_l("Kind"), choices=_choices(LEAVE_KINDS))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def values(self) -> dict:
        return {"start_date": self.start_date.data, "end_date": self.end_date.data, "kind": self.kind.data}


class PnrField(StringField):
    """A personal identity number checked with ``domain.parse_pnr``; data is the parsed number."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw:
            try:
                self.data = parse_pnr(self.raw, clock.today())
            except InvalidPersonalIdentityNumber as error:
                raise ValueError(PNR_MESSAGES[error.reason]) from None

    def _value(self):
        return getattr(self, "raw", "") or ""


class PnrSearchForm(FlaskForm):
    pnr = PnrField(_l("Personal identity number"), [_required(_l("Give a personal identity number."))])


class NewPersonForm(EmploymentForm):
    pnr = PnrField(_l("Personal identity number"), [_required(_l("Give a personal identity number."))])
    given_name = StringField(_l("Given name"), [_required(_l("Give the given name.")), Length(max=100)])
    family_name = StringField(_l("Family name"), [_required(_l("Give the family name.")), Length(max=100)])


class UploadForm(FlaskForm):
    file = FileField(_l("Salary file (CSV)"), [FileRequired(message=_l("Choose a file to send."))])


FORMS = {"employment": EmploymentForm, "salary": SalaryForm, "leave": LeaveForm}
