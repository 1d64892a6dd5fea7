"""Running the service: planned closures (maintenance windows)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel


class PlannedClosure(SQLModel, table=True):
    """A maintenance window: announced ahead, read-only while it lasts."""

    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ck_closure_times"),)

    id: int | None = Field(default=None, primary_key=True)
    starts_at: datetime = Field(index=True)
    ends_at: datetime = Field(index=True)
    announce_hours: int = Field(default=72)  # the banner shows this long before the start
    message_sv: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    message_en: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
