"""The employee's pension simulation (/min-pension/simulering): a GET form (retirement age,
withdrawal share, payout period of the defined-contribution parts, agreement where the person may
still choose), the result per part with a chart over the years of payment, and the survivor cover.
Works without JavaScript; htmx swaps the result in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask import g, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from htmx_flask import request

import domain
from webapp import clock, db
from webapp.auth.session import current_person, logged_in_version, login_required
from webapp.employee.explanation_page import explanation_page
from webapp.employee.views import bp
from webapp.explanation_links import ExplanationLinks, find
from webapp.htmx_pages import page_or_fragment
from webapp.render_cache import kept_page
from webapp.services import pension
from webapp.services import simulation as service

LIFELONG = "lifelong"
FIELDS = ("agreement", "retirement_age", "withdrawal_share", "dc_payout_years")
DEFAULT_AGE = 65

MESSAGES = {
    "missing_age": _l("Choose a retirement age."),
    "age_not_allowed": _l("Choose one of the retirement ages offered under %(agreement)s: %(first)s to %(last)s years."),
    "no_ages_left": _l("There is no retirement age left to simulate under %(agreement)s."),
    "share_not_allowed": _l("Choose one of the shares offered. The shares that can be taken out under %(agreement)s: %(shares)s."),
    "payout_too_short": _l("Choose payment for life or a period of %(low)s to %(high)s years."),
    "payout_too_long": _l("Choose payment for life or a period of %(low)s to %(high)s years."),
    "agreement_unknown": _l("Choose one of the agreements offered."),
    "agreement_not_available": _l("Choose one of the agreements offered."),
}
LABELS = {
    "agreement": _l("Agreement"),
    "retirement_age": _l("Retirement age"),
    "withdrawal_share": _l("Share of the pension you take out"),
    "dc_payout_years": _l("Payment period of the defined-contribution pension"),
}
# The labels above that speak to the employee, as the staff's pre-calculation shows them.
STAFF_LABELS = {"withdrawal_share": _l("Share taken out")}
PAYOUT_CHOICES = tuple(range(10, 21))  # the offered fixed periods; the domain checks the rules


@dataclass
class SimulationForm:
    """The raw values as typed (kept on errors) and one message per field in error."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def label(self, name: str, audience: str = "employee") -> str:
        if audience == "staff" and name in STAFF_LABELS:
            return str(STAFF_LABELS[name])
        return str(LABELS[name])


def invalid_message(code: str, page: service.SimulationPage, agreement: str) -> str:
    """The translated message for a ``domain.InvalidSimulation`` code (also for the employer's forms)."""
    ages = page.ages.get(agreement) or ()
    shares = page.shares.get(agreement) or ()
    return str(MESSAGES.get(code, MESSAGES["agreement_unknown"])) % {
        "agreement": agreement,
        "first": ages[0] if ages else "–",
        "last": ages[-1] if ages else "–",
        "shares": ", ".join(service.share_text(s) for s in shares),
        "low": PAYOUT_CHOICES[0],
        "high": PAYOUT_CHOICES[-1],
    }


def _defaults(page: service.SimulationPage) -> dict[str, str]:
    own = page.agreements.own
    ages = page.ages.get(own) or ()
    age = DEFAULT_AGE if DEFAULT_AGE in ages else (ages[0] if ages else DEFAULT_AGE)
    return {"agreement": own, "retirement_age": str(age), "withdrawal_share": "1", "dc_payout_years": LIFELONG}


def parse(args, page: service.SimulationPage) -> tuple[SimulationForm, domain.SimulationRequest | None]:
    """The form's values (the defaults for what the query string leaves out) and the request."""
    values = _defaults(page)
    for name in FIELDS:
        if name in args:
            values[name] = args.get(name, "").strip()
    form = SimulationForm(values)
    agreement = values["agreement"]
    if agreement not in page.agreements.offered:
        form.errors["agreement"] = invalid_message("agreement_not_available", page, agreement)
        agreement = page.agreements.own
    try:
        age = int(values["retirement_age"])
    except ValueError:
        form.errors["retirement_age"] = str(MESSAGES["missing_age"])
        age = None
    try:
        share = Decimal(values["withdrawal_share"].replace(",", "."))
        if not share.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        form.errors["withdrawal_share"] = invalid_message("share_not_allowed", page, agreement)
        share = None
    payout_text = values["dc_payout_years"]
    payout: int | None = None
    if payout_text != LIFELONG:
        try:
            payout = int(payout_text)
        except ValueError:
            form.errors["dc_payout_years"] = invalid_message("payout_too_short", page, agreement)
    if form.errors:
        return form, None
    try:
        return form, domain.SimulationRequest(age, share, payout, agreement)
    except domain.InvalidSimulation as error:
        form.errors[error.field] = invalid_message(error.code, page, agreement)
        return form, None


def _simulated(session, person, today):
    """(page options, form, simulation display, survivor cover) for the query string, with the
    form's errors where the form or the rules refuse it (display and cover are then None); None
    for a person without an employment. The page and its explanations' page both compute it."""
    if not pension.has_employment(session, person):
        return None
    page = service.page_options(session, person, today)
    form, simulation_request = parse(request.args, page)
    sim = cover = None
    if simulation_request is not None:
        try:
            result, cover = service.simulate(page, simulation_request, today)
            sim = service.display(result)
        except domain.InvalidSimulation as error:
            form.errors[error.field] = invalid_message(error.code, page, simulation_request.agreement)
    return page, form, sim, cover


@bp.get("/simulering")
@login_required
@kept_page
def simulation():
    today = clock.today()
    simulated = _simulated(db.session(), current_person(), today)
    if simulated is None:
        return render_template("employee/no_employment.html")
    page, form, sim, cover = simulated
    g.explanation_links = ExplanationLinks([sim, cover], "employee.simulation_explanation",
                                           (logged_in_version(), today), **form.values)
    ages = sorted({age for offered in page.ages.values() for age in offered})
    shares = sorted({share for offered in page.shares.values() for share in offered})
    context = {
        "form": form, "page": page, "sim": sim, "cover": cover, "ages": ages, "shares": shares,
        "share_text": service.share_text, "payout_choices": PAYOUT_CHOICES, "lifelong": LIFELONG,
    }
    return page_or_fragment("employee/simulation.html", "employee/_simulation.html", **context)


@bp.get("/simulering/forklaring/<at>")
@login_required
@kept_page
def simulation_explanation(at: str):
    """An explanation of the simulation the query string asks for (the page's own query)."""
    today = clock.today()
    simulated = _simulated(db.session(), current_person(), today)
    if simulated is None:
        figures, values = [], {name: request.args.get(name, "") for name in FIELDS}
    else:
        _page, form, sim, cover = simulated
        figures, values = [sim, cover], form.values
    return explanation_page(find(figures, at, (logged_in_version(), today)),
                            url_for("employee.simulation", **values), _("Back to the simulation"))
