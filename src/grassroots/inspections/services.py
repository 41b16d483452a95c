"""Writes of inspection, supervision and discipline: one function per business action, atomic,
scope-checked (``core.scope``), audited (django-auditlog, ``InspectionsConfig.audited``).

Cases and discipline are the inspectors' work: every write here needs the ``inspector`` role
besides the editor's (a user without it answers as for an object outside the scope). The
rules of Quy định 296-QĐ/TW (votes, limitation periods, levels per subject) are read from
``grassroots.policy``; a refused rule raises :class:`RuleError` with its Vietnamese message and
changes nothing. The effects of a decision on the registry go through
:mod:`grassroots.inspections.effects`, in the same transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from grassroots import policy
from grassroots.core import roles, scope
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.locking import check_not_stale
from grassroots.core.temporal import valid_on
from grassroots.core.text import format_date, nfc
from grassroots.inspections import effects
from grassroots.inspections.models import (
    MEMBER_LEVELS,
    ORGANIZATION_LEVELS,
    PROBATIONARY_LEVELS,
    STEPS,
    Appeal,
    Case,
    Conclusion,
    DecisionStatus,
    DisciplineDecision,
    Kind,
    Level,
    Outcome,
    Programme,
    ProgrammeItem,
    ProgrammeKind,
    Step,
    Subject,
    ViolationKind,
)
from grassroots.members.models import Member, MembershipSpan, Status
from grassroots.organizations.models import Organization

SOURCE = "Quy định 296-QĐ/TW"


def _require_inspector(acting_user) -> None:
    """Inspection work needs the inspector role (internal calls, ``None``, pass)."""
    if acting_user is not None and not acting_user.has_role(roles.INSPECTOR):
        raise NotFound()


def _choice(value: str, choices, what: str) -> str:
    if value not in choices.values:
        raise RuleError(f"{what} không hợp lệ: {value}.", code="bad_choice")
    return value


def _member_span(member: Member, day: date) -> MembershipSpan:
    span = (
        MembershipSpan.objects.filter(valid_on(day), member=member)
        .select_related("organization")
        .first()
    )
    if span is None:
        raise RuleError(
            f"{member.full_name} không phải là đảng viên vào ngày {format_date(day)}.",
            code="not_member",
        )
    return span


def _organization_valid(organization: Organization, day: date) -> None:
    if not organization.versions.valid_on(day).exists():
        raise RuleError(
            f"Tổ chức {organization.code} không hoạt động vào ngày {format_date(day)}.",
            code="organization_not_valid",
        )


def _subject_organization(
    *, subject: str, member: Member | None, organization: Organization | None, day: date
) -> Organization:
    """The organisation a record about ``subject`` belongs to: the member's on ``day``, or the
    organisation itself."""
    _choice(subject, Subject, "Đối tượng")
    if subject == Subject.MEMBER:
        if member is None:
            raise RuleError("Chọn đảng viên.", code="member_required")
        return _member_span(member, day).organization
    if organization is None:
        raise RuleError("Chọn tổ chức đảng.", code="organization_required")
    _organization_valid(organization, day)
    return organization


# --- Programmes --------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    acting_user,
    organization: Organization,
    kind: str,
    year_from: int,
    year_to: int | None = None,
    title: str,
    issued_by: str = "",
    note: str = "",
) -> Programme:
    """A committee's programme for its term (``year_from``..``year_to``) or for one year."""
    _require_inspector(acting_user)
    _choice(kind, ProgrammeKind, "Loại chương trình")
    year_to = year_from if kind == ProgrammeKind.YEAR or year_to is None else year_to
    if year_to < year_from or year_to - year_from > 10:
        raise RuleError("Khoảng năm của chương trình không hợp lệ.", code="years")
    scope.require(acting_user, organization, scope.CHANGE)
    programme = Programme.objects.create(
        organization=organization,
        kind=kind,
        year_from=year_from,
        year_to=year_to,
        title=nfc(title.strip()),
        issued_by=nfc(issued_by.strip()),
        note=nfc(note),
    )
    scope.require(acting_user, programme, scope.CHANGE)
    return programme


