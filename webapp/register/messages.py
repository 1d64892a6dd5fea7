"""Wording of the codes the importer and the audit trail store, in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from webapp.i18n import format_day, format_money

PROBLEMS = {
    "file_empty": _l("The file is empty."),
    "file_not_text": _l("The file is not a text file (CSV). Save it from the payroll system as CSV and send it again."),
    "line_too_long": _l("The line is longer than %(limit)s characters; it cannot be a row of the salary file."),
    "wrong_columns": _l("The header line does not have the columns of the salary file. Missing: %(missing)s. Unknown: %(unknown)s."),
    "unclosed_quote": _l("A quotation mark opened here is never closed, so the rest of the file cannot be read."),
    "wrong_cell_count": _l("The row has %(found)s values; the header has %(expected)s."),
    "required": _l("The value is missing."),
    "pnr_format": _l("Write the personal identity number as YYYYMMDDNNNN or YYYYMMDD-NNNN."),
    "pnr_date": _l("The personal identity number does not contain a real date of birth."),
    "pnr_check_digit": _l("The check digit of the personal identity number is wrong."),
    "bad_year": _l("The year must be four digits between 1960 and 2100."),
    "bad_number": _l("Not a number. Write for example 412 000,00."),
    "negative_amount": _l("The amount cannot be negative."),
    "bad_amount": _l("The amount must be in kronor with at most two decimals."),
    "bad_pay_type": _l("Write manad (monthly paid) or timme (hourly paid)."),
    "full_time_required": _l("Hourly paid: the salary converted to full time is required."),
    "bad_degree": _l("The employment degree must be above 0 and at most 100."),
    "bad_date": _l("Not a real date. Write YYYY-MM-DD, for example 2023-02-28."),
    "duplicate_row": _l("The file already has a row for this person and year %(year)s."),
    "name_required": _l("The person is not in the register yet: give the given name and the family name."),
    "internal_error": _l("The file could not be processed because of an error on our side. Nothing was applied."),
}
WARNINGS = {
    "salary_jump": _l("The salary for %(year)s (%(amount)s) differs by more than half from the year before (%(previous)s)."),
    "employment_ends_before_start": _l("The employment ends (%(end)s) before it starts (%(start)s); the end date was not applied."),
    "old_new_employment": _l("The person is %(age)s years old at the start of a new employment (67 or older)."),
}
STATS = {
    "rows_read": _l("Rows read"),
    "persons_created": _l("Persons created"),
    "persons_updated": _l("Persons updated"),
    "employments_added": _l("Employments added"),
    "employments_changed": _l("Employments changed"),
    "salary_years_added": _l("Salary years added"),
    "salary_years_changed": _l("Salary years changed"),
    "unchanged_rows": _l("Unchanged rows"),
}
STATUSES = {
    "received": _l("Received, waiting"),
    "processing": _l("Processing"),
    "done": _l("Done"),
    "done_with_warnings": _l("Done with warnings"),
    "rejected": _l("Rejected, nothing applied"),
}
ACTIONS = {
    "register.person.added": _l("Person added"),
    "register.person.changed": _l("Name changed"),
    "register.employment.added": _l("Employment added"),
    "register.employment.changed": _l("Employment changed"),
    "register.salary.added": _l("Salary year added"),
    "register.salary.changed": _l("Salary year changed"),
    "register.leave.added": _l("Leave period added"),
    "register.leave.changed": _l("Leave period changed"),
}
FIELDS = {
    "start_date": _l("First day"),
    "end_date": _l("Last day"),
    "pay_type": _l("Pay form"),
    "degree": _l("Employment degree"),
    "year": _l("Year"),
    "amount": _l("Salary"),
    "full_time_amount": _l("Full-time salary"),
    "kind": _l("Kind"),
    "given_name": _l("Given name"),
    "family_name": _l("Family name"),
}


def problem_text(item: dict, table: dict) -> str:
    message = table.get(item["code"])
    if message is None:
        return item["code"]
    params = dict(item.get("params") or {})
    for name in ("previous", "amount"):
        if name in params:
            params[name] = format_money(Decimal(params[name]))
    for name in ("start", "end"):
        if name in params:
            params[name] = format_day(params[name])
    return message % params if params else str(message)
CHOICE_STATUSES = {
    "received": _l("Received"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "reported": _l("Reported"),
}
