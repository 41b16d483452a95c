"""Pages and API of study campaigns, self-criticism reviews, income bases and remittances:
create and correct through the generic pages (optimistic locking, Vietnamese messages), the
scope on every one of them."""

from datetime import date

import pytest

from grassroots.accounts.services import api_token_create
from grassroots.cells.models import (
    FeeRemittance,
    IncomeBasis,
    SelfCriticism,
    StudyAttendance,
    StudyCampaign,
)
from grassroots.cells.services import fee_remit, study_campaign_save
from grassroots.resolutions.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return Document.objects.create(
        type="CT", issuer_code="TW", number="05-CT/TW", issued_on=date(2016, 5, 15),
        title="Chỉ thị 05",
    )  # fmt: skip


@pytest.fixture
def api(client):
    def make(user):
        _token, key = api_token_create(user=user, name="tests")
        headers = {"Authorization": f"Bearer {key}"}

        class Api:
            def get(self, path, **params):
                return client.get(path, params, headers=headers)

            def send(self, method, path, body):
                return client.generic(
                    method, path, data=__import__("json").dumps(body),
                    content_type="application/json", headers=headers,
                )  # fmt: skip

        return Api()

    return make


def test_a_campaign_through_its_pages(client, reg, members_a, document, editor_a, editor_b):
    client.force_login(editor_a)
    data = {
        "organization": "DU-03434", "document": "05-CT/TW", "title": "Học tập Chỉ thị 05",
        "start": "2023-04-01", "end": "2023-06-30", "target": "all", "plan_required": "on",
        "note": "", "target_note": "", "based_on": "0",
    }  # fmt: skip
    bad = client.post("/cells/study/new/", {**data, "document": "99-CT/TW"})
    assert bad.status_code == 200 and "Không tìm thấy" in bad.content.decode()
    response = client.post("/cells/study/new/", data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    campaign = StudyCampaign.objects.get()
    url = f"/cells/study/{campaign.pk}/session/?organization=CB-V1&date=2023-05-05"
    page = client.get(url).content.decode()
    assert page.count('type="checkbox"') == 6 and "Lò Văn An" in page
    response = client.post(url, {"attended": [m.pk for m in members_a[:3]], "note": ""})
    assert response.status_code == 302
    assert StudyAttendance.objects.count() == 3
    detail = client.get(response["Location"], {"organization": "DU-03434"}).content.decode()
    # 3 attended, none has a plan yet: nobody studied; 6 not studied, linked to the list.
    assert "0,0%" in detail and "figure=study.campaigns." in detail
    response = client.post(
        f"/cells/study/{campaign.pk}/plan/?member=MA1", {"submitted_on": "2023-05-06"}
    )
    assert response.status_code == 302
    # A stale edit is refused with the other editor's values; the campaign is unchanged.
    edit = f"/cells/study/{campaign.pk}/edit/"
    response = client.post(edit, {**data, "title": "Khác", "based_on": str(campaign.version + 5)})
    assert response.status_code == 200 and "Đã có người sửa trước bạn" in response.content.decode()
    assert StudyCampaign.objects.get().title == "Học tập Chỉ thị 05"
    # The district's campaign covers commune A: read and sessions recorded there, not changed.
    district = study_campaign_save(
        acting_user=None, organization=reg.committee, document=document, title="Của huyện",
        start=date(2023, 4, 1), end=date(2023, 6, 30),
    )  # fmt: skip
    assert client.get(f"/cells/study/{district.pk}/").status_code == 200
    assert client.get(f"/cells/study/{district.pk}/edit/").status_code == 404
    assert client.get(f"/cells/study/{district.pk}/session/?organization=CB-V1").status_code == 200
    # Commune B's editor sees nothing of it.
    client.force_login(editor_b)
    assert client.get(f"/cells/study/{campaign.pk}/").status_code == 404
    listed = client.get("/cells/study/").content.decode()
    assert "Học tập Chỉ thị 05" not in listed and "Của huyện" in listed
    assert client.post(url, {"attended": [members_a[0].pk]}).status_code == 404


def test_reviews_page_and_api(client, reg, members_a, editor_a, editor_b, api):
    client.force_login(editor_a)
    response = client.post(
        "/cells/reviews/new/",
        {"year": 2023, "member": "MA1", "status": "done", "reviewed_on": "", "based_on": "0"},
    )
    assert response.status_code == 200 and "Nhập ngày kiểm điểm." in response.content.decode()
    response = client.post(
        "/cells/reviews/new/",
        {"year": 2023, "member": "MA1", "status": "done", "reviewed_on": "2023-12-15",
         "based_on": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    review = SelfCriticism.objects.get()
    assert "Đã kiểm điểm" in client.get("/cells/reviews/", {"year": 2023}).content.decode()
    a = api(editor_a)
    body = {"year": 2023, "member": "MA2", "status": "not_done"}
    assert a.send("POST", "/api/v1/cells/reviews", body).status_code == 201
    stale = {"year": 2023, "member": "MA1", "status": "not_done", "version": review.version + 1}
    assert a.send("POST", "/api/v1/cells/reviews", stale).status_code == 409
    assert a.get("/api/v1/cells/reviews").json()["count"] == 2
    assert api(editor_b).get("/api/v1/cells/reviews").json()["count"] == 0
    assert api(editor_b).send("POST", "/api/v1/cells/reviews", body).status_code == 400
    client.force_login(editor_b)
    assert client.get(f"/cells/reviews/{review.pk}/").status_code == 404


def test_bases_and_remittances_pages(client, reg, members_a, editor_a, editor_b, api):
    client.force_login(editor_a)
    bad = client.post(
        "/cells/fees/bases/new/",
        {"member": "MA1", "kind": "salary", "amount": "-5", "valid_from": "2023-01-01"},
    )
    assert bad.status_code == 200 and "Số tiền không được âm." in bad.content.decode()
    response = client.post(
        "/cells/fees/bases/new/",
        {"member": "MA1", "kind": "salary", "amount": "4950000", "valid_from": "2023-01-01",
         "based_on": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    basis = IncomeBasis.objects.get()
    listed = client.get(response["Location"]).content.decode()
    assert "4.950.000 đ" in listed and "50.000 đ" in listed
    edit = f"/cells/fees/bases/{basis.pk}/"
    form = {"member": "MA1", "kind": "pension", "amount": "3100000", "valid_from": "2023-01-01"}
    stale = client.post(edit, {**form, "based_on": str(basis.version + 1)})
    assert "Đã có người sửa trước bạn" in stale.content.decode()
    assert client.post(edit, {**form, "based_on": str(basis.version)}).status_code == 302
    assert IncomeBasis.objects.get().kind == "pension"
    remittance = fee_remit(
        acting_user=None, organization=reg.cell_a, month_from=date(2023, 1, 1),
        month_to=date(2023, 3, 1), amount=30_000, sent_on=date(2023, 4, 10),
    )  # fmt: skip
    assert "30.000 đ" in client.get("/cells/fees/remittances/").content.decode()
    edit = f"/cells/fees/remittances/{remittance.pk}/"
    form = {"organization": "CB-V1", "month_from": "2023-03", "month_to": "2023-01",
            "amount": "31000", "sent_on": "2023-04-10", "based_on": str(remittance.version)}  # fmt: skip
    bad = client.post(edit, form)
    assert "Tháng kết thúc phải sau" in bad.content.decode()
    bad = client.post(edit, {**form, "month_from": "2023-13"})
    assert "không hợp lệ" in bad.content.decode()
    assert (
        client.post(edit, {**form, "month_from": "2023-01", "month_to": "2023-03"}).status_code
        == 302
    )
    assert FeeRemittance.objects.get().amount == 31_000
    a = api(editor_a)
    assert a.get("/api/v1/cells/bases").json()["count"] == 1
    assert a.get("/api/v1/cells/remittances").json()["items"][0]["amount"] == 31_000
    body = {"organization": "CB-V1", "month_from": "2023-01", "month_to": "2023-03",
            "amount": 1, "sent_on": "2023-04-10", "version": 1}  # fmt: skip
    assert a.send("PUT", f"/api/v1/cells/remittances/{remittance.pk}", body).status_code == 409
    b = api(editor_b)
    assert b.get("/api/v1/cells/bases").json()["count"] == 0
    assert b.send("PUT", f"/api/v1/cells/remittances/{remittance.pk}", body).status_code == 404
    client.force_login(editor_b)
    assert client.get(f"/cells/fees/bases/{basis.pk}/").status_code == 404
    assert FeeRemittance.objects.get().amount == 31_000
