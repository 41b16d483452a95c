"""Member actions (Zulip-style): one function per action, atomic, with ``acting_user``.

Every lifecycle action appends an event, replays the member's effective events (refusing the
whole change when any event no longer fits), rewrites the member's derived spans in the same
transaction, and writes one audit row on the member with the old and new state.

Scope (``core.scope``): an ``acting_user`` changes only members whose span today (or on the
event's day, when later) — or their last span — lies in their subtree, records events only in
organisations of their subtree, and the member is checked again after the write; refused
writes raise ``NotFound`` (404), as for a member they cannot see. ``acting_user=None`` is an
internal caller.
"""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry
from django.db import transaction

from grassroots import policy
from grassroots.core import roles, scope
from grassroots.core.errors import RuleError, RuleWarning
from grassroots.core.locking import check_not_stale
from grassroots.core.temporal import valid_on
from grassroots.core.text import format_date, nfc
from grassroots.members import tally
from grassroots.members.models import (
    EventKind,
    LeftReason,
    Member,
    MemberEvent,
    MemberProcedure,
    MemberProfileChange,
    MembershipSpan,
    ProcedureKind,
)
from grassroots.members.profile import DATED_FIELDS, RECORD_FIELDS, field_label
from grassroots.members.replay import (
    Fact,
    ReplayError,
    format_gaps,
    parse_gaps,
    replay,
    state_on,
)
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.places.models import Place, PlaceVersion

#: The fields the members' structure counts (``members.tally``): their spans' or their own.
STRUCTURE_FIELDS = frozenset(
    ("gender", "ethnicity", "education", "birth_date", "admitted_on", "earlier_gaps")
)
PROFILE_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "education",
    "occupation",
    "hometown",
    "national_id",
    "party_card_number",
    *RECORD_FIELDS,
)
#: The dates of the Phiếu đảng viên (optional; party age counts from ``admitted_on``).
RECORD_DATE_FIELDS = ("admitted_on", "confirmed_on", "youth_union_date")
#: Besides the profile, what the services take: the record's dates and its earlier gaps
#: (membership lost and restored before the registry's history).
DATES_AND_GAPS = (*RECORD_DATE_FIELDS, "earlier_gaps")


def effective_events(member: Member) -> list[MemberEvent]:
    """The member's events that count: not superseded, not cancellations."""
    return list(
        member.events.filter(superseded_by__isnull=True)
        .exclude(kind=EventKind.CANCELLED)
        .order_by("date", "id")
    )


def to_fact(event: MemberEvent) -> Fact:
    return Fact(
        date=event.date,
        kind=event.kind,
        organization_id=event.organization_id,
        place_id=event.place_id,
        reason=event.reason or "",
        seq=event.pk or 0,
    )


def _state_dict(member: Member, day: date) -> dict:
    state = state_on([to_fact(e) for e in effective_events(member)], day)
    return {
        "status": state.status or "",
        "organization": state.organization_id,
        "place": state.place_id,
        "exempted": state.exempted,
    }


def rederive_spans(member: Member) -> list[MembershipSpan]:
    """Replay the member's effective events and rewrite its spans. Raises RuleError."""
    try:
        spans = replay(
            [to_fact(e) for e in effective_events(member)],
            admitted_on=member.admitted_on,
            gaps=parse_gaps(member.earlier_gaps),
        )
    except ReplayError as exc:
        raise RuleError(str(exc), code=exc.code) from exc
    member.spans.all().delete()
    return MembershipSpan.objects.bulk_create(
        MembershipSpan(
            member=member,
            organization_id=s.organization_id,
            place_id=s.place_id,
            status=s.status,
            exempted=s.exempted,
            valid_from=s.valid_from,
            valid_to=s.valid_to,
            served_since=s.served_since,
        )
        for s in spans
    )


