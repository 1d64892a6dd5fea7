"""The append-only audit log. Rows are only ever inserted; the migration adds database triggers
that refuse UPDATE and DELETE, so no code path can rewrite history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    action: str = Field(max_length=50)
    subject_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
