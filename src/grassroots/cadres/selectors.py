"""Reads of the cadres module, scope-aware where they return records to a user: who held a post
on a day, the posts a person held, every cell's secretary on a day, the committee on a day, the
profile the cadre figures read, the plan's shares and the rotations due to return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from grassroots import policy
from grassroots.cadres.models import (
    SECRETARY,
    Appointment,
    Committee,
    Congress,
    Person,
    Plan,
    PlanEntry,
    Position,
    Rotation,
)
from grassroots.cadres.services import age_years, organization_level
from grassroots.core import scope
from grassroots.core.temporal import valid_on
from grassroots.core.text import fold
from grassroots.members.models import Gender, Member
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids
from grassroots.ratings.models import Rating, Subject

#: The positions whose holders make up the committee (Ban Chấp hành; the standing committee's
#: posts are inside it).
COMMITTEE_POSTS = (Committee.EXECUTIVE, Committee.STANDING)


# --- Scope functions --------------------------------------------------------------------------


def appointment_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return Appointment.objects.visible_to(user, action, on).select_related(
        "organization", "position", "member", "person", "decision", "congress"
    )


def congress_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return Congress.objects.visible_to(user, action, on).select_related("organization")


def plan_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return Plan.objects.visible_to(user, action, on).select_related("organization", "decision")


def plan_entry_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return PlanEntry.objects.visible_to(user, action, on).select_related(
        "plan__organization", "position", "member"
    )


def rotation_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return Rotation.objects.visible_to(user, action, on).select_related(
        "member", "from_organization", "to_organization", "decision"
    )


def person_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return Person.objects.visible_to(user, action, on).select_related("organization")


def position_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return Position.objects.visible_to(user, action, on)


# --- Appointments on a day --------------------------------------------------------------------


def holders_on(*, user, organization: Organization, position: Position, day: date) -> QuerySet:
    """Who held ``position`` in ``organization`` on ``day``."""
    return appointment_visible_to(user).filter(
        valid_on(day), organization=organization, position=position
    )


def posts_of(*, user, member: Member | None = None, person: Person | None = None) -> QuerySet:
    """Every post a member (or a non-member) held, oldest first."""
    holder = {"member": member} if member is not None else {"person": person}
    return appointment_visible_to(user).filter(**holder).order_by("valid_from", "position__order")


def appointment_list(
    *,
    user,
    day: date | None = None,
    organization: Organization | None = None,
    position: Position | None = None,
    search: str = "",
    current: bool = True,
) -> QuerySet:
    """Appointments the user may read; with ``current``, those valid on ``day`` only; with an
    organisation, those of it and (on ``day``) of its subtree."""
    qs = appointment_visible_to(user)
    if current and day is not None:
        qs = qs.filter(valid_on(day))
    if organization is not None:
        if day is not None:
            qs = qs.filter(organization_id__in=subtree_ids(organization=organization, day=day))
        else:
            qs = qs.filter(organization=organization)
    if position is not None:
        qs = qs.filter(position=position)
    if search:
        key = fold(search)
        qs = qs.filter(
            Q(member__name_folded__contains=key)
            | Q(member__code__iexact=search)
            | Q(person__code__iexact=search)
            | Q(person__full_name__icontains=search)
        )
    return qs.order_by("organization_id", "position__order", "valid_from", "id")


@dataclass
class CellSecretary:
    """A cell on the day and its secretary's appointment (None: the cell has no secretary)."""

    version: OrganizationVersion
    appointment: Appointment | None

    @property
    def organization(self) -> Organization:
        return self.version.organization


def cell_secretaries_on(*, organization: Organization | int, day: date) -> list[CellSecretary]:
    """Every cell (``cell`` or ``grassroots_cell``) of Subtree(O, D) with the secretary holding
    the post on D (the earliest appointed if the records show two), by cell name. Two queries,
    whatever the number of cells."""
    under = subtree_ids(organization=organization, day=day)
    cells = list(
        OrganizationVersion.objects.filter(
            valid_on(day), kind__in=CELL_KINDS, organization_id__in=under
        )
        .select_related("organization", "place")
        .order_by("name_folded", "organization__code")
    )
    appointments = (
        Appointment.objects.filter(
            valid_on(day),
            position__code=SECRETARY,
            organization_id__in=[v.organization_id for v in cells],
        )
        .select_related("member", "person", "position", "organization")
        .order_by("valid_from", "id")
    )
    first: dict[int, Appointment] = {}
    for appointment in appointments:
        first.setdefault(appointment.organization_id, appointment)
    return [CellSecretary(v, first.get(v.organization_id)) for v in cells]


# --- Profiles ---------------------------------------------------------------------------------


def _member_profile_value(member: Any, name: str, day: date) -> str:
    """A member's profile value on ``day``: the dated value when the members app keeps dated
    profile changes (``profile_on``), else the field as stored."""
    profile_on = getattr(member, "profile_on", None)
    if callable(profile_on):
        value = profile_on(name, day)
        if value is not None:
            return str(value)
    value = getattr(member, name, "") or ""
    display = getattr(member, f"get_{name}_display", None)
    return str(display() if callable(display) and value else value)