@transaction.atomic
def programme_item_add(
    *,
    acting_user,
    programme: Programme,
    kind: str,
    subject: str,
    organization: Organization | None = None,
    member: Member | None = None,
    topic: str,
    period_start: date,
    period_end: date,
) -> ProgrammeItem:
    """A planned inspection or supervision in ``programme``, within its years."""
    _require_inspector(acting_user)
    scope.require(acting_user, programme, scope.CHANGE)
    _choice(kind, Kind, "Loại kiểm tra, giám sát")
    if period_end < period_start:
        raise RuleError("Ngày kết thúc phải sau ngày bắt đầu.", code="period")
    if not programme.year_from <= period_start.year <= programme.year_to:
        raise RuleError(
            f"Thời gian phải nằm trong năm {programme.year_from}–{programme.year_to} "
            "của chương trình.",
            code="outside_programme",
        )
    subject_org = _subject_organization(
        subject=subject, member=member, organization=organization, day=period_start
    )
    scope.require(acting_user, subject_org, scope.VIEW)
    item = ProgrammeItem.objects.create(
        programme=programme,
        organization=programme.organization,
        kind=kind,
        subject=subject,
        subject_organization=subject_org,
        member=member if subject == Subject.MEMBER else None,
        topic=nfc(topic.strip()),
        year=period_start.year,
        period_start=period_start,
        period_end=period_end,
    )
    return item


# --- Cases -------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    acting_user,
    code: str,
    kind: str,
    subject: str,
    organization: Organization | None = None,
    member: Member | None = None,
    topic: str,
    deciding_body: str,
    decision_number: str,
    decided_on: date,
    document=None,
    team: str = "",
    item: ProgrammeItem | None = None,
) -> Case:
    """Open a case by its decision (the first step)."""
    _require_inspector(acting_user)
    _choice(kind, Kind, "Loại kiểm tra, giám sát")
    code = code.strip().upper()
    if not code:
        raise RuleError("Nhập mã cuộc kiểm tra.", code="code_required")
    if Case.objects.filter(code=code).exists():
        raise RuleError(f"Đã có cuộc kiểm tra mã {code}.", code="duplicate_code")
    if not decision_number.strip():
        raise RuleError("Nhập số quyết định.", code="decision_number_required")
    owner = _subject_organization(
        subject=subject, member=member, organization=organization, day=decided_on
    )
    scope.require(acting_user, owner, scope.CHANGE)
    if item is not None:
        scope.require(acting_user, item, scope.VIEW)
    case = Case.objects.create(
        organization=owner,
        item=item,
        code=code,
        kind=kind,
        subject=subject,
        member=member if subject == Subject.MEMBER else None,
        topic=nfc(topic.strip()),
        deciding_body=nfc(deciding_body.strip()),
        decision_number=decision_number.strip(),
        document=document,
        team=nfc(team),
        decided_on=decided_on,
    )
    scope.require(acting_user, case, scope.CHANGE)
    return case


def check_step(case: Case, step: str, day: date) -> None:
    """A step needs the one before it, taken on the same day or earlier; a later step already
    taken may not come before it."""
    fields = dict(STEPS)
    if step not in fields:
        raise RuleError(f"Bước không hợp lệ: {step}.", code="bad_step")
    order = [s for s, _ in STEPS]
    index = order.index(Step(step))
    if index == 0:
        raise RuleError("Ngày quyết định được ghi khi mở cuộc kiểm tra.", code="bad_step")
    previous, previous_field = STEPS[index - 1]
    before = getattr(case, previous_field)
    if before is None:
        raise RuleError(
            f"Chưa có bước “{previous.label}”: bước “{Step(step).label}” phải sau bước đó.",
            code="step_order",
        )
    if day < before:
        raise RuleError(
            f"Bước “{Step(step).label}” ({format_date(day)}) không thể trước bước "
            f"“{previous.label}” ({format_date(before)}).",
            code="step_before_previous",
        )
    if index + 1 < len(STEPS):
        following, following_field = STEPS[index + 1]
        after = getattr(case, following_field)
        if after is not None and day > after:
            raise RuleError(
                f"Bước “{Step(step).label}” ({format_date(day)}) không thể sau bước "
                f"“{following.label}” ({format_date(after)}).",
                code="step_after_next",
            )


