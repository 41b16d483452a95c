"""Optimistic locking (``core.locking``): two editors open the same form, both submit in turn;
the second is refused with "Đã có người sửa trước bạn", the first change is kept, and the
other's change is shown. The API answers 409 ``{detail, code: "stale"}``."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.core import locking
from grassroots.members.models import Member
from tests import factories

pytestmark = pytest.mark.django_db

STALE = "Đã có người sửa trước bạn"


@pytest.fixture
def editors(make_user, reg):
    """Two editors of the province, each with a browser of their own."""
    clients = []
    for name in ("bientap1", "bientap2"):
        user = make_user(name, roles=["editor"], scope=reg.province_committee)
        browser = Client()
        browser.force_login(user)
        clients.append(browser)
    return clients


@pytest.fixture
def quan(reg):
    return factories.member(
        full_name="Lù Văn Quân",
        code="DV-001",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
    )


def opened(browser, url) -> dict:
    """The values a form was opened with, as the browser would post them back."""
    form = browser.get(url).context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value in (None, "") or field.name == "photo":
            continue
        data[field.name] = getattr(value, "code", None) or (
            value.isoformat() if isinstance(value, date) else value
        )
    return data


# --- Members ----------------------------------------------------------------------------------


def test_second_member_editor_is_refused_and_the_first_change_kept(editors, quan):
    first, second = editors
    url = reverse("members:edit", args=[quan.code])
    mine, theirs = opened(first, url), opened(second, url)
    assert mine["based_on"] == theirs["based_on"] == str(quan.version)

    assert first.post(url, {**mine, "occupation": "Giáo viên"}).status_code == 302
    response = second.post(url, {**theirs, "occupation": "Nông dân"})

    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert "hồ sơ đảng viên Lù Văn Quân đã được bientap1 thay đổi lúc" in page
    # The other's change is shown beside what this editor typed.
    assert response.context["form"].stale_rows == [("Nghề nghiệp", "Giáo viên", "Nông dân")]
    assert "Giáo viên" in page and "Nông dân" in page
    quan.refresh_from_db()
    assert quan.occupation == "Giáo viên"
    # The form now carries the current version: saving again overrides on purpose.
    assert response.context["form"]["based_on"].value() == str(quan.version)
    again = {**theirs, "occupation": "Nông dân", "based_on": str(quan.version)}
    assert second.post(url, again).status_code == 302
    quan.refresh_from_db()
    assert quan.occupation == "Nông dân"


def test_member_version_moves_on_every_save(quan):
    before = Member.objects.get(pk=quan.pk).version
    quan.occupation = "Thợ mộc"
    quan.save()
    assert Member.objects.get(pk=quan.pk).version == before + 1 == quan.version


def test_check_not_stale_compares_in_the_update(quan):
    from django.db import transaction

    with transaction.atomic():
        locking.check_not_stale(quan, str(quan.version))
    with pytest.raises(locking.StaleError) as refused:
        locking.check_not_stale(Member.objects.get(pk=quan.pk), "1")
    assert refused.value.code == "stale"
    assert STALE in refused.value.messages[0]
    locking.check_not_stale(quan, None)  # internal callers: no check


# --- Versioned hierarchies --------------------------------------------------------------------


def test_stale_organisation_form_does_not_revert_another_editors_place_change(editors, reg):
    first, second = editors
    url = reverse("organizations:change", args=["CB-V1"])
    mine, theirs = opened(first, url + "?as_of=2024-01-01"), opened(second, url)
    assert mine["place"] == theirs["place"] == "V1"

    # The first editor attaches the cell to the commune from 1/1/2024.
    response = first.post(url, {**mine, "day": "2024-01-01", "place": "03434"})
    assert response.status_code == 302
    # The second, on the form opened before, renames it from 1/6/2024 with the old place.
    response = second.post(url, {**theirs, "day": "2024-06-01", "name": "Chi bộ Nậm Ngà mới"})

    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert "đã được bientap1 thay đổi lúc" in response.content.decode()
    rows = response.context["form"].stale_rows
    assert rows == [
        ("Tên", "Chi bộ bản Nậm Ngà", "Chi bộ Nậm Ngà mới"),
        ("Địa bàn", "Xã Nậm Hàng", "Bản Nậm Ngà"),
    ]
    assert reg.cell_a.version_on(date(2024, 6, 1)).place == reg.commune_a
    assert reg.cell_a.version_on(date(2024, 6, 1)).name == "Chi bộ bản Nậm Ngà"
    assert reg.cell_a.versions.count() == 2


def test_stale_place_form_is_refused(editors, reg):
    first, second = editors
    url = reverse("places:change", args=["V1"])
    mine, theirs = opened(first, url), opened(second, url)
    assert (
        first.post(url, {**mine, "day": "2024-01-01", "name": "Bản Nậm Ngà 1"}).status_code == 302
    )
    response = second.post(url, {**theirs, "day": "2024-06-01", "name": "Bản Nậm Ngà 2"})
    assert STALE in response.content.decode()
    assert reg.village_a.version_on(date(2024, 6, 1)).name == "Bản Nậm Ngà 1"


# --- Admission targets, candidates, ratings -----------------------------------------------------


def test_second_target_editor_is_refused(editors, reg):
    from grassroots.admissions.services import target_set

    target = target_set(
        acting_user=None, organization=reg.committee, year_from=2020, year_to=2025, per_year=60
    )
    first, second = editors
    url = reverse("admissions:target_edit", args=[target.pk])
    mine, theirs = opened(first, url), opened(second, url)
    assert mine["organization"] == "DB-112" and mine["based_on"] == "1"

    assert first.post(url, {**mine, "per_year": 65}).status_code == 302
    response = second.post(url, {**theirs, "per_year": 70})
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert response.context["form"].stale_rows == [("Mỗi năm kết nạp ít nhất", "65", "70")]
    target.refresh_from_db()
    assert target.per_year == 65


def test_two_editors_creating_the_same_target_the_second_is_refused(editors, reg):
    first, second = editors
    url = reverse("admissions:target_create")
    mine, theirs = opened(first, url), opened(second, url)
    assert mine["based_on"] == locking.NEW
    key = {"organization": "DB-112", "year_from": 2020, "year_to": 2025}
    assert first.post(url, {**mine, **key, "per_year": 60}).status_code == 302
    response = second.post(url, {**theirs, **key, "per_year": 10})
    assert STALE in response.content.decode()
    assert reg.committee.admission_targets.get().per_year == 60


def test_a_step_taken_on_a_stale_candidate_page_is_refused(editors, make_user, reg):
    from grassroots.admissions.models import Candidate
    from grassroots.admissions.services import candidate_create

    candidate = candidate_create(
        acting_user=None,
        code="QC-1",
        full_name="Lò Thị Hoa",
        gender="female",
        birth_date=date(2000, 3, 1),
        source="youth_union",
        organization=reg.cell_a,
        place=reg.village_a,
        identified_on=date(2024, 1, 10),
    )
    first, second = editors
    trained = reverse("admissions:step", args=[candidate.code, "trained"])
    dropped = reverse("admissions:step", args=[candidate.code, "dropped"])
    mine, theirs = opened(first, trained), opened(second, dropped)
    assert first.post(trained, {**mine, "date": "2024-02-01"}).status_code == 302
    # The second editor drops the candidate from a page opened before the training was recorded.
    response = second.post(dropped, {**theirs, "date": "2024-02-02", "reason": "Chuyển đi"})
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert ("Bước hiện tại", "Học lớp nhận thức về Đảng", "—") in response.context[
        "form"
    ].stale_rows
    assert Candidate.objects.get(pk=candidate.pk).stage == "trained"


def test_second_rating_editor_is_refused(editors, reg):
    from grassroots.ratings.models import Rating
    from grassroots.ratings.services import rating_record

    rating, _ = rating_record(
        acting_user=None,
        period_kind="year",
        period_label="2024",
        organization=reg.cell_a,
        level="good",
    )
    first, second = editors
    # The rating page's "Sửa xếp loại" link opens the form on this rating.
    link = reverse("ratings:create") + (
        "?period_kind=year&period_label=2024&subject=organization&code=CB-V1&level=good"
    )
    mine, theirs = opened(first, link), opened(second, link)
    assert mine["based_on"] == str(rating.version)
    url = reverse("ratings:create")
    assert first.post(url, {**mine, "level": "excellent"}).status_code == 302
    response = second.post(url, {**theirs, "level": "completed", "note": "Chưa đạt"})
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert (
        "Mức xếp loại",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành nhiệm vụ",
    ) in response.context["form"].stale_rows
    assert Rating.objects.get().level == "excellent"


def test_two_editors_rating_the_same_member_first_time(editors, reg, quan):
    from grassroots.ratings.models import Rating

    first, second = editors
    link = reverse("ratings:create") + (
        f"?period_kind=year&period_label=2024&subject=member&code={quan.code}"
    )
    mine, theirs = opened(first, link), opened(second, link)
    assert mine["based_on"] == locking.NEW
    url = reverse("ratings:create")
    assert first.post(url, {**mine, "level": "good"}).status_code == 302
    response = second.post(url, {**theirs, "level": "not_completed"})
    assert STALE in response.content.decode()
    assert Rating.objects.get().level == "good"


# --- API: 409 -------------------------------------------------------------------------------


@pytest.fixture
def apis(make_user, reg):
    """Two editors' API clients (personal tokens)."""
    from grassroots.accounts.services import api_token_create

    clients = []
    for name in ("may1", "may2"):
        user = make_user(name, roles=["editor"], scope=reg.province_committee)
        _token, key = api_token_create(user=user, name="tests")
        clients.append(Client(headers={"Authorization": f"Bearer {key}"}))
    return clients


