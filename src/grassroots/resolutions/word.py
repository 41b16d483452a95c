"""The Word export of a document's first page in the layout of Hướng dẫn 36-HD/VPTW (2018),
for a secretary to finish in Word.

- A4 paper; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (36-HD/VPTW, Điều 4);
  Times New Roman 14 throughout.
- The header is a two-column table without borders. Left: the superior body in capitals, the
  issuing body in bold capitals, a "*", then "Số <number>". Right: "ĐẢNG CỘNG SẢN VIỆT NAM" in
  bold and underlined, then the italic date line "<place>, ngày dd tháng mm năm yyyy".
- Below it, centred: the type in bold capitals, the title (trích yếu) in bold, then the summary.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from grassroots.resolutions.models import Document

FONT = "Times New Roman"
SIZE = Pt(14)
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


def date_line(document: Document) -> str:
    """``Nậm Nhùn, ngày 05 tháng 03 năm 2021``."""
    day = document.issued_on
    place = f"{document.place_name}, " if document.place_name else ""
    return f"{place}ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def _font(run, *, bold: bool = False, italic: bool = False, underline: bool = False) -> None:
    run.font.name = FONT
    run.font.size = SIZE
    run.bold = bold
    run.italic = italic
    run.underline = underline
    # East-Asian and complex-script slots too, so Word and LibreOffice keep Times New Roman for
    # Vietnamese letters.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _line(cell_or_doc, text: str, *, first: bool = False, **style) -> None:
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(text), **style)


def document_docx(document: Document) -> bytes:
    """The .docx of ``document``'s first page."""
    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE

    table = word.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    first = True
    if document.superior_name:
        _line(left, document.superior_name.upper(), first=True)
        first = False
    _line(left, (document.issuer_name or document.issuer_code).upper(), first=first, bold=True)
    _line(left, "*")
    _line(left, f"Số {document.number}")
    _line(right, PARTY, first=True, bold=True, underline=True)
    _line(right, "")
    _line(right, date_line(document), italic=True)

    word.add_paragraph()
    _line(word, document.get_type_display().upper(), bold=True)
    _line(word, document.title, bold=True)
    _line(word, "-----")
    if document.summary:
        for text in document.summary.split("\n"):
            paragraph = word.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Mm(10)
            _font(paragraph.add_run(text))
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def docx_name(document: Document) -> str:
    """A file name for the export: ``11-ctr-hu.docx`` (letters folded, no slash)."""
    from grassroots.core.text import fold

    return fold(document.number).replace("/", "-") + ".docx"
