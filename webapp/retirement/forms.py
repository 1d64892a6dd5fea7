"""Forms of the retirement pages (CSRF through Flask-WTF); every message says what to do."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from domain.milestones import MILESTONES
from webapp.employer.forms import printable
from webapp.register.forms import DayField
from webapp.retirement.presentation import MILESTONE_LABELS
from webapp.services.retirement import MAX_NOTICE_MONTHS


class _SettingsBase(FlaskForm):
    def rows(self):
        """(code, enabled field, months field) per milestone."""
        return [(code, self[f"enabled_{code}"], self[f"months_{code}"]) for code in MILESTONES]

    def values(self) -> dict[str, tuple[bool, int]]:
        return {code: (bool(enabled.data), months.data if months.data is not None else 0)
                for code, enabled, months in self.rows()}


_MONTHS_MESSAGE = _l("Write a whole number of months from 0 to %(max)s.", max=MAX_NOTICE_MONTHS)


class MonthsField(StringField):
    """A whole number of months; what was typed is kept when it is not one."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw:
            if not self.raw.isdigit():
                raise ValueError(_MONTHS_MESSAGE)
            self.data = int(self.raw)

    def process_data(self, value):
        self.data = value

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return "" if self.data is None else str(self.data)


def _months_when_enabled(code: str):
    def check(form, field):
        if field.data is not None and not 0 <= field.data <= MAX_NOTICE_MONTHS:
            raise ValidationError(_MONTHS_MESSAGE)
        if form[f"enabled_{code}"].data and field.data is None and not getattr(field, "raw", ""):
            raise ValidationError(_l("Give the notice time in months to monitor this milestone."))

    return check


def settings_form_class():
    """One checkbox and one number of months per milestone of the domain."""
    fields = {}
    for code in MILESTONES:
        label = MILESTONE_LABELS[code]
        fields[f"enabled_{code}"] = BooleanField(_l("Monitor: %(milestone)s", milestone=label))
        fields[f"months_{code}"] = MonthsField(
            _l("Months of notice before: %(milestone)s", milestone=label),
            validators=[_months_when_enabled(code)],
        )
    return type("MonitoringSettingsForm", (_SettingsBase,), fields)


def _when(value: str, message):
    def check(form, field):
        if form.outcome.data == value and not (field.data or "").strip():
            raise ValidationError(message)

    return check


class PensionDecisionForm(FlaskForm):
    outcome = RadioField(
        _l("Decision"),
        choices=[SelectChoice("approved", _l("Approve the calculation basis")),
                 SelectChoice("rejected", _l("Reject the application"))],
        validators=[InputRequired(message=_l("Choose approve or reject."))],
    )
    letter_to = RadioField(
        _l("Send the pension letter to"),
        choices=[SelectChoice("employee", _l("The employee (shown on their page)")),
                 SelectChoice("employer", _l("The employer (we send it ourselves)"))],
        validate_choice=False,  # checked by validate_letter_to, only when approving
    )
    reason = TextAreaField(
        _l("Reason (required when rejecting)"),
        filters=[printable],
        validators=[_when("rejected", _l("Give the reason for the rejection; the employee will see it.")),
                    Length(max=2000)],
    )
    seen_start = HiddenField()

    def validate_letter_to(self, field):
        if self.outcome.data == "approved" and field.data not in ("employee", "employer"):
            raise ValidationError(_l("Choose who receives the pension letter."))


class RedateForm(FlaskForm):
    start = DayField(_l("Another start date"), validators=[InputRequired(message=_l("Give the new start date."))])


class ApplicationForm(FlaskForm):
    start = DayField(_l("Start the pension from"),
                     validators=[InputRequired(message=_l("Give the date you want your pension to start."))])
    # Checked by the service (an ongoing employment there), with a message of our own.
    organisation_id = SelectField(_l("Employer"), coerce=str, validate_choice=False)
