"""The "how was this calculated" display: translated rule titles, formatted values, never a repr;
and the comparison chart's geometry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from domain import Explanation, ParameterUse
from tests.explanation_support import ExplanationNames
from webapp.employee.chart import build_chart, nice_ceiling
from webapp.explanations import eligibility_text, explanation_view, format_value

IBB_2022 = ParameterUse("inkomstbasbelopp", Decimal(71000), date(2022, 1, 1), "[S20] Nordea")
UNCONFIRMED = ParameterUse("tillaggsavgift_rate_above", Decimal("0.05"), date(2023, 1, 1), "[S36] KPA", unconfirmed=True)


@dataclass(frozen=True)
class Opaque:
    year: int
    amount: Decimal


def view(app, explanation, lang):
    with app.test_request_context(headers={"Accept-Language": lang}):
        return explanation_view(explanation)


def test_rule_and_parameter_names_are_translated_and_values_formatted_for_the_language(app):
    explanation = Explanation(
        rule="pensionsunderlag", source="RIPS 07 [S26]",
        inputs=(("salary", Decimal(600000)), ("counted_years", (2016, 2017)), ("birth_date", date(1965, 3, 12)),
                ("salary_2016", Decimal(500000))),
        parameters=(IBB_2022,), formula="(a + b) / 5",
    )
    swedish = view(app, explanation, "sv")
    assert swedish.title == "Pensionsunderlag: genomsnittet av de fem bästa av sju år"
    assert swedish.inputs == (
        ("Pensionsgrundande lön", "600\u00a0000\u00a0kr"),
        ("År som räknas", "2016, 2017"),
        ("Födelsedatum", "12 mars 1965"),
        ("Pensionsgrundande lön 2016", "500\u00a0000\u00a0kr"),
    )
    assert swedish.parameters[0].label == "Inkomstbasbelopp" and swedish.parameters[0].value == "71\u00a0000\u00a0kr"
    english = view(app, explanation, "en")
    assert english.inputs[0] == ("Pensionable salary", "SEK\u00a0600,000")
    assert not english.unconfirmed


def test_an_unconfirmed_parameter_in_a_part_marks_the_whole_explanation(app):
    part = Explanation(rule="supplementary", source="x", parameters=(UNCONFIRMED,))
    whole = view(app, Explanation(rule="compare", source="y", parts=(part,)), "en")
    assert whole.unconfirmed and whole.parts[0].unconfirmed
    assert whole.parts[0].parameters[0].value == "5.00\u00a0%"


def test_values_of_unknown_shape_never_show_a_python_repr(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        shown = format_value("thing", Opaque(2020, Decimal(5)))
        assert "Opaque(" not in shown and "Decimal(" not in shown
        assert shown == "Year: 2020; Amount: SEK\u00a05"
        assert format_value("rows", {2020: Decimal(1)}) == "2020: 1"
        assert format_value("flag", True) == "Yes"
        assert format_value("something", object()) == "Object"
        assert explanation_view(Explanation(rule="brand_new_rule", source="s")).title == "Brand new rule"


@pytest.mark.parametrize(("passed", "text"), [(True, "Du är född mellan 1958 och 1985."),
                                              (False, "Du är inte född mellan 1958 och 1985")])
def test_eligibility_rules_read_as_plain_swedish(app, passed, text):
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert eligibility_text("born_in_range", passed).startswith(text)


def test_chart_axis_maximum_is_a_round_number_above_the_largest_amount():
    assert nice_ceiling(Decimal("23456")) == Decimal(25000)
    assert nice_ceiling(Decimal("41000")) == Decimal(50000)
    assert nice_ceiling(Decimal("0")) == Decimal(1000)


def test_chart_bars_are_proportional_and_the_chosen_age_is_marked():
    chart = build_chart({61: (Decimal(10000), Decimal(20000)), 62: (Decimal(15000), Decimal(5000))}, 62)
    first, second = chart.groups
    assert first.move.height == pytest.approx(2 * first.stay.height)
    assert first.stay.y + first.stay.height == chart.baseline
    assert [g.chosen for g in chart.groups] == [False, True]
    assert chart.ticks[-1].amount == Decimal(20000)


def test_every_rule_and_input_the_domain_explains_has_a_translated_name(app):
    """A new rule or input in domain/ must get a title here, or the page would show its code."""
    import domain
    from domain import Employment, PersonHistory, SalaryYear

    at = date(2023, 4, 20)
    histories = [
        PersonHistory(
            birth_date=birth, employments=(Employment("2120000001", date(1995, 1, 1), None, pay, Decimal(100)),),
            salaries=tuple(SalaryYear(y, Decimal(salary)) for y in range(first, 2023)),
            ipr_1997=Decimal(24000), ipr_1997_above_ceiling=Decimal(3000), fixed_monthly_salary_2022_12_31=monthly,
        )
        for birth, first, salary, pay, monthly in (
            (date(1965, 3, 12), 2000, 640_000, "monthly", Decimal(62000)),
            (date(1990, 6, 20), 2014, 380_000, "hourly", None),
            (date(1956, 1, 1), 2005, 300_000, "monthly", Decimal(25000)),
        )
    ]
    seen = ExplanationNames()

    for history in histories:
        e = domain.entitlements(history, at)
        for figure in (e.pensionsunderlag, e.benefit_levels, e.time_factor, e.fap_at_65, e.intjanad_livranta,
                       e.livranta, e.ipr_1997, e.ipr_1997_above_ceiling, *e.dc_contributions):
            seen.walk(figure.explanation)
        for rule in domain.eligibility_2023(history).rules:
            seen.walk(rule.explanation)
        for comparison in domain.compare_ages(history, None, at).values():
            seen.walk(comparison.explanation)
    seen.assert_all_named(app)

