"""The pension simulation for one person (DB → domain) and its display rows.

``display(simulation_or_snapshot)`` turns a ``domain.Simulation`` — or the JSON snapshot a saved
pre-calculation keeps — into the rows the partial ``employee/_simulation_result.html`` shows, so a
saved simulation reads the same a year later without being computed again.
``survivors(cover_or_snapshot)`` does the same for ``employee/_survivors.html``.
Read-only use cases: no audit entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

import domain
from domain.simulation import DC_PARTS
from webapp.employee.chart import PaymentChart, build_payment_chart
from webapp.models import AgreementMembership, Person
from webapp.services import choices
from webapp.services.history import person_history

# Choice states in which the person may still choose between the agreements (see
# services.choices.ChoiceSituation): the page then lets them simulate either agreement.
STILL_CHOOSING = ("not_open_yet", "open", "late_pending", "late_granted")
CHOSE_AKAPKR_STATES = ("received", "approved", "reported")


def share_text(share: Decimal) -> str:
    """A withdrawal share as the forms and letters show it: Decimal("0.5") → "50 %"."""
    return f"{(share * 100).normalize():f} %"


@dataclass(frozen=True)
class PersonAgreements:
    own: str  # "KAP-KL" | "AKAP-KR"
    offered: tuple[str, ...]  # the agreements the page lets the person simulate
    chose_akapkr: bool


@dataclass(frozen=True)
class PartRow:
    code: str
    monthly: Decimal
    yearly: Decimal
    start_age: int
    payout_years: int | None  # None = lifelong
    explanation: object | None  # domain.Explanation (rebuilt from a snapshot too)

    @property
    def is_dc(self) -> bool:
        return self.code in DC_PARTS


@dataclass(frozen=True)
class PaymentRow:
    year: int
    age: int
    amounts: tuple[Decimal, ...]  # per part, in the order of ``SimulationDisplay.parts``
    total: Decimal


@dataclass(frozen=True)
class SimulationDisplay:
    at: date
    agreement: str
    retirement_age: int
    withdrawal_share: Decimal
    dc_payout_years: int | None
    real_salary_growth: Decimal | None
    real_return: Decimal | None
    parts: tuple[PartRow, ...]
    total_monthly: Decimal
    total_yearly: Decimal
    payments: tuple[PaymentRow, ...]
    caveats: tuple[str, ...]
    unconfirmed: bool
    explanation: object | None  # domain.Explanation of the whole simulation

    @property
    def chart(self) -> PaymentChart:
        return build_payment_chart([(p.age, p.year, p.total) for p in self.payments])

    @property
    def has_fractions(self) -> bool:
        """Whether amounts have öre (a partial withdrawal): shown with two decimals then."""
        return any(p.monthly != p.monthly.to_integral_value() for p in self.parts)


def display(simulation: domain.Simulation | dict) -> SimulationDisplay:
    """Display rows of a simulation or of its snapshot (``Simulation.to_snapshot()``)."""
    if isinstance(simulation, dict):
        simulation = domain.Simulation.from_snapshot(simulation)
    parts = tuple(
        PartRow(p.code, p.monthly_at_start, p.yearly_at_start, p.start_age, p.payout_years, p.explanation)
        for p in simulation.parts
    )
    codes = [p.code for p in parts]
    payments = tuple(
        PaymentRow(y.year, y.age, tuple(y.by_part.get(code, Decimal(0)) for code in codes), y.total_monthly)
        for y in simulation.payments
    )
    request = simulation.request
    assumptions = simulation.assumptions
    return SimulationDisplay(
        at=simulation.at,
        agreement=simulation.agreement,
        retirement_age=request.retirement_age,
        withdrawal_share=request.withdrawal_share,
        dc_payout_years=request.dc_payout_years,
        real_salary_growth=assumptions.real_salary_growth if assumptions else None,
        real_return=assumptions.real_return if assumptions else None,
        parts=parts,
        total_monthly=simulation.total_monthly,
        total_yearly=simulation.total_yearly,
        payments=payments,
        caveats=simulation.caveats,
        unconfirmed=simulation.explanation.unconfirmed,
        explanation=simulation.explanation,
    )


def _membership(session: Session, person: Person, today: date) -> str | None:
    """The person's agreement in the register on ``today`` (AKAP-KL was renamed AKAP-KR in 2023)."""
    row = session.exec(
        select(AgreementMembership)
        .where(AgreementMembership.person_id == person.id, AgreementMembership.valid_from <= today)
        .order_by(AgreementMembership.valid_from.desc())
    ).first()
    if row is None:
        return None
    return "AKAP-KR" if row.agreement in ("AKAP-KL", "AKAP-KR") else row.agreement


def agreements(session: Session, person: Person, today: date, history=None) -> PersonAgreements:
    """The person's own agreement and the agreements the page offers: both while the person may
    still make the 2023 choice, otherwise their own. Own agreement: AKAP-KR after a choice of
    AKAP-KR (not rejected), else the register's membership, else the domain's reading
    (``domain.own_agreement``)."""
    history = history or person_history(session, person)
    situation = choices.situation(session, person, today)
    choice = situation.choice
    chose_akapkr = bool(choice and choice.agreement == "AKAP-KR" and choice.status in CHOSE_AKAPKR_STATES)
    own = "AKAP-KR" if chose_akapkr else _membership(session, person, today)
    if own is None:
        own = domain.own_agreement(history, chose_akapkr=chose_akapkr)
    available = domain.available_agreements(history)
    if own not in available:
        own = available[0]
    offered = available if situation.state in STILL_CHOOSING else (own,)
    return PersonAgreements(own=own, offered=offered, chose_akapkr=chose_akapkr)


@dataclass(frozen=True)
class SimulationPage:
    history: object  # domain.PersonHistory
    agreements: PersonAgreements
    ages: dict[str, tuple[int, ...]]  # agreement → retirement ages offered
    shares: dict[str, tuple[Decimal, ...]]  # agreement → withdrawal shares offered


def page_options(session: Session, person: Person, today: date) -> SimulationPage:
    """What the simulation form offers ``person`` on ``today``."""
    history = person_history(session, person)
    offered = agreements(session, person, today, history)
    return SimulationPage(
        history=history,
        agreements=offered,
        ages={a: domain.allowed_retirement_ages(history, today, a) for a in offered.offered},
        shares={a: domain.allowed_withdrawal_shares(a, today) for a in offered.offered},
    )


def simulate(page: SimulationPage, request: domain.SimulationRequest, today: date):
    """The simulation and the survivor cover under the agreement asked for; raises
    ``domain.InvalidSimulation`` for a request the rules (or this page's offer) do not allow."""
    if request.agreement not in page.agreements.offered:
        raise domain.InvalidSimulation("agreement", "agreement_not_available")
    history = page.history
    rights = domain.entitlements(history, today)
    result = domain.simulate(history, request, today, chose_akapkr=page.agreements.chose_akapkr, rights=rights)
    cover = domain.survivor_cover(history, today, result.agreement, chose_akapkr=page.agreements.chose_akapkr,
                                  rights=rights)
    return result, cover


def survivors(cover: domain.SurvivorCover | dict) -> domain.SurvivorCover:
    """A survivor cover for ``employee/_survivors.html`` (context ``cover``), from the domain or
    from its saved snapshot (``SurvivorCover.to_snapshot()``)."""
    if isinstance(cover, dict):
        from domain.survivors import cover_from_snapshot

        return cover_from_snapshot(cover)
    return cover
