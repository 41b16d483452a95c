"""Reading an interchange package: a folder, a .zip of one, or an .xlsx workbook, into tables of
rows that remember their line numbers.

CSV bytes go through :func:`legacy.decode_bytes` (a whole file in TCVN3, VNI or Windows-1258
becomes Unicode); cells of UTF-8 files and of workbooks go through
:func:`legacy.convert_columns` (legacy text typed into a Unicode file). Every conversion is
recorded per column so the report can say what was changed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from grassroots.core.text import nfc
from grassroots.interchange import legacy

#: The files of the format, in the order they are imported.
FILE_NAMES = (
    "places.csv",
    "place_lineage.csv",
    "organizations.csv",
    "members.csv",
    "member_events.csv",
    # optional (grassroots.admissions.interchange): party development and ratings
    "candidates.csv",
    "candidate_steps.csv",
    "targets.csv",
    "ratings.csv",
)

ENCODING_LABELS = {
    legacy.TCVN3: "TCVN3",
    legacy.VNI: "VNI",
    "cp1258": "Windows-1258",
    "cp1252": "Windows-1252",
}


class PackageError(ValueError):
    """The package cannot be read at all (not a folder, .zip or .xlsx; a damaged file)."""


@dataclass(frozen=True)
class Conversion:
    """A column whose text was converted from a legacy encoding."""

    file: str
    column: str
    encoding: str

    def __str__(self) -> str:
        label = ENCODING_LABELS.get(self.encoding, self.encoding)
        return f"cột {self.column} ({self.file}): đã chuyển từ {label} sang Unicode"


@dataclass
class Table:
    """One file of the package: its header and its rows as ``(line, {column: text})``.

    ``line`` is the CSV line number with the header as line 1 (the row number in a sheet).
    Texts are clean: Unicode NFC, trimmed, inner whitespace collapsed."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    overflow: list[int] = field(default_factory=list)  # lines with more cells than the header


@dataclass
class Package:
    tables: dict[str, Table] = field(default_factory=dict)
    conversions: list[Conversion] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files or sheets that are not the format's

    def rows(self, name: str) -> list[tuple[int, dict[str, str]]]:
        table = self.tables.get(name)
        return table.rows if table else []

    @property
    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())


def read_package(source: str | Path | BinaryIO, name: str | None = None) -> Package:
    """Read a package from a path (folder, .zip, .xlsx) or an open binary file; ``name`` gives
    the file name (hence the kind) of an open file."""
    name = name or str(getattr(source, "name", source))
    if isinstance(source, str | Path) and Path(source).is_dir():
        return _read_files(
            {p.name: p.read_bytes() for p in sorted(Path(source).iterdir()) if p.is_file()}
        )
    suffix = name.lower().rsplit(".", 1)[-1]
    try:
        if suffix == "zip":
            return _read_zip(source)
        if suffix == "xlsx":
            return _read_xlsx(source)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise PackageError(f"Không đọc được tệp {Path(name).name}: {exc}") from exc
    raise PackageError(
        "Gói dữ liệu phải là một thư mục, một tệp .zip chứa các tệp CSV, hoặc một tệp .xlsx."
    )


def _read_zip(source) -> Package:
    with zipfile.ZipFile(source) as archive:
        files = {}
        for info in archive.infolist():
            path = PurePosixPath(info.filename)
            if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
                continue
            if path.name in files:
                raise PackageError(f"Tệp {path.name} có nhiều hơn một lần trong tệp .zip.")
            files[path.name] = archive.read(info)
    return _read_files(files)


def _read_files(files: dict[str, bytes]) -> Package:
    package = Package()
    for file_name, data in files.items():
        if file_name not in FILE_NAMES:
            package.ignored.append(file_name)
            continue
        text, encoding = legacy.decode_bytes(data)
        reader = csv.reader(io.StringIO(text, newline=""))
        records: list[tuple[int, list[str]]] = []
        line = 1
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1  # a quoted cell may span lines
        table = _table(file_name, records)
        if encoding.startswith("utf-8"):
            _convert_cells(package, table)
        else:  # decode_bytes converted the whole file: name the columns that hold text
            package.conversions.extend(
                Conversion(file_name, column, encoding)
                for column in table.columns
                if any(not values.get(column, "").isascii() for _, values in table.rows)
            )
        package.tables[file_name] = table
    return package


def _read_xlsx(source) -> Package:
    from openpyxl import load_workbook

    package = Package()
    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            file_name = f"{sheet.title.strip()}.csv"
            if file_name not in FILE_NAMES:
                package.ignored.append(sheet.title)
                continue
            records = [
                (number, [_cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            table = _table(file_name, records)
            _convert_cells(package, table)
            package.tables[file_name] = table
    finally:
        workbook.close()
    return package


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(file_name: str, records: list[tuple[int, list[str]]]) -> Table:
    """The header (names lower-cased) and the non-blank rows, with clean cells."""
    records = [(line, cells) for line, cells in records if "".join(cells).strip()]
    if not records:
        return Table(file_name, [])
    (_, header), body = records[0], records[1:]
    columns = [_clean(c).lower().lstrip("\ufeff") for c in header]
    while columns and not columns[-1]:  # trailing empty header cells (spreadsheets)
        columns.pop()
    table = Table(file_name, columns)
    width = len(columns)
    for line, cells in body:
        table.rows.append(
            (
                line,
                {
                    column: _clean(cells[i]) if i < len(cells) else ""
                    for i, column in enumerate(columns)
                },
            )
        )
        if len(cells) > width and "".join(cells[width:]).strip():
            table.overflow.append(line)
    return table


def _clean(cell: str) -> str:
    """Trimmed, inner whitespace collapsed, Unicode NFC (what :func:`nfc` does; ASCII cells,
    most of a package, skip the normalisation)."""
    return " ".join(cell.split()) if cell.isascii() else nfc(cell)


def _convert_cells(package: Package, table: Table) -> None:
    """Convert the columns :func:`legacy.convert_columns` finds in a legacy encoding.

    Columns repeat the same values (an ethnicity, a note) thousands of times, and detection
    costs far more than a lookup, so each distinct non-ASCII value of a column (ASCII text reads
    the same in every encoding) is detected, and votes, once; the conversions are then applied
    to every row."""
    distinct: dict[str, dict[str, None]] = defaultdict(dict)  # an ordered set per column
    for _, values in table.rows:
        for column, value in values.items():
            if not value.isascii():
                distinct[column][value] = None
    samples = [{column: value} for column, values in distinct.items() for value in values]
    converted_samples, converted = legacy.convert_columns(samples)
    for column, encoding in converted.items():
        mapping = {
            value: new[column]
            for sample, new in zip(samples, converted_samples, strict=True)
            for key, value in sample.items()
            if key == column
        }
        for _, values in table.rows:
            values[column] = _clean(mapping.get(values[column], values[column]))
        package.conversions.append(Conversion(table.name, column, encoding))
