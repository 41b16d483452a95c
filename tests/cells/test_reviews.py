"""The yearly self-criticism review (tự phê bình và phê bình): the ``form6f`` figure against a
naive recomputation, the scope, refused input, the link to the year's quality rating."""

from datetime import date

import pytest

from grassroots.cells import selectors
from grassroots.cells.models import SelfCriticism
from grassroots.cells.services import review_record
from grassroots.core import figures as registry
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.locking import StaleError
from grassroots.members.models import MembershipSpan
from grassroots.organizations.models import OrganizationVersion
from grassroots.ratings.models import Rating

pytestmark = pytest.mark.django_db

YEAR = 2023
END = date(YEAR, 12, 31)


def naive(organization, day):
    """Done / not done recomputed row by row from the parents' chains."""
    parent = {
        v.organization_id: v.parent_id
        for v in OrganizationVersion.objects.all()
        if v.valid_from <= day and (v.valid_to is None or v.valid_to > day)
    }

    def under(pk):
        while pk is not None and pk != organization.pk:
            pk = parent.get(pk)
        return pk == organization.pk

    members = {
        s.member_id
        for s in MembershipSpan.objects.all()
        if s.valid_from <= day and (s.valid_to is None or s.valid_to > day)
        and under(s.organization_id) and not s.exempted
    }  # fmt: skip
    organizations = {pk for pk in parent if under(pk)}
    done = [r for r in SelfCriticism.objects.all() if r.year == day.year and r.status == "done"]
    members_done = members & {r.member_id for r in done if r.subject == "member"}
    organizations_done = organizations & {r.organization_id for r in done if not r.member_id}
    return {
        "members": (len(members), len(members_done)),
        "organizations": (len(organizations), len(organizations_done)),
    }


def test_the_6f_counts(reg, members_a, member_b, editor_a):
    for member in members_a[:4]:
        review_record(
            acting_user=editor_a, year=YEAR, status="done", member=member,
            reviewed_on=date(YEAR, 12, 10),
        )  # fmt: skip
    review_record(acting_user=None, year=YEAR, status="not_done", member=members_a[4])
    review_record(acting_user=None, year=YEAR - 1, status="done", member=member_b,
                  reviewed_on=date(YEAR - 1, 12, 1))  # fmt: skip
    for org in (reg.cell_a, reg.commune_committee_a):
        review_record(
            acting_user=editor_a, year=YEAR, status="done", organization=org,
            reviewed_on=date(YEAR, 12, 20),
        )  # fmt: skip
    figure = registry.get("form6f")
    for org in (reg.committee, reg.commune_committee_a, reg.commune_committee_b, reg.cell_a):
        result = figure.compute(organization=org, day=END)
        expected = naive(org, END)
        for what in ("members", "organizations"):
            total, done = expected[what]
            assert (result[what]["total"], result[what]["done"]) == (total, done)
            assert result[what]["not_done"] == total - done
    result = figure.compute(organization=reg.committee, day=END)
    assert result["members"] == {"total": 7, "done": 4, "not_done": 3}
    assert result["by_organization"]["DU-03434"]["organizations"] == {
        "total": 2, "done": 2, "not_done": 0,
    }  # fmt: skip
    drilled = figure.drill(reg.committee, "members.not_done", day=END)
    assert sorted(m.code for m in drilled.queryset) == ["MA5", "MA6", "MB1"]
    drilled = figure.drill(reg.committee, "by_organization.DU-03460.members.not_done", day=END)
    assert [m.code for m in drilled.queryset] == ["MB1"]


def test_refused_input_and_scope(reg, members_a, member_b, editor_a, editor_b):
    with pytest.raises(RuleError, match="Nhập ngày kiểm điểm"):
        review_record(acting_user=editor_a, year=YEAR, status="done", member=members_a[0])
    with pytest.raises(RuleError, match="Chọn một đảng viên"):
        review_record(acting_user=editor_a, year=YEAR, status="not_done")
    with pytest.raises(RuleError, match="Ngày kiểm điểm phải"):
        review_record(
            acting_user=editor_a, year=YEAR, status="done", member=members_a[0],
            reviewed_on=date(YEAR - 1, 12, 1),
        )  # fmt: skip
    with pytest.raises(NotFound):
        review_record(acting_user=editor_b, year=YEAR, status="not_done", member=members_a[0])
    assert not SelfCriticism.objects.exists()
    review = review_record(acting_user=editor_a, year=YEAR, status="not_done", member=members_a[0])
    with pytest.raises(StaleError):
        review_record(
            acting_user=editor_a, year=YEAR, status="done", member=members_a[0],
            reviewed_on=date(YEAR, 12, 1), based_on=review.version + 1,
        )  # fmt: skip
    assert list(selectors.review_visible_to(editor_b)) == []
    assert list(selectors.review_visible_to(editor_a)) == [review]
    # The review shows that year's quality rating of the member.
    assert selectors.rating_of(review) is None
    rating = Rating.objects.create(
        subject="member", period_kind="year", period_label=str(YEAR),
        period_start=date(YEAR, 1, 1), period_end=date(YEAR + 1, 1, 1),
        member=members_a[0], organization=reg.cell_a, level="good",
    )  # fmt: skip
    assert selectors.rating_of(review) == rating
