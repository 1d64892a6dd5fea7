"""The cases of the 2023 choice that the demo population covers, and the outcome each should get
from ``domain.eligibility_2023`` (rule codes: /work/briefs/domain-interface.md; spec section 4).

``fails`` lists the rule codes of which at least one must fail; an eligible scenario fails none.
"""

from __future__ import annotations

from dataclasses import dataclass

SALARY_RULES = frozenset({"pensionsunderlag_above_7_5_ibb", "salary_or_livranta"})


@dataclass(frozen=True)
class Scenario:
    code: str
    eligible: bool
    fails: frozenset[str] = frozenset()
    description: str = ""


SCENARIOS: dict[str, Scenario] = {
    s.code: s
    for s in (
        Scenario("eligible_salary", True, description="born 1958-1985, monthly paid above 7.5 IBB"),
        Scenario("eligible_part_time", True, description="part time, above 7.5 IBB without conversion"),
        Scenario("eligible_hourly", True, description="hourly paid, above 7.5 IBB converted to full time"),
        Scenario("eligible_on_leave", True, description="above 7.5 IBB, on leave over 2022/2023"),
        Scenario("eligible_livranta", True, description="earned livränta, salary now below 7.5 IBB"),
        Scenario("eligible_recent_raise", True,
                 description="promoted 2021/2022: fixed salary above 7.5 IBB, pensionsunderlag still below"),
        Scenario("chose_akap_kr", True, description="eligible, has already chosen AKAP-KR"),
        Scenario("below_limit", False, SALARY_RULES, "monthly paid below 7.5 IBB, moved to AKAP-KR"),
        Scenario("below_limit_part_time", False, SALARY_RULES,
                 "part time: above 7.5 IBB only if converted to full time, which the rule does not do"),
        Scenario("below_limit_hourly", False, SALARY_RULES, "hourly paid, below 7.5 IBB even at full time"),
        Scenario("born_before_1958", False, frozenset({"born_in_range"}), "born 1957 or earlier"),
        Scenario("born_after_1985", False, frozenset({"born_in_range"}), "born 1986 or later"),
        Scenario("pension_granted", False, frozenset({"no_pension_granted"}),
                 "above 7.5 IBB, pension granted before 2023-04-01"),
        Scenario("left_2022", False, frozenset({"employed_q4_2022_and_q1_2023"}),
                 "above 7.5 IBB, left employment during 2022"),
        Scenario("sickness_compensation", False, frozenset({"no_sickness_or_activity_compensation"}),
                 "above 7.5 IBB, on sickness compensation"),
        Scenario("hired_after_2022", False, frozenset({"employed_q4_2022_and_q1_2023"}),
                 "hired in 2023 or later, straight into AKAP-KR"),
        Scenario("staff", False, SALARY_RULES, "employer staff, below 7.5 IBB"),
        Scenario("no_employment", False, frozenset({"employed_q4_2022_and_q1_2023"}),
                 "not employed by any demo employer"),
    )
}
