"""The employer queue's content: demo choices, decisions, report batches and late-choice requests,
planned as plain records (no database). Only persons eligible in their scenario get any.

The dates follow the 2023 campaign (spec section 4): choices from 1 April, decided within days,
one report batch per employer before the demo day (2023-04-20); late requests come after the
period closed on 31 May. Demo choices are not signed and say so in their signed text and evidence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from webapp.demo.records import DemoPerson
from webapp.demo.scenarios import SCENARIOS

CAMPAIGN = "2023"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOT_SIGNED = "demo data, not signed"
CHOICE_SHARE = 0.55  # of the eligible synthetic persons, the share that has chosen by the demo day
LATE_REQUESTS = 20
FIRST_CHOICE_DAY = date(2023, 4, 1)
LAST_CHOICE_DAY = date(2023, 4, 19)
LAST_DECIDED_CHOICE_DAY = date(2023, 4, 14)
REPORT_DAY = date(2023, 4, 18)
LATE_REQUEST_DAYS = (date(2023, 6, 1), date(2023, 6, 15))
STATUS_WEIGHTS = (("received", 0.45), ("approved", 0.25), ("rejected", 0.10), ("reported", 0.20))
LATE_STATUSES = ("pending",) * 10 + ("granted",) * 6 + ("refused",) * 4

REJECT_REASONS = (
    "Anställningen upphör innan valet kan rapporteras; kontakta lönecentralen.",
    "Valet gjordes för fel anställning; gör om valet efter kontakt med HR.",
    "Uppgifterna i valet stämmer inte med vårt register; vi kontaktar dig.",
)
LATE_REASONS = (
    "Jag var inlagd på sjukhus under hela valperioden.",
    "Jag var svårt sjuk i april och maj och kunde inte sköta mina ärenden.",
    "Jag låg på sjukhus efter en olycka från slutet av mars till mitten av juni.",
    "Jag vårdade en svårt sjuk anhörig utomlands utan tillgång till e-legitimation.",
)
REFUSE_REASONS = (
    "Underlaget visar att du kunde ha valt inom valperioden.",
    "Begäran saknar uppgifter om varför valet inte kunde göras i tid.",
)


@dataclass(frozen=True)
class PlannedChoice:
    pnr: str
    organisation: str
    reference: str
    agreement: str
    chosen_at: datetime
    is_late: bool
    status: str
    decided_by_role: str | None = None  # the approver of ``organisation`` decides
    decided_at: datetime | None = None
    reason: str | None = None

    @property
    def signed_text(self) -> str:
        return (f"Demodata, inte signerat / {NOT_SIGNED}: valet 2023, jag väljer {self.agreement}. "
                "Valet kan inte ångras.")


@dataclass(frozen=True)
class PlannedLateRequest:
    pnr: str
    organisation: str
    reason: str
    requested_at: datetime
    status: str
    decided_at: datetime | None = None
    decision_reason: str | None = None


@dataclass(frozen=True)
class Activity:
    choices: tuple[PlannedChoice, ...]
    late_requests: tuple[PlannedLateRequest, ...]
    report_day: date = REPORT_DAY


def _moment(rng: random.Random, day: date) -> datetime:
    """A time of day in Sweden (07-22), as UTC."""
    local = datetime(day.year, day.month, day.day, rng.randint(7, 21), rng.randint(0, 59), rng.randint(0, 59),
                     tzinfo=STOCKHOLM)
    return local.astimezone(UTC)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))


def _weighted(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in weights], [weight for _, weight in weights])[0]


def plan(people: list[DemoPerson], seed: int) -> Activity:
    """Choices and late requests for the eligible synthetic persons, plus the named person whose
    scenario is an already made choice."""
    rng = random.Random(f"activity-{seed}")
    choices: list[PlannedChoice] = []
    serial = iter(range(1, 1_000_000))
    for person in people:
        if person.named and person.scenario == "chose_akap_kr":
            choices.append(PlannedChoice(person.pnr, _employer(person), f"DEMO-2023-{next(serial):06d}",
                                         "AKAP-KR", _moment(rng, date(2023, 4, 12)), False, "received"))
    eligible = [p for p in people if not p.named and SCENARIOS[p.scenario].eligible]
    rng.shuffle(eligible)
    chosen_count = round(len(eligible) * CHOICE_SHARE)
    for person in eligible[:chosen_count]:
        status = _weighted(rng, STATUS_WEIGHTS)
        agreement = "AKAP-KR" if rng.random() < 0.65 else "KAP-KL"
        if status == "received":
            chosen_at = _moment(rng, _day_between(rng, FIRST_CHOICE_DAY, LAST_CHOICE_DAY))
            choices.append(PlannedChoice(person.pnr, _employer(person), f"DEMO-2023-{next(serial):06d}",
                                         agreement, chosen_at, False, status))
            continue
        chosen_day = _day_between(rng, FIRST_CHOICE_DAY, LAST_DECIDED_CHOICE_DAY)
        decided_day = min(chosen_day + timedelta(days=rng.randint(1, 4)), REPORT_DAY - timedelta(days=1))
        reason = rng.choice(REJECT_REASONS) if status == "rejected" else None
        choices.append(PlannedChoice(person.pnr, _employer(person), f"DEMO-2023-{next(serial):06d}", agreement,
                                     _moment(rng, chosen_day), False, status, "approver",
                                     _moment(rng, decided_day), reason))
    late_requests: list[PlannedLateRequest] = []
    for person, status in zip(eligible[chosen_count:], LATE_STATUSES, strict=False):
        requested_day = _day_between(rng, *LATE_REQUEST_DAYS)
        requested_at = _moment(rng, requested_day)
        if status == "pending":
            late_requests.append(PlannedLateRequest(person.pnr, _employer(person), rng.choice(LATE_REASONS),
                                                    requested_at, status))
            continue
        decided_day = requested_day + timedelta(days=rng.randint(2, 7))
        decision_reason = rng.choice(REFUSE_REASONS) if status == "refused" else None
        late_requests.append(PlannedLateRequest(person.pnr, _employer(person), rng.choice(LATE_REASONS),
                                                requested_at, status, _moment(rng, decided_day),
                                                decision_reason))
        if status == "granted" and rng.random() < 0.5:
            # Granted: the person has since made the choice, counted as made within the period.
            chosen_day = decided_day + timedelta(days=rng.randint(1, 5))
            choices.append(PlannedChoice(person.pnr, _employer(person), f"DEMO-2023-{next(serial):06d}",
                                         rng.choice(("AKAP-KR", "KAP-KL")), _moment(rng, chosen_day), True,
                                         "received"))
    return Activity(tuple(choices), tuple(late_requests))


def _employer(person: DemoPerson) -> str:
    """The employer a choice goes to: the employment in force when the period opened, else the latest."""
    employment = person.employed_on(FIRST_CHOICE_DAY) or person.employments[-1]
    return employment.organisation
