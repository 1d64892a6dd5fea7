"""The pre-calculations employers made for the logged-in employee (/min-pension/forhandsberakningar):
the list, each one as it was saved, and its pension letter when the letter is addressed to them."""

from __future__ import annotations

from flask import abort, render_template
from sqlmodel import select

from webapp import db
from webapp.auth.session import current_person, login_required
from webapp.employee.views import bp
from webapp.models import Organisation, Person
from webapp.precalc import letter_pdf
from webapp.precalc.presentation import saved_context, saved_or_404
from webapp.services import precalc


@bp.app_context_processor
def _has_precalculations():
    """``has_precalculations()`` for the navigation: the link shows only to those who have one."""

    def has_precalculations() -> bool:
        person = current_person()
        return person is not None and precalc.has_any(db.session(), person.id)

    return {"has_precalculations": has_precalculations}


def _own(precalc_id: int) -> precalc.Saved:
    return saved_or_404(precalc.of_person(db.session(), current_person().id, precalc_id))


@bp.get("/forhandsberakningar")
@login_required
def precalculations():
    session = db.session()
    saved = precalc.saved_list(session, person_id=current_person().id)
    ids = {item.row.organisation_id for item in saved}
    organisations = {o.id: o.name for o in session.exec(select(Organisation).where(Organisation.id.in_(ids)))} \
        if ids else {}
    return render_template("employee/precalculations.html", saved=saved, organisations=organisations)


@bp.get("/forhandsberakningar/<int:precalc_id>")
@login_required
def precalculation(precalc_id: int):
    saved = _own(precalc_id)
    return render_template("employee/precalculation.html", saved=saved, **saved_context(saved),
                           author=db.session().get(Person, saved.row.created_by))


@bp.get("/forhandsberakningar/<int:precalc_id>/brev.pdf")
@login_required
def precalculation_letter(precalc_id: int):
    """The letter addressed to the employee; a letter kept on file for the employer is not theirs."""
    saved = _own(precalc_id)
    if saved.row.addressee != "employee":
        abort(404)
    precalc.record_letter(db.session(), actor=current_person(), saved=saved.row, addressee="employee")
    return letter_pdf.response(saved, "employee")
