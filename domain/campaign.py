"""Choice campaigns: the 2023 choice between KAP-KL and AKAP-KR, as data.

The period, the reporting deadline, the default and the eligibility window come from
``parameters/choice_campaigns.toml`` (SKR Q&A on the 2023 choice [S3]; domain-spec section 4), so
a future campaign is a new table in that file, not new code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from domain.explanation import Explanation, ParameterUse
from domain.parameters import PARAMETER_DIR, MissingParameter

PHASES = ("before", "open", "closed")


@dataclass(frozen=True, slots=True)
class ChoiceCampaign:
    code: str
    opens: date  # first day of the choice period
    closes: date  # last day of the choice period (inclusive)
    report_deadline: date  # last day for the employer/administrator to report the choice
    default_agreement: str  # the agreement of a person who does not choose
    explanation: Explanation
    # Eligibility window (section 4): birth years, PU test point and threshold, salary test day,
    # the employment window, and the last day by which a granted pension excludes.
    born_from: int = 0
    born_to: int = 0
    pu_at: date | None = None
    pu_threshold_ibb: Decimal = Decimal(0)
    salary_test_at: date | None = None
    employed_from: date | None = None
    employed_to: date | None = None
    pension_granted_by: date | None = None
    late_choice_allowed: bool = False  # the employer may accept a late choice [S3]

    def phase(self, day: date) -> str:
        """"before" the period, "open" from ``opens`` to ``closes`` inclusive, then "closed"."""
        if day < self.opens:
            return "before"
        if day <= self.closes:
            return "open"
        return "closed"


@lru_cache(maxsize=16)
def choice_campaign(code: str) -> ChoiceCampaign:
    """The campaign ``code`` (e.g. "2023"); raises ``MissingParameter`` if no such campaign exists."""
    with (PARAMETER_DIR / "choice_campaigns.toml").open("rb") as handle:
        campaigns = tomllib.load(handle)["campaigns"]
    if code not in campaigns:
        raise MissingParameter(f"choice_campaign[{code}]", date.min)
    raw = campaigns[code]
    source = raw["source"]
    uses = tuple(
        ParameterUse(name=f"choice_campaign[{code}].{field}", value=str(raw[field]), applies_from=raw["opens"],
                     source=source)
        for field in ("opens", "closes", "report_deadline", "default_agreement")
    )
    explanation = Explanation(
        rule="choice_campaign",
        source=source,
        inputs=(("code", code),),
        parameters=uses,
        notes=(
            "One choice only; no active choice means staying in KAP-KL; an employer may allow a late "
            "choice for an employee completely unable to choose in time [S3].",
        ),
    )
    return ChoiceCampaign(
        code=code,
        opens=raw["opens"],
        closes=raw["closes"],
        report_deadline=raw["report_deadline"],
        default_agreement=raw["default_agreement"],
        explanation=explanation,
        born_from=int(raw["born_from"]),
        born_to=int(raw["born_to"]),
        pu_at=raw["pu_at"],
        pu_threshold_ibb=Decimal(str(raw["pu_threshold_ibb"])),
        salary_test_at=raw["salary_test_at"],
        employed_from=raw["employed_from"],
        employed_to=raw["employed_to"],
        pension_granted_by=raw["pension_granted_by"],
        late_choice_allowed=bool(raw.get("late_choice_allowed", False)),
    )
