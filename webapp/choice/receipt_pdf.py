"""The receipt as a PDF (fpdf2), with a bundled DejaVu font so Swedish letters render."""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF

from webapp.choice.snapshot import snapshot_assumptions, snapshot_table
from webapp.i18n import format_moment

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"


def render_receipt_pdf(choice, person, snapshot: dict) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_("Receipt for your pension choice"))
    pdf.set_author(_("Pension choice"))
    pdf.set_subject(choice.reference)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(width, 10, _("Receipt for your pension choice"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    chosen = _("Move to AKAP-KR") if choice.agreement == "AKAP-KR" else _("Stay in KAP-KL")
    facts = [
        (_("Reference number"), choice.reference),
        (_("Name"), person.name),
        (_("You chose"), chosen),
        (_("Signed"), format_moment(choice.chosen_at)),
    ]
    if choice.is_late:
        facts.append((_("Late choice"), _("Allowed by your employer; counts as made within the period")))
    _rows(pdf, facts, width)

    _heading(pdf, _("The text you signed"))
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(width, 6, choice.signed_text, new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, _("The comparison your choice was based on"))
    table = snapshot_table(snapshot)
    if not table:
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(width, 6, _("The comparison could not be calculated when you signed. Your choice is valid all the same."),
                       new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(width, 6, _("Estimated monthly pension from the retirement age, before tax"),
                       new_x="LMARGIN", new_y="NEXT")
        _comparison_table(pdf, table, width)
        assumptions = snapshot_assumptions(snapshot)
        if assumptions:
            _heading(pdf, _("Assumptions"))
            _rows(pdf, assumptions, width)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(width, 5, _("The comparison is an estimate, not a promise of a certain pension."),
                       new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _comparison_table(pdf: FPDF, table, width: float) -> None:
    widths = (width * 0.5, width * 0.25, width * 0.25)
    with pdf.table(col_widths=widths, text_align=("LEFT", "RIGHT", "RIGHT"), first_row_as_headings=True,
                   line_height=6) as rows:
        header = rows.row()
        for text in (_("Part"), _("Stay in KAP-KL"), _("Move to AKAP-KR")):
            header.cell(text)
        for label, stay, move in table.rows:
            row = rows.row()
            for text in (label, stay, move):
                row.cell(text)
        total = rows.row()
        for text in (_("Total per month"), table.stay_total, table.move_total):
            total.cell(text)
    if table.difference:
        pdf.ln(2)
        pdf.multi_cell(width, 6, _("Difference per month (AKAP-KR minus KAP-KL): %(amount)s", amount=table.difference),
                       new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(pdf.epw, 8, text, new_x="LMARGIN", new_y="NEXT")


def _rows(pdf: FPDF, rows, width: float) -> None:
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(width * 0.4, 7, str(label))
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(width * 0.6, 7, str(value), new_x="LMARGIN", new_y="NEXT")
