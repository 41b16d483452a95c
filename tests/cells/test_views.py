"""Pages and API of cell life: the list, a meeting, the one-screen record form, attendance
figures, fees and the monthly collection; the scope on every one of them."""

from datetime import date

import pytest

from grassroots.accounts.services import api_token_create
from grassroots.cells.models import Attendance, FeePayment, IncomeBasis, Meeting
from grassroots.cells.services import meeting_record
from grassroots.core import figures as registry

pytestmark = pytest.mark.django_db

DAY = date(2023, 5, 10)


def _meeting(reg, members, presence="present"):
    return meeting_record(
        acting_user=None, organization=reg.cell_a, day=DAY, kind="regular",
        attendance={m.pk: presence for m in members}, theme="Tháng 5",
    )  # fmt: skip


def test_record_a_meeting_on_one_screen(client, reg, members_a, editor_a):
    client.force_login(editor_a)
    url = f"/cells/record/?organization=CB-V1&date={DAY}&kind=regular"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('type="radio"') == 18 and "Lò Văn An" in text
    data = {f"presence_{m.pk}": "present" for m in members_a}
    data[f"presence_{members_a[2].pk}"] = "absent"
    data.update(theme="Sinh hoạt tháng 5", documents="", note="", based_on="")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    meeting = Meeting.objects.get()
    assert Attendance.objects.filter(meeting=meeting, presence="absent").get().member.code == "MA3"
    detail = client.get(response["Location"]).content.decode()
    assert "Vắng không lý do" in detail and "Sinh hoạt tháng 5" in detail
    # The same screen again corrects it (prefilled); a missing row is a clear message.
    again = client.get(url).content.decode()
    assert "đã ghi, lưu lại để sửa" in again
    del data[f"presence_{members_a[0].pk}"]
    response = client.post(url, data)
    assert response.status_code == 200 and "Chọn tình hình dự họp." in response.content.decode()


def test_record_refusals_are_messages(client, reg, members_a, editor_a, editor_b):
    client.force_login(editor_a)
    text = client.get("/cells/record/?organization=CB-V1&date=2023-13-01").content.decode()
    assert "không hợp lệ" in text
    text = client.get("/cells/record/?organization=DU-03434&date=2023-05-10").content.decode()
    client.force_login(editor_b)
    text = client.get("/cells/record/?organization=CB-V1&date=2023-05-10").content.decode()
    assert "Không tìm thấy chi bộ mã CB-V1 trong phạm vi của bạn" in text
    response = client.post(
        "/cells/record/?organization=CB-V1&date=2023-05-10", {"theme": "x", "based_on": ""}
    )
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_lists_and_attendance_are_scoped(client, reg, members_a, member_b, editor_a, editor_b):
    meeting = _meeting(reg, members_a, "absent")
    client.force_login(editor_b)
    assert "Tháng 5" not in client.get("/cells/").content.decode()
    assert client.get(f"/cells/{meeting.pk}/").status_code == 404
    client.force_login(editor_a)
    assert "Tháng 5" in client.get("/cells/", {"year": 2023}).content.decode()
    assert client.get(f"/cells/{meeting.pk}/").status_code == 200
    page = client.get("/cells/attendance/", {"organization": "CB-V1", "year": 2023})
    text = page.content.decode()
    assert page.status_code == 200 and "Lò Văn An" in text and "0,0%" in text
    assert client.get("/cells/", {"format": "xlsx"}).status_code == 200


def test_fee_collection_screen(client, reg, members_a, editor_a):
    IncomeBasis.objects.create(
        member=members_a[0], kind="pension", amount=3_100_000, valid_from=date(2023, 1, 1)
    )
    client.force_login(editor_a)
    url = "/cells/fees/collect/?organization=CB-V1&month=2023-05"
    text = client.get(url).content.decode()
    assert "phải đóng 16.000 đ" in text  # 0.5% of 3,100,000 = 15,500 → 16,000
    response = client.post(
        url, {"paid_on": "2023-05-20", f"paid_{members_a[0].pk}": "16000",
              f"paid_{members_a[1].pk}": "2000"},
    )  # fmt: skip
    assert response.status_code == 302
    assert sorted(FeePayment.objects.values_list("due", "paid")) == [(0, 2000), (16000, 16000)]
    listed = client.get(response["Location"]).content.decode()
    assert "16.000 đ" in listed
    response = client.post(url, {"paid_on": "2023-05-20", f"paid_{members_a[0].pk}": "1,5"})
    assert response.status_code == 200 and "Nhập số nguyên đồng." in response.content.decode()


