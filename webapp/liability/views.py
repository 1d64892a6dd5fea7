"""Pension liability pages under /arbetsgivare/pensionsskuld (RIPS). Every view is
``staff_required`` and scoped to the organisations the staff member holds a role in (handler or
approver): another organisation's ids give 404. Names are searched by POST and kept in the session
under an opaque id, so neither names nor personal identity numbers go into URLs."""

from __future__ import annotations

import dataclasses

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from htmx_flask import request
from werkzeug.datastructures import MultiDict

from domain import liability as rips
from webapp import clock, db, spreadsheet
from webapp.auth.session import (
    current_person,
    staff_organisation,
    staff_organisations,
    staff_required,
)
from webapp.explanations import ParameterView, format_value, name_label
from webapp.htmx_pages import page_or_fragment
from webapp.liability import messages
from webapp.liability.chart import build_bar_chart
from webapp.liability.forms import CalculationForm, NameSearchForm, WhatIfForm
from webapp.models import LiabilityCalculation, Organisation, Person
from webapp.services import liability, liability_lists, queue

bp = Blueprint("liability", __name__, url_prefix="/arbetsgivare/pensionsskuld")
HUNDRED = 100
PROGRESS_ID = "liability-progress"  # the element of a running calculation that polls its page


@bp.context_processor
def _liability_labels():
    return {"liability_categories": messages.CATEGORIES, "liability_benefits": messages.BENEFITS,
            "liability_notes": messages.NOTES, "liability_change_steps": messages.CHANGE_STEPS,
            "liability_change_notes": messages.CHANGE_NOTES, "parameter_views": _parameter_views}


def _parameter_views(uses):
    """Dated parameters as the explanations show them (label and value formatted by name)."""
    return [ParameterView(label=name_label(p.name), value=format_value(p.name, p.value), applies_from=p.applies_from,
                          source=p.source, unconfirmed=p.unconfirmed) for p in uses]


def _calculation(organisation: Organisation, calc_id: int, done: bool = True) -> LiabilityCalculation:
    """The organisation's calculation; with ``done`` one that is finished (else to its page)."""
    calculation = liability.calculation_of(db.session(), organisation.id, calc_id)
    if calculation is None:
        abort(404)
    if done and calculation.status != "done":
        abort(redirect(url_for("liability.calculation", org_id=organisation.id, calc_id=calculation.id)))
    return calculation


@bp.get("/")
@staff_required
def index():
    organisations = staff_organisations()
    if len(organisations) == 1:
        return redirect(url_for("liability.organisation", org_id=organisations[0].id))
    return render_template("liability/index.html", organisations=organisations)


# --- the organisation page and a saved calculation ---------------------------------------------


def _calculation_page(organisation, calculation, form=None, status=200):
    s = db.session()
    state = liability.state_of(calculation, clock.now()) if calculation is not None else None
    context = {"organisation": organisation, "calculation": calculation, "state": state,
               "calculations": liability.calculations_of(s, organisation.id),
               "form": form or CalculationForm(formdata=None, at=liability.default_date(clock.today()))}
    if request.htmx and request.headers.get("HX-Target") == PROGRESS_ID and calculation is not None:
        # The progress polls itself; when the calculation has ended the whole page is loaded.
        if state == "running":
            return render_template("liability/_running.html", **context)
        response = make_response("")
        response.headers["HX-Refresh"] = "true"
        return response
    if state == "done":
        totals = liability.totals_of(calculation)
        previous = liability.previous_of(s, calculation)
        context.update(
            totals=totals, assumptions=liability.assumptions_of(calculation),
            counts=liability.persons_by_category(s, calculation),
            skipped=liability.skipped_of(calculation),
            previous=previous, previous_totals=liability.totals_of(previous) if previous else None,
            change=liability.change_since(s, previous, calculation) if previous else None,
            chart=build_bar_chart(liability.expected_payments(totals)),
            created_by=s.get(Person, calculation.created_by) if calculation.created_by else None,
        )
    return render_template("liability/calculation.html", **context), status


@bp.get("/<int:org_id>/")
@staff_required
def organisation(org_id: int):
    """The latest calculation of the organisation (by calculation date), or how to make the first."""
    organisation = staff_organisation(org_id)
    return _calculation_page(organisation, _latest(organisation))


def _latest(organisation) -> LiabilityCalculation | None:
    """The calculation with the latest date that is done or still running (a failed one is skipped)."""
    now = clock.now()
    return next((c for c in liability.calculations_of(db.session(), organisation.id)
                 if liability.state_of(c, now) != "failed"), None)


@bp.get("/<int:org_id>/berakning/<int:calc_id>")
@staff_required
def calculation(org_id: int, calc_id: int):
    organisation = staff_organisation(org_id)
    return _calculation_page(organisation, _calculation(organisation, calc_id, done=False))


