"""Figures of cell life, each computed in exactly one function here and declared in the figure
registry (:mod:`grassroots.core.figures`): ``meetings`` (cells that held their monthly meeting,
"duy trì nền nếp hoạt động", and attendance) and ``fees`` (party fees due, paid, in arrears,
sent upward, and the members who paid nothing for 3 months). They read without a user
(callers check the organisation is visible first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from grassroots import policy
from grassroots.cells import selectors
from grassroots.cells.models import (
    Attendance,
    FeePayment,
    FeeRemittance,
    Meeting,
    MeetingKind,
    Presence,
)
from grassroots.cells.services import month_end
from grassroots.core import figures as registry
from grassroots.core import scope
from grassroots.core.errors import NotFound
from grassroots.core.temporal import valid_on
from grassroots.members.models import Member, MembershipSpan
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids


def months_ended(day: date) -> list[date]:
    """The first days of the months of ``day``'s year that ended by ``day``."""
    return [date(day.year, m, 1) for m in range(1, 13) if month_end(date(day.year, m, 1)) <= day]


def cell_versions(*, organization: Organization, day: date):
    """Versions valid on ``day`` of the cells in Subtree(O, day)."""
    return OrganizationVersion.objects.filter(
        valid_on(day),
        kind__in=CELL_KINDS,
        organization_id__in=subtree_ids(organization=organization, day=day),
    )


def _held(month: date, day: date) -> set[int]:
    return set(
        Meeting.objects.filter(
            kind=MeetingKind.REGULAR, date__gte=month, date__lte=min(month_end(month), day)
        ).values_list("organization_id", flat=True)
    )


def attendance_under(*, organization: Organization, start: date, end: date):
    """Attendance rows of meetings dated ``start``..``end`` whose cell was in Subtree(O) on the
    meeting's day."""
    return Attendance.objects.filter(
        Q(scope.in_subtree_at(organization.pk, "meeting__organization_id", "meeting__date")),
        meeting__date__gte=start,
        meeting__date__lte=end,
    )


def presence_counts(rows) -> dict[str, int]:
    """Counts per presence of attendance rows of members not exempted, and the rate."""
    counts = dict(
        rows.filter(exempted=False).values_list("presence").annotate(n=Count("id")).order_by()
    )
    out = {p: counts.get(p, 0) for p in Presence.values}
    out["expected"] = sum(out.values())
    return out


def rate(present: int, expected: int) -> float | None:
    """Attendance rate in percent rounded to 0.1; None without expected attendance."""
    return round(100 * present / expected, 1) if expected else None


def meetings_report(*, organization: Organization, day: date) -> dict:
    """Per month of ``day``'s year that ended by ``day``: the cells of Subtree(O) on the month's
    last day and how many of them held their regular meeting in that month; the cells on ``day``
    that held it in every one of those months ("duy trì nền nếp"); attendance at the meetings of
    those months (members not exempted)."""
    months = months_ended(day)
    by_month = {}
    for month in months:
        cells = set(
            cell_versions(organization=organization, day=month_end(month)).values_list(
                "organization_id", flat=True
            )
        )
        held = cells & _held(month, day)
        by_month[str(month.month)] = {"cells": len(cells), "held": len(held)}
    maintained = _maintained(organization=organization, day=day)
    cells_now = cell_versions(organization=organization, day=day).count()
    counts = (
        presence_counts(
            attendance_under(organization=organization, start=months[0], end=month_end(months[-1]))
        )
        if months
        else {**dict.fromkeys(Presence.values, 0), "expected": 0}
    )
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        "cells": cells_now,
        "maintained": len(maintained),
        "maintained_share": rate(len(maintained), cells_now) if months else None,
        "by_month": by_month,
        "attendance": counts,
        "attendance_rate": rate(counts["present"], counts["expected"]),
    }


def _maintained(*, organization: Organization, day: date) -> set[int]:
    """Cells of Subtree(O, day) that held a regular meeting in every month of the year ended
    by ``day`` (none when no month has ended)."""
    months = months_ended(day)
    if not months:
        return set()
    found = set(
        cell_versions(organization=organization, day=day).values_list("organization_id", flat=True)
    )
    for month in months:
        found &= _held(month, day)
    return found


