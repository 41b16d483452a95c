"""One table of text from an upload: the cleaning every reader of spreadsheets shares.

The interchange reader (a whole package, streamed) and single-table uploads (ratings, and any
module that takes one sheet) clean cells the same way: Unicode NFC, trimmed, inner whitespace
collapsed; header names lower-cased; blank rows dropped; line numbers as in the file (the header
is line 1). CSV of any encoding the project reads (UTF-8, cp1258, TCVN3, VNI) is decoded by
:mod:`grassroots.core.legacy`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from grassroots.core import legacy
from grassroots.core.text import nfc


def clean(cell: str) -> str:
    """Trimmed, inner whitespace collapsed, Unicode NFC (ASCII cells, most of a file, skip the
    normalisation)."""
    return " ".join(cell.split()) if cell.isascii() else nfc(cell)


#: What a spreadsheet reads as the start of a formula in a CSV cell (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(cell: str) -> str:
    """A CSV cell a spreadsheet opens as text: one starting like a formula (``=HYPERLINK(…)``,
    ``-5``, ``@cmd``) gets a leading apostrophe, and so does one that already starts with an
    apostrophe, so :func:`unescape_formula` gives every cell back unchanged."""
    if cell[:1] in FORMULA_START or cell[:1] == "'":
        return "'" + cell
    return cell


def unescape_formula(record: list[str]) -> list[str]:
    """The cells of a CSV record as they were before :func:`escape_formula` (the importer reads
    the export back unchanged): a leading apostrophe before ``= + - @ '`` or tab is dropped."""
    if "\x1f'" not in "\x1f" + "\x1f".join(record):  # fast: no cell starts with one
        return record
    return [
        cell[1:] if cell[:1] == "'" and (cell[1:2] in FORMULA_START or cell[1:2] == "'") else cell
        for cell in record
    ]


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates as YYYY-MM-DD, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header_names(cells: list[str]) -> list[str]:
    """Column names: clean, lower-cased, no byte-order mark, no trailing empty cells."""
    columns = [clean(c).lower().lstrip("\ufeff") for c in cells]
    while columns and not columns[-1]:  # trailing empty header cells (spreadsheets)
        columns.pop()
    return columns


def tidy(
    records: list[tuple[int, list[str]]],
) -> tuple[list[str], list[tuple[int, list[str]]], list[int]]:
    """The header and the non-blank rows of ``(line, cells)`` records, cells cleaned and cut to
    the header's width; the lines that had text past the header (``overflow``)."""
    records = [(line, cells) for line, cells in records if "".join(cells).strip()]
    if not records:
        return [], [], []
    (_, header), body = records[0], records[1:]
    columns = header_names(header)
    width = len(columns)
    rows, overflow = [], []
    for line, cells in body:
        rows.append((line, [clean(cells[i]) if i < len(cells) else "" for i in range(width)]))
        if len(cells) > width and "".join(cells[width:]).strip():
            overflow.append(line)
    return columns, rows, overflow


@dataclass(frozen=True)
class UploadTable:
    """One uploaded table: its column names and its rows as ``(line, {column: text})``."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_upload_table(upload: Any, name: str) -> UploadTable:
    """The rows of a ``.csv`` (any encoding :mod:`~grassroots.core.legacy` decodes) or of the
    first sheet of an ``.xlsx``, cleaned (line numbers as in the file)."""
    if name.lower().endswith(".csv"):
        # Decoded a chunk at a time (a first pass decides the encoding), never whole.
        encoding = legacy.sniff_encoding(legacy.read_chunks(upload))
        upload.seek(0)
        reader = csv.reader(legacy.decode_lines(upload, encoding))
        records, line = [], 1
        for record in map(unescape_formula, reader):
            records.append((line, record))
            line = reader.line_num + 1
    else:
        from openpyxl import load_workbook

        workbook = load_workbook(upload, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            records = [
                (number, [cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            workbook.close()
    columns, rows, _ = tidy(records)
    return UploadTable(
        name, columns, [(line, dict(zip(columns, cells, strict=True))) for line, cells in rows]
    )
