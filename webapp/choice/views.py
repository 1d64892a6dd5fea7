"""The choice pages: /val (where you stand, the form), /val/bekrafta (confirm), /val/signera
(sign with a fresh login), /val/kvitto (receipt, also as PDF) and /val/sen-begaran (late choice)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from webapp import clock, db
from webapp.auth.session import current_person, login_required
from webapp.auth.signing import begin_signing, register_signing_handler
from webapp.choice.forms import ChoiceForm, LateRequestForm
from webapp.choice.snapshot import snapshot_assumptions, snapshot_table
from webapp.closures import ensure_open
from webapp.i18n import request_locale
from webapp.render_cache import kept_page, rendered
from webapp.services import choices as service

bp = Blueprint("choice", __name__, url_prefix="/val")


@bp.context_processor
def _snapshot_helpers():
    return {"snapshot_table": snapshot_table, "snapshot_assumptions": snapshot_assumptions}


def signed_text_for(person, agreement: str) -> str:
    """The exact text the person signs with their fresh login. No personal identity number: the text
    travels in the session cookie during the signing, and the signing login's ID token names the signer."""
    if agreement == "AKAP-KR":
        return _(
            "I, %(name)s, choose to move to AKAP-KR in the 2023 pension choice between KAP-KL and AKAP-KR. "
            "I understand that the choice cannot be undone or changed.",
            name=person.name,
        )
    return _(
        "I, %(name)s, choose to stay in KAP-KL in the 2023 pension choice between KAP-KL and AKAP-KR. "
        "I understand that the choice cannot be undone or changed.",
        name=person.name,
    )


def _situation(person):
    return service.situation(db.session(), person, clock.today())


def _refuse(current):
    """Where to send someone who may not choose now: the existing choice, or the choice page."""
    if current.choice is not None:
        flash(_("You have already made your choice. It cannot be changed; here it is."), "info")
        return redirect(url_for("choice.receipt"), code=303)
    flash(_("You cannot make the choice now. The page says why."), "error")
    return redirect(url_for("choice.index"), code=303)


def _index_page(current, form, status=200):
    eligibility_html = rendered(
        ("choice_eligibility", current.records_fingerprint, clock.today(), str(request_locale())),
        lambda: render_template("employee/_eligibility.html", eligibility=current.eligibility, heading_level=3),
    )
    return render_template("choice/index.html", situation=current, form=form, eligibility_html=eligibility_html), status


@bp.get("")
@login_required
@kept_page
def index():
    return _index_page(_situation(current_person()), ChoiceForm())


def _submitted_choice(person):
    """The situation and the valid choice form of a POST to confirm or sign, or the answer when
    the person may not choose now or the form is not valid."""
    current = _situation(person)
    if not current.may_choose:
        return current, None, _refuse(current)
    form = ChoiceForm()
    if not form.validate_on_submit():
        return current, None, _index_page(current, form, 400)
    return current, form, None


@bp.post("/bekrafta")
@login_required
def confirm():
    person = current_person()
    current, form, refused = _submitted_choice(person)
    if refused is not None:
        return refused
    agreement = form.agreement.data
    return render_template("choice/confirm.html", situation=current, form=form, agreement=agreement,
                           signed_text=signed_text_for(person, agreement))


@bp.post("/signera")
@login_required
def sign():
    person = current_person()
    current, form, refused = _submitted_choice(person)
    if refused is not None:
        return refused
    agreement = form.agreement.data
    return begin_signing(service.SIGNING_PURPOSE, signed_text_for(person, agreement),
                         {"agreement": agreement, "campaign": current.campaign.code},
                         back_url=url_for("choice.index"))


def complete_signed_choice(person, payload, signed_text, id_token, signed_at) -> Response:
    """Signing handler: called after a verified fresh login of the same person.

    Writes only while the service is open (a planned closure refuses it with the closed page),
    commits before acknowledging, and shows the existing choice on a second or replayed call."""
    ensure_open()
    session = db.session()
    current = service.situation(session, person, clock.today())
    if not current.may_choose:
        return _refuse(current)
    agreement = (payload or {}).get("agreement")
    if agreement not in service.AGREEMENTS:
        abort(400)
    choice, created = service.record_choice(
        session, person, agreement, signed_text, id_token, signed_at, current.campaign, current.is_late
    )
    if created:
        current_app.logger.info("choice recorded", extra={"reference": choice.reference})
        flash(_("Your choice has been received. Keep the reference number."), "success")
    else:
        flash(_("You have already made your choice. It cannot be changed; here it is."), "info")
    return redirect(url_for("choice.receipt"), code=303)


def _own_choice_or_none():
    return service.find_choice(db.session(), current_person().id)


@bp.get("/kvitto")
@login_required
def receipt():
    choice = _own_choice_or_none()
    if choice is None:
        flash(_("You have not made a choice, so there is no receipt."), "info")
        return redirect(url_for("choice.index"))
    return render_template("choice/receipt.html", choice=choice, snapshot=service.load_snapshot(choice),
                           person=current_person())


@bp.get("/kvitto.pdf")
@login_required
def receipt_pdf():
    choice = _own_choice_or_none()
    if choice is None:
        abort(404)
    from webapp.choice.receipt_pdf import render_receipt_pdf

    pdf = render_receipt_pdf(choice, current_person(), service.load_snapshot(choice))
    filename = _("receipt-%(reference)s.pdf", reference=choice.reference)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/sen-begaran", methods=["GET", "POST"])
@login_required
def late_request():
    person = current_person()
    current = _situation(person)
    if current.late_request is not None:
        flash(_("You have already asked for a late choice. The page shows how your employer has answered."),
              "info")
        return redirect(url_for("choice.index"), code=303)
    if not current.may_request_late:
        return _refuse(current)
    form = LateRequestForm()
    if form.validate_on_submit():
        try:
            service.request_late_choice(db.session(), person, form.reason.data, clock.today(), clock.now())
        except (service.AlreadyRequested, service.NotAllowed):
            return redirect(url_for("choice.index"), code=303)
        flash(_("Your request has been sent to your employer."), "success")
        return redirect(url_for("choice.index"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("choice/late_request.html", situation=current, form=form), status


def init_app(app) -> None:
    app.register_blueprint(bp)
    register_signing_handler(service.SIGNING_PURPOSE, complete_signed_choice)
