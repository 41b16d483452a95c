"""The four scope leaks of issue 10, each through the way a user met it (API, page, export,
upload); every test here failed before ``core.scope``.

The story: commune A (DU-03434) has two cells. Its village cell CB-V1 moved to commune B on
2020-01-01; CB-A2 stayed. Members: DV-O stays in CB-A2; DV-DI moved from CB-A2 to commune B's
cell in 2018; DV-CU was admitted to CB-V1 in 2015 (while it was A's); DV-MOI was admitted to
CB-V1 in 2021 (after it became B's).
"""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.services import api_token_create
from grassroots.core.errors import NotFound
from grassroots.members.models import Member, MemberEvent
from grassroots.members.services import member_leave, member_move, member_update
from grassroots.organizations.models import Organization
from grassroots.organizations.services import organization_rename, organization_reparent
from grassroots.places.services import place_rename
from tests import factories

pytestmark = pytest.mark.django_db

MOVED_CELL = date(2020, 1, 1)


@pytest.fixture
def story(reg):
    reg.cell_a2 = factories.org(
        name="Chi bộ Trường Nậm Hàng",
        kind="cell",
        place=reg.village_a,
        parent=reg.commune_committee_a,
        code="CB-A2",
        valid_from=date(2013, 6, 1),
    )

    def admit(code, name, cell, day, **profile):
        return factories.member(
            code=code,
            full_name=name,
            organization=cell,
            place=reg.village_a,
            admitted=day,
            confirmed=date(day.year + 1, day.month, day.day),
            **profile,
        )

    reg.stays = admit("DV-O", "Lò Thị Ở", reg.cell_a2, date(2014, 1, 1))
    reg.moved = admit("DV-DI", "Tao Văn Đi", reg.cell_a2, date(2014, 1, 1))
    member_move(
        acting_user=None,
        member=reg.moved,
        day=date(2018, 1, 1),
        organization=reg.cell_b,
        place=reg.village_b,
    )
    reg.old = admit("DV-CU", "Lù Văn Cũ", reg.cell_a, date(2015, 1, 1))
    organization_reparent(
        acting_user=None, organization=reg.cell_a, parent=reg.commune_committee_b, day=MOVED_CELL
    )
    reg.new = admit("DV-MOI", "Vàng Thị Mới", reg.cell_a, date(2021, 3, 1), national_id="0123")
    return reg


@pytest.fixture
def editor_a(make_user, story):
    return make_user("bt-a", roles=["editor"], scope=story.commune_committee_a)


@pytest.fixture
def viewer_a(make_user, story):
    return make_user("xem-a", roles=["viewer"], scope=story.commune_committee_a)


