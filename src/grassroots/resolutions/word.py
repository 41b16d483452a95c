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

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from grassroots.core.word import line, new_document, styled, to_bytes
from grassroots.resolutions.models import Document

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


def dateline(document: Document) -> str:
    """``Nậm Nhùn, ngày 05 tháng 03 năm 2021``."""
    day = document.issued_on
    place = f"{document.place_name}, " if document.place_name else ""
    return f"{place}ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def document_docx(document: Document) -> bytes:
    """The .docx of ``document``'s first page."""
    word = new_document()
    table = word.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    first = True
    if document.superior_name:
        line(left, document.superior_name.upper(), first=True)
        first = False
    line(left, (document.issuer_name or document.issuer_code).upper(), first=first, bold=True)
    line(left, "*")
    line(left, f"Số {document.number}")
    line(right, PARTY, first=True, bold=True, underline=True)
    line(right, "")
    line(right, dateline(document), italic=True)

    word.add_paragraph()
    line(word, document.get_type_display().upper(), bold=True)
    line(word, document.title, bold=True)
    line(word, "-----")
    if document.summary:
        for text in document.summary.split("\n"):
            paragraph = word.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Mm(10)
            styled(paragraph.add_run(text))
    return to_bytes(word)


def docx_name(document: Document) -> str:
    """A file name for the export: ``11-ctr-hu.docx`` (letters folded, no slash)."""
    from grassroots.core.text import fold

    return fold(document.number).replace("/", "-") + ".docx"
