"""The bulk import in bounded memory: files in any order, all or nothing at any row, a capped
report (importer + staging store)."""

import random
import zipfile

import pytest

from grassroots.interchange.importer import EVENTS, MEMBERS
from grassroots.interchange.reader import read_package
from grassroots.interchange.report import ImportReport
from grassroots.interchange.staging import PROBLEM_LIMIT
from grassroots.members.models import Member, MemberEvent, MembershipSpan
from tests.interchange.history import history, write_package
from tests.interchange.test_importer import row_counts


def snapshot() -> dict:
    """Members, events and spans by code (not by id), comparable across imports."""
    return {
        "members": sorted(
            Member.objects.values_list("code", "full_name", "birth_date", "name_folded", "name_key")
        ),
        "events": sorted(
            MemberEvent.objects.values_list(
                "member__code",
                "date",
                "kind",
                "organization__code",
                "place__code",
                "reason",
                "note",
            )
        ),  # fmt: skip
        "spans": sorted(
            MembershipSpan.objects.values_list(
                "member__code",
                "organization__code",
                "place__code",
                "status",
                "exempted",
                "valid_from",
                "valid_to",
                "served_since",
            ),
            key=str,
        ),  # fmt: skip
    }


def clear_members() -> None:
    MembershipSpan.objects.all().delete()
    MemberEvent.objects.all().delete()
    Member.objects.all().delete()


@pytest.mark.django_db
def test_events_in_any_order_import_as_sorted_ones(tmp_path, run_import):
    tables = history(communes=2, members=120)
    sorted_report = run_import(write_package(tmp_path / "sorted", tables))
    assert sorted_report.ok, sorted_report.as_text()
    expected = snapshot()
    clear_members()

    # Members and events shuffled: a member's events are neither together nor in date order;
    # same-day events of a member keep their file order (it decides between them).
    rng = random.Random(3)
    members = list(tables[MEMBERS])
    rng.shuffle(members)
    keys: dict[tuple, float] = {}
    events = sorted(
        tables[EVENTS], key=lambda row: keys.setdefault((row[0], str(row[1])), rng.random())
    )
    shuffled = {**tables, MEMBERS: members, EVENTS: events}
    assert shuffled[EVENTS] != tables[EVENTS]

    report = run_import(write_package(tmp_path / "shuffled", shuffled))
    assert report.ok, report.as_text()
    assert report.created["members"] == sorted_report.created["members"]
    assert report.created["member_events"] == sorted_report.created["member_events"]
    assert snapshot() == expected

    # And again: nothing new, in any order.
    again = run_import(write_package(tmp_path / "shuffled", shuffled))
    assert again.ok and not again.changed
    assert snapshot() == expected


@pytest.mark.django_db
def test_an_error_in_the_last_row_of_a_large_file_changes_nothing(tmp_path, run_import):
    tables = history(communes=2, members=300)
    tables[EVENTS].append(list(tables[EVENTS][0]))  # a second identical admission: refused
    before = row_counts()
    report = run_import(write_package(tmp_path / "goi", tables))
    last_line = len(tables[EVENTS]) + 1
    assert [(p.file, p.line, p.column) for p in report.errors] == [(EVENTS, last_line, "event")]
    assert "đang là đảng viên" in report.errors[0].message
    assert row_counts() == before

    tables[EVENTS][-1] = ["?", "2020-01-01", "admitted", "", "", "", ""]
    report = run_import(write_package(tmp_path / "goi2", tables))
    assert [(p.line, p.column) for p in report.errors][0] == (last_line, "member_id")
    assert row_counts() == before


@pytest.mark.django_db
def test_the_report_lists_the_first_errors_and_counts_the_others(tmp_path, run_import):
    tables = history(communes=1, members=5)
    bad = PROBLEM_LIMIT + 250
    tables[EVENTS] = [["N404", "2020-01-01", "admitted", "", "", "", ""]] * bad + tables[EVENTS]
    before = row_counts()
    report = run_import(write_package(tmp_path / "goi", tables))
    assert row_counts() == before
    listed, summary = report.errors[:-1], report.errors[-1]
    assert len(listed) == PROBLEM_LIMIT
    # The first ones, in file and line order.
    assert [p.line for p in listed[:3]] == [2, 3, 4]
    assert listed == sorted(listed, key=lambda p: p.line)
    assert "1.000 lỗi đầu tiên" in summary.message
    assert "tổng số 1.250 lỗi" in summary.message
    text = report.as_text()
    assert "còn" in text and "không được liệt kê" in text
    assert "Không nhập: 1.250 lỗi." in text  # the total, not the lines listed
    assert ImportReport.from_json(report.as_json()).error_total == bad


