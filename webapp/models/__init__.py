"""The data model (SQLModel). Schema changes go through Alembic migrations in ``migrations/``."""

from webapp.models.audit import AuditEntry
from webapp.models.choices import Choice, Decision, LateChoiceRequest, ReportBatch
from webapp.models.imports import ImportFile
from webapp.models.liability import LiabilityCalculation, LiabilityRow
from webapp.models.operations import PlannedClosure
from webapp.models.register import (
    AgreementMembership,
    EarnedRight,
    EmployerRole,
    Employment,
    LeavePeriod,
    Organisation,
    Person,
    SalaryYear,
)

__all__ = [
    "AgreementMembership",
    "AuditEntry",
    "Choice",
    "Decision",
    "EarnedRight",
    "EmployerRole",
    "Employment",
    "ImportFile",
    "LateChoiceRequest",
    "LeavePeriod",
    "LiabilityCalculation",
    "LiabilityRow",
    "Organisation",
    "Person",
    "PlannedClosure",
    "ReportBatch",
    "SalaryYear",
]