def span_lifetime_warnings(member: Member) -> list[RuleWarning]:
    """Membership that runs past the end of its organisation or place. A warning, not a refusal,
    so history can be entered in any order (the move out may be recorded next); the member drops
    out of the figures from that end, so it should be fixed."""
    spans = list(member.spans.all())
    warnings = []
    for model, attr, what in (
        (OrganizationVersion, "organization_id", "Tổ chức đảng"),
        (PlaceVersion, "place_id", "Địa bàn"),
    ):
        ends: dict[int, date | None] = {}
        for key, valid_to in model.objects.filter(
            **{f"{attr}__in": {getattr(sp, attr) for sp in spans}}
        ).values_list(attr, "valid_to"):
            current = ends.get(key, date.min)
            ends[key] = None if valid_to is None or current is None else max(current, valid_to)
        for span in spans:
            end = ends.get(getattr(span, attr))
            if end is not None and (span.valid_to is None or span.valid_to > end):
                warnings.append(
                    RuleWarning(
                        "outlives_" + attr.removesuffix("_id"),
                        f"{what} kết thúc từ ngày {format_date(end)} nhưng đảng viên vẫn sinh "
                        "hoạt hoặc ở đó sau ngày này: hãy ghi nhận chuyển sinh hoạt.",
                    )
                )
    return warnings


def _check_valid_on(obj, day: date, what: str) -> None:
    if obj is not None and not obj.versions.valid_on(day).exists():
        raise RuleError(
            f"{what} {obj.code} không có hiệu lực vào ngày {format_date(day)}.", code="not_valid"
        )


def _audit(member: Member, before: dict, after: dict, what: str) -> None:
    changes = {k: [str(before[k]), str(after[k])] for k in after if before.get(k) != after[k]}
    changes["event"] = ["", what]
    LogEntry.objects.log_create(
        member, force_log=True, action=LogEntry.Action.UPDATE, changes=changes
    )


def event_warnings(member: Member, event: MemberEvent) -> list[RuleWarning]:
    """Rules that only warn (the event is saved): admission age, confirmation timing."""
    warnings: list[RuleWarning] = []
    if event.kind == EventKind.ADMITTED:
        months = policy.age_in_months(member.birth_date, event.date)
        low, high = policy.get("ADMISSION_MIN_AGE_MONTHS"), policy.get("ADMISSION_MAX_AGE_MONTHS")
        if not low <= months <= high:
            warnings.append(
                RuleWarning(
                    "admission_age",
                    f"Tuổi khi kết nạp là {months // 12} tuổi {months % 12} tháng, ngoài khoảng "
                    f"{low // 12}–{high // 12} tuổi (Điều lệ Đảng, Điều 1).",
                )
            )
    if event.kind == EventKind.CONFIRMED:
        admitted = (
            member.events.filter(
                kind=EventKind.ADMITTED, date__lte=event.date, superseded_by__isnull=True
            )
            .order_by("-date")
            .first()
        )
        if admitted:
            window = confirmation_window(admitted.date)
            if event.date < window[0]:
                warnings.append(
                    RuleWarning(
                        "confirmation_early",
                        f"Công nhận chính thức trước khi hết 12 tháng dự bị (từ {format_date(window[0])}).",
                    )
                )
            elif event.date > window[1]:
                warnings.append(
                    RuleWarning(
                        "confirmation_late",
                        f"Công nhận chính thức sau hạn {format_date(window[1])} "
                        "(12 tháng dự bị + 30 ngày làm việc).",
                    )
                )
    return warnings


def confirmation_window(admitted_on: date) -> tuple[date, date]:
    """[earliest, latest] confirmation dates for a member admitted on ``admitted_on``."""
    end = policy.add_months(admitted_on, policy.get("PROBATION_MONTHS"))
    return end, policy.add_working_days(end, policy.get("CONFIRMATION_GRACE_WORKING_DAYS"))


#: Events that make someone who is not a member (on the day) a member: recorded by the scope
#: that receives them, whoever had them before.
JOINING_KINDS = (EventKind.ADMITTED, EventKind.JOINED_OFFICIAL, EventKind.JOINED_PROBATIONARY)


