"""The optional files of the interchange format for party development and ratings:
``candidates.csv``, ``candidate_steps.csv``, ``targets.csv`` and ``ratings.csv``.

They are imported after the registry's own files, inside the import's write transaction, row by
row through the services (so every rule of the forms applies, sponsors and votes are checked
against the registry just written); any problem rolls the whole import back. Rows already there
(a candidate's code, a candidate's step, an identical target, an identical rating) are skipped, so
importing twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from grassroots.admissions import services
from grassroots.admissions.models import (
    PATH,
    AdmissionTarget,
    Candidate,
    CandidateStep,
    Source,
    Stage,
)
from grassroots.core.errors import RuleError
from grassroots.core.temporal import parse_date
from grassroots.core.text import fold
from grassroots.members.models import Gender, Member
from grassroots.organizations.models import Organization
from grassroots.organizations.selectors import scope_organization_ids
from grassroots.places.models import Place

CANDIDATES, STEPS = "candidates.csv", "candidate_steps.csv"
TARGETS, RATINGS = "targets.csv", "ratings.csv"

COLUMNS: dict[str, tuple[str, ...]] = {
    CANDIDATES: (
        "candidate_id",
        "full_name",
        "gender",
        "birth_date",
        "ethnicity",
        "education",
        "occupation",
        "hometown",
        "source",
        "is_local",
        "organization_code",
        "place_code",
        "identified_on",
    ),
    STEPS: (
        "candidate_id",
        "date",
        "step",
        "sponsor_1",
        "sponsor_2",
        "youth_union_sponsor",
        "eligible",
        "votes_for",
        "decision_number",
        "member_id",
        "reason",
        "note",
    ),
    TARGETS: ("organization_code", "year_from", "year_to", "per_year", "total", "source", "note"),
    RATINGS: ("period", "period_label", "subject", "code", "level", "score", "note"),
}
REQUIRED: dict[str, frozenset[str]] = {
    CANDIDATES: frozenset(
        {
            "candidate_id",
            "full_name",
            "gender",
            "birth_date",
            "source",
            "organization_code",
            "place_code",
            "identified_on",
        }
    ),
    STEPS: frozenset({"candidate_id", "date", "step"}),
    TARGETS: frozenset({"organization_code", "year_from", "year_to"}),
    RATINGS: frozenset({"period", "period_label", "subject", "code", "level"}),
}
#: Step values of candidate_steps.csv (identification is candidates.csv's ``identified_on``).
STEP_VALUES = tuple(s for s in (*PATH, Stage.NOT_CONFIRMED, Stage.DROPPED) if s != Stage.IDENTIFIED)
TRUE = {"1", "true", "yes", "có", "x"}


class _Rows:
    """Problems as ``(file, line, column, message)`` tuples, and the counts."""

    def __init__(self):
        self.problems: list[tuple[str, int, str, str]] = []
        self.warnings: list[tuple[str, int, str, str]] = []
        self.created: Counter = Counter()
        self.skipped: Counter = Counter()

    def error(self, file, line, column, message):
        self.problems.append((file, line, column, message))


def _int(rows: _Rows, file, line, row, column, required=False) -> int | None:
    text = row.get(column, "")
    if not text:
        if required:
            rows.error(file, line, column, "thiếu giá trị.")
        return None
    try:
        return int(text)
    except ValueError:
        rows.error(file, line, column, f"không phải số nguyên: '{text}'.")
        return None


def _date(rows: _Rows, file, line, row, column) -> date | None:
    text = row.get(column, "")
    day = parse_date(text)
    if day is None:
        rows.error(file, line, column, f"ngày không hợp lệ: '{text}' (cần YYYY-MM-DD).")
    return day


def _code(choices, text: str) -> str:
    """A coded cell typed as its Vietnamese label ("Nữ", "Đoàn Thanh niên") read as the code."""
    return {fold(c.label): c.value for c in choices}.get(fold(text), text)


def _choices_text(choices) -> str:
    """The format's codes with their Vietnamese labels, for a message."""
    return ", ".join(f"{c.value} ({c.label})" for c in choices)


def _message(exc: RuleError) -> str:
    return " ".join(exc.messages)


def import_rows(tables: dict[str, list[tuple[int, dict]]], *, acting_user) -> _Rows:
    """Import the optional files (``{file: [(line, row)]}``); call inside a transaction and roll
    it back when ``problems`` is not empty."""
    out = _Rows()
    ids = scope_organization_ids(acting_user, "change")
    scope = None if ids is None else set(ids)
    _targets(out, tables.get(TARGETS, []), acting_user, scope)
    _candidates(out, tables.get(CANDIDATES, []), acting_user, scope)
    _steps(out, tables.get(STEPS, []), acting_user)
    if tables.get(RATINGS):
        from grassroots.ratings.services import ratings_import_rows

        written, problems, warnings = ratings_import_rows(
            acting_user=acting_user, rows=tables[RATINGS], file_name=RATINGS
        )
        out.created["ratings"] += written
        for text in problems:
            out.problems.append(_split(text))
        for text in warnings:
            out.warnings.append(_split(text))
    return out


