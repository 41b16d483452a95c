"""The cadre pages, the API and the command line: a congress recorded through the pages shows
its committee's shares; a refused planning rule re-renders the form with its message; the
cadre record prints and downloads as Word; every cell's secretary; the scope."""

import json
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from docx import Document as WordDocument

from grassroots.accounts.services import api_token_create
from grassroots.cadres import services
from grassroots.cadres.models import Appointment, Congress, Plan, PlanEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(reg, people, editor):
    plan = services.plan_create(
        acting_user=editor,
        organization=reg.commune_committee_a,
        term_from=2025,
        term_to=2030,
        term_starts_on=date(2025, 8, 1),
        approved_on=date(2024, 6, 1),
    )
    for member in people[:3]:
        services.plan_entry_add(
            acting_user=editor, plan=plan, position="secretary", member=member, day=date(2024, 6, 1)
        )
    return plan


def test_congress_recorded_through_the_pages(client, reg, people, editor):
    client.force_login(editor)
    response = client.post(
        "/cadres/congresses/new/",
        {
            "organization": reg.commune_committee_a.code,
            "number": "3",
            "term_from": "2020",
            "term_to": "2025",
            "starts_on": "10/07/2020",
            "ends_on": "11/07/2020",
        },
    )
    congress = Congress.objects.get()
    assert (
        response.status_code == 302 and response.url == f"/cadres/congresses/{congress.pk}/result/"
    )
    codes = ", ".join(p.code for p in people[:5])
    response = client.post(
        response.url,
        {"executive": codes, "standing": ", ".join(p.code for p in people[:3]),
         "secretary": people[0].code, "deputies": people[1].code},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"/cadres/congresses/{congress.pk}/").content.decode()
    assert "Đại hội lần thứ III (2020–2025)" in page
    assert 'data-figure="women">40,0%' in page
    assert 'data-figure="young">20,0%' in page
    assert 'data-figure="ethnic_minority">100,0%' in page
    assert Appointment.objects.filter(congress=congress).count() == 5 + 3 + 1 + 1


def test_viewer_and_outsider_are_refused(client, reg, people, make_user, commune_editor):
    viewer = make_user("xem", roles=["viewer"], scope=reg.committee)
    client.force_login(viewer)
    assert client.get("/cadres/congresses/new/").status_code in (302, 403)
    a = services.appointment_create(
        acting_user=None, organization=reg.cell_b, position="secretary", member=people[0],
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    client.force_login(commune_editor)  # commune A: cell B is not theirs
    assert client.get(f"/cadres/appointments/{a.pk}/").status_code == 404
    assert (
        client.post(
            f"/cadres/appointments/{a.pk}/end/", {"day": "2021-01-01", "reason": "moved"}
        ).status_code
        == 404
    )
    a.refresh_from_db()
    assert a.valid_to is None


def test_fourth_person_refused_on_the_page(client, reg, people, editor, plan):
    client.force_login(editor)
    response = client.post(
        f"/cadres/plans/{plan.pk}/add/",
        {"position": "secretary", "member": people[3].code, "day": "2024-06-01"},
    )
    assert response.status_code == 200
    assert (
        "mỗi chức danh quy hoạch không quá 3 người (Quy định 377-QĐ/TW)"
        in response.content.decode()
    )
    assert PlanEntry.objects.filter(plan=plan).count() == 3
    page = client.get(f"/cadres/plans/{plan.pk}/?as_of=2024-07-01").content.decode()
    assert people[0].full_name in page and "Chưa đạt" in page  # young: none under 40


def test_secretaries_page_and_export(client, reg, people, editor):
    services.appointment_create(
        acting_user=None, organization=reg.cell_a, position="secretary", member=people[0],
        valid_from=date(2018, 1, 1),
    )  # fmt: skip
    client.force_login(editor)
    page = client.get("/cadres/secretaries/?as_of=2020-01-01").content.decode()
    assert people[0].full_name in page and "Chưa có" in page
    assert 'data-figure="without_secretary">1<' in page
    only = client.get("/cadres/secretaries/?as_of=2020-01-01&without=on").content.decode()
    assert people[0].full_name not in only and "Chi bộ bản Pa Pầu" in only
    xlsx = client.get("/cadres/secretaries/?as_of=2020-01-01&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_record_page_and_word(client, reg, people, editor, plan):
    services.appointment_create(
        acting_user=None, organization=reg.cell_a, position="secretary", member=people[0],
        valid_from=date(2018, 1, 1),
    )  # fmt: skip
    client.force_login(editor)
    page = client.get(f"/cadres/record/{people[0].code}/").content.decode()
    assert "Mẫu 2C/TCTW-98" in page and "cadres/record.css" in page
    assert "Bí thư" in page and "Quy hoạch nhiệm kỳ 2025–2030" in page
    response = client.get(f"/cadres/record/{people[0].code}/?format=docx")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    doc = WordDocument(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "SƠ YẾU LÝ LỊCH CÁN BỘ" in text and f"Họ và tên: {people[0].full_name}" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Bí thư" in cells and "Quy hoạch nhiệm kỳ 2025–2030 — Đảng bộ xã Nậm Hàng" in cells


def test_api_refuses_the_rule_and_lists_secretaries(client, reg, people, editor, plan):
    _token, key = api_token_create(user=editor, name="tests")
    headers = {"Authorization": f"Bearer {key}"}
    response = client.post(
        f"/api/v1/cadres/plans/{plan.pk}/entries",
        {"position": "secretary", "member_code": people[3].code, "day": "2024-06-01"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "max_per_position"
    detail = client.get(
        f"/api/v1/cadres/plans/{plan.pk}", {"as_of": "2024-07-01"}, headers=headers
    ).json()
    assert detail["shares"]["people"] == 3 and len(detail["entries"]) == 3
    response = client.get(
        "/api/v1/cadres/secretaries",
        {"organization": "DU-03434", "as_of": "2020-01-01"},
        headers=headers,
    )
    assert response.status_code == 200
    assert [r["organization"] for r in response.json()] == ["CB-V1"]
    assert response.json()[0]["secretary"] is None
    assert Plan.objects.count() == 1


def test_report_command(reg, people):
    congress = services.congress_create(
        acting_user=None, organization=reg.commune_committee_a, number=3, term_from=2020,
        term_to=2025, starts_on=date(2020, 7, 10), ends_on=date(2020, 7, 11),
    )  # fmt: skip
    services.congress_record_result(
        acting_user=None, congress=congress, executive=people[:4], secretary=people[0]
    )
    out = StringIO()
    call_command(
        "report",
        "cadres-committee",
        "--org",
        "DU-03434",
        "--as-of",
        "2021-01-01",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert (data["organization"], data["size"], data["women"]) == ("DU-03434", 4, 2)
    assert data["shares"]["women"] == 50.0 and data["secretary"] == 1
    out = StringIO()
    call_command(
        "report",
        "cadres-secretaries",
        "--org",
        "DU-03434",
        "--as-of",
        "2021-01-01",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["without_secretary"] == 1
