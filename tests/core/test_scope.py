"""The scope primitive (``core.scope``): who sees everything or nothing, reading follows time,
changing needs the editor role and today's subtree, and the thin ``*_visible_to`` wrappers."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from grassroots.admissions.selectors import candidate_visible_to, target_visible_to
from grassroots.admissions.services import candidate_create, target_set
from grassroots.core import scope
from grassroots.core.errors import NotFound
from grassroots.members.models import Member, MemberEvent, MembershipSpan
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.models import Organization
from grassroots.organizations.selectors import organization_visible_to
from grassroots.organizations.services import organization_reparent
from grassroots.places.models import Place
from grassroots.places.selectors import place_visible_to
from grassroots.places.services import place_create, place_reparent
from grassroots.ratings.models import Rating
from grassroots.ratings.selectors import rating_visible_to
from grassroots.ratings.services import rating_record
from tests import factories

pytestmark = pytest.mark.django_db

MOVED = date(2020, 1, 1)


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


@pytest.fixture
def moved(reg):
    """Cell CB-V1 (village A) moves from commune A to commune B on 2020-01-01; a member was
    admitted there before and one after."""
    reg.before = factories.member(
        code="TRUOC", organization=reg.cell_a, place=reg.village_a, admitted=date(2016, 1, 1)
    )
    organization_reparent(
        acting_user=None, organization=reg.cell_a, parent=reg.commune_committee_b, day=MOVED
    )
    reg.after = factories.member(
        code="SAU", organization=reg.cell_a, place=reg.village_a, admitted=date(2021, 1, 1)
    )
    return reg


def test_who_sees_everything_and_who_sees_nothing(moved, make_user, admin_user):
    assert codes(Member.objects.visible_to(admin_user)) == {"TRUOC", "SAU"}
    assert codes(Member.objects.visible_to(None)) == {"TRUOC", "SAU"}  # internal
    nobody = make_user("khong-pham-vi", roles=["editor"])
    assert not Organization.objects.visible_to(nobody).exists()
    assert not Place.objects.visible_to(nobody).exists()
    assert not Member.objects.visible_to(nobody, "change").exists()
    inactive = make_user("nghi", roles=["viewer"], scope=moved.committee, is_active=False)
    assert not Organization.objects.visible_to(inactive).exists()
    with pytest.raises(ValueError):
        Organization.objects.visible_to(admin_user, "delete")


def test_reading_follows_time(moved, make_user):
    viewer_a = make_user("xem-a", roles=["viewer"], scope=moved.commune_committee_a)
    viewer_b = make_user("xem-b", roles=["viewer"], scope=moved.commune_committee_b)
    # the cell stays in A's history; B sees it too (it is B's now)
    assert "CB-V1" in codes(organization_visible_to(viewer_a))
    assert "CB-V1" in codes(organization_visible_to(viewer_b))
    assert "CB-V1" not in codes(organization_visible_to(viewer_a, on=MOVED))
    assert "CB-V1" in codes(organization_visible_to(viewer_a, on=MOVED - timedelta(days=1)))
    # members: A reads the one admitted while the cell was A's, not the one after
    assert codes(member_visible_to(viewer_a)) == {"TRUOC"}
    assert codes(member_visible_to(viewer_b)) == {"TRUOC", "SAU"}
    # spans and events: only the part dated inside
    spans = MembershipSpan.objects.visible_to(viewer_a)
    assert set(spans.values_list("member__code", flat=True)) == {"TRUOC"}
    assert not MembershipSpan.objects.visible_to(viewer_a, on=date(2022, 1, 1)).exists()
    events = MemberEvent.objects.visible_to(viewer_a)
    assert set(events.values_list("member__code", flat=True)) == {"TRUOC"}
    # places: the area of the scope (the village stays in commune A's area)
    assert {"03434", "V1"} <= codes(place_visible_to(viewer_a))
    assert "V2" not in codes(place_visible_to(viewer_a))
    assert "03434" not in codes(place_visible_to(viewer_b))


def test_changing_needs_the_editor_role_and_todays_subtree(moved, make_user):
    viewer_a = make_user("xem-a", roles=["viewer"], scope=moved.commune_committee_a)
    editor_a = make_user("bt-a", roles=["editor"], scope=moved.commune_committee_a)
    editor_b = make_user("bt-b", roles=["editor"], scope=moved.commune_committee_b)
    assert not organization_visible_to(viewer_a, "change").exists()
    assert codes(organization_visible_to(editor_a, "change")) == {"DU-03434"}
    assert codes(organization_visible_to(editor_b, "change")) == {"DU-03460", "CB-V2", "CB-V1"}
    assert codes(member_visible_to(editor_a, "change")) == set()
    assert codes(member_visible_to(editor_b, "change")) == {"TRUOC", "SAU"}
    assert not scope.allowed(editor_a, moved.before)
    assert scope.allowed(editor_b, moved.before)
    # a change that takes effect later is checked on that day
    later = timezone.localdate() + timedelta(days=30)
    organization_reparent(
        acting_user=None, organization=moved.cell_b, parent=moved.commune_committee_a, day=later
    )
    assert "CB-V2" in codes(organization_visible_to(editor_b, "change"))
    assert "CB-V2" not in codes(organization_visible_to(editor_b, "change", on=later))
    assert "CB-V2" in codes(organization_visible_to(editor_a, "change", on=later))


def test_place_writes_are_refused_outside_and_rechecked_after(moved, make_user):
    editor_a = make_user("bt-a", roles=["editor"], scope=moved.commune_committee_a)
    today = timezone.localdate()
    with pytest.raises(NotFound):
        place_create(
            acting_user=editor_a,
            code="V9",
            name="Bản Mới",
            kind="village",
            parent=moved.commune_b,
            valid_from=today,
        )
    created = place_create(
        acting_user=editor_a,
        code="V8",
        name="Bản Tám",
        kind="village",
        parent=moved.commune_a,
        valid_from=today - timedelta(days=10),
    )
    with pytest.raises(NotFound):  # moved out of the area: refused and rolled back
        place_reparent(acting_user=editor_a, place=created, parent=moved.commune_b, day=today)
    assert created.version_on(today).parent == moved.commune_a


def test_wrappers_delegate_to_the_primitive(moved, make_user):
    editor_a = make_user("bt-a", roles=["editor"], scope=moved.commune_committee_a)
    editor_b = make_user("bt-b", roles=["editor"], scope=moved.commune_committee_b)
    rating_record(
        acting_user=None,
        period_kind="year",
        period_label="2017",
        organization=moved.cell_a,
        level="good",
    )
    rating_record(
        acting_user=None,
        period_kind="year",
        period_label="2023",
        organization=moved.cell_a,
        level="good",
    )
    # the 2017 rating is A's history, the 2023 one B's: each reads its own
    assert set(rating_visible_to(editor_a).values_list("period_label", flat=True)) == {"2017"}
    assert set(Rating.objects.visible_to(editor_b).values_list("period_label", flat=True)) == {
        "2023"
    }
    with pytest.raises(NotFound):
        target_set(
            acting_user=editor_a, organization=moved.cell_a, year_from=2026, year_to=2030, total=3
        )
    target_set(
        acting_user=editor_b, organization=moved.cell_a, year_from=2026, year_to=2030, total=3
    )
    assert target_visible_to(editor_a).count() == 1  # the cell was A's once
    assert not target_visible_to(editor_a, "change").exists()
    with pytest.raises(NotFound):
        candidate_create(
            acting_user=editor_a,
            code="QC-1",
            full_name="Lò Văn Nguồn",
            gender="male",
            birth_date=date(2000, 1, 1),
            source="youth_union",
            organization=moved.cell_b,
            place=moved.village_b,
            identified_on=timezone.localdate(),
        )
    assert not candidate_visible_to(editor_a).exists()
