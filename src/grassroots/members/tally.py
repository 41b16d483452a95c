"""Subtree tallies: the members and admissions of the large subtrees, kept current in the write
transaction (``members.SubtreeTally``; docs/performance.md, "The root, cold").

A membership span of organisation X over [from, to) and a closure row "A above X over
[from, to)" intersect in the interval during which the span counts for A: the tally of A gets
+1 (in the span's status column, and in ``exempted`` when exempted) on the first day of the
intersection and −1 on the day it ends. An effective admission of X dated d counts for A when the
closure row is valid on d. So, for every tallied A:

- members of Subtree(A, D) on D = the sum of A's rows dated on or before D;
- admissions of A over D1..D2 = the sum of ``admitted`` of A's rows dated D1..D2.

Both equal the definitions of DOMAIN.md over the spans and the closure table, whatever the
reorganisations (an organisation that leaves A's subtree takes its members with it on that
day, because its closure row ends there). The tally changes when either side changes:

- a member's events (:func:`tracking_members`, around the event and the span rewrite);
- the closure of the organisations (:func:`closure_rewritten`, a listener of
  :func:`grassroots.core.hierarchy.rebuild_closure`);
- bulk writers (the import, the demo) rebuild it once, set-based (:func:`deferred`,
  :func:`rebuild`).

Only organisations that are ever of kind ``committee`` are tallied: below them a subtree is a
grassroots committee's, which the spans answer directly in milliseconds.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from django.db import connection
from django.db.models import Q, Sum

from grassroots.core import hierarchy
from grassroots.members.models import (
    TALLY_ANCHOR,
    EventKind,
    MemberEvent,
    MembershipSpan,
    Status,
    SubtreeTally,
)
from grassroots.organizations.models import (
    OrganizationClosure,
    OrganizationKind,
    OrganizationVersion,
)

COLUMNS = ("official", "probationary", "exempted", "admitted")
Vector = tuple[int, int, int, int]
#: What a member contributes: (organisation, start, end, vector); an admission is a point
#: (end is the start itself).
Item = tuple[int, date, date | None, Vector]
ClosureSpan = tuple[int, int, date, date | None]  # ancestor, descendant, valid_from, valid_to

_state = threading.local()


def _deferred() -> bool:
    return getattr(_state, "deferred", 0) > 0


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Bulk writers: no upkeep row by row; the whole tally is rebuilt once at the end (in the
    caller's transaction)."""
    _state.deferred = getattr(_state, "deferred", 0) + 1
    try:
        yield
    finally:
        _state.deferred -= 1
    if not _deferred():
        rebuild()


# --- What is tallied ----------------------------------------------------------------------------


def tallied_kind_ids() -> set[int]:
    """Organisations that are ever of kind committee: those whose tallies are kept."""
    return set(
        OrganizationVersion.objects.filter(kind=OrganizationKind.COMMITTEE)
        .values_list("organization_id", flat=True)
        .distinct()
    )


def anchored_ids() -> set[int]:
    return set(
        SubtreeTally.objects.filter(date=TALLY_ANCHOR).values_list("organization_id", flat=True)
    )


def is_tallied(organization) -> bool:
    """True when the tally of ``organization`` is kept (it has its anchor row)."""
    return SubtreeTally.objects.filter(
        organization_id=getattr(organization, "pk", organization), date=TALLY_ANCHOR
    ).exists()


# --- Reading ------------------------------------------------------------------------------------


def members_on(organization, day: date) -> dict[str, int] | None:
    """Members of Subtree(O, D) on D by status and exempted, from the tally; None when O is not
    tallied (the caller counts the spans)."""
    row = SubtreeTally.objects.filter(
        organization_id=getattr(organization, "pk", organization), date__lte=day
    ).aggregate(
        anchor=Sum(1, filter=Q(date=TALLY_ANCHOR)),
        official=Sum("official"),
        probationary=Sum("probationary"),
        exempted=Sum("exempted"),
    )
    if not row["anchor"]:
        return None
    return {name: row[name] or 0 for name in ("official", "probationary", "exempted")}


def admissions_by_year(organization, start: date, end: date) -> dict[int, int] | None:
    """Admissions of O dated ``start``..``end`` per year, from the tally; None when O is not
    tallied."""
    rows = SubtreeTally.objects.filter(
        Q(date=TALLY_ANCHOR) | Q(date__gte=start, date__lte=end, admitted__gt=0),
        organization_id=getattr(organization, "pk", organization),
    ).values_list("date", "admitted")
    counted: Counter[int] = Counter()
    anchored = False
    for day, admitted in rows:  # one statement: the anchor and the period's admissions
        if day == TALLY_ANCHOR:
            anchored = True
        else:
            counted[day.year] += admitted
    return dict(counted) if anchored else None


