"""The basic statistical forms 1-BTCTW, 2-BTCTW and 3-BTCTW (Hướng dẫn 11-HD/BTCTW) computed
from the live records: their JSON objects (INTERCHANGE.md, "More figures on the command line")
and the record behind every number.

Each form is computed once as a set of record ids per number (``Tally``): the number is the size
of the set, the drill-down lists exactly that set. Definitions (DOMAIN.md, "Official statistical
forms"; docs/reports.md):

- **1-BTCTW** over D1..D2: ``start`` members (probationary or official) in Subtree(O, D1 − 1)
  on D1 − 1; ``end`` the same on D2; increases and decreases from the effective member events
  dated D1..D2, each judged against Subtree(O, event date) — ``before`` the member's span ending
  that day is in it, ``after`` the span valid that day is in it:
  ``admitted`` (admitted, after), ``restored`` (joined after an earlier departure for expulsion
  or removal, after), ``transferred_in`` (other joins, after; moves, after and not before),
  ``died``/``expelled``/``resigned`` (left for that reason, before), ``removed`` (left for
  removal or not confirmed, before; ``of_which.removed_probationary`` when the member was
  probationary), ``transferred_out`` (left transferred out, before; moves, before and not
  after); ``reorganised_in``/``reorganised_out``: on each day d of D1..D2 on which Subtree(O)
  changes, the members whose span of d − 1 was outside Subtree(O, d − 1) and inside
  Subtree(O, d), or the reverse. So start + Σ increase − Σ decrease = end.
- **2-BTCTW** over D1..D2: the ``admitted`` events of the ``admissions`` figure (organisation
  in Subtree(O, date)); profile values and age on the admission day.
- **3-BTCTW** on D: the members in Subtree(O, D) on D; profile values and age on D.

Age is in full years; ``18-30`` holds everyone up to 30. ``ethnic_minority``: ethnicity recorded
and not Kinh; ``religious``: religion recorded and not "Không"; ``youth_union``: Youth Union
date recorded on or before the day and age at most 30 (members of the Youth Union are up to 30,
Điều lệ Đoàn). Profile values (occupation group, education, training, title, political theory)
are those valid on the day (the dated changes, Mẫu 3-HSĐV). A blank value is counted nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from grassroots import policy
from grassroots.core.temporal import valid_on
from grassroots.core.text import fold
from grassroots.members import profile
from grassroots.members.figures import admitted_events
from grassroots.members.models import (
    EventKind,
    LeftReason,
    Member,
    MemberEvent,
    MemberProcedure,
    MembershipSpan,
    ProcedureKind,
)
from grassroots.members.selectors import profile_value_on
from grassroots.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationKind,
    OrganizationVersion,
    UnitType,
)
from grassroots.statistics.selectors import member_spans_on, movement_events_annotated

INCREASE = ("admitted", "transferred_in", "restored", "reorganised_in")
DECREASE = ("died", "expelled", "removed", "resigned", "transferred_out", "reorganised_out")
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("18-30", 0, 30),
    ("31-35", 31, 35),
    ("36-40", 36, 40),
    ("41-45", 41, 45),
    ("46-50", 46, 50),
    ("51-55", 51, 55),
    ("56-60", 56, 60),
    ("over_60", 61, None),
)
#: Periods of admission (Biểu 3-BTCTW): key, first day, last day.
ERAS: tuple[tuple[str, date | None, date | None], ...] = (
    ("before_1945_08_19", None, date(1945, 8, 18)),
    ("1945_08_19_to_1954_07_20", date(1945, 8, 19), date(1954, 7, 20)),
    ("1954_07_21_to_1975_04_30", date(1954, 7, 21), date(1975, 4, 30)),
    ("from_1975_05_01", date(1975, 5, 1), None),
)
#: The categorical breakdowns: JSON key → (member field, its choices).
BREAKDOWNS: dict[str, tuple[str, Any]] = {
    "occupation": ("occupation_group", profile.OccupationGroup),
    "general_education": ("general_education", profile.GeneralEducation),
    "specialist_training": ("specialist_training", profile.SpecialistTraining),
    "academic_title": ("academic_title", profile.AcademicTitle),
    "political_theory": ("political_theory", profile.PoliticalTheory),
}
FLAGS = ("women", "probationary", "ethnic_minority", "religious", "youth_union")
REMOVED_REASONS = (LeftReason.REMOVED, LeftReason.NOT_CONFIRMED)
RESTORING_REASONS = (LeftReason.EXPELLED, LeftReason.REMOVED)


@dataclass
class Tally:
    """Record ids per number path; ``kind`` names the records (``members``, ``events``)."""

    kinds: dict[str, str] = field(default_factory=dict)
    ids: dict[str, set[Any]] = field(default_factory=dict)

    def add(self, path: str, pk: Any, kind: str) -> None:
        """Count record ``pk`` under ``path``; ``pk`` may be ``(pk, day)`` when one record
        counts once per day (a member moved by two reorganisations)."""
        self.ids.setdefault(path, set()).add(pk)
        self.kinds[path] = kind

    def declare(self, paths: Iterable[str], kind: str) -> None:
        for path in paths:
            self.ids.setdefault(path, set())
            self.kinds[path] = kind

    def count(self, path: str) -> int:
        return len(self.ids.get(path, ()))

    def records(self, path: str) -> tuple[str, QuerySet] | None:
        if path not in self.ids:
            return None
        kind = self.kinds[path]
        pks = sorted({key[0] if isinstance(key, tuple) else key for key in self.ids[path]})
        if kind == "organizations":
            versions = OrganizationVersion.objects.filter(pk__in=pks)
            return kind, versions.select_related("organization").order_by("name", "pk")
        if kind == "procedures":
            found = MemberProcedure.objects.filter(pk__in=pks)
            return kind, found.select_related("member").order_by("date", "pk")
        if kind == "events":
            events = MemberEvent.objects.filter(pk__in=pks)
            return kind, events.select_related("member", "organization").order_by("date", "pk")
        return kind, Member.objects.filter(pk__in=pks).order_by("name_key", "id")


def full_years(birth: date, day: date) -> int:
    return policy.age_in_months(birth, day) // 12


def age_band(years: int) -> str:
    for key, low, high in AGE_BANDS:
        if years >= low and (high is None or years <= high):
            return key
    return AGE_BANDS[0][0]  # pragma: no cover - the first band starts at 0


def era(day: date | None) -> str | None:
    if day is None:
        return None
    for key, first, last in ERAS:
        if (first is None or day >= first) and (last is None or day <= last):
            return key
    return None  # pragma: no cover - the eras cover every day


# --- 1-BTCTW ------------------------------------------------------------------------------------


def _subtree(organization: Organization, day: date) -> QuerySet:
    return OrganizationClosure.objects.filter(valid_on(day), ancestor_id=organization.pk).values(
        "descendant_id"
    )


def _change_days(organization: Organization, start: date, end: date) -> list[date]:
    """The days of ``start``..``end`` on which Subtree(O) is not the subtree of the day
    before: the first and the end days of its closure rows."""
    rows = OrganizationClosure.objects.filter(ancestor_id=organization.pk)
    days: set[date] = set(
        rows.filter(valid_from__gte=start, valid_from__lte=end).values_list("valid_from", flat=True)
    )
    ends = rows.filter(valid_to__gte=start, valid_to__lte=end).values_list("valid_to", flat=True)
    days |= {day for day in ends if day is not None}
    return sorted(days)


def form1_tally(organization: Organization, start: date, end: date) -> Tally:
    tally = Tally()
    tally.declare(("start", "end"), "members")
    tally.declare([f"increase.{k}" for k in INCREASE], "events")
    tally.declare([f"decrease.{k}" for k in DECREASE], "events")
    tally.declare(("increase.reorganised_in", "decrease.reorganised_out"), "members")
    tally.declare(("of_which.removed_probationary",), "events")
    before_start = start - timedelta(days=1)
    for pk in member_spans_on(organization=organization, day=before_start).values_list(
        "member_id", flat=True
    ):
        tally.add("start", pk, "members")
    for pk in member_spans_on(organization=organization, day=end).values_list(
        "member_id", flat=True
    ):
        tally.add("end", pk, "members")

    ending_status = MembershipSpan.objects.filter(
        member_id=OuterRef("member_id"), valid_to=OuterRef("date")
    ).values("status")[:1]
    left_before = MemberEvent.objects.filter(
        member_id=OuterRef("member_id"),
        kind=EventKind.LEFT,
        reason__in=RESTORING_REASONS,
        superseded_by__isnull=True,
        date__lt=OuterRef("date"),
    )
    events = (
        movement_events_annotated(organization=organization, start=start, end=end)
        .annotate(ending_status=Subquery(ending_status), restoring=Exists(left_before))
        .values_list("pk", "kind", "reason", "before", "after", "ending_status", "restoring")
    )
    joins = (EventKind.JOINED_OFFICIAL, EventKind.JOINED_PROBATIONARY)
    for pk, kind, reason, before, after, status, restoring in events:
        path = None
        if kind == EventKind.ADMITTED and after:
            path = "increase.admitted"
        elif kind in joins and after:
            path = "increase.restored" if restoring else "increase.transferred_in"
        elif kind == EventKind.MOVED and after and not before:
            path = "increase.transferred_in"
        elif kind == EventKind.MOVED and before and not after:
            path = "decrease.transferred_out"
        elif kind == EventKind.LEFT and before:
            path = "decrease.removed" if reason in REMOVED_REASONS else f"decrease.{reason}"
            if reason in REMOVED_REASONS and status == "probationary":
                tally.add("of_which.removed_probationary", pk, "events")
        if path is not None:
            tally.add(path, pk, "events")

    for day in _change_days(organization, start, end):
        previous = day - timedelta(days=1)
        spans = MembershipSpan.objects.filter(valid_on(previous))
        inside_before = Q(organization_id__in=_subtree(organization, previous))
        inside_after = Q(organization_id__in=_subtree(organization, day))
        for pk in spans.filter(~inside_before & inside_after).values_list("member_id", flat=True):
            tally.add("increase.reorganised_in", (pk, day), "members")
        for pk in spans.filter(inside_before & ~inside_after).values_list("member_id", flat=True):
            tally.add("decrease.reorganised_out", (pk, day), "members")
    return tally


def form1(organization: Organization, start: date, end: date, tally: Tally | None = None) -> dict:
    tally = tally or form1_tally(organization, start, end)
    return {
        "form": "1-BTCTW",
        "organization": organization.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "start": tally.count("start"),
        "increase": {k: tally.count(f"increase.{k}") for k in INCREASE},
        "decrease": {k: tally.count(f"decrease.{k}") for k in DECREASE},
        "of_which": {"removed_probationary": tally.count("of_which.removed_probationary")},
        "end": tally.count("end"),
    }


# --- 2-BTCTW and 3-BTCTW: profiles -------------------------------------------------------------


def _profile_rows(queryset: QuerySet, day: Any, *, member: str) -> QuerySet:
    """``queryset`` rows pointing at a member (column ``member``) annotated with the member's
    profile values on ``day`` (a date or an expression)."""
    prefix = "" if member == "pk" else "member__"
    annotations = {
        f"p_{name}": profile_value_on(
            field_name, day, member="pk" if member == "pk" else member, base=f"{prefix}{field_name}"
        )
        for name, (field_name, _choices) in BREAKDOWNS.items()
    }
    first_admission = (
        MemberEvent.objects.filter(
            member_id=OuterRef(member), kind=EventKind.ADMITTED, superseded_by__isnull=True
        )
        .order_by("date")
        .values("date")[:1]
    )
    annotations["p_admitted_on"] = Coalesce(F(f"{prefix}admitted_on"), Subquery(first_admission))
    return queryset.annotate(**annotations)


def _profile_tally(rows: Iterable[dict], *, with_status: bool) -> tuple[Tally, list[int]]:
    tally = Tally()
    tally.declare(("total", *(f for f in FLAGS if with_status or f != "probationary")), "members")
    tally.declare([f"age.{key}" for key, _l, _h in AGE_BANDS], "members")
    for name, (_f, choices) in BREAKDOWNS.items():
        tally.declare([f"{name}.{value}" for value in choices.values], "members")
    tally.declare([f"admitted_era.{key}" for key, _f, _l in ERAS], "members")
    ages: list[int] = []
    for row in rows:
        pk, day = row["member_id"], row["day"]
        tally.add("total", pk, "members")
        years = full_years(row["birth_date"], day)
        ages.append(years)
        tally.add(f"age.{age_band(years)}", pk, "members")
        if row["gender"] == "female":
            tally.add("women", pk, "members")
        if with_status and row.get("status") == "probationary":
            tally.add("probationary", pk, "members")
        if row["ethnicity"] and row["ethnicity"] != profile.MAJORITY:
            tally.add("ethnic_minority", pk, "members")
        if row["religion"] and row["religion"] != profile.NO_RELIGION:
            tally.add("religious", pk, "members")
        youth = row["youth_union_date"]
        if youth is not None and youth <= day and years <= policy.get("YOUTH_UNION_MAX_AGE"):
            tally.add("youth_union", pk, "members")
        for name in BREAKDOWNS:
            value = row[f"p_{name}"]
            if f"{name}.{value}" in tally.ids:
                tally.add(f"{name}.{value}", pk, "members")
        key = era(row["p_admitted_on"])
        if key is not None:
            tally.add(f"admitted_era.{key}", pk, "members")
    return tally, ages


def _profile_result(tally: Tally, ages: list[int], *, with_status: bool) -> dict:
    result: dict[str, Any] = {"total": tally.count("total")}
    for flag in FLAGS:
        if with_status or flag != "probationary":
            result[flag] = tally.count(flag)
    result["age"] = {key: tally.count(f"age.{key}") for key, _l, _h in AGE_BANDS}
    result["mean_age"] = round(sum(ages) / len(ages), 1) if ages else 0.0
    for name, (_f, choices) in BREAKDOWNS.items():
        result[name] = {value: tally.count(f"{name}.{value}") for value in choices.values}
    result["admitted_era"] = {key: tally.count(f"admitted_era.{key}") for key, _f, _l in ERAS}
    return result


MEMBER_COLUMNS = ("birth_date", "gender", "ethnicity", "religion", "youth_union_date")


def form2_tally(
    organization: Organization, start: date, end: date
) -> tuple[Tally, list[int], QuerySet]:
    events = admitted_events(organization=organization, start=start, end=end)
    rows = _profile_rows(events, OuterRef("date"), member="member_id").values(
        "pk",
        "member_id",
        "date",
        *(f"member__{c}" for c in MEMBER_COLUMNS),
        *(f"p_{n}" for n in BREAKDOWNS),
        "p_admitted_on",
    )
    prepared = [
        {
            **{c: row[f"member__{c}"] for c in MEMBER_COLUMNS},
            **row,
            "day": row["date"],
        }
        for row in rows
    ]
    tally, ages = _profile_tally(prepared, with_status=False)
    return tally, ages, events


def form2(organization: Organization, start: date, end: date) -> dict:
    tally, ages, _events = form2_tally(organization, start, end)
    return {
        "form": "2-BTCTW",
        "organization": organization.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        **_profile_result(tally, ages, with_status=False),
    }


def form3_tally(organization: Organization, day: date) -> tuple[Tally, list[int]]:
    spans = member_spans_on(organization=organization, day=day)
    rows = _profile_rows(spans, day, member="member_id").values(
        "member_id",
        "status",
        *(f"member__{c}" for c in MEMBER_COLUMNS),
        *(f"p_{n}" for n in BREAKDOWNS),
        "p_admitted_on",
    )
    prepared = [
        {**{c: row[f"member__{c}"] for c in MEMBER_COLUMNS}, **row, "day": day} for row in rows
    ]
    return _profile_tally(prepared, with_status=True)


def form3(organization: Organization, day: date) -> dict:
    tally, ages = form3_tally(organization, day)
    return {
        "form": "3-BTCTW",
        "organization": organization.code,
        "as_of": day.isoformat(),
        **_profile_result(tally, ages, with_status=True),
    }


# --- 4-BTCTW: ethnicity and religion ----------------------------------------------------------

#: The rows of each group of 4-BTCTW: everyone, and of which women.
SEXES = ("total", "women")
#: Ethnicity recorded but not in the official list (an old spelling kept by an import).
OTHER_ETHNICITY = profile.OTHER_ETHNICITY


def _clean_key(value: str) -> str:
    """A recorded value as a key of the JSON object: a dot would split the number's path."""
    return " ".join(value.replace(".", " ").split())


