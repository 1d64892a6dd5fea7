"""The pension letter of a saved pre-calculation as a PDF, addressed to the employee or to the
employer: the addressee block and the wording differ, the figures are the saved snapshot's
(never recomputed). Written in the reader's language (the request's locale)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _

from webapp.explanations import caveat_text, format_value, name_label, rule_title
from webapp.i18n import format_day, format_moment, format_money
from webapp.pdf import Document
from webapp.precalc.presentation import UNREADABLE, cover_of, parameters_of
from webapp.services import simulation as simulation_service


def _period(years: int | None) -> str:
    return _("for life") if years is None else _("for %(years)s years", years=years)


def build(saved, addressee: str) -> Document:
    """The letter as a Document (tests read what was put into it before it is rendered)."""
    doc = Document(_("Pension letter: pre-calculation of occupational pension"),
                   author=saved.subject["organisation"], subject=_("Pre-calculation %(n)s", n=saved.id))
    try:
        sim = simulation_service.display(saved.simulation)
        cover = cover_of(saved)
    except UNREADABLE:
        _addressee(doc, saved, addressee, saved.row.retirement_age, format_day(saved.row.calculation_date))
        doc.paragraph(_("The details of this pre-calculation were stored in an earlier format and cannot be shown. "
                        "Its summary as saved:"))
        doc.rows([(_("Agreement"), saved.row.agreement),
                  (_("Retirement age"), _("%(age)s years", age=saved.row.retirement_age)),
                  (_("Total per month"), format_money(saved.row.total_monthly, 2))])
        return doc
    decimals = 2 if sim.has_fractions else 0
    _addressee(doc, saved, addressee, sim.retirement_age, format_day(sim.at))
    _body(doc, saved, addressee, sim, cover, decimals)
    return doc


def _addressee(doc: Document, saved, addressee: str, age: int, day: str) -> None:
    """The addressee block and the opening, which differ between the two letters."""
    subject = saved.subject
    if addressee == "employee":
        doc.rows([
            (_("To"), subject["name"]),
            (_("From"), _("%(employer)s, your employer", employer=subject["organisation"])),
        ])
        doc.paragraph("")
        doc.paragraph(_("Dear %(name)s,", name=subject["name"]))
        doc.paragraph(_(
            "Your employer has made a pre-calculation of the occupational pension you would receive if you retire "
            "at %(age)s. Below are the monthly amounts before tax from each part of your pension, the years of "
            "payment and what your survivors would receive. The calculation was made on %(day)s with the rules and "
            "values that applied then.", age=age, day=day))
    else:
        doc.rows([
            (_("To"), _("%(employer)s (employer, kept on file)", employer=subject["organisation"])),
            (_("Organisation number"), subject.get("org_number", "")),
            (_("Concerns"), _("%(name)s, born %(day)s", name=subject["name"], day=format_day(subject["birth_date"]))),
        ])
        doc.paragraph("")
        doc.paragraph(_(
            "This pre-calculation of the occupational pension of %(name)s was made by the employer and is kept on "
            "file. It shows the monthly amounts before tax from each part of the pension at a retirement age of "
            "%(age)s, the years of payment and the survivor cover, computed on %(day)s with the rules and values "
            "that applied then.", name=subject["name"], age=age, day=day))


def _body(doc: Document, saved, addressee: str, sim, cover, decimals: int) -> None:
    doc.heading(_("The calculation"))
    facts = [
        (_("Reference"), _("Pre-calculation %(n)s", n=saved.id)),
        (_("Calculated on"), format_day(sim.at)),
        (_("Saved"), format_moment(saved.row.created_at)),
        (_("Agreement"), sim.agreement),
        (_("Retirement age"), _("%(age)s years", age=sim.retirement_age)),
        (_("Share taken out"), simulation_service.share_text(sim.withdrawal_share)),
        (_("Payment period of the defined-contribution pension"), _period(sim.dc_payout_years)),
    ]
    if addressee == "employer" and saved.row.note:
        facts.append((_("Note"), saved.row.note))
    doc.rows(facts)

    doc.heading(_("Monthly pension before tax"))
    if sim.parts:
        doc.table((_("Part of the pension"), _("From age"), _("Paid"), _("Per month")),
                  [(rule_title(p.code), str(p.start_age), _period(p.payout_years), format_money(p.monthly, decimals))
                   for p in sim.parts],
                  col_widths=(doc.width * 0.46, doc.width * 0.14, doc.width * 0.18, doc.width * 0.22),
                  total=(_("Total per month"), "", "", format_money(sim.total_monthly, decimals)))
        doc.heading(_("The pension year by year"))
        doc.paragraph(_("The total per month in each year of age, before tax and in today's money."), size=9)
        doc.table((_("Age"), _("Year"), _("Total per month")),
                  [(ages, years, format_money(total, decimals)) for ages, years, total in _runs(sim.payments)],
                  col_widths=(doc.width * 0.3, doc.width * 0.3, doc.width * 0.4))
    else:
        doc.paragraph(_("This simulation gives no pension from this agreement: there are no earned rights or "
                        "contributions to pay out."))

    # The letter to the employer speaks about the employee, the one to the employee to them.
    audience = "staff" if addressee == "employer" else "employee"
    if cover is not None:
        _survivors(doc, cover, audience)
    doc.heading(_("Good to know"))
    for code in sim.caveats:
        doc.paragraph(f"• {caveat_text(code, audience)}", size=9)
    doc.paragraph(_("This is an estimate, not a decision about a pension. The pension is decided when it is paid "
                    "out."), size=9)
    parameters = parameters_of(saved.simulation)
    if parameters:
        doc.heading(_("Values used"))
        doc.table((_("Value"), _("Amount"), _("Applies from")),
                  [(name_label(p.name) + (" *" if p.unconfirmed else ""), _value(p), format_day(p.applies_from))
                   for p in parameters],
                  col_widths=(doc.width * 0.55, doc.width * 0.2, doc.width * 0.25))
        if any(p.unconfirmed for p in parameters):
            doc.paragraph(_("* Not confirmed by our sources."), size=9)


def _runs(payments) -> list[tuple[str, str, Decimal]]:
    """Consecutive years with the same total as one row ("63–87", "2025–2049"): a letter, not a ledger."""
    runs: list[list] = []
    for row in payments:
        if runs and runs[-1][2] == row.total:
            runs[-1][1] = row
        else:
            runs.append([row, row, row.total])
    return [(_span(first.age, last.age), _span(first.year, last.year), total) for first, last, total in runs]


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _value(parameter) -> str:
    try:
        return format_value(parameter.name, Decimal(parameter.value))
    except InvalidOperation:
        return parameter.value  # a list or a text value, as stored


def _survivors(doc: Document, cover, audience: str) -> None:
    doc.heading(_("Survivor cover if the employee died now (%(agreement)s)", agreement=cover.agreement))
    if not cover.covered:
        doc.paragraph(_("The agreement's survivor cover does not apply: no employment now or in the last six months."))
    else:
        not_estimated = _("Not covered by this estimate")
        doc.table((_("Who"), _("Per month"), _("For how long")), [
            (_("A surviving spouse, registered partner or cohabitant"),
             format_money(cover.adult_monthly) if cover.adult_monthly is not None else not_estimated,
             _("%(years)s years", years=cover.adult_months // 12) if cover.adult_months else "–"),
            (_("Each child"),
             format_money(cover.child_monthly_each) if cover.child_monthly_each is not None else not_estimated,
             _("until the child turns %(age)s (20 while in school)", age=cover.child_until_age)
             if cover.child_until_age else "–"),
        ], col_widths=(doc.width * 0.45, doc.width * 0.25, doc.width * 0.3))
    if cover.not_computed:
        doc.paragraph(_("Not covered by this estimate:"), size=9)
        for code in cover.not_computed:
            doc.paragraph(f"• {caveat_text(code, audience)}", size=9)
    for code in cover.caveats:
        if code != "not_covered_no_employment":
            doc.paragraph(f"• {caveat_text(code, audience)}", size=9)


def response(saved, addressee: str):
    body = build(saved, addressee).output()
    result = current_app.response_class(body, mimetype="application/pdf")
    result.headers["Content-Disposition"] = f'attachment; filename="forhandsberakning-{saved.id}.pdf"'
    result.headers["Cache-Control"] = "no-store"
    return result
