"""Contribution invoices under /arbetsgivare/fakturor. Every view is ``staff_required`` and scoped to
the organisations the staff member holds a role in: another organisation's ids give 404. Periods
are half-years in the URL ("2023-2"); people are database ids, never personal identity numbers.
Downloads are GETs, so they stay available during a planned closure; issuing is a POST for the
organisation's approvers and is refused during a closure like every other change."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from domain.invoice import Period
from webapp import clock, db, spreadsheet
from webapp.auth.session import (
    current_person,
    staff_organisation,
    staff_organisations,
    staff_required,
    staff_roles,
)
from webapp.invoices.forms import IssueForm
from webapp.models import Organisation
from webapp.services import audit, invoices
from webapp.services.decisions import approver_orgs

bp = Blueprint("invoices", __name__, url_prefix="/arbetsgivare/fakturor")

KIND_LABELS = {
    "akapkr": _l("AKAP-KR contribution"),
    "tillaggsavgift": _l("Supplementary contribution (tilläggsavgift)"),
    "kapkl_dc": _l("KAP-KL defined-contribution part"),
}
ISSUE_ERRORS = {
    "not_ended": _l("The period has not ended yet: its invoice can be issued from the day after it ends."),
    "issued": _l("The invoice for this period has already been issued."),
    "earlier_not_issued": _l("Issue the invoice for the previous period first: invoices are issued in order."),
    "incomplete": _l("The invoice cannot be issued while some employees' amounts cannot be computed."),
}


@bp.app_context_processor
def _invoice_helpers():
    return {"invoice_kind_labels": KIND_LABELS}


def _period(text: str) -> Period:
    try:
        period = Period.parse(text)
    except ValueError:
        abort(404)
    if period < invoices.FIRST_PERIOD or period > Period.containing(clock.today()):
        abort(404)
    return period


def period_label(period: Period) -> str:
    if period.half == 1:
        return _("January–June %(year)s", year=period.year)
    return _("July–December %(year)s", year=period.year)


@bp.app_template_filter("period_label")
def _period_label_filter(period: Period) -> str:
    return period_label(period)


@bp.get("/")
@staff_required
def index():
    organisations = staff_organisations()
    return render_template("invoices/index.html", organisations=organisations)


@bp.get("/<int:org_id>/")
@staff_required
def periods(org_id: int):
    organisation = staff_organisation(org_id)
    return render_template("invoices/periods.html", organisation=organisation,
                           periods=invoices.periods(db.session(), organisation.id, clock.today()))


def _may_issue(organisation: Organisation) -> bool:
    return organisation.id in approver_orgs(staff_roles())


@bp.get("/<int:org_id>/<period>/")
@staff_required
def specification(org_id: int, period: str):
    organisation = staff_organisation(org_id)
    found = _period(period)
    spec = invoices.specification(db.session(), organisation, found)
    return render_template("invoices/specification.html", organisation=organisation, spec=spec,
                           ended=found.end < clock.today(), may_issue=_may_issue(organisation), form=IssueForm())


@bp.post("/<int:org_id>/<period>/utfarda")
@staff_required
def issue(org_id: int, period: str):
    organisation = staff_organisation(org_id)
    found = _period(period)
    if not _may_issue(organisation):
        abort(403)
    form = IssueForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        invoices.issue(db.session(), organisation, found, actor_id=current_person().id, now=clock.now())
    except invoices.InvoiceError as error:
        flash(str(ISSUE_ERRORS[error.code]), "error")
    else:
        flash(_("The invoice was issued. Salary changes reported from now on are corrected on the next invoice."),
              "success")
    return redirect(url_for("invoices.specification", org_id=org_id, period=str(found)), code=303)


@bp.get("/<int:org_id>/<period>/<int:person_id>")
@staff_required
def employee(org_id: int, period: str, person_id: int):
    """How one employee's amounts for the period are computed from today's register."""
    organisation = staff_organisation(org_id)
    found = _period(period)
    result = invoices.employee_lines(db.session(), organisation, found, person_id)
    if result is None:
        abort(404)
    person, coverage, lines = result
    return render_template("invoices/employee.html", organisation=organisation, period=found, person=person,
                           coverage=coverage, lines=lines,
                           issued=invoices.invoice_of(db.session(), organisation.id, found) is not None)


COLUMNS = (
    _l("Personal identity number"), _l("Name"), _l("Kind"), _l("Period"), _l("Correction"),
    _l("Pensionable salary"), _l("Contribution"), _l("Paid as salary"), _l("Special payroll tax"), _l("To pay"),
)


@bp.get("/<int:org_id>/<period>/fakturaspecifikation.csv", defaults={"fmt": "csv"})
@bp.get("/<int:org_id>/<period>/fakturaspecifikation.xlsx", defaults={"fmt": "xlsx"})
@staff_required
def download(org_id: int, period: str, fmt: str):
    """The specification with full personal identity numbers (the administrator needs them,
    docs/report-format.md): attachment, no-store, audited."""
    organisation = staff_organisation(org_id)
    found = _period(period)
    spec = invoices.specification(db.session(), organisation, found)
    yes, no = _("Yes"), _("No")
    rows = [
        (row.pnr, row.name, str(KIND_LABELS[row.line.kind]), str(row.line.period), yes if row.line.correction else no,
         row.line.salary, row.line.contribution, row.line.paid_as_salary, row.line.payroll_tax, row.line.total)
        for row in spec.rows
    ]
    header = [str(column) for column in COLUMNS]
    filename = f"fakturaspecifikation-{organisation.org_number}-{found}.{fmt}"
    if fmt == "csv":
        body, mimetype = spreadsheet.csv_bytes(header, rows), "text/csv; charset=utf-8"
    else:
        body = spreadsheet.xlsx_bytes(header, rows, sheet_name=str(found))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    session = db.session()
    audit.record(session, "invoice_downloaded", actor_id=current_person().id, organisation_id=organisation.id,
                 period=str(found), format=fmt, issued=spec.invoice is not None, rows=len(rows))
    session.commit()
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
