"""Employer retirement pages under /arbetsgivare/pension/<org_id>: monitoring settings, the
monitoring list (with CSV and Excel), the queue of pension applications, one application with its
calculation basis and the decision, and the pension letter. Every view is ``staff_required`` and
scoped to one organisation the staff member holds a role in (another organisation's ids: 404);
only approvers change anything, as for the choices."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from domain.milestones import MILESTONES
from domain.parameters import parameter
from webapp import clock, db, spreadsheet
from webapp.auth.session import (
    current_person,
    staff_organisation,
    staff_organisations,
    staff_required,
    staff_roles,
)
from webapp.employer.views import _already_message
from webapp.models import Organisation, Person
from webapp.retirement import letter, messages
from webapp.retirement.forms import PensionDecisionForm, RedateForm, settings_form_class
from webapp.retirement.presentation import (
    ACTION_LABELS,
    BASIS_CAVEATS,
    FIGURE_LABELS,
    LETTER_LABELS,
    MILESTONE_LABELS,
    MILESTONE_MEANINGS,
    STATUS_LABELS,
)
from webapp.services import audit, decisions, retirement

bp = Blueprint("retirement", __name__, url_prefix="/arbetsgivare/pension")


@bp.context_processor
def _labels():
    return {
        "milestone_labels": MILESTONE_LABELS,
        "milestone_meanings": MILESTONE_MEANINGS,
        "pension_status_labels": STATUS_LABELS,
        "letter_labels": LETTER_LABELS,
        "figure_labels": FIGURE_LABELS,
        "basis_caveats": BASIS_CAVEATS,
        "retirement_action_labels": ACTION_LABELS,
    }


def _may_decide(organisation: Organisation) -> bool:
    return organisation.id in decisions.approver_orgs(staff_roles())


@bp.get("/")
@staff_required
def index():
    organisations = staff_organisations()
    if len(organisations) == 1:
        return redirect(url_for("retirement.monitoring", org_id=organisations[0].id))
    return render_template("retirement/index.html", organisations=organisations)


# --- monitoring ----------------------------------------------------------------------------


def _settings_form(organisation: Organisation, formdata=None):
    current = retirement.settings_of(db.session(), organisation.id)
    data = {}
    for code, row in current.items():
        data[f"enabled_{code}"] = bool(row and row.enabled)
        data[f"months_{code}"] = row.notice_months if row else None
    form_class = settings_form_class()
    if formdata is None:
        return form_class(formdata=None, data=data)
    return form_class()


def _rules_today() -> dict:
    """Milestone code -> the dated age parameter in force today (its value, source and flag)."""
    return {code: parameter(name, clock.today()) for code, (name, _meaning) in MILESTONES.items()}


@bp.route("/<int:org_id>/bevakning/installningar", methods=["GET", "POST"])
@staff_required
def settings(org_id: int):
    organisation = staff_organisation(org_id)
    may_change = _may_decide(organisation)
    if request.method == "GET":
        return render_template("retirement/settings.html", organisation=organisation,
                               form=_settings_form(organisation), may_change=may_change, rules=_rules_today())
    form = _settings_form(organisation, formdata=request.form)
    if not form.validate():
        return render_template("retirement/settings.html", organisation=organisation, form=form,
                               may_change=may_change, rules=_rules_today()), 422
    try:
        retirement.save_settings(db.session(), actor=current_person(), roles=staff_roles(),
                                 organisation_id=organisation.id, values=form.values())
    except decisions.NotAllowed:
        abort(403)
    flash(_("The monitoring settings were saved."), "success")
    return redirect(url_for("retirement.monitoring", org_id=org_id), code=303)


@bp.get("/<int:org_id>/bevakning")
@staff_required
def monitoring(org_id: int):
    organisation = staff_organisation(org_id)
    today = clock.today()
    rows = retirement.monitoring_rows(db.session(), organisation.id, today)
    return render_template("retirement/monitoring.html", organisation=organisation, rows=rows, today=today,
                           notice=retirement.notice_months(db.session(), organisation.id))


MONITORING_COLUMNS = ("Personal identity number", "Name", "Milestone", "Age", "Reaches it on", "Notice from",
                      "What it means")


@bp.get("/<int:org_id>/bevakning.csv", defaults={"fmt": "csv"})
@bp.get("/<int:org_id>/bevakning.xlsx", defaults={"fmt": "xlsx"})
@staff_required
def monitoring_download(org_id: int, fmt: str):
    """The monitoring list as CSV or Excel; text that could run as a formula is neutralised."""
    organisation = staff_organisation(org_id)
    today = clock.today()
    header = [_("Personal identity number"), _("Name"), _("Milestone"), _("Age"), _("Reaches it on"),
              _("Notice from"), _("What it means")]
    rows = [
        (row.person.pnr, row.person.name, str(MILESTONE_LABELS[row.milestone.code]), row.milestone.age,
         row.milestone.reached_on, row.milestone.notice_on, str(MILESTONE_MEANINGS[row.milestone.code]))
        for row in retirement.monitoring_rows(db.session(), organisation.id, today)
    ]
    filename = f"bevakning-{organisation.org_number}-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        body, mimetype = spreadsheet.csv_bytes(header, rows), "text/csv; charset=utf-8"
    else:
        body = spreadsheet.xlsx_bytes(header, rows, sheet_name=_("Monitoring"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- pension applications ------------------------------------------------------------------


@bp.get("/<int:org_id>/ansokningar")
@staff_required
def applications(org_id: int):
    organisation = staff_organisation(org_id)
    status = request.args.get("status", "open")
    if status not in ("open", "approved", "rejected"):
        status = "open"
    rows = retirement.applications_of(db.session(), organisation.id, status)
    return render_template("retirement/applications.html", organisation=organisation, rows=rows, status=status)


def _application(organisation: Organisation, application_id: int):
    application = retirement.application_in(db.session(), organisation.id, application_id)
    if application is None:
        abort(404)
    return application


def _application_page(organisation, application, *, decision_form=None, redate_form=None, status=200):
    s = db.session()
    person = s.get(Person, application.person_id)
    basis, problems = None, ()
    if application.status in ("submitted", "redated"):
        try:
            basis = retirement.basis_for(s, person, application.start_date)
        except retirement.InvalidStartDate as invalid:
            problems = invalid.problems
    entries = [e for e in audit.history_of(s, person.id) if e.action in ACTION_LABELS]
    actor_ids = {e.actor_id for e in entries if e.actor_id} | ({application.decided_by} - {None})
    actors = {p.id: p.name for p in (s.get(Person, i) for i in actor_ids) if p}
    decision_form = decision_form or PensionDecisionForm(formdata=None, seen_start=application.start_date.isoformat())
    redate_form = redate_form or RedateForm(formdata=None)
    return render_template(
        "retirement/application.html", organisation=organisation, application=application, person=person,
        basis=basis, problems=[messages.start_problem(code, person.birth_date) for code in problems],
        snapshot=retirement.snapshot_of(application), decision_form=decision_form, redate_form=redate_form,
        may_decide=_may_decide(organisation), history=[(e, json.loads(e.details or "{}")) for e in entries],
        actors=actors,
    ), status


@bp.get("/<int:org_id>/ansokningar/<int:application_id>")
@staff_required
def application(org_id: int, application_id: int):
    organisation = staff_organisation(org_id)
    found = _application(organisation, application_id)
    decisions.record_case_opened(db.session(), actor=current_person(), person_id=found.person_id,
                                 pension_application=found.id)
    return _application_page(organisation, found)


@bp.post("/<int:org_id>/ansokningar/<int:application_id>/beslut")
@staff_required
def decide(org_id: int, application_id: int):
    organisation = staff_organisation(org_id)
    found = _application(organisation, application_id)
    form = PensionDecisionForm()
    if not form.validate():
        return _application_page(organisation, found, decision_form=form, status=422)
    try:
        seen = messages.parse_iso(form.seen_start.data)
        retirement.decide(db.session(), actor=current_person(), roles=staff_roles(), application_id=found.id,
                          outcome=form.outcome.data, reason=form.reason.data, letter_to=form.letter_to.data,
                          seen_start=seen)
    except decisions.NotAllowed:
        abort(403)
    except decisions.AlreadyDecided as already:
        flash(_already_message(already), "error")
    except retirement.StartChanged:
        flash(_("Someone registered another start date while you were looking. Check the new calculation "
                "basis and decide again."), "error")
    except retirement.InvalidStartDate:
        flash(_("The start date is no longer possible. Register another start date."), "error")
    else:
        flash(_("The pension was approved.") if form.outcome.data == "approved"
              else _("The application was rejected."), "success")
    return redirect(url_for("retirement.application", org_id=org_id, application_id=found.id), code=303)


@bp.post("/<int:org_id>/ansokningar/<int:application_id>/nytt-datum")
@staff_required
def redate(org_id: int, application_id: int):
    organisation = staff_organisation(org_id)
    found = _application(organisation, application_id)
    form = RedateForm()
    if form.validate():
        try:
            retirement.redate(db.session(), actor=current_person(), roles=staff_roles(), application_id=found.id,
                              start=form.start.data)
        except decisions.NotAllowed:
            abort(403)
        except decisions.AlreadyDecided as already:
            flash(_already_message(already), "error")
        except retirement.InvalidStartDate as invalid:
            person = db.session().get(Person, found.person_id)
            form.start.errors = [messages.start_problem(code, person.birth_date) for code in invalid.problems]
            return _application_page(organisation, found, redate_form=form, status=422)
        else:
            flash(_("The start date was changed and the calculation basis computed again."), "success")
        return redirect(url_for("retirement.application", org_id=org_id, application_id=found.id), code=303)
    return _application_page(organisation, found, redate_form=form, status=422)


@bp.get("/<int:org_id>/ansokningar/<int:application_id>/pensionsbrev.pdf")
@staff_required
def letter_pdf(org_id: int, application_id: int):
    organisation = staff_organisation(org_id)
    found = _application(organisation, application_id)
    if found.status != "approved":
        abort(404)
    person = db.session().get(Person, found.person_id)
    return letter.response(found, person, organisation)