def _meetings_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    """``cells``, ``maintained``, ``by_month.<m>.cells`` and ``by_month.<m>.held``: cells."""
    if path == "cells":
        return registry.Records("organizations", cell_versions(organization=organization, day=day))
    if path == "maintained":
        return registry.Records(
            "organizations",
            cell_versions(organization=organization, day=day).filter(
                organization_id__in=_maintained(organization=organization, day=day)
            ),
        )
    parts = path.split(".")
    months = {str(m.month): m for m in months_ended(day)}
    if len(parts) == 3 and parts[0] == "by_month" and parts[1] in months:
        month = months[parts[1]]
        cells = cell_versions(organization=organization, day=month_end(month))
        if parts[2] == "cells":
            return registry.Records("organizations", cells)
        if parts[2] == "held":
            return registry.Records(
                "organizations", cells.filter(organization_id__in=_held(month, day))
            )
    raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")


def _meetings_counted(result: dict):
    yield "cells", result["cells"]
    yield "maintained", result["maintained"]
    for month, row in result["by_month"].items():
        yield f"by_month.{month}.cells", row["cells"]
        yield f"by_month.{month}.held", row["held"]


def _meetings_title(path: str) -> str:
    parts = path.split(".")
    if path == "maintained":
        return "Chi bộ duy trì nền nếp sinh hoạt thường kỳ hằng tháng"
    if len(parts) == 3:
        what = "có" if parts[2] == "cells" else "đã sinh hoạt thường kỳ"
        return f"Chi bộ {what} trong tháng {parts[1]}"
    return "Chi bộ"


registry.register(
    registry.Figure(
        name="meetings",
        label="Sinh hoạt chi bộ: duy trì nền nếp và tỷ lệ dự họp",
        definition=(
            "Với mỗi tháng của năm đã kết thúc đến ngày D: số chi bộ thuộc O vào ngày cuối tháng "
            "và số chi bộ trong đó có buổi sinh hoạt thường kỳ trong tháng; số chi bộ thuộc O "
            "vào ngày D đã sinh hoạt thường kỳ đủ mọi tháng đó (duy trì nền nếp hoạt động) và "
            "tỷ lệ; tỷ lệ dự họp = lượt có mặt / lượt phải dự (không kể đảng viên miễn sinh "
            "hoạt) ở các buổi sinh hoạt của các tháng đó."
        ),
        params=registry.ON_DAY,
        compute=meetings_report,
        records=_meetings_records,
        title=_meetings_title,
        drill_paths=_meetings_counted,
        module=__name__,
    )
)


# --- Attendance per cell and per member ----------------------------------------------------------


@dataclass
class AttendanceRow:
    code: str
    name: str
    counts: dict[str, int]

    @property
    def rate(self) -> float | None:
        return rate(self.counts["present"], self.counts["expected"])