def test_figures_are_registered(reg, members_a):
    _meeting(reg, members_a)
    meetings = registry.get("meetings")
    result = meetings.compute(organization=reg.commune_committee_a, day=date(2023, 5, 31))
    assert result["by_month"]["5"] == {"cells": 1, "held": 1}
    assert result["by_month"]["4"] == {"cells": 1, "held": 0}
    assert result["maintained"] == 0 and result["attendance_rate"] == 100.0
    held = meetings.drill(reg.commune_committee_a, "by_month.5.held", day=date(2023, 5, 31))
    assert [v.organization.code for v in held.queryset] == ["CB-V1"]
    fees = registry.get("fees").compute(organization=reg.commune_committee_a, day=date(2023, 5, 31))
    assert fees["unpaid_members"] == 0 and fees["paid"] == 0  # no collection recorded
    for month in (1, 2, 3):
        FeePayment.objects.create(
            member=members_a[0], organization=reg.cell_a, month=date(2023, month, 1),
            due=2_000, paid=2_000, paid_on=date(2023, month, 3),
        )  # fmt: skip
    fees = registry.get("fees").compute(organization=reg.commune_committee_a, day=date(2023, 5, 31))
    assert fees["unpaid_members"] == 5 and fees["paid"] == 6_000 and fees["due"] == 6_000
    unpaid = registry.get("fees").drill(
        reg.commune_committee_a, "unpaid_members", day=date(2023, 5, 31)
    )
    assert sorted(m.code for m in unpaid.queryset) == ["MA2", "MA3", "MA4", "MA5", "MA6"]


@pytest.fixture
def api(client):
    def make(user):
        _token, key = api_token_create(user=user, name="tests")
        headers = {"Authorization": f"Bearer {key}"}

        class Api:
            def get(self, path, **params):
                return client.get(path, params, headers=headers)

            def post(self, path, body):
                return client.post(path, body, content_type="application/json", headers=headers)

        return Api()

    return make


def test_api_records_and_lists(reg, members_a, editor_a, editor_b, api):
    a = api(editor_a)
    body = {
        "organization": "CB-V1",
        "date": str(DAY),
        "kind": "regular",
        "theme": "API",
        "attendance": [{"member": m.code, "presence": "present"} for m in members_a],
    }
    response = a.post("/api/v1/cells/", body)
    assert response.status_code == 201, response.json()
    assert len(response.json()["attendance"]) == 6
    assert a.get("/api/v1/cells/").json()["count"] == 1
    assert api(editor_b).get("/api/v1/cells/").json()["count"] == 0
    body["attendance"] = body["attendance"][:2]
    response = a.post("/api/v1/cells/", body)
    assert response.status_code == 400 and response.json()["code"] == "attendance_missing"
    response = a.post(
        "/api/v1/cells/bases",
        {"member": "MA1", "kind": "salary", "amount": 4_950_000, "valid_from": "2023-01-01"},
    )
    assert response.status_code == 201 and response.json()["monthly_fee"] == 50_000
    response = a.post(
        "/api/v1/cells/fees",
        {"organization": "CB-V1", "month": "2023-05",
         "payments": [{"member": "MA1", "paid": 50_000, "paid_on": "2023-05-11"}]},
    )  # fmt: skip
    assert response.status_code == 201 and response.json()[0]["due"] == 50_000
    assert api(editor_b).post(
        "/api/v1/cells/fees",
        {"organization": "CB-V1", "month": "2023-05",
         "payments": [{"member": "MA1", "paid": 1, "paid_on": "2023-05-11"}]},
    ).status_code == 400  # fmt: skip
    assert FeePayment.objects.get().paid == 50_000