def api_post(client, user, path, body):
    _token, key = api_token_create(user=user, name="tests")
    return client.post(
        f"/api/v1{path}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


# --- (a) the scope for writing is the scope for today ----------------------------------------


def test_api_refuses_a_death_recorded_for_a_member_who_moved_away(client, story, editor_a):
    death = {"event": "left", "date": "2024-05-01", "reason": "died"}
    before = MemberEvent.objects.count()

    response = api_post(client, editor_a, "/members/DV-DI/events", death)

    assert response.status_code == 404, response.content
    assert MemberEvent.objects.count() == before
    # the same editor records it for a member who is still theirs
    assert api_post(client, editor_a, "/members/DV-O/events", death).status_code == 201


def test_profile_of_a_member_who_moved_away_is_not_editable(client, story, editor_a):
    with pytest.raises(NotFound):
        member_update(acting_user=editor_a, member=story.moved, occupation="Giáo viên")
    client.force_login(editor_a)
    url = reverse("members:edit", args=["DV-DI"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"full_name": "Tên khác"}).status_code == 404
    story.moved.refresh_from_db()
    assert story.moved.full_name == "Tao Văn Đi" and story.moved.occupation == ""
    # still readable: the years in commune A are A's history
    assert client.get(reverse("members:detail", args=["DV-DI"])).status_code == 200
    member_update(acting_user=editor_a, member=story.stays, occupation="Giáo viên")


def test_a_cell_that_left_cannot_be_renamed_nor_its_place(story, editor_a):
    today = timezone.localdate()
    with pytest.raises(NotFound):
        organization_rename(
            acting_user=editor_a, organization=story.cell_a, name="Chi bộ mới", day=today
        )
    assert story.cell_a.versions.count() == 2  # nothing written
    with pytest.raises(NotFound):
        place_rename(acting_user=editor_a, place=story.village_b, name="Bản khác", day=today)
    organization_rename(
        acting_user=editor_a, organization=story.cell_a2, name="Chi bộ A2", day=today
    )


def test_a_write_that_leaves_the_scope_is_refused_and_rolled_back(story, editor_a):
    day = timezone.localdate()
    with pytest.raises(NotFound):
        organization_reparent(
            acting_user=editor_a,
            organization=story.cell_a2,
            parent=story.commune_committee_b,
            day=day,
        )
    assert story.cell_a2.version_on(day).parent == story.commune_committee_a
    assert Organization.objects.visible_to(editor_a, "change").filter(code="CB-A2").exists()
    with pytest.raises(NotFound):  # a member moved out of the scope: the same
        member_move(
            acting_user=editor_a,
            member=story.stays,
            day=day,
            organization=story.cell_b,
            place=story.village_b,
        )
    assert story.stays.spans.get(valid_to__isnull=True).organization == story.cell_a2


# --- (b) reading follows time -----------------------------------------------------------------


def test_members_admitted_after_the_cell_left_are_not_read(client, story, viewer_a):
    from grassroots.statistics.figures import coverage

    client.force_login(viewer_a)
    assert client.get(reverse("members:detail", args=["DV-MOI"])).status_code == 404
    assert client.get(reverse("members:detail", args=["DV-CU"])).status_code == 200
    assert "DV-MOI" not in set(Member.objects.visible_to(viewer_a).values_list("code", flat=True))
    # the drill-down and the coverage of the cell today are commune B's now
    drill = {"figure": "members.official", "organization": "CB-V1"}
    assert client.get(reverse("statistics:drilldown"), drill).status_code == 404
    with pytest.raises(Exception) as raised:
        coverage(organization="CB-V1", day=timezone.localdate(), user=viewer_a)
    assert raised.type.__name__ in ("Http404", "NotFound")
    # ... while the cell's years in commune A are still A's
    before = {**drill, "as_of": "2019-06-01"}
    page = client.get(reverse("statistics:drilldown"), before)
    assert page.status_code == 200
    assert "Lù Văn Cũ" in page.content.decode()
    assert (
        coverage(organization="CB-V1", day=date(2019, 6, 1), user=viewer_a)["members"]["official"]
        == 1
    )


def test_the_timeline_of_a_member_hides_the_years_outside(client, story, viewer_a):
    member_leave(acting_user=None, member=story.moved, day=date(2024, 5, 1), reason="died")
    client.force_login(viewer_a)
    page = client.get(reverse("members:detail", args=["DV-DI"]))
    events = [(e.kind, e.date) for e in page.context["events"]]
    assert ("admitted", date(2014, 1, 1)) in events
    assert ("moved", date(2018, 1, 1)) in events  # the move out is A's record too
    assert ("left", date(2024, 5, 1)) not in events  # recorded in commune B
    assert page.context["span"] is None  # on the page's date DV-DI is not A's
    assert len(events) == 3
    # the API answers the same
    _token, key = api_token_create(user=viewer_a, name="tests")
    headers = {"Authorization": f"Bearer {key}"}
    listed = client.get("/api/v1/members/DV-DI/events", headers=headers).json()
    assert [(e["event"], e["date"]) for e in listed][-1] == ("moved", "2018-01-01")
    assert client.get("/api/v1/members/DV-DI", headers=headers).json()["state"] is None


def test_the_import_cannot_go_around_it(tmp_path, story, editor_a):
    """The whole district's package plus the death of the member who moved away, imported by
    commune A's editor: rejected, nothing written."""
    from grassroots.interchange.exporter import export_tables, write_folder
    from grassroots.interchange.services import import_job_create, import_job_run

    tables = export_tables(story.committee)
    columns, events = tables["member_events.csv"]
    events.append(["DV-DI", "2024-05-01", "left", "", "", "died", ""])
    write_folder(tables, tmp_path / "goi")
    job = import_job_create(acting_user=editor_a, source_name="goi")
    report = import_job_run(job=job, source=tmp_path / "goi")
    assert not report.ok
    assert any("DV-DI" in problem.message for problem in report.errors)
    assert not MemberEvent.objects.filter(member=story.moved, kind="left").exists()


# --- (c) the export holds only what the viewer may open ---------------------------------------


def _export(client, user, code):
    client.force_login(user)
    response = client.get(reverse("interchange:export"), {"organization": code})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    tables = {}
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8-sig")
        tables[name.rsplit("/", 1)[-1]] = list(csv.DictReader(io.StringIO(text)))
    return tables


def test_a_commune_export_holds_only_what_its_viewer_may_open(client, story, viewer_a):
    tables = _export(client, viewer_a, "DU-03434")
    members = {row["member_id"] for row in tables["members.csv"]}
    assert members == {"DV-O", "DV-DI", "DV-CU"}
    for code in members:
        assert client.get(reverse("members:detail", args=[code])).status_code == 200
    visible = set(Organization.objects.visible_to(viewer_a).values_list("code", flat=True))
    organizations = {row["code"] for row in tables["organizations.csv"]}
    assert organizations <= visible
    assert {"DU-03434", "CB-A2", "CB-V1"} <= organizations
    assert "DU-03460" not in organizations and "DB-112" not in organizations
    events = {(row["member_id"], row["date"]) for row in tables["member_events.csv"]}
    assert ("DV-MOI", "2021-03-01") not in events


# --- (d) uploads do not tell names behind codes -------------------------------------------------


def test_ratings_upload_does_not_name_a_member_outside_the_scope(client, story, make_user):
    editor_b = make_user("bt-b", roles=["editor"], scope=story.commune_committee_b)
    client.force_login(editor_b)
    csv_text = (
        "period,period_label,subject,code,level,score,note\n"
        "year,2016,member,DV-O,good,,\n"
        "year,2016,member,KHONG-CO,good,,\n"
    )
    response = client.post(
        reverse("ratings:upload"), {"file": SimpleUploadedFile("xl.csv", csv_text.encode())}
    )
    problems = response.context["report"]["problems"]
    assert problems == [
        "xl.csv:2: code: Không tìm thấy đảng viên mã DV-O.",
        "xl.csv:3: code: Không tìm thấy đảng viên mã KHONG-CO.",
    ]
    assert "Lò Thị Ở" not in response.content.decode()
