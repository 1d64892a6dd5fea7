"""The pension letter (pensionsbeslut) as a PDF, printed from the approved basis snapshot."""

from __future__ import annotations

from decimal import Decimal

from flask import Response
from flask_babel import gettext as _

from webapp.i18n import format_day, format_moment, format_money
from webapp.pdf import Document
from webapp.retirement.presentation import BASIS_CAVEATS, FIGURE_LABELS, LETTER_LABELS
from webapp.services.retirement import snapshot_of


def render_letter(application, person, organisation) -> bytes:
    snapshot = snapshot_of(application)
    doc = Document(_("Pension decision"), author=organisation.name, subject=_("Pension decision"))
    facts = [
        (_("Name"), person.name),
        (_("Employer"), organisation.name),
        (_("The pension starts on"), format_day(application.start_date)),
        (_("Agreement"), snapshot.get("agreement", "")),
        (_("Approved"), format_moment(application.decided_at)),
        (_("Letter sent"), str(LETTER_LABELS.get(application.letter_to, ""))),
    ]
    if application.requested_start != application.start_date:
        facts.insert(3, (_("Start date asked for"), format_day(application.requested_start)))
    doc.rows(facts)
    doc.heading(_("The approved calculation basis"))
    rows = [(str(FIGURE_LABELS.get(code, code)), format_money(Decimal(amount)))
            for code, amount in snapshot.get("figures", {}).items()]
    doc.table((_("Part"), _("Kronor")), rows, col_widths=(doc.width * 0.7, doc.width * 0.3))
    details = []
    if snapshot.get("time_factor"):
        months, full = snapshot["time_factor"]
        details.append((_("Time factor"), f"{months}/{full}"))
    if snapshot.get("months_before_65"):
        details.append((_("Months before 65 (reduced by 0.4 percent each)"), str(snapshot["months_before_65"])))
    if snapshot.get("calculation_year"):
        details.append((_("Calculation year"), str(snapshot["calculation_year"])))
    if details:
        doc.rows(details)
    for code in snapshot.get("caveats", []):
        doc.paragraph(str(BASIS_CAVEATS.get(code, code)), size=9)
    doc.paragraph(_("Amounts are in kronor per year before tax, except the pensionsunderlag (the salary the "
                    "pension is based on)."), size=9)
    return doc.output()


def response(application, person, organisation) -> Response:
    body = render_letter(application, person, organisation)
    filename = f"pensionsbrev-{application.id}.pdf"
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