def attendance_by_cell(*, organization: Organization, year: int) -> list[AttendanceRow]:
    """Attendance per cell of Subtree(O) on the meeting days, for the meetings of ``year``."""
    rows = (
        attendance_under(organization=organization, start=date(year, 1, 1), end=date(year, 12, 31))
        .filter(exempted=False)
        .values("meeting__organization_id", "presence")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_cell: dict[int, dict[str, int]] = {}
    for row in rows:
        counts = by_cell.setdefault(
            row["meeting__organization_id"], dict.fromkeys(Presence.values, 0)
        )
        counts[row["presence"]] = row["n"]
    names = _names(by_cell, date(year, 12, 31))
    out = []
    for pk, counts in by_cell.items():
        counts["expected"] = sum(counts.values())
        code, name = names.get(pk, ("", ""))
        out.append(AttendanceRow(code, name, counts))
    return sorted(out, key=lambda r: r.code)


def attendance_by_member(*, organization: Organization, year: int) -> list[AttendanceRow]:
    """Attendance per member at the meetings of ``year`` of the cells of Subtree(O)."""
    rows = (
        attendance_under(organization=organization, start=date(year, 1, 1), end=date(year, 12, 31))
        .filter(exempted=False)
        .values("member_id", "presence")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_member: dict[int, dict[str, int]] = {}
    for row in rows:
        counts = by_member.setdefault(row["member_id"], dict.fromkeys(Presence.values, 0))
        counts[row["presence"]] = row["n"]
    out = []
    for member in Member.objects.filter(pk__in=by_member).order_by("name_key", "id"):
        counts = by_member[member.pk]
        counts["expected"] = sum(counts.values())
        out.append(AttendanceRow(member.code, member.full_name, counts))
    return out


def _names(ids, day: date) -> dict[int, tuple[str, str]]:
    names: dict[int, tuple[str, str]] = {}
    versions = OrganizationVersion.objects.filter(organization_id__in=list(ids)).order_by(
        "valid_from"
    )
    for version in versions.select_related("organization"):
        if version.valid_from <= day or version.organization_id not in names:
            names[version.organization_id] = (version.organization.code, version.name)
    return names


# --- Fees --------------------------------------------------------------------------------------


def unpaid_members(*, organization: Organization, day: date) -> dict[int, tuple[int, ...]]:
    """Members who paid nothing for at least ``REMOVAL_UNPAID_MONTHS`` months of ``day``'s year
    ended by ``day`` while members of Subtree(O) on the month's last day, in a cell that recorded
    its collection for the month (``selectors.unpaid_months``' rule) → the months."""
    months: dict[int, list[int]] = {}
    for month in months_ended(day):
        last = month_end(month)
        spans = MembershipSpan.objects.filter(
            valid_on(last), organization_id__in=subtree_ids(organization=organization, day=last)
        ).values_list("member_id", "organization_id")
        for member_id in selectors.unpaid_in(month, spans):
            months.setdefault(member_id, []).append(month.month)
    threshold = policy.get("REMOVAL_UNPAID_MONTHS")
    return {m: tuple(ms) for m, ms in months.items() if len(ms) >= threshold}


def fees_report(*, organization: Organization, day: date) -> dict:
    """Party fees of ``day``'s year up to ``day``'s month, of payments collected by cells of
    Subtree(O) in their month: due, paid, arrears (Σ max(due − paid, 0)), sent upward
    (remittances of those cells sent in the year by ``day``), in đồng; the number of payments
    and of members who paid nothing for 3 months or more."""
    start = date(day.year, 1, 1)
    payments = FeePayment.objects.filter(
        Q(scope.in_subtree_at(organization.pk, "organization_id", "month")),
        month__gte=start,
        month__lte=day,
    )
    sums = payments.aggregate(due=Sum("due"), paid=Sum("paid"), n=Count("id"))
    arrears = sum(max(due - paid, 0) for due, paid in payments.values_list("due", "paid"))
    sent = FeeRemittance.objects.filter(
        Q(scope.in_subtree_at(organization.pk, "organization_id", "sent_on")),
        sent_on__gte=start,
        sent_on__lte=day,
    ).aggregate(s=Sum("amount"))["s"]
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        "due": int(sums["due"] or 0),
        "paid": int(sums["paid"] or 0),
        "arrears": int(arrears),
        "sent_upward": int(sent or 0),
        "payments": sums["n"],
        "unpaid_members": len(unpaid_members(organization=organization, day=day)),
    }


def _fees_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    if path == "unpaid_members":
        ids = unpaid_members(organization=organization, day=day)
        return registry.Records("members", Member.objects.filter(pk__in=list(ids)))
    raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")


registry.register(
    registry.Figure(
        name="fees",
        label="Đảng phí: phải đóng, đã đóng, còn nợ, nộp cấp trên",
        definition=(
            "Các khoản đảng phí các chi bộ thuộc O (vào tháng thu) đã ghi từ tháng 1 đến tháng "
            "của ngày D: tổng phải đóng, đã đóng, còn nợ (tổng phần thiếu của từng khoản), số "
            "khoản; tổng tiền các chi bộ đó nộp cấp trên trong năm đến ngày D (đồng); số đảng "
            "viên thuộc O không đóng đảng phí từ 3 tháng trở lên trong năm (các tháng đã kết "
            "thúc đến ngày D, tính theo chi bộ vào ngày cuối tháng)."
        ),
        params=registry.ON_DAY,
        compute=fees_report,
        records=_fees_records,
        title=lambda path: "Đảng viên không đóng đảng phí từ 3 tháng trở lên trong năm",
        drill_paths=lambda result: [("unpaid_members", result["unpaid_members"])],
        module=__name__,
    )
)


# --- Study campaigns -----------------------------------------------------------------------------


def study_day(campaign, day: date) -> date:
    """The day a campaign's members are read on for the figure on ``day``: ``day``, or the end
    of the campaign when it ended before."""
    return min(day, campaign.end)


def study_campaigns(*, organization: Organization, day: date) -> list:
    """The campaigns that started by ``day`` whose organisation is, on the campaign's reading
    day, O, above O or inside Subtree(O)."""
    from grassroots.cells.models import StudyCampaign
    from grassroots.organizations.models import OrganizationClosure

    found = []
    for campaign in StudyCampaign.objects.filter(start__lte=day).select_related("document"):
        on = study_day(campaign, day)
        related = OrganizationClosure.objects.filter(valid_on(on)).filter(
            Q(ancestor_id=campaign.organization_id, descendant_id=organization.pk)
            | Q(ancestor_id=organization.pk, descendant_id=campaign.organization_id)
        )
        if related.exists():
            found.append(campaign)
    return sorted(found, key=lambda c: (c.start, c.pk))


def study_members(*, campaign, organization: Organization, day: date) -> dict[str, set[int]]:
    """For one campaign, the members of O it targets on its reading day and, of those, the
    ones who attended a session dated by ``day``, who recorded a plan by ``day``, who studied
    (attended, and recorded a plan when the campaign requires one) and who did not."""
    from grassroots.cells.models import StudyAttendance, StudyPlan
    from grassroots.cells.services import study_targeted

    on = study_day(campaign, day)
    targeted = set(
        study_targeted(campaign=campaign, organization=organization, day=on).values_list(
            "member_id", flat=True
        )
    )
    attended = targeted & set(
        StudyAttendance.objects.filter(
            session__campaign=campaign, session__date__lte=day
        ).values_list("member_id", flat=True)
    )
    plans = targeted & set(
        StudyPlan.objects.filter(campaign=campaign, submitted_on__lte=day).values_list(
            "member_id", flat=True
        )
    )
    studied = attended & plans if campaign.plan_required else attended
    return {
        "targeted": targeted,
        "attended": attended,
        "plans": plans,
        "studied": studied,
        "not_studied": targeted - studied,
    }


STUDY_PATHS = ("targeted", "attended", "plans", "studied", "not_studied")


def study_report(*, organization: Organization, day: date) -> dict:
    """Per campaign (``campaigns.<id>``): the members of O it targets, how many attended a
    session, recorded a plan, studied, did not, and the share who studied; ``members``: the
    members of Subtree(O, D) on D (not exempted), ``behind``: the members who have not studied
    at least one of the campaigns."""
    campaigns = {}
    behind: set[int] = set()
    for campaign in study_campaigns(organization=organization, day=day):
        sets = study_members(campaign=campaign, organization=organization, day=day)
        behind |= sets["not_studied"]
        counts = {key: len(sets[key]) for key in STUDY_PATHS}
        campaigns[str(campaign.pk)] = {
            "title": campaign.title,
            "document": campaign.document.number,
            "organization": campaign.organization.code,
            "start": campaign.start.isoformat(),
            "end": campaign.end.isoformat(),
            "plan_required": campaign.plan_required,
            **counts,
            "studied_share": rate(counts["studied"], counts["targeted"]),
        }
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        "members": len(_study_population(organization, day)),
        "behind": len(behind),
        "campaigns": campaigns,
    }


