"""Milestones of the monitoring (bevakning): each age with its source, dated ages, notice dates."""

from __future__ import annotations

from datetime import date

import pytest

from domain.milestones import MILESTONES, add_months, birthday, milestone, milestone_age, upcoming_milestones

BORN = date(1962, 5, 10)


def test_earliest_fap_is_the_61st_birthday_per_rips_07():
    item = milestone("fap_earliest", BORN)
    assert (item.age, item.reached_on) == (61, date(2023, 5, 10))
    assert "[S26]" in item.parameter.source and not item.unconfirmed


@pytest.mark.parametrize(("born", "age"), [(date(1965, 12, 31), 60), (date(1966, 1, 1), 62)])
def test_earliest_dc_withdrawal_rises_to_62_for_those_reaching_it_from_2026(born, age):
    # Born 1965: 60 in 2025, before the change; born 1966: 60 in 2026, when 62 applies [S51].
    item = milestone("dc_earliest", born)
    assert item.age == age
    assert item.unconfirmed  # one insurer page only (domain-spec 8.9)


def test_normal_pension_age_is_65():
    item = milestone("normal_pension_age", BORN)
    assert (item.age, item.reached_on) == (65, date(2027, 5, 10))
    assert "[S3]" in item.parameter.source


def test_latest_fap_start_age_is_67_and_flagged():
    item = milestone("fap_latest", BORN)
    assert item.age == 67 and item.unconfirmed


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (date(1952, 3, 1), 67),  # 67 in 2019: the old LAS age
        (date(1953, 3, 1), 68),  # 67 in 2020 (68 applies then), 68 in 2021
        (date(1955, 3, 1), 69),  # 68 in 2023, when 69 applies
        (date(1962, 5, 10), 69),
    ],
)
def test_las_age_is_the_one_in_force_when_it_is_reached(born, age):
    found, use = milestone_age("las_age", born)
    assert found == age
    assert "LAS 32 a §" in use.source


def test_every_milestone_names_its_source():
    for code in MILESTONES:
        assert milestone(code, BORN).explanation.source


def test_notice_falls_the_given_months_before_the_birthday():
    assert milestone("normal_pension_age", BORN, 6).notice_on == date(2026, 11, 10)


def test_upcoming_lists_only_milestones_whose_notice_has_fallen_sorted_by_date():
    notice = {"fap_earliest": 6, "normal_pension_age": 6, "las_age": 12}
    # 2022-11-09: one day before the 61-notice falls.
    assert upcoming_milestones(BORN, date(2022, 11, 9), notice) == []
    found = upcoming_milestones(BORN, date(2022, 11, 10), notice)
    assert [m.code for m in found] == ["fap_earliest"]
    # After the birthday it is no longer upcoming, unless a window keeps it listed.
    assert upcoming_milestones(BORN, date(2023, 5, 11), notice) == []
    assert [m.code for m in upcoming_milestones(BORN, date(2023, 5, 11), notice, window=1)] == ["fap_earliest"]


def test_several_milestones_at_once_come_in_date_order():
    notice = {"las_age": 120, "normal_pension_age": 60, "fap_earliest": 12}
    found = upcoming_milestones(BORN, date(2023, 1, 1), notice)
    assert [m.age for m in found] == [61, 65, 69]


def test_a_milestone_not_in_the_settings_is_not_monitored():
    assert upcoming_milestones(BORN, date(2023, 5, 1), {"las_age": 6}) == []


def test_unknown_milestone_and_negative_notice_are_refused():
    with pytest.raises(KeyError):
        upcoming_milestones(BORN, date(2023, 5, 1), {"sixty": 6})
    with pytest.raises(ValueError):
        upcoming_milestones(BORN, date(2023, 5, 1), {"las_age": -1})


def test_leap_day_births_and_month_ends():
    assert birthday(date(1964, 2, 29), 61) == date(2025, 2, 28)
    assert add_months(date(2023, 5, 31), -3) == date(2023, 2, 28)