def latest_rating(member: Member | None, day: date) -> Rating | None:
    """The member's latest yearly rating for a period ended by ``day``."""
    if member is None:
        return None
    return (
        Rating.objects.filter(subject=Subject.MEMBER, member=member, period_end__lte=day)
        .order_by("-period_end", "-id")
        .first()
    )


def is_ethnic_minority(ethnicity: str) -> bool:
    """Recorded and not Kinh (blank: not recorded, counted nowhere)."""
    return bool(ethnicity) and fold(ethnicity) != "kinh"


def cadre_profile(holder: Member | Person, day: date, *, rating: bool = True) -> dict[str, Any]:
    """What the cadre figures and pages read of a person on ``day``: sex, age, ethnicity,
    education, political theory, state management and the latest rating. The one place that
    knows the member profile's fields: extend it when the members app adds one."""
    is_member = isinstance(holder, Member)
    member = holder if isinstance(holder, Member) else None
    if isinstance(holder, Member):
        education = _member_profile_value(holder, "general_education", day) or (
            _member_profile_value(holder, "education", day)
        )
        theory = _member_profile_value(holder, "political_theory", day)
        training = _member_profile_value(holder, "specialist_training", day)
        management = _member_profile_value(holder, "state_management", day)
    else:
        assert isinstance(holder, Person)
        education, theory, training, management = (
            holder.education,
            holder.political_theory,
            "",
            "",
        )
    age = age_years(holder.birth_date, day)
    found = latest_rating(member, day) if rating else None
    return {
        "code": holder.code,
        "full_name": holder.full_name,
        "member": is_member,
        "gender": holder.gender,
        "woman": holder.gender == Gender.FEMALE,
        "birth_date": holder.birth_date,
        "age": age,
        "young": age < policy.get("CADRES_YOUNG_AGE"),
        "ethnicity": holder.ethnicity,
        "ethnic_minority": is_ethnic_minority(holder.ethnicity),
        "education": education,
        "specialist_training": training,
        "political_theory": theory,
        "state_management": management,
        "rating": found.get_level_display() if found else "",
        "rating_period": found.period_label if found else "",
    }


# --- The committee on a day -------------------------------------------------------------------


def committee_on(*, organization: Organization, day: date) -> list[Member | Person]:
    """The members of ``organization``'s executive committee on ``day``: everyone holding one
    of its posts (executive or standing committee) that day, each once."""
    appointments = (
        Appointment.objects.filter(
            valid_on(day), organization=organization, position__committee__in=COMMITTEE_POSTS
        )
        .select_related("member", "person")
        .order_by("position__order", "valid_from", "id")
    )
    seen: dict[tuple[str, int], Member | Person] = {}
    for a in appointments:
        holder = a.holder
        seen.setdefault(("m" if a.member_id else "p", holder.pk), holder)
    return list(seen.values())


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


AGE_BANDS = (("under_40", 0, 39), ("40-49", 40, 49), ("50-59", 50, 59), ("60_plus", 60, 200))


