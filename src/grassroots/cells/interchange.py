"""The optional files of the interchange format for cell life: ``meetings.csv``,
``attendance.csv`` and ``fees.csv`` (columns in docs/interchange.md and docs/cells.md).

They are imported after the registry's own files, inside the import's write transaction, through
the services (a meeting with its attendance at once, so every rule of the page applies: the
attendance names exactly the cell's members that day); any problem rolls the whole import back.
A meeting or payment already there with the same values is skipped, so importing twice changes
nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from grassroots.cells import services
from grassroots.cells.models import Attendance, FeePayment, Meeting, MeetingKind, Presence
from grassroots.core.errors import RuleError
from grassroots.core.temporal import parse_date
from grassroots.members.models import Member
from grassroots.organizations.models import Organization
from grassroots.resolutions.models import Document

MEETINGS, ATTENDANCE, FEES = "meetings.csv", "attendance.csv", "fees.csv"

COLUMNS: dict[str, tuple[str, ...]] = {
    MEETINGS: ("organization_code", "date", "kind", "theme", "documents", "note"),
    ATTENDANCE: ("organization_code", "date", "kind", "member_id", "presence"),
    FEES: ("member_id", "month", "organization_code", "due", "paid", "paid_on", "note"),
}
REQUIRED: dict[str, frozenset[str]] = {
    MEETINGS: frozenset({"organization_code", "date", "kind"}),
    ATTENDANCE: frozenset({"organization_code", "date", "kind", "member_id", "presence"}),
    FEES: frozenset({"member_id", "month", "organization_code", "paid", "paid_on"}),
}


class _Rows:
    """Problems as ``(file, line, column, message)`` tuples, and the counts."""

    def __init__(self):
        self.problems: list[tuple[str, int, str, str]] = []
        self.warnings: list[tuple[str, int, str, str]] = []
        self.created: Counter = Counter()
        self.skipped: Counter = Counter()

    def error(self, file, line, column, message):
        self.problems.append((file, line, column, message))


def _message(exc: RuleError) -> str:
    return " ".join(exc.messages)


def import_rows(tables: dict[str, list[tuple[int, dict]]], *, acting_user) -> _Rows:
    """Import the optional files (``{file: [(line, row)]}``); call inside a transaction and roll
    it back when ``problems`` is not empty."""
    out = _Rows()
    _meetings(out, tables.get(MEETINGS, []), tables.get(ATTENDANCE, []), acting_user)
    _fees(out, tables.get(FEES, []), acting_user)
    return out


def _organization(out, file, line, code, user) -> Organization | None:
    org = Organization.objects.visible_to(user).filter(code=code).first()
    if org is None:
        out.error(file, line, "organization_code", f"không tìm thấy tổ chức mã {code}.")
    return org


def _member(out, file, line, code, user) -> Member | None:
    member = Member.objects.visible_to(user).filter(code=code).first()
    if member is None:
        out.error(file, line, "member_id", f"không tìm thấy đảng viên mã {code}.")
    return member


def _day(out, file, line, row, column) -> date | None:
    day = parse_date(row.get(column, ""))
    if day is None:
        out.error(file, line, column, f"ngày không hợp lệ: '{row.get(column, '')}' (YYYY-MM-DD).")
    return day


def _key(out, file, line, row) -> tuple[str, date, str] | None:
    day = _day(out, file, line, row, "date")
    kind = row.get("kind", "")
    if kind not in MeetingKind.values:
        out.error(file, line, "kind", f"loại sinh hoạt '{kind}' không hợp lệ (regular, thematic).")
        return None
    if day is None:
        return None
    return row.get("organization_code", ""), day, kind


def _meetings(out: _Rows, meeting_rows, attendance_rows, user) -> None:
    presences: dict[tuple, dict[str, tuple[int, str]]] = defaultdict(dict)
    for line, row in attendance_rows:
        key = _key(out, ATTENDANCE, line, row)
        presence = row.get("presence", "")
        if presence not in Presence.values:
            out.error(
                ATTENDANCE,
                line,
                "presence",
                f"tình hình dự '{presence}' không hợp lệ (present, excused, absent).",
            )
            continue
        if key is not None:
            presences[key][row.get("member_id", "")] = (line, presence)
    seen: set[tuple] = set()
    for line, row in meeting_rows:
        key = _key(out, MEETINGS, line, row)
        if key is None:
            continue
        if key in seen:
            out.error(MEETINGS, line, "date", "buổi sinh hoạt này có hai dòng.")
            continue
        seen.add(key)
        org = _organization(out, MEETINGS, line, key[0], user)
        if org is None:
            continue
        attendance: dict[int, str] = {}
        for code, (att_line, presence) in presences.pop(key, {}).items():
            member = _member(out, ATTENDANCE, att_line, code, user)
            if member is not None:
                attendance[member.pk] = presence
        numbers = [n.strip() for n in row.get("documents", "").split(";") if n.strip()]
        documents = []
        for number in numbers:
            matches = list(Document.objects.visible_to(user).filter(number__iexact=number)[:2])
            if len(matches) != 1:
                out.error(MEETINGS, line, "documents", f"không tìm thấy văn bản số {number}.")
            else:
                documents.append(matches[0])
        existing = Meeting.objects.filter(organization=org, date=key[1], kind=key[2]).first()
        theme, note = row.get("theme", "").strip(), row.get("note", "").strip()
        if existing is not None and _same(existing, theme, note, documents, attendance):
            out.skipped["meetings"] += 1
            continue
        try:
            services.meeting_record(
                acting_user=user,
                organization=org,
                day=key[1],
                kind=key[2],
                attendance=attendance,
                theme=theme,
                documents=documents,
                note=note,
                meeting=existing,
            )
            out.created["meetings"] += 1
            out.created["attendance"] += len(attendance)
        except RuleError as exc:
            out.error(MEETINGS, line, "date", _message(exc))
    for key, rows in presences.items():
        line = min(att_line for att_line, _ in rows.values())
        out.error(
            ATTENDANCE,
            line,
            "date",
            f"không có buổi sinh hoạt {key[0]} ngày {key[1]:%d/%m/%Y} ({key[2]}) trong {MEETINGS}.",
        )


def _same(meeting: Meeting, theme, note, documents, attendance) -> bool:
    if (meeting.theme, meeting.note) != (theme, note):
        return False
    if {d.pk for d in meeting.documents.all()} != {d.pk for d in documents}:
        return False
    stored = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "presence"))
    return stored == attendance


def _fees(out: _Rows, rows, user) -> None:
    groups: dict[tuple[int, date], list] = defaultdict(list)
    orgs: dict[int, Organization] = {}
    for line, row in rows:
        try:
            month = services.parse_month(row.get("month", ""))
        except RuleError as exc:
            out.error(FEES, line, "month", _message(exc))
            continue
        org = _organization(out, FEES, line, row.get("organization_code", ""), user)
        member = _member(out, FEES, line, row.get("member_id", ""), user)
        paid_on = _day(out, FEES, line, row, "paid_on")
        amounts: dict[str, int | None] = {}
        for column in ("due", "paid"):
            text = row.get(column, "").strip()
            if not text and column == "due":
                amounts[column] = None
            elif text.isdigit():
                amounts[column] = int(text)
            else:
                out.error(FEES, line, column, f"không phải số nguyên đồng: '{text}'.")
        if org is None or member is None or paid_on is None or "paid" not in amounts:
            continue
        if "due" not in amounts:
            continue
        orgs[org.pk] = org
        note = row.get("note", "").strip()
        existing = FeePayment.objects.filter(member=member, month=month).first()
        if (
            existing is not None
            and (
                existing.organization_id,
                existing.paid,
                existing.paid_on,
                existing.note,
            )
            == (org.pk, amounts["paid"], paid_on, note)
            and amounts["due"] in (None, existing.due)
        ):
            out.skipped["fee_payments"] += 1
            continue
        paid = amounts["paid"]
        assert paid is not None  # read above
        row_collected = services.Collected(member, paid, paid_on, note, amounts["due"])
        groups[(org.pk, month)].append((line, row_collected))
    for (org_id, month), collected in groups.items():
        try:
            services.fee_collect(
                acting_user=user,
                organization=orgs[org_id],
                month=month,
                rows=[c for _, c in collected],
            )
            out.created["fee_payments"] += len(collected)
        except RuleError as exc:
            out.error(FEES, collected[0][0], "member_id", _message(exc))


def export_tables(organization_ids: set[int]) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Meetings of the organisations ``organization_ids`` with their attendance, and the fees
    those organisations collected; files without rows are left out (they are optional)."""
    meetings = list(
        Meeting.objects.filter(organization_id__in=organization_ids)
        .select_related("organization")
        .prefetch_related("documents")
        .order_by("organization__code", "date", "kind")
    )
    attendance = (
        Attendance.objects.filter(meeting__in=meetings)
        .select_related("meeting__organization", "member")
        .order_by("meeting__organization__code", "meeting__date", "meeting__kind", "member__code")
    )
    fees = (
        FeePayment.objects.filter(organization_id__in=organization_ids)
        .select_related("organization", "member")
        .order_by("organization__code", "month", "member__code")
    )
    tables = {
        MEETINGS: [
            [
                m.organization.code,
                m.date.isoformat(),
                m.kind,
                m.theme,
                "; ".join(sorted(d.number for d in m.documents.all())),
                m.note,
            ]
            for m in meetings
        ],
        ATTENDANCE: [
            [
                a.meeting.organization.code,
                a.meeting.date.isoformat(),
                a.meeting.kind,
                a.member.code,
                a.presence,
            ]
            for a in attendance
        ],
        FEES: [
            [
                p.member.code,
                f"{p.month:%Y-%m}",
                p.organization.code,
                str(p.due),
                str(p.paid),
                p.paid_on.isoformat(),
                p.note,
            ]
            for p in fees
        ],
    }
    return {name: (list(COLUMNS[name]), rows) for name, rows in tables.items() if rows}
