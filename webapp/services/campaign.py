"""The 2023 choice campaign and eligibility as the domain computes them, for the web layer.

The domain package owns the rules (``domain.choice_campaign``, ``domain.eligibility_2023``). Until
they are available in this build the campaign's dates fall back to the agreed values of the 2023
campaign (choice period closes 31 May 2023, report to the administrator by 30 June 2023) and
eligibility is reported as not computed, never guessed."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from webapp.models import Person
from webapp.services.history import person_history

CAMPAIGN = "2023"
_FALLBACK_CLOSES = date(2023, 5, 31)
_FALLBACK_REPORT_DEADLINE = date(2023, 6, 30)


def _campaign():
    try:
        from domain import choice_campaign
    except ImportError:
        return None
    return choice_campaign(CAMPAIGN)


_FALLBACK_OPENS = date(2023, 4, 1)


def choice_opens() -> date:
    campaign = _campaign()
    return campaign.opens if campaign is not None else _FALLBACK_OPENS


def choice_deadline() -> date:
    campaign = _campaign()
    return campaign.closes if campaign is not None else _FALLBACK_CLOSES


def report_deadline() -> date:
    campaign = _campaign()
    return campaign.report_deadline if campaign is not None else _FALLBACK_REPORT_DEADLINE


def eligibility_of(session: Session, person: Person):
    """``domain.Eligibility`` of the person, or None when the domain cannot compute it yet."""
    try:
        from domain import eligibility_2023
    except ImportError:
        return None
    return eligibility_2023(person_history(session, person))


def late_choice_allowed() -> bool:
    """Whether the campaign lets an employer accept a late choice [S3] (the 2023 campaign does)."""
    campaign = _campaign()
    return bool(getattr(campaign, "late_choice_allowed", True)) if campaign is not None else True
