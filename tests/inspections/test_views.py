"""Pages and API: confidentiality (an editor who is not an inspector gets 404 on a case), the
access log of every inspector's read, the discipline history on the member's and the
organisation's pages, and an expulsion on the member's timeline and in the figures the next
request — and its cancellation on appeal restoring both."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.accounts.services import api_token_create
from grassroots.core.models import AccessLog
from grassroots.inspections import services
from grassroots.inspections.models import DisciplineDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(official, inspector):
    return services.case_open(
        acting_user=inspector,
        code="KT-7",
        kind="inspection_signs",
        subject="member",
        member=official,
        topic="Vi phạm quy định về đất đai",
        deciding_body="Ủy ban Kiểm tra Đảng ủy xã",
        decision_number="07-QĐ/UBKT",
        decided_on=date(2023, 3, 1),
        team="Đồng chí Lò Văn Minh (trưởng đoàn)",
    )


def bearer(user) -> dict:
    _token, key = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {key}"}


def test_an_editor_who_is_not_an_inspector_gets_404_on_a_case_page_and_its_api(
    client, case, editor
):
    client.force_login(editor)
    assert client.get(reverse("inspections:case", args=[case.code])).status_code == 404
    assert client.get(reverse("inspections:case_step", args=[case.code])).status_code == 404
    response = client.get(f"/api/v1/inspections/cases/{case.code}", headers=bearer(editor))
    assert response.status_code == 404
    response = client.get("/api/v1/inspections/cases", headers=bearer(editor))
    assert response.json()["count"] == 0
    listing = client.get(reverse("inspections:cases"))
    assert listing.status_code == 200 and "KT-7" not in listing.content.decode()


def test_the_access_log_holds_every_inspectors_read(client, case, inspector):
    client.force_login(inspector)
    before = AccessLog.objects.count()
    page = client.get(reverse("inspections:case", args=[case.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Vi phạm quy định về đất đai" in body and "Lò Văn Minh" in body
    assert client.get(reverse("inspections:cases")).status_code == 200
    api = client.get(f"/api/v1/inspections/cases/{case.code}", headers=bearer(inspector))
    assert api.status_code == 200 and api.json()["decision_number"] == "07-QĐ/UBKT"
    logged = list(AccessLog.objects.order_by("pk")[before:])
    assert len(logged) == 3
    assert all(entry.user == inspector for entry in logged)
    assert [entry.subject for entry in logged] == ["KT-7", "", "KT-7"]
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]


def test_an_inspector_of_another_commune_gets_404(client, case, reg, make_user):
    other = make_user("kiemtra-b", roles=["editor", "inspector"], scope=reg.commune_committee_b)
    client.force_login(other)
    assert client.get(reverse("inspections:case", args=[case.code])).status_code == 404


def test_others_see_the_decision_not_the_case(client, case, official, editor, inspector):
    decision = services.discipline_decide(
        acting_user=inspector, code="KL-9", subject="member", member=official, case=case,
        level="warning", violation_kind="land", violation_date=date(2022, 12, 1),
        decided_on=date(2023, 5, 1), deciding_body="Ủy ban Kiểm tra Đảng ủy xã",
        decision_number="15-QĐ/UBKT", votes_for=5, votes_total=5,
    )  # fmt: skip
    client.force_login(editor)
    page = client.get(reverse("inspections:decision", args=[decision.code])).content.decode()
    assert "Cảnh cáo" in page and "15-QĐ/UBKT" in page
    assert "KT-7" not in page and "Vi phạm quy định về đất đai" not in page
    member_page = client.get(reverse("members:detail", args=[official.code])).content.decode()
    assert "Kỷ luật" in member_page and "15-QĐ/UBKT" in member_page
    client.force_login(inspector)
    page = client.get(reverse("inspections:decision", args=[decision.code])).content.decode()
    assert "KT-7" in page and "5/5" in page


def _official_count(client, headers) -> int:
    response = client.get(
        "/api/v1/reports/coverage",
        {"organization": "DU-03434", "as_of": "2023-12-31"},
        headers=headers,
    )
    assert response.status_code == 200, response.content
    return response.json()["members"]["official"]


def test_an_expulsion_shows_on_the_timeline_and_in_the_figures_and_its_cancellation_restores_both(
    client, reg, official, inspector
):
    headers = bearer(inspector)
    client.force_login(inspector)
    before = _official_count(client, headers)
    response = client.post(
        "/api/v1/inspections/decisions",
        {
            "code": "KL-KT",
            "subject": "member",
            "subject_code": official.code,
            "level": "expulsion",
            "violation_kind": "ethics",
            "violation_date": "2023-01-05",
            "decided_on": "2023-06-20",
            "deciding_body": "Đảng ủy xã",
            "decision_number": "31-QĐ/ĐU",
            "votes_for": 6,
            "votes_total": 9,
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    assert _official_count(client, headers) == before - 1
    timeline = client.get(reverse("members:detail", args=[official.code])).content.decode()
    assert "Khai trừ" in timeline
    decision = DisciplineDecision.objects.get(code="KL-KT")
    appeal = client.post(
        f"/api/v1/inspections/decisions/{decision.code}/appeals",
        {"lodged_on": "2023-07-01"},
        content_type="application/json",
        headers=headers,
    )
    assert appeal.status_code == 201, appeal.content
    decided = client.post(
        f"/api/v1/inspections/appeals/{appeal.json()['id']}/decide",
        {"decided_on": "2023-08-15", "outcome": "cancelled"},
        content_type="application/json",
        headers=headers,
    )
    assert decided.status_code == 200, decided.content
    assert _official_count(client, headers) == before
    timeline = client.get(reverse("members:detail", args=[official.code])).content.decode()
    assert "Hủy khai trừ" in timeline
    # the member is official again on the page's date: the state card says so
    state = client.get(
        reverse("members:detail", args=[official.code]) + "?as_of=2023-12-31"
    ).content.decode()
    assert "Chính thức" in state.split('id="profile-title"')[0]


def test_a_refused_vote_is_a_form_message_and_changes_nothing(client, official, inspector):
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:decision_create"),
        {
            "code": "KL-F", "subject": "member", "member": official.code, "level": "reprimand",
            "violation_kind": "duties", "violation_date": "2023-01-05", "decided_on": "2023-06-20",
            "deciding_body": "Chi bộ", "decision_number": "1-QĐ/CB", "votes_for": 3, "votes_total": 6,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "quá 1/2" in response.content.decode()
    assert not DisciplineDecision.objects.exists()


def test_the_figures_page_links_to_the_drilldown(client, reg, official, inspector, editor):
    services.discipline_decide(
        acting_user=inspector, code="KL-5", subject="member", member=official, level="reprimand",
        violation_kind="duties", violation_date=date(2023, 1, 5), decided_on=date(2023, 6, 20),
        deciding_body="Chi bộ", decision_number="5-QĐ/CB", votes_for=5, votes_total=6,
    )  # fmt: skip
    client.force_login(editor)
    page = client.get(
        reverse("inspections:figures"),
        {"organization": "DU-03434", "year_from": 2023, "year_to": 2023},
    )
    assert page.status_code == 200
    drill = client.get(
        reverse("statistics:drilldown"),
        {"figure": "discipline.members.reprimand", "organization": "DU-03434",
         "year_from": 2023, "year_to": 2023},
    )  # fmt: skip
    assert drill.status_code == 200 and "Lò Văn Thắng" in drill.content.decode()


def test_a_case_opened_on_the_page_carries_out_a_programme_item(client, reg, inspector):
    programme = services.programme_create(
        acting_user=inspector, organization=reg.commune_committee_a, kind="year",
        year_from=2023, title="Chương trình năm 2023",
    )  # fmt: skip
    item = services.programme_item_add(
        acting_user=inspector, programme=programme, kind="supervision_thematic",
        subject="organization", organization=reg.cell_a, topic="Phát triển đảng viên",
        period_start=date(2023, 4, 1), period_end=date(2023, 5, 1),
    )  # fmt: skip
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:case_create"),
        {
            "code": "gs-1", "kind": "supervision_thematic", "subject": "organization",
            "organization": reg.cell_a.code, "topic": "Phát triển đảng viên",
            "deciding_body": "Ban Thường vụ Đảng ủy xã", "decision_number": "4-QĐ/ĐU",
            "decided_on": "2023-04-02", "item": item.pk,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    case = item.cases.get()
    assert case.code == "GS-1" and case.organization == reg.cell_a
    page = client.get(reverse("inspections:programme", args=[programme.pk])).content.decode()
    assert "Phát triển đảng viên" in page and "Chưa" in page