@transaction.atomic
def case_step(
    *,
    acting_user,
    case: Case,
    step: str,
    day: date,
    findings: str | None = None,
    conclusion: str = "",
    violation_kind: str = "",
    based_on=None,
) -> Case:
    """Record a step of the case on ``day``; the conclusion step takes the conclusion
    (violation or not, to the level of discipline or not)."""
    _require_inspector(acting_user)
    scope.require(acting_user, case, scope.CHANGE)
    check_not_stale(case, based_on, what=f"Cuộc kiểm tra {case.code}")
    case.refresh_from_db()
    check_step(case, step, day)
    changed = [dict(STEPS)[Step(step)]]
    setattr(case, changed[0], day)
    if findings is not None and findings.strip():
        case.findings = nfc(findings)
        changed.append("findings")
    if step == Step.CONCLUDED:
        if not conclusion:
            raise RuleError("Bước kết luận cần ghi kết luận.", code="conclusion_required")
        _choice(conclusion, Conclusion, "Kết luận")
        case.conclusion = conclusion
        changed.append("conclusion")
        if conclusion != Conclusion.NO_VIOLATION:
            case.violation_kind = _choice(violation_kind, ViolationKind, "Loại vi phạm")
            changed.append("violation_kind")
    case.save(update_fields=changed)
    return case


# --- Discipline --------------------------------------------------------------------------------


def check_vote(*, level: str, votes_for: int, votes_total: int) -> None:
    """More than half of the voting members; expulsion at least two thirds (policy)."""
    if votes_total <= 0 or votes_for < 0 or votes_for > votes_total:
        raise RuleError(
            "Số phiếu không hợp lệ: số tán thành phải từ 0 đến tổng số biểu quyết (lớn hơn 0).",
            code="vote_invalid",
        )
    if level == Level.EXPULSION:
        num, den = policy.get("DISCIPLINE_EXPULSION_VOTE")
        if votes_for * den < votes_total * num:
            raise RuleError(
                f"Khai trừ cần ít nhất {num}/{den} số thành viên tán thành ({SOURCE}); "
                f"mới có {votes_for}/{votes_total}.",
                code="vote_expulsion",
            )
        return
    num, den = policy.get("DISCIPLINE_VOTE_MAJORITY")
    if votes_for * den <= votes_total * num:
        raise RuleError(
            f"Quyết định kỷ luật cần quá {num}/{den} số thành viên tán thành ({SOURCE}); "
            f"mới có {votes_for}/{votes_total}.",
            code="vote_majority",
        )


def limitation_ends(*, level: str, violation_date: date) -> date | None:
    """The last day a violation warranting ``level`` may be disciplined (None: no limitation)."""
    years = policy.get("DISCIPLINE_LIMITATION_YEARS").get(level)
    if years is None:
        return None
    return policy.add_months(violation_date, 12 * years)


def check_limitation(*, level: str, violation_date: date, decided_on: date) -> None:
    if decided_on < violation_date:
        raise RuleError("Ngày quyết định không thể trước ngày vi phạm.", code="decided_before")
    ends = limitation_ends(level=level, violation_date=violation_date)
    if ends is not None and decided_on > ends:
        years = policy.get("DISCIPLINE_LIMITATION_YEARS")[level]
        raise RuleError(
            f"Đã hết thời hiệu xử lý kỷ luật: thời hiệu {years} năm đối với vi phạm đến mức "
            f"{Level(level).label.lower()} ({SOURCE}, thời hiệu xử lý kỷ luật) tính từ ngày vi "
            f"phạm {format_date(violation_date)}, hết ngày {format_date(ends)}.",
            code="limitation_expired",
        )


