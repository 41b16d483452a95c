"""Candidate actions: one function per step, atomic, with ``acting_user``.

Each step is recorded with its date and who recorded it, only after the step before it and not
dated before it; a rule that forbids the step raises :class:`RuleError` with a Vietnamese message
and nothing is written. The ceremony creates the member and its ``admitted`` event through the
registry services; the confirmation records ``confirmed`` or ``left`` (``not_confirmed``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from grassroots import policy
from grassroots.admissions.models import (
    FINAL,
    PATH,
    AdmissionTarget,
    Candidate,
    CandidateStep,
    Source,
    Stage,
)
from grassroots.core import scope
from grassroots.core.errors import RuleError, RuleWarning
from grassroots.core.locking import check_not_stale
from grassroots.core.temporal import valid_on
from grassroots.core.text import format_date, nfc
from grassroots.members import services as member_services
from grassroots.members.models import (
    EventKind,
    Gender,
    LeftReason,
    Member,
    MembershipSpan,
    Status,
)
from grassroots.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationKind,
    OrganizationVersion,
)
from grassroots.organizations.selectors import subtree_ids
from grassroots.places.models import Place

PROFILE_FIELDS = ("ethnicity", "education", "occupation", "hometown")


# --- Rules read from the registry --------------------------------------------------------------


def grassroots_organization(organization: Organization, day: date) -> Organization:
    """The grassroots organisation (đảng bộ cơ sở / chi bộ cơ sở) that ``organization`` belongs
    to on ``day``: the nearest such ancestor, or the organisation itself."""
    ancestors = OrganizationClosure.objects.filter(valid_on(day), descendant=organization)
    version = (
        OrganizationVersion.objects.filter(
            valid_on(day),
            organization_id__in=ancestors.values("ancestor_id"),
            kind__in=(OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL),
        )
        .select_related("organization")
        .order_by()
    )
    depths = dict(ancestors.values_list("ancestor_id", "depth"))
    nearest = min(version, key=lambda v: depths.get(v.organization_id, 0), default=None)
    return nearest.organization if nearest else organization


def official_members_on(organization: Organization, day: date) -> int:
    """Official members of ``organization`` itself on ``day`` (who may vote in the cell)."""
    return MembershipSpan.objects.filter(
        valid_on(day), organization=organization, status=Status.OFFICIAL
    ).count()


def deadline(step: CandidateStep) -> date | None:
    """The last day for the step after ``step`` (None when the rules set no deadline)."""
    if step.stage == Stage.TRAINED:
        return policy.add_months(step.date, policy.get("AWARENESS_CERTIFICATE_MONTHS"))
    if step.stage == Stage.VOTED:
        return policy.add_working_days(step.date, policy.get("ADMISSION_DECISION_WORKING_DAYS"))
    if step.stage == Stage.DECIDED:
        return policy.add_working_days(step.date, policy.get("ADMISSION_CEREMONY_WORKING_DAYS"))
    if step.stage == Stage.ADMITTED:
        return member_services.confirmation_window(step.date)[1]
    return None


def _deadline_after(step: CandidateStep) -> date:
    """:func:`deadline` for a step the rules set one after (trained, voted, decided, admitted)."""
    last = deadline(step)
    if last is None:
        raise ValueError(f"no deadline after the {step.stage} step")
    return last


def _vote_passes(eligible: int, votes_for: int) -> bool:
    num, den = policy.get("CELL_VOTE_SHARE")
    return votes_for * den >= eligible * num


# --- Steps ----------------------------------------------------------------------------------


def _steps(candidate: Candidate) -> dict[str, CandidateStep]:
    return {s.stage: s for s in candidate.steps.all()}


def _record(candidate: Candidate, *, acting_user, stage: str, day: date, **fields):
    """Check the order and dates, then append the step and move the candidate's stage."""
    scope.require(acting_user, candidate, scope.CHANGE, on=day)
    if candidate.stage in FINAL:
        raise RuleError(
            f"Hồ sơ đã kết thúc ({candidate.get_stage_display().lower()}).", code="closed"
        )
    steps = _steps(candidate)
    if stage == Stage.DROPPED:
        if candidate.stage in (Stage.ADMITTED,):
            raise RuleError(
                "Đảng viên dự bị không dừng hồ sơ: hãy ghi nhận không công nhận chính thức.",
                code="drop_after_admission",
            )
        previous = steps[candidate.stage]
    else:
        index = PATH.index(Stage.CONFIRMED if stage == Stage.NOT_CONFIRMED else stage)
        before = PATH[index - 1]
        if candidate.stage != before:
            raise RuleError(
                f"Bước “{Stage(stage).label}” chỉ ghi nhận sau bước “{before.label}”; "
                f"hồ sơ đang ở bước “{candidate.get_stage_display()}”.",
                code="out_of_order",
            )
        previous = steps[before]
    if day < previous.date:
        raise RuleError(
            f"Ngày {format_date(day)} trước ngày của bước “{previous.get_stage_display()}” "
            f"({format_date(previous.date)}).",
            code="before_previous",
        )
    step = CandidateStep.objects.create(
        candidate=candidate,
        stage=stage,
        date=day,
        recorded_by=acting_user,
        **{k: nfc(v) if isinstance(v, str) else v for k, v in fields.items()},
    )
    candidate.stage = stage
    candidate.save(update_fields=["stage"])
    return step