def form4_tally(organization: Organization, day: date) -> tuple[Tally, list[str]]:
    """4-BTCTW on ``day``: the members in Subtree(O, D) on D by ethnicity and by religion, each
    with its women. Ethnicity and religion are the member's own fields (not dated: the Phiếu
    bổ sung hồ sơ does not change them). Returns the tally and the religions found (sorted)."""
    tally = Tally()
    tally.declare(
        [*SEXES, *(f"{k}.{s}" for k in ("ethnic_minority", "religious") for s in SEXES)], "members"
    )
    tally.declare(
        [
            f"ethnicity.{e}.{sex}"
            for e in (*profile.ETHNICITY_CHOICES, OTHER_ETHNICITY)
            for sex in SEXES
        ],
        "members",
    )
    known = set(profile.ETHNICITY_CHOICES)
    religions: set[str] = set()
    rows = member_spans_on(organization=organization, day=day).values_list(
        "member_id", "member__gender", "member__ethnicity", "member__religion"
    )
    for pk, gender, ethnicity, religion in rows:
        sexes = ("total", "women") if gender == "female" else ("total",)
        ethnicity, religion = (ethnicity or "").strip(), _clean_key(religion or "")
        groups = [""]
        if ethnicity:
            groups.append(f"ethnicity.{ethnicity if ethnicity in known else OTHER_ETHNICITY}")
            if ethnicity != profile.MAJORITY:
                groups.append("ethnic_minority")
        if religion and religion != profile.NO_RELIGION:
            groups += ["religious", f"religion.{religion}"]
            if religion not in religions:
                religions.add(religion)
                tally.declare([f"religion.{religion}.{s}" for s in SEXES], "members")
        for group in groups:
            for sex in sexes:
                tally.add(f"{group}.{sex}" if group else sex, pk, "members")
    return tally, sorted(religions, key=lambda r: (fold(r), r))