def _require_member(acting_user, member: Member, day: date | None = None) -> None:
    """Refuse (``NotFound``) a change to ``member`` outside ``acting_user``'s scope. A profile
    with no history yet belongs to nobody's subtree and is left to the event that gives it one."""
    if acting_user is None:
        return
    if (
        acting_user.has_role(roles.EDITOR)
        and not MembershipSpan.objects.filter(member=member).exists()
    ):
        return
    scope.require(acting_user, member, scope.CHANGE, on=day)


@transaction.atomic
def _check_record_dates(birth_date, admitted_on, confirmed_on, earlier_gaps="") -> None:
    """The dates of the Phiếu đảng viên: admitted after birth, made official after admission,
    earlier gaps well formed and after admission."""
    try:
        gaps = parse_gaps(earlier_gaps)
    except ValueError as exc:
        raise RuleError(f"Gián đoạn sinh hoạt Đảng: {exc}", code="bad_gaps") from exc
    if gaps and admitted_on is None:
        raise RuleError(
            "Có thời gian gián đoạn thì phải có ngày vào Đảng.", code="admitted_on_required"
        )
    if gaps and gaps[0][0] < admitted_on:
        raise RuleError(
            "Gián đoạn sinh hoạt Đảng không thể bắt đầu trước ngày vào Đảng.",
            code="gap_before_admission",
        )
    if confirmed_on is not None and admitted_on is None:
        raise RuleError(
            "Có ngày chính thức thì phải có ngày vào Đảng.", code="admitted_on_required"
        )
    if admitted_on is not None and birth_date is not None and admitted_on <= birth_date:
        raise RuleError("Ngày vào Đảng phải sau ngày sinh.", code="admitted_before_birth")
    if confirmed_on is not None and admitted_on is not None and confirmed_on < admitted_on:
        raise RuleError(
            "Ngày chính thức không được trước ngày vào Đảng.", code="confirmed_before_admitted"
        )


def member_create(
    *,
    acting_user,
    code: str,
    full_name: str,
    gender: str,
    birth_date: date,
    is_sample: bool = False,
    **profile,
) -> Member:
    """Create a member's profile (no history yet: record an event next)."""
    code = nfc(code)
    if not code:
        raise RuleError("Mã đảng viên không được để trống.", code="code_required")
    if Member.objects.filter(code=code).exists():
        raise RuleError(f"Mã đảng viên {code} đã tồn tại.", code="duplicate_code")
    unknown = set(profile) - set(PROFILE_FIELDS) - set(DATES_AND_GAPS) - {"photo"}
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    clean = {k: nfc(v) if isinstance(v, str) else v for k, v in profile.items()}
    _check_record_dates(
        birth_date,
        clean.get("admitted_on"),
        clean.get("confirmed_on"),
        clean.get("earlier_gaps", ""),
    )
    if clean.get("earlier_gaps"):
        clean["earlier_gaps"] = format_gaps(parse_gaps(clean["earlier_gaps"]))
    return Member.objects.create(
        code=code,
        full_name=nfc(full_name),
        gender=gender,
        birth_date=birth_date,
        is_sample=is_sample,
        **clean,
    )


@transaction.atomic
def member_enrol(
    *, acting_user, code: str, first_event: dict | None = None, **profile
) -> tuple[Member, MemberEvent | None, list[RuleWarning]]:
    """Create a member's profile together with its first event (``first_event``: the keyword
    arguments of :func:`member_record_event` but ``member``), all or nothing. A profile with no
    event is visible only to users who see everything: scoped users enrol with an event."""
    member = member_create(acting_user=acting_user, code=code, **profile)
    if not first_event:
        return member, None, []
    event, warnings = member_record_event(acting_user=acting_user, member=member, **first_event)
    return member, event, warnings


