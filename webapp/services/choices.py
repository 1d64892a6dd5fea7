"""The one-time 2023 choice: where a person stands, recording a signed choice exactly once,
and asking for a late choice.

The database decides "exactly once": ``Choice`` has a unique constraint on (person, campaign).
``record_choice`` commits before it returns, so a choice is acknowledged only once it is stored;
a concurrent or replayed attempt ends on the IntegrityError, rolls back and gets the existing row.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import domain
from webapp.models import Choice, Decision, Employment, LateChoiceRequest, Person
from webapp.services import audit
from webapp.services.history import load_records, person_history

CAMPAIGN_CODE = "2023"
SIGNING_PURPOSE = "choice-2023"
AGREEMENTS = ("KAP-KL", "AKAP-KR")
# Unambiguous characters (no 0/O, 1/I/L) so a reference can be read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
STOCKHOLM = ZoneInfo("Europe/Stockholm")
LATE_REASON_MAX_LENGTH = 2000


class AlreadyRequested(Exception):
    """The person has already asked for a late choice in this campaign."""


class NotAllowed(Exception):
    """The person may not do this in their current situation (``state`` says why)."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


@dataclass(frozen=True)
class ChoiceSituation:
    """Everything the choice page shows about one person, and what they may do now.

    ``state`` names the status box: not_eligible, not_open_yet, open, closed (defaulted to
    KAP-KL, a late choice may be requested), late_pending, late_granted, late_refused, or the
    status of a stored choice (received, approved, rejected, reported).
    """

    campaign: object  # domain.ChoiceCampaign
    phase: str  # before | open | closed
    eligibility: object  # domain.Eligibility
    choice: Choice | None
    decision: Decision | None
    late_request: LateChoiceRequest | None
    state: str
    records_fingerprint: str  # of the register rows the eligibility came from (webapp/render_cache.py)

    @property
    def may_choose(self) -> bool:
        return self.state in ("open", "late_granted")

    @property
    def may_request_late(self) -> bool:
        # Only where the agreement lets the employer allow a late choice (campaign data, SKR Q&A [S3]).
        return self.state == "closed" and bool(getattr(self.campaign, "late_choice_allowed", False))

    @property
    def is_late(self) -> bool:
        return self.state == "late_granted"


def campaign():
    return domain.choice_campaign(CAMPAIGN_CODE)


def find_choice(session: Session, person_id: int, campaign_code: str = CAMPAIGN_CODE) -> Choice | None:
    return session.exec(
        select(Choice).where(Choice.person_id == person_id, Choice.campaign == campaign_code)
    ).first()


def find_late_request(session: Session, person_id: int, campaign_code: str = CAMPAIGN_CODE):
    return session.exec(
        select(LateChoiceRequest).where(
            LateChoiceRequest.person_id == person_id, LateChoiceRequest.campaign == campaign_code
        )
    ).first()


def situation(session: Session, person: Person, today: date) -> ChoiceSituation:
    current = campaign()
    phase = current.phase(today)
    records = load_records(session, person)
    eligibility = domain.eligibility_2023(records.history, current)
    choice = find_choice(session, person.id, current.code)
    decision = None
    late_request = None
    if choice is not None:
        decision = session.exec(select(Decision).where(Decision.choice_id == choice.id)).first()
        state = choice.status
    else:
        late_request = find_late_request(session, person.id, current.code)
        state = _state_without_choice(eligibility.eligible, phase, late_request)
    return ChoiceSituation(current, phase, eligibility, choice, decision, late_request, state, records.fingerprint)


def _state_without_choice(eligible: bool, phase: str, late_request: LateChoiceRequest | None) -> str:
    if not eligible:
        return "not_eligible"
    if phase == "before":
        return "not_open_yet"
    if phase == "open":
        return "open"
    # After the period: no active choice means staying in KAP-KL, unless the employer allows
    # a late choice for someone who was completely unable to choose in time (SKR Q&A [S3]).
    if late_request is None:
        return "closed"
    return f"late_{late_request.status}"


