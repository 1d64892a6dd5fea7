"""Pre-calculation pages under /arbetsgivare/forhandsberakning. Every view is ``staff_required`` and
scoped to an organisation the staff member holds a role in, and to persons employed there (as the
register: another organisation's ids give 404). Personal identity numbers are searched by POST
only, never put in a URL."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

import domain
from webapp import clock, db
from webapp.auth.session import current_person, staff_organisation, staff_organisations, staff_required
from webapp.employee import simulation as employee_simulation
from webapp.htmx_pages import page_or_fragment
from webapp.models import Organisation, Person
from webapp.precalc import letter_pdf
from webapp.precalc.forms import FindForm, LetterForm, SaveForm
from webapp.precalc.presentation import saved_context, saved_or_404
from webapp.register.forms import PNR_MESSAGES
from webapp.services import precalc, register_edit
from webapp.services import simulation as simulation_service

bp = Blueprint("precalc", __name__, url_prefix="/arbetsgivare/forhandsberakning")


def _person(organisation: Organisation, person_id: int) -> Person:
    person = register_edit.person_in_organisation(db.session(), organisation.id, person_id)
    if person is None:
        abort(404)
    return person


def _saved(organisation: Organisation, precalc_id: int) -> precalc.Saved:
    return saved_or_404(precalc.in_organisation(db.session(), organisation.id, precalc_id))


@bp.get("/")
@staff_required
def index():
    organisations = staff_organisations()
    if len(organisations) == 1:
        return redirect(url_for("precalc.choose", org_id=organisations[0].id))
    return render_template("precalc/index.html", organisations=organisations)


def _choose_page(organisation: Organisation, form: FindForm, name: str = "", status: int = 200):
    session = db.session()
    rows, total = register_edit.persons_of_organisation(session, organisation.id, name) if name else ([], 0)
    return render_template(
        "precalc/choose.html", organisation=organisation, form=form, name=name, rows=rows, total=total,
        saved=precalc.saved_list(session, organisation_id=organisation.id, limit=20),
    ), status


@bp.get("/<int:org_id>/")
@staff_required
def choose(org_id: int):
    """Choose an employee: by name (the list below) or by personal identity number (posted)."""
    organisation = staff_organisation(org_id)
    name = request.args.get("namn", "")[:100].strip()
    return _choose_page(organisation, FindForm(formdata=None, term=name), name)


@bp.post("/<int:org_id>/sok")
@staff_required
def find(org_id: int):
    """A personal identity number goes straight to the person; a name lists the matches."""
    organisation = staff_organisation(org_id)
    form = FindForm()
    if not form.validate_on_submit():
        return _choose_page(organisation, form, status=400)
    term = form.term.data.strip()
    digits = "".join(ch for ch in term if ch.isdigit())
    if digits and len(digits) >= 10 and not any(ch.isalpha() for ch in term):
        try:
            pnr = domain.parse_pnr(term, clock.today())
        except domain.InvalidPersonalIdentityNumber as error:
            form.term.errors.append(str(PNR_MESSAGES[error.reason]))
            return _choose_page(organisation, form, status=400)
        person = register_edit.find_by_pnr(db.session(), organisation.id, pnr.digits)
        if person is None:
            form.term.errors.append(_("Nobody with that personal identity number is employed here."))
            return _choose_page(organisation, form, status=400)
        return redirect(url_for("precalc.simulate", org_id=org_id, person_id=person.id), code=303)
    return redirect(url_for("precalc.choose", org_id=org_id, namn=term), code=303)


@bp.get("/<int:org_id>/sparade", endpoint="saved")
@staff_required
def saved_of_organisation(org_id: int):
    organisation = staff_organisation(org_id)
    return render_template("precalc/saved.html", organisation=organisation,
                           saved=precalc.saved_list(db.session(), organisation_id=organisation.id))


def _simulate_context(organisation: Organisation, person: Person, args) -> dict:
    """The employee page's form and result for ``person`` (the same inputs and checks), plus the
    domain results themselves for saving."""
    session = db.session()
    today = clock.today()
    page = simulation_service.page_options(session, person, today)
    form, simulation_request = employee_simulation.parse(args, page)
    result = cover = sim = None
    if simulation_request is not None:
        try:
            result, cover = simulation_service.simulate(page, simulation_request, today)
            sim = simulation_service.display(result)
        except domain.InvalidSimulation as error:
            form.errors[error.field] = employee_simulation.invalid_message(error.code, page, simulation_request.agreement)
    return {
        "organisation": organisation, "person": person, "form": form, "page": page,
        "result": result, "sim": sim, "cover": cover,
        "ages": sorted({age for offered in page.ages.values() for age in offered}),
        "shares": sorted({share for offered in page.shares.values() for share in offered}),
        "share_text": simulation_service.share_text, "payout_choices": employee_simulation.PAYOUT_CHOICES,
        "lifelong": employee_simulation.LIFELONG,
        "saved": precalc.saved_list(session, organisation_id=organisation.id, person_id=person.id),
    }


@bp.get("/<int:org_id>/person/<int:person_id>")
@staff_required
def simulate(org_id: int, person_id: int):
    """The employee's simulation, as the employee's own page shows it, with a form to save it."""
    organisation = staff_organisation(org_id)
    person = _person(organisation, person_id)
    context = _simulate_context(organisation, person, request.args)
    return page_or_fragment("precalc/simulate.html", "precalc/_simulation.html", **context,
                            save_form=SaveForm(formdata=None))


@bp.post("/<int:org_id>/person/<int:person_id>/spara")
@staff_required
def save(org_id: int, person_id: int):
    """Save the simulation of the posted inputs: recomputed here, never taken from the form."""
    organisation = staff_organisation(org_id)
    person = _person(organisation, person_id)
    form = SaveForm()
    context = _simulate_context(organisation, person, request.form)
    if not form.validate_on_submit() or context["result"] is None:
        return render_template("precalc/simulate.html", save_form=form, **context), 400
    row = precalc.save(
        db.session(), actor=current_person(), organisation=organisation, person=person,
        simulation=context["result"], survivors=context["cover"], note=form.note.data or "",
        addressee=form.addressee.data, now=clock.now(),
    )
    flash(_("The pre-calculation was saved."), "success")
    return redirect(url_for("precalc.show", org_id=org_id, precalc_id=row.id), code=303)


@bp.get("/<int:org_id>/sparad/<int:precalc_id>")
@staff_required
def show(org_id: int, precalc_id: int):
    """A saved pre-calculation exactly as it was saved: read from its snapshot, not recomputed."""
    organisation = staff_organisation(org_id)
    saved = _saved(organisation, precalc_id)
    session = db.session()
    return render_template(
        "precalc/show.html", organisation=organisation, saved=saved,
        **saved_context(saved),
        person=session.get(Person, saved.row.person_id), author=session.get(Person, saved.row.created_by),
        letter_form=LetterForm(formdata=None, till=saved.row.addressee),
    )


@bp.get("/<int:org_id>/sparad/<int:precalc_id>/brev.pdf")
@staff_required
def letter(org_id: int, precalc_id: int):
    organisation = staff_organisation(org_id)
    saved = _saved(organisation, precalc_id)
    form = LetterForm(request.args)
    addressee = form.till.data if form.validate() else saved.row.addressee
    precalc.record_letter(db.session(), actor=current_person(), saved=saved.row, addressee=addressee)
    return letter_pdf.response(saved, addressee)
