"""Employer pages under /arbetsgivare. Every view is ``staff_required`` and every lookup is scoped
to the organisations the staff member holds a role in: another organisation's ids give 404."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from webapp import clock, db
from webapp.auth.session import current_person, staff_required, staff_roles
from webapp.employer.forms import BulkDecisionForm, DecisionForm, ExportForm, LateDecisionForm, SearchForm
from webapp.employer.presentation import (
    ACTION_LABELS,
    RULE_LABELS,
    SORT_LABELS,
    STATUS_LABELS,
    snapshot_table,
)
from webapp.models import Choice, LateChoiceRequest, Organisation, Person
from webapp.services import audit, campaign, decisions, missing, queue, reporting

bp = Blueprint("employer", __name__, url_prefix="/arbetsgivare")

MISSING_PAGE_SIZE = 100
LATE_ON_QUEUE = 10  # waiting late-choice requests listed on the queue page; all on their own page


@bp.context_processor
def _labels():
    return {
        "status_labels": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "rule_labels": RULE_LABELS,
        "sort_labels": SORT_LABELS,
    }


def _wants_fragment() -> bool:
    """htmx asks for the fragment, except when it restores history and needs the whole page."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def _vary(response):
    response = Response(response) if isinstance(response, str) else response
    response.headers["Vary"] = "HX-Request"
    return response


# --- the queue ---------------------------------------------------------------------------


@bp.get("/", endpoint="queue")
@staff_required
def queue_view():
    query = queue.parse_query(request.args)
    term = queue.search_term(session, query.search, current_app.secret_key)
    page = queue.queue_page(db.session(), staff_roles().keys(), query, term)
    context = {
        "query": query,
        "term": term,
        "search_lost": bool(query.search) and term is None,
        "result": page,
        "search_form": SearchForm(formdata=None, term=term or ""),
        "bulk_form": BulkDecisionForm(formdata=None),
        "may_decide": bool(decisions.approver_orgs(staff_roles())),
        "approver_orgs": decisions.approver_orgs(staff_roles()),
        "statuses": queue.STATUSES,
        "agreements": queue.AGREEMENTS,
    }
    if _wants_fragment():
        return _vary(render_template("employer/_queue_rows.html", **context))
    context["late_rows"] = queue.late_requests(db.session(), staff_roles().keys(), "pending")[:LATE_ON_QUEUE]
    context["choice_deadline"] = campaign.choice_deadline()
    context["report_deadline"] = campaign.report_deadline()
    context["today"] = clock.today()
    return _vary(render_template("employer/queue.html", **context))



@bp.post("/sok")
@staff_required
def search():
    form = SearchForm()
    filters = {
        "status": form.status.data or "",
        "agreement": form.agreement.data or "",
        "timing": form.timing.data or "",
        "from": form.received_from.data or "",
        "to": form.received_to.data or "",
    }
    # A search looks for the person's case whatever its status.
    base = queue.parse_query(filters).args(page=1, status="all")
    if not form.validate():
        flash(_("Type a name or a personal identity number."), "error")
        return redirect(url_for("employer.queue", **base), code=303)
    search_id = queue.remember_search(session, form.term.data, current_app.secret_key)
    return redirect(url_for("employer.queue", **base, search=search_id), code=303)


# --- a choice's case page and its decision -----------------------------------------------


def _case_context(choice: Choice) -> dict:
    s = db.session()
    person = s.get(Person, choice.person_id)
    roles = staff_roles()
    decision = decisions.decision_of(s, choice.id)
    try:
        snapshot = json.loads(choice.comparison_snapshot) if choice.comparison_snapshot else None
    except ValueError:
        snapshot = None
    history = audit.history_of(s, person.id)
    actor_ids = {entry.actor_id for entry in history if entry.actor_id} | ({decision.decided_by} if decision else set())
    actors = {p.id: p.name for p in (s.get(Person, i) for i in actor_ids) if p}
    return {
        "choice": choice,
        "person": person,
        "organisation": s.get(Organisation, choice.organisation_id),
        "decision": decision,
        "eligibility": campaign.eligibility_of(s, person),
        "snapshot": snapshot,
        "snapshot_table": snapshot_table(snapshot),
        "history": [(entry, json.loads(entry.details or "{}")) for entry in history],
        "actors": actors,
        "may_decide": choice.organisation_id in decisions.approver_orgs(roles),
        "late_request": queue.late_request_of(s, roles.keys(), person.id, choice.campaign),
    }