def _split(text: str) -> tuple[str, int, str, str]:
    """``file:line: column: message`` → its parts (anything else: a problem of ratings.csv)."""
    try:
        file, line, column, message = text.split(":", 3)
        return file, int(line), column.strip(), message.strip()
    except ValueError:
        return RATINGS, 1, "", text


def _organization(out, file, line, code, scope, user=None) -> Organization | None:
    # an organisation the user may not read is answered as an unknown one
    org = Organization.objects.visible_to(user).filter(code=code).first()
    if org is None:
        out.error(file, line, "organization_code", f"không tìm thấy tổ chức mã {code}.")
    elif scope is not None and org.pk not in scope:
        out.error(file, line, "organization_code", f"Tổ chức {code} nằm ngoài phạm vi của bạn.")
        return None
    return org


def _targets(out: _Rows, rows, user, scope) -> None:
    for line, row in rows:
        org = _organization(out, TARGETS, line, row.get("organization_code", ""), scope, user)
        values = {
            c: _int(out, TARGETS, line, row, c, required=c in ("year_from", "year_to"))
            for c in ("year_from", "year_to", "per_year", "total")
        }
        if org is None or values["year_from"] is None or values["year_to"] is None:
            continue
        data = {**values, "source": row.get("source", ""), "note": row.get("note", "")}
        if AdmissionTarget.objects.filter(organization=org, **data).exists():
            out.skipped["admission_targets"] += 1
            continue
        try:
            services.target_set(acting_user=user, organization=org, **data)
            out.created["admission_targets"] += 1
        except RuleError as exc:
            out.error(TARGETS, line, "year_from", _message(exc))


def _candidates(out: _Rows, rows, user, scope) -> None:
    for line, row in rows:
        code = row.get("candidate_id", "")
        if Candidate.objects.filter(code=code).exists():
            out.skipped["candidates"] += 1
            continue
        org = _organization(out, CANDIDATES, line, row.get("organization_code", ""), scope, user)
        place = Place.objects.filter(code=row.get("place_code", "")).first()
        if place is None:
            out.error(
                CANDIDATES,
                line,
                "place_code",
                f"không tìm thấy địa bàn mã {row.get('place_code', '')}.",
            )
        birth = _date(out, CANDIDATES, line, row, "birth_date")
        identified = _date(out, CANDIDATES, line, row, "identified_on")
        if org is None or place is None or birth is None or identified is None:
            continue
        try:
            services.candidate_create(
                acting_user=user,
                code=code,
                full_name=row.get("full_name", ""),
                gender=_code(Gender, row.get("gender", "")),
                birth_date=birth,
                source=_code(Source, row.get("source", "")),
                is_local=row.get("is_local", "1").lower() in TRUE,
                organization=org,
                place=place,
                identified_on=identified,
                **{f: row.get(f, "") for f in services.PROFILE_FIELDS},
            )
            out.created["candidates"] += 1
        except RuleError as exc:
            column = {"unknown_source": "source", "unknown_gender": "gender"}.get(
                exc.code or "", "candidate_id"
            )
            choices = {"gender": Gender, "source": Source}.get(column)
            hint = f" (cần một trong: {_choices_text(choices)})" if choices else ""
            out.error(CANDIDATES, line, column, _message(exc) + hint)


def _steps(out: _Rows, rows, user) -> None:
    order: dict[str, int] = {str(s): i for i, s in enumerate(STEP_VALUES)}
    parsed = []
    for line, row in rows:
        step = _code([Stage(v) for v in STEP_VALUES], row.get("step", ""))
        if step not in order:
            known = _choices_text([Stage(v) for v in STEP_VALUES])
            out.error(STEPS, line, "step", f"bước không hợp lệ: '{step}' (cần một trong: {known}).")
            continue
        day = _date(out, STEPS, line, row, "date")
        if day is not None:
            parsed.append((row.get("candidate_id", ""), day, order[step], line, step, row))
    candidates = {c.code: c for c in Candidate.objects.filter(code__in={p[0] for p in parsed})}
    for code, day, _, line, step, row in sorted(parsed, key=lambda p: p[:3]):
        candidate = candidates.get(code)
        if candidate is None:
            out.error(STEPS, line, "candidate_id", f"không tìm thấy quần chúng mã {code}.")
            continue
        if CandidateStep.objects.filter(candidate=candidate, stage=step).exists():
            out.skipped["candidate_steps"] += 1
            continue
        candidate.refresh_from_db()
        try:
            _step(out, candidate, day, step, row, line, user)
            out.created["candidate_steps"] += 1
        except RuleError as exc:
            out.error(STEPS, line, "step", _message(exc))