# --- The contributions --------------------------------------------------------------------------


def _span_vector(status: str, exempted: bool) -> Vector:
    return (
        int(status == Status.OFFICIAL),
        int(status == Status.PROBATIONARY),
        int(exempted),
        0,
    )


ADMITTED: Vector = (0, 0, 0, 1)


def member_items(member_ids: Iterable[int]) -> Counter[Item]:
    """What these members contribute: their spans and their effective admissions."""
    return _items(Q(member_id__in=list(member_ids)))


def organization_items(organization_ids: Iterable[int]) -> Counter[Item]:
    """What is contributed at these organisations: spans there and admissions into them."""
    return _items(Q(organization_id__in=list(organization_ids)))


def _items(where: Q) -> Counter[Item]:
    items: Counter[Item] = Counter()
    spans = MembershipSpan.objects.filter(where).values_list(
        "organization_id", "valid_from", "valid_to", "status", "exempted"
    )
    for org, start, end, status, exempted in spans:
        items[(org, start, end, _span_vector(status, exempted))] += 1
    admissions = (
        MemberEvent.objects.filter(where, kind=EventKind.ADMITTED, superseded_by__isnull=True)
        .exclude(organization__isnull=True)
        .values_list("organization_id", "date")
    )
    for org, day in admissions:
        items[(org, day, day, ADMITTED)] += 1
    return items


def closure_of(organization_ids: Iterable[int], ancestors: set[int]) -> list[ClosureSpan]:
    """Closure rows of these descendants whose ancestor is tallied."""
    ids = list(organization_ids)
    if not ids or not ancestors:
        return []
    return list(
        OrganizationClosure.objects.filter(
            descendant_id__in=ids, ancestor_id__in=list(ancestors)
        ).values_list("ancestor_id", "descendant_id", "valid_from", "valid_to")
    )


def changes(items: Counter[Item], closure: Iterable[ClosureSpan]) -> dict:
    """The tally rows that ``items`` make under ``closure``: (ancestor, day) → amounts."""
    by_descendant: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for ancestor, descendant, start, end in closure:
        by_descendant[descendant].append((ancestor, start, end))
    out: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add(key: tuple[int, date], vector: Vector, times: int) -> None:
        row = out[key]
        for i, value in enumerate(vector):
            row[i] += value * times

    for (org, start, end, vector), times in items.items():
        for ancestor, c_start, c_end in by_descendant.get(org, ()):
            if vector == ADMITTED:
                if c_start <= start and (c_end is None or start < c_end):
                    add((ancestor, start), vector, times)
                continue
            low = max(start, c_start)
            high = c_end if end is None else end if c_end is None else min(end, c_end)
            if high is not None and high <= low:
                continue
            add((ancestor, low), vector, times)
            if high is not None:
                add((ancestor, high), vector, -times)
    return out


def _difference(after: dict, before: dict) -> dict[tuple[int, date], list[int]]:
    result = {}
    for key in after.keys() | before.keys():
        a, b = after.get(key, (0, 0, 0, 0)), before.get(key, (0, 0, 0, 0))
        row = [x - y for x, y in zip(a, b, strict=True)]
        if any(row):
            result[key] = row
    return result


def apply(rows: dict[tuple[int, date], list[int]]) -> None:
    """Add these amounts to the tally rows (created when missing), in one statement per
    thousand rows (``INSERT … ON CONFLICT DO UPDATE``, both databases)."""
    if not rows:
        return
    table = connection.ops.quote_name(SubtreeTally._meta.db_table)
    columns = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COLUMNS)
    items = sorted(rows.items())  # one order for every writer: no deadlock between two
    with connection.cursor() as cursor:
        for first in range(0, len(items), 1000):
            chunk = items[first : first + 1000]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list = []
            for (org, day), amounts in chunk:
                params += [org, day, *amounts]
            cursor.execute(
                f"INSERT INTO {table} (organization_id, date, {columns}) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (organization_id, date) DO UPDATE SET {updates}",
                params,
            )


# --- Upkeep -------------------------------------------------------------------------------------


@contextlib.contextmanager
def tracking_members(member_ids: Iterable[int]) -> Iterator[None]:
    """Around a change of these members' events and spans: the tally follows the difference."""
    ids = list(member_ids)
    if _deferred():
        yield
        return
    before = member_items(ids)
    yield
    after = member_items(ids)
    if before == after:
        return
    changed = after.copy()
    changed.subtract(before)
    organizations = {item[0] for item, times in changed.items() if times}
    closure = closure_of(organizations, anchored_ids())
    apply(_difference(changes(after, closure), changes(before, closure)))


