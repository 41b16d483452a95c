"""Word (.docx) documents in the party's administrative style (python-docx): Times New Roman 14
in every script slot, A4 paper, centred lines — the pieces the documents' first page
(:mod:`grassroots.resolutions.word`) and the official forms (:mod:`grassroots.reports.exports`)
are made of."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
SIZE = Pt(14)


def new_document(
    *,
    landscape: bool = False,
    margins_mm: tuple[int, int, int, int] = (20, 20, 30, 15),
    size: Any = SIZE,
) -> Any:
    """An empty A4 document (top, bottom, left, right margins in mm; 36-HD/VPTW's by default)
    whose normal text is Times New Roman ``size``."""
    word = Document()
    section = word.sections[0]
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = width, height
    top, bottom, left, right = (Mm(m) for m in margins_mm)
    section.top_margin, section.bottom_margin = top, bottom
    section.left_margin, section.right_margin = left, right
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = size
    return word


def styled(
    run: Any, *, bold: bool = False, italic: bool = False, underline: bool = False, size: Any = SIZE
) -> None:
    """Times New Roman in the East-Asian and complex-script slots too, so Word and LibreOffice
    keep it for Vietnamese letters."""
    run.font.name = FONT
    run.font.size = size
    run.bold = bold
    run.italic = italic
    run.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def line(
    container: Any,
    text: str,
    *,
    first: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    **style: Any,
) -> Any:
    """A paragraph of one run in ``container`` (a document or a table cell); ``first`` fills
    the cell's own empty paragraph."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    styled(paragraph.add_run(text), **style)
    return paragraph


def to_bytes(word: Any) -> bytes:
    out = BytesIO()
    word.save(out)
    return out.getvalue()
