"""A saved calculation as a PDF for the annual accounts: the totals with the splits, the
assumptions with their sources, the change since the previous calculation and the expected
payments of the next ten years. No personal data beyond who made it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext

from webapp.explanations import format_value, name_label
from webapp.i18n import format_day, format_moment, format_money, format_percent
from webapp.liability import messages
from webapp.pdf import Document


def render_report_pdf(organisation, calculation, totals, assumptions, made_by, previous=None, change=None) -> bytes:
    doc = Document(_("Pension liability of %(name)s", name=organisation.name), author=_("Pension choice"),
                   subject=_("Pension liability at %(day)s", day=format_day(calculation.at)))
    doc.rows([
        (_("Calculation date"), format_day(calculation.at)),
        (_("Name of the calculation (optional)"), calculation.label or "–"),
        (_("Persons"), str(calculation.persons)),
        (_("Made"), f"{format_moment(calculation.created_at)}, {made_by.name if made_by else '–'}"),
    ])

    doc.heading(_("Pension liability by when it was earned"))
    wide = (doc.width * 0.4, doc.width * 0.2, doc.width * 0.2, doc.width * 0.2)
    doc.table(
        (_("Earned"), _("Reserve"), _("Special payroll tax"), _("Including special payroll tax")),
        [(_("Before 1998: contingent liability (ansvarsförbindelse)"), format_money(totals.before_1998),
          format_money(totals.payroll_tax_before_1998),
          format_money(totals.before_1998 + totals.payroll_tax_before_1998)),
         (_("From 1998: provision (avsättning)"), format_money(totals.from_1998),
          format_money(totals.payroll_tax_from_1998), format_money(totals.from_1998 + totals.payroll_tax_from_1998))],
        col_widths=wide,
        total=(_("Total pension liability"), format_money(totals.total),
               format_money(totals.payroll_tax_before_1998 + totals.payroll_tax_from_1998),
               format_money(totals.total_with_tax)))

    doc.heading(_("By category"))
    rows = []
    for code, label in messages.CATEGORIES.items():
        before, after = totals.by_category.get(code, (0, 0))
        rows.append((str(label), format_money(before), format_money(after), format_money(before + after)))
    doc.table((_("Category"), _("Before 1998"), _("From 1998"), _("Reserve")), rows, col_widths=wide)

    doc.heading(_("Assumptions"))
    doc.rows([
        (_("Discount rate (real)"), format_percent(assumptions.discount_rate * 100)),
        (_("Mortality table"), assumptions.mortality),
        (_("Age at which payments start"), _("%(age)s years", age=assumptions.payment_age)),
        (_("Special payroll tax"), format_percent(assumptions.payroll_tax_rate * 100)),
    ])
    for use in assumptions.sources:
        flag = f" ({_('unconfirmed')})" if use.unconfirmed else ""
        doc.paragraph(f"{name_label(use.name)}: {format_value(use.name, use.value)}, "
                      f"{_('applies from %(day)s', day=format_day(use.applies_from))}; "
                      f"{use.source}{flag}", size=8)

    if change is not None:
        doc.heading(_("Change since the previous calculation"))
        doc.paragraph(_("Compared with the calculation at %(day)s.", day=format_day(previous.at)))
        doc.table(
            (_("Cause"), _("Before 1998"), _("From 1998"), _("Total")),
            [(str(messages.CHANGE_STEPS.get(step.code, step.code)), format_money(step.before_1998),
              format_money(step.from_1998), format_money(step.total)) for step in change.steps],
            col_widths=wide,
            total=(pgettext("difference", "Change"), format_money(change.before_1998), format_money(change.from_1998),
                   format_money(change.total)))

    doc.heading(_("Expected payments"))
    years = sorted(totals.expected_payments)[:10]
    doc.table((_("Year"), _("Expected payments")),
              [(str(year), format_money(totals.expected_payments[year])) for year in years],
              col_widths=(doc.width * 0.5, doc.width * 0.5))
    doc.paragraph(_("Expected payments are weighted by the probability of being alive, not discounted, at "
                    "today's value."), size=9)
    return doc.output()
