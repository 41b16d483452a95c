"""Reading an interchange package: a folder, a .zip of one, or an .xlsx workbook, into tables of
rows that remember their line numbers.

CSV bytes go through :func:`legacy.sniff_encoding` and :func:`legacy.decode_lines` (a file in
TCVN3, VNI or Windows-1258 becomes Unicode, a chunk at a time); cells of UTF-8 files and of workbooks go through
:func:`legacy.convert_columns` (legacy text typed into a Unicode file). Every conversion is
recorded per column so the report can say what was changed.

UTF-8 CSV files (the usual case, and the only one at national scale) are **streamed**: reading
the package keeps only each file's header, and :meth:`Table.records` reads the rows from the
file each time it is iterated, so a package of millions of rows is never held in memory. The
legacy-encoding vote of such a file is taken over the distinct non-ASCII values of each column
met while streaming (at most :data:`DETECT_VALUES` per column), and is known once the rows have
been read (:meth:`Table.finish`). Files in a legacy 8-bit encoding are streamed too, decoded a
chunk at a time (:func:`legacy.decode_lines`, after a first pass that decides the encoding);
workbooks' sheets are read into memory, at most ``IMPORT_MAX_SHEET_ROWS`` rows each. Every limit
of :mod:`~grassroots.interchange.limits` is checked before the rows are read.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from grassroots import policy
from grassroots.core import legacy, registry
from grassroots.core.tables import cell_text, clean, header_names, tidy, unescape_formula
from grassroots.core.text import nfc
from grassroots.interchange.limits import (
    PackageError,
    check_archive,
    number_text,
    open_member,
    rows_message,
)

__all__ = ["PackageError", "Package", "Table", "read_package"]

#: The files of the format, in the order they are imported.
FILE_NAMES = (
    "places.csv",
    "place_lineage.csv",
    "organizations.csv",
    "members.csv",
    "member_events.csv",
    # the apps' optional files, declared in the app registry (``ModuleConfig.interchange``):
    # party development and ratings (admissions), meetings, attendance and fees (cells)…
    *(name for part in registry.interchange_parts() for name in part.COLUMNS),
)

ENCODING_LABELS = {
    legacy.TCVN3: "TCVN3",
    legacy.VNI: "VNI",
    "cp1258": "Windows-1258",
    "cp1252": "Windows-1252",
}

#: Distinct non-ASCII values per column that vote on its legacy encoding when streaming.
DETECT_VALUES = 20_000
_CHUNK = 1 << 20

csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class Conversion:
    """A column whose text was converted from a legacy encoding."""

    file: str
    column: str
    encoding: str

    def __str__(self) -> str:
        label = ENCODING_LABELS.get(self.encoding, self.encoding)
        return f"cột {self.column} ({self.file}): đã chuyển từ {label} sang Unicode"


class Table:
    """One file of the package: its header and its rows as ``(line, cells)``.

    ``line`` is the CSV line number with the header as line 1 (the row number in a sheet);
    ``cells`` has one text per column of the header. Texts are clean: Unicode NFC, trimmed,
    inner whitespace collapsed. A table read into memory keeps its rows (``_rows``); a streamed
    one reads them from ``_open`` each time :meth:`records` is iterated."""

    def __init__(
        self, name: str, columns: list[str], rows=None, overflow=None, opener=None, encoding=None
    ):
        self.name = name
        # A legacy 8-bit file's encoding (decoded while streamed); None for UTF-8.
        self.encoding: str | None = encoding
        self.columns = columns
        self._rows: list[tuple[int, list[str]]] | None = rows if opener is None else None
        self._open: Callable[[], BinaryIO] | None = opener
        self.overflow: list[int] = overflow if overflow is not None else []
        self.conversions: list[Conversion] = []
        self.converted: dict[int, str] = {}  # streamed: column index → encoding, once finished
        self.count = len(rows) if rows is not None and opener is None else 0
        self.estimate = self.count
        self.has_rows = bool(self.count)
        self._distinct: dict[int, dict[str, None]] = defaultdict(dict)
        self._finished = opener is None

    @property
    def streamed(self) -> bool:
        return self._open is not None

    @property
    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """Every row as ``(line, {column: text})`` with conversions applied (read into memory:
        for the small files)."""
        records = list(self.records())
        self.finish()
        return [
            (line, dict(zip(self.columns, self.fixed(cells), strict=False)))
            for line, cells in records
        ]

    def fixed(self, cells: list[str]) -> list[str]:
        """``cells`` with the legacy conversions of a streamed table applied."""
        if not self.converted:
            return cells
        cells = list(cells)
        for index, encoding in self.converted.items():
            cells[index] = _convert(cells[index], encoding)
        return cells

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """``(line, cells)`` of the non-blank rows, in file order."""
        if self._open is None:
            yield from self._rows or []
            return
        collect = not self._finished
        if collect:
            self.count, self.overflow = 0, []
        width = len(self.columns)
        distinct = self._distinct
        with self._open() as binary:
            if self.encoding is None:
                text: Iterator[str] = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
            else:
                text = legacy.decode_lines(binary, self.encoding)
            reader = csv.reader(text)
            line, header = 1, True
            for record in map(unescape_formula, reader):
                number, line = line, reader.line_num + 1  # a quoted cell may span lines
                if header:  # the first non-blank record
                    header = not "".join(record).strip()
                    continue
                joined = ",".join(record)
                if (
                    joined.isascii()
                    and joined.isprintable()
                    and len(record) == width
                    and joined.strip(",")
                    and " ," not in joined
                    and ", " not in joined
                    and "  " not in joined
                    and joined[:1] != " "
                    and joined[-1:] != " "
                ):  # fast path: every cell is already clean
                    if collect:
                        self.count += 1
                    yield number, record
                    continue
                if not "".join(record).strip():
                    continue
                cells = []
                for i in range(width):
                    cell = record[i] if i < len(record) else ""
                    if cell.isascii():
                        if cell and (
                            cell[0] == " " or cell[-1] == " " or "  " in cell
                            or not cell.isprintable()
                        ):  # fmt: skip
                            cell = " ".join(cell.split())
                    else:
                        cell = nfc(cell)
                        if collect:
                            values = distinct[i]
                            if len(values) < DETECT_VALUES:
                                values[cell] = None
                    cells.append(cell)
                if collect:
                    self.count += 1
                    if len(record) > width and "".join(record[width:]).strip():
                        self.overflow.append(number)
                yield number, cells
        if collect:
            self._finish()

    def finish(self) -> None:
        """Decide the legacy conversions of a streamed table (after one full iteration)."""
        if not self._finished:
            for _ in self.records():
                pass

    def _finish(self) -> None:
        self._finished = True
        if self.encoding is not None:
            # The whole file was converted: its columns with text that is not ASCII are listed.
            self.conversions.extend(
                Conversion(self.name, self.columns[i], self.encoding)
                for i in sorted(self._distinct)
            )
            self._distinct = defaultdict(dict)
            return
        samples = [
            {self.columns[i]: value} for i, values in self._distinct.items() for value in values
        ]
        self._distinct = defaultdict(dict)
        _, converted = legacy.convert_columns(samples)
        index = {column: i for i, column in enumerate(self.columns)}
        for column, encoding in converted.items():
            self.converted[index[column]] = encoding
            self.conversions.append(Conversion(self.name, column, encoding))


def _convert(value: str, encoding: str) -> str:
    # What convert_columns does to one cell of a converted column, then the cleaning.
    if value.isascii() or not legacy._could_be_legacy(value):
        return value
    return clean(legacy.to_unicode(value, encoding))


class Package:
    def __init__(self, tables=None, conversions=None, ignored=None):
        self.tables: dict[str, Table] = tables if tables is not None else {}
        self._conversions: list[Conversion] = conversions if conversions is not None else []
        self.ignored: list[str] = ignored if ignored is not None else []  # not the format's
        self._keep: list = []  # open archives and temporary files the tables read from

    @property
    def conversions(self) -> list[Conversion]:
        """The conversions of the tables read so far (a streamed table's once it was read)."""
        result = list(self._conversions)
        for table in self.tables.values():
            result.extend(table.conversions)
        return result

    def rows(self, name: str) -> list[tuple[int, dict[str, str]]]:
        table = self.tables.get(name)
        return table.rows if table else []

    @property
    def row_count(self) -> int:
        """Rows of the tables (of a streamed table: as read so far, else estimated)."""
        return sum(
            max(t.count, t.estimate) if not t._finished else t.count for t in self.tables.values()
        )


def read_package(source: str | Path | BinaryIO, name: str | None = None) -> Package:
    """Read a package from a path (folder, .zip, .xlsx) or an open binary file; ``name`` gives
    the file name (hence the kind) of an open file."""
    name = name or str(getattr(source, "name", source))
    if isinstance(source, str | Path) and Path(source).is_dir():
        package = Package()
        for path in sorted(Path(source).iterdir()):
            if path.is_file():
                _add_file(package, path.name, _opener(path))
        return package
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
    package = Package()
    if not isinstance(source, str | Path):
        # An upload's handle is closed once the package is read: keep a copy to stream from.
        copy = tempfile.TemporaryFile()  # noqa: SIM115
        shutil.copyfileobj(source, copy)
        copy.seek(0)
        source = copy
        package._keep.append(copy)
    archive = zipfile.ZipFile(source)
    package._keep.append(archive)
    check_archive(archive, _display_name(source))
    seen = set()
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        if path.name in seen:
            raise PackageError(f"Tệp {path.name} có nhiều hơn một lần trong tệp .zip.")
        seen.add(path.name)
        _add_file(package, path.name, functools.partial(open_member, archive, info))
    return package


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    def open_file() -> IO[bytes]:
        return path.open("rb")

    return open_file


def _add_file(package: Package, file_name: str, opener: Callable[[], IO[bytes]]) -> None:
    if file_name not in FILE_NAMES:
        package.ignored.append(file_name)
        return
    utf8, lines = _scan(opener, file_name)
    encoding = None
    if not utf8:
        # A legacy 8-bit file: the encoding is decided on a sample, then it is streamed too.
        with opener() as handle:
            encoding = legacy.sniff_encoding(legacy.read_chunks(handle))
    with opener() as binary:
        text: Iterator[str] = (
            io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
            if encoding is None
            else legacy.decode_lines(binary, encoding)
        )
        reader = csv.reader(text)
        head = []
        for record in reader:
            if "".join(record).strip():
                head.append(record)
                if len(head) == 2:
                    break
    if not head:
        package.tables[file_name] = Table(file_name, [])
        return
    table = Table(file_name, header_names(head[0]), opener=opener, encoding=encoding)
    table.has_rows = len(head) > 1
    table.estimate = max(0, lines - 1)
    package.tables[file_name] = table


def _scan(opener, file_name: str) -> tuple[bool, int]:
    """Whether the file is UTF-8 (with or without a byte order mark), and its line count;
    refused as soon as it has more lines than ``IMPORT_MAX_ROWS`` rows and a header."""
    limit = policy.get("IMPORT_MAX_ROWS")
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, lines = True, 0
    with opener() as handle:
        while chunk := handle.read(_CHUNK):
            lines += chunk.count(b"\n")
            if lines > limit + 1:
                raise PackageError(rows_message(file_name, limit))
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return utf8, lines


def _display_name(source) -> str:
    return Path(str(getattr(source, "name", source) or "")).name or "gói dữ liệu"


def _read_xlsx(source) -> Package:
    from openpyxl import load_workbook

    package = Package()
    # A workbook is a .zip of XML parts: its declared sizes are checked before openpyxl reads it.
    with zipfile.ZipFile(source) as archive:
        check_archive(archive, _display_name(source))
    if not isinstance(source, str | Path):
        source.seek(0)
    limit = policy.get("IMPORT_MAX_SHEET_ROWS")
    workbook = load_workbook(source, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            file_name = f"{sheet.title.strip()}.csv"
            if file_name not in FILE_NAMES:
                package.ignored.append(sheet.title)
                continue
            if (sheet.max_row or 0) > limit + 1:  # the sheet's declared dimension
                raise PackageError(_sheet_message(sheet.title, limit))
            records = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > limit + 1:  # a dimension that lied
                    raise PackageError(_sheet_message(sheet.title, limit))
                records.append((number, [cell_text(value) for value in values]))
            table = _table(file_name, records)
            _convert_cells(table)
            package.tables[file_name] = table
    finally:
        workbook.close()
    return package


def _sheet_message(title: str, limit: int) -> str:
    return (
        f"Trang {title} có hơn {number_text(limit)} dòng, vượt giới hạn của một trang .xlsx. "
        "Hãy nhập gói dữ liệu dạng .zip chứa các tệp CSV."
    )


def _table(file_name: str, records: list[tuple[int, list[str]]]) -> Table:
    """The header (names lower-cased) and the non-blank rows, with clean cells (in memory)."""
    columns, rows, overflow = tidy(records)
    return Table(file_name, columns, rows, overflow)


def _convert_cells(table: Table) -> None:
    """Convert the columns :func:`legacy.convert_columns` finds in a legacy encoding (a table in
    memory).

    Columns repeat the same values (an ethnicity, a note) thousands of times, and detection
    costs far more than a lookup, so each distinct non-ASCII value of a column (ASCII text reads
    the same in every encoding) is detected, and votes, once; the conversions are then applied
    to every row."""
    distinct: dict[int, dict[str, None]] = defaultdict(dict)  # an ordered set per column
    for _, cells in table.records():
        for i, value in enumerate(cells):
            if not value.isascii():
                distinct[i][value] = None
    samples = [{table.columns[i]: value} for i, values in distinct.items() for value in values]
    converted_samples, converted = legacy.convert_columns(samples)
    index = {column: i for i, column in enumerate(table.columns)}
    for column, encoding in converted.items():
        mapping = {
            value: new[column]
            for sample, new in zip(samples, converted_samples, strict=True)
            for key, value in sample.items()
            if key == column
        }
        i = index[column]
        for _, cells in table.records():
            cells[i] = clean(mapping.get(cells[i], cells[i]))
        table.conversions.append(Conversion(table.name, column, encoding))