def form4(organization: Organization, day: date) -> dict:
    tally, religions = form4_tally(organization, day)

    def pair(key: str) -> dict[str, int]:
        return {sex: tally.count(f"{key}.{sex}") for sex in SEXES}

    return {
        "form": "4-BTCTW",
        "organization": organization.code,
        "as_of": day.isoformat(),
        **{sex: tally.count(sex) for sex in SEXES},
        "ethnic_minority": pair("ethnic_minority"),
        "ethnicity": {
            e: pair(f"ethnicity.{e}") for e in (*profile.ETHNICITY_CHOICES, OTHER_ETHNICITY)
        },
        "religious": pair("religious"),
        "religion": {r: pair(f"religion.{r}") for r in religions},
    }


# --- 7-BTCTW: badges, cards, transfers ---------------------------------------------------------


def procedures_in(organization: Organization, start: date, end: date, kind: str) -> QuerySet:
    """The member procedures of ``kind`` dated ``start``..``end`` of members whose span valid on
    the procedure's date lies in Subtree(O, that date)."""
    inside = OrganizationClosure.objects.filter(
        valid_on(OuterRef(OuterRef("date"))),
        ancestor_id=organization.pk,
        descendant_id=OuterRef("organization_id"),
    )
    span = MembershipSpan.objects.filter(
        valid_on(OuterRef("date")), Exists(inside), member_id=OuterRef("member_id")
    )
    return MemberProcedure.objects.filter(Exists(span), kind=kind, date__gte=start, date__lte=end)