@transaction.atomic
def member_update(*, acting_user, member: Member, based_on=None, **fields) -> Member:
    """Change profile fields; returns early when nothing changes (auditlog records the diff).
    ``based_on``: the version the edit started from (``core.locking``; None: no check)."""
    _require_member(acting_user, member)
    check_not_stale(member, based_on, what=f"hồ sơ đảng viên {member.full_name}")
    changed = []
    for name, value in fields.items():
        if name not in PROFILE_FIELDS and name not in DATES_AND_GAPS and name != "photo":
            raise TypeError(f"not a profile field: {name}")
        value = nfc(value) if isinstance(value, str) else value
        if name == "full_name" and not (value or "").strip():
            raise RuleError("Họ và tên không được để trống.", code="name_required")
        if getattr(member, name) != value:
            setattr(member, name, value)
            changed.append(name)
    if changed:
        _check_record_dates(
            member.birth_date, member.admitted_on, member.confirmed_on, member.earlier_gaps
        )
        if "earlier_gaps" in changed:
            member.earlier_gaps = format_gaps(parse_gaps(member.earlier_gaps))
        if STRUCTURE_FIELDS.isdisjoint(changed):
            member.save()
        else:  # the tallies follow (the structure counts these fields)
            with tally.tracking_members([member.pk]):
                member.save()
                if "admitted_on" in changed or "earlier_gaps" in changed:
                    rederive_spans(member)  # the party age counts from it
    return member


@transaction.atomic
def member_record_event(
    *,
    acting_user,
    member: Member,
    kind: str,
    day: date,
    organization: Organization | None = None,
    place: Place | None = None,
    reason: str = "",
    note: str = "",
    supersedes: MemberEvent | None = None,
) -> tuple[MemberEvent, list[RuleWarning]]:
    """Append an event and re-derive the spans; refuses (nothing changed) when it does not fit."""
    if kind not in EventKind.values:
        raise RuleError(f"Loại sự kiện không hợp lệ: {kind}.", code="unknown_kind")
    _check_valid_on(organization, day, "Tổ chức đảng")
    _check_valid_on(place, day, "Địa bàn")
    if kind != EventKind.LEFT and reason:
        raise RuleError("Chỉ sự kiện ra khỏi danh sách mới có lý do.", code="reason_only_left")
    if kind == EventKind.LEFT and reason not in LeftReason.values:
        # checked before the insert: a blank reason would otherwise hit the database constraint
        raise RuleError(
            f"Sự kiện ra khỏi danh sách ngày {format_date(day)} cần ghi lý do hợp lệ.",
            code="reason_required",
        )
    member = Member.objects.select_for_update().get(pk=member.pk)
    joining = kind in JOINING_KINDS and not MembershipSpan.objects.filter(
        valid_on(day), member=member
    )
    if not joining:
        _require_member(acting_user, member, day)
    if organization is not None:
        scope.require(acting_user, organization, scope.CHANGE, on=day)
    before = _state_dict(member, day)
    # the committees' tallies follow the difference (members.tally)
    with tally.tracking_members([member.pk]):
        event = MemberEvent.objects.create(
            member=member,
            date=day,
            kind=kind,
            organization=organization,
            place=place,
            reason=reason,
            note=nfc(note),
            supersedes=supersedes,
            recorded_by=acting_user,
        )
        rederive_spans(member)
    _require_member(acting_user, member, day)  # still the writer's after the change
    after = _state_dict(member, day)
    _audit(member, before, after, f"{event.get_kind_display()} {format_date(day)}")
    return event, event_warnings(member, event) + span_lifetime_warnings(member)


def member_admit(*, acting_user, member, day, organization, place, note=""):
    """Admit (kết nạp): the member becomes probationary in ``organization`` at ``place``."""
    return member_record_event(
        acting_user=acting_user,
        member=member,
        kind=EventKind.ADMITTED,
        day=day,
        organization=organization,
        place=place,
        note=note,
    )


def member_confirm(*, acting_user, member, day, note=""):
    """Confirm (công nhận chính thức): probationary → official."""
    return member_record_event(
        acting_user=acting_user, member=member, kind=EventKind.CONFIRMED, day=day, note=note
    )


