"""``member_profile_changes.csv`` (INTERCHANGE.md, "Version 2 additions"): the dated changes of
the member record (Mẫu 3-HSĐV), one row per change — ``member_id, date, field, value``: from that
day the field has that value. Imported through :func:`members.services.member_profile_change`
(scope, codes, one change per field and day); a row already stored with the same value is
skipped, so importing a package twice changes nothing.

``member_procedures.csv`` (docs/interchange.md): the party badges awarded and party cards issued
(Biểu 7-BTCTW) — ``member_id, date, kind, badge_years, number`` — through
:func:`members.services.member_procedure_record`; a row already stored is skipped."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction

from grassroots.core.errors import NotFound, RuleError
from grassroots.core.temporal import parse_date
from grassroots.members.models import Member, MemberProcedure, MemberProfileChange

CHANGES = "member_profile_changes.csv"
PROCEDURES = "member_procedures.csv"
COLUMNS: dict[str, tuple[str, ...]] = {
    CHANGES: ("member_id", "date", "field", "value"),
    PROCEDURES: ("member_id", "date", "kind", "badge_years", "number"),
}
REQUIRED: dict[str, frozenset[str]] = {
    CHANGES: frozenset({"member_id", "date", "field"}),
    PROCEDURES: frozenset({"member_id", "date", "kind"}),
}


class _Rows:
    def __init__(self) -> None:
        self.problems: list[tuple[str, int, str, str]] = []
        self.warnings: list[tuple[str, int, str, str]] = []
        self.created: Counter = Counter()
        self.skipped: Counter = Counter()

    def error(self, line: int, column: str, message: str, file: str = CHANGES) -> None:
        self.problems.append((file, line, column, message))


def import_rows(tables: dict[str, list[tuple[int, dict]]], *, acting_user: Any) -> _Rows:
    """Write the rows of ``member_profile_changes.csv``; call inside a transaction and roll it
    back when ``problems`` is not empty."""
    out = _Rows()
    rows = tables.get(CHANGES, [])
    codes = {row.get("member_id", "") for _line, row in rows}
    members = {m.code: m for m in Member.objects.filter(code__in=codes)}
    for line, row in rows:
        member = members.get(row.get("member_id", ""))
        if member is None:
            out.error(line, "member_id", f"không có đảng viên {row.get('member_id', '')}.")
            continue
        day = parse_date(row.get("date", ""))
        if day is None:
            out.error(line, "date", f"ngày không hợp lệ: '{row.get('date', '')}'.")
            continue
        field, value = row.get("field", ""), row.get("value", "")
        stored = MemberProfileChange.objects.filter(member=member, field=field, date=day).first()
        if stored is not None and stored.value == value:
            out.skipped["member_profile_changes"] += 1
            continue
        try:
            with transaction.atomic():
                from grassroots.members.services import member_profile_change

                member_profile_change(
                    acting_user=acting_user, member=member, day=day, field=field, value=value
                )
        except RuleError as exc:
            out.error(line, "value" if exc.code == "profile_value" else "field", exc.messages[0])
            continue
        except NotFound:
            out.error(line, "member_id", f"Đảng viên {member.code} nằm ngoài phạm vi của bạn.")
            continue
        out.created["member_profile_changes"] += 1
    _import_procedures(tables.get(PROCEDURES, []), out, acting_user=acting_user)
    return out


def _import_procedures(rows: list[tuple[int, dict]], out: _Rows, *, acting_user: Any) -> None:
    from grassroots.members.services import member_procedure_record

    codes = {row.get("member_id", "") for _line, row in rows}
    members = {m.code: m for m in Member.objects.filter(code__in=codes)}
    for line, row in rows:
        member = members.get(row.get("member_id", ""))
        if member is None:
            out.error(
                line, "member_id", f"không có đảng viên {row.get('member_id', '')}.", PROCEDURES
            )
            continue
        day = parse_date(row.get("date", ""))
        if day is None:
            out.error(line, "date", f"ngày không hợp lệ: '{row.get('date', '')}'.", PROCEDURES)
            continue
        kind, raw_years = row.get("kind", ""), (row.get("badge_years") or "").strip()
        if raw_years and not raw_years.isdigit():
            out.error(line, "badge_years", f"số năm không hợp lệ: '{raw_years}'.", PROCEDURES)
            continue
        years = int(raw_years) if raw_years else None
        stored = MemberProcedure.objects.filter(member=member, kind=kind, date=day)
        if stored.filter(badge_years=years if kind == "badge" else None).exists():
            out.skipped["member_procedures"] += 1
            continue
        try:
            with transaction.atomic():
                member_procedure_record(
                    acting_user=acting_user,
                    member=member,
                    day=day,
                    kind=kind,
                    badge_years=years,
                    number=row.get("number", ""),
                    # members.csv carries the member's card number as it was exported
                    sets_card_number=False,
                )
        except RuleError as exc:
            column = {"procedure_kind": "kind", "procedure_not_member": "date"}.get(
                exc.code or "", "badge_years" if kind == "badge" else "date"
            )
            out.error(line, column, exc.messages[0], PROCEDURES)
            continue
        except NotFound:
            out.error(
                line, "member_id", f"Đảng viên {member.code} nằm ngoài phạm vi của bạn.", PROCEDURES
            )
            continue
        out.created["member_procedures"] += 1


def export_tables(member_ids: set[int]) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The dated changes of the members ``member_ids`` (left out when there are none)."""
    rows = [
        [code, day.isoformat(), field, value]
        for code, day, field, value in MemberProfileChange.objects.filter(member_id__in=member_ids)
        .order_by("member__code", "date", "field")
        .values_list("member__code", "date", "field", "value")
    ]
    tables = {CHANGES: (list(COLUMNS[CHANGES]), rows)} if rows else {}
    procedures = [
        [code, day.isoformat(), kind, "" if years is None else str(years), number]
        for code, day, kind, years, number in MemberProcedure.objects.filter(
            member_id__in=member_ids
        )
        .order_by("member__code", "date", "kind")
        .values_list("member__code", "date", "kind", "badge_years", "number")
    ]
    if procedures:
        tables[PROCEDURES] = (list(COLUMNS[PROCEDURES]), procedures)
    return tables