def check_level(*, subject: str, level: str, status: str | None) -> None:
    _choice(level, Level, "Hình thức kỷ luật")
    if subject == Subject.ORGANIZATION:
        if level not in ORGANIZATION_LEVELS:
            raise RuleError(
                f"Tổ chức đảng không bị kỷ luật bằng hình thức {Level(level).label.lower()} "
                "(chỉ khiển trách, cảnh cáo, giải tán).",
                code="level_organization",
            )
        return
    if level not in MEMBER_LEVELS:
        raise RuleError(
            f"Đảng viên không bị kỷ luật bằng hình thức {Level(level).label.lower()}.",
            code="level_member",
        )
    if status == Status.PROBATIONARY and level not in PROBATIONARY_LEVELS:
        raise RuleError(
            f"Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo, không thể "
            f"{Level(level).label.lower()} ({SOURCE}).",
            code="level_probationary",
        )


@transaction.atomic
def discipline_decide(
    *,
    acting_user,
    code: str,
    subject: str,
    level: str,
    violation_kind: str,
    violation_date: date,
    decided_on: date,
    deciding_body: str,
    decision_number: str,
    votes_for: int,
    votes_total: int,
    member: Member | None = None,
    organization: Organization | None = None,
    case: Case | None = None,
    document=None,
    note: str = "",
    recorded: bool = False,
) -> DisciplineDecision:
    """Record a discipline decision after checking the level (probationary members only
    reprimand or warning), the vote and the limitation period; then its effects on the registry
    (:func:`effects.apply_effects`) in the same transaction. ``recorded``: the effects are in
    the registry already (an imported package carries the member's ``left`` event or the
    organisation's end): they are linked (:func:`effects.link_recorded`), not written again."""
    _require_inspector(acting_user)
    code = code.strip().upper()
    if not code:
        raise RuleError("Nhập mã quyết định kỷ luật.", code="code_required")
    if DisciplineDecision.objects.filter(code=code).exists():
        raise RuleError(f"Đã có quyết định kỷ luật mã {code}.", code="duplicate_code")
    if not decision_number.strip():
        raise RuleError("Nhập số quyết định.", code="decision_number_required")
    _choice(subject, Subject, "Đối tượng")
    _choice(violation_kind, ViolationKind, "Loại vi phạm")
    status = None
    if subject == Subject.MEMBER:
        if member is None:
            raise RuleError("Chọn đảng viên.", code="member_required")
        # an effect already recorded ended the membership on the decision's day
        span = _member_span(member, decided_on - timedelta(days=1) if recorded else decided_on)
        owner, status = span.organization, span.status
    else:
        owner = _subject_organization(
            subject=subject,
            member=None,
            organization=organization,
            day=decided_on - timedelta(days=1) if recorded else decided_on,
        )
    check_level(subject=subject, level=level, status=status)
    check_vote(level=level, votes_for=votes_for, votes_total=votes_total)
    check_limitation(level=level, violation_date=violation_date, decided_on=decided_on)
    if case is not None:
        scope.require(acting_user, case, scope.VIEW)
    scope.require(acting_user, owner, scope.VIEW if recorded else scope.CHANGE, on=decided_on)
    decision = DisciplineDecision.objects.create(
        organization=owner,
        code=code,
        subject=subject,
        member=member if subject == Subject.MEMBER else None,
        case=case,
        level=level,
        violation_kind=violation_kind,
        violation_date=violation_date,
        decided_on=decided_on,
        deciding_body=nfc(deciding_body.strip()),
        decision_number=decision_number.strip(),
        document=document,
        votes_for=votes_for,
        votes_total=votes_total,
        note=nfc(note),
        recorded_by=acting_user,
    )
    if recorded:
        scope.require(acting_user, decision, scope.VIEW)
        effects.link_recorded(decision)
    else:
        scope.require(acting_user, decision, scope.CHANGE, on=decided_on)
        effects.apply_effects(decision, acting_user)
    return decision


