"""The 2023 choice campaign as data (SKR Q&A [S3], domain-spec section 4)."""

from datetime import date

import pytest

from domain import MissingParameter, choice_campaign


def test_2023_campaign_dates_and_default_come_from_the_spec():
    campaign = choice_campaign("2023")
    assert campaign.opens == date(2023, 4, 1)
    assert campaign.closes == date(2023, 5, 31)
    assert campaign.report_deadline == date(2023, 6, 30)
    assert campaign.default_agreement == "KAP-KL"
    assert (campaign.born_from, campaign.born_to) == (1958, 1985)
    assert "[S3]" in campaign.explanation.source
    assert campaign.late_choice_allowed
    assert campaign.pension_granted_by == date(2023, 3, 31)


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (date(2023, 3, 31), "before"),
        (date(2023, 4, 1), "open"),
        (date(2023, 5, 31), "open"),
        (date(2023, 6, 1), "closed"),
        (date(2023, 4, 20), "open"),
    ],
)
def test_phase_is_open_from_the_first_to_the_last_day_inclusive(day, phase):
    assert choice_campaign("2023").phase(day) == phase


def test_an_unknown_campaign_raises_missing_parameter():
    with pytest.raises(MissingParameter):
        choice_campaign("2031")
