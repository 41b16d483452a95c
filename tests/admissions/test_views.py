"""The party-development pages: allowed, refused without the role, 404 outside the scope."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.admissions import services
from grassroots.admissions.models import Candidate, Stage
from tests.admissions.conftest import advance, new_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def viewer(make_user, reg):
    return make_user("xem", roles=["viewer"], scope=reg.province_committee)


@pytest.fixture
def outsider(make_user, reg):
    return make_user("ngoai", roles=["editor"], scope=reg.commune_committee_b)


def test_list_detail_and_pipeline(cell, editor, editor_client):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "voted")
    response = editor_client.get(reverse("admissions:list"))
    assert response.status_code == 200
    assert [x.full_name for x in response.context["candidates"]] == ["Lò Thị Hoa"]
    # the stage on an earlier date
    response = editor_client.get(reverse("admissions:list"), {"as_of": "2024-03-15"})
    assert response.context["candidates"][0].stage_on == "applied"
    response = editor_client.get(reverse("admissions:detail", args=[c.code]))
    assert response.status_code == 200
    assert "Chi bộ biểu quyết" in response.content.decode()
    response = editor_client.get(
        reverse("admissions:pipeline"), {"organization": "DB-112", "as_of": "2024-06-01"}
    )
    assert response.status_code == 200
    funnel = {label: n for label, n, _ in response.context["funnel"]}
    assert funnel[Stage.VOTED.label] == 1 and sum(funnel.values()) == 1
    stage_url = {label: url for label, _, url in response.context["funnel"]}[Stage.VOTED.label]
    drilled = editor_client.get(stage_url)
    assert [x.code for x in drilled.context["candidates"]] == ["QC-1"]


def test_step_form_records_and_refuses(cell, editor, editor_client):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "sponsored")
    url = reverse("admissions:step", args=[c.code, "voted"])
    response = editor_client.post(url, {"date": "2024-05-20", "eligible": 3, "votes_for": 1})
    assert response.status_code == 200
    assert "chưa đạt 2/3" in response.content.decode()
    c.refresh_from_db()
    assert c.stage == Stage.SPONSORED
    response = editor_client.post(url, {"date": "2024-05-20", "eligible": 3, "votes_for": 2})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.stage == Stage.VOTED


def test_create_page(cell, editor_client):
    response = editor_client.post(
        reverse("admissions:create"),
        {
            "code": "QC-9",
            "full_name": "Giàng Thị Mai",
            "gender": "female",
            "birth_date": "2001-02-03",
            "source": "womens_union",
            "is_local": "on",
            "identified_on": "2024-01-02",
            "organization": "CB-V1",
            "place": "V1",
        },
    )
    assert response.status_code == 302
    assert Candidate.objects.get(code="QC-9").stage == Stage.IDENTIFIED


def test_viewer_cannot_write(cell, editor, viewer, client):
    reg, members, _ = cell
    c = new_candidate(reg, editor)
    client.force_login(viewer)
    assert client.get(reverse("admissions:detail", args=[c.code])).status_code == 200
    assert client.get(reverse("admissions:create")).status_code == 403
    assert client.get(reverse("admissions:step", args=[c.code, "trained"])).status_code == 403
    assert client.get(reverse("admissions:target_create")).status_code == 403


def test_outside_scope_is_404(cell, editor, outsider, client):
    reg, members, _ = cell
    c = new_candidate(reg, editor)
    client.force_login(outsider)
    assert client.get(reverse("admissions:detail", args=[c.code])).status_code == 404
    assert client.get(reverse("admissions:step", args=[c.code, "trained"])).status_code == 404
    assert client.get(reverse("admissions:list")).context["candidates"] == []
    response = client.get(reverse("admissions:pipeline"), {"organization": "CB-V1"})
    assert response.status_code == 200 and response.context["form"].errors


def test_targets_pages(cell, editor, editor_client):
    reg, members, _ = cell
    response = editor_client.post(
        reverse("admissions:target_create"),
        {"organization": "DB-112", "year_from": 2020, "year_to": 2025, "per_year": 60},
    )
    assert response.status_code == 302
    target = reg.committee.admission_targets.get()
    assert editor_client.get(reverse("admissions:targets")).status_code == 200
    response = editor_client.post(
        reverse("admissions:target_edit", args=[target.pk]),
        {"organization": "DB-112", "year_from": 2020, "year_to": 2025, "per_year": 65},
    )
    target.refresh_from_db()
    assert target.per_year == 65
    c = advance(new_candidate(reg, editor), editor, members, "admitted")
    response = editor_client.get(
        reverse("admissions:pipeline"),
        {"organization": "DB-112", "year_from": 2024, "year_to": 2024, "as_of": "2024-12-31"},
    )
    (row,) = response.context["years"]
    # the three cell members were admitted in 2015; the candidate in 2024
    assert (row["admitted"], row["target"], row["met"]) == (1, 65, False)
    assert row["groups"] == {"youth": 1, "women": 1, "ethnic_minority": 1, "local": 1}
    drilled = editor_client.get(row["url"])
    assert [e.member.code for e in drilled.context["page_obj"]] == [c.member.code]


def test_overdue(cell, editor, editor_client):
    reg, members, _ = cell
    advance(new_candidate(reg, editor), editor, members, "voted")
    response = editor_client.get(
        reverse("admissions:pipeline"), {"organization": "DB-112", "as_of": "2024-09-30"}
    )
    (row,) = response.context["overdue"]
    assert row.next_step == "decided"
    assert date(2024, 9, 30) > row.due


def test_dashboard_card(cell, editor, rf):
    from django.template.loader import render_to_string

    from grassroots.admissions import figures

    reg, members, _ = cell
    advance(new_candidate(reg, editor), editor, members, "admitted")
    services.target_set(
        acting_user=editor, organization=reg.committee, year_from=2020, year_to=2025, per_year=60
    )
    context = figures.dashboard_context(organization=reg.committee, day=date(2024, 12, 31))
    card = context["admissions_card"]
    assert (card["year"]["admitted"], card["year"]["target"], card["in_progress"]) == (1, 60, 1)
    html = render_to_string("admissions/_dashboard_card.html", context)
    assert "Phát triển đảng viên năm 2024" in html and card["admitted_url"] in html.replace(
        "&amp;", "&"
    )


def test_group_drilldown(cell, editor, editor_client):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "admitted")
    url = reverse("admissions:admitted")
    response = editor_client.get(url, {"organization": "DB-112", "year": 2024, "group": "youth"})
    assert [e.member.code for e in response.context["page_obj"]] == [c.member.code]
    # the fixture's four members (cells A and B; men born 1990) admitted in 2015: youths
    page = editor_client.get(url, {"organization": "DB-112", "year": 2015, "group": "youth"})
    assert len(page.context["page_obj"]) == 4
    page = editor_client.get(url, {"organization": "DB-112", "year": 2015, "group": "women"})
    assert len(page.context["page_obj"]) == 0
    assert (
        editor_client.get(url, {"organization": "DB-112", "year": 2024, "group": "x"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_pipeline_shows_attainment_as_a_percentage_of_the_target():
    """88 admitted against ≥ 60 is 146,7 % of the target, not "1,5%"."""
    from django.template.loader import render_to_string

    html = render_to_string(
        "admissions/_dashboard_card.html",
        {
            "admissions_card": {
                "year": {"admitted": 88, "target": 60, "attained": 88 / 60, "met": True}
            }
        },
    )
    assert "146,7%" in html


def _xlsx_rows(response):
    from io import BytesIO

    from openpyxl import load_workbook

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_candidate_list_and_admissions_export(cell, editor, editor_client, outsider, client):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "admitted")
    rows = _xlsx_rows(editor_client.get(reverse("admissions:list"), {"format": "xlsx"}))
    assert rows[0][:2] == ("Họ và tên", "Mã") and rows[0][-1] == "Bước tại ngày xem"
    assert [(r[0], r[1]) for r in rows[1:]] == [("Lò Thị Hoa", "QC-1")]
    url = reverse("admissions:admitted")
    params = {"organization": "DB-112", "year": 2024, "group": "youth", "format": "xlsx"}
    rows = _xlsx_rows(editor_client.get(url, params))
    assert rows[0] == ("Ngày kết nạp", "Họ và tên", "Mã", "Giới tính", "Dân tộc", "Ngày sinh")
    assert [r[2] for r in rows[1:]] == [c.member.code]
    # Another commune's editor exports none of them.
    client.force_login(outsider)
    assert _xlsx_rows(client.get(reverse("admissions:list"), {"format": "xlsx"}))[1:] == []


def test_targets_export(cell, editor, editor_client):
    services.target_set(
        acting_user=editor,
        organization=cell[0].commune_committee_a,
        year_from=2021,
        year_to=2025,
        per_year=4,
    )
    rows = _xlsx_rows(editor_client.get(reverse("admissions:targets"), {"format": "xlsx"}))
    assert rows[0][:3] == ("Tổ chức đảng", "Mã tổ chức", "Giai đoạn")
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [("DU-03434", "2021–2025", 4)]