@bp.post("/<int:org_id>/berakna")
@staff_required
def calculate(org_id: int):
    """A new calculation at a date with the guidelines' assumptions; stored with its rows."""
    organisation = staff_organisation(org_id)
    form = CalculationForm()
    if form.validate_on_submit():
        try:
            made = liability.start(db.session(), organisation_id=organisation.id, at=form.at.data,
                                   actor_id=current_person().id, now=clock.now(), label=form.label.data or "")
        except liability.CalculationFailed as failed:
            db.session().rollback()
            form.at.errors.append(_("There are no RIPS assumptions for %(day)s. Choose a later date.",
                                    day=failed.at.isoformat()))
        else:
            liability.start_worker(current_app._get_current_object(), made.id)
            return redirect(url_for("liability.calculation", org_id=org_id, calc_id=made.id), code=303)
    return _calculation_page(organisation, _latest(organisation), form, 400)


@bp.get("/<int:org_id>/berakning/<int:calc_id>/rapport.pdf")
@staff_required
def report_pdf(org_id: int, calc_id: int):
    """The calculation as a PDF for the annual accounts (totals, assumptions, change, payments)."""
    from webapp.liability.report_pdf import render_report_pdf

    organisation = staff_organisation(org_id)
    calculation = _calculation(organisation, calc_id)
    s = db.session()
    previous = liability.previous_of(s, calculation)
    pdf = render_report_pdf(
        organisation, calculation, liability.totals_of(calculation), liability.assumptions_of(calculation),
        s.get(Person, calculation.created_by) if calculation.created_by else None, previous,
        liability.change_since(s, previous, calculation) if previous else None)
    response = current_app.response_class(pdf, mimetype="application/pdf")
    filename = f"pensionsskuld-{organisation.org_number}-{calculation.at.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the individual list -----------------------------------------------------------------------


def _list_query():
    term = queue.search_term(session, request.args.get("sok", ""), current_app.secret_key)
    sort = request.args.get("sortera", "name")
    return (term or "", sort if sort in liability_lists.SORTS else "name",
            bool(request.args.get("sok")) and term is None)


@bp.get("/<int:org_id>/berakning/<int:calc_id>/personer")
@staff_required
def persons(org_id: int, calc_id: int):
    organisation = staff_organisation(org_id)
    calculation = _calculation(organisation, calc_id)
    term, sort, lost = _list_query()
    page = max(1, request.args.get("sida", 1, type=int) or 1)
    context = _list_context(organisation, calculation, term, sort, page, NameSearchForm(formdata=None, term=term))
    context.update(search=request.args.get("sok") if term else None, search_lost=lost)
    return page_or_fragment("liability/persons.html", "liability/_person_rows.html", **context)


def _list_context(organisation, calculation, term, sort, page, search_form) -> dict:
    rows, total = liability_lists.rows_page(db.session(), calculation, term, sort, page)
    return {"organisation": organisation, "calculation": calculation, "rows": rows, "total": total, "term": term,
            "search": None, "search_lost": False, "sort": sort, "page": page,
            "page_size": liability_lists.PAGE_SIZE, "search_form": search_form}


@bp.post("/<int:org_id>/berakning/<int:calc_id>/personer/sok")
@staff_required
def search(org_id: int, calc_id: int):
    """Remember the name in the session and show the list with its opaque id; an empty search shows
    everyone, a refused one the list with the message and what was typed."""
    organisation = staff_organisation(org_id)
    calculation = _calculation(organisation, calc_id)
    form = NameSearchForm()
    sort = request.form.get("sortera", "name")
    sort = sort if sort in liability_lists.SORTS else "name"
    if not (form.term.data or "").strip():
        return redirect(url_for("liability.persons", org_id=org_id, calc_id=calculation.id, sortera=sort), code=303)
    if not form.validate():
        context = _list_context(organisation, calculation, "", sort, 1, form)
        return render_template("liability/persons.html", **context), 400
    search_id = queue.remember_search(session, form.term.data, current_app.secret_key)
    return redirect(url_for("liability.persons", org_id=org_id, calc_id=calculation.id, sok=search_id,
                            sortera=sort), code=303)


LIST_COLUMNS = (
    _l("Personal identity number"), _l("Name"), _l("Born"), _l("Category"),
    _l("Earned before 1998 (ansvarsförbindelse)"), _l("Earned from 1998 (avsättning)"), _l("Reserve"),
    _l("Special payroll tax"), _l("Reserve including special payroll tax"),
)