def _choice_or_404(choice_id: int) -> Choice:
    choice = queue.choice_in_scope(db.session(), staff_roles().keys(), choice_id)
    if choice is None:
        abort(404)
    return choice


@bp.get("/val/<int:choice_id>")
@staff_required
def case(choice_id: int):
    choice = _choice_or_404(choice_id)
    decisions.record_case_opened(db.session(), actor=current_person(), person_id=choice.person_id,
                                 choice=choice.reference)
    return render_template("employer/case.html", form=DecisionForm(formdata=None), **_case_context(choice))


@bp.post("/val/<int:choice_id>/beslut")
@staff_required
def decide(choice_id: int):
    choice = _choice_or_404(choice_id)
    form = DecisionForm()
    if not form.validate():
        context = _case_context(choice)
        return render_template("employer/case.html", form=form, **context), 422
    try:
        decisions.decide_choice(
            db.session(), actor=current_person(), roles=staff_roles(), choice_id=choice.id,
            outcome=form.outcome.data, reason=form.reason.data,
        )
    except decisions.NotAllowed:
        abort(403)
    except decisions.AlreadyDecided as already:
        flash(_already_message(already), "error")
    else:
        flash(_("The choice was approved.") if form.outcome.data == "approved" else _("The choice was rejected."),
              "success")
    return redirect(url_for("employer.case", choice_id=choice.id), code=303)


def _already_message(already: decisions.AlreadyDecided) -> str:
    from webapp.i18n import format_moment

    return _(
        "This case has already been decided (%(outcome)s) by %(who)s at %(when)s.",
        outcome=str(STATUS_LABELS.get(already.outcome, already.outcome)).lower(),
        who=already.decided_by,
        when=format_moment(already.decided_at),
    )


@bp.post("/beslut")
@staff_required
def decide_bulk():
    form = BulkDecisionForm()
    ids = []
    for value in request.form.getlist("choice_id"):
        if value.isdigit():
            ids.append(int(value))
    back = queue.parse_query(request.form).args()
    if not ids:
        flash(_("Select at least one choice."), "error")
        return redirect(url_for("employer.queue", **back), code=303)
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("employer.queue", **back), code=303)
    result = decisions.decide_many(
        db.session(), actor=current_person(), roles=staff_roles(), choice_ids=ids,
        outcome=form.outcome.data, reason=form.reason.data,
    )
    if result.decided:
        flash(_("%(n)s choices decided.", n=len(result.decided)), "success")
    for _choice_id, already in result.already:
        flash(_already_message(already), "error")
    if result.not_found:
        flash(_("%(n)s of the selected choices could not be decided by you.", n=len(result.not_found)), "error")
    return redirect(url_for("employer.queue", **back), code=303)


# --- late-choice requests ----------------------------------------------------------------


@bp.get("/sena-val")
@staff_required
def late_requests():
    status = request.args.get("status", "pending")
    rows = queue.late_requests(db.session(), staff_roles().keys(), status)
    return render_template("employer/late_requests.html", rows=rows, status=status,
                           statuses=queue.LATE_STATUSES)


def _late_or_404(request_id: int) -> LateChoiceRequest:
    late = queue.late_request_in_scope(db.session(), staff_roles().keys(), request_id)
    if late is None:
        abort(404)
    return late


def _late_context(late: LateChoiceRequest) -> dict:
    s = db.session()
    person = s.get(Person, late.person_id)
    history = audit.history_of(s, person.id)
    actor_ids = {entry.actor_id for entry in history if entry.actor_id} | ({late.decided_by} if late.decided_by else set())
    return {
        "late": late,
        "person": person,
        "organisation": s.get(Organisation, late.organisation_id),
        "eligibility": campaign.eligibility_of(s, person),
        "history": [(entry, json.loads(entry.details or "{}")) for entry in history],
        "actors": {p.id: p.name for p in (s.get(Person, i) for i in actor_ids) if p},
        "may_decide": late.organisation_id in decisions.approver_orgs(staff_roles()),
        "choice": queue.choice_of(s, staff_roles().keys(), person.id, late.campaign),
    }