@pytest.mark.django_db
def test_a_zip_upload_is_read_after_its_handle_is_closed(tmp_path, run_import):
    folder = write_package(tmp_path / "goi", history(communes=1, members=8))
    archive = tmp_path / "goi.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.iterdir():
            zipped.write(path, f"goi/{path.name}")
    with open(archive, "rb") as handle:
        package = read_package(handle, name="goi.zip")
    from grassroots.interchange.importer import import_package

    report = import_package(package)
    assert report.ok, report.as_text()
    assert report.created["members"] == 8


@pytest.mark.django_db
@pytest.mark.parametrize("whole", [True, False])
def test_the_closure_written_in_bulk_is_the_services_closure(
    tmp_path, run_import, monkeypatch, whole
):
    from grassroots.core import hierarchy
    from grassroots.core.hierarchy import rebuild_closure
    from grassroots.organizations import services as organization_services
    from grassroots.organizations.models import OrganizationClosure
    from grassroots.places import services as place_services
    from grassroots.places.models import PlaceClosure

    monkeypatch.setattr(hierarchy, "WHOLE", 0 if whole else 10**9)
    assert run_import(write_package(tmp_path / "goi", history(communes=3, members=5))).ok

    def rows(model):
        fields = ("ancestor_id", "descendant_id", "depth", "valid_from", "valid_to")
        return sorted(model.objects.values_list(*fields), key=str)

    imported = rows(PlaceClosure), rows(OrganizationClosure)
    rebuild_closure(place_services.HIERARCHY)
    rebuild_closure(organization_services.HIERARCHY)
    assert (rows(PlaceClosure), rows(OrganizationClosure)) == imported


@pytest.mark.django_db
def test_blank_lines_before_the_header_and_between_rows(tmp_path, run_import):
    folder = write_package(tmp_path / "goi", history(communes=1, members=3))
    for name in (MEMBERS, EVENTS):
        path = folder / name
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n\n" + lines[0] + "\n\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")
    report = run_import(folder)
    assert report.ok, report.as_text()
    assert report.created["members"] == 3
    bad = folder / EVENTS
    bad.write_text(bad.read_text(encoding="utf-8") + "N9,2020-01-01,admitted,,,,\n", "utf-8")
    report = run_import(folder)
    last = len(bad.read_text(encoding="utf-8").splitlines())
    assert [(p.file, p.line) for p in report.errors] == [(EVENTS, last)]


@pytest.mark.django_db
def test_a_large_import_refreshes_the_planner_statistics(tmp_path, run_import, monkeypatch):
    from django.db import connection

    from grassroots.interchange import importer

    def analysed_rows() -> int:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT reltuples FROM pg_class WHERE relname = 'members_membershipspan'"
                )
            else:
                cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                if cursor.fetchone()[0]:
                    cursor.execute(
                        "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'members_membershipspan'"
                    )
                else:
                    return 0
            return int(cursor.fetchone()[0])

    from grassroots.members.models import MembershipSpan

    if connection.vendor == "sqlite":
        assert analysed_rows() <= 0  # a new table: never analysed
    # (On PostgreSQL an earlier test's ANALYZE stays in pg_class after its rollback.)
    monkeypatch.setattr(importer, "ANALYZE_ROWS", 10)  # any import above 10 rows is "large"
    report = run_import(write_package(tmp_path / "large", history(communes=2, members=60)))
    assert report.ok, report.as_text()
    if connection.vendor == "postgresql":
        # ANALYZE reads every row of a small table: the planner's estimate is the count.
        assert analysed_rows() == MembershipSpan.objects.count() > 0
    else:
        assert analysed_rows() > 0
