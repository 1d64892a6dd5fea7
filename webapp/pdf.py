"""Plain A4 documents as PDF (fpdf2) with a bundled DejaVu font so Swedish letters render:
receipts, pension letters, pre-calculations. Callers pass text already translated."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "static" / "fonts"


class Document:
    """A document built top to bottom: a title, headings, label/value rows, paragraphs, tables."""

    def __init__(self, title: str, *, author: str = "", subject: str = "") -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        if author:
            self.pdf.set_author(author)
        if subject:
            self.pdf.set_subject(subject)
        self.pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.pdf.set_margins(20, 20, 20)
        self.pdf.add_page()
        self.pdf.set_font("DejaVu", "B", 18)
        self.pdf.multi_cell(self.width, 10, title, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(4)

    @property
    def width(self) -> float:
        return self.pdf.epw

    def heading(self, text: str) -> None:
        self.pdf.ln(4)
        self.pdf.set_font("DejaVu", "B", 13)
        self.pdf.multi_cell(self.width, 8, text, new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, *, size: int = 11) -> None:
        self.pdf.set_font("DejaVu", "", size)
        self.pdf.multi_cell(self.width, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")

    def rows(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label in bold on the left, value on the right."""
        for label, value in rows:
            self.pdf.set_font("DejaVu", "B", 11)
            self.pdf.cell(self.width * 0.4, 7, str(label))
            self.pdf.set_font("DejaVu", "", 11)
            self.pdf.multi_cell(self.width * 0.6, 7, str(value), new_x="LMARGIN", new_y="NEXT")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], *,
              col_widths: Sequence[float] | None = None, total: Sequence[str] | None = None) -> None:
        """A table whose first column is text and the others right-aligned numbers."""
        columns = len(header)
        widths = col_widths or [self.width / columns] * columns
        align = ("LEFT",) + ("RIGHT",) * (columns - 1)
        self.pdf.set_font("DejaVu", "", 10)
        with self.pdf.table(col_widths=widths, text_align=align, first_row_as_headings=True,
                            line_height=6) as table:
            for cells in (header, *rows, *([total] if total else [])):
                row = table.row()
                for text in cells:
                    row.cell(str(text))

    def output(self) -> bytes:
        return bytes(self.pdf.output())
