"""An official form as an .xlsx workbook, a Word document and a PDF, in the paper layout of
:mod:`grassroots.reports.layout` (A4 landscape, ready to print and sign)."""

from __future__ import annotations

from io import BytesIO

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from grassroots.core import word
from grassroots.reports.layout import Sheet

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_ROW = 7  # the row of the column headings; the table's rows follow


def workbook(sheet: Sheet) -> bytes:
    """The form on one worksheet: merged heading cells, bordered table, A4 landscape, the
    column headings repeated on every printed page, the signature block at the end."""
    book = Workbook()
    ws = book.active
    ws.title = sheet.code
    bold = Font(bold=True)
    ws.merge_cells("A1:C1")
    ws["A1"] = sheet.committee.upper()
    ws["A1"].font = bold
    ws["A1"].alignment = CENTER
    ws.merge_cells("A2:C2")
    ws["A2"] = "BAN TỔ CHỨC"
    ws["A2"].font = bold
    ws["A2"].alignment = CENTER
    ws.merge_cells("D1:F1")
    ws["D1"] = f"Biểu số {sheet.code}"
    ws["D1"].font = bold
    ws["D1"].alignment = CENTER
    ws.merge_cells("A4:F4")
    ws["A4"] = sheet.title
    ws["A4"].font = Font(bold=True, size=14)
    ws["A4"].alignment = CENTER
    ws.merge_cells("A5:F5")
    ws["A5"] = sheet.period_text
    ws["A5"].alignment = CENTER
    headers = ["STT", "Tiêu chí", "Kỳ này", "Cùng kỳ năm trước", "%"]
    ws.merge_cells(start_row=HEADER_ROW, start_column=2, end_row=HEADER_ROW, end_column=3)
    for column, text in zip((1, 2, 4, 5, 6), headers, strict=True):
        cell = ws.cell(row=HEADER_ROW, column=column, value=text)
        cell.font = bold
        cell.alignment = CENTER
    for column in range(1, 7):
        ws.cell(row=HEADER_ROW, column=column).border = BOX
    row = HEADER_ROW
    for line in sheet.lines:
        row += 1
        ws.cell(row=row, column=1, value=line.number).alignment = CENTER
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        label = ws.cell(row=row, column=2, value=line.label)
        label.alignment = Alignment(indent=2 * line.level, wrap_text=True)
        if line.level == 0:
            label.font = bold
        ws.cell(row=row, column=4, value=line.this)
        ws.cell(row=row, column=5, value=line.before)
        ws.cell(row=row, column=6, value=line.percent)
        for column in (4, 5, 6):
            ws.cell(row=row, column=column).number_format = (
                "#,##0.0" if column == 6 or line.decimals else "#,##0"
            )
        for column in range(1, 7):
            ws.cell(row=row, column=column).border = BOX
    row += 2
    ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=6)
    ws.cell(row=row, column=4, value="…, ngày … tháng … năm …").alignment = CENTER
    row += 1
    for first, last, text in ((1, 3, "NGƯỜI LẬP BIỂU"), (4, 6, "TRƯỞNG BAN")):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = ws.cell(row=row, column=first, value=text)
        cell.font = bold
        cell.alignment = CENTER
    row += 1
    for first, last, text in (
        (1, 3, "(Ký, ghi rõ họ tên, số điện thoại)"),
        (4, 6, "(Ký tên, đóng dấu)"),
    ):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        ws.cell(row=row, column=first, value=text).alignment = CENTER
    for column, width in zip(range(1, 7), (6, 40, 20, 14, 18, 10), strict=True):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADINGS = ("STT", "Tiêu chí", "Kỳ này", "Cùng kỳ năm trước", "%")
SIGNATURES = (
    ("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên, số điện thoại)"),
    ("TRƯỞNG BAN", "(Ký tên, đóng dấu)"),
)


def docx(sheet: Sheet, narrative: str = "") -> bytes:
    """The form as a Word document (A4 landscape, Times New Roman): the heading as two
    columns, the title and period, the bordered table, the summary paragraph and the
    signature block — for an office to finish, sign and stamp."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = word.new_document(landscape=True, margins_mm=(15, 15, 20, 15), size=Pt(12))
    heading = document.add_table(rows=1, cols=2)
    left, right = heading.rows[0].cells
    word.line(left, sheet.committee.upper(), first=True, bold=True)
    word.line(left, "BAN TỔ CHỨC", bold=True)
    word.line(right, f"Biểu số {sheet.code}", first=True, bold=True)
    document.add_paragraph()
    word.line(document, sheet.title, bold=True, size=Pt(14))
    word.line(document, sheet.period_text, italic=True, size=Pt(12))
    document.add_paragraph()
    table = document.add_table(rows=1, cols=len(HEADINGS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADINGS, strict=True):
        word.line(cell, text, first=True, bold=True, size=Pt(12))
    right_aligned = WD_ALIGN_PARAGRAPH.RIGHT
    for line in sheet.lines:
        cells = table.add_row().cells
        word.line(cells[0], line.number, first=True, size=Pt(12))
        label = word.line(
            cells[1], line.label, first=True, align=WD_ALIGN_PARAGRAPH.LEFT,
            bold=line.level == 0, size=Pt(12),
        )  # fmt: skip
        label.paragraph_format.left_indent = Mm(5 * line.level)
        for cell, text in zip(
            cells[2:], (line.this_text, line.before_text, line.percent_text), strict=True
        ):
            word.line(cell, text, first=True, align=right_aligned, size=Pt(12))
    for cell, width in zip(table.columns, (12, 130, 40, 40, 25), strict=True):
        for each in cell.cells:
            each.width = Mm(width)
    if narrative:
        document.add_paragraph()
        paragraph = word.line(document, narrative, align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=Pt(12))
        paragraph.paragraph_format.first_line_indent = Mm(10)
    document.add_paragraph()
    signatures = document.add_table(rows=1, cols=2)
    word.line(signatures.rows[0].cells[1], "…, ngày … tháng … năm …", first=True, italic=True)
    for cell, (title, note) in zip(signatures.add_row().cells, SIGNATURES, strict=True):
        word.line(cell, title, first=True, bold=True, size=Pt(12))
        word.line(cell, note, italic=True, size=Pt(12))
    return word.to_bytes(document)


FONT_FILES = {
    "regular": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}


def pdf(sheet: Sheet, narrative: str = "") -> bytes:
    """The form as a PDF (WeasyPrint), with the DejaVu Sans font embedded (every Vietnamese
    letter) and the print stylesheet of the page."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "reports/form_print.html", {"sheet": sheet, "fonts": FONT_FILES, "narrative": narrative}
    )
    stylesheet = finders.find("reports/form.css")
    styles = [CSS(filename=stylesheet)] if stylesheet else []
    document = HTML(string=html, base_url="/")
    return bytes(document.write_pdf(stylesheets=styles))
