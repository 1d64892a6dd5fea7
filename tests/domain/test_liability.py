"""The RIPS pension liability (issue 7): the reserve of a person, the split before/from 1998,
särskild löneskatt, the totals, the assumptions and their validation, the mortality tables."""

from datetime import date
from decimal import Decimal

import pytest

from domain import akapkr_ipr_2022, akapkr_ipr_value, entitlements
from domain.annuity import age_in_months, annuity_factors, payment_weights
from domain.liability import (
    InvalidAssumption,
    LiabilityAssumptions,
    LiabilityPerson,
    change_assumptions,
    default_assumptions,
    person_reserve,
    reserve_basis,
    total_liability,
    what_if_totals,
)
from domain.money import round_krona
from domain.mortality import load_table, monthly_survival, mortality_tables
from tests.domain import liability_builders as lb
from tests.domain.builders import flat_salaries, person

YEAR_END = date(2024, 12, 31)


def _annual_annuity_due(code: str, age: int, rate: Decimal) -> Decimal:
    """ä(x) = sum v^k l(x+k)/l(x), yearly in advance, from the table's survival at whole ages."""
    survival = monthly_survival(code, "U")
    v = 1 / (1 + rate)
    return sum((v**k * survival[12 * (age + k)] / survival[12 * age] for k in range(0, 120 - age)), Decimal(0))


# --- the mortality table ------------------------------------------------------------------------

def test_the_shipped_table_reproduces_the_published_standard_ultimate_life_table():
    """AMLCR's Standard Ultimate Life Table: l65 = 94 579.7 (radix 100 000 at 20) and the
    annuity-due at 5 %: ä60 = 14.9041, ä65 = 13.5498, ä70 = 12.0083 (published values)."""
    survival = monthly_survival("SULT", "U")
    assert round(survival[65 * 12] / survival[20 * 12] * 100_000, 1) == Decimal("94579.7")
    for age, published in ((60, "14.9041"), (65, "13.5498"), (70, "12.0083")):
        assert round(_annual_annuity_due("SULT", age, Decimal("0.05")), 4) == Decimal(published)


def test_the_monthly_factor_is_close_to_the_yearly_annuity_by_woolhouse():
    """Paid monthly in advance the factor is about ä(x) − 11/24 (Woolhouse's first two terms)."""
    factor = annuity_factors("SULT", "U", Decimal("0.05"), 0)[65 * 12]
    assert abs(factor - (Decimal("13.5498") - Decimal(11) / 24)) < Decimal("0.01")


def test_the_default_table_is_listed_and_flagged_as_a_stand_in():
    assert "SULT" in mortality_tables()
    assert default_assumptions(YEAR_END).mortality in mortality_tables()
    reserve = person_reserve(lb.basis(1, date(1960, 1, 1), lb.right("livranta", 1000)), default_assumptions(YEAR_END))
    assert reserve.explanation.unconfirmed
    assert "mortality_unconfirmed" in reserve.explanation.notes


@pytest.fixture
def immortal(tmp_path, monkeypatch):
    """A q(x) table with no deaths before 120: annuities become plain counts of payments."""
    lb.write_table(tmp_path, "ZERO", 'name = "no deaths"\nsource = "test"\nlaw = "qx"\nmax_age = 120\n'
                   "[sexes.U]\nfirst_age = 0\nq = [" + ", ".join(['"0"'] * 120) + "]\n")
    lb.write_table(tmp_path, "SULT", (lb.Path(__file__).parents[2] / "domain/parameters/mortality/SULT.toml")
                   .read_text(encoding="utf-8"))
    from domain import mortality
    monkeypatch.setattr(mortality, "MORTALITY_DIR", tmp_path)
    lb.clear_caches()
    yield "ZERO"
    monkeypatch.undo()
    lb.clear_caches()


def test_without_deaths_and_interest_the_reserve_is_the_sum_of_the_payments(immortal):
    """At 0 % and no deaths: 12 000 kr a year from 65 to 120 for someone aged exactly 50 =
    12 000 × 55 years = 660 000; in payment at 70: 12 000 × 50 = 600 000."""
    a = change_assumptions(default_assumptions(YEAR_END), mortality=immortal, discount_rate="0")
    deferred = person_reserve(lb.basis(1, date(1974, 12, 31), lb.right("livranta", 12000)), a)
    assert deferred.from_1998 == Decimal(660_000)
    assert deferred.expected_payments[2040] == Decimal(12000)  # 65 in December 2039: all of 2040
    assert sum(deferred.expected_payments.values()) == Decimal(660_000)
    paid = person_reserve(lb.basis(2, date(1954, 12, 31), lb.right("pension_in_payment_from_1998", 12000,
                                                                    in_payment=True), category="pensioner"), a)
    assert paid.from_1998 == Decimal(600_000)
    earlier = change_assumptions(a, payment_age=61)
    assert person_reserve(lb.basis(1, date(1974, 12, 31), lb.right("livranta", 12000)), earlier).from_1998 == 708_000


