"""Salary files: receive, queue and apply them to the register as a background job.

A file is applied **all or nothing** in one database transaction: a file with any error is
rejected and changes nothing (the return report lists every error, so the sender corrects the
file and sends it again); a file without errors is applied in full, with its warnings reported.
The job's final status is written in that same transaction, so if the job dies half-way the
transaction rolls back, the file stays ``processing`` and ``flask process-imports`` (or the next
worker) resumes it once its heartbeat is stale.

The job reads the file twice, as a stream: first to check every row (progress 0–50 %, committed
as it goes), then to apply it in chunks inside the one transaction (progress 50–100 %, kept in
memory by the worker because the open transaction cannot publish it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from webapp.importing.csv_layout import FileRejected, Problem, Progress, SalaryRow, read_rows
from webapp.models import AuditEntry, Employment, ImportFile, Person, SalaryYear
from webapp.services import audit
from webapp.services.closures import closure_in_force

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)  # a processing job without a heartbeat this long is resumed
CHUNK = 1000
MAX_LISTED = 1000  # errors and warnings kept in a report; the totals count all of them
JUMP = Decimal("0.5")  # a salary more than 50 % above or below the previous year's is worth a look
OLD_AGE = 67
APPLYING: dict[int, int] = {}  # import id → percent applied, published by the in-process worker
FINAL = ("done", "done_with_warnings", "rejected")


def receive(session: Session, *, organisation_id: int, actor_id: int, filename: str, data: bytes,
            now: datetime) -> tuple[ImportFile, bool]:
    """Store an uploaded file as a job (status received). The same bytes sent again to the same
    organisation, unless the first was rejected, return the first file: nothing happens twice.

    Returns (file, is_new)."""
    digest = hashlib.sha256(data).hexdigest()
    earlier = session.exec(
        select(ImportFile).where(ImportFile.organisation_id == organisation_id, ImportFile.sha256 == digest,
                                 ImportFile.status != "rejected").order_by(ImportFile.id)
    ).first()
    if earlier is not None:
        return earlier, False
    record = ImportFile(organisation_id=organisation_id, uploaded_by_id=actor_id, uploaded_at=now,
                        filename=(filename or "file.csv")[:255], size=len(data), sha256=digest, content=data)
    session.add(record)
    session.flush()
    audit.record(session, "register.file.received", actor_id=actor_id, organisation_id=organisation_id,
                 import_file_id=record.id, filename=record.filename, sha256=digest)
    session.commit()
    return record, True


def files_of(session: Session, organisation_id: int, limit: int = 100) -> list[ImportFile]:
    return list(session.exec(
        select(ImportFile).where(ImportFile.organisation_id == organisation_id)
        .order_by(ImportFile.uploaded_at.desc(), ImportFile.id.desc()).limit(limit)))


def report_of(record: ImportFile) -> dict:
    return json.loads(record.report or "{}")


def pending_exists(session: Session, now: datetime) -> bool:
    return session.exec(select(ImportFile.id).where(_claimable(now)).limit(1)).first() is not None


def _claimable(now: datetime):
    return or_(ImportFile.status == "received",
               (ImportFile.status == "processing") & (ImportFile.heartbeat_at < now - STALE_AFTER))


def claim_next(engine: Engine, now: datetime) -> int | None:
    """Take the oldest waiting (or stale) job; atomic, so two workers never take the same one."""
    with Session(engine) as session:
        if closure_in_force(session, now) is not None:
            return None  # queued files wait for the site to reopen
        candidates = session.exec(select(ImportFile.id).where(_claimable(now)).order_by(ImportFile.id)).all()
        for candidate in candidates:
            claimed = session.execute(
                update(ImportFile).where(ImportFile.id == candidate, _claimable(now))
                .values(status="processing", started_at=now, heartbeat_at=now, progress=0)
            )
            session.commit()
            if claimed.rowcount == 1:
                return candidate
    return None


class _Report:
    def __init__(self):
        self.errors: list[dict] = []
        self.warnings: list[dict] = []
        self.error_total = 0
        self.warning_total = 0
        self.stats: Counter = Counter()
        self.created: set[int] = set()  # persons created by this file
        self.touched: set[int] = set()  # persons with any change from this file

    def error(self, problem: Problem) -> None:
        self.error_total += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append({"row": problem.row, "column": problem.column, "code": problem.code,
                                "params": problem.params})

    def warning(self, row: int, column: str | None, code: str, **params) -> None:
        self.warning_total += 1
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append({"row": row, "column": column, "code": code,
                                  "params": {k: str(v) for k, v in params.items()}})

    def as_json(self, applied: bool) -> str:
        return json.dumps({
            "applied": applied, "errors": self.errors, "error_total": self.error_total,
            "warnings": self.warnings, "warning_total": self.warning_total, "stats": dict(self.stats),
        })


def process(engine: Engine, import_id: int, now_fn, today: date) -> str:
    """Check and apply one claimed file. Returns the final status."""
    with Session(engine, expire_on_commit=False) as session:
        record = session.get(ImportFile, import_id)
        data, organisation_id, actor_id = record.content, record.organisation_id, record.uploaded_by_id
    report = _Report()
    try:
        _check(engine, import_id, data, today, report, now_fn)
    except FileRejected as rejected:
        report.error(rejected.problem)
    if report.error_total:
        return _finish_rejected(engine, import_id, report, now_fn())
    try:
        status = _apply(engine, import_id, data, organisation_id, actor_id, today, report, now_fn)
    except FileRejected as rejected:  # cannot happen after a clean check, but never half-apply
        report.error(rejected.problem)
        status = "rejected"
    finally:
        APPLYING.pop(import_id, None)
    if status == "rejected":
        return _finish_rejected(engine, import_id, report, now_fn())
    return status


def _check(engine, import_id, data, today, report: _Report, now_fn) -> None:
    """First pass: every row read and checked on its own; nothing is written but the progress."""
    progress = Progress(len(data))
    seen: set[int] = set()  # person and year as one int: ~50 bytes a row, the only state kept per row
    last = 0
    rows = 0
    last_row = None
    for item in read_rows(data, today, progress):
        if item.row != last_row:  # a row yields one SalaryRow or one or more Problems
            rows += 1
            last_row = item.row
        if isinstance(item, Problem):
            report.error(item)
            continue
        key = int(item.pnr) * 10_000 + item.year
        if key in seen:
            report.error(Problem(item.row, "ar", "duplicate_row", {"year": item.year}))
        seen.add(key)
        if progress.percent // 2 >= last + 5:
            last = progress.percent // 2
            _set_progress(engine, import_id, last, now_fn())
    report.stats["rows_read"] = rows


def _set_progress(engine, import_id: int, percent: int, now: datetime) -> None:
    with Session(engine) as session:
        session.execute(update(ImportFile).where(ImportFile.id == import_id)
                     .values(progress=percent, heartbeat_at=now))
        session.commit()


def _finish_rejected(engine, import_id: int, report: _Report, now: datetime) -> str:
    with Session(engine) as session:
        session.execute(update(ImportFile).where(ImportFile.id == import_id).values(
            status="rejected", progress=100, finished_at=now, report=report.as_json(applied=False)))
        session.commit()
    return "rejected"


def _finish_failed(engine, import_id: int, now: datetime) -> None:
    """An error on our side: report it (nothing was applied). If even that fails, the file stays
    processing and is resumed once its heartbeat is stale."""
    report = _Report()
    report.error(Problem(None, None, "internal_error"))
    try:
        _finish_rejected(engine, import_id, report, now)
    except Exception:
        log.exception("import file %s could not be marked as failed", import_id)


def _apply(engine, import_id, data, organisation_id, actor_id, today, report: _Report, now_fn) -> str:
    """Second pass, one transaction: apply every row; any error found here rolls all of it back."""
    progress = Progress(len(data))
    stats = report.stats
    with Session(engine, expire_on_commit=False) as session:
        chunk: list[SalaryRow] = []
        for item in read_rows(data, today, progress):
            if isinstance(item, SalaryRow):
                chunk.append(item)
            if len(chunk) >= CHUNK:
                _apply_chunk(session, chunk, organisation_id, actor_id, import_id, report)
                chunk = []
                APPLYING[import_id] = 50 + progress.percent // 2
        if chunk:
            _apply_chunk(session, chunk, organisation_id, actor_id, import_id, report)
        if report.error_total:
            session.rollback()
            for key in [k for k in stats if k != "rows_read"]:
                del stats[key]
            return "rejected"
        status = "done_with_warnings" if report.warning_total else "done"
        record = session.get(ImportFile, import_id)
        record.status, record.progress, record.finished_at = status, 100, now_fn()
        record.report = report.as_json(applied=True)
        session.add(record)
        audit.record(session, "register.file.applied", actor_id=actor_id, organisation_id=organisation_id,
                     import_file_id=import_id, status=status, stats=dict(stats))
        session.commit()
        return status


def _apply_chunk(session: Session, rows: list[SalaryRow], organisation_id, actor_id, import_id,
                 report: _Report) -> None:
    """Apply up to CHUNK rows with a handful of bulk statements (a file of 200 000 rows in well under
    a minute); every change gets an audit entry with its previous value."""
    stats = report.stats
    pnrs = {row.pnr for row in rows}
    persons = {pnr: (pid, given, family) for pid, pnr, given, family in session.execute(
        select(Person.id, Person.pnr, Person.given_name, Person.family_name).where(Person.pnr.in_(pnrs)))}
    audits: list[dict] = []

    def log_change(kind, person_id, before, after, action):
        audits.append(audit.values(f"register.{kind}.{action}", actor_id=actor_id, subject_person_id=person_id,
                                   organisation_id=organisation_id, import_file_id=import_id,
                                   before=before, after=after))

    new_persons: dict[str, dict] = {}
    for row in rows:
        if row.pnr not in persons and row.pnr not in new_persons and row.given_name and row.family_name:
            new_persons[row.pnr] = {"pnr": row.pnr, "birth_date": row.birth_date, "given_name": row.given_name,
                                    "family_name": row.family_name, "is_test_person": False,
                                    "sap_granted": False, "fap_in_payment": False}
    created, touched = report.created, report.touched
    if new_persons:
        inserted = session.execute(insert(Person).returning(Person.id, Person.pnr), list(new_persons.values()))
        for pid, pnr in inserted:
            values = new_persons[pnr]
            persons[pnr] = (pid, values["given_name"], values["family_name"])
            created.add(pid)
            stats["persons_created"] += 1
            log_change("person", pid, None, {"given_name": values["given_name"],
                                             "family_name": values["family_name"]}, "added")
    ids = [pid for pid, _given, _family in persons.values()]
    # Looked up by person only (the organisation is filtered here): PostgreSQL would otherwise pick
    # the organisation index, which matches every row of the organisation, and slow down per chunk.
    employments = {(person_id, start): {"id": eid, "end_date": end, "pay_type": pay_type, "degree": Decimal(degree)}
                   for eid, person_id, org_id, start, end, pay_type, degree in session.execute(
                       select(Employment.id, Employment.person_id, Employment.organisation_id, Employment.start_date,
                              Employment.end_date, Employment.pay_type, Employment.degree)
                       .where(Employment.person_id.in_(ids)))
                   if org_id == organisation_id}
    salaries = {(person_id, year): {"id": sid, "amount": Decimal(amount), "full_time_amount": _dec(full_time)}
                for sid, person_id, org_id, year, amount, full_time in session.execute(
                    select(SalaryYear.id, SalaryYear.person_id, SalaryYear.organisation_id, SalaryYear.year,
                           SalaryYear.amount, SalaryYear.full_time_amount)
                    .where(SalaryYear.person_id.in_(ids)))
                if org_id == organisation_id}
    new_employments: list[dict] = []
    new_salaries: list[dict] = []
    changed_employments: dict[int, dict] = {}
    changed_salaries: dict[int, dict] = {}

    for row in rows:
        changed = False
        found = persons.get(row.pnr)
        if found is None:
            report.error(Problem(row.row, "fornamn", "name_required"))
            continue
        pid, given, family = found
        if pid in created and (given, family) == (row.given_name, row.family_name) and pid not in touched:
            changed = True  # the row that created the person
        elif pid not in created and row.given_name and row.family_name and (given, family) != (
                row.given_name, row.family_name):
            session.execute(update(Person).where(Person.id == pid).values(
                given_name=row.given_name, family_name=row.family_name))
            persons[row.pnr] = (pid, row.given_name, row.family_name)
            log_change("person", pid, {"given_name": given, "family_name": family},
                       {"given_name": row.given_name, "family_name": row.family_name}, "changed")
            changed = True

        end = row.employment_end
        if end is not None and end < row.employment_start:
            report.warning(row.row, "anstallning_tom", "employment_ends_before_start",
                           start=row.employment_start, end=end)
            end = None  # the end date is not applied; the employment is kept open
        key = (pid, row.employment_start)
        employment = employments.get(key)
        wanted = {"end_date": end, "pay_type": row.pay_type, "degree": row.degree}
        if employment is None:
            age = _age(row.birth_date, row.employment_start)
            if age >= OLD_AGE:
                report.warning(row.row, "anstallning_from", "old_new_employment", age=age)
            employment = employments[key] = {"id": None, **wanted}
            new_employments.append({"person_id": pid, "organisation_id": organisation_id,
                                    "start_date": row.employment_start, "_values": employment})
            stats["employments_added"] += 1
            log_change("employment", pid, None, _employment_values(row.employment_start, employment), "added")
            changed = True
        elif (end is not None or employment["end_date"] is None) and any(
                employment[name] != value for name, value in wanted.items()):
            # An open employment in the file never reopens one the register has ended.
            before = _employment_values(row.employment_start, employment)
            employment.update(wanted)
            if employment["id"] is not None:
                changed_employments[employment["id"]] = employment
            log_change("employment", pid, before, _employment_values(row.employment_start, employment), "changed")
            stats["employments_changed"] += 1
            changed = True

        previous = salaries.get((pid, row.year - 1))
        if previous is not None and previous["amount"] > 0:
            if abs(row.salary - previous["amount"]) / previous["amount"] > JUMP:
                report.warning(row.row, "lon", "salary_jump", year=row.year, previous=previous["amount"],
                               amount=row.salary)
        salary = salaries.get((pid, row.year))
        if salary is None:
            salary = salaries[(pid, row.year)] = {"id": None, "amount": row.salary,
                                                  "full_time_amount": row.full_time_salary}
            new_salaries.append({"person_id": pid, "organisation_id": organisation_id, "year": row.year,
                                 "_values": salary})
            stats["salary_years_added"] += 1
            log_change("salary", pid, None, _salary_values(row.year, salary), "added")
            changed = True
        elif (salary["amount"], salary["full_time_amount"]) != (row.salary, row.full_time_salary):
            before = _salary_values(row.year, salary)
            salary.update(amount=row.salary, full_time_amount=row.full_time_salary)
            if salary["id"] is not None:
                changed_salaries[salary["id"]] = salary
            log_change("salary", pid, before, _salary_values(row.year, salary), "changed")
            stats["salary_years_changed"] += 1
            changed = True

        if changed:
            if pid not in created and pid not in touched:
                stats["persons_updated"] += 1
            touched.add(pid)
        else:
            stats["unchanged_rows"] += 1

    def bulk(pending, fields):
        return [{**{k: v for k, v in item.items() if k != "_values"},
                 **{name: item["_values"][name] for name in fields}} for item in pending]

    if new_employments:
        _insert_many(session, Employment, bulk(new_employments, ("end_date", "pay_type", "degree")))
    if new_salaries:
        _insert_many(session, SalaryYear, bulk(new_salaries, ("amount", "full_time_amount")))
    if changed_employments:
        session.execute(update(Employment), [
            {"id": eid, "end_date": e["end_date"], "pay_type": e["pay_type"], "degree": e["degree"]}
            for eid, e in changed_employments.items()])
    if changed_salaries:
        session.execute(update(SalaryYear), [
            {"id": sid, "amount": v["amount"], "full_time_amount": v["full_time_amount"]}
            for sid, v in changed_salaries.items()])
    if audits:
        _insert_many(session, AuditEntry, audits)


def _insert_many(session: Session, model, rows: list[dict]) -> None:
    """One executemany (SQLite: executemany; psycopg: pipelined), no ORM objects."""
    session.execute(insert(model), rows)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _employment_values(start: date, employment: dict) -> dict:
    return {"start_date": str(start), "end_date": _text(employment["end_date"]),
            "pay_type": employment["pay_type"], "degree": str(employment["degree"])}


def _salary_values(year: int, salary: dict) -> dict:
    return {"year": str(year), "amount": str(salary["amount"]), "full_time_amount": _text(salary["full_time_amount"])}


def _text(value) -> str | None:
    return None if value is None else str(value)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# -- running jobs ---------------------------------------------------------------------------------

_worker_lock = threading.Lock()
_worker: threading.Thread | None = None


def run_pending(app) -> int:
    """Process every waiting (or stale) job now, one after another. Returns how many were done."""
    from webapp import clock

    done = 0
    with app.app_context():
        engine = app.extensions["db_engine"]
        while True:
            import_id = claim_next(engine, clock.now())
            if import_id is None:
                return done
            try:
                status = process(engine, import_id, clock.now, clock.today())
                log.info("import file %s processed: %s", import_id, status)
            except Exception:
                # The apply transaction has rolled back: nothing of the file is in the register.
                log.exception("import file %s failed", import_id)
                _finish_failed(engine, import_id, clock.now())
            done += 1


def start_worker(app) -> None:
    """Start the in-process worker thread unless one is running (config IMPORT_WORKER = "off" skips)."""
    global _worker
    if app.config.get("IMPORT_WORKER", "thread") == "off":
        return
    with _worker_lock:
        if _worker is not None and _worker.is_alive():
            return
        _worker = threading.Thread(target=run_pending, args=(app,), name="salary-import", daemon=True)
        _worker.start()
