"""My pension (/min-pension) and the comparison of KAP-KL with AKAP-KR (/min-pension/jamforelse),
each with the pages of its figures' explanations (.../forklaring/<at>, webapp/explanation_links.py)."""

from __future__ import annotations

import dataclasses
import functools
from decimal import Decimal

from flask import Blueprint, g, make_response, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from htmx_flask import request
from werkzeug.datastructures import MultiDict

from webapp import clock, db
from webapp.auth.session import current_person, login_required
from webapp.employee.chart import build_chart
from webapp.employee.explanation_page import explanation_page
from webapp.employee.forms import AssumptionsForm
from webapp.explanation_links import ExplanationLinks, find
from webapp.htmx_pages import vary_on_htmx, wants_fragment
from webapp.i18n import request_locale
from webapp.render_cache import kept_page, rendered
from webapp.services import pension
from webapp.services.history import load_records

bp = Blueprint("employee", __name__, url_prefix="/min-pension")

HUNDRED = Decimal(100)
# Form field → how the domain's ComparisonAssumptions holds it. Rates are fractions in the
# domain (0.015) and percent on the page (1,5).
PERCENT_FIELDS = ("real_salary_growth", "real_return")
WHOLE_FIELDS = ("retirement_age", "payout_years")


@bp.app_context_processor
def _today():
    """``today()`` in templates (the eligibility box says whether the choice period is open)."""
    return {"today": clock.today}


@bp.get("")
@login_required
@kept_page
def my_pension():
    records = load_records(db.session(), current_person())
    if not records.employments:
        return render_template("employee/no_employment.html")
    today = clock.today()
    key = (records.fingerprint, today, str(request_locale()))
    data = functools.cache(lambda: pension.my_pension(records, today))  # only when a part is not kept
    g.explanation_links = ExplanationLinks(lambda: [data()], "employee.my_pension_explanation",
                                           (records.fingerprint, today))
    top = rendered(("my_pension_top", *key), lambda: render_template("employee/_my_pension_top.html", data=data()))
    figures = rendered(("my_pension_figures", *key),
                       lambda: render_template("employee/_my_pension_figures.html", data=data()))
    # Between the two: the pension application's outcome, which changes with the employer's decision.
    return render_template("employee/my_pension.html", top=top, figures=figures)


def _form_defaults(defaults) -> dict[str, str]:
    values = {name: str(getattr(defaults, name)) for name in WHOLE_FIELDS}
    for name in PERCENT_FIELDS:
        text = format((Decimal(getattr(defaults, name)) * HUNDRED).normalize(), "f")
        values[name] = text.replace(".", ",") if str(get_locale()) == "sv" else text
    return values


def _assumptions(form: AssumptionsForm, defaults):
    """The defaults with every valid field of the form applied; invalid fields keep the default.

    A value the person changed is theirs, not the default parameter's: that parameter (its
    source and its "unconfirmed" flag) is no longer listed among the values used."""
    changes = {}
    for name in WHOLE_FIELDS + PERCENT_FIELDS:
        field = getattr(form, name)
        if field.errors or field.data is None:
            continue
        value = field.data / HUNDRED if name in PERCENT_FIELDS else field.data
        if value != getattr(defaults, name):
            changes[name] = value
    parameters = tuple(p for p in defaults.parameters if p.name.removeprefix("comparison_") not in changes)
    return dataclasses.replace(defaults, parameters=parameters, **changes)


def _comparison_form(today) -> tuple:
    """The default assumptions, the form (not yet validated) and its values by field: the query
    string's values where it has them (they are checked), the defaults for the rest."""
    defaults = pension.default_assumptions(today)
    formdata = MultiDict(_form_defaults(defaults))
    for key in WHOLE_FIELDS + PERCENT_FIELDS:
        if key in request.args:
            formdata[key] = request.args[key]
    inputs = tuple((key, formdata[key]) for key in WHOLE_FIELDS + PERCENT_FIELDS)
    return defaults, AssumptionsForm(formdata=formdata), inputs


def _explanation_of_figures(at: str, figures_of, back_url: str, back_label: str):
    """The explanation ``at`` names among the figures ``figures_of(records, today)`` computes."""
    records = load_records(db.session(), current_person())
    today = clock.today()
    figures = [figures_of(records, today)] if records.employments else []
    return explanation_page(find(figures, at, (records.fingerprint, today)), back_url, back_label)


@bp.get("/forklaring/<at>")
@login_required
@kept_page
def my_pension_explanation(at: str):
    return _explanation_of_figures(at, pension.my_pension, url_for("employee.my_pension"), _("Back to my pension"))


@bp.get("/jamforelse/forklaring/<at>")
@login_required
@kept_page
def comparison_explanation(at: str):
    defaults, form, inputs = _comparison_form(clock.today())
    form.validate()  # an invalid value keeps its default, as on the comparison
    return _explanation_of_figures(
        at, lambda records, today: pension.comparison(records, _assumptions(form, defaults), today),
        url_for("employee.comparison", **dict(inputs)), _("Back to the comparison"))


@bp.get("/jamforelse")
@login_required
@kept_page
def comparison():
    records = load_records(db.session(), current_person())
    if not records.employments:
        return render_template("employee/no_employment.html")
    today = clock.today()
    defaults, form, inputs = _comparison_form(today)
    valid = form.validate()

    def render_comparison() -> str:
        result = pension.comparison(records, _assumptions(form, defaults), today)
        g.explanation_links = ExplanationLinks([result], "employee.comparison_explanation",
                                               (records.fingerprint, today), **dict(inputs))
        chart = build_chart(
            {age: (c.stay.total_monthly, c.move.total_monthly) for age, c in result.by_age.items()},
            result.assumptions.retirement_age,
        )
        return render_template("employee/_comparison.html", form=form, valid=valid, result=result, chart=chart,
                               defaults=defaults)

    fragment = rendered(("comparison", records.fingerprint, today, str(request_locale()), inputs), render_comparison)
    if wants_fragment():
        return vary_on_htmx(make_response(fragment))
    eligible = pension.eligibility(records).eligible
    return vary_on_htmx(make_response(render_template("employee/comparison.html", eligible=eligible,
                                                      comparison_html=fragment)))

from webapp.employee import precalculations as _precalculations  # noqa: E402,F401 - registers /min-pension/forhandsberakningar
from webapp.employee import simulation as _simulation  # noqa: E402,F401 - registers /min-pension/simulering