def test_unknown_sex_with_an_f_and_m_table_is_a_50_50_cohort_mix(tmp_path, monkeypatch):
    """F never die, M all die in their first year: from age 1 the mix is half the cohort, with no
    more deaths, so the unknown sex is valued like the immortal F and an adult M has no reserve."""
    zeros, ones = ", ".join(['"0"'] * 120), ", ".join(['"1"'] * 120)
    lb.write_table(tmp_path, "FM", f'source = "test"\nlaw = "qx"\n[sexes.F]\nq = [{zeros}]\n[sexes.M]\nq = [{ones}]\n')
    a = change_assumptions(default_assumptions(YEAR_END), discount_rate="0")
    a = LiabilityAssumptions(a.at, a.discount_rate, "FM", a.payroll_tax_rate, a.payment_age)
    from domain import mortality
    monkeypatch.setattr(mortality, "MORTALITY_DIR", tmp_path)
    lb.clear_caches()
    try:
        reserves = {sex: person_reserve(lb.basis(1, date(1974, 12, 31), lb.right("livranta", 12000), sex=sex), a).total
                    for sex in ("F", "M", None)}
        assert reserves == {"F": Decimal(660_000), "M": Decimal(0), None: Decimal(660_000)}
    finally:
        monkeypatch.undo()
        lb.clear_caches()


def test_a_q_table_file_is_read_with_its_source_and_flag(tmp_path):
    lb.write_table(tmp_path, "T1", 'name = "t"\nsource = "a published table"\nunconfirmed = true\nlaw = "qx"\n'
                   '[sexes.F]\nfirst_age = 60\nq = ["0.01", "0.02"]\n[sexes.M]\nfirst_age = 60\nq = ["0.02", "0.04"]\n')
    table = load_table(tmp_path / "T1.toml")
    assert (table.code, table.source, table.unconfirmed, table.law) == ("T1", "a published table", True, "qx")
    lb.write_table(tmp_path, "BAD", 'source = "x"\nlaw = "qx"\n[sexes.U]\nq = ["1.5"]\n')
    with pytest.raises(ValueError):
        load_table(tmp_path / "BAD.toml")


# --- assumptions --------------------------------------------------------------------------------

def test_default_assumptions_come_from_the_parameter_files_with_their_sources():
    a = default_assumptions(YEAR_END)
    assert (a.discount_rate, a.payroll_tax_rate, a.payment_age) == (Decimal("0.01"), Decimal("0.2426"), 65)
    rate = next(s for s in a.sources if s.name == "rips_discount_rate")
    assert "[S40]" in rate.source and not rate.unconfirmed
    later = next(s for s in default_assumptions(date(2025, 12, 31)).sources if s.name == "rips_discount_rate")
    assert later.unconfirmed  # no RIPS decision for 2025 in the sources


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"discount_rate": "-0.001"}, "discount_rate", "below_floor"),
    ({"discount_rate": "0.1001"}, "discount_rate", "above_maximum"),
    ({"discount_rate": "one percent"}, "discount_rate", "not_a_number"),
    ({"discount_rate": "NaN"}, "discount_rate", "not_a_number"),
    ({"mortality": "DUS99"}, "mortality", "unknown_table"),
    ({"payment_age": 60}, "payment_age", "out_of_range"),
    ({"payment_age": 68}, "payment_age", "out_of_range"),
    ({"payment_age": "65.5"}, "payment_age", "not_a_number"),
    ({"payroll_tax_rate": "-0.1"}, "payroll_tax_rate", "below_floor"),
    ({"colour": "red"}, "colour", "unknown_field"),
])
def test_an_assumption_outside_its_range_is_refused_with_a_code(changes, field, code):
    with pytest.raises(InvalidAssumption) as error:
        change_assumptions(default_assumptions(YEAR_END), **changes)
    assert (error.value.field, error.value.code) == (field, code)


def test_a_changed_assumption_is_used_and_its_source_says_so():
    a = change_assumptions(default_assumptions(YEAR_END), discount_rate="0,02", payment_age="61")
    assert (a.discount_rate, a.payment_age) == (Decimal("0.02"), 61)
    rate = next(s for s in a.sources if s.name == "rips_discount_rate")
    assert rate.source == "what-if: changed by the user" and rate.value == Decimal("0.02")
    assert next(s for s in a.sources if s.name == "sarskild_loneskatt").source.startswith("[S45]")
    assert change_assumptions(a, discount_rate="0").discount_rate == 0  # the floor itself is allowed


# --- the reserve basis from the register --------------------------------------------------------