@bp.get("/sena-val/<int:request_id>")
@staff_required
def late_case(request_id: int):
    late = _late_or_404(request_id)
    decisions.record_case_opened(db.session(), actor=current_person(), person_id=late.person_id,
                                 late_request=late.id)
    return render_template("employer/late_case.html", form=LateDecisionForm(formdata=None), **_late_context(late))


@bp.post("/sena-val/<int:request_id>/beslut")
@staff_required
def decide_late(request_id: int):
    late = _late_or_404(request_id)
    form = LateDecisionForm()
    if not form.validate():
        return render_template("employer/late_case.html", form=form, **_late_context(late)), 422
    try:
        decisions.decide_late_request(
            db.session(), actor=current_person(), roles=staff_roles(), request_id=late.id,
            grant=form.outcome.data == "granted", reason=form.reason.data,
        )
    except decisions.NotAllowed:
        abort(403)
    except decisions.AlreadyDecided as already:
        flash(_already_message(already), "error")
    else:
        flash(_("The request was granted.") if form.outcome.data == "granted" else _("The request was refused."),
              "success")
    return redirect(url_for("employer.late_case", request_id=late.id), code=303)


# --- missing choices ---------------------------------------------------------------------


@bp.get("/saknade-val", endpoint="missing")
@staff_required
def missing_view():
    rows = missing.missing_choices(db.session(), staff_roles().keys(), campaign.CAMPAIGN, campaign.choice_opens())
    pages = max(1, -(-len(rows) // MISSING_PAGE_SIZE))
    try:
        page = min(max(1, int(request.args.get("page", "1"))), pages)
    except ValueError:
        page = 1
    return render_template(
        "employer/missing.html",
        rows=rows[(page - 1) * MISSING_PAGE_SIZE:page * MISSING_PAGE_SIZE],
        total=len(rows),
        page=page,
        pages=pages,
        deadline=campaign.choice_deadline(),
        today=clock.today(),
    )


# --- reporting ---------------------------------------------------------------------------


@bp.get("/rapportering", endpoint="reporting")
@staff_required
def reporting_view():
    deadline = campaign.report_deadline()
    return render_template(
        "employer/reporting.html",
        organisations=reporting.overview(db.session(), staff_roles()),
        deadline=deadline,
        days_left=(deadline - clock.today()).days,
        form=ExportForm(formdata=None),
    )



@bp.post("/rapportering/export")
@staff_required
def export():
    form = ExportForm()
    if not form.validate() or not (form.organisation_id.data or "").isdigit():
        abort(400)
    try:
        batch = reporting.export_batch(
            db.session(), actor=current_person(), roles=staff_roles(), organisation_id=int(form.organisation_id.data)
        )
    except decisions.NotFound:
        abort(404)
    except decisions.NotAllowed:
        abort(403)
    except reporting.NothingToReport:
        flash(_("There are no approved choices left to report."), "info")
    except reporting.ExportBusy:
        flash(_("Another export was made at the same moment. Check the batches and try again."), "error")
    else:
        flash(_("Batch %(n)s was created with the approved choices.", n=batch.number), "success")
    return redirect(url_for("employer.reporting"), code=303)


def _download(batch_id: int, kind: str):
    s = db.session()
    batch = reporting.batch_in_scope(s, staff_roles().keys(), batch_id)
    if batch is None:
        abort(404)
    organisation = s.get(Organisation, batch.organisation_id)
    reporting.record_download(s, actor=current_person(), batch=batch, kind=kind)
    body = batch.csv_content if kind == "csv" else batch.json_content
    mimetype = "text/csv" if kind == "csv" else "application/json"
    response = Response(body.encode("utf-8"), mimetype=mimetype)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    filename = f"pensionsval-{organisation.org_number}-batch-{batch.number}.{kind}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/rapportering/<int:batch_id>/csv")
@staff_required
def download_csv(batch_id: int):
    return _download(batch_id, "csv")


@bp.get("/rapportering/<int:batch_id>/json")
@staff_required
def download_json(batch_id: int):
    return _download(batch_id, "json")