def form7_tally(organization: Organization, start: date, end: date) -> Tally:
    """7-BTCTW over D1..D2: the party badges awarded (per milestone), the party cards issued —
    procedures of members in Subtree(O, date) on their date — and the transfers in and out
    (form 1's ``transferred_in`` and ``transferred_out`` events)."""
    tally = Tally()
    milestones = policy.get("BADGE_YEARS")
    tally.declare([f"badges.{years}" for years in milestones], "procedures")
    tally.declare(("cards",), "procedures")
    tally.declare(("transfers.transferred_in", "transfers.transferred_out"), "events")
    badges = procedures_in(organization, start, end, ProcedureKind.BADGE)
    for pk, years in badges.values_list("pk", "badge_years"):
        if f"badges.{years}" in tally.ids:
            tally.add(f"badges.{years}", pk, "procedures")
    for pk in procedures_in(organization, start, end, ProcedureKind.CARD).values_list(
        "pk", flat=True
    ):
        tally.add("cards", pk, "procedures")
    moves = form1_tally(organization, start, end)
    for key, path in (("transferred_in", "increase"), ("transferred_out", "decrease")):
        for pk in moves.ids[f"{path}.{key}"]:
            tally.add(f"transfers.{key}", pk, "events")
    return tally


def form7(organization: Organization, start: date, end: date) -> dict:
    tally = form7_tally(organization, start, end)
    return {
        "form": "7-BTCTW",
        "organization": organization.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "badges": {
            str(years): tally.count(f"badges.{years}") for years in policy.get("BADGE_YEARS")
        },
        "cards": tally.count("cards"),
        "transfers": {
            key: tally.count(f"transfers.{key}") for key in ("transferred_in", "transferred_out")
        },
    }


