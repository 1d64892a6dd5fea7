"""Writing the audit trail. Service functions call ``record`` where the change happens; the
row is added to the caller's transaction, so an action and its audit entry commit together."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Session, select

from webapp.models import AuditEntry


def record(session: Session, action: str, *, actor_id: int | None, subject_person_id: int | None = None,
           **details) -> AuditEntry:
    entry = AuditEntry(**values(action, actor_id=actor_id, subject_person_id=subject_person_id, **details))
    session.add(entry)
    return entry


def values(action: str, *, actor_id: int | None, subject_person_id: int | None = None, **details) -> dict:
    """The column values of an audit entry, for bulk inserts (e.g. a salary file's changes)."""
    return {
        "at": datetime.now(UTC),
        "actor_id": actor_id,
        "action": action,
        "subject_person_id": subject_person_id,
        "details": json.dumps(details, default=str, ensure_ascii=False, sort_keys=True),
    }


def history_of(session: Session, person_id: int) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry).where(AuditEntry.subject_person_id == person_id).order_by(AuditEntry.at, AuditEntry.id)
        )
    )
