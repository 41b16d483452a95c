"""Writes of the cadres module, one function per business action, each atomic, scope-checked
(``core.scope.require`` on the organisation it changes) and audited (django-auditlog on every
model of the app). Refused rules raise :class:`RuleError` with a Vietnamese message naming the
rule and its source; nothing is written.

Rules (DOMAIN.md, "Cadres"; numbers in ``policy.py``):
- a non-member (:class:`Person`) holds only non-party posts; one person holds one post of one
  organisation once at a time (no overlapping appointments);
- succession planning (Quy định 377-QĐ/TW): at most 3 people per position; one person at most 3
  positions of the same level; age so that the person can serve a full term (newcomer) or 48
  months (re-elected) before retirement age (Chỉ thị 45-CT/TW, roadmap of Nghị định 135/2020);
  a member disciplined at reprimand or above is not planned and leaves every plan; the yearly
  review removes whoever is over age.

Two functions are the inspections module's way in: :func:`remove_from_plans_for_discipline`
and :func:`end_appointments_for_dismissal`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError, transaction

from grassroots import policy
from grassroots.cadres.models import (
    Appointment,
    Body,
    Congress,
    Direction,
    Discipline,
    EndReason,
    How,
    MoveKind,
    Person,
    Plan,
    PlanEntry,
    PlanReview,
    Position,
    RemovalReason,
    Rotation,
)
from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.locking import check_not_stale
from grassroots.core.temporal import MAX_YEAR, MIN_YEAR, OPEN_END, overlaps
from grassroots.core.text import nfc
from grassroots.members.models import Gender, Member
from grassroots.organizations.models import Organization
from grassroots.resolutions.models import Document

# --- Retirement age (Bộ luật Lao động 2019, art. 169; Nghị định 135/2020/NĐ-CP) -----------------


def add_months(day: date, months: int) -> date:
    return policy.add_months(day, months)


def months_between(start: date, end: date) -> int:
    """Completed months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -months_between(end, start)
    return policy.age_in_months(start, end)


def retirement_age_months(*, gender: str, birth_date: date) -> int:
    """The retirement age, in months, of someone born on ``birth_date``: the roadmap gives each
    calendar year from 2021 an age (men 60y3m rising 3 months a year to 62; women 55y4m rising
    4 months a year to 60); a person retires at the age of the year in which they reach it.
    Before the roadmap (reaching 60 / 55 before 2021) the old ages hold."""
    rule = policy.get(
        "CADRES_RETIREMENT_WOMEN" if gender == Gender.FEMALE else "CADRES_RETIREMENT_MEN"
    )
    start = policy.get("CADRES_RETIREMENT_START_YEAR")
    if add_months(birth_date, rule["base"]).year < start:
        return rule["base"]
    year = start
    while True:
        age = min(rule["first"] + rule["step"] * (year - start), rule["final"])
        if add_months(birth_date, age).year <= year or age == rule["final"]:
            return age
        year += 1


def retirement_date(*, gender: str, birth_date: date) -> date:
    """The day someone reaches retirement age."""
    return add_months(birth_date, retirement_age_months(gender=gender, birth_date=birth_date))


def months_to_retirement(*, gender: str, birth_date: date, day: date) -> int:
    """Completed months from ``day`` to the retirement day (negative when already past)."""
    return months_between(day, retirement_date(gender=gender, birth_date=birth_date))


def age_years(birth_date: date, day: date) -> int:
    """Age in full years on ``day``."""
    return policy.age_in_months(birth_date, day) // 12


def months_text(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} năm {rest} tháng" if rest else f"{years} năm"


# --- Helpers ----------------------------------------------------------------------------------


def _organization_in_scope(acting_user, organization: Organization, day: date | None) -> None:
    scope.require(acting_user, organization, scope.CHANGE, on=day)


def _position(code_or_position) -> Position:
    if isinstance(code_or_position, Position):
        return code_or_position
    position = Position.objects.filter(code=code_or_position).first()
    if position is None:
        raise RuleError(f"Không có chức danh mã “{code_or_position}”.", code="unknown_position")
    return position


