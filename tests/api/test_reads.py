"""Lists and details: the registry on ``as_of``, diacritic-insensitive search, and scope (404
outside it, absent from lists)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import member


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


# --- Members ---------------------------------------------------------------------------------


def test_member_list_shows_members_on_the_date(api_as, editor, quan):
    api = api_as(editor)

    assert codes(api.get("/members/", as_of="2024-06-01")) == ["DV-QUAN"]
    assert codes(api.get("/members/", as_of="2024-01-01")) == []


def test_member_list_item_carries_the_state_on_the_date(api_as, editor, reg, quan):
    item = api_as(editor).get("/members/", as_of="2024-06-01").json()["items"][0]

    assert item["full_name"] == "Lù Văn Quân"
    assert item["state"] == {
        "status": "probationary",
        "organization": "CB-V1",
        "place": "V1",
        "exempted": False,
        "valid_from": "2024-03-01",
        "valid_to": None,
    }


def test_member_search_ignores_diacritics_and_case(api_as, editor, reg, quan):
    member(
        full_name="Lò Thị Lan",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
    )
    api = api_as(editor)

    assert codes(api.get("/members/", as_of="2024-06-01", search="lu van quan")) == ["DV-QUAN"]
    assert codes(api.get("/members/", as_of="2024-06-01", search="LÙ VĂN")) == ["DV-QUAN"]


def test_member_list_filters_by_status_and_organization(api_as, editor, reg, quan):
    member(
        full_name="Vàng A Dế",
        code="DV-DE",
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2020, 1, 1),
        confirmed=date(2021, 1, 1),
    )
    api = api_as(editor)

    assert codes(api.get("/members/", as_of="2024-06-01", status="official")) == ["DV-DE"]
    assert codes(api.get("/members/", as_of="2024-06-01", organization="DU-03434")) == ["DV-QUAN"]
    response = api.get("/members/", organization="KHONG-CO")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_code"


def test_member_list_is_paginated(api_as, editor, reg):
    for name in ["Lò Văn A", "Lò Văn B", "Lò Văn C"]:
        member(
            full_name=name, organization=reg.cell_a, place=reg.village_a, admitted=date(2024, 1, 1)
        )
    api = api_as(editor)

    body = api.get("/members/", limit=2, offset=1).json()

    assert body["count"] == 3
    assert [m["full_name"] for m in body["items"]] == ["Lò Văn B", "Lò Văn C"]


def test_member_detail_shows_profile_and_state_on_the_date(api_as, editor, quan):
    api = api_as(editor)

    before = api.get("/members/DV-QUAN", as_of="2024-01-01").json()
    after = api.get("/members/DV-QUAN", as_of="2024-06-01").json()

    assert before["full_name"] == after["full_name"] == "Lù Văn Quân"
    assert before["state"] is None
    assert after["state"]["status"] == "probationary"
    assert after["as_of"] == "2024-06-01"


def test_member_events_list_the_whole_history(api_as, editor, quan):
    events = api_as(editor).get("/members/DV-QUAN/events").json()

    assert [(e["event"], e["date"], e["organization"]) for e in events] == [
        ("admitted", "2024-03-01", "CB-V1")
    ]
    assert events[0]["supersedes"] is None
    assert events[0]["superseded_by"] is None


# --- Places and organisations ---------------------------------------------------------------


def test_place_list_on_a_date_with_search_kind_and_parent(api_as, editor, reg):
    api = api_as(editor)

    assert codes(api.get("/places/", search="nam ngà")) == ["V1"]
    assert codes(api.get("/places/", kind="village")) == ["V1", "V2"]
    assert codes(api.get("/places/", parent="112")) == ["03460", "03434"]
    # The district and its communes were created on 2013-06-01.
    assert "112" not in codes(api.get("/places/", as_of="2013-05-31"))


def test_place_detail_has_the_version_on_the_date_and_all_versions(api_as, editor, reg):
    api = api_as(editor)

    body = api.get("/places/V1", as_of="2020-01-01").json()
    early = api.get("/places/V1", as_of="2013-05-31").json()

    assert body["version"]["name"] == "Bản Nậm Ngà"
    assert body["version"]["parent"] == "03434"
    assert len(body["versions"]) == 1
    assert early["version"] is None


def test_organization_list_and_detail(api_as, editor, reg):
    api = api_as(editor)

    assert codes(api.get("/organizations/", search="chi bo ban", kind="cell")) == [
        "CB-V1",
        "CB-V2",
    ]
    assert codes(api.get("/organizations/", parent="DU-03460")) == ["CB-V2"]
    detail = api.get("/organizations/CB-V1", as_of="2020-01-01").json()
    assert detail["version"]["parent"] == "DU-03434"
    assert detail["version"]["place"] == "V1"
    assert detail["versions"][0]["valid_from"] == "2013-06-01"


# --- Scope -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/members/DV-QUAN", "/members/DV-QUAN/events", "/organizations/CB-V1", "/places/V1"],
)
def test_objects_outside_the_scope_are_404(api_as, viewer_b, quan, path):
    response = api_as(viewer_b).get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy.", "code": "not_found"}


def test_lists_leave_out_what_is_outside_the_scope(api_as, viewer_b, reg, quan):
    api = api_as(viewer_b)

    assert codes(api.get("/members/", as_of="2024-06-01")) == []
    assert "CB-V1" not in codes(api.get("/organizations/"))
    assert "CB-V2" in codes(api.get("/organizations/"))
    assert "V1" not in codes(api.get("/places/"))
    assert "V2" in codes(api.get("/places/"))
    # Codes in filters resolve only inside the scope.
    assert api.get("/members/", organization="CB-V1").status_code == 400


def test_a_user_without_scope_sees_nothing(api_as, make_user, quan):
    api = api_as(make_user("khong-pham-vi", roles=["viewer"]))

    assert codes(api.get("/members/", as_of="2024-06-01")) == []
    assert api.get("/members/DV-QUAN").status_code == 404


@pytest.mark.parametrize(
    "path", ["/members/", "/members/DV-QUAN/events", "/organizations/", "/places/"]
)
def test_lists_do_not_query_per_item(api_as, editor, reg, quan, path):
    api = api_as(editor)
    api.get(path)  # the token's last_used_at is written once, on first use

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path, as_of="2024-06-01").status_code == 200
        return len(captured)

    few = queries()
    grow_registry(reg, quan)
    assert queries() == few


def grow_registry(reg, quan) -> None:
    """One more of everything a list shows: a village, its cell, a member, an event."""
    from grassroots.members.services import member_move
    from tests.factories import org, place

    since = date(2020, 1, 1)
    village = place(name="Bản Nậm Cầy", kind="village", parent=reg.commune_a, valid_from=since)
    cell = org(
        name="Chi bộ bản Nậm Cầy",
        kind="cell",
        place=village,
        parent=reg.commune_committee_a,
        valid_from=since,
    )
    member(full_name="Lò Văn Xe", organization=cell, place=village, admitted=date(2024, 1, 1))
    member_move(
        acting_user=None, member=quan, day=date(2024, 4, 1), organization=cell, place=village
    )