def group_figures(profiles: list[dict[str, Any]]) -> dict[str, Any]:
    """Size, women, young, ethnic minority (counts and shares), by education and by political
    theory, age bands and the mean age of a group of people (their profiles)."""
    size = len(profiles)
    women = sum(p["woman"] for p in profiles)
    young = sum(p["young"] for p in profiles)
    minority = sum(p["ethnic_minority"] for p in profiles)

    def by(key: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in profiles:
            label = p[key] or "chưa ghi"
            counts[label] = counts.get(label, 0) + 1
        return dict(sorted(counts.items()))

    return {
        "size": size,
        "women": women,
        "young": young,
        "ethnic_minority": minority,
        "shares": {
            "women": share(women, size),
            "young": share(young, size),
            "ethnic_minority": share(minority, size),
        },
        "education": by("education"),
        "political_theory": by("political_theory"),
        "age": {
            name: sum(low <= p["age"] <= high for p in profiles) for name, low, high in AGE_BANDS
        },
        "mean_age": round(sum(p["age"] for p in profiles) / size, 1) if size else None,
    }


def committee_figures(*, organization: Organization, day: date) -> dict[str, Any]:
    """The committee of ``organization`` on ``day`` (DOMAIN.md, "Cadres"): its figures, with
    the standing committee's size, the secretary, the deputies and the inspection committee;
    ages are taken on the day of the congress that opened the term (the last congress closed
    by ``day``), or on ``day`` without one."""
    congress = (
        Congress.objects.filter(organization=organization, ends_on__lte=day)
        .order_by("-ends_on")
        .first()
    )
    age_day = congress.ends_on if congress else day
    people = committee_on(organization=organization, day=day)
    figures = group_figures([cadre_profile(p, age_day, rating=False) for p in people])
    valid = Appointment.objects.filter(valid_on(day), organization=organization)
    standing = valid.filter(position__committee=Committee.STANDING)
    figures.update(
        standing=_holders(standing),
        secretary=_holders(valid.filter(position__code=SECRETARY)),
        deputies=_holders(valid.filter(position__code="deputy_secretary")),
        inspection=_holders(valid.filter(position__committee=Committee.INSPECTION)),
        congress=str(congress) if congress else None,
        ages_on=age_day.isoformat(),
    )
    return figures


def _holders(appointments: QuerySet) -> int:
    return len(set(appointments.values_list("member_id", "person_id")))


# --- Plans ------------------------------------------------------------------------------------


def plan_entries_on(plan: Plan, day: date) -> QuerySet:
    """The plan's entries active on ``day``."""
    return (
        plan.entries.filter(Q(removed_on__isnull=True) | Q(removed_on__gt=day), added_on__lte=day)
        .select_related("member", "position")
        .order_by("position__order", "member__name_key")
    )


def plan_shares(plan: Plan, day: date) -> dict[str, Any]:
    """The plan on ``day``: the people planned (each once), their shares of women, young
    cadres and ethnic minorities against the policy targets, and the count per position."""
    entries = list(plan_entries_on(plan, day))
    people = {e.member_id: e.member for e in entries}
    profiles = [cadre_profile(m, plan.term_starts_on, rating=False) for m in people.values()]
    figures = group_figures(profiles)
    targets = {
        "women": policy.get("CADRES_PLAN_WOMEN_MIN_PERCENT"),
        "young": policy.get("CADRES_PLAN_YOUNG_MIN_PERCENT"),
        "ethnic_minority": policy.get("CADRES_PLAN_ETHNIC_MINORITY_MIN_PERCENT"),
    }
    met = {
        key: None
        if targets[key] is None or figures["shares"][key] is None
        else figures["shares"][key] >= targets[key]
        for key in targets
    }
    per_position: dict[str, int] = {}
    for e in entries:
        per_position[e.position.code] = per_position.get(e.position.code, 0) + 1
    return {
        "people": figures["size"],
        "entries": len(entries),
        "women": figures["women"],
        "young": figures["young"],
        "ethnic_minority": figures["ethnic_minority"],
        "shares": figures["shares"],
        "targets": targets,
        "met": met,
        "per_position": per_position,
    }


def plan_review_changes(plan: Plan, year: int) -> dict[str, list[PlanEntry]]:
    """The yearly review's changes: entries added and removed (with reason) during ``year``."""
    entries = plan.entries.select_related("member", "position")
    return {
        "added": list(entries.filter(added_on__year=year).order_by("added_on", "id")),
        "removed": list(entries.filter(removed_on__year=year).order_by("removed_on", "id")),
    }


# --- Rotations --------------------------------------------------------------------------------


def due_to_return(*, user, day: date, days: int | None = None) -> QuerySet:
    """Rotations not yet ended whose planned end falls on or before ``day`` + ``days`` (policy
    ``CADRES_RETURN_NOTICE_DAYS``): overdue ones included."""
    days = policy.get("CADRES_RETURN_NOTICE_DAYS") if days is None else days
    return (
        rotation_visible_to(user)
        .filter(actual_end__isnull=True, planned_end__isnull=False, starts_on__lte=day)
        .filter(planned_end__lte=day + timedelta(days=days))
        .order_by("planned_end", "id")
    )


def rotation_list(
    *, user, organization: Organization | None = None, due_on: date | None = None
) -> QuerySet:
    qs = rotation_visible_to(user) if due_on is None else due_to_return(user=user, day=due_on)
    if organization is not None:
        qs = qs.filter(Q(from_organization=organization) | Q(to_organization=organization))
    return qs.order_by("-starts_on", "id") if due_on is None else qs


def level_of(organization: Organization, day: date) -> str:
    return organization_level(organization, day)


@dataclass
class Record:
    """The cadre record (Mẫu 2C/TCTW-98) of a member."""

    member: Member
    day: date
    profile: dict[str, Any]
    posts: list[Appointment] = field(default_factory=list)
    plans: list[PlanEntry] = field(default_factory=list)
    rotations: list[Rotation] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    discipline: list[PlanEntry] = field(default_factory=list)


def cadre_record(*, user, member: Member, day: date) -> Record:
    """Everything the Mẫu 2C/TCTW-98 shows of a member, as far as the user's scope reaches."""
    return Record(
        member=member,
        day=day,
        profile=cadre_profile(member, day),
        posts=list(posts_of(user=user, member=member)),
        plans=list(plan_entry_visible_to(user).filter(member=member).order_by("added_on", "id")),
        rotations=list(rotation_visible_to(user).filter(member=member).order_by("starts_on")),
        ratings=list(
            Rating.objects.visible_to(user)
            .filter(subject=Subject.MEMBER, member=member)
            .order_by("period_start")
        ),
        discipline=list(
            plan_entry_visible_to(user)
            .filter(member=member, discipline__gt="")
            .order_by("disciplined_on")
        ),
    )
