"""Bulk insert of the demo population and its queue into the database (SQLite or PostgreSQL).

Rows go in with one multi-row INSERT per table (SQLAlchemy core ``executemany``); the generated
ids are read back by natural key (personal identity number, organisation number, reference).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from webapp.demo.activity import CAMPAIGN, NOT_SIGNED, STOCKHOLM, Activity
from webapp.demo.organisations import ORGANISATIONS
from webapp.demo.records import DemoPerson
from webapp.models import (
    AgreementMembership,
    AuditEntry,
    Choice,
    Decision,
    EarnedRight,
    EmployerRole,
    Employment,
    LateChoiceRequest,
    LeavePeriod,
    Organisation,
    Person,
    ReportBatch,
    SalaryYear,
)

# "unavailable": the receipt and case pages show no comparison for a demo choice.
DEMO_SNAPSHOT = json.dumps({"unavailable": True, "demo": True, "note": NOT_SIGNED}, sort_keys=True)
# The administrator report layout "pensionsval-report/1" of the employer pages (docs/report-format.md).
REPORT_COLUMNS = ("org_number", "pnr", "agreement", "chosen_on", "late", "approver")
REPORT_FORMAT = "pensionsval-report/1"


@dataclass(frozen=True)
class LoadSummary:
    organisations: int
    persons: int
    choices: int
    late_requests: int


def has_organisations(connection: Connection) -> bool:
    return connection.execute(select(func.count()).select_from(Organisation)).scalar_one() > 0


def _insert(connection: Connection, model, rows: list[dict]) -> None:
    if rows:
        connection.execute(insert(model.__table__), rows)


def load(connection: Connection, people: list[DemoPerson], activity: Activity) -> LoadSummary:
    """Insert everything inside the caller's transaction."""
    _insert(connection, Organisation, [{"org_number": o.org_number, "name": o.name} for o in ORGANISATIONS])
    org_ids = {
        number: id_ for id_, number in connection.execute(select(Organisation.id, Organisation.org_number))
    }
    org_id = {o.key: org_ids[o.org_number] for o in ORGANISATIONS}
    org_number = {o.key: o.org_number for o in ORGANISATIONS}

    _insert(connection, Person, [
        {"pnr": p.pnr, "given_name": p.given_name, "family_name": p.family_name, "birth_date": p.birth_date,
         "is_test_person": True, "fixed_monthly_salary_2022_12_31": p.fixed_monthly_salary_2022_12_31,
         "pension_granted_on": p.pension_granted_on, "sap_granted": p.sap_granted, "fap_in_payment": False}
        for p in people
    ])
    pnrs = {p.pnr for p in people}
    person_id = {pnr: id_ for id_, pnr in connection.execute(select(Person.id, Person.pnr)) if pnr in pnrs}

    _insert(connection, Employment, [
        {"person_id": person_id[p.pnr], "organisation_id": org_id[e.organisation], "start_date": e.start,
         "end_date": e.end, "pay_type": e.pay_type, "degree": e.degree}
        for p in people for e in p.employments
    ])
    _insert(connection, SalaryYear, [
        {"person_id": person_id[p.pnr], "organisation_id": org_id[s.organisation], "year": s.year,
         "amount": s.amount, "full_time_amount": s.full_time_amount}
        for p in people for s in p.salaries
    ])
    _insert(connection, LeavePeriod, [
        {"person_id": person_id[p.pnr], "start_date": leave.start, "end_date": leave.end, "kind": leave.kind}
        for p in people for leave in p.leaves
    ])
    _insert(connection, EarnedRight, [
        {"person_id": person_id[p.pnr], "kind": kind, "year": year, "amount": amount}
        for p in people for kind, year, amount in p.rights
    ])
    _insert(connection, AgreementMembership, [
        {"person_id": person_id[p.pnr], "agreement": agreement, "valid_from": valid_from}
        for p in people for agreement, valid_from in p.memberships
    ])
    _insert(connection, EmployerRole, [
        {"person_id": person_id[p.pnr], "organisation_id": org_id[key], "role": role}
        for p in people for key, role in p.staff_roles
    ])
    staff = {(key, role): person_id[p.pnr] for p in people for key, role in p.staff_roles}
    staff_name = {person_id[p.pnr]: f"{p.given_name} {p.family_name}" for p in people if p.staff_roles}
    _load_activity(connection, activity, person_id, org_id, org_number, staff, staff_name)
    return LoadSummary(len(ORGANISATIONS), len(people), len(activity.choices), len(activity.late_requests))


