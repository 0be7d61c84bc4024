"""One letter as a PDF: a heading, the date, the Ukrainian text, then the English one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from parley.domain.answers import LetterText

FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"


def render_letter(texts: list[LetterText], *, date: str, reference: str) -> bytes:
    """A PDF with each text (Ukrainian first, English after) on its own page."""
    pdf = FPDF(format="A4")
    pdf.set_creator("Parley")
    pdf.set_title(texts[0].title if texts else reference)
    pdf.set_creation_date(datetime.fromisoformat(f"{date[:10]}T00:00:00+00:00"))
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_auto_page_break(auto=True, margin=20)
    for text in texts:
        pdf.add_page()
        pdf.set_font("DejaVu", size=9)
        pdf.cell(0, 6, f"{reference} · {date}", new_x="LMARGIN", new_y="NEXT", align="R")
        pdf.ln(4)
        pdf.set_font("DejaVu", size=14)
        pdf.multi_cell(0, 8, text.title, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(4)
        pdf.set_font("DejaVu", size=11)
        pdf.multi_cell(0, 6, text.body, new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())