def _rips_example_person():
    """RIPS 07's example person (W7/W8): born 1950, employed since 1980, salary above 7.5 IBB."""
    return person(birth=date(1950, 5, 15), salaries=flat_salaries(480000, 1995, 2008),
                  employed_from=date(1980, 1, 1), ipr_1997=Decimal(30000))


def test_the_rips_example_person_has_ipr_intjanad_livranta_and_livranta_split_by_1998():
    """RIPS 07 [S26] (W7/W8): earned = IPR + intjänad livränta (9/30 × 0.6107 × (PU − 7.5 IBB))
    + calendar-year livränta; the IPR is earned before 1998, the livräntor from 1998."""
    at = date(2008, 12, 31)
    history = _rips_example_person()
    rights = entitlements(history, at)
    assert "108/360 x (0.6107 x" in rights.intjanad_livranta.explanation.parts[0].formula  # 9/30
    basis = reserve_basis(LiabilityPerson(7, history, "F", "active"), at)
    assert [(b.code, b.yearly_amount, b.earned_before_1998) for b in basis.benefits] == [
        ("ipr_1997", rights.ipr_1997.amount, True),
        ("intjanad_livranta", rights.intjanad_livranta.amount, False),
        ("livranta", rights.livranta.amount, False),
    ]
    a = change_assumptions(default_assumptions(YEAR_END), at=at)  # no RIPS rate before 2017 in the files
    reserve = person_reserve(basis, a)
    factor = annuity_factors("SULT", "U", Decimal("0.01"), 65 * 12)[age_in_months(date(1950, 5, 15), at)]
    assert reserve.before_1998 == round_krona(rights.ipr_1997.amount * factor)
    assert reserve.from_1998 == (round_krona(rights.intjanad_livranta.amount * factor)
                                 + round_krona(rights.livranta.amount * factor))
    # the explanation: rule with source, inputs, dated parameters, and each part down to the rights
    explanation = reserve.explanation
    assert explanation.rule == "rips_pension_reserve" and explanation.source.startswith("RIPS 07 [S26]")
    assert dict(explanation.inputs)["category"] == "active"
    assert {p.name for p in explanation.parameters} >= {"rips_discount_rate", "sarskild_loneskatt",
                                                         "rips_payment_age", "mortality_table_source"}
    assert all(isinstance(p.applies_from, date) for p in explanation.parameters)
    assert explanation.parts[0].parts[0] == rights.ipr_1997.explanation
    assert f"{rights.ipr_1997.amount} × {factor}" in explanation.parts[0].formula


def test_someone_who_chose_akapkr_has_the_ipr_2022_instead_of_the_livrantor():
    history = person(birth=date(1962, 3, 10), salaries=flat_salaries(700000, 2000, 2024), ipr_1997=Decimal(20000))
    basis = reserve_basis(LiabilityPerson(1, history, None, "active", chose_akapkr=True), YEAR_END)
    codes = [b.code for b in basis.benefits]
    assert codes == ["ipr_1997", "akapkr_ipr_2022"]
    expected = akapkr_ipr_value(akapkr_ipr_2022(history), 2024).amount
    assert basis.benefits[1].yearly_amount == expected and not basis.benefits[1].earned_before_1998
    stayed = reserve_basis(LiabilityPerson(1, history, None, "active"), YEAR_END)
    assert [b.code for b in stayed.benefits] == ["ipr_1997", "intjanad_livranta", "livranta"]


def test_a_pensioners_pension_is_split_by_the_ipr_and_valued_in_payment():
    history = person(birth=date(1955, 2, 1), salaries=flat_salaries(500000, 2000, 2019), employed_to=date(2020, 2, 29),
                     ipr_1997=Decimal(20000), fap_in_payment=True)
    ipr = entitlements(history, YEAR_END).ipr_1997.amount
    basis = reserve_basis(LiabilityPerson(3, history, "M", "pensioner", pension_in_payment=Decimal(100000)), YEAR_END)
    assert [(b.code, b.yearly_amount, b.in_payment) for b in basis.benefits] == [
        ("pension_in_payment_before_1998", ipr, True),
        ("pension_in_payment_from_1998", Decimal(100000) - ipr, True),
    ]
    assert "pension_split_by_ipr" in basis.notes
    unknown = reserve_basis(LiabilityPerson(3, history, "M", "pensioner"), YEAR_END)
    assert all(b.in_payment for b in unknown.benefits) and "pension_amount_unknown" in unknown.notes


def test_sap_without_an_amount_is_left_out_and_noted():
    history = person(birth=date(1962, 3, 10), salaries=flat_salaries(300000, 2000, 2024), sap_granted=True)
    basis = reserve_basis(LiabilityPerson(1, history, None, "active"), YEAR_END)
    assert "sap_not_included" in basis.notes
    assert "sap_not_included" in person_reserve(basis, default_assumptions(YEAR_END)).explanation.notes


