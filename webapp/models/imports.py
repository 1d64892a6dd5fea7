"""Salary files sent by employers and the background job that applies them to the register."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, LargeBinary, Text
from sqlmodel import Field, SQLModel

IMPORT_STATUSES = ("received", "processing", "done", "done_with_warnings", "rejected")


class ImportFile(SQLModel, table=True):
    """One uploaded salary file: its bytes (kept), its sha256, the job's status and its return report.

    The status moves received → processing → done | done_with_warnings | rejected. The return
    report is JSON with message codes, so it is shown in the reader's language."""

    __table_args__ = (
        CheckConstraint(
            "status IN ('received', 'processing', 'done', 'done_with_warnings', 'rejected')",
            name="ck_importfile_status",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    uploaded_by_id: int | None = Field(default=None, foreign_key="person.id")
    uploaded_at: datetime = Field(index=True)
    filename: str = Field(max_length=255)
    size: int
    sha256: str = Field(max_length=64, index=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: str = Field(default="received", max_length=20, index=True)
    progress: int = Field(default=0)  # percent done: checking the rows is 0–50, applying them 50–100
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None  # the worker's last sign of life; stale → resumable
    finished_at: datetime | None = None
    report: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
