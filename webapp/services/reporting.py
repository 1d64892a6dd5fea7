"""Reporting approved choices to the pension administrator in numbered batches.

An export claims every approved, unreported choice of one organisation with a single UPDATE that
sets ``status = 'reported'`` and the new batch's id, then writes the batch's CSV and JSON from
exactly the claimed rows, all in one transaction: nothing is reported twice, and a choice approved
while the export runs is not claimed and goes into the next batch. The files are stored, so an
earlier batch downloads again byte for byte. The layout is documented in docs/report-format.md."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from webapp import clock
from webapp.models import Choice, Decision, Organisation, Person, ReportBatch
from webapp.services import audit
from webapp.services.decisions import NotAllowed, NotFound, approver_orgs

CSV_COLUMNS = ("org_number", "pnr", "agreement", "chosen_on", "late", "approver")
FORMAT = "pensionsval-report/1"
SWEDEN = ZoneInfo("Europe/Stockholm")


class NothingToReport(Exception):
    pass


class ExportBusy(Exception):
    """Another export of the same organisation committed first; try again."""


@dataclass(frozen=True)
class OrganisationReporting:
    organisation: Organisation
    unreported: int
    batches: list[ReportBatch]
    may_export: bool


def unreported_count(session: Session, organisation_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Choice)
        .where(
            Choice.organisation_id == organisation_id,
            Choice.status == "approved",
            Choice.report_batch_id.is_(None),
        )
    ).one()


def overview(session: Session, roles: Mapping[int, set[str]]) -> list[OrganisationReporting]:
    organisations = session.exec(
        select(Organisation).where(Organisation.id.in_(list(roles))).order_by(Organisation.name)
    ).all()
    approvers = approver_orgs(roles)
    return [
        OrganisationReporting(
            organisation=org,
            unreported=unreported_count(session, org.id),
            batches=list(
                session.exec(
                    select(ReportBatch)
                    .where(ReportBatch.organisation_id == org.id)
                    .order_by(ReportBatch.number.desc())
                )
            ),
            may_export=org.id in approvers,
        )
        for org in organisations
    ]


def _rows(session: Session, batch_id: int, org_number: str) -> list[dict[str, str]]:
    approver = aliased(Person)
    result = session.exec(
        select(Choice, Person.pnr, approver.given_name, approver.family_name)
        .join(Person, Person.id == Choice.person_id)
        # Outer joins: every claimed choice is in the file, even one approved without a decision row.
        .outerjoin(Decision, Decision.choice_id == Choice.id)
        .outerjoin(approver, approver.id == Decision.decided_by)
        .where(Choice.report_batch_id == batch_id)
        .order_by(Choice.chosen_at, Choice.id)
    ).all()
    return [
        {
            "org_number": org_number,
            "pnr": pnr,
            "agreement": choice.agreement,
            "chosen_on": _swedish_day(choice).isoformat(),
            "late": "1" if choice.is_late else "0",
            "approver": f"{given} {family}" if given is not None else "",
        }
        for choice, pnr, given, family in result
    ]


def _swedish_day(choice: Choice) -> date:
    moment = choice.chosen_at
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SWEDEN).date()


def render_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def render_json(organisation: Organisation, number: int, created_at, rows: list[dict[str, str]]) -> str:
    document = {
        "format": FORMAT,
        "org_number": organisation.org_number,
        "batch": number,
        "created_at": created_at.isoformat(),
        "choices": [{**row, "late": row["late"] == "1"} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def export_batch(session: Session, *, actor: Person, roles: Mapping[int, set[str]], organisation_id: int) -> ReportBatch:
    """Create the next numbered batch of one organisation and commit it with its choices marked."""
    if organisation_id not in roles:
        raise NotFound(organisation_id)
    if organisation_id not in approver_orgs(roles):
        raise NotAllowed(organisation_id)
    organisation = session.get(Organisation, organisation_id)
    if unreported_count(session, organisation_id) == 0:
        raise NothingToReport()
    number = (
        session.exec(select(func.max(ReportBatch.number)).where(ReportBatch.organisation_id == organisation_id)).one()
        or 0
    ) + 1
    created_at = clock.now()
    batch = ReportBatch(
        organisation_id=organisation_id,
        number=number,
        created_at=created_at,
        created_by=actor.id,
        csv_content="",
        json_content="",
    )
    try:
        session.add(batch)
        session.flush()  # (organisation, number) is unique: a concurrent export of the same number fails here
        session.execute(
            update(Choice)
            .where(
                Choice.organisation_id == organisation_id,
                Choice.status == "approved",
                Choice.report_batch_id.is_(None),
            )
            .values(status="reported", report_batch_id=batch.id)
        )
        rows = _rows(session, batch.id, organisation.org_number)
        if not rows:
            session.rollback()
            raise NothingToReport()
        batch.csv_content = render_csv(rows)
        batch.json_content = render_json(organisation, number, created_at, rows)
        session.add(batch)
        reported = session.exec(select(Choice.person_id, Choice.reference).where(Choice.report_batch_id == batch.id))
        for person_id, reference in reported:
            audit.record(
                session,
                "choice_reported",
                actor_id=actor.id,
                subject_person_id=person_id,
                choice=reference,
                batch=number,
                organisation=organisation.org_number,
            )
        audit.record(
            session, "report_exported", actor_id=actor.id, batch=number,
            organisation=organisation.org_number, choices=len(rows),
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ExportBusy() from None
    return batch


def batch_in_scope(session: Session, org_ids: Collection[int], batch_id: int) -> ReportBatch | None:
    return session.exec(
        select(ReportBatch).where(ReportBatch.id == batch_id, ReportBatch.organisation_id.in_(list(org_ids)))
    ).first()


def record_download(session: Session, *, actor: Person, batch: ReportBatch, kind: str) -> None:
    organisation = session.get(Organisation, batch.organisation_id)
    audit.record(
        session, "report_downloaded", actor_id=actor.id, batch=batch.number,
        organisation=organisation.org_number, format=kind,
    )
    session.commit()
