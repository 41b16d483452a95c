"""Lifecycle actions through the API: the editor role, refused rules (400, nothing changed),
warnings returned, corrections and cancellations kept in the history."""

from datetime import date

import pytest
from auditlog.models import LogEntry

from grassroots.members.models import Member, MemberEvent, MembershipSpan
from tests.factories import member


def admission(reg, day="2024-03-01", **extra) -> dict:
    return {
        "event": "admitted",
        "date": day,
        "organization_code": reg.cell_a.code,
        "place_code": reg.village_a.code,
        **extra,
    }


def test_editor_records_an_event_and_the_state_follows(api_as, editor, reg, quan):
    api = api_as(editor)

    response = api.post("/members/DV-QUAN/events", {"event": "confirmed", "date": "2025-03-01"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["event"]["event"] == "confirmed"
    assert body["event"]["recorded_by"] == "bientap"
    assert body["warnings"] == []
    state = api.get("/members/DV-QUAN", as_of="2025-06-01").json()["state"]
    assert state["status"] == "official"
    entry = LogEntry.objects.get_for_object(Member.objects.get(code="DV-QUAN")).latest("id")
    assert entry.actor == editor


def test_a_viewer_may_not_write(api_as, make_user, reg, quan):
    viewer = make_user("xem", roles=["viewer"], scope=reg.committee)

    response = api_as(viewer).post(
        "/members/DV-QUAN/events", {"event": "confirmed", "date": "2025-03-01"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert MemberEvent.objects.filter(member=quan).count() == 1


def test_a_refused_action_is_400_in_vietnamese_and_changes_nothing(api_as, editor, reg):
    official = member(
        code="DV-CT",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 1, 1),
        confirmed=date(2021, 1, 1),
    )
    spans = list(MembershipSpan.objects.filter(member=official).values())

    response = api_as(editor).post(
        "/members/DV-CT/events", {"event": "confirmed", "date": "2022-01-01"}
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"]
    assert "chính thức" in body["detail"]
    assert MemberEvent.objects.filter(member=official).count() == 2
    assert list(MembershipSpan.objects.filter(member=official).values()) == spans


@pytest.fixture
def admin_api(api_as, admin_user):
    return api_as(admin_user)


def test_admission_age_warning_is_returned(admin_api, reg):
    member(full_name="Lò Thị Mai", code="DV-MAI", birth_date=date(2007, 1, 1))

    response = admin_api.post("/members/DV-MAI/events", admission(reg, day="2024-06-01"))

    assert response.status_code == 201, response.content
    warnings = response.json()["warnings"]
    assert [w["code"] for w in warnings] == ["admission_age"]
    assert "17 tuổi" in warnings[0]["message"]
    assert MemberEvent.objects.filter(member__code="DV-MAI").count() == 1


def test_codes_in_the_body_resolve_only_inside_the_scope(api_as, make_user, reg, quan):
    editor_a = make_user("bientap-a", roles=["editor"], scope=reg.commune_committee_a)

    response = api_as(editor_a).post(
        "/members/DV-QUAN/events",
        {"event": "moved", "date": "2024-09-01", "organization_code": reg.cell_b.code},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_code"
    assert "CB-V2" in response.json()["detail"]
    assert MemberEvent.objects.filter(member=quan).count() == 1


def test_cancelled_is_not_a_kind_to_record(api_as, editor, quan):
    response = api_as(editor).post(
        "/members/DV-QUAN/events", {"event": "cancelled", "date": "2024-09-01"}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_create_a_member_with_the_first_event(api_as, editor, reg):
    api = api_as(editor)

    response = api.post(
        "/members/",
        {
            "code": "DV-MOI",
            "full_name": "  Giàng  A Páo ",
            "gender": "male",
            "birth_date": "1995-02-03",
            "ethnicity": "Hà Nhì",
            "first_event": admission(reg, day="2024-05-01"),
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member"]["full_name"] == "Giàng A Páo"
    assert body["member"]["state"]["organization"] == "CB-V1"
    assert body["event"]["event"] == "admitted"
    assert api.get("/members/DV-MOI").status_code == 200


def test_create_is_all_or_nothing(api_as, editor, reg):
    response = api_as(editor).post(
        "/members/",
        {
            "code": "DV-MOI",
            "full_name": "Giàng A Páo",
            "gender": "male",
            "birth_date": "1995-02-03",
            "first_event": {"event": "confirmed", "date": "2024-05-01"},
        },
    )

    assert response.status_code == 400
    assert not Member.objects.filter(code="DV-MOI").exists()


def test_create_refuses_a_duplicate_code(api_as, editor, quan):
    response = api_as(editor).post(
        "/members/",
        {
            "code": "DV-QUAN",
            "full_name": "Lù Văn Quân",
            "gender": "male",
            "birth_date": "1990-05-01",
        },
    )

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_code"


def test_correct_keeps_both_events(api_as, editor, reg, quan):
    api = api_as(editor)
    admitted = quan.events.get()

    response = api.post(
        f"/members/DV-QUAN/events/{admitted.pk}/correct", {"date": "2024-02-15", "note": "sai ngày"}
    )

    assert response.status_code == 201, response.content
    correction = response.json()["event"]
    assert correction["supersedes"] == admitted.pk
    events = api.get("/members/DV-QUAN/events").json()
    assert [(e["id"], e["superseded_by"]) for e in events] == [
        (correction["id"], None),
        (admitted.pk, correction["id"]),
    ]
    assert api.get("/members/DV-QUAN", as_of="2024-02-20").json()["state"] is not None


def test_cancel_withdraws_an_event(api_as, editor, quan):
    api = api_as(editor)
    admitted = quan.events.get()

    response = api.post(f"/members/DV-QUAN/events/{admitted.pk}/cancel")

    assert response.status_code == 201, response.content
    assert response.json()["event"]["event"] == "cancelled"
    assert api.get("/members/DV-QUAN", as_of="2024-06-01").json()["state"] is None
    again = api.post(f"/members/DV-QUAN/events/{admitted.pk}/cancel")
    assert again.status_code == 400
    assert again.json()["code"] == "already_superseded"


def test_an_event_of_another_member_is_404(api_as, editor, reg, quan):
    other = member(
        code="DV-KHAC", organization=reg.cell_a, place=reg.village_a, admitted=date(2024, 1, 1)
    )

    response = api_as(editor).post(f"/members/DV-QUAN/events/{other.events.get().pk}/cancel")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("events", {"event": "confirmed", "date": "2025-03-01"}),
        ("events/{id}/correct", {"date": "2024-02-15"}),
        ("events/{id}/cancel", {}),
    ],
)
def test_actions_on_a_member_outside_the_scope_are_404(api_as, make_user, reg, quan, action, body):
    editor_b = make_user("bientap-b", roles=["editor"], scope=reg.commune_committee_b)
    path = f"/members/DV-QUAN/{action}".replace("{id}", str(quan.events.get().pk))

    response = api_as(editor_b).post(path, body)

    assert response.status_code == 404
    assert MemberEvent.objects.filter(member=quan).count() == 1