def post(api, path, body):
    return api.post(f"/api/v1{path}", body, content_type="application/json")


def test_api_stale_target_answers_409_and_keeps_the_first(apis, reg):
    first, second = apis
    body = {"organization_code": "DB-112", "year_from": 2020, "year_to": 2025, "per_year": 60}
    created = post(first, "/admissions/targets", {**body, "version": 0})
    assert created.status_code == 201 and created.json()["version"] == 1
    (read,) = second.get("/api/v1/admissions/targets").json()
    assert read["version"] == 1

    assert (
        post(first, "/admissions/targets", {**body, "per_year": 65, "version": 1}).json()["version"]
        == 2
    )
    refused = post(second, "/admissions/targets", {**body, "per_year": 70, "version": 1})
    assert refused.status_code == 409
    answer = refused.json()
    assert answer["code"] == "stale" and STALE in answer["detail"]
    assert answer["version"] == "2"
    assert reg.committee.admission_targets.get().per_year == 65
    # Creating what another client created meanwhile is stale too.
    again = post(second, "/admissions/targets", {**body, "version": 0})
    assert again.status_code == 409


def test_api_stale_rating_and_step_answer_409(apis, reg):
    from grassroots.admissions.models import Candidate
    from grassroots.admissions.services import candidate_create
    from grassroots.ratings.models import Rating

    first, second = apis
    body = {"period": "year", "period_label": "2024", "subject": "organization", "code": "CB-V1"}
    assert post(first, "/ratings/", {**body, "level": "good", "version": 0}).status_code == 201
    refused = post(second, "/ratings/", {**body, "level": "completed", "version": 0})
    assert refused.status_code == 409 and refused.json()["code"] == "stale"
    assert Rating.objects.get().level == "good"

    candidate_create(
        acting_user=None,
        code="QC-2",
        full_name="Lò Văn Bình",
        gender="male",
        birth_date=date(2000, 3, 1),
        source="youth_union",
        organization=reg.cell_a,
        place=reg.village_a,
        identified_on=date(2024, 1, 10),
    )
    read = first.get("/api/v1/admissions/candidates/QC-2").json()
    step = {"stage": "trained", "date": "2024-02-01", "version": read["version"]}
    assert post(first, "/admissions/candidates/QC-2/steps", step).status_code == 201
    drop = {"stage": "dropped", "date": "2024-02-02", "reason": "Chuyển đi"}
    refused = post(
        second, "/admissions/candidates/QC-2/steps", {**drop, "version": read["version"]}
    )
    assert refused.status_code == 409
    assert Candidate.objects.get(code="QC-2").stage == "trained"