def test_someone_without_defined_benefit_rights_has_no_reserve():
    history = person(birth=date(1980, 3, 10), salaries=flat_salaries(300000, 2005, 2024))
    basis = reserve_basis(LiabilityPerson(1, history, None, "active"), YEAR_END)
    reserve = person_reserve(basis, default_assumptions(YEAR_END))
    assert basis.benefits == () and reserve.total_with_tax == 0 and reserve.expected_payments == {}


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        reserve_basis(LiabilityPerson(1, person(), None, "retired"), YEAR_END)


# --- tax and totals -----------------------------------------------------------------------------

def test_loneskatt_is_24_26_percent_of_each_part_rounded_half_up():
    a = default_assumptions(YEAR_END)
    reserve = person_reserve(lb.basis(1, date(1960, 6, 1), lb.right("ipr_1997", 20000, before=True),
                                      lb.right("livranta", 35000)), a)
    assert reserve.payroll_tax_before_1998 == round_krona(reserve.before_1998 * Decimal("0.2426"))
    assert reserve.payroll_tax_from_1998 == round_krona(reserve.from_1998 * Decimal("0.2426"))
    assert reserve.total_with_tax == reserve.total + reserve.payroll_tax_before_1998 + reserve.payroll_tax_from_1998


def test_the_total_is_the_sum_of_the_persons_with_tax_on_the_totals():
    a = default_assumptions(YEAR_END)
    reserves = [
        person_reserve(lb.basis(1, date(1960, 6, 1), lb.right("ipr_1997", 20000, before=True)), a),
        person_reserve(lb.basis(2, date(1970, 1, 9), lb.right("livranta", 15000), category="paid_up"), a),
        person_reserve(lb.basis(3, date(1950, 3, 3), lb.right("pension_in_payment_from_1998", 90000, in_payment=True),
                                category="pensioner"), a),
    ]
    totals = total_liability(reserves)
    assert totals.persons == 3
    assert totals.before_1998 == reserves[0].before_1998
    assert totals.from_1998 == reserves[1].from_1998 + reserves[2].from_1998
    assert totals.by_category == {"active": (reserves[0].before_1998, Decimal(0)),
                                  "paid_up": (Decimal(0), reserves[1].from_1998),
                                  "pensioner": (Decimal(0), reserves[2].from_1998)}
    assert totals.payroll_tax_from_1998 == round_krona(totals.from_1998 * Decimal("0.2426"))
    assert totals.expected_payments[2025] == round_krona(sum(r.expected_payments.get(2025, 0) for r in reserves))
    assert what_if_totals([lb.basis(1, date(1960, 6, 1), lb.right("ipr_1997", 20000, before=True)),
                           lb.basis(2, date(1970, 1, 9), lb.right("livranta", 15000), category="paid_up"),
                           lb.basis(3, date(1950, 3, 3), lb.right("pension_in_payment_from_1998", 90000,
                                                                  in_payment=True), category="pensioner")], a) == totals


def test_a_pension_in_payment_is_expected_every_year_less_deaths():
    a = default_assumptions(YEAR_END)
    reserve = person_reserve(lb.basis(1, date(1950, 1, 1), lb.right("pension_in_payment_from_1998", 120000,
                                                                     in_payment=True), category="pensioner"), a)
    years = sorted(reserve.expected_payments)
    assert years[0] == 2025 and Decimal(110000) < reserve.expected_payments[2025] < Decimal(120000)
    assert all(reserve.expected_payments[y] >= reserve.expected_payments[y + 1] for y in years[:-1])
    # undiscounted payments exceed their present value at a positive rate
    assert sum(reserve.expected_payments.values()) > reserve.total


def test_payment_weights_of_a_mid_year_date_start_the_month_after():
    """at 30 April: May–December of the same year first (offset 0), then whole years."""
    weights = dict(payment_weights("SULT", "U", 70 * 12, 0, 4))
    assert Decimal(weights[0]) / 10**8 < Decimal("0.67") < Decimal(weights[1]) / 10**8


def test_a_saved_calculation_reopens_with_the_same_assumptions_and_totals():
    import json

    from domain.liability import (
        assumptions_from_snapshot,
        assumptions_snapshot,
        totals_from_snapshot,
        totals_snapshot,
    )

    a = change_assumptions(default_assumptions(YEAR_END), discount_rate="0.015")
    totals = what_if_totals([lb.basis(1, date(1960, 6, 1), lb.right("ipr_1997", "20000.55", before=True))], a)
    again = assumptions_from_snapshot(json.loads(json.dumps(assumptions_snapshot(a))))
    assert again == a and again.sources == a.sources
    assert totals_from_snapshot(json.loads(json.dumps(totals_snapshot(totals)))) == totals