# --- 5-BTCTW: grassroots organisations by type of unit -----------------------------------------

#: The unit type of a grassroots organisation whose version records none.
UNSPECIFIED = "unspecified"
#: The numbers of each type of unit.
UNIT_COUNTS = ("grassroots_committees", "grassroots_cells", "cells", "members")
_GRASSROOTS: dict[str, str] = {
    OrganizationKind.GRASSROOTS_COMMITTEE: "grassroots_committees",
    OrganizationKind.GRASSROOTS_CELL: "grassroots_cells",
}


def unit_types() -> list[str]:
    return [*UnitType.values, UNSPECIFIED]


def form5_tally(organization: Organization, day: date) -> Tally:
    """5-BTCTW on ``day``: the grassroots organisations (grassroots committees and cells) valid
    on D in Subtree(O, D), each under the unit type of its version on D; the cells under each
    (kind ``cell`` in its subtree on D); the members whose organisation on D lies in its
    subtree. Each number also as a total over the types."""
    tally = Tally()
    tally.declare(("grassroots_committees", "grassroots_cells", "cells"), "organizations")
    tally.declare(("members",), "members")
    for unit in unit_types():
        tally.declare([f"by_unit_type.{unit}.{k}" for k in UNIT_COUNTS[:3]], "organizations")
        tally.declare((f"by_unit_type.{unit}.members",), "members")
    grassroots = OrganizationVersion.objects.filter(
        valid_on(day), organization_id__in=_subtree(organization, day), kind__in=list(_GRASSROOTS)
    ).values_list("pk", "organization_id", "kind", "unit_type")
    unit_of: dict[int, str] = {}
    for pk, organization_id, kind, unit_type in grassroots:
        unit = unit_type or UNSPECIFIED
        unit_of[organization_id] = unit
        for path in (_GRASSROOTS[kind], f"by_unit_type.{unit}.{_GRASSROOTS[kind]}"):
            tally.add(path, pk, "organizations")
    # Each organisation below a grassroots one belongs to the nearest (one level only, in
    # practice: the policy puts no grassroots organisation under another).
    owner: dict[int, int] = {}
    below = OrganizationClosure.objects.filter(valid_on(day), ancestor_id__in=list(unit_of))
    for ancestor, descendant in below.order_by("depth").values_list("ancestor_id", "descendant_id"):
        owner.setdefault(descendant, ancestor)
    cells = OrganizationVersion.objects.filter(
        valid_on(day), kind=OrganizationKind.CELL, organization_id__in=list(owner)
    ).values_list("pk", "organization_id")
    for pk, organization_id in cells:
        for path in ("cells", f"by_unit_type.{unit_of[owner[organization_id]]}.cells"):
            tally.add(path, pk, "organizations")
    spans = MembershipSpan.objects.filter(valid_on(day), organization_id__in=list(owner))
    for member_id, organization_id in spans.values_list("member_id", "organization_id"):
        for path in ("members", f"by_unit_type.{unit_of[owner[organization_id]]}.members"):
            tally.add(path, member_id, "members")
    return tally


def form5(organization: Organization, day: date) -> dict:
    tally = form5_tally(organization, day)
    return {
        "form": "5-BTCTW",
        "organization": organization.code,
        "as_of": day.isoformat(),
        **{key: tally.count(key) for key in UNIT_COUNTS},
        "by_unit_type": {
            unit: {key: tally.count(f"by_unit_type.{unit}.{key}") for key in UNIT_COUNTS}
            for unit in unit_types()
        },
    }