def employer_id(session: Session, person: Person, day: date) -> int | None:
    """The organisation the choice goes to: the employment in force on ``day``, else the latest."""
    employments = session.exec(
        select(Employment).where(Employment.person_id == person.id).order_by(Employment.start_date)
    ).all()
    if not employments:
        return None
    for employment in reversed(employments):
        if employment.start_date <= day and (employment.end_date is None or employment.end_date >= day):
            return employment.organisation_id
    return employments[-1].organisation_id


def new_reference(campaign_code: str = CAMPAIGN_CODE) -> str:
    """``PV-2023-`` and eight random characters from the OS's CSPRNG: unguessable, not a counter."""
    return f"PV-{campaign_code}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def comparison_snapshot(session: Session, person: Person, at: date) -> dict:
    """The comparison at default assumptions, as the person could see it when signing.

    A failing comparison must never cost the person their irrevocable choice, so the failure is
    stored in the snapshot instead of raised."""
    try:
        history = person_history(session, person)
        comparison = domain.compare(history, domain.default_assumptions(at), at)
        return comparison.to_snapshot()
    except Exception as error:  # noqa: BLE001 - recorded with the choice, see docstring
        return {"unavailable": True, "error": type(error).__name__, "at": at.isoformat()}


def _as_datetime(moment) -> datetime:
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.fromtimestamp(int(moment), UTC)


def record_choice(session: Session, person: Person, agreement: str, signed_text: str, id_token: str,
                  signed_at, campaign, is_late: bool) -> tuple[Choice, bool]:
    """Store the signed choice exactly once and commit. Returns (choice, created).

    ``created`` is False when the person had already chosen (a second attempt, a double click, a
    replayed signing callback, or a concurrent request that committed first): the existing row
    is returned and nothing is written."""
    if agreement not in AGREEMENTS:
        raise ValueError(f"unknown agreement {agreement!r}")
    existing = find_choice(session, person.id, campaign.code)
    if existing is not None:
        return existing, False
    chosen_at = _as_datetime(signed_at)
    day = chosen_at.astimezone(STOCKHOLM).date()
    snapshot = json.dumps(comparison_snapshot(session, person, day), ensure_ascii=False, sort_keys=True)
    organisation_id = employer_id(session, person, day)
    if organisation_id is None:
        raise NotAllowed("not_eligible")
    for _attempt in range(3):
        choice = Choice(
            reference=new_reference(campaign.code),
            person_id=person.id,
            organisation_id=organisation_id,
            campaign=campaign.code,
            agreement=agreement,
            chosen_at=chosen_at,
            is_late=is_late,
            status="received",
            signed_text=signed_text,
            signed_evidence=id_token,
            comparison_snapshot=snapshot,
        )
        session.add(choice)
        try:
            session.flush()
            audit.record(session, "choice.signed", actor_id=person.id, subject_person_id=person.id,
                         choice_id=choice.id, reference=choice.reference, agreement=agreement,
                         campaign=campaign.code, is_late=is_late)
            session.commit()
        except IntegrityError:
            session.rollback()
            existing = find_choice(session, person.id, campaign.code)
            if existing is not None:
                return existing, False
            continue  # a reference collision (about 1 in 10^12): draw a new one
        return choice, True
    raise RuntimeError("could not store the choice")


def request_late_choice(session: Session, person: Person, reason: str, today: date,
                        now: datetime) -> LateChoiceRequest:
    """Ask the employer to allow a late choice; one request per person and campaign."""
    current = situation(session, person, today)
    if current.late_request is not None:
        raise AlreadyRequested
    if not current.may_request_late:
        raise NotAllowed(current.state)
    organisation_id = employer_id(session, person, current.campaign.opens)
    request = LateChoiceRequest(
        person_id=person.id,
        organisation_id=organisation_id,
        campaign=current.campaign.code,
        reason=reason.strip(),
        requested_at=now,
        status="pending",
    )
    session.add(request)
    try:
        session.flush()
        audit.record(session, "late_choice.requested", actor_id=person.id, subject_person_id=person.id,
                     request_id=request.id, campaign=current.campaign.code)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise AlreadyRequested from None
    return request


def load_snapshot(choice: Choice) -> dict:
    try:
        return json.loads(choice.comparison_snapshot)
    except (TypeError, ValueError):
        return {}
