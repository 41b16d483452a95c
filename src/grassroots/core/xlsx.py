"""Lists written as .xlsx workbooks: Vietnamese headers, text cells written as text (a code such
as ``03434`` keeps its zeros, a name beginning with ``=`` is never a formula), dates as dates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from grassroots.core.text import local_time_zone

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _cell(sheet: Any, value: object, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, bool):
        value = "Có" if value else "Không"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, local_time_zone())
        value = value.replace(tzinfo=None)
    if value is None or isinstance(value, int | float | Decimal | date):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY HH:MM" if isinstance(value, datetime) else "DD/MM/YYYY"
    else:
        cell = WriteOnlyCell(sheet)
        # Set the text and its type directly: openpyxl would read "=…" as a formula.
        cell._value = str(value)
        cell.data_type = "s"
        cell.number_format = "@"
    if bold:
        cell.font = Font(bold=True)
    return cell


def sheet_row(sheet: Any, values: Iterable[object], *, bold: bool = False) -> list[WriteOnlyCell]:
    """One line of a write-only sheet: text as text (never a formula), dates as dates."""
    return [_cell(sheet, value, bold=bold) for value in values]


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet: a bold header line, then one line per row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_SHEET_FORBIDDEN.sub(" ", title)[:31] or "Danh sách")
    sheet.append(sheet_row(sheet, headers, bold=True))
    for row in rows:
        sheet.append(sheet_row(sheet, row))
    buffer = BytesIO()
    book.save(buffer)
    return bytes(buffer.getvalue())


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A download of the workbook; never stored by a browser or proxy (scoped data)."""
    response = HttpResponse(workbook_bytes(title, headers, rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