def candidate_not_stale(candidate: Candidate, based_on: str | int | None) -> None:
    """Inside a step's transaction, before it: refuse a step recorded from a page opened on an
    older version of the candidate (``core.locking``; ``based_on`` None: no check)."""
    check_not_stale(candidate, based_on, what=f"hồ sơ quần chúng {candidate.full_name}")


def _lock(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().get(pk=candidate.pk)


@transaction.atomic
def candidate_create(
    *,
    acting_user,
    code: str,
    full_name: str,
    gender: str,
    birth_date: date,
    source: str,
    organization: Organization,
    place: Place,
    identified_on: date,
    is_local: bool = True,
    is_sample: bool = False,
    note: str = "",
    **profile,
) -> Candidate:
    """Identify a source (xác định nguồn): the candidate and its first step."""
    code = nfc(code)
    if not code:
        raise RuleError("Mã quần chúng không được để trống.", code="code_required")
    if Candidate.objects.filter(code=code).exists():
        raise RuleError(f"Mã quần chúng {code} đã tồn tại.", code="duplicate_code")
    if source not in Source.values:
        raise RuleError(f"Nguồn không hợp lệ: {source}.", code="unknown_source")
    if gender not in Gender.values:
        raise RuleError(f"Giới tính không hợp lệ: {gender}.", code="unknown_gender")
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    if not organization.versions.valid_on(identified_on).exists():
        raise RuleError(
            f"Tổ chức đảng {organization.code} không có hiệu lực vào ngày "
            f"{format_date(identified_on)}.",
            code="not_valid",
        )
    if birth_date >= identified_on:
        raise RuleError("Ngày sinh phải trước ngày xác định nguồn.", code="birth_after")
    scope.require(acting_user, organization, scope.CHANGE, on=identified_on)
    scope.require(acting_user, place, scope.VIEW)
    candidate = Candidate.objects.create(
        code=code,
        full_name=nfc(full_name),
        gender=gender,
        birth_date=birth_date,
        source=source,
        organization=organization,
        place=place,
        is_local=is_local,
        is_sample=is_sample,
        stage=Stage.IDENTIFIED,
        **{k: nfc(v) for k, v in profile.items()},
    )
    CandidateStep.objects.create(
        candidate=candidate,
        stage=Stage.IDENTIFIED,
        date=identified_on,
        note=nfc(note),
        recorded_by=acting_user,
    )
    return candidate


@transaction.atomic
def candidate_train(*, acting_user, candidate: Candidate, day: date, note: str = ""):
    """Awareness course passed; ``day`` is the certificate's date (valid 60 months)."""
    return _record(
        _lock(candidate), acting_user=acting_user, stage=Stage.TRAINED, day=day, note=note
    )


def _check_certificate(candidate: Candidate, day: date) -> None:
    trained = candidate.steps.get(stage=Stage.TRAINED)
    expires = _deadline_after(trained)
    if day >= expires:
        raise RuleError(
            f"Giấy chứng nhận học lớp nhận thức về Đảng ngày {format_date(trained.date)} đã hết "
            f"hạn từ ngày {format_date(expires)} "
            f"({policy.get('AWARENESS_CERTIFICATE_MONTHS')} tháng): cần học lại.",
            code="certificate_expired",
        )


@transaction.atomic
def candidate_apply(*, acting_user, candidate: Candidate, day: date, note: str = ""):
    """The application (đơn xin vào Đảng) is received."""
    candidate = _lock(candidate)
    if candidate.stage == Stage.TRAINED:
        _check_certificate(candidate, day)
    return _record(candidate, acting_user=acting_user, stage=Stage.APPLIED, day=day, note=note)


@transaction.atomic
def candidate_verify(*, acting_user, candidate: Candidate, day: date, note: str = ""):
    """History and background check (thẩm tra, xác minh lý lịch) concluded."""
    return _record(
        _lock(candidate), acting_user=acting_user, stage=Stage.VERIFIED, day=day, note=note
    )


def _check_sponsor(candidate: Candidate, sponsor: Member, day: date, root: Organization):
    """A sponsor is an official member on ``day`` in the candidate's grassroots organisation."""
    inside = subtree_ids(organization=root, day=day)
    span = MembershipSpan.objects.filter(
        valid_on(day), member=sponsor, organization_id__in=inside
    ).first()
    if span is None:
        raise RuleError(
            f"Người giới thiệu {sponsor.full_name} ({sponsor.code}) không sinh hoạt trong "
            f"{root} vào ngày {format_date(day)}.",
            code="sponsor_ineligible",
        )
    if span.status != Status.OFFICIAL:
        raise RuleError(
            f"Người giới thiệu {sponsor.full_name} ({sponsor.code}) chưa là đảng viên chính thức "
            f"vào ngày {format_date(day)}.",
            code="sponsor_ineligible",
        )
    months = policy.get("SPONSOR_MIN_MONTHS")
    earlier = policy.add_months(day, -months)
    if not MembershipSpan.objects.filter(
        valid_on(earlier),
        member=sponsor,
        organization_id__in=subtree_ids(organization=root, day=earlier),
    ).exists():
        return RuleWarning(
            "sponsor_short",
            f"Người giới thiệu {sponsor.full_name} chưa sinh hoạt ở {root} đủ {months} tháng "
            f"(từ {format_date(earlier)}): hãy kiểm tra thời gian cùng công tác với người "
            "vào Đảng.",
        )
    return None


@transaction.atomic
def candidate_sponsor(
    *,
    acting_user,
    candidate: Candidate,
    day: date,
    sponsor_1: Member,
    sponsor_2: Member | None = None,
    youth_union_sponsor: bool = False,
    note: str = "",
) -> tuple[CandidateStep, list[RuleWarning]]:
    """Two official members sponsor the candidate, or for a youth applicant the grassroots Youth
    Union committee and one official member; both checked against the registry on ``day``."""
    candidate = _lock(candidate)
    if youth_union_sponsor:
        if sponsor_2 is not None:
            raise RuleError(
                "Khi BCH Đoàn cơ sở giới thiệu thì chỉ cần thêm một đảng viên chính thức.",
                code="too_many_sponsors",
            )
        months = policy.age_in_months(candidate.birth_date, day)
        if candidate.source != Source.YOUTH_UNION or months >= policy.get("YOUTH_MAX_AGE_MONTHS"):
            raise RuleError(
                "Chỉ đoàn viên dưới 30 tuổi mới được BCH Đoàn cơ sở giới thiệu "
                f"({candidate.full_name} {months // 12} tuổi, nguồn "
                f"{candidate.get_source_display()}).",
                code="not_youth",
            )
        sponsors = [sponsor_1]
    else:
        if sponsor_2 is None:
            raise RuleError("Cần hai đảng viên chính thức giới thiệu.", code="two_sponsors")
        if sponsor_1.pk == sponsor_2.pk:
            raise RuleError(
                "Hai người giới thiệu phải là hai người khác nhau.", code="same_sponsor"
            )
        sponsors = [sponsor_1, sponsor_2]
    root = grassroots_organization(candidate.organization, day)
    warnings = [w for s in sponsors if (w := _check_sponsor(candidate, s, day, root))]
    step = _record(
        candidate,
        acting_user=acting_user,
        stage=Stage.SPONSORED,
        day=day,
        sponsor_1=sponsor_1,
        sponsor_2=sponsor_2,
        youth_union_sponsor=youth_union_sponsor,
        note=note,
    )
    return step, warnings


@transaction.atomic
def candidate_vote(
    *, acting_user, candidate: Candidate, day: date, eligible: int, votes_for: int, note: str = ""
):
    """The cell considers the applicant: age 18–60 on that day, a valid certificate, and at least
    2/3 of the official members voting for."""
    candidate = _lock(candidate)
    if candidate.stage == Stage.SPONSORED:
        months = policy.age_in_months(candidate.birth_date, day)
        low, high = policy.get("ADMISSION_MIN_AGE_MONTHS"), policy.get("ADMISSION_MAX_AGE_MONTHS")
        if months < low:
            raise RuleError(
                f"Ngày chi bộ xét {format_date(day)}, {candidate.full_name} mới "
                f"{months // 12} tuổi {months % 12} tháng: chưa đủ {low // 12} tuổi "
                "(Điều lệ Đảng, Điều 1).",
                code="under_age",
            )
        if months > high:
            raise RuleError(
                f"Ngày chi bộ xét {format_date(day)}, {candidate.full_name} đã quá {high // 12} "
                "tuổi: cần cấp ủy có thẩm quyền xem xét riêng (Điều lệ Đảng, Điều 1).",
                code="over_age",
            )
        _check_certificate(candidate, day)
    if eligible <= 0 or votes_for < 0 or votes_for > eligible:
        raise RuleError(
            "Số tán thành phải từ 0 đến số đảng viên chính thức (lớn hơn 0).", code="bad_count"
        )
    if not _vote_passes(eligible, votes_for):
        num, den = policy.get("CELL_VOTE_SHARE")
        raise RuleError(
            f"Chỉ {votes_for}/{eligible} đảng viên chính thức tán thành, chưa đạt {num}/{den}: "
            "chi bộ chưa đề nghị kết nạp.",
            code="vote_below_share",
        )
    return _record(
        candidate,
        acting_user=acting_user,
        stage=Stage.VOTED,
        day=day,
        eligible=eligible,
        votes_for=votes_for,
        note=note,
    )


@transaction.atomic
def candidate_decide(
    *, acting_user, candidate: Candidate, day: date, decision_number: str = "", note: str = ""
):
    """The committee's admission decision, within 60 working days of the cell vote."""
    candidate = _lock(candidate)
    if candidate.stage == Stage.VOTED:
        vote = candidate.steps.get(stage=Stage.VOTED)
        last = _deadline_after(vote)
        if day > last:
            raise RuleError(
                f"Quyết định ngày {format_date(day)} quá hạn: cấp ủy phải quyết định trong "
                f"{policy.get('ADMISSION_DECISION_WORKING_DAYS')} ngày làm việc sau khi chi bộ "
                f"biểu quyết (đến {format_date(last)}).",
                code="decision_late",
            )
    return _record(
        candidate,
        acting_user=acting_user,
        stage=Stage.DECIDED,
        day=day,
        decision_number=decision_number,
        note=note,
    )


@transaction.atomic
def candidate_admit(
    *,
    acting_user,
    candidate: Candidate,
    day: date,
    member_code: str = "",
    note: str = "",
    existing_member: Member | None = None,
) -> tuple[CandidateStep, list[RuleWarning]]:
    """The admission ceremony (within 30 working days of the decision): creates the member in the
    registry and its ``admitted`` event in the candidate's cell, at the candidate's place.

    ``existing_member`` (an import whose package also carries the registry's own rows): the
    member already admitted on ``day`` in the candidate's cell is linked instead."""
    candidate = _lock(candidate)
    if candidate.stage == Stage.DECIDED:
        decision = candidate.steps.get(stage=Stage.DECIDED)
        last = _deadline_after(decision)
        if day > last:
            raise RuleError(
                f"Lễ kết nạp ngày {format_date(day)} quá hạn: phải tổ chức trong "
                f"{policy.get('ADMISSION_CEREMONY_WORKING_DAYS')} ngày làm việc sau quyết định "
                f"(đến {format_date(last)}).",
                code="ceremony_late",
            )
    step = _record(candidate, acting_user=acting_user, stage=Stage.ADMITTED, day=day, note=note)
    if existing_member is not None:
        if not existing_member.events.filter(
            kind=EventKind.ADMITTED,
            date=day,
            organization=candidate.organization,
            superseded_by__isnull=True,
        ).exists():
            raise RuleError(
                f"Đảng viên {existing_member.code} đã có nhưng không được kết nạp vào "
                f"{candidate.organization} ngày {format_date(day)}.",
                code="member_mismatch",
            )
        if Candidate.objects.filter(member=existing_member).exclude(pk=candidate.pk).exists():
            raise RuleError(
                f"Đảng viên {existing_member.code} đã gắn với quần chúng khác.",
                code="member_taken",
            )
        candidate.member = existing_member
        candidate.save(update_fields=["member"])
        return step, []
    member = member_services.member_create(
        acting_user=acting_user,
        code=member_code or candidate.code,
        full_name=candidate.full_name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
        is_sample=candidate.is_sample,
        **{f: getattr(candidate, f) for f in PROFILE_FIELDS},
    )
    _, warnings = member_services.member_admit(
        acting_user=acting_user,
        member=member,
        day=day,
        organization=candidate.organization,
        place=candidate.place,
        note=note,
    )
    candidate.member = member
    candidate.save(update_fields=["member"])
    return step, warnings


@transaction.atomic
def candidate_confirm(
    *,
    acting_user,
    candidate: Candidate,
    day: date,
    confirmed: bool,
    eligible: int | None = None,
    votes_for: int | None = None,
    reason: str = "",
    note: str = "",
) -> tuple[CandidateStep, list[RuleWarning]]:
    """The cell's confirmation after 12 months of probation. Confirmed: official from the
    12-month mark even when decided later (``confirmed`` event on that mark). Not confirmed: the
    member leaves the registry (``left``, reason ``not_confirmed``) on ``day``."""
    candidate = _lock(candidate)
    if candidate.stage == Stage.ADMITTED:
        admitted = candidate.steps.get(stage=Stage.ADMITTED)
        start, _ = member_services.confirmation_window(admitted.date)
        if day < start:
            raise RuleError(
                f"Chưa hết 12 tháng dự bị: chi bộ xét công nhận từ ngày {format_date(start)}.",
                code="probation_not_over",
            )
    if (eligible is None) != (votes_for is None):
        raise RuleError("Cần cả số đảng viên chính thức và số tán thành.", code="bad_count")
    if eligible is not None and votes_for is not None:  # both or neither, checked above
        if eligible <= 0 or votes_for < 0 or votes_for > eligible:
            raise RuleError(
                "Số tán thành phải từ 0 đến số đảng viên chính thức (lớn hơn 0).", code="bad_count"
            )
        if confirmed and not _vote_passes(eligible, votes_for):
            num, den = policy.get("CELL_VOTE_SHARE")
            raise RuleError(
                f"Chỉ {votes_for}/{eligible} tán thành, chưa đạt {num}/{den}: không thể công "
                "nhận chính thức.",
                code="vote_below_share",
            )
    if not confirmed and not nfc(reason):
        raise RuleError("Cần ghi lý do không công nhận chính thức.", code="reason_required")
    stage = Stage.CONFIRMED if confirmed else Stage.NOT_CONFIRMED
    step = _record(
        candidate,
        acting_user=acting_user,
        stage=stage,
        day=day,
        eligible=eligible,
        votes_for=votes_for,
        reason=reason,
        note=note,
    )
    member = candidate.member
    assert member is not None  # an admitted candidate is a member
    recorded = member.events.filter(
        Q(kind=EventKind.CONFIRMED)
        if confirmed
        else Q(kind=EventKind.LEFT, reason=LeftReason.NOT_CONFIRMED),
        superseded_by__isnull=True,
        date__gte=start,
    )
    if recorded.exists():  # already in the registry (an import carrying both)
        return step, []
    if confirmed:
        _, warnings = member_services.member_confirm(
            acting_user=acting_user, member=member, day=start, note=note
        )
    else:
        _, warnings = member_services.member_leave(
            acting_user=acting_user,
            member=member,
            day=day,
            reason=LeftReason.NOT_CONFIRMED,
            note=nfc(reason),
        )
    return step, warnings


@transaction.atomic
def candidate_drop(*, acting_user, candidate: Candidate, day: date, reason: str, note: str = ""):
    """Stop the path at any stage before admission, with a reason."""
    if not nfc(reason):
        raise RuleError("Cần ghi lý do dừng hồ sơ.", code="reason_required")
    return _record(
        _lock(candidate),
        acting_user=acting_user,
        stage=Stage.DROPPED,
        day=day,
        reason=reason,
        note=note,
    )


#: Step name → service, for forms, the API and the interchange importer.
#: The service recording each step (their arguments beyond the common ones differ).
STEP_SERVICES: dict[str, Callable[..., Any]] = {
    Stage.TRAINED: candidate_train,
    Stage.APPLIED: candidate_apply,
    Stage.VERIFIED: candidate_verify,
    Stage.SPONSORED: candidate_sponsor,
    Stage.VOTED: candidate_vote,
    Stage.DECIDED: candidate_decide,
    Stage.ADMITTED: candidate_admit,
    Stage.DROPPED: candidate_drop,
}


# --- Targets --------------------------------------------------------------------------------


@transaction.atomic
def target_set(
    *,
    acting_user,
    organization: Organization,
    year_from: int,
    year_to: int,
    per_year: int | None = None,
    total: int | None = None,
    source: str = "",
    note: str = "",
    is_sample: bool = False,
    based_on: str | int | None = None,
) -> AdmissionTarget:
    """Create or replace the organisation's admission target for ``year_from``..``year_to``.
    ``based_on``: the version of that target the edit started from (``core.locking.NEW``: there
    was none; None: no check)."""
    scope.require(acting_user, organization, scope.CHANGE)
    if year_from > year_to:
        raise RuleError("Năm bắt đầu phải không sau năm kết thúc.", code="years_order")
    if per_year is None and total is None:
        raise RuleError("Cần chỉ tiêu mỗi năm hoặc cả giai đoạn.", code="target_value")
    if any(v is not None and v < 0 for v in (per_year, total)):
        raise RuleError("Chỉ tiêu không được âm.", code="target_value")
    overlap = (
        AdmissionTarget.objects.filter(
            organization=organization, year_from__lte=year_to, year_to__gte=year_from
        )
        .exclude(year_from=year_from, year_to=year_to)
        .first()
    )
    if overlap:
        raise RuleError(
            f"Đã có chỉ tiêu {overlap} của tổ chức này trùng thời gian.", code="target_overlap"
        )
    key = {"organization": organization, "year_from": year_from, "year_to": year_to}
    target = AdmissionTarget.objects.select_for_update().filter(**key).first()
    check_not_stale(
        target, based_on, what=f"chỉ tiêu kết nạp {year_from}–{year_to} của {organization}"
    )
    values = {
        "per_year": per_year,
        "total": total,
        "source": nfc(source),
        "note": nfc(note),
        "is_sample": is_sample,
    }
    if target is None:
        return AdmissionTarget.objects.create(**key, **values)
    for name, value in values.items():
        setattr(target, name, value)
    target.save()
    return target


@transaction.atomic
def target_delete(*, acting_user, target: AdmissionTarget) -> None:
    scope.require(acting_user, target, scope.CHANGE)
    target.delete()
