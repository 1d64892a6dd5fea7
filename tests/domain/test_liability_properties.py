"""Properties of the RIPS liability (hypothesis) and the what-if path against the exact path.

On "an older person with the same benefit has a lower reserve before payment starts" (issue 7):
before the payment age the reserve is a deferred annuity, v^(n) × (l(65)/l(x)) × ä(65), and both
the discount and the survival to 65 grow as x comes closer to 65 — so with any rate >= 0 and any
table an older person's reserve is HIGHER (never lower) until payment starts. It is once the pension
is in payment that an older person's reserve is lower (fewer expected payments left). Both
directions are tested, each where it holds.
"""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.liability import (
    LiabilityPerson,
    change_assumptions,
    default_assumptions,
    explain_change,
    person_reserve,
    reserve_bases,
    reserve_basis,
    total_liability,
    what_if_totals,
)
from domain.money import round_krona
from tests.domain import liability_builders as lb

YEAR_END = date(2024, 12, 31)
rates = st.integers(0, 1000).map(lambda bp: Decimal(bp) / 10000)  # 0 .. 10 %
dates = st.sampled_from([date(2023, 12, 31), date(2024, 12, 31), date(2025, 6, 30), date(2025, 12, 31)])


def _assumptions(at=YEAR_END, **changes):
    return change_assumptions(default_assumptions(YEAR_END), at=at, **changes)


@settings(max_examples=80, deadline=None)
@given(lb.bases(), rates, rates)
def test_a_higher_discount_rate_never_raises_the_liability(basis, r1, r2):
    low, high = sorted((r1, r2))
    assert person_reserve(basis, _assumptions(discount_rate=high)).total <= \
        person_reserve(basis, _assumptions(discount_rate=low)).total