def _study_population(organization: Organization, day: date) -> set[int]:
    from grassroots.cells.services import members_under

    return set(
        members_under(organization=organization, day=day)
        .filter(exempted=False)
        .values_list("member_id", flat=True)
    )


def _study_campaign(organization: Organization, key: str, day: date):
    for campaign in study_campaigns(organization=organization, day=day):
        if str(campaign.pk) == key:
            return campaign
    raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")


def _study_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    if path == "members":
        ids = _study_population(organization, day)
        return registry.Records("members", Member.objects.filter(pk__in=ids))
    if path == "behind":
        ids = set()
        for campaign in study_campaigns(organization=organization, day=day):
            ids |= study_members(campaign=campaign, organization=organization, day=day)[
                "not_studied"
            ]
        return registry.Records("members", Member.objects.filter(pk__in=ids))
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "campaigns" and parts[2] in STUDY_PATHS:
        campaign = _study_campaign(organization, parts[1], day)
        ids = study_members(campaign=campaign, organization=organization, day=day)[parts[2]]
        return registry.Records("members", Member.objects.filter(pk__in=ids))
    raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")


STUDY_TITLES = {
    "targeted": "Đảng viên thuộc đối tượng học tập",
    "attended": "Đảng viên đã dự học tập",
    "plans": "Đảng viên đã có kế hoạch làm theo",
    "studied": "Đảng viên đã học tập",
    "not_studied": "Đảng viên chưa học tập",
}


