"""Letters to families as PDF (fpdf2), in a vendored Unicode font with Cyrillic (DejaVu Sans,
its licence alongside in ``fonts/``), so no system font is needed."""

from parley.adapters.pdf.letters import render_letter

__all__ = ["render_letter"]