def _load_activity(connection, activity: Activity, person_id, org_id, org_number, staff, staff_name) -> None:
    choices = activity.choices
    _insert(connection, Choice, [
        {"reference": c.reference, "person_id": person_id[c.pnr], "organisation_id": org_id[c.organisation],
         "campaign": CAMPAIGN, "agreement": c.agreement, "chosen_at": c.chosen_at, "is_late": c.is_late,
         "status": "approved" if c.status == "reported" else c.status, "signed_text": c.signed_text,
         "signed_evidence": NOT_SIGNED, "comparison_snapshot": DEMO_SNAPSHOT}
        for c in choices
    ])
    refs = {c.reference for c in choices}
    choice_id = {ref: id_ for id_, ref in connection.execute(select(Choice.id, Choice.reference)) if ref in refs}
    decided = [c for c in choices if c.decided_at is not None]
    _insert(connection, Decision, [
        {"choice_id": choice_id[c.reference], "outcome": "rejected" if c.status == "rejected" else "approved",
         "reason": c.reason, "decided_by": staff[(c.organisation, c.decided_by_role)], "decided_at": c.decided_at}
        for c in decided
    ])
    audit = [
        _audit(c.chosen_at, person_id[c.pnr], "choice.signed", person_id[c.pnr], choice_id=choice_id[c.reference],
               reference=c.reference, agreement=c.agreement, campaign=CAMPAIGN, is_late=c.is_late)
        for c in choices
    ] + [
        _audit(c.decided_at, staff[(c.organisation, c.decided_by_role)],
               "choice_rejected" if c.status == "rejected" else "choice_approved", person_id[c.pnr],
               choice=c.reference, reason=c.reason)
        for c in decided
    ]
    audit += _report_batches(connection, activity, person_id, org_id, org_number, staff, staff_name, choice_id)

    _insert(connection, LateChoiceRequest, [
        {"person_id": person_id[r.pnr], "organisation_id": org_id[r.organisation], "campaign": CAMPAIGN,
         "reason": r.reason, "requested_at": r.requested_at, "status": r.status,
         "decided_by": staff[(r.organisation, "approver")] if r.decided_at else None,
         "decided_at": r.decided_at, "decision_reason": r.decision_reason}
        for r in activity.late_requests
    ])
    late_id = {person: id_ for person, id_ in connection.execute(select(LateChoiceRequest.person_id, LateChoiceRequest.id))}
    for r in activity.late_requests:
        audit.append(_audit(r.requested_at, person_id[r.pnr], "late_choice.requested", person_id[r.pnr],
                            campaign=CAMPAIGN))
        if r.decided_at:
            audit.append(_audit(r.decided_at, staff[(r.organisation, "approver")], f"late_request_{r.status}",
                                person_id[r.pnr], late_request=late_id[person_id[r.pnr]], reason=r.decision_reason))
    audit.sort(key=lambda row: row["at"])
    _insert(connection, AuditEntry, audit)


def _report_batches(connection, activity, person_id, org_id, org_number, staff, staff_name, choice_id
                    ) -> list[dict]:
    """Batch 1 of each employer with its reported demo choices, as the employer's export writes it."""
    audit = []
    created_at = datetime.combine(activity.report_day, time(14, 0), tzinfo=UTC)
    for key in sorted({c.organisation for c in activity.choices if c.status == "reported"}):
        reported = sorted((c for c in activity.choices if c.status == "reported" and c.organisation == key),
                          key=lambda c: (c.chosen_at, choice_id[c.reference]))
        approver = staff[(key, "approver")]
        rows = [
            {"org_number": org_number[key], "pnr": c.pnr, "agreement": c.agreement,
             "chosen_on": c.chosen_at.astimezone(STOCKHOLM).date().isoformat(), "late": "1" if c.is_late else "0",
             "approver": staff_name[approver]}
            for c in reported
        ]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        document = {"format": REPORT_FORMAT, "org_number": org_number[key], "batch": 1,
                    "created_at": created_at.isoformat(),
                    "choices": [{**row, "late": row["late"] == "1"} for row in rows]}
        connection.execute(insert(ReportBatch.__table__).values(
            organisation_id=org_id[key], number=1, created_at=created_at, created_by=approver,
            csv_content=buffer.getvalue(),
            json_content=json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"))
        batch_id = connection.execute(
            select(ReportBatch.id).where(ReportBatch.organisation_id == org_id[key], ReportBatch.number == 1)
        ).scalar_one()
        connection.execute(
            Choice.__table__.update()
            .where(Choice.__table__.c.id.in_([choice_id[c.reference] for c in reported]))
            .values(status="reported", report_batch_id=batch_id)
        )
        audit += [_audit(created_at, approver, "choice_reported", person_id[c.pnr], choice=c.reference, batch=1,
                         organisation=org_number[key]) for c in reported]
        audit.append(_audit(created_at, approver, "report_exported", None, batch=1, organisation=org_number[key],
                            choices=len(reported)))
    return audit


def _audit(at: datetime, actor_id: int | None, action: str, subject_person_id: int | None, **details) -> dict:
    details["demo"] = True
    return {"at": at, "actor_id": actor_id, "action": action, "subject_person_id": subject_person_id,
            "details": json.dumps(details, default=str, ensure_ascii=False, sort_keys=True)}
