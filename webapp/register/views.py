"""Register pages under /arbetsgivare/register. Every view is ``staff_required`` and scoped to the
organisations the staff member holds a role in: another organisation's ids give 404. Personal
identity numbers are searched by POST only, never put in a URL."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from webapp import clock, db, spreadsheet
from webapp.auth.session import current_person, staff_organisation, staff_organisations, staff_required
from webapp.models import Employment, ImportFile, Organisation, Person
from webapp.register import messages
from webapp.register.forms import FORMS, LEAVE_KINDS, PAY_TYPES, NewPersonForm, PnrSearchForm, UploadForm
from webapp.services import audit, register_edit, register_lists, salary_import
from webapp.services.closures import closure_in_force

bp = Blueprint("register", __name__, url_prefix="/arbetsgivare/register")

# URL segment → record kind (see register_edit.KINDS).
SEGMENTS = {"anstallning": "employment", "lon": "salary", "ledighet": "leave"}
SEGMENT_OF = {kind: segment for segment, kind in SEGMENTS.items()}
KIND_CONVERTER = "segment"  # checked by _kind(): an unknown segment is 404


@bp.app_context_processor
def _register_helpers():
    return {
        "register_messages": messages,
        "pay_type_labels": PAY_TYPES,
        "leave_kind_labels": LEAVE_KINDS,
        "segment_of": SEGMENT_OF,
    }


def _person(organisation: Organisation, person_id: int) -> Person:
    person = register_edit.person_in_organisation(db.session(), organisation.id, person_id)
    if person is None:
        abort(404)
    return person


def _hourly_years(organisation_id: int, person_id: int) -> set[int]:
    """Years in which the person had an hourly paid employment here: those need a full-time salary."""
    years: set[int] = set()
    rows = db.session().exec(select(Employment).where(
        Employment.person_id == person_id, Employment.organisation_id == organisation_id,
        Employment.pay_type == "hourly"))
    for employment in rows:
        last = (employment.end_date or clock.today()).year
        years.update(range(employment.start_date.year, last + 1))
    return years


def _form(kind: str, organisation, person, **kwargs):
    if kind == "salary":
        return FORMS[kind](hourly_years=_hourly_years(organisation.id, person.id), **kwargs)
    return FORMS[kind](**kwargs)


@bp.get("/")
@staff_required
def index():
    organisations = staff_organisations()
    if len(organisations) == 1:
        return redirect(url_for("register.persons", org_id=organisations[0].id))
    return render_template("register/index.html", organisations=organisations)


@bp.get("/<int:org_id>/")
@staff_required
def persons(org_id: int):
    organisation = staff_organisation(org_id)
    name = request.args.get("namn", "")[:100]
    page = max(1, request.args.get("sida", 1, type=int) or 1)
    sort = request.args.get("sortera", "name")
    sort = sort if sort in register_edit.SORTS else "name"
    rows, total = register_edit.persons_of_organisation(db.session(), organisation.id, name, page, sort)
    context = {"organisation": organisation, "rows": rows, "total": total, "name": name, "page": page,
               "page_size": register_edit.PAGE_SIZE, "sort": sort}
    if request.htmx:
        return render_template("register/_person_rows.html", **context)
    return render_template("register/persons.html", pnr_form=PnrSearchForm(), **context)


@bp.post("/<int:org_id>/sok")
@staff_required
def find(org_id: int):
    """Search by personal identity number: posted, so the number stays out of URLs and logs."""
    organisation = staff_organisation(org_id)
    form = PnrSearchForm()
    if form.validate_on_submit():
        person = register_edit.find_by_pnr(db.session(), organisation.id, form.pnr.data.digits)
        if person is not None:
            return redirect(url_for("register.person", org_id=org_id, person_id=person.id), code=303)
        form.pnr.errors.append(_("Nobody with that personal identity number is employed here."))
    rows, total = register_edit.persons_of_organisation(db.session(), organisation.id)
    return render_template("register/persons.html", organisation=organisation, rows=rows, total=total,
                           name="", page=1, page_size=register_edit.PAGE_SIZE, sort="name", pnr_form=form), 400


@bp.route("/<int:org_id>/ny", methods=["GET", "POST"])
@staff_required
def new_person(org_id: int):
    organisation = staff_organisation(org_id)
    form = NewPersonForm()
    if form.validate_on_submit():
        pnr = form.pnr.data
        person = register_edit.add_person(
            db.session(), actor_id=current_person().id, organisation_id=organisation.id, pnr=pnr.digits,
            birth_date=pnr.birth_date, given_name=form.given_name.data.strip(),
            family_name=form.family_name.data.strip(), employment=form.values())
        flash(_("The employee was added."), "success")
        return redirect(url_for("register.person", org_id=org_id, person_id=person.id), code=303)
    return render_template("register/new_person.html", organisation=organisation, form=form,
                           invalid=request.method == "POST"), 400 if request.method == "POST" else 200


def _person_page(organisation, person, forms=None, status=200):
    session = db.session()
    forms = forms or {}
    for kind in FORMS:
        if kind not in forms:
            forms[kind] = _form(kind, organisation, person, formdata=None, prefix=f"new-{kind}")
    return render_template(
        "register/person.html", organisation=organisation, person=person,
        records=register_edit.records_of(session, organisation.id, person.id), forms=forms,
        **_live_context(person)), status


def _live_context(person) -> dict:
    """What changes with every edit: the derived figures and the history."""
    session = db.session()
    entries = audit.history_of(session, person.id)
    actors = {p.id: p for p in session.exec(select(Person).where(
        Person.id.in_({e.actor_id for e in entries if e.actor_id})))}
    history = [(entry, json.loads(entry.details), actors.get(entry.actor_id))
               for entry in reversed(entries) if entry.action.startswith("register.")]
    return {"figures": register_edit.derived_figures(session, person, clock.today()), "history": history}


@bp.get("/<int:org_id>/person/<int:person_id>")
@staff_required
def person(org_id: int, person_id: int):
    organisation = staff_organisation(org_id)
    return _person_page(organisation, _person(organisation, person_id))


PARTS = {"belopp": "register/_figures.html", "historik": "register/_history.html"}


@bp.get("/<int:org_id>/person/<int:person_id>/del/<part>")
@staff_required
def person_part(org_id: int, person_id: int, part: str):
    """The figures or the history alone, reloaded by htmx after an inline edit."""
    organisation = staff_organisation(org_id)
    person = _person(organisation, person_id)
    if part not in PARTS:
        abort(404)
    if not request.htmx:
        return redirect(url_for("register.person", org_id=org_id, person_id=person_id))
    return render_template(PARTS[part], organisation=organisation, person=person, **_live_context(person))


@bp.post(f"/<int:org_id>/person/<int:person_id>/<{KIND_CONVERTER}>/ny")
@staff_required
def add(org_id: int, person_id: int, segment: str):
    organisation = staff_organisation(org_id)
    person = _person(organisation, person_id)
    kind = _kind(segment)
    form = _form(kind, organisation, person, prefix=f"new-{kind}")
    if form.validate_on_submit():
        try:
            register_edit.save_record(db.session(), kind, actor_id=current_person().id,
                                      organisation_id=organisation.id, person=person, values=form.values())
        except register_edit.Conflict as conflict:
            getattr(form, conflict.field).errors.append(_conflict_message(conflict.code))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("register.person", org_id=org_id, person_id=person_id) + f"#{kind}s", code=303)
    return _person_page(organisation, person, {kind: form}, 400)


def _conflict_message(code: str) -> str:
    if code == "salary_year_exists":
        return _("There is already a salary for that year: change that row instead.")
    return code


def _kind(segment: str) -> str:
    if segment not in SEGMENTS:
        abort(404)
    return SEGMENTS[segment]


def _record(organisation, person, kind: str, record_id: int):
    record = register_edit.record_of(db.session(), kind, organisation.id, person.id, record_id)
    if record is None:
        abort(404)
    return record


@bp.get(f"/<int:org_id>/person/<int:person_id>/<{KIND_CONVERTER}>/<int:record_id>")
@staff_required
def row(org_id: int, person_id: int, segment: str, record_id: int):
    """One row of a table (htmx: cancelling an inline edit); plain requests go to the person page."""
    organisation = staff_organisation(org_id)
    person = _person(organisation, person_id)
    kind = _kind(segment)
    record = _record(organisation, person, kind, record_id)
    if not request.htmx:
        return redirect(url_for("register.person", org_id=org_id, person_id=person_id) + f"#{kind}-{record_id}")
    return render_template(f"register/rows/_{kind}.html", organisation=organisation, person=person, item=record)


@bp.route(f"/<int:org_id>/person/<int:person_id>/<{KIND_CONVERTER}>/<int:record_id>/andra",
          methods=["GET", "POST"])
@staff_required
def edit(org_id: int, person_id: int, segment: str, record_id: int):
    """Change a row: inline with htmx (the row becomes a form and back), or as a page of its own."""
    organisation = staff_organisation(org_id)
    person = _person(organisation, person_id)
    kind = _kind(segment)
    record = _record(organisation, person, kind, record_id)
    form = _form(kind, organisation, person, obj=record, prefix=f"{kind}-{record_id}")
    if form.validate_on_submit():
        try:
            register_edit.save_record(db.session(), kind, actor_id=current_person().id,
                                      organisation_id=organisation.id, person=person, values=form.values(),
                                      record=record)
        except register_edit.Conflict as conflict:
            db.session().rollback()
            getattr(form, conflict.field).errors.append(_conflict_message(conflict.code))
        else:
            if request.htmx:
                # The figures and the history listen for this event and reload themselves.
                response = current_app.make_response(render_template(
                    f"register/rows/_{kind}.html", organisation=organisation, person=person, item=record))
                response.headers["HX-Trigger"] = "register-changed"
                return response
            flash(_("Saved."), "success")
            return redirect(url_for("register.person", org_id=org_id, person_id=person_id)
                            + f"#{kind}-{record_id}", code=303)
    context = {"organisation": organisation, "person": person, "item": record, "form": form, "kind": kind}
    if request.htmx:
        return render_template("register/_edit_row.html", **context)
    status = 400 if request.method == "POST" else 200
    return render_template("register/edit.html", **context), status


# -- downloads ----------------------------------------------------------------------------------

LIST_COLUMNS = (
    _l("Personal identity number"), _l("Name"), _l("Born"), _l("Employment degree (%)"), _l("Salary year"),
    _l("Salary"), _l("May make the 2023 choice"), _l("Agreement chosen"), _l("Choice status"),
)


@bp.get("/<int:org_id>/lista.csv", defaults={"fmt": "csv"})
@bp.get("/<int:org_id>/lista.xlsx", defaults={"fmt": "xlsx"})
@staff_required
def download(org_id: int, fmt: str):
    """The individual list as CSV or Excel; text that could run as a formula is neutralised."""
    organisation = staff_organisation(org_id)
    yes, no = _("Yes"), _("No")
    rows = [
        (row.pnr, row.name, row.birth_date, row.degree, row.salary_year, row.salary,
         "" if row.eligible is None else (yes if row.eligible else no), row.choice_agreement or "",
         str(messages.CHOICE_STATUSES.get(row.choice_status, "")) if row.choice_status else "")
        for row in register_lists.list_rows(db.session(), organisation.id, request.args.get("namn", "")[:100],
                                            request.args.get("sortera", "name"))
    ]
    header = [str(column) for column in LIST_COLUMNS]
    filename = f"anstallda-{organisation.org_number}-{clock.today().isoformat()}.{fmt}"
    if fmt == "csv":
        body, mimetype = spreadsheet.csv_bytes(header, rows), "text/csv; charset=utf-8"
    else:
        body = spreadsheet.xlsx_bytes(header, rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# -- files ---

MAX_UPLOAD_BYTES = 64_000_000  # config REGISTER_MAX_UPLOAD_BYTES-------------------------------------------------------------------------------------

@bp.route("/<int:org_id>/filer", methods=["GET", "POST"])
@staff_required
def files(org_id: int):
    organisation = staff_organisation(org_id)
    session = db.session()
    form = UploadForm()
    limit = current_app.config.get("REGISTER_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if request.method == "POST" and (request.content_length or 0) > limit:
        # Refused before it is stored: a clear message on the page, not an error page.
        form.validate_on_submit()
        form.file.errors = [_("The file is larger than %(size)s MB. A salary file of 200 000 rows is about "
                              "15 MB: check that it is the right file.", size=limit // 1_000_000)]
        return render_template("register/files.html", organisation=organisation, form=form,
                               files=salary_import.files_of(session, organisation.id)), 413
    if form.validate_on_submit():
        upload = form.file.data
        record, is_new = salary_import.receive(
            session, organisation_id=organisation.id, actor_id=current_person().id,
            filename=upload.filename or "", data=upload.read(), now=clock.now())
        if is_new and closure_in_force(session, clock.now()) is not None:
            flash(_("The file was received. The site is closed for maintenance: the file will be processed "
                    "when it opens again."), "info")
        elif is_new:
            flash(_("The file was received and is being processed."), "success")
        else:
            flash(_("This file was already sent on %(moment)s; nothing was changed.",
                    moment=messages_moment(record)), "info")
        salary_import.start_worker(current_app._get_current_object())
        return redirect(url_for("register.file", org_id=org_id, file_id=record.id), code=303)
    _kick_worker()
    status = 400 if request.method == "POST" else 200
    return render_template("register/files.html", organisation=organisation, form=form,
                           files=salary_import.files_of(session, organisation.id)), status


def messages_moment(record: ImportFile) -> str:
    from webapp.i18n import format_moment

    return format_moment(record.uploaded_at)


def _kick_worker() -> None:
    """Files queued during a closure, or left by a worker that died, start when someone looks."""
    if salary_import.pending_exists(db.session(), clock.now()):
        salary_import.start_worker(current_app._get_current_object())


@bp.get("/<int:org_id>/filer/<int:file_id>")
@staff_required
def file(org_id: int, file_id: int):
    """A sent file: progress while it is processed (the htmx fragment polls itself), then its report."""
    organisation = staff_organisation(org_id)
    record = db.session().get(ImportFile, file_id)
    if record is None or record.organisation_id != organisation.id:
        abort(404)
    if record.status not in salary_import.FINAL:
        _kick_worker()
    context = {"organisation": organisation, "record": record, "report": salary_import.report_of(record),
               "applying": salary_import.APPLYING.get(record.id),
               "site_closed": closure_in_force(db.session(), clock.now()) is not None}
    if request.htmx:
        return render_template("register/_file_status.html", **context)
    return render_template("register/file.html", **context)
