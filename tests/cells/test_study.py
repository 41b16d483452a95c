"""Study campaigns (học tập, quán triệt): sessions at each level, individual plans, the
``study`` figure against a naive recomputation, the scope, refused input."""

from datetime import date

import pytest
from auditlog.models import LogEntry

from grassroots.cells.models import StudyAttendance, StudyCampaign, StudySession
from grassroots.cells.services import (
    study_campaign_save,
    study_plan_record,
    study_session_record,
)
from grassroots.core import figures as registry
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.locking import StaleError
from grassroots.members.models import MembershipSpan
from grassroots.organizations.models import OrganizationVersion
from grassroots.resolutions.models import Document

pytestmark = pytest.mark.django_db

START, END = date(2023, 4, 1), date(2023, 6, 30)


@pytest.fixture
def document():
    return Document.objects.create(
        type="CT", issuer_code="TW", number="05-CT/TW", issued_on=date(2016, 5, 15),
        title="Chỉ thị 05",
    )  # fmt: skip


@pytest.fixture
def campaign(reg, document):
    return study_campaign_save(
        acting_user=None, organization=reg.committee, document=document,
        title="Học tập Chỉ thị 05-CT/TW", start=START, end=END, plan_required=True,
    )  # fmt: skip


def subtree_codes(organization, day):
    """Codes of O and of every organisation whose chain of parents on ``day`` reaches O."""
    parent = {
        v.organization.code: v.parent.code if v.parent_id else None
        for v in OrganizationVersion.objects.all()
        if v.valid_from <= day and (v.valid_to is None or v.valid_to > day)
    }
    found = set()
    for code in parent:
        node = code
        while node is not None and node != organization.code:
            node = parent.get(node)
        if node == organization.code:
            found.add(code)
    return found


def naive(campaign, organization, day):
    """Who studied, recomputed from the rows one by one."""
    on = min(day, campaign.end)
    under = subtree_codes(organization, on)
    covered = subtree_codes(campaign.organization, on)
    targeted = {
        s.member_id
        for s in MembershipSpan.objects.all()
        if s.valid_from <= on
        and (s.valid_to is None or s.valid_to > on)
        and s.organization.code in under & covered
        and not s.exempted
    }
    attended = {
        a.member_id
        for a in StudyAttendance.objects.all()
        if a.session.campaign_id == campaign.pk and a.session.date <= day
    }
    plans = {p.member_id for p in campaign.plans.all() if p.submitted_on <= day}
    return {
        m for m in targeted if m in attended and (m in plans or not campaign.plan_required)
    }, targeted


def test_sessions_plans_and_the_figure(reg, members_a, member_b, campaign, editor_a):
    study_session_record(
        acting_user=editor_a, campaign=campaign, organization=reg.cell_a, day=date(2023, 5, 5),
        attended=members_a[:4],
    )  # fmt: skip
    # A commune-level session: members of the commune's subtree.
    study_session_record(
        acting_user=None, campaign=campaign, organization=reg.commune_committee_b,
        day=date(2023, 5, 6), attended=[member_b],
    )  # fmt: skip
    for member in members_a[:2] + [member_b]:
        study_plan_record(
            acting_user=None, campaign=campaign, member=member, submitted_on=date(2023, 5, 20)
        )
    study = registry.get("study")
    for org in (reg.committee, reg.commune_committee_a, reg.cell_b):
        for day in (date(2023, 5, 10), date(2023, 12, 31)):
            result = study.compute(organization=org, day=day)
            row = result["campaigns"][str(campaign.pk)]
            studied, targeted = naive(campaign, org, day)
            assert (row["studied"], row["targeted"]) == (len(studied), len(targeted))
            assert result["behind"] == len(targeted - studied)
            drilled = study.drill(org, f"campaigns.{campaign.pk}.not_studied", day=day)
            assert {m.pk for m in drilled.queryset} == targeted - studied
    row = study.compute(organization=reg.committee, day=END)["campaigns"][str(campaign.pk)]
    assert row["targeted"] == 7 and row["attended"] == 5 and row["plans"] == 3
    assert row["studied"] == 3 and row["studied_share"] == round(300 / 7, 1)
    # Without the plan requirement, attending is studying.
    campaign.plan_required = False
    campaign.save()
    row = study.compute(organization=reg.committee, day=END)["campaigns"][str(campaign.pk)]
    assert row["studied"] == 5
    # Correcting a session replaces its attendance (audited).
    session = StudySession.objects.get(organization=reg.cell_a)
    study_session_record(
        acting_user=editor_a, campaign=campaign, organization=reg.cell_a, day=session.date,
        attended=members_a[:1], session=session, based_on=session.version,
    )  # fmt: skip
    assert StudyAttendance.objects.filter(session=session).count() == 1
    assert LogEntry.objects.filter(content_type__model="studyattendance", action=2).count() == 3


def test_refused_input_changes_nothing(reg, members_a, member_b, campaign, editor_a, editor_b):
    with pytest.raises(RuleError, match="trong thời gian"):
        study_session_record(
            acting_user=editor_a, campaign=campaign, organization=reg.cell_a,
            day=date(2023, 7, 1), attended=members_a,
        )  # fmt: skip
    with pytest.raises(RuleError, match="Không phải đảng viên"):
        study_session_record(
            acting_user=editor_a, campaign=campaign, organization=reg.cell_a,
            day=date(2023, 5, 5), attended=[member_b],
        )  # fmt: skip
    with pytest.raises(NotFound):  # cell A is outside commune B's scope
        study_session_record(
            acting_user=editor_b, campaign=campaign, organization=reg.cell_a,
            day=date(2023, 5, 5), attended=members_a,
        )  # fmt: skip
    with pytest.raises(RuleError, match="từ ngày bắt đầu"):
        study_plan_record(
            acting_user=editor_a, campaign=campaign, member=members_a[0],
            submitted_on=date(2023, 3, 1),
        )  # fmt: skip
    with pytest.raises(RuleError, match="Ngày bắt đầu"):
        study_campaign_save(
            acting_user=None, organization=reg.cell_a, document=campaign.document, title="x",
            start=END, end=START,
        )  # fmt: skip
    with pytest.raises(NotFound):  # a commune's editor does not run the district's campaign
        study_campaign_save(
            acting_user=editor_a, organization=reg.committee,
            document=campaign.document, title="y", start=START, end=END,
        )  # fmt: skip
    with pytest.raises(StaleError):
        study_campaign_save(
            acting_user=None, organization=campaign.organization, document=campaign.document,
            title="z", start=START, end=END, campaign=campaign, based_on=campaign.version + 1,
        )  # fmt: skip
    assert not StudySession.objects.exists()
    assert StudyCampaign.objects.get().title == "Học tập Chỉ thị 05-CT/TW"


def test_scope(reg, campaign, document, editor_a, editor_b):
    own = study_campaign_save(
        acting_user=editor_a, organization=reg.commune_committee_a, document=document,
        title="Của xã A", start=START, end=END,
    )  # fmt: skip
    visible_a = set(StudyCampaign.objects.visible_to(editor_a))
    visible_b = set(StudyCampaign.objects.visible_to(editor_b))
    assert visible_a == {campaign, own} and visible_b == {campaign}