def member_join(*, acting_user, member, day, organization, place, official=True, note=""):
    """Arrives from outside (chuyển đến), official or probationary."""
    kind = EventKind.JOINED_OFFICIAL if official else EventKind.JOINED_PROBATIONARY
    return member_record_event(
        acting_user=acting_user,
        member=member,
        kind=kind,
        day=day,
        organization=organization,
        place=place,
        note=note,
    )


def member_move(*, acting_user, member, day, organization=None, place=None, note=""):
    """Moves inside the dataset: new organisation and/or place (blank keeps its value)."""
    return member_record_event(
        acting_user=acting_user,
        member=member,
        kind=EventKind.MOVED,
        day=day,
        organization=organization,
        place=place,
        note=note,
    )


def member_exempt(*, acting_user, member, day, note=""):
    """Exempted from work and activities (still a member)."""
    return member_record_event(
        acting_user=acting_user, member=member, kind=EventKind.EXEMPTED, day=day, note=note
    )


def member_end_exemption(*, acting_user, member, day, note=""):
    return member_record_event(
        acting_user=acting_user, member=member, kind=EventKind.EXEMPTION_ENDED, day=day, note=note
    )


def member_leave(*, acting_user, member, day, reason, note=""):
    """Leaves the dataset: transferred out, died, removed, expelled, resigned, not confirmed."""
    return member_record_event(
        acting_user=acting_user,
        member=member,
        kind=EventKind.LEFT,
        day=day,
        reason=reason,
        note=note,
    )


def _check_correctable(event: MemberEvent) -> None:
    # asked of the database, not of ``event``'s cache (a stale copy may say "not corrected")
    if MemberEvent.objects.filter(supersedes=event).exists():
        raise RuleError("Sự kiện này đã được đính chính trước đó.", code="already_superseded")
    if event.kind == EventKind.CANCELLED:
        raise RuleError("Không đính chính một sự kiện hủy.", code="cancel_of_cancel")


@transaction.atomic
def member_event_correct(
    *,
    acting_user,
    event: MemberEvent,
    day: date | None = None,
    organization=None,
    place=None,
    reason: str | None = None,
    note: str = "",
) -> tuple[MemberEvent, list[RuleWarning]]:
    """Correct an event: a new event of the same kind supersedes it; both stay visible."""
    _check_correctable(event)
    return member_record_event(
        acting_user=acting_user,
        member=event.member,
        kind=event.kind,
        day=day or event.date,
        organization=organization or event.organization,
        place=place or event.place,
        reason=event.reason if reason is None else reason,
        note=note or event.note,
        supersedes=event,
    )


@transaction.atomic
def member_event_cancel(*, acting_user, event: MemberEvent, note: str = "") -> MemberEvent:
    """Withdraw an event recorded by mistake (a ``cancelled`` event supersedes it)."""
    _check_correctable(event)
    cancel, _ = member_record_event(
        acting_user=acting_user,
        member=event.member,
        kind=EventKind.CANCELLED,
        day=event.date,
        note=note or "Hủy sự kiện ghi nhầm",
        supersedes=event,
    )
    return cancel


@transaction.atomic
def member_profile_change(
    *, acting_user, member: Member, day: date, field: str, value: str, note: str = ""
) -> MemberProfileChange:
    """Record a dated change of the member record (Phiếu bổ sung hồ sơ đảng viên, Mẫu 3-HSĐV):
    from ``day`` on, ``field`` (one of ``profile.DATED_FIELDS``) has ``value``. A coded field
    takes one of its codes (blank: no longer recorded). One change per field and day."""
    _require_member(acting_user, member, day)
    if field not in DATED_FIELDS:
        allowed = ", ".join(str(field_label(f)) for f in DATED_FIELDS)
        raise RuleError(
            f"Thông tin “{field}” không được bổ sung theo ngày (chỉ: {allowed}).",
            code="profile_field",
        )
    value = nfc(value or "").strip()
    choices = DATED_FIELDS[field]
    if choices is not None and value and value not in choices.values:
        labels = ", ".join(f"{c.value} ({c.label})" for c in choices)
        raise RuleError(
            f"Giá trị “{value}” không hợp lệ cho {field_label(field)} (cần một trong: {labels}).",
            code="profile_value",
        )
    if day < member.birth_date:
        raise RuleError("Ngày hiệu lực phải sau ngày sinh.", code="profile_before_birth")
    if MemberProfileChange.objects.filter(member=member, field=field, date=day).exists():
        raise RuleError(
            f"Đã có một thay đổi {field_label(field)} ngày {format_date(day)}.",
            code="profile_change_duplicate",
        )
    change = MemberProfileChange.objects.create(
        member=member,
        date=day,
        field=field,
        value=value,
        note=nfc(note or ""),
        recorded_by=acting_user,
    )
    _require_member(acting_user, member, day)
    return change