@transaction.atomic
def appeal_lodge(
    *, acting_user, decision: DisciplineDecision, lodged_on: date, note: str = ""
) -> Appeal:
    """An appeal against ``decision``, lodged on ``lodged_on`` (not before the decision)."""
    _require_inspector(acting_user)
    scope.require(acting_user, decision, scope.VIEW)
    if acting_user is not None and not acting_user.can_edit:
        raise NotFound()
    if lodged_on < decision.decided_on:
        raise RuleError(
            f"Ngày khiếu nại không thể trước ngày quyết định ({format_date(decision.decided_on)}).",
            code="lodged_before",
        )
    if decision.status != DecisionStatus.IN_FORCE:
        raise RuleError("Quyết định này không còn hiệu lực.", code="not_in_force")
    if decision.appeals.filter(outcome=Outcome.PENDING).exists():
        raise RuleError("Đã có khiếu nại đang giải quyết.", code="appeal_pending")
    return Appeal.objects.create(
        decision=decision, organization=decision.organization, lodged_on=lodged_on, note=nfc(note)
    )


@transaction.atomic
def appeal_decide(
    *,
    acting_user,
    appeal: Appeal,
    decided_on: date,
    outcome: str,
    new_level: str = "",
    deciding_body: str = "",
    note: str = "",
) -> Appeal:
    """Decide an appeal: upheld (nothing changes), the decision changed to ``new_level`` or
    cancelled. Changing or cancelling withdraws the decision's effects on the registry
    (:func:`effects.cancel_effects`) and, for a change, records the new level's."""
    _require_inspector(acting_user)
    decision = appeal.decision
    scope.require(acting_user, decision, scope.VIEW)
    if acting_user is not None and not acting_user.can_edit:
        raise NotFound()
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.outcome != Outcome.PENDING:
        raise RuleError("Khiếu nại này đã được giải quyết.", code="appeal_decided")
    _choice(outcome, Outcome, "Kết quả")
    if outcome == Outcome.PENDING:
        raise RuleError("Chọn kết quả giải quyết.", code="bad_choice")
    if decided_on < appeal.lodged_on:
        raise RuleError(
            f"Ngày giải quyết không thể trước ngày khiếu nại ({format_date(appeal.lodged_on)}).",
            code="decided_before",
        )
    if outcome == Outcome.CHANGED:
        if not new_level or new_level == decision.level:
            raise RuleError("Chọn hình thức kỷ luật mới khác hình thức cũ.", code="new_level")
        status = None
        if decision.member is not None:
            # the member's status before the decision (an expulsion ended the membership)
            day = decision.decided_on - timedelta(days=1)
            span = MembershipSpan.objects.filter(valid_on(day), member=decision.member).first()
            status = span.status if span else None
        check_level(subject=decision.subject, level=new_level, status=status)
    if outcome in (Outcome.CANCELLED, Outcome.CHANGED):
        effects.cancel_effects(decision, acting_user)
        decision.refresh_from_db()
    if outcome == Outcome.CANCELLED:
        decision.status = DecisionStatus.CANCELLED
        decision.save(update_fields=["status"])
    elif outcome == Outcome.CHANGED:
        decision.status = DecisionStatus.CHANGED
        decision.level = new_level
        decision.save(update_fields=["status", "level"])
        effects.apply_effects(decision, acting_user)
    appeal.decided_on = decided_on
    appeal.outcome = outcome
    appeal.new_level = new_level if outcome == Outcome.CHANGED else ""
    appeal.deciding_body = nfc(deciding_body.strip())
    if note:
        appeal.note = nfc(note)
    appeal.save()
    return appeal
