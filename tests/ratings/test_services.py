from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from grassroots.core.errors import RuleError
from grassroots.ratings.models import Level, Rating
from grassroots.ratings.services import (
    level_for_score,
    parse_period,
    quota_exceeded,
    rating_record,
    ratings_import_rows,
)
from tests import factories

pytestmark = pytest.mark.django_db


def rate_org(org, level="", score=None, label="2024", user=None):
    return rating_record(
        acting_user=user,
        period_kind="year",
        period_label=label,
        organization=org,
        level=level,
        score=score,
    )


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (Decimal("89.99"), "good"),
        (70, "good"),
        (Decimal("69.5"), "completed"),
        (50, "completed"),
        (Decimal("49.99"), "not_completed"),
        (0, "not_completed"),
    ],
)
def test_score_bands(score, level):
    assert level_for_score(score) == level


def test_periods():
    assert parse_period("year", "2024").start == date(2024, 1, 1)
    q = parse_period("quarter", "2024-q4")
    assert (q.label, q.start, q.end) == ("2024-Q4", date(2024, 10, 1), date(2025, 1, 1))
    t = parse_period("term", "2020-2025")
    assert (t.start, t.end) == (date(2020, 1, 1), date(2026, 1, 1))
    for kind, label in [("year", "24"), ("quarter", "2024-Q5"), ("term", "2025-2020"), ("x", "1")]:
        with pytest.raises(RuleError):
            parse_period(kind, label)


def test_score_determines_level_when_blank(reg):
    rating, _ = rate_org(reg.cell_a, score="85,5")
    assert rating.level == Level.GOOD and rating.score == Decimal("85.5")
    assert rating.parent_id == reg.commune_committee_a.pk and rating.kind == "cell"


def test_score_disagreeing_with_level_is_refused(reg):
    with pytest.raises(RuleError) as exc:
        rate_org(reg.cell_a, level="excellent", score=85)
    assert exc.value.code == "score_level_mismatch"
    assert "Hoàn thành tốt nhiệm vụ" in exc.value.message
    assert "từ 90 điểm trở lên" in exc.value.message
    assert not Rating.objects.exists()


def test_level_or_score_required_and_score_range(reg):
    with pytest.raises(RuleError):
        rate_org(reg.cell_a)
    with pytest.raises(RuleError):
        rate_org(reg.cell_a, score=101)
    with pytest.raises(RuleError):
        rate_org(reg.cell_a, level="best")


def test_rerating_updates_with_audit_history(reg, admin_user):
    rating, _ = rate_org(reg.cell_a, level="good", user=admin_user)
    again, _ = rate_org(reg.cell_a, level="excellent", user=admin_user)
    assert again.pk == rating.pk and Rating.objects.count() == 1
    entries = LogEntry.objects.get_for_object(rating)
    assert entries.count() == 2
    assert entries.first().changes_dict["level"] == ["good", "excellent"]
    # the same values again change nothing
    rate_org(reg.cell_a, level="excellent", user=admin_user)
    assert LogEntry.objects.get_for_object(rating).count() == 2


def test_organization_must_exist_during_period(reg):
    with pytest.raises(RuleError) as exc:
        rate_org(reg.cell_a, level="good", label="2012")
    assert exc.value.code == "organization_not_valid"


def test_member_must_be_member_in_visible_organization(reg, members_a, make_user):
    rating, _ = rating_record(
        acting_user=None, period_kind="year", period_label="2024", member=members_a[0], level="good"
    )
    assert rating.organization_id == reg.cell_a.pk
    with pytest.raises(RuleError) as exc:
        rating_record(
            acting_user=None,
            period_kind="year",
            period_label="2014",
            member=members_a[1],
            level="good",
        )
    assert exc.value.code == "member_not_valid"
    outsider = make_user("b", roles=["editor"], scope=reg.commune_committee_b)
    with pytest.raises(RuleError):
        rating_record(
            acting_user=outsider,
            period_kind="year",
            period_label="2024",
            member=members_a[1],
            level="good",
        )
    not_member = factories.member(full_name="Lò Văn Xuân", code="MX")
    with pytest.raises(RuleError):
        rating_record(
            acting_user=None,
            period_kind="year",
            period_label="2024",
            member=not_member,
            level="good",
        )


def test_quota_rule_exactly_at_limit():
    assert not quota_exceeded(excellent=1, good=5)
    assert quota_exceeded(excellent=2, good=5)
    assert not quota_exceeded(excellent=0, good=0)
    assert quota_exceeded(excellent=1, good=0)


def test_quota_warning_triggers_over_the_limit_not_at_it(reg, cells):
    for cell in cells[:5]:
        _, warnings = rate_org(cell, level="good")
        assert warnings == []
    # 1 excellent of 5 good = 20%: exactly at the limit, no warning
    _, warnings = rate_org(cells[5], level="excellent")
    assert warnings == []
    # 2 excellent of 4 good = 50%: over the limit
    _, warnings = rate_org(cells[4], level="excellent")
    assert [w.code for w in warnings] == ["excellent_quota"]
    assert "vượt 20%" in warnings[0].message and "Đảng bộ xã Nậm Hàng" in warnings[0].message
    # back to 1 of 5: fine again
    _, warnings = rate_org(cells[4], level="good")
    assert warnings == []