@contextlib.contextmanager
def closure_rewritten(model, affected: set[int] | None) -> Iterator[None]:
    """Listener of the closure rebuild: the tally follows the closure rows of the tallied
    ancestors that changed, then the set of tallied organisations."""
    if model is not OrganizationClosure or _deferred():
        yield
        return
    if affected is None:
        yield
        rebuild()
        return
    anchored = anchored_ids()
    before = closure_of(affected, anchored)
    yield
    after = closure_of(affected, anchored)
    if Counter(before) != Counter(after):
        descendants = {row[1] for row in set(before) ^ set(after)}
        items = organization_items(descendants)
        apply(_difference(changes(items, after), changes(items, before)))
    _sync_tallied(anchored)


def _sync_tallied(anchored: set[int]) -> None:
    """Start the tally of an organisation that became a committee; drop the tally of one that
    no longer is."""
    wanted = tallied_kind_ids()
    gone = anchored - wanted
    if gone:
        SubtreeTally.objects.filter(organization_id__in=gone).delete()
    for organization_id in sorted(wanted - anchored):
        rebuild(organization_id)


hierarchy.REWRITE_LISTENERS.append(closure_rewritten)


# --- Rebuilding, set-based ----------------------------------------------------------------------


def _case_greater(a: str, b: str) -> str:
    return f"CASE WHEN {a} > {b} THEN {a} ELSE {b} END"


def _end_of_both(a: str, b: str) -> str:
    """The earlier of two interval ends, NULL standing for no end (open)."""
    return (
        f"CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL THEN {a} "
        f"WHEN {a} < {b} THEN {a} ELSE {b} END"
    )


def rebuild(organization_id: int | None = None) -> None:
    """Recompute the tallies of every committee (or of one) from the spans, the admissions and
    the closure: three aggregate statements, whatever the size."""
    q = connection.ops.quote_name
    tally = q(SubtreeTally._meta.db_table)
    spans = q(MembershipSpan._meta.db_table)
    events = q(MemberEvent._meta.db_table)
    closure = q(OrganizationClosure._meta.db_table)
    versions = q(OrganizationVersion._meta.db_table)
    if organization_id is None:
        SubtreeTally.objects.all().delete()
        tallied = f"SELECT DISTINCT organization_id FROM {versions} WHERE kind = %s"  # noqa: S608
        params: list = [OrganizationKind.COMMITTEE]
    else:
        SubtreeTally.objects.filter(organization_id=organization_id).delete()
        tallied = "SELECT %s AS organization_id"
        params = [organization_id]
    official = f"CASE WHEN s.status = '{Status.OFFICIAL}' THEN 1 ELSE 0 END"
    probationary = f"CASE WHEN s.status = '{Status.PROBATIONARY}' THEN 1 ELSE 0 END"
    exempted = "CASE WHEN s.exempted THEN 1 ELSE 0 END"
    start = _case_greater("s.valid_from", "c.valid_from")
    end = _end_of_both("s.valid_to", "c.valid_to")
    joined = (
        f"FROM {spans} s JOIN {closure} c ON c.descendant_id = s.organization_id "
        f"WHERE c.ancestor_id IN ({tallied}) "
        "AND (c.valid_to IS NULL OR s.valid_from < c.valid_to) "
        "AND (s.valid_to IS NULL OR c.valid_from < s.valid_to)"
    )
    sql = f"""
        INSERT INTO {tally} (organization_id, date, official, probationary, exempted, admitted)
        SELECT organization_id, day, SUM(o), SUM(p), SUM(e), SUM(a) FROM (
            SELECT c.ancestor_id AS organization_id, {start} AS day,
                   {official} AS o, {probationary} AS p, {exempted} AS e, 0 AS a
            {joined}
            UNION ALL
            SELECT c.ancestor_id, {end}, -{official}, -{probationary}, -{exempted}, 0
            {joined} AND (s.valid_to IS NOT NULL OR c.valid_to IS NOT NULL)
            UNION ALL
            SELECT c.ancestor_id, ev.date, 0, 0, 0, 1
            FROM {events} ev JOIN {closure} c ON c.descendant_id = ev.organization_id
            WHERE c.ancestor_id IN ({tallied}) AND ev.kind = %s
              AND NOT EXISTS (SELECT 1 FROM {events} x WHERE x.supersedes_id = ev.id)
              AND c.valid_from <= ev.date AND (c.valid_to IS NULL OR ev.date < c.valid_to)
            UNION ALL
            SELECT anchors.organization_id, %s, 0, 0, 0, 0 FROM ({tallied}) anchors
        ) changes
        GROUP BY organization_id, day
        HAVING SUM(o) <> 0 OR SUM(p) <> 0 OR SUM(e) <> 0 OR SUM(a) <> 0 OR day = %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*params, *params, *params, EventKind.ADMITTED, TALLY_ANCHOR, *params,
                  TALLY_ANCHOR]
        )  # fmt: skip
