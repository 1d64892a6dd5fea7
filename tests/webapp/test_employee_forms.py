"""The comparison's assumptions form: percentages as people type them, refusals with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from webapp.employee.forms import AssumptionsForm


@pytest.mark.parametrize(("typed", "percent"), [
    ("1,5", Decimal("1.5")), ("1.5", Decimal("1.5")), ("1,5 %", Decimal("1.5")),
    ("\u22122", Decimal(-2)), ("-0,25", Decimal("-0.25")), ("\u00a03\u00a0", Decimal(3)),
])
def test_percent_field_reads_numbers_as_people_type_them(app, typed, percent):
    with app.test_request_context():
        form = AssumptionsForm(formdata=MultiDict(
            {"retirement_age": "65", "real_salary_growth": typed, "real_return": "1", "payout_years": "20"}))
        assert form.validate(), form.errors
        assert form.real_salary_growth.data == percent


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "NaN", "Infinity", "11", "-5,01"])
def test_percent_field_refuses_what_is_not_a_sensible_percentage(app, typed):
    with app.test_request_context():
        form = AssumptionsForm(formdata=MultiDict(
            {"retirement_age": "65", "real_salary_growth": typed, "real_return": "1", "payout_years": "20"}))
        assert not form.validate()
        assert list(form.errors) == ["real_salary_growth"]