@transaction.atomic
def member_procedure_record(
    *,
    acting_user,
    member: Member,
    day: date,
    kind: str,
    badge_years: int | None = None,
    number: str = "",
    note: str = "",
    sets_card_number: bool = True,
) -> MemberProcedure:
    """Record a procedure of Biểu 7-BTCTW done for a member on ``day``: a party badge
    (``badge``, for ``badge_years`` of party age — a milestone of policy ``BADGE_YEARS`` the
    member has reached on ``day``, once per milestone) or a party card issued (``card``,
    ``number`` the card's number, which becomes the member's card number unless a later card
    is recorded; not ``sets_card_number``: the import, whose members.csv has it). The member
    must be a member on ``day``."""
    from grassroots.members.selectors import member_party_age

    _require_member(acting_user, member, day)
    if kind not in ProcedureKind.values:
        allowed = ", ".join(f"{c.value} ({c.label})" for c in ProcedureKind)
        raise RuleError(
            f"Thủ tục “{kind}” không hợp lệ (cần một trong: {allowed}).", code="procedure_kind"
        )
    if not MembershipSpan.objects.filter(valid_on(day), member=member).exists():
        raise RuleError(
            f"Ngày {format_date(day)} {member.full_name} không phải là đảng viên.",
            code="procedure_not_member",
        )
    number = nfc(number or "").strip()
    if kind == ProcedureKind.BADGE:
        milestones = policy.get("BADGE_YEARS")
        if badge_years is None or badge_years not in milestones:
            listed = ", ".join(str(y) for y in milestones)
            raise RuleError(
                f"Huy hiệu Đảng chỉ trao ở các mốc {listed} năm tuổi Đảng.", code="badge_years"
            )
        age = member_party_age(member=member, day=day)
        if age.years < badge_years:
            raise RuleError(
                f"Ngày {format_date(day)} {member.full_name} mới có {age.years} năm tuổi Đảng, "
                f"chưa đủ {badge_years} năm.",
                code="badge_too_early",
            )
        if MemberProcedure.objects.filter(
            member=member, kind=kind, badge_years=badge_years
        ).exists():
            raise RuleError(
                f"{member.full_name} đã được trao Huy hiệu {badge_years} năm tuổi Đảng.",
                code="badge_duplicate",
            )
    else:
        badge_years = None
    if MemberProcedure.objects.filter(member=member, kind=kind, date=day).exists():
        raise RuleError(f"Đã có thủ tục này ngày {format_date(day)}.", code="procedure_duplicate")
    procedure = MemberProcedure.objects.create(
        member=member,
        date=day,
        kind=kind,
        badge_years=badge_years,
        number=number,
        note=nfc(note or ""),
        recorded_by=acting_user,
    )
    if (
        sets_card_number
        and kind == ProcedureKind.CARD
        and number
        and not MemberProcedure.objects.filter(
            member=member, kind=ProcedureKind.CARD, date__gt=day
        ).exists()
    ):
        # the newest card's number is the member's (Phiếu đảng viên)
        member.party_card_number = number[: Member._meta.get_field("party_card_number").max_length]
        member.save(update_fields=["party_card_number"])
    _require_member(acting_user, member, day)
    return procedure