@bp.get("/<int:org_id>/berakning/<int:calc_id>/personer.csv", defaults={"fmt": "csv"})
@bp.get("/<int:org_id>/berakning/<int:calc_id>/personer.xlsx", defaults={"fmt": "xlsx"})
@staff_required
def download(org_id: int, calc_id: int, fmt: str):
    """The individual list (the current search and sort) as CSV or Excel; recorded in the audit log."""
    organisation = staff_organisation(org_id)
    calculation = _calculation(organisation, calc_id)
    term, sort, _lost = _list_query()
    rows = []
    for row, person in liability_lists.all_rows(db.session(), calculation, term, sort):
        tax = row.payroll_tax_before_1998 + row.payroll_tax_from_1998
        rows.append((person.pnr, f"{person.family_name}, {person.given_name}", row.birth_date,
                     str(messages.CATEGORIES.get(row.category, row.category)), row.before_1998, row.from_1998,
                     row.total, tax, row.total_with_tax))
    liability.record_download(db.session(), actor_id=current_person().id, calculation=calculation, fmt=fmt,
                              rows=len(rows))
    header = [str(column) for column in LIST_COLUMNS]
    filename = f"pensionsskuld-{organisation.org_number}-{calculation.at.isoformat()}.{fmt}"
    if fmt == "csv":
        body, mimetype = spreadsheet.csv_bytes(header, rows), "text/csv; charset=utf-8"
    else:
        body = spreadsheet.xlsx_bytes(header, rows, sheet_name="Pensionsskuld")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- one person --------------------------------------------------------------------------------


def _readable(explanation):
    """The domain puts codes in the reserve's explanation: its notes as its English sentences, the
    category and sex inputs in the reader's language."""
    labels = {"category": messages.CATEGORIES, "sex": messages.SEXES}
    inputs = tuple((name, str(labels[name].get(value, value)) if name in labels else value)
                   for name, value in explanation.inputs)
    return dataclasses.replace(explanation, inputs=inputs, notes=tuple(rips.NOTES.get(n, n) for n in explanation.notes))


@bp.get("/<int:org_id>/berakning/<int:calc_id>/person/<int:person_id>")
@staff_required
def person(org_id: int, calc_id: int, person_id: int):
    organisation = staff_organisation(org_id)
    calculation = _calculation(organisation, calc_id)
    view = liability.person_in(db.session(), calculation, person_id)
    if view is None:
        abort(404)
    return render_template("liability/person.html", organisation=organisation, calculation=calculation,
                           view=view, explanation=_readable(view.reserve.explanation),
                           notes=[n for n in view.reserve.explanation.notes if n in messages.NOTES],
                           assumptions=liability.assumptions_of(calculation))


# --- what-if -----------------------------------------------------------------------------------


def _what_if_defaults(saved: rips.LiabilityAssumptions) -> dict:
    """The saved assumptions as the form shows them: the rate in percent, with a decimal comma in Swedish."""
    rate = format((saved.discount_rate * HUNDRED).normalize(), "f")
    if str(get_locale()) == "sv":
        rate = rate.replace(".", ",")
    return {"discount_rate": rate, "mortality": saved.mortality, "payment_age": str(saved.payment_age)}


def _mortality_label(code: str) -> str:
    table = rips.table(code)
    flag = f" ({_('unconfirmed')})" if table.unconfirmed else ""
    return f"{code}: {table.name}{flag}"


def _changed_assumptions(form: WhatIfForm, saved: rips.LiabilityAssumptions):
    """The saved assumptions with the form's values, or None with every refused value's message
    on its field (each field is checked on its own, so all problems show at once)."""
    rate = form.discount_rate.data
    values = {"discount_rate": rate / HUNDRED if rate is not None else None, "mortality": form.mortality.data,
              "payment_age": form.payment_age.data}
    valid = True
    for name, value in values.items():
        if value is None or getattr(form, name).errors:
            valid = False  # the form has said what is wrong with it
            continue
        try:
            rips.change_assumptions(saved, **{name: value})
        except rips.InvalidAssumption as invalid:
            field = getattr(form, name)
            field.errors = [*field.errors, messages.assumption_error(name, invalid.code)]
            valid = False
    return rips.change_assumptions(saved, **values) if valid else None


@bp.get("/<int:org_id>/berakning/<int:calc_id>/tank-om")
@staff_required
def what_if(org_id: int, calc_id: int):
    """The organisation total under changed assumptions, from the saved bases; nothing is stored.
    A GET form: htmx swaps the result in place, without JavaScript the page reloads."""
    organisation = staff_organisation(org_id)
    calculation = _calculation(organisation, calc_id)
    saved = liability.assumptions_of(calculation)
    formdata = MultiDict(_what_if_defaults(saved))
    for key in ("discount_rate", "mortality", "payment_age"):
        if key in request.args:
            formdata[key] = request.args[key][:50]
    form = WhatIfForm(formdata=formdata)
    form.mortality.choices = [(code, _mortality_label(code)) for code in rips.mortality_tables()]
    form_valid = form.validate()
    changed = _changed_assumptions(form, saved)
    changed = changed if form_valid else None
    context = {"organisation": organisation, "calculation": calculation, "form": form, "saved": saved,
               "totals": liability.totals_of(calculation), "changed": changed,
               "result": liability.what_if(db.session(), calculation, changed) if changed else None}
    return page_or_fragment("liability/what_if.html", "liability/_what_if.html", **context)
