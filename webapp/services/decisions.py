"""The employer's decisions: approve or reject a choice, grant or refuse a late-choice request.

A case is decided once. The database guards it (``Decision.choice_id`` is unique, and the status
changes only from its undecided value), so two approvers deciding at the same moment end with
one decision; the other gets ``AlreadyDecided`` naming who decided and when. Every decision is
written to the audit log in the same transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp import clock
from webapp.models import Choice, Decision, LateChoiceRequest, Person
from webapp.services import audit, campaign

OUTCOMES = ("approved", "rejected")


class NotFound(Exception):
    """The case does not exist in the staff member's organisations."""


class NotAllowed(Exception):
    """The staff member sees the case but is not an approver of its organisation."""


class ReasonRequired(ValueError):
    """A rejection or refusal must say why."""


@dataclass
class AlreadyDecided(Exception):
    outcome: str
    decided_by: str
    decided_at: datetime | None


def approver_orgs(roles: Mapping[int, set[str]]) -> set[int]:
    return {org for org, names in roles.items() if "approver" in names}


def _name(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id else None
    return person.name if person else "?"


def _already(session: Session, decision: Decision) -> AlreadyDecided:
    return AlreadyDecided(decision.outcome, _name(session, decision.decided_by), decision.decided_at)


def decision_of(session: Session, choice_id: int) -> Decision | None:
    return session.exec(select(Decision).where(Decision.choice_id == choice_id)).first()


def decide_choice(
    session: Session,
    *,
    actor: Person,
    roles: Mapping[int, set[str]],
    choice_id: int,
    outcome: str,
    reason: str | None = None,
) -> Decision:
    """Approve or reject one choice and commit; raises NotFound, NotAllowed, ReasonRequired or
    AlreadyDecided (after rolling back) instead."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    choice = session.exec(
        select(Choice).where(Choice.id == choice_id, Choice.organisation_id.in_(list(roles)))
    ).first()
    if choice is None:
        raise NotFound(choice_id)
    if choice.organisation_id not in approver_orgs(roles):
        raise NotAllowed(choice_id)
    reason = (reason or "").strip() or None
    if outcome == "rejected" and not reason:
        raise ReasonRequired()
    existing = decision_of(session, choice.id)
    if existing is not None:
        raise _already(session, existing)
    decision = Decision(
        choice_id=choice.id, outcome=outcome, reason=reason, decided_by=actor.id, decided_at=clock.now()
    )
    session.add(decision)
    try:
        session.flush()  # the unique choice_id waits for, and then loses to, a concurrent decision
        changed = session.execute(
            update(Choice).where(Choice.id == choice.id, Choice.status == "received").values(status=outcome)
        ).rowcount
        if changed != 1:
            raise IntegrityError("choice is no longer undecided", None, Exception())
        audit.record(
            session,
            f"choice_{outcome}",
            actor_id=actor.id,
            subject_person_id=choice.person_id,
            choice=choice.reference,
            reason=reason,
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = decision_of(session, choice.id)
        if existing is None:  # pragma: no cover - the status changed without a decision row
            raise AlreadyDecided("unknown", "?", None) from None
        raise _already(session, existing) from None
    return decision


@dataclass
class BulkResult:
    decided: list[int] = field(default_factory=list)
    already: list[tuple[int, AlreadyDecided]] = field(default_factory=list)
    not_found: list[int] = field(default_factory=list)


def decide_many(
    session: Session,
    *,
    actor: Person,
    roles: Mapping[int, set[str]],
    choice_ids: Collection[int],
    outcome: str,
    reason: str | None = None,
) -> BulkResult:
    """Decide several choices with the same outcome, each in its own transaction, so one case
    already decided by someone else does not stop the rest."""
    if outcome == "rejected" and not (reason or "").strip():
        raise ReasonRequired()
    result = BulkResult()
    for choice_id in sorted(set(choice_ids)):
        try:
            decide_choice(session, actor=actor, roles=roles, choice_id=choice_id, outcome=outcome, reason=reason)
        except (NotFound, NotAllowed):
            result.not_found.append(choice_id)
        except AlreadyDecided as already:
            result.already.append((choice_id, already))
        else:
            result.decided.append(choice_id)
    return result


def decide_late_request(
    session: Session,
    *,
    actor: Person,
    roles: Mapping[int, set[str]],
    request_id: int,
    grant: bool,
    reason: str | None = None,
) -> LateChoiceRequest:
    """Grant a late-choice request (the person may then choose, and the choice counts as made
    within the period) or refuse it with a reason."""
    late = session.exec(
        select(LateChoiceRequest).where(
            LateChoiceRequest.id == request_id, LateChoiceRequest.organisation_id.in_(list(roles))
        )
    ).first()
    if late is None:
        raise NotFound(request_id)
    if late.organisation_id not in approver_orgs(roles):
        raise NotAllowed(request_id)
    reason = (reason or "").strip() or None
    if not grant and not reason:
        raise ReasonRequired()
    if grant and not campaign.late_choice_allowed():
        raise NotAllowed(request_id)
    status = "granted" if grant else "refused"
    now = clock.now()
    changed = session.execute(
        update(LateChoiceRequest)
        .where(LateChoiceRequest.id == late.id, LateChoiceRequest.status == "pending")
        .values(status=status, decided_by=actor.id, decided_at=now, decision_reason=reason)
    ).rowcount
    if changed != 1:
        session.rollback()
        session.refresh(late)
        raise AlreadyDecided(late.status, _name(session, late.decided_by), late.decided_at)
    audit.record(
        session,
        f"late_request_{status}",
        actor_id=actor.id,
        subject_person_id=late.person_id,
        late_request=late.id,
        reason=reason,
    )
    session.commit()
    session.refresh(late)
    return late


def record_case_opened(session: Session, *, actor: Person, person_id: int, **details) -> None:
    """A staff member looked at a person's case: written to the audit log at once."""
    audit.record(session, "case_opened", actor_id=actor.id, subject_person_id=person_id, **details)
    session.commit()
