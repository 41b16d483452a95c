"""The optional files of the interchange format for cadres: ``appointments.csv``, ``plans.csv``
and ``rotations.csv`` (columns in ``docs/cadres.md`` and ``docs/interchange.md``).

They are imported after the registry's own files, inside the import's write transaction, row by
row through ``cadres.services`` (every rule of the pages applies: the planning rules refuse a
row with the same message); any problem rolls the whole import back. Rows already there (the
same appointment, plan entry or rotation) are skipped, so importing twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import NoReturn

from grassroots.cadres import services
from grassroots.cadres.models import (
    Appointment,
    Congress,
    Direction,
    Discipline,
    EndReason,
    How,
    MoveKind,
    Person,
    Plan,
    PlanEntry,
    Position,
    RemovalReason,
    Rotation,
)
from grassroots.core import scope
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.temporal import parse_date
from grassroots.members.models import Gender, Member
from grassroots.organizations.models import Organization
from grassroots.resolutions.models import Document

APPOINTMENTS, PLANS, ROTATIONS = "appointments.csv", "plans.csv", "rotations.csv"

COLUMNS: dict[str, tuple[str, ...]] = {
    APPOINTMENTS: (
        "organization_code",
        "position",
        "member_id",
        "person_id",
        "person_name",
        "person_gender",
        "person_birth_date",
        "person_ethnicity",
        "how",
        "valid_from",
        "valid_to",
        "end_reason",
        "decision",
        "congress_number",
        "congress_term_from",
        "congress_term_to",
        "congress_starts_on",
        "note",
    ),
    PLANS: (
        "organization_code",
        "term_from",
        "term_to",
        "term_starts_on",
        "approved_on",
        "position",
        "member_id",
        "added_on",
        "removed_on",
        "removal_reason",
        "removal_note",
        "discipline",
        "disciplined_on",
    ),
    ROTATIONS: (
        "member_id",
        "kind",
        "direction",
        "from_organization_code",
        "from_post",
        "to_organization_code",
        "to_post",
        "starts_on",
        "planned_end",
        "actual_end",
        "decision",
        "note",
    ),
}
REQUIRED: dict[str, frozenset[str]] = {
    APPOINTMENTS: frozenset({"organization_code", "position", "how", "valid_from"}),
    PLANS: frozenset(
        {"organization_code", "term_from", "term_to", "term_starts_on", "approved_on"}
    ),
    ROTATIONS: frozenset(
        {
            "member_id",
            "kind",
            "direction",
            "from_organization_code",
            "to_organization_code",
            "starts_on",
        }
    ),
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


class _Skip(Exception):
    """The row has a problem already reported."""


def _message(exc: RuleError) -> str:
    return " ".join(exc.messages)


def _choices_text(choices) -> str:
    return ", ".join(f"{c.value} ({c.label})" for c in choices)


_Date = date  # the methods below shadow the name inside the class


class _Reader:
    """Reads one row's cells, reporting each problem against the row's file and line."""

    def __init__(self, out: _Rows, file: str, line: int, row: dict, user):
        self.out, self.file, self.line, self.row, self.user = out, file, line, row, user

    def fail(self, column: str, message: str) -> NoReturn:
        self.out.error(self.file, self.line, column, message)
        raise _Skip

    def text(self, column: str) -> str:
        return (self.row.get(column) or "").strip()

    def date(self, column: str, required: bool = False) -> date | None:
        text = self.text(column)
        if not text:
            if required:
                self.fail(column, "thiếu giá trị.")
            return None
        day = parse_date(text)
        if day is None:
            self.fail(column, f"ngày không hợp lệ: '{text}' (cần YYYY-MM-DD).")
        return day

    def required_date(self, column: str) -> _Date:
        day = self.date(column, required=True)
        assert day is not None  # date() failed the row otherwise
        return day

    def required_int(self, column: str) -> int:
        number = self.int(column, required=True)
        assert number is not None  # int() failed the row otherwise
        return number

    def int(self, column: str, required: bool = False) -> int | None:
        text = self.text(column)
        if not text:
            if required:
                self.fail(column, "thiếu giá trị.")
            return None
        if not text.isdigit():
            self.fail(column, f"không phải số nguyên: '{text}'.")
        return int(text)

    def choice(self, column: str, choices, required: bool = True) -> str:
        text = self.text(column)
        if not text and not required:
            return ""
        if text not in choices.values:
            self.fail(
                column, f"giá trị không hợp lệ: '{text}' (cần một trong: {_choices_text(choices)})."
            )
        return text

    def organization(self, column: str, action: str = scope.CHANGE) -> Organization:
        code = self.text(column)
        found = Organization.objects.visible_to(self.user, action).filter(code=code).first()
        if found is None:
            self.fail(column, f"không tìm thấy tổ chức mã {code} trong phạm vi của bạn.")
        return found

    def member(self, column: str) -> Member | None:
        code = self.text(column)
        if not code:
            return None
        found = Member.objects.visible_to(self.user).filter(code=code).first()
        if found is None:
            self.fail(column, f"không tìm thấy đảng viên mã {code}.")
        return found

    def position(self, column: str = "position") -> Position:
        code = self.text(column)
        found = Position.objects.filter(code=code).first()
        if found is None:
            known = ", ".join(Position.objects.values_list("code", flat=True))
            self.fail(column, f"không có chức danh mã '{code}' (cần một trong: {known}).")
        return found

    def decision(self, column: str = "decision") -> Document | None:
        number = self.text(column)
        if not number:
            return None
        found = Document.objects.visible_to(self.user).filter(number=number).first()
        if found is None:
            self.fail(column, f"không tìm thấy văn bản số {number}.")
        return found


def import_rows(tables: dict[str, list[tuple[int, dict]]], *, acting_user) -> _Rows:
    """Import the optional files (``{file: [(line, row)]}``); call inside a transaction and roll
    it back when ``problems`` is not empty."""
    out = _Rows()
    _appointments(out, tables.get(APPOINTMENTS, []), acting_user)
    _plans(out, tables.get(PLANS, []), acting_user)
    _rotations(out, tables.get(ROTATIONS, []), acting_user)
    return out


def _run(out: _Rows, file: str, line: int, column: str, call) -> None:
    try:
        call()
    except RuleError as exc:
        out.error(file, line, column, _message(exc))
    except NotFound:
        out.error(file, line, column, "ngoài phạm vi dữ liệu của bạn.")
    except _Skip:
        pass


def _person(r: _Reader, organization: Organization) -> Person | None:
    code = r.text("person_id")
    if not code:
        return None
    found = Person.objects.visible_to(r.user).filter(code=code).first()
    if found is not None:
        return found
    birth = r.required_date("person_birth_date")
    gender = r.text("person_gender")
    if gender not in Gender.values:
        r.fail("person_gender", f"giới tính không hợp lệ: '{gender}' (male hoặc female).")
    r.out.created["cadre_persons"] += 1
    return services.person_create(
        acting_user=r.user,
        code=code,
        organization=organization,
        full_name=r.text("person_name"),
        gender=gender,
        birth_date=birth,
        ethnicity=r.text("person_ethnicity"),
    )


def _congress(r: _Reader, organization: Organization, ends_on: date) -> Congress | None:
    number = r.int("congress_number")
    if number is None:
        return None
    found = Congress.objects.filter(organization=organization, number=number).first()
    if found is not None:
        return found
    r.out.created["congresses"] += 1
    return services.congress_create(
        acting_user=r.user,
        organization=organization,
        number=number,
        term_from=r.required_int("congress_term_from"),
        term_to=r.required_int("congress_term_to"),
        starts_on=r.date("congress_starts_on") or ends_on,
        ends_on=ends_on,
    )


def _appointments(out: _Rows, rows, user) -> None:
    # In order of start: a later appointment may follow one that ended.
    def key(item):
        return parse_date(item[1].get("valid_from", "")) or date.max, item[0]

    for line, row in sorted(rows, key=key):
        r = _Reader(out, APPOINTMENTS, line, row, user)

        def one(r=r):
            organization = r.organization("organization_code")
            position = r.position()
            valid_from = r.date("valid_from", required=True)
            valid_to = r.date("valid_to")
            how = r.choice("how", How)
            end_reason = r.choice("end_reason", EndReason, required=False)
            member = r.member("member_id")
            holder = {"member": member} if member else {"person__code": r.text("person_id")}
            if Appointment.objects.filter(
                organization=organization, position=position, valid_from=valid_from, **holder
            ).exists():
                out.skipped["appointments"] += 1
                return
            person = None if member else _person(r, organization)
            if member is None and person is None:
                r.fail("member_id", "cần member_id (đảng viên) hoặc person_id (người ngoài Đảng).")
            congress = _congress(r, organization, valid_from) if how == How.ELECTED else None
            appointment = services.appointment_create(
                acting_user=user,
                organization=organization,
                position=position,
                member=member,
                person=person,
                how=how,
                valid_from=valid_from,
                valid_to=valid_to,
                decision=r.decision(),
                congress=congress,
                note=r.text("note"),
            )
            if end_reason:
                appointment.end_reason = end_reason
                appointment.save(update_fields=["end_reason"])
            out.created["appointments"] += 1

        _run(out, APPOINTMENTS, line, "position", one)


def _plans(out: _Rows, rows, user) -> None:
    """Plans first (one per organisation and term), then every entry's events in date order —
    removals before additions on the same day — so the rules judge each addition against the
    plan as it stood that day."""
    events: list[tuple[date, int, int, dict, Plan]] = []
    plans: dict[tuple[str, int], Plan] = {}
    for line, row in rows:
        r = _Reader(out, PLANS, line, row, user)

        def plan_of(r=r, line=line, row=row):
            organization = r.organization("organization_code")
            term_from = r.int("term_from", required=True)
            term_to = r.int("term_to", required=True)
            starts = r.date("term_starts_on", required=True)
            approved = r.date("approved_on", required=True)
            key = (organization.code, term_from)
            plan = (
                plans.get(key)
                or Plan.objects.filter(organization=organization, term_from=term_from).first()
            )
            if plan is None:
                plan = services.plan_create(
                    acting_user=user,
                    organization=organization,
                    term_from=term_from,
                    term_to=term_to,
                    term_starts_on=starts,
                    approved_on=approved,
                )
                out.created["plans"] += 1
            plans[key] = plan
            if not r.text("position"):
                return
            added = r.date("added_on", required=True)
            removed = r.date("removed_on")
            r.position()
            r.member("member_id") or r.fail("member_id", "thiếu giá trị.")
            if removed:
                r.choice("removal_reason", RemovalReason)
            r.choice("discipline", Discipline, required=False)
            r.date("disciplined_on")
            events.append((added, 1, line, row, plan))
            if removed:
                events.append((removed, 0, line, row, plan))

        _run(out, PLANS, line, "organization_code", plan_of)
    if out.problems:
        return
    for day, kind, line, row, plan in sorted(events, key=lambda e: (e[0], e[1], e[2])):
        r = _Reader(out, PLANS, line, row, user)

        def event(r=r, day=day, kind=kind, plan=plan):
            position, member = r.position(), r.member("member_id")
            added = r.date("added_on")
            entry = PlanEntry.objects.filter(
                plan=plan, position=position, member=member, added_on=added
            ).first()
            if kind == 1:
                if entry is not None:
                    out.skipped["plan_entries"] += 1
                    return
                services.plan_entry_add(
                    acting_user=user,
                    plan=plan,
                    position=position,
                    member=member,
                    day=day,
                )
                out.created["plan_entries"] += 1
                return
            assert entry is not None  # added earlier in date order
            if entry.removed_on is not None:
                return
            entry = services.plan_entry_remove(
                acting_user=user,
                entry=entry,
                day=day,
                reason=r.text("removal_reason"),
                note=r.text("removal_note"),
            )
            if r.text("discipline"):
                entry.discipline = r.text("discipline")
                entry.disciplined_on = r.date("disciplined_on") or day
                entry.save(update_fields=["discipline", "disciplined_on"])

        _run(out, PLANS, line, "position", event)


def _rotations(out: _Rows, rows, user) -> None:
    for line, row in rows:
        r = _Reader(out, ROTATIONS, line, row, user)

        def one(r=r):
            member = r.member("member_id") or r.fail("member_id", "thiếu giá trị.")
            starts = r.date("starts_on", required=True)
            if Rotation.objects.filter(member=member, starts_on=starts).exists():
                out.skipped["rotations"] += 1
                return
            from_org = r.organization("from_organization_code", scope.VIEW)
            to_org = r.organization("to_organization_code", scope.VIEW)
            rotation = services.rotation_create(
                acting_user=user,
                member=member,
                kind=r.choice("kind", MoveKind),
                direction=r.choice("direction", Direction),
                from_organization=from_org,
                to_organization=to_org,
                from_post=r.text("from_post"),
                to_post=r.text("to_post"),
                starts_on=starts,
                planned_end=r.date("planned_end"),
                decision=r.decision(),
                note=r.text("note"),
            )
            actual = r.date("actual_end")
            if actual:
                services.rotation_end(acting_user=user, rotation=rotation, day=actual)
            out.created["rotations"] += 1

        _run(out, ROTATIONS, line, "member_id", one)


# --- Export ------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def export_tables(organization_ids: set[int]) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Appointments, plans (with their entries) and rotations of the organisations
    ``organization_ids``; files without rows are left out (they are optional)."""
    appointments = (
        Appointment.objects.filter(organization_id__in=organization_ids)
        .select_related("organization", "position", "member", "person", "decision", "congress")
        .order_by("valid_from", "organization__code", "position__order", "id")
    )
    plans = list(
        Plan.objects.filter(organization_id__in=organization_ids)
        .select_related("organization")
        .order_by("organization__code", "term_from")
    )
    entries = (
        PlanEntry.objects.filter(plan__in=plans)
        .select_related("position", "member")
        .order_by("plan_id", "added_on", "id")
    )
    by_plan: dict[int, list[PlanEntry]] = {}
    for entry in entries:
        by_plan.setdefault(entry.plan_id, []).append(entry)
    rotations = (
        Rotation.objects.filter(from_organization_id__in=organization_ids)
        .select_related("member", "from_organization", "to_organization", "decision")
        .order_by("starts_on", "id")
    )

    def appointment_row(a: Appointment) -> list[str]:
        person, congress = a.person, a.congress
        return [
            a.organization.code,
            a.position.code,
            a.member.code if a.member else "",
            person.code if person else "",
            person.full_name if person else "",
            person.gender if person else "",
            _text(person.birth_date) if person else "",
            person.ethnicity if person else "",
            a.how,
            _text(a.valid_from),
            _text(a.valid_to),
            a.end_reason,
            a.decision.number if a.decision else "",
            _text(congress.number) if congress else "",
            _text(congress.term_from) if congress else "",
            _text(congress.term_to) if congress else "",
            _text(congress.starts_on) if congress else "",
            a.note,
        ]

    def plan_rows(plan: Plan) -> list[list[str]]:
        head = [
            plan.organization.code,
            str(plan.term_from),
            str(plan.term_to),
            _text(plan.term_starts_on),
            _text(plan.approved_on),
        ]
        rows = [
            head
            + [
                e.position.code,
                e.member.code,
                _text(e.added_on),
                _text(e.removed_on),
                e.removal_reason,
                e.removal_note,
                e.discipline,
                _text(e.disciplined_on),
            ]
            for e in by_plan.get(plan.pk, [])
        ]
        return rows or [head + [""] * 8]

    tables = {
        APPOINTMENTS: [appointment_row(a) for a in appointments],
        PLANS: [row for plan in plans for row in plan_rows(plan)],
        ROTATIONS: [
            [
                r.member.code,
                r.kind,
                r.direction,
                r.from_organization.code,
                r.from_post,
                r.to_organization.code,
                r.to_post,
                _text(r.starts_on),
                _text(r.planned_end),
                _text(r.actual_end),
                r.decision.number if r.decision else "",
                r.note,
            ]
            for r in rotations
        ],
    }
    return {name: (list(COLUMNS[name]), rows) for name, rows in tables.items() if rows}
