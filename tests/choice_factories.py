"""Helpers for the choice tests: a person with a register history, and stand-ins for the domain
functions of the 2023 choice while the domain branches have not landed (the real ones win)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import domain
from tests.factories import flat_salaries, make_employee
from webapp.models import Choice, Decision, LateChoiceRequest, Person


def make_person(db, organisation=None, *, birth=date(1965, 3, 12), yearly_salary=Decimal("720000"),
                given_name="Åsa", family_name="Öberg", pension_granted_on=None) -> Person:
    """A monthly paid full-time employee since 2005 (eligible for the 2023 choice when born 1958–1985)."""
    return make_employee(
        db, organisation, birth_date=birth, start=date(2005, 1, 1),
        salaries=flat_salaries(2005, 2023, yearly_salary),
        given_name=given_name, family_name=family_name, pension_granted_on=pension_granted_on,
        fixed_monthly_salary_2022_12_31=(yearly_salary / 12).quantize(Decimal("1")),
    )


def sign_choice(db, person, agreement="AKAP-KR", status="received", when=datetime(2023, 4, 20, 10, 0, tzinfo=UTC)):
    """A stored choice as the signing would leave it (for tests of what comes after)."""
    from webapp.services.choices import campaign, record_choice

    choice, _created = record_choice(db, person, agreement, "signed text", "header.payload.signature", when,
                                     campaign(), False)
    if status != "received":
        choice.status = status
        db.add(choice)
        db.commit()
    return choice


def decide(db, choice, outcome, reason=None, by=None):
    choice.status = outcome
    db.add(choice)
    db.add(Decision(choice_id=choice.id, outcome=outcome, reason=reason, decided_by=by or choice.person_id,
                    decided_at=datetime.now(UTC)))
    db.commit()


def answer_late_request(db, person, status, reason=None):
    from sqlmodel import select

    row = db.exec(select(LateChoiceRequest).where(LateChoiceRequest.person_id == person.id)).one()
    row.status = status
    row.decision_reason = reason
    row.decided_at = datetime.now(UTC)
    db.add(row)
    db.commit()
    return row


def choices_of(db, person) -> list[Choice]:
    from sqlmodel import select

    return list(db.exec(select(Choice).where(Choice.person_id == person.id)))


def fake_id_token(person) -> str:
    return f"eyJhbGciOiJSUzI1NiJ9.{person.id}.{int(time.time())}"


# --- stand-ins for domain functions not yet on this branch ------------------------------------


@dataclass(frozen=True)
class _Campaign:
    code: str = "2023"
    opens: date = date(2023, 4, 1)
    closes: date = date(2023, 5, 31)
    report_deadline: date = date(2023, 6, 30)
    default_agreement: str = "KAP-KL"
    explanation: object = None

    def phase(self, day: date) -> str:
        return "before" if day < self.opens else "open" if day <= self.closes else "closed"


@dataclass(frozen=True)
class _Rule:
    code: str
    passed: bool
    data: dict
    explanation: object = domain.Explanation(rule="stand-in", source="tests/choice_factories.py")


@dataclass(frozen=True)
class _Eligibility:
    eligible: bool
    rules: tuple


def _eligibility_2023(history, campaign=None):
    born = _Rule("born_in_range", 1958 <= history.birth_year <= 1985, {})
    limit = Decimal("532500")
    above = _Rule("pensionsunderlag_above_7_5_ibb", history.salary(2022) > limit, {})
    granted = _Rule("no_pension_granted", history.pension_granted_on is None, {})
    rules = (born, above, granted)
    return _Eligibility(all(rule.passed for rule in rules), rules)


class _Comparison:
    def to_snapshot(self) -> dict:
        return {
            "stay": {"agreement": "KAP-KL", "total_monthly": "21000"},
            "move": {"agreement": "AKAP-KR", "total_monthly": "20500"},
            "difference_monthly": "-500",
            "assumptions": {"retirement_age": 65, "real_salary_growth": "0.015", "real_return": "0.02",
                            "payout_years": 20},
        }


def install_domain_stand_ins(monkeypatch) -> None:
    stand_ins = {
        "choice_campaign": lambda code: _Campaign(code=code),
        "eligibility_2023": _eligibility_2023,
        "default_assumptions": lambda at: None,
        "compare": lambda history, assumptions, at: _Comparison(),
    }
    for name, function in stand_ins.items():
        if not hasattr(domain, name):
            monkeypatch.setattr(domain, name, function, raising=False)
