"""Writes of quality ratings: one rating at a time (pages, API) or many rows all-or-nothing
(spreadsheet upload, interchange ``ratings.csv``).

Rules (DOMAIN.md, "Rules" → Quality rating):
- a score, when given, must agree with the level under the 100-point bands of 366-QĐ/TW, or it
  determines the level when the level is blank;
- a member is rated only for a period during which the member belonged to an organisation of the
  acting user's scope; an organisation only for a period during which it existed;
- one rating per subject and period: rating again updates it (auditlog keeps the history);
- after a write, the quota of 124-QĐ/TW ("excellent" ≤ 20% of "good" within a group of similar
  units) is checked and a :class:`RuleWarning` returned when it is exceeded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.functional import Promise

from grassroots import policy
from grassroots.core import scope
from grassroots.core.errors import RuleError, RuleWarning
from grassroots.core.locking import check_not_stale
from grassroots.core.temporal import MAX_YEAR, MIN_YEAR, overlaps
from grassroots.core.text import fold
from grassroots.members.models import Member, MembershipSpan
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.ratings.models import Level, PeriodKind, Rating, Subject

# --- Periods, levels and scores -------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A rating period ``[start, end)``: a year ``2024``, a quarter ``2024-Q1`` or a term
    ``2020-2025`` (from 1 January of the first year to 31 December of the last)."""

    kind: str
    label: str
    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def __str__(self) -> str:
        return f"{PeriodKind(self.kind).label.lower()} {self.label}"


def parse_period(kind: str, label: str) -> Period:
    """The period named by ``kind`` and ``label``; RuleError when they do not fit together."""
    label = (label or "").strip()
    years = [int(y) for y in re.findall(r"\d{4}", label)]
    if any(not MIN_YEAR <= year <= MAX_YEAR for year in years):
        raise RuleError(
            f"Kỳ “{label}”: năm phải từ {MIN_YEAR} đến {MAX_YEAR}.", code="period_label"
        )
    if kind == PeriodKind.YEAR and re.fullmatch(r"\d{4}", label):
        year = int(label)
        return Period(kind, label, date(year, 1, 1), date(year + 1, 1, 1))
    if kind == PeriodKind.QUARTER:
        match = re.fullmatch(r"(\d{4})-Q([1-4])", label.upper())
        if match:
            year, quarter = int(match[1]), int(match[2])
            start = date(year, 3 * quarter - 2, 1)
            end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
            return Period(kind, f"{year}-Q{quarter}", start, end)
    if kind == PeriodKind.TERM:
        match = re.fullmatch(r"(\d{4})-(\d{4})", label)
        if match and int(match[1]) < int(match[2]):
            return Period(kind, label, date(int(match[1]), 1, 1), date(int(match[2]) + 1, 1, 1))
    if kind not in PeriodKind.values:
        raise RuleError(
            f"Kỳ đánh giá “{kind}” không hợp lệ (cần một trong: {choices_text(PeriodKind)}).",
            code="period_kind",
        )
    examples = {"year": "2024", "quarter": "2024-Q1", "term": "2020-2025"}
    raise RuleError(
        f"Kỳ “{label}” không đúng dạng của {PeriodKind(kind).label.lower()} "
        f"(ví dụ {examples[kind]}).",
        code="period_label",
    )


def choices_text(choices) -> str:
    """The format's codes with their Vietnamese labels, for a message or a page:
    ``year (Năm), term (Nhiệm kỳ), quarter (Quý)``."""
    return ", ".join(f"{choice.value} ({choice.label})" for choice in choices)


def code_for_label(choices, text: str) -> str:
    """``text`` read as a code: a Vietnamese label (any case, with or without accents) gives its
    code; anything else is returned unchanged."""
    return {fold(choice.label): choice.value for choice in choices}.get(fold(text), text)


def level_for_score(score: Decimal | int | float) -> str:
    """The level a 100-point score gives under 366-QĐ/TW."""
    if score >= policy.get("RATING_SCORE_EXCELLENT_MIN"):
        return Level.EXCELLENT
    if score >= policy.get("RATING_SCORE_GOOD_MIN"):
        return Level.GOOD
    if score >= policy.get("RATING_SCORE_COMPLETED_MIN"):
        return Level.COMPLETED
    return Level.NOT_COMPLETED