def _study_title(path: str) -> str:
    if path == "members":
        return "Đảng viên (không kể miễn sinh hoạt)"
    if path == "behind":
        return "Đảng viên chưa học tập ít nhất một đợt"
    parts = path.split(".")
    return STUDY_TITLES.get(parts[-1], "Đảng viên") + (
        f" (đợt {parts[1]})" if len(parts) == 3 else ""
    )


def _study_counted(result: dict):
    yield "members", result["members"]
    yield "behind", result["behind"]
    for key, row in result["campaigns"].items():
        for name in STUDY_PATHS:
            yield f"campaigns.{key}.{name}", row[name]


registry.register(
    registry.Figure(
        name="study",
        label="Học tập, quán triệt chỉ thị, nghị quyết: tỷ lệ đảng viên đã học tập",
        definition=(
            "Với mỗi đợt học tập đã bắt đầu đến ngày D do O, cấp trên của O hoặc tổ chức thuộc O "
            "tổ chức: số đảng viên thuộc O và thuộc phạm vi đợt (đối tượng của đợt, không kể "
            "đảng viên miễn sinh hoạt) vào ngày D hoặc ngày kết thúc đợt nếu sớm hơn; trong đó "
            "số đã dự buổi học tập, số đã có kế hoạch làm theo, số đã học tập (đã dự, và có kế "
            "hoạch làm theo nếu đợt yêu cầu), số chưa học tập và tỷ lệ đã học tập. Kèm theo: số "
            "đảng viên thuộc O vào ngày D (không kể miễn sinh hoạt) và số đảng viên chưa học "
            "tập ít nhất một đợt."
        ),
        params=registry.ON_DAY,
        compute=study_report,
        records=_study_records,
        title=_study_title,
        drill_paths=_study_counted,
        module=__name__,
    )
)


def study_by_child(*, campaign, organization: Organization, day: date) -> list[dict]:
    """The campaign's figure for O and for each organisation directly under O on the reading
    day (the page's table; the drill-down per organisation is the figure of that one)."""
    on = study_day(campaign, day)
    rows = []
    children = OrganizationVersion.objects.filter(valid_on(on), parent=organization).select_related(
        "organization"
    )
    for org, name in [
        (organization, organization.version_on(on).name if organization.version_on(on) else ""),
        *((v.organization, v.name) for v in children.order_by("organization__code")),
    ]:
        sets = study_members(campaign=campaign, organization=org, day=day)
        counts = {key: len(sets[key]) for key in STUDY_PATHS}
        if counts["targeted"] or org == organization:
            rows.append(
                {
                    "organization": org,
                    "name": name,
                    **counts,
                    "share": rate(counts["studied"], counts["targeted"]),
                }
            )
    return rows


# --- Yearly self-criticism review (the "6F" counts) ----------------------------------------------


