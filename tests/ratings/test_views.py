"""Rating pages: list (scoped), detail (404 outside), rate form, upload, figures."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from grassroots.ratings.models import Rating
from grassroots.ratings.services import rating_record

pytestmark = pytest.mark.django_db


def rate(org, label="2024", level="good"):
    return rating_record(
        acting_user=None, period_kind="year", period_label=label, organization=org, level=level
    )[0]


@pytest.fixture
def editor(make_user, reg):
    return make_user("bientap", roles=["editor"], scope=reg.committee)


@pytest.fixture
def viewer(make_user, reg):
    return make_user("xem", roles=["viewer"], scope=reg.committee)


@pytest.fixture
def user_b(make_user, reg):
    return make_user("xa-b", roles=["editor"], scope=reg.commune_committee_b)


def test_list_is_scoped(client, reg, user_b):
    a, b = rate(reg.cell_a), rate(reg.cell_b, level="excellent")
    client.force_login(user_b)
    response = client.get(reverse("ratings:list"))
    assert response.status_code == 200
    assert list(response.context["ratings"]) == [b]
    assert client.get(reverse("ratings:detail", args=[a.pk])).status_code == 404
    assert client.get(reverse("ratings:detail", args=[b.pk])).status_code == 200


def test_list_filters_and_drill_down(client, reg, cells, viewer):
    for cell in cells[:3]:
        rate(cell)
    rate(cells[3], level="excellent")
    rate(cells[4], level="completed")
    rate(cells[5], label="2023")
    client.force_login(viewer)
    url = reverse("ratings:list")
    params = {"period_kind": "year", "period_label": "2024", "organization": "DU-03434"}
    response = client.get(url, {**params, "level": "good_or_better"})
    assert response.context["page_obj"].paginator.count == 4
    response = client.get(url, {**params, "level": "completed"})
    assert response.context["page_obj"].paginator.count == 1
    assert "Hoàn thành nhiệm vụ" in response.content.decode()


def test_rate_form(client, reg, editor):
    client.force_login(editor)
    url = reverse("ratings:create")
    assert client.get(url).status_code == 200
    data = {
        "period_kind": "year",
        "period_label": "2024",
        "subject": "organization",
        "code": "CB-V1",
    }
    response = client.post(url, {**data, "level": "excellent", "score": "85"})
    assert response.status_code == 200 and not Rating.objects.exists()
    assert "không khớp" in response.content.decode()
    response = client.post(url, {**data, "score": "85"})
    rating = Rating.objects.get()
    assert response.status_code == 302 and rating.level == "good"
    rating_record(
        acting_user=editor,
        period_kind="year",
        period_label="2024",
        organization=reg.cell_a,
        level="excellent",
        score=92,
    )
    body = client.get(reverse("ratings:detail", args=[rating.pk])).content.decode()
    assert "Mức xếp loại: Hoàn thành tốt nhiệm vụ → Hoàn thành xuất sắc nhiệm vụ" in body
    assert "Điểm: 85 → 92" in body


def test_rate_form_refuses_outside_scope(client, reg, user_b):
    client.force_login(user_b)
    data = {"period_kind": "year", "period_label": "2024", "subject": "organization"}
    response = client.post(reverse("ratings:create"), {**data, "code": "CB-V1", "level": "good"})
    assert response.status_code == 200 and not Rating.objects.exists()
    assert "Không tìm thấy tổ chức mã CB-V1" in response.content.decode()


def test_viewer_cannot_write(client, reg, viewer):
    client.force_login(viewer)
    assert client.get(reverse("ratings:create")).status_code == 403
    data = {
        "period_kind": "year",
        "period_label": "2024",
        "subject": "organization",
        "code": "CB-V1",
        "level": "good",
    }
    assert client.post(reverse("ratings:create"), data).status_code == 403
    assert client.get(reverse("ratings:upload")).status_code == 403
    assert not Rating.objects.exists()


CSV_OK = "period,period_label,subject,code,level,score,note\nyear,2024,organization,CB-V1,good,,\nyear,2024,organization,CB-V2,,95,Xuất sắc\n"


def test_upload_csv_all_or_nothing_then_ok(client, reg, editor):
    client.force_login(editor)
    url = reverse("ratings:upload")
    bad = CSV_OK + "year,2024,organization,KHONG,good,,\nyear,2024,member,MX,excellent,80,\n"
    response = client.post(url, {"file": SimpleUploadedFile("xl.csv", bad.encode())})
    problems = response.context["report"]["problems"]
    assert problems == [
        "xl.csv:4: code: Không tìm thấy tổ chức đảng mã KHONG.",
        "xl.csv:5: code: Không tìm thấy đảng viên mã MX.",
        "xl.csv:5: score: " + problems[2].split(": ", 2)[2],
    ]
    assert "không khớp" in problems[2]
    assert not Rating.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("xl.csv", CSV_OK.encode())})
    assert response.context["report"]["written"] == 2
    assert len(response.context["report"]["warnings"]) == 1
    response = client.post(url, {"file": SimpleUploadedFile("xl.csv", CSV_OK.encode())})
    assert response.context["report"] == {
        "written": 0,
        "problems": [],
        "warnings": response.context["report"]["warnings"],
    }
    assert Rating.objects.count() == 2


def test_upload_xlsx(client, reg, editor):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["period", "period_label", "subject", "code", "level", "score", "note"])
    sheet.append(["year", 2023, "organization", "CB-V1", None, 72.5, None])
    sheet.append(["quarter", "2024-Q1", "organization", "CB-V1", "completed", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    client.force_login(editor)
    response = client.post(
        reverse("ratings:upload"), {"file": SimpleUploadedFile("xl.xlsx", buffer.getvalue())}
    )
    assert response.context["report"]["problems"] == []
    assert response.context["report"]["written"] == 2
    assert Rating.objects.get(period_label="2023").level == "good"


def test_upload_missing_columns(client, reg, editor):
    client.force_login(editor)
    response = client.post(
        reverse("ratings:upload"),
        {"file": SimpleUploadedFile("x.csv", b"period,code\nyear,CB-V1\n")},
    )
    assert "thiếu cột period_label (kỳ), subject (đối tượng)" in response.content.decode()


def test_upload_page_lists_the_columns_with_vietnamese_labels(client, reg, editor):
    client.force_login(editor)
    page = client.get(reverse("ratings:upload")).content.decode()
    assert "<code>subject</code>* (đối tượng: member (Đảng viên)" in page
    assert "good (Hoàn thành tốt nhiệm vụ)" in page
    assert "year (Năm)" in page


def test_upload_accepts_vietnamese_labels_and_explains_codes_in_vietnamese(client, reg, editor):
    client.force_login(editor)
    url = reverse("ratings:upload")
    typed = (
        "period,period_label,subject,code,level,score,note\n"
        "Năm,2024,Tổ chức đảng,CB-V1,Hoàn thành tốt nhiệm vụ,,\n"
        "nhiem ky,2020-2025,to chuc dang,CB-V1,hoàn thành nhiệm vụ,,\n"
    )
    response = client.post(url, {"file": SimpleUploadedFile("xl.csv", typed.encode())})
    assert response.context["report"]["problems"] == []
    assert response.context["report"]["written"] == 2
    assert Rating.objects.get(period_label="2024").level == "good"
    assert Rating.objects.get(period_label="2020-2025").period_kind == "term"

    wrong = "period,period_label,subject,code,level\nthang,2024,ai,CB-V1,gioi\n"
    response = client.post(url, {"file": SimpleUploadedFile("xl.csv", wrong.encode())})
    problems = response.context["report"]["problems"]
    assert len(problems) == 3
    assert "year (Năm), term (Nhiệm kỳ), quarter (Quý)" in problems[0]
    assert "member (Đảng viên), organization (Tổ chức đảng)" in problems[1]
    assert "excellent (Hoàn thành xuất sắc nhiệm vụ)" in problems[2]


def test_figures_page_links_numbers(client, reg, cells, viewer):
    for cell in cells[:5]:
        rate(cell)
    rate(cells[5], level="excellent")
    rate(cells[0], label="2023", level="completed")
    client.force_login(viewer)
    response = client.get(
        reverse("ratings:figures"),
        {"year_from": "2023", "year_to": "2024", "organization": "DU-03434"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    trend = response.context["trend"]
    assert [(d.good_or_better, d.total) for d in trend] == [(0, 1), (6, 6)]
    assert "<svg" in body and "style=" not in body.split("<svg", 1)[1].split("</svg>")[0]
    assert "100,0%" in body
    assert (
        "/ratings/?period_kind=year&amp;period_label=2024&amp;subject=organization&amp;organization=DU-03434&amp;level=good_or_better"
        in body
    )


def test_figures_outside_scope_404(client, reg, user_b):
    client.force_login(user_b)
    response = client.get(reverse("ratings:figures"), {"organization": "DU-03434"})
    assert response.status_code == 200  # the form says the code is not found in the scope
    assert "Không tìm thấy tổ chức mã DU-03434" in response.content.decode()
    assert "rows" not in response.context


def test_rate_member_and_user_without_scope(client, reg, members_a, editor, make_user):
    client.force_login(editor)
    data = {"period_kind": "quarter", "period_label": "2024-q3", "subject": "member"}
    response = client.post(reverse("ratings:create"), {**data, "code": "MA1", "level": "good"})
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.member.code, rating.period_label, rating.organization) == (
        "MA1",
        "2024-Q3",
        reg.cell_a,
    )
    response = client.get(reverse("ratings:list"), {"period_label": "2024-q3"})
    assert list(response.context["ratings"]) == [rating]
    nobody = make_user("khong", roles=["editor"])  # no scope: sees and rates nothing
    client.force_login(nobody)
    response = client.post(reverse("ratings:create"), {**data, "code": "MA1", "level": "good"})
    assert response.status_code == 200 and Rating.objects.count() == 1
    assert client.get(reverse("ratings:detail", args=[rating.pk])).status_code == 404


def test_upload_without_file(client, reg, editor):
    client.force_login(editor)
    response = client.post(reverse("ratings:upload"), {})
    assert response.status_code == 200 and response.context["form"].errors


def test_list_export_is_scoped(client, reg, user_b):
    from io import BytesIO

    from openpyxl import load_workbook

    rate(reg.cell_a)
    rate(reg.cell_b, level="excellent")
    client.force_login(user_b)
    response = client.get(reverse("ratings:list"), {"format": "xlsx"})
    assert response["Cache-Control"] == "no-store"
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Kỳ", "Đối tượng", "Mã", "Tổ chức đảng", "Mức xếp loại", "Điểm")
    assert [(r[1], r[2], r[4]) for r in rows[1:]] == [
        ("Chi bộ bản Pa Pầu", "CB-V2", "Hoàn thành xuất sắc nhiệm vụ")
    ]