def score_band(level: str) -> str:
    """The score band of a level in words, e.g. ``từ 70 đến dưới 90 điểm``."""
    excellent = policy.get("RATING_SCORE_EXCELLENT_MIN")
    good = policy.get("RATING_SCORE_GOOD_MIN")
    completed = policy.get("RATING_SCORE_COMPLETED_MIN")
    texts: dict[str, str] = {
        Level.EXCELLENT: f"từ {excellent} điểm trở lên",
        Level.GOOD: f"từ {good} đến dưới {excellent} điểm",
        Level.COMPLETED: f"từ {completed} đến dưới {good} điểm",
        Level.NOT_COMPLETED: f"dưới {completed} điểm",
    }
    return texts[level]


def parse_score(text) -> Decimal | None:
    """A score from text (``85``, ``85.5`` or ``85,5``); None when blank; RuleError otherwise."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        raise RuleError(f"Điểm “{text}” không phải là số.", code="score") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise RuleError(f"Điểm {text} phải từ 0 đến 100.", code="score")
    if value != value.quantize(Decimal("0.01")):
        raise RuleError(f"Điểm {text} có quá hai chữ số thập phân.", code="score")
    return value.quantize(Decimal("0.01"))


def resolve_level(level: str, score: Decimal | None) -> str:
    """The level to record: ``level`` checked against ``score``, or the score's level when the
    level is blank. RuleError when neither is given or they disagree."""
    level = (level or "").strip()
    # Spreadsheets typed by hand often carry the level's name rather than its code.
    level = code_for_label(Level, level)
    if level and level not in Level.values:
        raise RuleError(
            f"Mức xếp loại “{level}” không hợp lệ (cần một trong: {choices_text(Level)}).",
            code="level",
        )
    if score is None:
        if not level:
            raise RuleError("Cần nhập mức xếp loại hoặc điểm.", code="level_required")
        return level
    from_score = level_for_score(score)
    if level and level != from_score:
        raise RuleError(
            f"Điểm {_score_text(score)} ứng với mức “{Level(from_score).label}”, không khớp với "
            f"mức “{Level(level).label}” ({Level(level).label} là {score_band(level)}, "
            "Quy định 366-QĐ/TW).",
            code="score_level_mismatch",
        )
    return from_score


def _score_text(score: Decimal) -> str:
    return format(score.normalize(), "f").replace(".", ",")


# --- Who may be rated ------------------------------------------------------------------------


def _in_scope(acting_user, organization_id: int) -> bool:
    return (
        Organization.objects.visible_to(acting_user, scope.CHANGE)
        .filter(pk=organization_id)
        .exists()
    )


def _organization_context(*, acting_user, organization: Organization, period: Period) -> dict:
    """Parent and kind of the organisation at the end of the period (its last version that
    overlaps the period); RuleError when it did not exist during the period or is out of scope."""
    version = (
        OrganizationVersion.objects.filter(
            overlaps(period.start, period.end), organization=organization
        )
        .order_by("-valid_from")
        .first()
    )
    if version is None or not _in_scope(acting_user, organization.pk):
        raise RuleError(
            f"Tổ chức đảng {organization.code} không tồn tại trong {period} "
            "(hoặc ngoài phạm vi dữ liệu của bạn).",
            code="organization_not_valid",
        )
    return {
        "organization_id": organization.pk,
        "parent_id": version.parent_id,
        "kind": version.kind,
    }


def _member_context(*, acting_user, member: Member, period: Period) -> dict:
    """The organisation the member belonged to at the end of the period (the last membership
    span that overlaps it, inside the acting user's scope); RuleError when there is none."""
    spans = MembershipSpan.objects.filter(
        overlaps(period.start, period.end), member=member
    ).order_by("-valid_from")
    spans = spans.filter(
        organization__in=Organization.objects.visible_to(acting_user, scope.CHANGE)
    )
    span = spans.first()
    if span is None:
        raise RuleError(
            f"{member.full_name} ({member.code}) không phải là đảng viên của một tổ chức đảng "
            f"trong phạm vi dữ liệu của bạn trong {period}.",
            code="member_not_valid",
        )
    return {"organization_id": span.organization_id, "parent_id": None, "kind": ""}


@dataclass
class _Prepared:
    """A checked rating, ready to be written."""

    subject: str
    period: Period
    member: Member | None
    values: dict
    #: The rated organisation, when it is the subject (its name for the audit entry).
    organization: Organization | None = None

    @property
    def key(self) -> dict:
        key = {"period_kind": self.period.kind, "period_label": self.period.label}
        if self.subject == Subject.MEMBER:
            assert self.member is not None  # a member's rating has its member
            return {**key, "subject": Subject.MEMBER, "member_id": self.member.pk}
        return {
            **key,
            "subject": Subject.ORGANIZATION,
            "organization_id": self.values["organization_id"],
        }


def _prepare(
    *,
    acting_user,
    period_kind: str,
    period_label: str,
    member: Member | None,
    organization: Organization | None,
    level: str,
    score,
    note: str,
) -> _Prepared:
    """Every check of one rating, nothing written."""
    period = parse_period(period_kind, period_label)
    if (member is None) == (organization is None):
        raise RuleError("Cần chọn đúng một đảng viên hoặc một tổ chức đảng.", code="subject")
    score = parse_score(score)
    level = resolve_level(level, score)
    if member is not None:
        context = _member_context(acting_user=acting_user, member=member, period=period)
        subject = Subject.MEMBER
    else:
        assert organization is not None  # exactly one of the two, checked above
        context = _organization_context(
            acting_user=acting_user, organization=organization, period=period
        )
        subject = Subject.ORGANIZATION
    values = {
        **context,
        "period_start": period.start,
        "period_end": period.end,
        "level": level,
        "score": score,
        "note": (note or "").strip(),
    }
    return _Prepared(subject, period, member, values, organization)


def _write(prepared: _Prepared, acting_user, based_on=None) -> tuple[Rating, bool]:
    """Create or update the rating; ``changed`` is False when nothing differed (idempotent).
    ``based_on``: the version of the rating the edit started from (``core.locking``).

    Two requests rating the same subject and period at once: the second insert meets the unique
    constraint (a 500 before); it is undone in its savepoint and the row the first one wrote is
    then updated, locked, so the answer is the same as for two requests in turn — unless the
    second expected no rating yet (``based_on`` "0"), which is then stale."""
    what = f"xếp loại kỳ {prepared.period.label}"
    rating = Rating.objects.select_for_update().filter(**prepared.key).first()
    check_not_stale(rating, based_on, what=what)
    values = dict(prepared.values)
    if rating is None:
        rating = Rating(**{**values, **prepared.key}, recorded_by=acting_user)
        # the audit entry names the subject (``Rating.__str__``): no query to fetch it again
        if prepared.member is not None:
            rating.member = prepared.member
        elif prepared.organization is not None:
            rating.organization = prepared.organization
        try:
            with transaction.atomic():
                rating.save()
            return rating, True
        except IntegrityError:
            rating = Rating.objects.select_for_update().filter(**prepared.key).first()
            if rating is None:  # the constraint broken was not the one of the key
                raise
            check_not_stale(rating, based_on, what=what)
    changed = [name for name, value in values.items() if getattr(rating, name) != value]
    if not changed:
        return rating, False
    for name in changed:
        setattr(rating, name, values[name])
    rating.recorded_by = acting_user
    rating.save(update_fields=[*changed, "recorded_by", "updated_at"])
    return rating, True


# --- The quota of 124-QĐ/TW ------------------------------------------------------------------


def quota_group(rating: Rating) -> dict:
    """The filter of a rating's group of similar units for its period: organisations of the same
    kind under the same parent, or members of the same cell."""
    base = {
        "period_kind": rating.period_kind,
        "period_label": rating.period_label,
        "subject": rating.subject,
    }
    if rating.subject == Subject.MEMBER:
        return {**base, "organization_id": rating.organization_id}
    return {**base, "parent_id": rating.parent_id, "kind": rating.kind}


def quota_exceeded(*, excellent: int, good: int) -> bool:
    """True when ``excellent`` is more than the quota (20%) of ``good``; exactly at it is fine."""
    return excellent * 100 > good * policy.get("RATING_EXCELLENT_QUOTA_PERCENT")


def rating_quota_warning(*, rating: Rating) -> RuleWarning | None:
    """A warning when the rating's group exceeds the "excellent" quota, else None."""
    group = Rating.objects.filter(**quota_group(rating))
    excellent = group.filter(level=Level.EXCELLENT).count()
    good = group.filter(level=Level.GOOD).count()
    if not quota_exceeded(excellent=excellent, good=good):
        return None
    quota = policy.get("RATING_EXCELLENT_QUOTA_PERCENT")
    if rating.subject == Subject.MEMBER:
        where = f"đảng viên của {rating.organization}"
    else:
        kind = rating.get_kind_display().lower()
        where = f"{kind} trực thuộc {rating.parent}" if rating.parent_id else f"{kind} cấp cao nhất"
    return RuleWarning(
        "excellent_quota",
        f"Trong nhóm {where}, {PeriodKind(rating.period_kind).label.lower()} "
        f"{rating.period_label}: {excellent} “{Level.EXCELLENT.label}” vượt {quota}% của {good} "
        f"“{Level.GOOD.label}” (Quy định 124-QĐ/TW).",
    )


# --- Services --------------------------------------------------------------------------------


@transaction.atomic
def rating_record(
    *,
    acting_user,
    period_kind: str,
    period_label: str,
    member: Member | None = None,
    organization: Organization | None = None,
    level: str = "",
    score=None,
    note: str = "",
    based_on: str | int | None = None,
) -> tuple[Rating, list[RuleWarning]]:
    """Rate one member or one organisation for a period (or correct its rating); returns the
    rating and the quota warning, if any. Rating again with the same values changes nothing.
    ``based_on``: the version of the rating the form or client read (``core.locking.NEW``: none
    existed), refused when another editor rated since; None: no check."""
    prepared = _prepare(
        acting_user=acting_user,
        period_kind=period_kind,
        period_label=period_label,
        member=member,
        organization=organization,
        level=level,
        score=score,
        note=note,
    )
    rating, _ = _write(prepared, acting_user, based_on)
    warning = rating_quota_warning(rating=rating)
    return rating, [warning] if warning else []


IMPORT_COLUMNS = ("period", "period_label", "subject", "code", "level", "score", "note")


@transaction.atomic
def ratings_import_rows(
    *, acting_user, rows: list[tuple[int, dict]], file_name: str = "ratings.csv"
) -> tuple[int, list[str], list[str]]:
    """Import rows ``(line, {column: text})`` of ``ratings.csv`` all-or-nothing.

    Every row is checked first; any problem (``file:line: column: message`` in Vietnamese) means
    nothing is written. Returns the number of ratings created or changed (a row equal to the
    stored rating changes nothing, so importing the same file twice writes 0 the second time),
    the problems, and the quota warnings of the groups touched."""
    problems: list[str] = []
    prepared: list[_Prepared] = []
    seen: dict[tuple, int] = {}
    rows = [(line, {k: (v or "").strip() for k, v in row.items()}) for line, row in rows]
    # A hand-typed sheet may name the period kind and the subject by their Vietnamese labels.
    for _line, row in rows:
        for column, choices in (("period", PeriodKind), ("subject", Subject)):
            if column in row:
                row[column] = code_for_label(choices, row[column])
    member_codes = {r.get("code", "") for _, r in rows if r.get("subject") == Subject.MEMBER}
    org_codes = {r.get("code", "") for _, r in rows if r.get("subject") == Subject.ORGANIZATION}
    # only what the user may read: an unknown and an invisible code get the same answer
    members = {
        m.code: m for m in Member.objects.visible_to(acting_user).filter(code__in=member_codes)
    }
    organizations = {
        o.code: o for o in Organization.objects.visible_to(acting_user).filter(code__in=org_codes)
    }

    def problem(line: int, column: str, message: str | Promise) -> None:
        problems.append(f"{file_name}:{line}: {column}: {message}")

    for line, row in rows:
        kind, label, subject, code = (
            row.get("period", ""),
            row.get("period_label", ""),
            row.get("subject", ""),
            row.get("code", ""),
        )
        bad = False
        try:
            period = parse_period(kind, label)
        except RuleError as exc:
            problem(line, "period" if exc.code == "period_kind" else "period_label", exc.message)
            bad = True
        if subject not in Subject.values:
            problem(
                line,
                "subject",
                f"Đối tượng “{subject}” không hợp lệ (cần một trong: {choices_text(Subject)}).",
            )
            bad = True
        member = organization = None
        if not code:
            problem(line, "code", "Thiếu mã đảng viên hoặc mã tổ chức đảng.")
            bad = True
        elif subject == Subject.MEMBER:
            member = members.get(code)
            if member is None:
                problem(line, "code", f"Không tìm thấy đảng viên mã {code}.")
                bad = True
        elif subject == Subject.ORGANIZATION:
            organization = organizations.get(code)
            if organization is None:
                problem(line, "code", f"Không tìm thấy tổ chức đảng mã {code}.")
                bad = True
        try:
            score = parse_score(row.get("score", ""))
            resolve_level(row.get("level", ""), score)
        except RuleError as exc:
            column = "score" if exc.code in ("score", "score_level_mismatch") else "level"
            problem(line, column, exc.message)
            bad = True
        if bad:
            continue
        try:
            item = _prepare(
                acting_user=acting_user,
                period_kind=period.kind,
                period_label=period.label,
                member=member,
                organization=organization,
                level=row.get("level", ""),
                score=score,
                note=row.get("note", ""),
            )
        except RuleError as exc:
            problem(line, "code", exc.message)
            continue
        key = (subject, code, period.kind, period.label)
        if key in seen:
            problem(line, "code", f"Trùng với dòng {seen[key]} (cùng đối tượng và kỳ đánh giá).")
            continue
        seen[key] = line
        prepared.append(item)

    if problems:
        return 0, problems, []
    written = 0
    groups: dict[tuple, Rating] = {}
    for item in prepared:
        rating, changed = _write(item, acting_user)
        written += changed
        groups.setdefault(tuple(sorted(quota_group(rating).items())), rating)
    warnings = [str(w) for w in (rating_quota_warning(rating=r) for r in groups.values()) if w]
    return written, [], warnings


def cell_members_to_rate(*, organization: Organization, period: Period) -> list[Member]:
    """The members of the cell ``organization`` on the period's last day (the rows of the bulk
    grid), by name."""
    from grassroots.core.temporal import valid_on

    ids = MembershipSpan.objects.filter(
        valid_on(period.last_day), organization=organization
    ).values("member_id")
    return list(Member.objects.filter(pk__in=ids).order_by("name_key", "pk"))


@transaction.atomic
def ratings_record_grid(
    *,
    acting_user,
    period_kind: str,
    period_label: str,
    organization: Organization,
    levels: list[tuple[Member, str]],
) -> tuple[int, list[RuleWarning]]:
    """Rate a whole cell's members for a period at once (the bulk grid): each ``(member,
    level)`` through :func:`rating_record`, a blank level skipped. All or nothing: when a row is
    refused, nothing is written and every refused row is reported (``Dòng N (name, code): …``).
    Returns how many were written and the warnings."""
    period = parse_period(period_kind, period_label)
    members = {m.pk for m in cell_members_to_rate(organization=organization, period=period)}
    errors: list[str] = []
    warnings: list[RuleWarning] = []
    written = 0
    for row, (member, level) in enumerate(levels, start=1):
        if not level:
            continue
        where = f"Dòng {row} ({member.full_name}, {member.code})"
        if member.pk not in members:
            errors.append(f"{where}: không thuộc {organization} vào cuối kỳ.")
            continue
        try:
            with transaction.atomic():
                _rating, found = rating_record(
                    acting_user=acting_user,
                    period_kind=period.kind,
                    period_label=period.label,
                    member=member,
                    level=level,
                )
        except RuleError as exc:
            errors.extend(f"{where}: {message}" for message in exc.messages)
            continue
        written += 1
        warnings.extend(found)
    if errors:
        raise RuleError(errors, code="grid_refused")
    if not written:
        raise RuleError("Chưa chọn mức xếp loại cho đảng viên nào.", code="nothing_to_rate")
    return written, warnings
