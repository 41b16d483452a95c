"""The registry's hooks between layers: a module's *holdings* in an organisation (what a
restructure must move) and its *panels* on another module's detail page. Organisations reach
members, and places reach organisations, only through them (``tests/test_layers.py``)."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from grassroots.core import registry
from grassroots.core.errors import RuleError
from grassroots.core.registry import Holding, Panel
from grassroots.core.temporal import valid_on
from grassroots.members.hooks import OrganizationMembersPanel
from grassroots.organizations.hooks import PlaceOrganizationsPanel
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.organizations.services import (
    organization_dissolve,
    organization_merge,
    organization_merge_plan,
    organization_split,
)
from tests import factories

DAY = date(2024, 1, 1)


@pytest.fixture
def moved():
    return []


@pytest.fixture
def archive(reg, monkeypatch, moved):
    """Another module (the places app stands in for it) holds one file in cell B."""

    def holdings(organization, day, *, onwards=False):
        if organization != reg.cell_b:
            return []
        return [
            Holding(
                code="HS-1",
                label="hồ sơ HS-1",
                noun="hồ sơ",
                move=lambda **kwargs: moved.append(kwargs),
            )
        ]

    monkeypatch.setattr(apps.get_app_config("places"), "holdings", holdings)


def test_members_are_an_organisations_holdings(reg):
    member = factories.member(
        full_name="Tao Thị Bình",
        code="M-1",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 3, 1),
    )
    later = factories.member(
        code="M-2", organization=reg.cell_a, place=reg.village_a, admitted=date(2024, 6, 1)
    )
    [held] = registry.holdings(reg.cell_a, DAY)
    assert (held.code, held.label, held.noun, held.item) == (
        "M-1",
        "đảng viên Tao Thị Bình",
        "đảng viên",
        member,
    )
    assert {h.code for h in registry.holdings(reg.cell_a, DAY, onwards=True)} == {"M-1", "M-2"}
    assert registry.holdings(reg.cell_b, DAY) == []
    # Moving a holding is the members app's own service.
    held.move(acting_user=None, organization=reg.cell_b, day=DAY, note="")
    assert member.spans.get(valid_on(DAY)).organization == reg.cell_b
    assert later.spans.get().organization == reg.cell_a


def test_dissolve_is_refused_while_any_module_holds_something(reg, archive):
    with pytest.raises(RuleError) as exc:
        organization_dissolve(acting_user=None, organization=reg.cell_b, day=DAY)
    assert exc.value.code == "has_members"
    assert "còn 1 hồ sơ sinh hoạt từ ngày 01/01/2024" in exc.value.messages[0]
    assert reg.cell_b.versions.get().valid_to is None


def test_dissolve_counts_members_from_the_day_on(reg):
    factories.member(organization=reg.cell_a, place=reg.village_a, admitted=date(2024, 6, 1))
    with pytest.raises(RuleError) as exc:
        organization_dissolve(acting_user=None, organization=reg.cell_a, day=DAY)
    assert "còn 1 đảng viên sinh hoạt từ ngày 01/01/2024" in exc.value.messages[0]


def test_merge_moves_every_modules_holdings_with_its_own_move(reg, archive, moved, admin_user):
    plan = organization_merge_plan(sources=[reg.cell_b], into=reg.cell_a, day=DAY)
    assert [(h.code, s, t) for h, s, t in plan.holding_moves] == [("HS-1", reg.cell_b, reg.cell_a)]
    assert any(step.startswith("Chuyển hồ sơ HS-1 từ ") for step in plan.steps)
    assert moved == []  # a plan changes nothing

    # The stand-in's move does not really move the file, so the dissolve still refuses it:
    # the merge is all or nothing.
    with pytest.raises(RuleError):
        organization_merge(
            acting_user=admin_user, sources=[reg.cell_b], into=reg.cell_a, day=DAY, note="QĐ 1"
        )
    assert moved == [
        {
            "acting_user": admin_user,
            "organization": reg.cell_a,
            "day": DAY,
            "note": "Sáp nhập tổ chức. QĐ 1",
        }
    ]
    assert reg.cell_b.versions.get().valid_to is None


def test_split_assigns_holdings_by_code_and_refuses_a_code_not_held(reg):
    admitted = date(2020, 3, 1)
    m1 = factories.member(
        code="M-1", organization=reg.cell_a, place=reg.village_a, admitted=admitted
    )
    m2 = factories.member(
        code="M-2", organization=reg.cell_a, place=reg.village_a, admitted=admitted
    )
    factories.member(code="M-B", organization=reg.cell_b, place=reg.village_b, admitted=admitted)
    parts = [{"code": "CB-1", "name": "Chi bộ 1"}, {"code": "CB-2", "name": "Chi bộ 2"}]
    before = OrganizationVersion.objects.count()
    for assignments, code in (({"M-B": 1}, "not_held"), ({"M-2": 2}, "bad_part")):
        with pytest.raises(RuleError) as exc:
            organization_split(
                acting_user=None,
                organization=reg.cell_a,
                day=DAY,
                parts=parts,
                assignments=assignments,
            )
        assert exc.value.code == code
    assert OrganizationVersion.objects.count() == before

    first, second = organization_split(
        acting_user=None, organization=reg.cell_a, day=DAY, parts=parts, assignments={"M-2": 1}
    )
    assert m1.spans.get(valid_on(DAY)).organization == first
    assert m2.spans.get(valid_on(DAY)).organization == second


def test_the_split_page_refuses_a_member_the_organisation_does_not_hold(client, reg, admin_user):
    factories.member(
        code="M-B", organization=reg.cell_b, place=reg.village_b, admitted=date(2020, 3, 1)
    )
    client.force_login(admin_user)
    response = client.post(
        reverse("organizations:restructure"),
        {
            "action": "split",
            "organization": "CB-V1",
            "day": "2024-01-01",
            "parts": "CB-1; Chi bộ 1\nCB-2; Chi bộ 2",
            "assignments": "M-B; 2",
            "preview": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "không có mã M-B vào ngày 01/01/2024" in body
    assert 'name="confirm"' not in body
    assert not Organization.objects.filter(code="CB-1").exists()


def test_panels_are_collected_from_the_modules_above():
    # the members app's panel, and those of the modules above it (discipline…)
    assert OrganizationMembersPanel in [type(p) for p in registry.panels("organization")]
    assert [type(p) for p in registry.panels("place")] == [PlaceOrganizationsPanel]
    assert registry.panels("nothing") == []


def test_the_organisation_page_shows_the_members_panel_and_any_other(
    client, reg, admin_user, monkeypatch
):
    factories.member(
        full_name="Tao Thị Bình",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2019, 1, 1),
        confirmed=date(2020, 1, 1),
    )

    class Notes(Panel):
        order = 10

        def properties(self, request, obj):
            return f"<dt>Ghi chú</dt><dd>{obj.code}</dd>"  # a plain str: escaped

        def render(self, request, obj):
            return "<b>Phần của mô-đun khác</b>"

    places = apps.get_app_config("places")
    monkeypatch.setattr(places, "panels", lambda kind: (Notes(),) if kind == "organization" else ())
    client.force_login(admin_user)
    body = client.get(
        reverse("organizations:detail", args=["CB-V1"]), {"as_of": "2024-01-01"}
    ).content.decode()
    assert "Chính thức: 1" in body and "Tao Thị Bình" in body  # the members panel
    assert "&lt;b&gt;Phần của mô-đun khác&lt;/b&gt;" in body
    assert "&lt;dt&gt;Ghi chú&lt;/dt&gt;&lt;dd&gt;CB-V1&lt;/dd&gt;" in body
    # Panels come in their order: the other module's (10) before the members' (50).
    assert body.index("mô-đun khác") < body.index("Tao Thị Bình")