def test_openapi_documents_the_409(client, admin_user):
    client.force_login(admin_user)
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/admissions/targets", "/api/v1/ratings/"):
        responses = document["paths"][path]["post"]["responses"]
        assert "409" in responses, path
    assert "409" in document["paths"]["/api/v1/members/{code}"]["patch"]["responses"]
    schema = document["components"]["schemas"]["TargetIn"]["properties"]
    assert "version" in schema


def test_api_member_profile_update_refuses_a_stale_version(apis, quan):
    first, second = apis
    url = f"/api/v1/members/{quan.code}"
    version = first.get(url).json()["version"]
    assert second.get(url).json()["version"] == version

    changed = first.patch(url, {"occupation": "Giáo viên", "version": version}, "application/json")
    assert changed.status_code == 200 and changed.json()["version"] == version + 1
    refused = second.patch(url, {"occupation": "Nông dân", "version": version}, "application/json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "stale" and STALE in refused.json()["detail"]
    quan.refresh_from_db()
    assert quan.occupation == "Giáo viên"
    blank = first.patch(url, {"full_name": " "}, "application/json")
    assert blank.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_on_the_same_version_only_one_passes():
    """The compare is the UPDATE: the second writer waits for the first's row lock, then finds
    the version moved on and is refused — both databases."""
    import threading
    import time

    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        # The test database is SQLite's shared in-memory one, whose table locks fail at once
        # instead of waiting. The file database serialises writers where it matters: every
        # transaction begins IMMEDIATE (the write lock first), so the second writer reads the
        # version only after the first committed, and its compare finds it moved on.
        from django.conf import settings

        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    member = factories.member(full_name="Lò Văn Ánh", code="DV-RACE")
    version = str(member.version)
    first_claimed, outcomes = threading.Event(), {}

    def write(name: str, occupation: str, hold: float) -> None:
        try:
            with transaction.atomic():
                row = Member.objects.get(pk=member.pk)
                if name == "second":
                    first_claimed.wait(5)
                locking.check_not_stale(row, version)
                if name == "first":
                    first_claimed.set()
                    time.sleep(hold)  # the second writer is now waiting on the row
                row.occupation = occupation
                row.save()
            outcomes[name] = "saved"
        except locking.StaleError:
            outcomes[name] = "stale"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=("first", "Giáo viên", 0.5)),
        threading.Thread(target=write, args=("second", "Nông dân", 0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcomes == {"first": "saved", "second": "stale"}
    assert Member.objects.get(pk=member.pk).occupation == "Giáo viên"
