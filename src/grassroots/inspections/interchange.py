"""The optional files of the interchange format for inspection and discipline:
``inspection_cases.csv`` and ``discipline.csv`` (columns in ``docs/interchange.md``).

Imported after the registry's own files, inside the import's write transaction, row by row
through the services (every rule applies: step order, votes, limitation periods, levels; an
expulsion records the member's ``left`` event); any problem rolls the whole import back. A row
whose code is already there is skipped, so importing twice changes nothing. Cases are
confidential: only a user with the inspector role imports or exports them (for anyone else
the exporter leaves ``inspection_cases.csv`` out and an import naming cases is refused).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from grassroots.core import scope
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.temporal import parse_date
from grassroots.inspections import effects, selectors, services
from grassroots.inspections.models import (
    STEPS,
    Case,
    DecisionStatus,
    DisciplineDecision,
    Kind,
    Level,
    Subject,
    ViolationKind,
)
from grassroots.members.models import Member
from grassroots.organizations.models import Organization

CASES, DISCIPLINE = "inspection_cases.csv", "discipline.csv"

STEP_COLUMNS = ("planned_on", "notified_on", "verified_on", "reported_on", "concluded_on")

COLUMNS: dict[str, tuple[str, ...]] = {
    CASES: (
        "code",
        "kind",
        "subject",
        "subject_code",
        "topic",
        "deciding_body",
        "decision_number",
        "decided_on",
        "team",
        *STEP_COLUMNS,
        "findings",
        "conclusion",
        "violation_kind",
    ),
    DISCIPLINE: (
        "code",
        "subject",
        "subject_code",
        "level",
        "violation_kind",
        "violation_date",
        "decided_on",
        "deciding_body",
        "decision_number",
        "votes_for",
        "votes_total",
        "case_code",
        "note",
    ),
}
REQUIRED: dict[str, frozenset[str]] = {
    CASES: frozenset(
        {
            "code",
            "kind",
            "subject",
            "subject_code",
            "topic",
            "deciding_body",
            "decision_number",
            "decided_on",
        }
    ),  # fmt: skip
    DISCIPLINE: frozenset(
        {
            "code",
            "subject",
            "subject_code",
            "level",
            "violation_kind",
            "violation_date",
            "decided_on",
            "deciding_body",
            "decision_number",
            "votes_for",
            "votes_total",
        }
    ),  # fmt: skip
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


def _date(out: _Rows, file: str, line: int, row: dict, column: str, required=True) -> date | None:
    text = row.get(column, "").strip()
    if not text and not required:
        return None
    day = parse_date(text)
    if day is None:
        out.error(file, line, column, f"ngày không hợp lệ: '{text}' (cần YYYY-MM-DD).")
    return day


def _int(out: _Rows, file: str, line: int, row: dict, column: str) -> int | None:
    text = row.get(column, "").strip()
    if not text.isdigit():
        out.error(file, line, column, f"không phải số nguyên không âm: '{text}'.")
        return None
    return int(text)


def _choice(out: _Rows, file: str, line: int, row: dict, column: str, choices) -> str:
    value = row.get(column, "").strip()
    if value not in choices.values:
        known = ", ".join(f"{c.value} ({c.label})" for c in choices)
        out.error(file, line, column, f"giá trị không hợp lệ: '{value}' (cần một trong: {known}).")
        return ""
    return value


def _subject(out: _Rows, file: str, line: int, row: dict, user) -> dict | None:
    subject = _choice(out, file, line, row, "subject", Subject)
    code = row.get("subject_code", "").strip()
    if subject == Subject.MEMBER:
        member = Member.objects.visible_to(user).filter(code=code).first()
        if member is None:
            out.error(file, line, "subject_code", f"không tìm thấy đảng viên mã {code}.")
            return None
        return {"subject": subject, "member": member}
    if subject == Subject.ORGANIZATION:
        organization = Organization.objects.visible_to(user).filter(code=code).first()
        if organization is None:
            out.error(file, line, "subject_code", f"không tìm thấy tổ chức mã {code}.")
            return None
        return {"subject": subject, "organization": organization}
    return None


def _message(exc: RuleError) -> str:
    return " ".join(exc.messages)


def import_rows(tables: dict[str, list[tuple[int, dict]]], *, acting_user) -> _Rows:
    """Import the optional files (``{file: [(line, row)]}``); call inside a transaction and roll
    it back when ``problems`` is not empty."""
    out = _Rows()
    _cases(out, tables.get(CASES, []), acting_user)
    _decisions(out, tables.get(DISCIPLINE, []), acting_user)
    return out


def _cases(out: _Rows, rows, user) -> None:
    if rows and not scope.can_read(Case, user):
        out.error(CASES, rows[0][0], "", "chỉ người có vai trò kiểm tra mới được nhập hồ sơ này.")
        return
    for line, row in rows:
        code = row.get("code", "").strip().upper()
        if Case.objects.filter(code=code).exists():
            out.skipped["inspection_cases"] += 1
            continue
        kind = _choice(out, CASES, line, row, "kind", Kind)
        subject = _subject(out, CASES, line, row, user)
        decided = _date(out, CASES, line, row, "decided_on")
        steps = {c: _date(out, CASES, line, row, c, required=False) for c in STEP_COLUMNS}
        if not kind or subject is None or decided is None:
            continue
        try:
            case = services.case_open(
                acting_user=user,
                code=code,
                kind=kind,
                topic=row.get("topic", ""),
                deciding_body=row.get("deciding_body", ""),
                decision_number=row.get("decision_number", ""),
                decided_on=decided,
                team=row.get("team", ""),
                **subject,
            )
        except (RuleError, NotFound) as exc:
            text = _message(exc) if isinstance(exc, RuleError) else "nằm ngoài phạm vi của bạn."
            out.error(CASES, line, "code", text)
            continue
        for step, field in STEPS[1:]:
            day = steps.get(field)
            if day is None:
                continue
            concluding = field == "concluded_on"
            try:
                services.case_step(
                    acting_user=user,
                    case=case,
                    step=step,
                    day=day,
                    findings=row.get("findings", "") if concluding else None,
                    conclusion=row.get("conclusion", "") if concluding else "",
                    violation_kind=row.get("violation_kind", "") if concluding else "",
                )
            except RuleError as exc:
                column = "conclusion" if exc.code == "bad_choice" else field
                out.error(CASES, line, column, _message(exc))
                break
        out.created["inspection_cases"] += 1


def _decisions(out: _Rows, rows, user) -> None:
    for line, row in rows:
        code = row.get("code", "").strip().upper()
        if DisciplineDecision.objects.filter(code=code).exists():
            out.skipped["discipline_decisions"] += 1
            continue
        level = _choice(out, DISCIPLINE, line, row, "level", Level)
        violation = _choice(out, DISCIPLINE, line, row, "violation_kind", ViolationKind)
        subject = _subject(out, DISCIPLINE, line, row, user)
        violation_date = _date(out, DISCIPLINE, line, row, "violation_date")
        decided = _date(out, DISCIPLINE, line, row, "decided_on")
        votes_for = _int(out, DISCIPLINE, line, row, "votes_for")
        votes_total = _int(out, DISCIPLINE, line, row, "votes_total")
        case = None
        case_code = row.get("case_code", "").strip().upper()
        if case_code:
            case = selectors.case_visible_to(user).filter(code=case_code).first()
            if case is None:
                out.error(
                    DISCIPLINE, line, "case_code", f"không tìm thấy cuộc kiểm tra {case_code}."
                )
                continue
        values = (level, violation, subject, violation_date, decided, votes_for, votes_total)
        if any(v in (None, "") for v in values):
            continue
        assert subject is not None and violation_date is not None and decided is not None
        probe = DisciplineDecision(
            level=level,
            decided_on=decided,
            member=subject.get("member"),
            organization=subject.get("organization") or Organization(),
        )
        recorded = level in ("expulsion", "dissolution") and effects.recorded_effect(probe)
        try:
            services.discipline_decide(
                acting_user=user,
                code=code,
                level=level,
                violation_kind=violation,
                violation_date=violation_date,
                decided_on=decided,
                deciding_body=row.get("deciding_body", ""),
                decision_number=row.get("decision_number", ""),
                votes_for=votes_for or 0,
                votes_total=votes_total or 0,
                case=case,
                note=row.get("note", ""),
                recorded=recorded,
                **subject,
            )
        except RuleError as exc:
            column = {
                "vote_majority": "votes_for",
                "vote_expulsion": "votes_for",
                "vote_invalid": "votes_for",
                "limitation_expired": "decided_on",
                "level_probationary": "level",
                "level_member": "level",
                "level_organization": "level",
            }.get(exc.code or "", "code")
            out.error(DISCIPLINE, line, column, _message(exc))
            continue
        except NotFound:
            out.error(DISCIPLINE, line, "subject_code", "nằm ngoài phạm vi của bạn.")
            continue
        out.created["discipline_decisions"] += 1


def export_tables(
    organization_ids: set[int], user=None
) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Cases (for users who may read them) and discipline decisions of the organisations
    ``organization_ids``; files without rows are left out (they are optional). A decision
    cancelled on appeal is left out; one changed on appeal is exported at its new level (the
    appeal itself is not part of the format)."""
    cases = selectors.case_visible_to(user).filter(organization_id__in=organization_ids)
    decisions = (
        selectors.decision_visible_to(user)
        .filter(organization_id__in=organization_ids)
        .exclude(status=DecisionStatus.CANCELLED)
    )
    tables = {
        CASES: selectors.case_export_rows(cases=cases),
        DISCIPLINE: selectors.decision_export_rows(decisions=decisions),
    }
    return {
        name: (list(COLUMNS[name]), [[row[c] for c in COLUMNS[name]] for row in rows])
        for name, rows in tables.items()
        if rows
    }
