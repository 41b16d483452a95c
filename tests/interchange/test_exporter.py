import csv
from datetime import date

import pytest
from django.core.management import call_command

from grassroots.interchange.exporter import export_organization
from grassroots.members.models import EventKind, Member, MemberEvent, MembershipSpan
from grassroots.members.services import member_event_cancel, member_event_correct
from grassroots.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationLineage,
    OrganizationVersion,
)
from grassroots.places.models import Place, PlaceClosure, PlaceLineage, PlaceVersion
from tests.interchange import figures
from tests.interchange.history import history, write_package

try:
    from grassroots.statistics import figures as statistics_figures
except ImportError:  # the statistics app is optional for this test
    statistics_figures = None

DAYS = [
    date(2013, 6, 30),
    date(2015, 1, 1),
    date(2018, 6, 30),
    date(2020, 1, 1),
    date(2023, 11, 23),
    date(2025, 6, 30),
    date(2025, 7, 1),
    date(2026, 6, 1),
]
ORGANIZATIONS = ["DB-112", "DU-C1", "DU-C2", "CB-V1-1"]


def all_figures(codes):
    """The figures by direct queries, and by the statistics app when it is there."""
    start, end = date(2013, 6, 1), date(2026, 6, 30)
    result = {}
    for code in codes:
        result[code, "admissions"] = figures.admissions(code, start, end)
        for day in DAYS:
            result[code, day] = figures.coverage(code, day)
        if statistics_figures is not None:
            result[code, "statistics"] = [
                statistics_figures.admissions(organization=code, start=start, end=end),
                *(statistics_figures.coverage(organization=code, day=day) for day in DAYS),
            ]
    return result


def empty_database():
    MemberEvent.objects.update(supersedes=None)
    for model in (
        MembershipSpan,
        MemberEvent,
        Member,
        OrganizationClosure,
        OrganizationLineage,
        OrganizationVersion,
        Organization,
        PlaceClosure,
        PlaceLineage,
        PlaceVersion,
        Place,
    ):
        model.objects.all().delete()


def _corrections(user):
    """Corrections made through the services: the export writes the corrected history."""
    admitted = MemberEvent.objects.filter(kind=EventKind.ADMITTED).order_by("pk").first()
    member_event_correct(acting_user=user, event=admitted, day=admitted.date.replace(day=1)
                         if admitted.date.day > 1 else admitted.date, note="Sửa ngày")  # fmt: skip
    last_left = (
        MemberEvent.objects.filter(kind=EventKind.LEFT)
        .exclude(member__events__date__gt=date(2100, 1, 1))
        .order_by("pk")
    )
    for event in last_left:
        if not event.member.events.filter(date__gt=event.date).exists():
            member_event_cancel(acting_user=user, event=event, note="Ghi nhầm")
            return event.member.code
    raise AssertionError("the generated history has no member who left last")


@pytest.mark.django_db
def test_export_then_import_into_an_empty_database_reproduces_every_figure(
    tmp_path, run_import, admin_user
):
    assert run_import(write_package(tmp_path / "goi", history(communes=3, members=80))).ok
    cancelled_for = _corrections(admin_user)
    before = all_figures(ORGANIZATIONS)
    assert before[("DB-112", date(2023, 11, 23))]["members"]["official"] > 0

    tables = export_organization(Organization.objects.get(code="DB-112"), tmp_path / "ra.zip")
    exported_events = tables["member_events.csv"][1]
    assert EventKind.CANCELLED not in {row[2] for row in exported_events}
    assert not any(row[0] == cancelled_for and row[2] == "left" for row in exported_events)

    empty_database()
    report = run_import(tmp_path / "ra.zip")
    assert report.ok, report.as_text()
    assert all_figures(ORGANIZATIONS) == before
    # And once more: the exported package is already there.
    assert run_import(tmp_path / "ra.zip").changed == 0


@pytest.mark.django_db
def test_export_of_one_commune_reproduces_its_figures(tmp_path, run_import):
    assert run_import(write_package(tmp_path / "goi", history(communes=3, members=80))).ok
    before = all_figures(["DU-C2"])
    organizations = Organization.objects.count()
    export_organization(Organization.objects.get(code="DU-C2"), tmp_path / "ra.xlsx")
    empty_database()
    assert run_import(tmp_path / "ra.xlsx").ok
    assert all_figures(["DU-C2"]) == before
    # The commune's organisations, the parents they name, and those its members' events name;
    # not all of them.
    assert Organization.objects.filter(code="DB-112").exists()
    assert Organization.objects.count() < organizations


@pytest.mark.django_db
def test_export_command_writes_a_folder(tmp_path, run_import, capsys):
    assert run_import(write_package(tmp_path / "goi", history(communes=1, members=5))).ok
    call_command("export", "--org", "DU-C1", str(tmp_path / "ra"))
    # UTF-8 with a byte-order mark, so that Excel shows the accents.
    assert (tmp_path / "ra" / "members.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "ra" / "members.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["member_id", "full_name", "gender", "birth_date"]
    assert len(rows) == 6
    assert "members.csv: 5 dòng" in capsys.readouterr().err


@pytest.mark.django_db
def test_ratings_of_the_subtree_are_exported_and_import_back_unchanged(reg, tmp_path):
    from grassroots.interchange.exporter import export_tables
    from grassroots.ratings.models import Rating
    from grassroots.ratings.services import rating_record

    rating_record(
        acting_user=None,
        period_kind="year",
        period_label="2021",
        organization=reg.cell_a,
        level="good",
        score=80,
    )
    rating_record(
        acting_user=None,
        period_kind="year",
        period_label="2021",
        organization=reg.cell_b,
        level="excellent",
    )
    tables = export_tables(reg.commune_committee_a)
    columns, rows = tables["ratings.csv"]
    assert rows == [["year", "2021", "organization", reg.cell_a.code, "good", "80", ""]]
    export_organization(reg.committee, tmp_path / "pkg")
    before = list(Rating.objects.values_list("organization__code", "level", "score"))
    call_command("import", str(tmp_path / "pkg"))
    assert list(Rating.objects.values_list("organization__code", "level", "score")) == before