def _member(out, line, column, code) -> Member | None:
    member = Member.objects.filter(code=code).first() if code else None
    if code and member is None:
        raise RuleError(f"không tìm thấy đảng viên mã {code} ({column}).", code="unknown_code")
    return member


def _step(out, candidate, day, step, row, line, user) -> None:
    common = {"acting_user": user, "candidate": candidate, "day": day, "note": row.get("note", "")}
    if step == Stage.SPONSORED:
        sponsor_1 = _member(out, line, "sponsor_1", row.get("sponsor_1", ""))
        if sponsor_1 is None:
            raise RuleError("thiếu sponsor_1.", code="sponsor_required")
        services.candidate_sponsor(
            **common,
            sponsor_1=sponsor_1,
            sponsor_2=_member(out, line, "sponsor_2", row.get("sponsor_2", "")),
            youth_union_sponsor=row.get("youth_union_sponsor", "").lower() in TRUE,
        )
    elif step == Stage.VOTED:
        eligible = _int(out, STEPS, line, row, "eligible", required=True)
        votes = _int(out, STEPS, line, row, "votes_for", required=True)
        if eligible is None or votes is None:
            raise RuleError("cần eligible và votes_for.", code="bad_count")
        services.candidate_vote(**common, eligible=eligible, votes_for=votes)
    elif step == Stage.DECIDED:
        services.candidate_decide(**common, decision_number=row.get("decision_number", ""))
    elif step == Stage.ADMITTED:
        code = row.get("member_id", "")
        existing = Member.objects.filter(code=code).first() if code else None
        services.candidate_admit(**common, member_code=code, existing_member=existing)
    elif step in (Stage.CONFIRMED, Stage.NOT_CONFIRMED):
        services.candidate_confirm(
            **common,
            confirmed=step == Stage.CONFIRMED,
            eligible=_int(out, STEPS, line, row, "eligible"),
            votes_for=_int(out, STEPS, line, row, "votes_for"),
            reason=row.get("reason", ""),
        )
    elif step == Stage.DROPPED:
        services.candidate_drop(**common, reason=row.get("reason", ""))
    else:
        services.STEP_SERVICES[step](**common)


# --- Export ------------------------------------------------------------------------------------


def export_tables(organization_ids: set[int]) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Candidates of the organisations ``organization_ids``, their steps, and the targets of
    those organisations; files without rows are left out (they are optional)."""
    candidates = list(
        Candidate.objects.filter(organization_id__in=organization_ids)
        .select_related("organization", "place")
        .order_by("code")
    )
    steps = (
        CandidateStep.objects.filter(candidate__in=candidates)
        .exclude(stage=Stage.IDENTIFIED)
        .select_related("candidate", "sponsor_1", "sponsor_2", "candidate__member")
        .order_by("candidate__code", "date", "id")
    )
    identified = dict(
        CandidateStep.objects.filter(candidate__in=candidates, stage=Stage.IDENTIFIED).values_list(
            "candidate_id", "date"
        )
    )
    targets = AdmissionTarget.objects.filter(organization_id__in=organization_ids).select_related(
        "organization"
    )

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    tables = {
        CANDIDATES: [
            [
                c.code,
                c.full_name,
                c.gender,
                text(c.birth_date),
                c.ethnicity,
                c.education,
                c.occupation,
                c.hometown,
                c.source,
                text(c.is_local),
                c.organization.code,
                c.place.code,
                text(identified.get(c.pk)),
            ]  # fmt: skip
            for c in candidates
        ],
        STEPS: [
            [
                s.candidate.code,
                text(s.date),
                s.stage,
                s.sponsor_1.code if s.sponsor_1 else "",
                s.sponsor_2.code if s.sponsor_2 else "",
                text(s.youth_union_sponsor) if s.stage == Stage.SPONSORED else "",
                text(s.eligible),
                text(s.votes_for),
                s.decision_number,
                s.candidate.member.code if s.stage == Stage.ADMITTED and s.candidate.member else "",
                s.reason,
                s.note,
            ]  # fmt: skip
            for s in steps
        ],
        TARGETS: [
            [
                t.organization.code,
                str(t.year_from),
                str(t.year_to),
                text(t.per_year),
                text(t.total),
                t.source,
                t.note,
            ]  # fmt: skip
            for t in targets.order_by("organization__code", "year_from")
        ],
    }
    return {name: (list(COLUMNS[name]), rows) for name, rows in tables.items() if rows}