@settings(max_examples=80, deadline=None)
@given(st.integers(20 * 12, 65 * 12 - 2), st.integers(1, 24), lb.amounts, rates, st.sampled_from(["F", "M", None]))
def test_before_payment_starts_an_older_person_with_the_same_benefit_has_a_higher_reserve(age, older_by, amount,
                                                                                          rate, sex):
    a = _assumptions(discount_rate=rate)
    older = min(age + older_by, 65 * 12 - 1)

    def reserve(months):
        birth_month = YEAR_END.year * 12 + YEAR_END.month - 1 - months
        b = lb.basis(1, date(birth_month // 12, birth_month % 12 + 1, 1), lb.right("livranta", amount), sex=sex)
        return person_reserve(b, a).total

    assert reserve(older) >= reserve(age)
    if rate > 0 and amount >= 100_000:  # large enough that a month shows after rounding to the krona
        assert reserve(older) > reserve(age)


@settings(max_examples=80, deadline=None)
@given(st.integers(61 * 12, 105 * 12), st.integers(1, 60), lb.amounts, rates)
def test_in_payment_an_older_person_with_the_same_pension_has_a_lower_reserve(age, older_by, amount, rate):
    a = _assumptions(discount_rate=rate)

    def reserve(months):
        birth_month = YEAR_END.year * 12 + YEAR_END.month - 1 - months
        b = lb.basis(1, date(birth_month // 12, birth_month % 12 + 1, 1),
                     lb.right("pension_in_payment_from_1998", amount, in_payment=True), category="pensioner")
        return person_reserve(b, a).total

    assert reserve(age + older_by) <= reserve(age)


@settings(max_examples=60, deadline=None)
@given(lb.bases(), rates)
def test_before_and_from_1998_add_up_and_tax_is_the_rate_on_each(basis, rate):
    a = _assumptions(discount_rate=rate)
    r = person_reserve(basis, a)
    assert r.total == r.before_1998 + r.from_1998 == sum(p.reserve for p in r.parts)
    assert r.before_1998 == sum(p.reserve for p in r.parts if p.earned_before_1998)
    # with tax = total × 1.2426, each split rounded half up to the krona: at most one krona apart
    assert abs(r.total_with_tax - r.total * (1 + a.payroll_tax_rate)) <= 1


@st.composite
def populations(draw):
    size = draw(st.integers(1, 40))
    return [draw(lb.bases(key=i)) for i in range(size)]


@settings(max_examples=40, deadline=None)
@given(populations(), rates, st.sampled_from([61, 63, 65, 67]), dates, st.sampled_from(["0.2426", "0.3"]))
def test_what_if_equals_the_sum_of_the_exact_reserves(bases, rate, age, at, tax):
    a = _assumptions(at=at, discount_rate=rate, payment_age=age, payroll_tax_rate=tax)
    exact = total_liability(person_reserve(b, a) for b in bases)
    assert what_if_totals(bases, a) == exact
    assert exact.before_1998 + exact.from_1998 == exact.total


def test_no_persons_give_an_empty_total_on_both_paths():
    a = _assumptions()
    assert what_if_totals([], a) == total_liability([]) and total_liability([]).total_with_tax == 0


def test_what_if_equals_the_exact_path_on_a_few_hundred_register_persons():
    """Several hundred persons of the synthetic population (bench/population.py), with statuses,
    sexes and AKAP-KR choices spread over them, under several assumption sets."""
    from bench.population import population

    histories = population(300, seed=7)
    people = [
        LiabilityPerson(i, h, ("F", "M", None)[i % 3], ("active", "paid_up", "pensioner")[i % 4 % 3],
                           chose_akapkr=i % 5 == 0, pension_in_payment=Decimal(40000 + i) if i % 8 == 2 else Decimal(0))
        for i, h in enumerate(histories)
    ]
    bases = [reserve_basis(p, YEAR_END) for p in people]
    assert sum(1 for b in bases if b.benefits) > 50
    # the numbers-only batch gives the same rights
    fast = reserve_bases(people, YEAR_END)
    assert [(b.key, b.category, b.notes, [(r.code, r.yearly_amount, r.earned_before_1998, r.in_payment)
                                          for r in b.benefits]) for b in fast] == \
        [(b.key, b.category, b.notes, [(r.code, r.yearly_amount, r.earned_before_1998, r.in_payment)
                                       for r in b.benefits]) for b in bases]
    for changes in ({}, {"discount_rate": "0"}, {"discount_rate": "0.035", "payment_age": 62},
                    {"discount_rate": "0.1", "payment_age": 67}):
        a = _assumptions(**changes)
        assert what_if_totals(bases, a) == total_liability(person_reserve(b, a) for b in bases)


# --- the change between two calculations ---------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(populations(), populations(), rates, rates)
def test_the_causes_of_the_change_add_up_to_the_change(old, new, r0, r1):
    prev_a = _assumptions(at=date(2023, 12, 31), discount_rate=r0)
    cur_a = _assumptions(at=date(2024, 12, 31), discount_rate=r1)
    change = explain_change(old, prev_a, new, cur_a)
    assert change.previous == what_if_totals(old, prev_a)
    assert change.current == what_if_totals(new, cur_a)
    assert sum(s.before_1998 for s in change.steps) == change.before_1998
    assert sum(s.from_1998 for s in change.steps) == change.from_1998


def test_only_a_new_rate_changes_only_the_assumption_step():
    bases = [lb.basis(1, date(1960, 5, 5), lb.right("livranta", 30000)),
             lb.basis(2, date(1948, 5, 5), lb.right("pension_in_payment_from_1998", 50000, in_payment=True),
                      category="pensioner")]
    a = _assumptions()
    change = explain_change(bases, a, bases, change_assumptions(a, discount_rate="0.02"))
    assert change.step("assumptions").total == change.total < 0
    assert all(s.total == 0 for s in change.steps if s.code != "assumptions")


def test_a_year_later_interest_adds_payments_subtract_and_leavers_and_new_persons_show():
    stay = lb.basis(1, date(1950, 5, 5), lb.right("pension_in_payment_from_1998", 50000, in_payment=True),
                    category="pensioner")
    leaver = lb.basis(2, date(1970, 1, 1), lb.right("livranta", 10000))
    newcomer = lb.basis(3, date(1975, 1, 1), lb.right("ipr_1997", 8000, before=True))
    prev_a = _assumptions(at=date(2023, 12, 31))
    cur_a = _assumptions(at=date(2024, 12, 31))
    # the same pension, indexed with PBB 2024/2023 (57 300 / 52 500) a year later
    indexed = lb.basis(1, date(1950, 5, 5), lb.right("pension_in_payment_from_1998", "54571.43", in_payment=True),
                       category="pensioner")
    change = explain_change([stay, leaver], prev_a, [indexed, newcomer], cur_a)
    old_stay = person_reserve(stay, prev_a)
    assert change.step("leavers").total == -person_reserve(leaver, prev_a).total
    assert change.step("interest").from_1998 == round_krona(old_stay.from_1998 * Decimal("0.01"))
    assert change.step("payments").from_1998 == -round_krona(old_stay.expected_payments[2024])
    assert change.step("new_persons").before_1998 == person_reserve(newcomer, cur_a).before_1998
    assert change.step("indexation").from_1998 > 0
    assert abs(change.step("new_earnings").total) <= 2  # the indexation explains the new amount
    assert change.step("assumptions").total == 0


def test_very_large_amounts_take_python_integers_and_still_agree():
    bases = [lb.basis(1, date(1960, 6, 1), lb.right("livranta", "25000000.01")),
             lb.basis(2, date(1950, 6, 1), lb.right("pension_in_payment_from_1998", "99999999.99", in_payment=True),
                      category="pensioner")]
    a = _assumptions(discount_rate="0")
    assert what_if_totals(bases, a) == total_liability(person_reserve(b, a) for b in bases)


def test_amounts_with_fractions_of_an_ore_are_refused_by_the_what_if_path():
    import pytest

    with pytest.raises(ValueError):
        what_if_totals([lb.basis(1, date(1960, 6, 1), lb.right("livranta", "100.005"))], _assumptions())


def test_payments_between_mid_year_dates_count_whole_calendar_years():
    from domain.liability_change import _whole_years

    assert list(_whole_years(date(2023, 12, 31), date(2024, 12, 31))) == [2024]
    assert list(_whole_years(date(2023, 6, 30), date(2025, 6, 30))) == [2023, 2024]
    assert list(_whole_years(date(2024, 12, 31), date(2025, 6, 30))) == []