def review_sets(*, organization: Organization, day: date) -> dict[str, set[int]]:
    """``day``'s year: the members of Subtree(O, day) on ``day`` (not exempted) and the
    organisations of Subtree(O, day), each split into done (a review of the year with status
    done) and not done (the others, reviewed as not done or not recorded)."""
    from grassroots.cells.models import ReviewStatus, ReviewSubject, SelfCriticism
    from grassroots.cells.services import members_under

    members = set(
        members_under(organization=organization, day=day)
        .filter(exempted=False)
        .values_list("member_id", flat=True)
    )
    organizations = set(subtree_ids(organization=organization, day=day))
    done = SelfCriticism.objects.filter(year=day.year, status=ReviewStatus.DONE)
    members_done = members & set(
        done.filter(subject=ReviewSubject.MEMBER).values_list("member_id", flat=True)
    )
    organizations_done = organizations & set(
        done.filter(subject=ReviewSubject.ORGANIZATION).values_list("organization_id", flat=True)
    )
    return {
        "members.total": members,
        "members.done": members_done,
        "members.not_done": members - members_done,
        "organizations.total": organizations,
        "organizations.done": organizations_done,
        "organizations.not_done": organizations - organizations_done,
    }


def form6f_report(*, organization: Organization, day: date) -> dict:
    """The "6F" counts of the review of ``day``'s year: members and organisations of
    Subtree(O, day) who did and did not carry it out, for O and for each organisation directly
    under O."""
    sets = review_sets(organization=organization, day=day)

    def counts(found: dict[str, set[int]]) -> dict:
        return {
            what: {
                "total": len(found[f"{what}.total"]),
                "done": len(found[f"{what}.done"]),
                "not_done": len(found[f"{what}.not_done"]),
            }
            for what in ("members", "organizations")
        }

    children = OrganizationVersion.objects.filter(
        valid_on(day), parent=organization
    ).select_related("organization")
    by_organization = {
        v.organization.code: counts(review_sets(organization=v.organization, day=day))
        for v in children.order_by("organization__code")
    }
    return {
        "form": "6F",
        "organization": organization.code,
        "as_of": day.isoformat(),
        "year": day.year,
        **counts(sets),
        "by_organization": by_organization,
    }


def _form6f_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    parts = path.split(".")
    target = organization
    if len(parts) == 4 and parts[0] == "by_organization":
        child = (
            OrganizationVersion.objects.filter(
                valid_on(day), parent=organization, organization__code=parts[1]
            )
            .select_related("organization")
            .first()
        )
        if child is None:
            raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
        target, parts = child.organization, parts[2:]
    key = ".".join(parts)
    sets = review_sets(organization=target, day=day)
    if key not in sets:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    if parts[0] == "members":
        return registry.Records("members", Member.objects.filter(pk__in=sets[key]))
    return registry.Records(
        "organizations",
        OrganizationVersion.objects.filter(valid_on(day), organization_id__in=sets[key]),
    )


def _form6f_title(path: str) -> str:
    parts = path.split(".")
    what = "Đảng viên" if "members" in parts else "Tổ chức đảng"
    status = {"total": "", "done": " đã kiểm điểm", "not_done": " chưa kiểm điểm"}
    title = what + status.get(parts[-1], "")
    return f"{title} ({parts[1]})" if parts[0] == "by_organization" else title


def _form6f_counted(result: dict):
    for what in ("members", "organizations"):
        for key, value in result[what].items():
            yield f"{what}.{key}", value
    for code, row in result["by_organization"].items():
        for what in ("members", "organizations"):
            for key, value in row[what].items():
                yield f"by_organization.{code}.{what}.{key}", value


registry.register(
    registry.Figure(
        name="form6f",
        label="Kiểm điểm tự phê bình và phê bình (mẫu 6F): đã và chưa kiểm điểm",
        definition=(
            "Năm của ngày D: số đảng viên thuộc O vào ngày D (không kể đảng viên miễn sinh "
            "hoạt) và số tổ chức đảng thuộc O vào ngày D; trong đó số đã kiểm điểm tự phê bình "
            "và phê bình năm đó và số chưa (ghi chưa kiểm điểm hoặc chưa ghi); cho O và cho "
            "từng tổ chức trực thuộc O."
        ),
        params=registry.ON_DAY,
        compute=form6f_report,
        records=_form6f_records,
        title=_form6f_title,
        drill_paths=_form6f_counted,
        module=__name__,
    )
)
