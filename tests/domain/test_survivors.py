"""Survivor cover (domain/survivors.py): OFR's published AKAP-KR examples (IBB 2018), the KAP-KL
adult pension of 15 % / 7.5 % of the pensionsunderlag for five years (KPA), the six-month rule, and
what is honestly left out."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from domain import entitlements, ibb, monthly, round_krona, survivor_cover
from domain.survivors import cover_from_snapshot
from tests.domain.builders import flat_salaries, person

AT = date(2023, 4, 20)


def akap_person(salary_2018: int, **kwargs):
    return person(birth=date(1988, 5, 1), salaries={2017: salary_2018, 2018: salary_2018},
                  employed_from=date(2014, 1, 1), **kwargs)


def test_ofr_example_adult_gets_4_167_a_month_for_five_years_at_a_salary_of_31_250_a_month():
    """OFR 'Typexempel' (IBB 2018 = 62 500): 31 250 kr a month → about 4 167 kr a month, five years;
    each child about 2 604 kr a month until 18."""
    cover = survivor_cover(akap_person(31_250 * 12), date(2018, 6, 1), "AKAP-KR")
    assert cover.adult_monthly == 4_167
    assert cover.adult_months == 60
    assert cover.child_monthly_each == 2_604
    assert cover.child_until_age == 18


def test_ofr_example_adult_gets_5_729_a_month_when_the_salary_was_above_31_250_a_month():
    cover = survivor_cover(akap_person(31_251 * 12), date(2018, 6, 1), "AKAP-KR")
    assert cover.adult_monthly == 5_729
    assert cover.child_monthly_each == 2_604  # the children's amount does not depend on the salary


def test_akapkr_amounts_follow_the_income_base_amount_of_the_year():
    cover = survivor_cover(akap_person(400_000), AT, "AKAP-KR")  # latest salary 2018, above 6 IBB 2018
    assert cover.adult_monthly == monthly(Decimal("1.1") * ibb(2023).value)
    assert cover.child_monthly_each == monthly(Decimal("0.5") * ibb(2023).value)
    assert "unconfirmed_parameters" in cover.caveats  # the child amount and the threshold are readings


def test_kapkl_adult_gets_15_percent_of_the_pensionsunderlag_up_to_20_ibb_for_five_years():
    history = person(salaries=flat_salaries(600_000, 2010, 2022))
    pu = entitlements(history, AT).pensionsunderlag.amount
    assert pu < 20 * ibb(2022).value
    cover = survivor_cover(history, AT, "KAP-KL")
    assert cover.adult_monthly == monthly(round_krona(Decimal("0.15") * pu))
    assert cover.adult_months == 60


def test_kapkl_adult_gets_7_5_percent_of_the_pensionsunderlag_between_20_and_30_ibb():
    history = person(salaries=flat_salaries(1_700_000, 2010, 2022))
    pu = entitlements(history, AT).pensionsunderlag.amount
    limit = 20 * ibb(2022).value
    assert limit < pu < 30 * ibb(2022).value
    cover = survivor_cover(history, AT, "KAP-KL")
    assert cover.adult_monthly == monthly(round_krona(Decimal("0.15") * limit + Decimal("0.075") * (pu - limit)))


def test_kapkl_childrens_pension_is_shown_as_not_computed_rather_than_guessed():
    cover = survivor_cover(person(salaries=flat_salaries(600_000, 2010, 2022)), AT, "KAP-KL")
    assert cover.child_monthly_each is None
    assert {"kapkl_child_pension", "kompletterande_ankepension", "tgl", "repayment_cover"} <= set(cover.not_computed)
    assert cover.lump_sum is None


@pytest.mark.parametrize(("ended", "covered"), [
    (date(2022, 10, 20), True),   # 2023-04-20 is six months after the last day: still covered
    (date(2022, 10, 19), False),  # more than six months ago
    (None, True),
])
def test_cover_applies_during_employment_and_six_months_after(ended, covered):
    history = person(salaries=flat_salaries(600_000, 2010, 2022), employed_to=ended)
    for agreement in ("KAP-KL", "AKAP-KR"):
        cover = survivor_cover(history, AT, agreement)
        assert cover.covered is covered
        if not covered:
            assert cover.adult_monthly == 0 and cover.parts == ()
            assert "not_covered_no_employment" in cover.caveats


def test_current_resolves_to_the_persons_own_agreement():
    young = person(birth=date(1990, 1, 1), salaries=flat_salaries(400_000, 2014, 2022), employed_from=date(2014, 1, 1))
    assert survivor_cover(young, AT).agreement == "AKAP-KR"
    high = person(salaries=flat_salaries(750_000, 2000, 2022))
    assert survivor_cover(high, AT).agreement == "KAP-KL"
    assert survivor_cover(high, AT, chose_akapkr=True).agreement == "AKAP-KR"


def test_snapshot_is_json():
    cover = survivor_cover(person(salaries=flat_salaries(600_000, 2010, 2022)), AT, "AKAP-KR")
    data = json.loads(json.dumps(cover.to_snapshot()))
    assert data["adult_monthly"] == str(cover.adult_monthly)
    assert data["parts"][0]["explanation"]["parameters"]
    again = cover_from_snapshot(data)
    assert again == cover and again.to_snapshot() == cover.to_snapshot()
