"""The employee's pension application (/min-pension/ansok): apply from a date, see the outcome
and, when the employer addressed it to them, the pension letter."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from domain.pension_basis import start_window
from webapp import clock, db
from webapp.auth.session import current_person, login_required
from webapp.models import Organisation
from webapp.retirement import letter, messages
from webapp.retirement.forms import ApplicationForm
from webapp.retirement.presentation import LETTER_LABELS, STATUS_LABELS
from webapp.services import retirement

bp = Blueprint("pension", __name__, url_prefix="/min-pension/ansok")


@bp.app_context_processor
def _my_applications():
    """``my_pension_applications()`` for the my-pension page's outcome box."""

    def mine():
        person = current_person()
        return retirement.applications_of_person(db.session(), person) if person else []

    return {"my_pension_applications": mine, "pension_application_status_labels": STATUS_LABELS}


def _form(person, today):
    employers = retirement.employers_of(db.session(), person, today)
    form = ApplicationForm()
    form.organisation_id.choices = [(str(o.id), o.name) for o in employers] or [("", _l("No employer"))]
    return form, employers


def _page(form, employers, status=200):
    person = current_person()
    today = clock.today()
    first, last, _uses = start_window(person.birth_date)
    applications = retirement.applications_of_person(db.session(), person)
    names = {o: db.session().get(Organisation, o).name for o in {a.organisation_id for a in applications}}
    return render_template(
        "pension/apply.html", form=form, employers=employers, first=first, last=last, today=today,
        applications=applications, organisation_names=names, letter_labels=LETTER_LABELS,
    ), status


@bp.get("", endpoint="pension_application")
@login_required
def apply_page():
    person = current_person()
    form, employers = _form(person, clock.today())
    if len(employers) == 1:
        form.organisation_id.data = str(employers[0].id)
    return _page(form, employers)


@bp.post("", endpoint="apply")
@login_required
def apply():
    person = current_person()
    form, employers = _form(person, clock.today())
    if not employers:
        abort(404)
    if form.validate():
        try:
            retirement.apply(db.session(), person=person, organisation_id=int(form.organisation_id.data),
                             start=form.start.data)
        except retirement.InvalidStartDate as invalid:
            form.start.errors = [messages.start_problem(code, person.birth_date) for code in invalid.problems]
        except retirement.AlreadyApplied:
            form.start.errors = [_("You already have an application waiting or approved at this employer.")]
        except (retirement.NotEmployed, ValueError):
            form.organisation_id.errors = [_("Choose one of your employers.")]
        else:
            flash(_("Your application was sent to your employer."), "success")
            return redirect(url_for("pension.pension_application"), code=303)
    return _page(form, employers, status=422)


@bp.get("/<int:application_id>/pensionsbrev.pdf")
@login_required
def letter_pdf(application_id: int):
    person = current_person()
    found = retirement.application_of_person(db.session(), person, application_id)
    if found is None or found.status != "approved" or found.letter_to != "employee":
        abort(404)
    return letter.response(found, person, db.session().get(Organisation, found.organisation_id))
