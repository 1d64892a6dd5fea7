"""The data model (SQLModel). Schema changes go through Alembic migrations in ``migrations/``."""

from webapp.models.audit import AuditEntry
from webapp.models.choices import Choice, Decision, LateChoiceRequest, ReportBatch
from webapp.models.imports import ImportFile
from webapp.models.invoices import Invoice
from webapp.models.liability import LiabilityCalculation, LiabilityRow
from webapp.models.operations import PlannedClosure
from webapp.models.precalc import Precalculation
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
from webapp.models.retirement import MonitoringSetting, PensionApplication

__all__ = [
    "AgreementMembership",
    "AuditEntry",
    "Choice",
    "Decision",
    "EarnedRight",
    "EmployerRole",
    "Employment",
    "ImportFile",
    "Invoice",
    "LateChoiceRequest",
    "LeavePeriod",
    "MonitoringSetting",
    "LiabilityCalculation",
    "LiabilityRow",
    "Organisation",
    "PensionApplication",
    "Person",
    "PlannedClosure",
    "Precalculation",
    "ReportBatch",
    "SalaryYear",
]