def _check_year(year: int, what: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleError(f"{what}: năm phải từ {MIN_YEAR} đến {MAX_YEAR}.", code="bad_year")


def _check_term(term_from: int, term_to: int) -> None:
    _check_year(term_from, "Nhiệm kỳ")
    _check_year(term_to, "Nhiệm kỳ")
    if term_from >= term_to:
        raise RuleError(
            f"Nhiệm kỳ {term_from}–{term_to}: năm cuối phải sau năm đầu.", code="bad_term"
        )


def _clean(text: str | None) -> str:
    return nfc((text or "").strip())


def positions_ensure() -> int:
    """Write the catalogue of positions (``cadres.catalogue``) where it is missing; returns how
    many were added. The migration writes it; a database flushed by a test run needs it again."""
    from grassroots.cadres.catalogue import POSITIONS

    known = set(Position.objects.values_list("code", flat=True))
    missing = [
        Position(code=code, name=name, body=body, committee=committee, order=order)
        for code, name, body, committee, order in POSITIONS
        if code not in known
    ]
    Position.objects.bulk_create(missing)
    return len(missing)


# --- Non-member people ------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    acting_user,
    code: str,
    organization: Organization,
    full_name: str,
    gender: str,
    birth_date: date,
    ethnicity: str = "",
    education: str = "",
    political_theory: str = "",
    note: str = "",
) -> Person:
    """Record someone outside the member registry who holds a non-party post."""
    _organization_in_scope(acting_user, organization, None)
    code, full_name = _clean(code), _clean(full_name)
    if not code or not full_name:
        raise RuleError("Cần nhập mã và họ tên.", code="required")
    if gender not in Gender.values:
        raise RuleError("Giới tính phải là Nam hoặc Nữ.", code="unknown_gender")
    if Person.objects.filter(code=code).exists() or Member.objects.filter(code=code).exists():
        raise RuleError(f"Mã {code} đã được dùng.", code="duplicate_code")
    return Person.objects.create(
        code=code,
        organization=organization,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        ethnicity=_clean(ethnicity),
        education=_clean(education),
        political_theory=_clean(political_theory),
        note=_clean(note),
    )


# --- Appointments -----------------------------------------------------------------------------


def _check_appointment(
    *,
    organization: Organization,
    position: Position,
    member: Member | None,
    person: Person | None,
    valid_from: date,
    valid_to: date | None,
    exclude: int | None = None,
) -> None:
    if (member is None) == (person is None):
        raise RuleError(
            "Cần chọn đúng một người: một đảng viên hoặc một người ngoài Đảng.", code="holder"
        )
    if person is not None and position.body == Body.PARTY:
        raise RuleError(
            f"Chức danh “{position.name}” là chức danh trong Đảng: chỉ đảng viên mới giữ được "
            "(DOMAIN.md, “Cadres”).",
            code="party_post_needs_member",
        )
    if valid_to is not None and valid_to <= valid_from:
        raise RuleError("Ngày thôi giữ chức phải sau ngày bắt đầu.", code="bad_interval")
    holder = {"member": member} if member is not None else {"person": person}
    clash = Appointment.objects.filter(
        overlaps(valid_from, valid_to), organization=organization, position=position, **holder
    )
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        name = (member or person).full_name  # type: ignore[union-attr]
        raise RuleError(
            f"{name} đã giữ chức danh “{position.name}” của tổ chức này trong khoảng thời gian đó.",
            code="overlapping_appointment",
        )