def test_quota_group_is_same_kind_same_parent(reg, cells):
    # commune B's cell is another group: its "excellent" does not count against commune A's
    for cell in cells[:5]:
        rate_org(cell, level="good")
    rate_org(cells[5], level="excellent")
    _, warnings = rate_org(reg.cell_b, level="excellent")
    assert len(warnings) == 1  # 1 excellent, 0 good in commune B's group
    # a grassroots committee is another kind under the district
    _, warnings = rate_org(reg.commune_committee_a, level="good")
    assert warnings == []


def test_member_quota_within_cell(reg, members_a):
    def rate(m, level):
        return rating_record(
            acting_user=None, period_kind="year", period_label="2024", member=m, level=level
        )[1]

    for m in members_a[:5]:
        assert rate(m, "good") == []
    assert rate(members_a[5], "excellent") == []
    assert len(rate(members_a[4], "excellent")) == 1


# --- Import ---------------------------------------------------------------------------------


def row(**kw):
    base = {"period": "year", "period_label": "2024", "subject": "organization", "code": "CB-V1"}
    base.update(kw)
    return base


def test_import_all_or_nothing_lists_every_problem(reg, members_a):
    rows = [
        (2, row(level="good")),
        (3, row(code="CB-V2", level="excellent", score="80")),
        (4, row(subject="member", code="NOPE", level="good")),
        (5, row(period="month", level="good")),
        (6, row(code="CB-V2", period_label="2012", level="good")),
        (7, row(level="")),
        (8, row(level="good")),
    ]
    written, problems, warnings = ratings_import_rows(acting_user=None, rows=rows)
    assert written == 0 and warnings == []
    assert not Rating.objects.exists()
    assert [p.split(": ")[0] for p in problems] == [
        "ratings.csv:3",
        "ratings.csv:4",
        "ratings.csv:5",
        "ratings.csv:6",
        "ratings.csv:7",
        "ratings.csv:8",
    ]
    assert problems[0].startswith("ratings.csv:3: score: Điểm 80 ứng với mức")
    assert problems[1] == "ratings.csv:4: code: Không tìm thấy đảng viên mã NOPE."
    assert problems[2].startswith("ratings.csv:5: period: ")
    assert problems[3].startswith("ratings.csv:6: code: Tổ chức đảng CB-V2 không tồn tại")
    assert problems[4] == "ratings.csv:7: level: Cần nhập mức xếp loại hoặc điểm."
    assert problems[5].startswith("ratings.csv:8: code: Trùng với dòng 2")


def test_import_writes_and_is_idempotent(reg, members_a):
    rows = [
        (2, row(level="good", note="Ghi chú")),
        (3, row(code="CB-V2", score="95")),
        (4, row(subject="member", code="MA1", level="", score="72")),
        (
            5,
            row(
                subject="member",
                code="MA2",
                period="quarter",
                period_label="2024-Q2",
                level="completed",
            ),
        ),
    ]
    written, problems, warnings = ratings_import_rows(
        acting_user=None, rows=rows, file_name="x.csv"
    )
    assert (written, problems) == (4, [])
    assert len(warnings) == 1  # CB-V2 excellent with no good in commune B's cells
    assert Rating.objects.get(member__code="MA1").level == "good"
    assert (
        Rating.objects.get(subject="organization", organization__code="CB-V2").level == "excellent"
    )
    written, problems, _ = ratings_import_rows(acting_user=None, rows=rows)
    assert (written, problems) == (0, [])
    assert Rating.objects.count() == 4
    rows[0] = (2, row(level="completed", note="Ghi chú"))
    written, _, _ = ratings_import_rows(acting_user=None, rows=rows)
    assert written == 1


def test_user_without_scope_rates_nothing(reg, make_user):
    nobody = make_user("khong", roles=["editor"])
    with pytest.raises(RuleError):
        rate_org(reg.cell_a, level="good", user=nobody)


def test_level_by_its_vietnamese_name(reg):
    rating, _ = rate_org(reg.cell_a, level="Hoàn thành tốt nhiệm vụ")
    assert rating.level == "good"
    rating, _ = rate_org(reg.cell_b, level="không hoàn thành nhiệm vụ")
    assert rating.level == "not_completed"


def test_export_rows_import_again_unchanged(reg, members_a, admin_user):
    from grassroots.ratings.selectors import rating_export_rows, rating_visible_to

    rate_org(reg.cell_a, score="91.5")
    rating_record(
        acting_user=None,
        period_kind="term",
        period_label="2020-2025",
        member=members_a[0],
        level="good",
        note="Ghi chú",
    )
    rows = rating_export_rows(ratings=rating_visible_to(admin_user))
    assert rows[1] == {
        "period": "year",
        "period_label": "2024",
        "subject": "organization",
        "code": "CB-V1",
        "level": "excellent",
        "score": "91.5",
        "note": "",
    }
    written, problems, _ = ratings_import_rows(
        acting_user=admin_user, rows=list(enumerate(rows, start=2))
    )
    assert (written, problems) == (0, [])
