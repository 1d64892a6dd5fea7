"""The receipt as a PDF."""

from __future__ import annotations

from flask_babel import gettext as _

from webapp.choice.snapshot import snapshot_assumptions, snapshot_table
from webapp.i18n import format_moment
from webapp.pdf import Document


def render_receipt_pdf(choice, person, snapshot: dict) -> bytes:
    doc = Document(_("Receipt for your pension choice"), author=_("Pension choice"), subject=choice.reference)
    chosen = _("Move to AKAP-KR") if choice.agreement == "AKAP-KR" else _("Stay in KAP-KL")
    facts = [
        (_("Reference number"), choice.reference),
        (_("Name"), person.name),
        (_("You chose"), chosen),
        (_("Signed"), format_moment(choice.chosen_at)),
    ]
    if choice.is_late:
        facts.append((_("Late choice"), _("Allowed by your employer; counts as made within the period")))
    doc.rows(facts)

    doc.heading(_("The text you signed"))
    doc.paragraph(choice.signed_text)

    doc.heading(_("The comparison your choice was based on"))
    table = snapshot_table(snapshot)
    if not table:
        doc.paragraph(_("The comparison could not be calculated when you signed. Your choice is valid all the same."))
    else:
        doc.paragraph(_("Estimated monthly pension from the retirement age, before tax"))
        doc.table((_("Part"), _("Stay in KAP-KL"), _("Move to AKAP-KR")), table.rows,
                  col_widths=(doc.width * 0.5, doc.width * 0.25, doc.width * 0.25),
                  total=(_("Total per month"), table.stay_total, table.move_total))
        if table.difference:
            doc.paragraph(_("Difference per month (AKAP-KR minus KAP-KL): %(amount)s", amount=table.difference))
        assumptions = snapshot_assumptions(snapshot)
        if assumptions:
            doc.heading(_("Assumptions"))
            doc.rows(assumptions)
        doc.paragraph(_("The comparison is an estimate, not a promise of a certain pension."), size=9)
    return doc.output()