@transaction.atomic
def appointment_create(
    *,
    acting_user,
    organization: Organization,
    position: Position | str,
    valid_from: date,
    member: Member | None = None,
    person: Person | None = None,
    how: str = How.APPOINTED,
    valid_to: date | None = None,
    decision: Document | None = None,
    congress: Congress | None = None,
    note: str = "",
) -> Appointment:
    """Someone takes a post of ``organization`` from ``valid_from`` (until ``valid_to``)."""
    position = _position(position)
    _organization_in_scope(acting_user, organization, valid_from)
    if how not in How.values:
        raise RuleError(f"Hình thức “{how}” không hợp lệ.", code="unknown_how")
    _check_appointment(
        organization=organization,
        position=position,
        member=member,
        person=person,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    appointment = Appointment.objects.create(
        organization=organization,
        position=position,
        member=member,
        person=person,
        how=how,
        valid_from=valid_from,
        valid_to=valid_to,
        decision=decision,
        congress=congress,
        note=_clean(note),
        recorded_by=acting_user,
    )
    _organization_in_scope(acting_user, organization, valid_from)
    return appointment


@transaction.atomic
def appointment_end(
    *,
    acting_user,
    appointment: Appointment,
    day: date,
    reason: str,
    decision: Document | None = None,
    based_on=None,
) -> Appointment:
    """The holder leaves the post on ``day`` (the first day they no longer hold it)."""
    _organization_in_scope(acting_user, appointment.organization, day)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    check_not_stale(appointment, based_on, what="bổ nhiệm")
    if reason not in EndReason.values:
        raise RuleError(f"Lý do thôi “{reason}” không hợp lệ.", code="unknown_reason")
    if day <= appointment.valid_from:
        raise RuleError("Ngày thôi giữ chức phải sau ngày bắt đầu.", code="bad_interval")
    if appointment.valid_to is not None and appointment.valid_to < day:
        raise RuleError("Người này đã thôi giữ chức trước ngày đó.", code="already_ended")
    appointment.valid_to = day
    appointment.end_reason = reason
    appointment.end_decision = decision
    appointment.save(update_fields=["valid_to", "end_reason", "end_decision"])
    return appointment


def posts_held(member, day, acting_user):
    """The appointments ``member`` holds on ``day`` (begun before it) that ``acting_user`` may
    change: what a dismissal from ``day`` ends."""
    return (
        Appointment.objects.visible_to(acting_user, scope.CHANGE, on=day)
        .filter(member=member, valid_from__lt=day)
        .filter(overlaps(day, None))
        .select_related("organization")
    )


def end_appointments_for_dismissal(member, day, acting_user, decision=None) -> list[Appointment]:
    """For the inspections module: a member dismissed from post (cách chức) or expelled leaves
    every post held on ``day`` in the acting user's scope, from ``day``, reason "dismissed",
    with the discipline decision. Returns the appointments ended (none when none was held)."""
    with transaction.atomic():
        held = posts_held(member, day, acting_user)
        return [
            appointment_end(
                acting_user=acting_user,
                appointment=appointment,
                day=day,
                reason=EndReason.DISMISSED,
                decision=decision,
            )
            for appointment in held
        ]


@transaction.atomic
def appointment_reopen(
    *, acting_user, appointment: Appointment, valid_to: date | None
) -> Appointment:
    """Withdraw an end recorded by mistake or cancelled (a dismissal cancelled on appeal): the
    post is held again until ``valid_to`` (its end before, None: open)."""
    _organization_in_scope(acting_user, appointment.organization, None)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if valid_to is not None and valid_to <= appointment.valid_from:
        raise RuleError("Ngày thôi giữ chức phải sau ngày bắt đầu.", code="bad_interval")
    appointment.valid_to = valid_to
    appointment.end_reason = ""
    appointment.end_decision = None
    appointment.save(update_fields=["valid_to", "end_reason", "end_decision"])
    return appointment


# --- Congresses -------------------------------------------------------------------------------


@transaction.atomic
def congress_create(
    *,
    acting_user,
    organization: Organization,
    number: int,
    term_from: int,
    term_to: int,
    starts_on: date,
    ends_on: date,
    note: str = "",
) -> Congress:
    """Record a congress of ``organization`` (its number, term and dates)."""
    _organization_in_scope(acting_user, organization, None)
    _check_term(term_from, term_to)
    if not 1 <= number <= 100:
        raise RuleError("Số thứ tự đại hội phải từ 1 đến 100.", code="bad_number")
    if ends_on < starts_on:
        raise RuleError("Ngày bế mạc không được trước ngày khai mạc.", code="bad_dates")
    if Congress.objects.filter(organization=organization, number=number).exists():
        raise RuleError(
            f"Đại hội lần thứ {number} của tổ chức này đã được ghi nhận.", code="duplicate_congress"
        )
    try:
        with transaction.atomic():
            return Congress.objects.create(
                organization=organization,
                number=number,
                term_from=term_from,
                term_to=term_to,
                starts_on=starts_on,
                ends_on=ends_on,
                note=_clean(note),
                recorded_by=acting_user,
            )
    except IntegrityError:
        raise RuleError(
            f"Đại hội lần thứ {number} của tổ chức này đã được ghi nhận.", code="duplicate_congress"
        ) from None


#: The posts a congress elects, in the order the result lists them.
RESULT_POSTS = (
    ("executive", "executive_member"),
    ("standing", "standing_member"),
    ("secretary", "secretary"),
    ("deputies", "deputy_secretary"),
    ("inspection", "inspection_member"),
    ("inspection_chair", "inspection_chair"),
)


@transaction.atomic
def congress_record_result(
    *,
    acting_user,
    congress: Congress,
    executive: Iterable[Member],
    standing: Iterable[Member] = (),
    secretary: Member | None = None,
    deputies: Iterable[Member] = (),
    inspection: Iterable[Member] = (),
    inspection_chair: Member | None = None,
    decision: Document | None = None,
) -> list[Appointment]:
    """The congress elected these people: each gets an appointment from the congress's closing
    day (``how`` elected). The standing committee, the secretary and the deputies are chosen
    from the executive committee; the inspection chair from the inspection committee. Elected
    posts of the previous term still open end that day (reason: term ended). Recording the same
    result twice changes nothing."""
    organization = congress.organization
    day = congress.ends_on
    _organization_in_scope(acting_user, organization, day)
    executive = list(dict.fromkeys(executive))
    if not executive:
        raise RuleError("Cần ít nhất một ủy viên Ban Chấp hành.", code="empty_committee")
    groups = {
        "executive": executive,
        "standing": list(dict.fromkeys(standing)),
        "secretary": [secretary] if secretary else [],
        "deputies": list(dict.fromkeys(deputies)),
        "inspection": list(dict.fromkeys(inspection)),
        "inspection_chair": [inspection_chair] if inspection_chair else [],
    }
    outside = [
        m.full_name
        for key in ("standing", "secretary", "deputies")
        for m in groups[key]
        if m not in executive
    ]
    if outside:
        raise RuleError(
            "Ban Thường vụ, Bí thư và Phó Bí thư được bầu trong số ủy viên Ban Chấp hành: "
            f"{', '.join(outside)} không có trong Ban Chấp hành (Điều lệ Đảng).",
            code="not_in_committee",
        )
    if inspection_chair and inspection_chair not in groups["inspection"]:
        groups["inspection"].append(inspection_chair)
    if secretary and secretary in groups["deputies"]:
        raise RuleError("Bí thư không đồng thời là Phó Bí thư.", code="secretary_deputy")
    wanted = {(m.pk, code) for key, code in RESULT_POSTS for m in groups[key]}
    existing = set(
        Appointment.objects.filter(congress=congress).values_list("member_id", "position__code")
    )
    if existing == wanted:
        return []
    if existing:
        raise RuleError(
            "Kết quả đại hội này đã được ghi nhận; thay đổi trong nhiệm kỳ là bổ nhiệm và thôi "
            "giữ chức.",
            code="result_recorded",
        )
    elected_codes = [code for _, code in RESULT_POSTS]
    previous = Appointment.objects.filter(
        organization=organization,
        how=How.ELECTED,
        position__code__in=elected_codes,
        valid_from__lt=day,
    ).filter(overlaps(day, None))
    for appointment in previous:
        appointment_end(
            acting_user=acting_user, appointment=appointment, day=day, reason=EndReason.TERM_ENDED
        )
    created = []
    for key, code in RESULT_POSTS:
        for member in groups[key]:
            created.append(
                appointment_create(
                    acting_user=acting_user,
                    organization=organization,
                    position=code,
                    member=member,
                    how=How.ELECTED,
                    valid_from=day,
                    congress=congress,
                    decision=decision,
                )
            )
    return created


# --- Succession planning (Quy định 377-QĐ/TW) -------------------------------------------------

DISCIPLINE_ORDER = {value: i for i, value in enumerate(Discipline.values)}


def is_reprimand_or_above(level: str | None) -> bool:
    return bool(level) and level in DISCIPLINE_ORDER


@transaction.atomic
def plan_create(
    *,
    acting_user,
    organization: Organization,
    term_from: int,
    term_to: int,
    term_starts_on: date,
    approved_on: date,
    decision: Document | None = None,
    note: str = "",
) -> Plan:
    """Open the succession plan of ``organization`` for a term."""
    _organization_in_scope(acting_user, organization, None)
    _check_term(term_from, term_to)
    if Plan.objects.filter(organization=organization, term_from=term_from).exists():
        raise RuleError(
            f"Tổ chức này đã có quy hoạch nhiệm kỳ {term_from}–{term_to}.", code="duplicate_plan"
        )
    return Plan.objects.create(
        organization=organization,
        term_from=term_from,
        term_to=term_to,
        term_starts_on=term_starts_on,
        approved_on=approved_on,
        decision=decision,
        note=_clean(note),
        recorded_by=acting_user,
    )


def organization_level(organization: Organization, day: date) -> str:
    """The level of an organisation for the planning rules: the kind of the place its version
    on ``day`` is attached to (province, district, commune…), or ``cell`` for cells and party
    groups."""
    version = organization.version_on(day) or organization.latest_version
    if version is None:
        return ""
    if version.kind in ("cell", "party_group"):
        return "cell"
    place = version.place.version_on(day) or version.place.latest_version
    return place.kind if place else ""


def _re_elected(member: Member, plan: Plan) -> bool:
    """Whether ``member`` sits on the organisation's committee on the eve of the planned term
    (re-election rather than a first term, Chỉ thị 45-CT/TW)."""
    eve = plan.term_starts_on - timedelta(days=1)
    return (
        Appointment.objects.valid_on(eve)
        .filter(organization_id=plan.organization_id, member=member)
        .exclude(position__committee="")
        .exists()
    )


def age_problem(*, member: Member, plan: Plan) -> str | None:
    """Why ``member`` cannot be planned for ``plan``'s term by age (None when they can): the
    months from the term's start to retirement age must cover a full term for a newcomer, 48
    months for someone re-elected."""
    re_elected = _re_elected(member, plan)
    needed = policy.get("CADRES_REELECTED_MONTHS" if re_elected else "CADRES_FIRST_TERM_MONTHS")
    left = months_to_retirement(
        gender=member.gender, birth_date=member.birth_date, day=plan.term_starts_on
    )
    if left >= needed:
        return None
    retire = retirement_date(gender=member.gender, birth_date=member.birth_date)
    who = "tái cử" if re_elected else "tham gia cấp ủy lần đầu"
    return (
        f"Không đủ tuổi quy hoạch: {member.full_name} ({who}) nghỉ hưu ngày "
        f"{retire:%d/%m/%Y}, chỉ còn {months_text(max(left, 0))} kể từ ngày bắt đầu nhiệm kỳ "
        f"{plan.term_starts_on:%d/%m/%Y}, cần ít nhất {months_text(needed)} "
        "(Chỉ thị 45-CT/TW; tuổi nghỉ hưu theo lộ trình Nghị định 135/2020/NĐ-CP)."
    )


def discipline_on(member: Member, day: date) -> PlanEntry | None:
    """The member's latest discipline at reprimand or above recorded on or before ``day``."""
    return (
        PlanEntry.objects.filter(
            member=member, discipline__in=Discipline.values, disciplined_on__lte=day
        )
        .order_by("-disciplined_on")
        .first()
    )


@transaction.atomic
def plan_entry_add(
    *,
    acting_user,
    plan: Plan,
    position: Position | str,
    member: Member,
    day: date,
) -> PlanEntry:
    """Plan ``member`` for ``position`` from ``day``, under every rule of 377-QĐ/TW."""
    position = _position(position)
    _organization_in_scope(acting_user, plan.organization, None)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one writer per plan at a time
    active = PlanEntry.objects.filter(removed_on__isnull=True)
    if active.filter(plan=plan, position=position, member=member).exists():
        raise RuleError(
            f"{member.full_name} đã có trong quy hoạch chức danh “{position.name}”.",
            code="already_planned",
        )
    limit = policy.get("CADRES_PLAN_MAX_PER_POSITION")
    if active.filter(plan=plan, position=position).count() >= limit:
        raise RuleError(
            f"Chức danh “{position.name}” đã có {limit} người trong quy hoạch: mỗi chức danh "
            f"quy hoạch không quá {limit} người (Quy định 377-QĐ/TW).",
            code="max_per_position",
        )
    level = organization_level(plan.organization, day)
    same_level = [
        entry
        for entry in active.filter(member=member, plan__term_from=plan.term_from).select_related(
            "plan__organization"
        )
        if organization_level(entry.plan.organization, day) == level
    ]
    most = policy.get("CADRES_PLAN_MAX_POSITIONS_PER_PERSON")
    if len(same_level) >= most:
        raise RuleError(
            f"{member.full_name} đã được quy hoạch {len(same_level)} chức danh cùng cấp: một người "
            f"quy hoạch không quá {most} chức danh cùng cấp (Quy định 377-QĐ/TW).",
            code="max_positions_per_person",
        )
    problem = age_problem(member=member, plan=plan)
    if problem:
        raise RuleError(problem, code="over_age")
    disciplined = discipline_on(member, day)
    if disciplined is not None:
        raise RuleError(
            f"{member.full_name} bị kỷ luật {disciplined.get_discipline_display().lower()} ngày "
            f"{disciplined.disciplined_on:%d/%m/%Y}: người bị kỷ luật từ khiển trách trở lên không "
            "được đưa vào quy hoạch (Quy định 377-QĐ/TW).",
            code="disciplined",
        )
    return PlanEntry.objects.create(
        plan=plan, position=position, member=member, added_on=day, recorded_by=acting_user
    )


@transaction.atomic
def plan_entry_remove(
    *,
    acting_user,
    entry: PlanEntry,
    day: date,
    reason: str,
    note: str = "",
    based_on=None,
) -> PlanEntry:
    """Take a person out of the plan from ``day``, with the reason (the yearly review)."""
    _organization_in_scope(acting_user, entry.plan.organization, None)
    entry = PlanEntry.objects.select_for_update().select_related("plan").get(pk=entry.pk)
    check_not_stale(entry, based_on, what="người trong quy hoạch")
    if reason not in RemovalReason.values:
        raise RuleError(f"Lý do “{reason}” không hợp lệ.", code="unknown_reason")
    if entry.removed_on is not None:
        raise RuleError("Người này đã được đưa ra khỏi quy hoạch.", code="already_removed")
    if day < entry.added_on:
        raise RuleError("Ngày đưa ra không được trước ngày đưa vào.", code="bad_interval")
    entry.removed_on = day
    entry.removal_reason = reason
    entry.removal_note = _clean(note)
    entry.save(update_fields=["removed_on", "removal_reason", "removal_note"])
    return entry


def remove_from_plans_for_discipline(member, level, day, acting_user) -> list[PlanEntry]:
    """For the inspections module: a member disciplined at ``level`` (``reprimand``,
    ``warning``, ``dismissal``, ``expulsion``) on ``day`` leaves every plan of the acting user's
    scope in which they are still planned; the discipline is recorded on those entries (and
    bars new ones). A lighter level (or none) removes nothing. Returns the entries removed."""
    if not is_reprimand_or_above(level):
        return []
    with transaction.atomic():
        entries = (
            PlanEntry.objects.visible_to(acting_user, scope.CHANGE)
            .filter(member=member, removed_on__isnull=True, added_on__lte=day)
            .select_related("plan__organization")
        )
        removed = []
        for entry in entries:
            entry = plan_entry_remove(
                acting_user=acting_user,
                entry=entry,
                day=day,
                reason=RemovalReason.DISCIPLINED,
                note=f"Kỷ luật {Discipline(level).label.lower()} ngày {day:%d/%m/%Y}.",
            )
            entry.discipline, entry.disciplined_on = level, day
            entry.save(update_fields=["discipline", "disciplined_on"])
            removed.append(entry)
        return removed


@transaction.atomic
def plan_entry_restore(*, acting_user, entry: PlanEntry) -> PlanEntry:
    """Put back in the plan a person taken out for a discipline that was cancelled on appeal:
    the removal and the recorded discipline are withdrawn."""
    _organization_in_scope(acting_user, entry.plan.organization, None)
    entry = PlanEntry.objects.select_for_update().get(pk=entry.pk)
    entry.removed_on = None
    entry.removal_reason = ""
    entry.removal_note = ""
    entry.discipline, entry.disciplined_on = "", None
    entry.save(
        update_fields=[
            "removed_on", "removal_reason", "removal_note", "discipline", "disciplined_on"
        ]
    )  # fmt: skip
    return entry


@transaction.atomic
def plan_entry_record_discipline(
    *, acting_user, entry: PlanEntry, level: str, day: date
) -> PlanEntry:
    """Record on a plan entry the member's discipline (until the inspections module keeps it):
    at reprimand or above, the member leaves every plan of the scope that day."""
    if level not in Discipline.values:
        raise RuleError(f"Hình thức kỷ luật “{level}” không hợp lệ.", code="unknown_discipline")
    _organization_in_scope(acting_user, entry.plan.organization, None)
    remove_from_plans_for_discipline(entry.member, level, day, acting_user)
    entry.refresh_from_db()
    if not entry.discipline:
        entry.discipline, entry.disciplined_on = level, day
        entry.save(update_fields=["discipline", "disciplined_on"])
    return entry


def over_age_on(entry: PlanEntry, day: date) -> bool:
    """An entry's member is over age on ``day``: retirement age reached, or not enough time
    left before it for the planned term (``age_problem``)."""
    member = entry.member
    if retirement_date(gender=member.gender, birth_date=member.birth_date) <= day:
        return True
    return age_problem(member=member, plan=entry.plan) is not None


@transaction.atomic
def plan_review(
    *, acting_user, plan: Plan, year: int, reviewed_on: date, note: str = ""
) -> tuple[PlanReview, list[PlanEntry]]:
    """The yearly review of ``plan``: whoever is over age on ``reviewed_on`` or disciplined at
    reprimand or above leaves the plan automatically (with the reason); the review is recorded
    once per year. Returns the review and the entries it removed."""
    _organization_in_scope(acting_user, plan.organization, None)
    _check_year(year, "Năm rà soát")
    if not plan.term_from - 1 <= year <= plan.term_to:
        raise RuleError(
            f"Năm rà soát {year} nằm ngoài nhiệm kỳ {plan.term_from}–{plan.term_to}.",
            code="bad_year",
        )
    if reviewed_on.year != year:
        raise RuleError("Ngày rà soát phải thuộc năm rà soát.", code="bad_date")
    if PlanReview.objects.filter(plan=plan, year=year).exists():
        raise RuleError(f"Quy hoạch đã được rà soát năm {year}.", code="duplicate_review")
    removed = []
    for entry in plan.entries.filter(removed_on__isnull=True, added_on__lte=reviewed_on):
        if over_age_on(entry, reviewed_on):
            removed.append(
                plan_entry_remove(
                    acting_user=acting_user,
                    entry=entry,
                    day=reviewed_on,
                    reason=RemovalReason.OVER_AGE,
                    note=f"Rà soát năm {year}: quá tuổi quy hoạch.",
                )
            )
        elif discipline_on(entry.member, reviewed_on) is not None:
            removed.append(
                plan_entry_remove(
                    acting_user=acting_user,
                    entry=entry,
                    day=reviewed_on,
                    reason=RemovalReason.DISCIPLINED,
                    note=f"Rà soát năm {year}: bị kỷ luật.",
                )
            )
    review = PlanReview.objects.create(
        plan=plan, year=year, reviewed_on=reviewed_on, note=_clean(note), recorded_by=acting_user
    )
    return review, removed


# --- Rotation and reassignment (Quy định 65-QĐ/TW) --------------------------------------------


@transaction.atomic
def rotation_create(
    *,
    acting_user,
    member: Member,
    kind: str,
    direction: str,
    from_organization: Organization,
    to_organization: Organization,
    starts_on: date,
    planned_end: date | None = None,
    from_post: str = "",
    to_post: str = "",
    decision: Document | None = None,
    note: str = "",
) -> Rotation:
    """A cadre rotated or reassigned from one organisation's post to another's. The writer needs
    one of the two organisations in their scope (the sending or the receiving committee)."""
    if kind not in MoveKind.values:
        raise RuleError(f"Hình thức “{kind}” không hợp lệ.", code="unknown_kind")
    if direction not in Direction.values:
        raise RuleError(f"Hướng “{direction}” không hợp lệ.", code="unknown_direction")
    if not (
        scope.allowed(acting_user, from_organization, scope.CHANGE, on=starts_on)
        or scope.allowed(acting_user, to_organization, scope.CHANGE, on=starts_on)
    ):
        scope.require(acting_user, from_organization, scope.CHANGE, on=starts_on)
    if from_organization == to_organization and direction != Direction.ACROSS_BODIES:
        raise RuleError(
            "Luân chuyển, điều động phải sang tổ chức khác (hoặc giữa các cơ quan cùng cấp).",
            code="same_organization",
        )
    if planned_end is not None and planned_end <= starts_on:
        raise RuleError("Ngày dự kiến kết thúc phải sau ngày bắt đầu.", code="bad_interval")
    clash = Rotation.objects.filter(member=member, starts_on__lt=planned_end or OPEN_END).filter(
        models_open_after(starts_on)
    )
    if clash.exists():
        raise RuleError(
            f"{member.full_name} đang trong một đợt luân chuyển, điều động chưa kết thúc vào "
            "ngày đó.",
            code="overlapping_rotation",
        )
    return Rotation.objects.create(
        member=member,
        kind=kind,
        direction=direction,
        from_organization=from_organization,
        to_organization=to_organization,
        from_post=_clean(from_post),
        to_post=_clean(to_post),
        starts_on=starts_on,
        planned_end=planned_end,
        decision=decision,
        note=_clean(note),
        recorded_by=acting_user,
    )


def models_open_after(day: date):
    """Rotations not yet over on ``day``: no actual end, or an actual end after it."""
    from django.db.models import Q

    return Q(actual_end__isnull=True) | Q(actual_end__gt=day)


@transaction.atomic
def rotation_end(*, acting_user, rotation: Rotation, day: date, based_on=None) -> Rotation:
    """The rotated cadre returns (or the reassignment ends) on ``day``."""
    if not (
        scope.allowed(acting_user, rotation.from_organization, scope.CHANGE)
        or scope.allowed(acting_user, rotation.to_organization, scope.CHANGE)
    ):
        scope.require(acting_user, rotation.from_organization, scope.CHANGE)
    rotation = Rotation.objects.select_for_update().get(pk=rotation.pk)
    check_not_stale(rotation, based_on, what="đợt luân chuyển")
    if day <= rotation.starts_on:
        raise RuleError("Ngày kết thúc phải sau ngày bắt đầu.", code="bad_interval")
    if rotation.actual_end == day:
        return rotation
    rotation.actual_end = day
    rotation.save(update_fields=["actual_end"])
    return rotation
