"""Subtree tallies: the members and movements of the large subtrees, kept current in the write
transaction (``members.SubtreeTally``; docs/performance.md, "How the figures stay current").

A membership span of organisation X over [from, to) and a closure row "A above X over
[from, to)" intersect in the interval during which the span counts for A: the tally of A gets
+1 (in the span's status column, and in ``exempted`` when exempted) on the first day of the
intersection and −1 on the day it ends. An effective event counts on its date for every A the
movement's organisation is under that day (DOMAIN.md, "Movements"): the event's own
organisation for an admission or an arrival, the organisation after the event for a
confirmation, the one before it for a departure; a move counts as ``moved_in`` for the A above
the organisation after it but not the one before, and ``moved_out`` the other way round. So,
for every tallied A:

- members of Subtree(A, D) on D = the sum of A's rows dated on or before D;
- each movement of A over D1..D2 = the sum of its column over the rows dated D1..D2.

Both equal the definitions over the spans, the events and the closure table, whatever the
reorganisations (an organisation that leaves A's subtree takes its members with it on that
day, because its closure row ends there). The tally changes when either side changes:

- a member's events (:func:`tracking_members`, around the event and the span rewrite);
- the closure of the organisations (:func:`closure_rewritten`, a listener of
  :func:`grassroots.core.hierarchy.rebuild_closure`);
- bulk writers (the import, the demo) rebuild it once, set-based (:func:`deferred`,
  :func:`rebuild`).

Only organisations that are ever of kind ``committee`` are tallied: below them a subtree is a
grassroots committee's, which the spans and events answer directly in milliseconds.

Two more derived tables follow the same changes, kept by the same hooks:

- the places' tallies (``members.PlaceTally``, :func:`rebuild_places`): each place's members
  and official members over time, capped at 3 — the coverage figures' "without members" and
  "below three official" in one look-up per place;
- the roots' structure tallies (``members.StructureTally``, :func:`rebuild_structure`): the
  members of a root's subtree by gender, ethnicity, education, age band and party-age band,
  as changes by day — one SQL definition of what spans contribute
  (:func:`_structure_select`) serves the rebuild and, restricted to some members, the
  difference a change makes.
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
from grassroots.core.iterables import chunks
from grassroots.members import profile
from grassroots.members.models import (
    PLACE_TALLY_CAP,
    TALLY_ANCHOR,
    EventKind,
    LeftReason,
    Member,
    MemberEvent,
    MembershipSpan,
    PlaceTally,
    Status,
    StructureTally,
    SubtreeTally,
)
from grassroots.organizations.models import (
    OrganizationClosure,
    OrganizationKind,
    OrganizationVersion,
)

#: The members' columns (changes, summed up to a day).
STATE = ("official", "probationary", "exempted")
#: The movements' columns (events, summed over a period), as ``statistics.figures.movements``
#: names them (``left_<reason>`` for ``left.<reason>``).
MOVEMENTS = (
    "admitted",
    "joined",
    "confirmed",
    "moved_in",
    "moved_out",
    *(f"left_{reason}" for reason in LeftReason.values),
)
COLUMNS = STATE + MOVEMENTS
WIDTH = len(COLUMNS)
INDEX = {name: i for i, name in enumerate(COLUMNS)}
JOINING = (EventKind.JOINED_OFFICIAL, EventKind.JOINED_PROBATIONARY)

#: A span: (organisation, valid_from, valid_to, status, exempted).
Interval = tuple[int, date, date | None, str, bool]
#: An event: (column, date, organisation, second organisation — a move's organisation before).
Point = tuple[str, date, int | None, int | None]
ClosureSpan = tuple[int, int, date, date | None]  # ancestor, descendant, valid_from, valid_to
Rows = dict[tuple[int, date], list[int]]

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
        rebuild_places()
        rebuild_structure()


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
    ).aggregate(anchor=Sum(1, filter=Q(date=TALLY_ANCHOR)), **{c: Sum(c) for c in STATE})
    if not row["anchor"]:
        return None
    return {name: row[name] or 0 for name in STATE}


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


def movements(organization, start: date, end: date) -> dict[str, int] | None:
    """Each movement of O over ``start``..``end`` (the columns of :data:`MOVEMENTS`), from the
    tally; None when O is not tallied."""
    row = SubtreeTally.objects.filter(
        Q(date=TALLY_ANCHOR) | Q(date__gte=start, date__lte=end),
        organization_id=getattr(organization, "pk", organization),
    ).aggregate(anchor=Sum(1, filter=Q(date=TALLY_ANCHOR)), **{c: Sum(c) for c in MOVEMENTS})
    if not row["anchor"]:
        return None
    return {name: row[name] or 0 for name in MOVEMENTS}


# --- The contributions --------------------------------------------------------------------------


class Items:
    """What some members contribute: their spans and their effective events, each event with
    the organisations before and after it (from the spans)."""

    def __init__(self, member_ids: Iterable[int]):
        self.intervals: Counter[Interval] = Counter()
        self.points: Counter[Point] = Counter()
        #: What they contribute to the places' tallies: (place, from, to, status).
        self.places: Counter[tuple[int, date, date | None, str]] = Counter()
        for ids in _chunks(member_ids):  # a statement takes a bounded number of parameters
            self._read(ids)

    def _read(self, ids: list[int]) -> None:
        spans: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
        rows = MembershipSpan.objects.filter(member_id__in=ids).values_list(
            "member_id",
            "organization_id",
            "place_id",
            "valid_from",
            "valid_to",
            "status",
            "exempted",
        )
        for member, org, place, start, end, status, exempted in rows:
            self.intervals[(org, start, end, status, exempted)] += 1
            self.places[(place, start, end, status)] += 1
            spans[member].append((org, start, end))
        events = (
            MemberEvent.objects.filter(member_id__in=ids, superseded_by__isnull=True)
            .exclude(kind=EventKind.CANCELLED)
            .values_list("member_id", "kind", "date", "reason", "organization_id")
        )
        for member, kind, day, reason, org in events:
            point: Point
            after = next(
                (o for o, s, e in spans[member] if s <= day and (e is None or day < e)), None
            )
            before = next((o for o, _s, e in spans[member] if e == day), None)
            if kind == EventKind.ADMITTED or kind in JOINING:
                point = ("admitted" if kind == EventKind.ADMITTED else "joined", day, org, None)
            elif kind == EventKind.CONFIRMED:
                point = ("confirmed", day, after, None)
            elif kind == EventKind.MOVED:
                point = ("moved", day, after, before)
            elif kind == EventKind.LEFT:
                point = (f"left_{reason}", day, before, None)
            else:
                continue
            if point[2] is not None or point[3] is not None:
                self.points[point] += 1

    def organizations(self) -> set[int]:
        orgs = {org for org, *_ in self.intervals}
        for _column, _day, a, b in self.points:
            orgs.update(o for o in (a, b) if o is not None)
        return orgs

    def __eq__(self, other) -> bool:
        return self.intervals == other.intervals and self.points == other.points


def members_at(organization_ids: Iterable[int]) -> set[int]:
    """The members with a span or an event in these organisations."""
    members: set[int] = set()
    for ids in _chunks(organization_ids):
        spans = MembershipSpan.objects.filter(organization_id__in=ids).values_list("member_id")
        events = MemberEvent.objects.filter(organization_id__in=ids).values_list("member_id")
        members.update(m for (m,) in spans)
        members.update(m for (m,) in events)
    return members


#: Keys per statement (PostgreSQL takes at most 65,535 parameters, SQLite 32,766).
CHUNK = 5000


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    return chunks(sorted(set(ids)), CHUNK)


def closure_of(organization_ids: Iterable[int], ancestors: set[int]) -> list[ClosureSpan]:
    """Closure rows of these descendants whose ancestor is tallied."""
    if not ancestors:
        return []
    rows: list[ClosureSpan] = []
    for ids in _chunks(organization_ids):
        rows += OrganizationClosure.objects.filter(
            descendant_id__in=ids, ancestor_id__in=list(ancestors)
        ).values_list("ancestor_id", "descendant_id", "valid_from", "valid_to")
    return rows


def _state_vector(status: str, exempted: bool) -> list[int]:
    vector = [0] * WIDTH
    vector[INDEX["official" if status == Status.OFFICIAL else "probationary"]] = 1
    vector[INDEX["exempted"]] = int(exempted)
    return vector


def changes(items: Items, closure: Iterable[ClosureSpan]) -> Rows:
    """The tally rows that ``items`` make under ``closure``: (ancestor, day) → amounts."""
    above: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for ancestor, descendant, start, end in closure:
        above[descendant].append((ancestor, start, end))
    out: Rows = defaultdict(lambda: [0] * WIDTH)

    def ancestors_on(org: int | None, day: date) -> set[int]:
        if org is None:
            return set()
        return {a for a, s, e in above.get(org, ()) if s <= day and (e is None or day < e)}

    for (org, start, end, status, exempted), times in items.intervals.items():
        vector = _state_vector(status, exempted)
        for ancestor, c_start, c_end in above.get(org, ()):
            low = max(start, c_start)
            high = c_end if end is None else end if c_end is None else min(end, c_end)
            if high is not None and high <= low:
                continue
            row = out[(ancestor, low)]
            for i, value in enumerate(vector):
                row[i] += value * times
            if high is not None:
                row = out[(ancestor, high)]
                for i, value in enumerate(vector):
                    row[i] -= value * times
    for (column, day, first, second), times in items.points.items():
        if column == "moved":
            after_above, before_above = ancestors_on(first, day), ancestors_on(second, day)
            for ancestor in after_above - before_above:
                out[(ancestor, day)][INDEX["moved_in"]] += times
            for ancestor in before_above - after_above:
                out[(ancestor, day)][INDEX["moved_out"]] += times
        else:
            for ancestor in ancestors_on(first, day):
                out[(ancestor, day)][INDEX[column]] += times
    return out


def _difference(after: Rows, before: Rows) -> Rows:
    result = {}
    zero = [0] * WIDTH
    for key in after.keys() | before.keys():
        row = [x - y for x, y in zip(after.get(key, zero), before.get(key, zero), strict=True)]
        if any(row):
            result[key] = row
    return result


def _add(model, keys: tuple[str, ...], columns: tuple[str, ...], rows: dict) -> None:
    """Add amounts to ``model``'s rows (created when missing): ``rows`` maps the values of
    ``keys`` to the amounts of ``columns``; one ``INSERT … ON CONFLICT DO UPDATE`` statement
    per 500 rows (both databases)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    placeholders = "(" + ", ".join(["%s"] * (len(keys) + len(columns))) + ")"
    items = sorted(rows.items())  # one order for every writer: no deadlock between two
    with connection.cursor() as cursor:
        for first in range(0, len(items), 500):
            chunk = items[first : first + 500]
            params: list = []
            for key, amounts in chunk:
                params += [*key, *amounts]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(keys + columns)}) "  # noqa: S608
                f"VALUES {', '.join([placeholders] * len(chunk))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
                params,
            )


def apply(rows: Rows) -> None:
    """Add these amounts to the subtree tallies."""
    _add(SubtreeTally, ("organization_id", "date"), COLUMNS, rows)


# --- Upkeep -------------------------------------------------------------------------------------

# A member's change reads the closure and a closure rewrite reads the members: neither may miss
# what the other has not committed yet. Both read after their own first write, and every write
# to a tracked table updates the one row of the data version (``core.dataversion``'s trigger),
# whose lock is held until the commit: on PostgreSQL two writers are therefore serialised from
# their first write, and each reads what the other committed (tested with two connections);
# SQLite has one writer at a time.


@contextlib.contextmanager
def tracking_members(member_ids: Iterable[int]) -> Iterator[None]:
    """Around a change of these members' events and spans: the tally follows the difference."""
    ids = list(member_ids)
    if _deferred():
        yield
        return
    before = Items(ids)  # the member's own rows: no other writer changes them
    roots = structure_anchored_ids()
    structure_before = structure_contributions(ids, roots)
    yield
    apply_structure(_minus(structure_contributions(ids, roots), structure_before))
    after = Items(ids)
    if before != after:
        closure = closure_of(before.organizations() | after.organizations(), anchored_ids())
        apply(_difference(changes(after, closure), changes(before, closure)))
    if before.places != after.places:
        changed = (before.places - after.places) + (after.places - before.places)
        rebuild_places({place for place, *_rest in changed})


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
        rebuild_structure()
        return
    anchored, roots = anchored_ids(), structure_anchored_ids()
    members = members_at(affected)
    items = Items(members)
    organizations = items.organizations()
    before = closure_of(organizations, anchored)
    structure_before = structure_contributions(members, roots)
    yield
    after = closure_of(organizations, anchored)
    if Counter(before) != Counter(after):
        apply(_difference(changes(items, after), changes(items, before)))
    apply_structure(_minus(structure_contributions(members, roots), structure_before))
    _sync_tallied(anchored)
    _sync_structure(roots)


def _sync(model, anchored: set[int], wanted: set[int], build) -> None:
    """Start the tally (``model``'s rows, built by ``build``) of each organisation now wanted;
    drop the tally of each one no longer wanted."""
    gone = anchored - wanted
    if gone:
        model.objects.filter(organization_id__in=gone).delete()
    for organization_id in sorted(wanted - anchored):
        build(organization_id)


def _sync_tallied(anchored: set[int]) -> None:
    """Start the tally of an organisation that became a committee; drop the tally of one that
    no longer is."""
    _sync(SubtreeTally, anchored, tallied_kind_ids(), rebuild)


hierarchy.REWRITE_LISTENERS.append(closure_rewritten)


# --- Rebuilding, set-based ----------------------------------------------------------------------


def _room_to_sort(cursor) -> None:
    """PostgreSQL, in a transaction: room for a whole-table rebuild to sort and group in memory
    rather than on disk, for this transaction only."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        cursor.execute("SET LOCAL work_mem = '256MB'")


def _later(a: str, b: str) -> str:
    return f"CASE WHEN {a} > {b} THEN {a} ELSE {b} END"


def _earlier_end(a: str, b: str) -> str:
    """The earlier of two interval ends, NULL standing for no end (open)."""
    return (
        f"CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL THEN {a} "
        f"WHEN {a} < {b} THEN {a} ELSE {b} END"
    )


def _select(ancestor: str, day: str, **amounts: str) -> str:
    """One branch of the rebuild's union: every column, zero unless given."""
    values = ", ".join(f"{amounts.get(column, '0')} AS {column}" for column in COLUMNS)
    return f"SELECT {ancestor} AS organization_id, {day} AS day, {values}"


def rebuild(organization_id: int | None = None) -> None:
    """Recompute the tallies of every committee (or of one) from the spans, the events and the
    closure: one aggregate statement, whatever the size."""
    q = connection.ops.quote_name
    tally = q(SubtreeTally._meta.db_table)
    spans = q(MembershipSpan._meta.db_table)
    events = q(MemberEvent._meta.db_table)
    closure = q(OrganizationClosure._meta.db_table)
    versions = q(OrganizationVersion._meta.db_table)
    if organization_id is None:
        SubtreeTally.objects.all().delete()
        tallied = f"SELECT DISTINCT organization_id FROM {versions} WHERE kind = %s"  # noqa: S608
        tallied_params: list = [OrganizationKind.COMMITTEE]
    else:
        SubtreeTally.objects.filter(organization_id=organization_id).delete()
        tallied = "SELECT %s AS organization_id"
        tallied_params = [organization_id]

    def valid_on(alias: str, day: str) -> str:
        return f"{alias}.valid_from <= {day} AND ({alias}.valid_to IS NULL OR {day} < {alias}.valid_to)"

    def above(alias: str, descendant: str, day: str) -> str:
        return (
            f"JOIN {closure} {alias} ON {alias}.descendant_id = {descendant} "
            f"AND {alias}.ancestor_id IN ({tallied}) AND {valid_on(alias, day)}"
        )

    def status(sign: str) -> dict[str, str]:
        return {
            "official": f"{sign}CASE WHEN s.status = '{Status.OFFICIAL}' THEN 1 ELSE 0 END",
            "probationary": f"{sign}CASE WHEN s.status = '{Status.PROBATIONARY}' THEN 1 ELSE 0 END",
            "exempted": f"{sign}CASE WHEN s.exempted THEN 1 ELSE 0 END",
        }

    # Spans × closure rows: +1 where the intersection begins, −1 where it ends.
    intersecting = (
        f"FROM {spans} s JOIN {closure} c ON c.descendant_id = s.organization_id "
        f"AND c.ancestor_id IN ({tallied}) "
        "AND (c.valid_to IS NULL OR s.valid_from < c.valid_to) "
        "AND (s.valid_to IS NULL OR c.valid_from < s.valid_to)"
    )
    effective = f"NOT EXISTS (SELECT 1 FROM {events} x WHERE x.supersedes_id = e.id)"  # noqa: S608
    # The member's span after an event (valid that day) and before it (ending that day).
    after_span = f"{spans} sa ON sa.member_id = e.member_id AND {valid_on('sa', 'e.date')}"
    before_span = f"{spans} sb ON sb.member_id = e.member_id AND sb.valid_to = e.date"
    left = {
        f"left_{reason}": f"CASE WHEN e.reason = '{reason}' THEN 1 ELSE 0 END"
        for reason in LeftReason.values
    }

    def not_above(organization: str) -> str:
        """The same ancestor is not above ``organization`` on the event's day."""
        return (
            f"NOT EXISTS (SELECT 1 FROM {closure} o WHERE o.descendant_id = {organization} "  # noqa: S608
            f"AND o.ancestor_id = c.ancestor_id AND {valid_on('o', 'e.date')})"
        )

    moved = f"e.kind = '{EventKind.MOVED}' AND {effective}"
    branches = [
        _select("c.ancestor_id", _later("s.valid_from", "c.valid_from"), **status(""))
        + f" {intersecting}",
        _select("c.ancestor_id", _earlier_end("s.valid_to", "c.valid_to"), **status("-"))
        + f" {intersecting} WHERE s.valid_to IS NOT NULL OR c.valid_to IS NOT NULL",
        # Admissions and arrivals: the event's organisation.
        _select(
            "c.ancestor_id",
            "e.date",
            admitted=f"CASE WHEN e.kind = '{EventKind.ADMITTED}' THEN 1 ELSE 0 END",
            joined=f"CASE WHEN e.kind = '{EventKind.ADMITTED}' THEN 0 ELSE 1 END",
        )
        + f" FROM {events} e {above('c', 'e.organization_id', 'e.date')} "
        + f"WHERE e.kind IN ('{EventKind.ADMITTED}', '{JOINING[0]}', '{JOINING[1]}') "
        + f"AND {effective}",
        # Confirmations: the organisation after.
        _select("c.ancestor_id", "e.date", confirmed="1")
        + f" FROM {events} e JOIN {after_span} {above('c', 'sa.organization_id', 'e.date')} "
        + f"WHERE e.kind = '{EventKind.CONFIRMED}' AND {effective}",
        # Departures: the organisation before.
        _select("c.ancestor_id", "e.date", **left)
        + f" FROM {events} e JOIN {before_span} {above('c', 'sb.organization_id', 'e.date')} "
        + f"WHERE e.kind = '{EventKind.LEFT}' AND {effective}",
        # Moves: in where above the organisation after and not before, out the other way.
        _select("c.ancestor_id", "e.date", moved_in="1")
        + f" FROM {events} e JOIN {after_span} {above('c', 'sa.organization_id', 'e.date')} "
        + f"LEFT JOIN {before_span} WHERE {moved} AND {not_above('sb.organization_id')}",
        _select("c.ancestor_id", "e.date", moved_out="1")
        + f" FROM {events} e JOIN {before_span} {above('c', 'sb.organization_id', 'e.date')} "
        + f"LEFT JOIN {after_span} WHERE {moved} AND {not_above('sa.organization_id')}",
    ]
    union = " UNION ALL ".join(branches)
    # ``tallied`` appears in each span branch and in each closure join.
    params = [
        *tallied_params * sum(branch.count(tallied) for branch in branches),
        TALLY_ANCHOR,
        *tallied_params,
        TALLY_ANCHOR,
    ]
    sums = ", ".join(f"SUM({c})" for c in COLUMNS)
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in COLUMNS)
    anchors = _select("anchors.organization_id", "%s")
    sql = f"""
        INSERT INTO {tally} (organization_id, date, {", ".join(COLUMNS)})
        SELECT organization_id, day, {sums} FROM (
            {union}
            UNION ALL {anchors} FROM ({tallied}) anchors
        ) changes
        GROUP BY organization_id, day
        HAVING {nonzero} OR day = %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and organization_id is None:
            # After a bulk write (the import, the demo) the planner knows nothing of the new
            # rows yet: statistics first, and room to group in memory for this transaction
            # rather than spilling to disk.
            cursor.execute(f"ANALYZE {spans}, {events}, {closure}, {versions}")
            if connection.in_atomic_block:
                # Whole tables are read: one hash join each rather than an index probe per
                # span or event (the closure's skew misleads the estimates).
                _room_to_sort(cursor)
                cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(sql, params)


# --- Places: their members over time ------------------------------------------------------------


def rebuild_places(place_ids: Iterable[int] | None = None) -> None:
    """Recompute the rows of these places (of every place when None) from their spans, in one
    set-based statement per chunk of places: the changes of each count by day (+1 where a span
    begins, −1 where it ends), their running sums, capped, and one row from each day a capped
    count changes to the next such day, for the periods with members."""
    q = connection.ops.quote_name
    table, spans = q(PlaceTally._meta.db_table), q(MembershipSpan._meta.db_table)
    official = f"CASE WHEN status = '{Status.OFFICIAL}' THEN 1 ELSE 0 END"

    def capped(column: str) -> str:
        total = f"SUM({column}) OVER (PARTITION BY place_id ORDER BY day ROWS UNBOUNDED PRECEDING)"
        return f"CASE WHEN {total} > {PLACE_TALLY_CAP} THEN {PLACE_TALLY_CAP} ELSE {total} END"

    def statement(where: str) -> str:
        return f"""
        INSERT INTO {table} (place_id, valid_from, valid_to, members, official)
        SELECT place_id, day, next_day, members, official FROM (
            SELECT place_id, day, members, official,
                   LEAD(day) OVER (PARTITION BY place_id ORDER BY day) AS next_day
            FROM (
                SELECT place_id, day, members, official,
                       LAG(members) OVER (PARTITION BY place_id ORDER BY day) AS members_before,
                       LAG(official) OVER (PARTITION BY place_id ORDER BY day) AS official_before
                FROM (
                    SELECT place_id, day, {capped("members")} AS members,
                           {capped("official")} AS official
                    FROM (
                        SELECT place_id, day, SUM(members) AS members, SUM(official) AS official
                        FROM (
                            SELECT place_id, valid_from AS day, 1 AS members, {official} AS official
                            FROM {spans} {where}
                            UNION ALL
                            SELECT place_id, valid_to, -1, -{official}
                            FROM {spans} {where} {"AND" if where else "WHERE"} valid_to IS NOT NULL
                        ) points
                        GROUP BY place_id, day
                    ) changes
                ) counts
            ) steps
            WHERE members_before IS NULL OR members <> members_before
               OR official <> official_before
        ) periods
        WHERE members > 0
        """  # noqa: S608

    with connection.cursor() as cursor:
        if place_ids is None:
            PlaceTally.objects.all().delete()
            _room_to_sort(cursor)
            cursor.execute(statement(""))
            return
        for ids in _chunks(place_ids):
            PlaceTally.objects.filter(place_id__in=ids).delete()
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(statement(f"WHERE place_id IN ({marks})"), [*ids, *ids])


# --- The members' structure of the roots --------------------------------------------------------


#: Structure tally changes: (organisation, day, dimension, value) → amount.
Contributions = Counter[tuple[int, date, str, str]]


def _minus(after: Contributions, before: Contributions) -> Contributions:
    """What changed from ``before`` to ``after``, negative amounts kept (unlike ``-``)."""
    result = Counter(after)
    result.subtract(before)
    return Counter({key: n for key, n in result.items() if n})


def _roots_sql() -> str:
    """Organisations none of whose versions has a parent: the roots of the tree."""
    versions = connection.ops.quote_name(OrganizationVersion._meta.db_table)
    return (
        f"SELECT organization_id FROM {versions} "  # noqa: S608
        "GROUP BY organization_id HAVING COUNT(parent_id) = 0"
    )


def structure_roots() -> set[int]:
    """The organisations whose structure tally is kept."""
    with connection.cursor() as cursor:
        cursor.execute(_roots_sql())
        return {row[0] for row in cursor.fetchall()}


def structure_anchored_ids() -> set[int]:
    return set(
        StructureTally.objects.filter(date=TALLY_ANCHOR, dimension="").values_list(
            "organization_id", flat=True
        )
    )


def years_after(column: str, years: int) -> str:
    """SQL: the first day on which ``years`` full years have passed since the date in
    ``column`` — the first D with ``policy.add_months(D, -12 · years) ≥ column`` (born on 29
    February: 1 March in a common year, as ``policy.age_in_months`` counts)."""
    if connection.vendor == "postgresql":  # + interval clamps 29 February to the 28th
        later = f"({column} + INTERVAL '{years:d} years')"
        return (
            f"(CAST({later} AS date) + CASE WHEN EXTRACT(MONTH FROM {column}) = 2 "
            f"AND EXTRACT(DAY FROM {column}) = 29 AND EXTRACT(DAY FROM {later}) = 28 "
            "THEN 1 ELSE 0 END)"
        )
    return f"date({column}, '+{years:d} years')"  # SQLite: 29 February → 1 March


def _structure_select(ancestors: str, where: str) -> str:
    """SQL of the structure changes (organisation, day, dimension, value, change) that the
    spans matching ``where`` make under the ancestors ``ancestors`` selects: each span meets
    each closure row of an ancestor over an interval [lo, hi); there it counts in its member's
    gender, ethnicity and education, and in the age (party age) band of each part of the
    interval, cut where the member's years (``served_since``'s) become full."""
    q = connection.ops.quote_name
    spans, closure = q(MembershipSpan._meta.db_table), q(OrganizationClosure._meta.db_table)
    members = q(Member._meta.db_table)
    branches = []

    def branch(day: str, dimension: str, value: str, change: int, condition: str = "") -> None:
        # Each branch sums its own changes (a small grouping per branch rather than one large
        # grouping of every piece's rows: 178 s instead of 291 s over the country's spans).
        branches.append(
            f"SELECT organization_id, {day} AS day, '{dimension}' AS dimension, "  # noqa: S608
            f"{value} AS value, {change} * COUNT(*) AS change FROM pieces"
            + (f" WHERE {condition}" if condition else "")
            + " GROUP BY 1, 2, 4"
        )

    for dimension in ("gender", "ethnicity", "education"):
        branch("lo", dimension, dimension, 1)
        branch("hi", dimension, dimension, -1, "hi IS NOT NULL")
    # The days the years become full, computed once per piece (``age_30``, ``party_age_10``…).
    thresholds = []
    for dimension, column, bands in (
        ("age", "m.birth_date", profile.AGE_BANDS),
        ("party_age", "s.served_since", profile.PARTY_AGE_BANDS),
    ):
        for years in sorted({n for _key, _label, *ns in bands for n in ns if n is not None}):
            thresholds.append(f"{years_after(column, years)} AS {dimension}_{years}")
        for key, _label, low, high in bands:
            start = "lo" if low is None else _later("lo", f"{dimension}_{low}")
            end = "hi" if high is None else _earlier_end("hi", f"{dimension}_{high}")
            branch(start, dimension, f"'{key}'", 1, f"({end} IS NULL OR {start} < {end})")
            branch(end, dimension, f"'{key}'", -1, f"{end} IS NOT NULL AND {start} < {end}")
    union = " UNION ALL ".join(branches)
    return f"""
        WITH pieces AS MATERIALIZED (
            SELECT c.ancestor_id AS organization_id,
                   {_later("s.valid_from", "c.valid_from")} AS lo,
                   {_earlier_end("s.valid_to", "c.valid_to")} AS hi,
                   m.gender, m.ethnicity, m.education, {", ".join(thresholds)}
            FROM {spans} s
            JOIN {closure} c ON c.descendant_id = s.organization_id
             AND c.ancestor_id IN ({ancestors})
             AND (c.valid_to IS NULL OR s.valid_from < c.valid_to)
             AND (s.valid_to IS NULL OR c.valid_from < s.valid_to)
            JOIN {members} m ON m.id = s.member_id
            {where}
        )
        SELECT organization_id, day, dimension, value, SUM(change) FROM ({union}) changes
        GROUP BY organization_id, day, dimension, value
        HAVING SUM(change) <> 0
    """  # noqa: S608


def structure_contributions(member_ids: Iterable[int], roots: set[int]) -> Contributions:
    """What these members contribute to the structure tallies of ``roots``."""
    found: Contributions = Counter()
    if not roots:
        return found
    marks = ", ".join(["%s"] * len(roots))
    with connection.cursor() as cursor:
        for ids in _chunks(member_ids):
            where = f"WHERE s.member_id IN ({', '.join(['%s'] * len(ids))})"
            cursor.execute(_structure_select(marks, where), [*sorted(roots), *ids])
            for organization, day, dimension, value, change in cursor.fetchall():
                found[(organization, _as_date(day), dimension, value)] += change
    return found


def _as_date(day) -> date:
    return day if isinstance(day, date) else date.fromisoformat(day)  # SQLite: text


def apply_structure(changes: Contributions) -> None:
    """Add these changes to the structure tallies."""
    keys = ("organization_id", "date", "dimension", "value")
    _add(StructureTally, keys, ("change",), {key: [n] for key, n in changes.items()})


def rebuild_structure(organization_id: int | None = None) -> None:
    """Recompute the structure tallies of every root (or of one) in one statement."""
    table = connection.ops.quote_name(StructureTally._meta.db_table)
    if organization_id is None:
        StructureTally.objects.all().delete()
        ancestors, params = _roots_sql(), []
    else:
        StructureTally.objects.filter(organization_id=organization_id).delete()
        ancestors, params = "SELECT %s AS organization_id", [organization_id]
    with connection.cursor() as cursor:
        _room_to_sort(cursor)
        cursor.execute(
            f"INSERT INTO {table} (organization_id, date, dimension, value, change) "  # noqa: S608
            + _structure_select(ancestors, ""),
            params,
        )
        cursor.execute(
            f"INSERT INTO {table} (organization_id, date, dimension, value, change) "  # noqa: S608
            f"SELECT organization_id, %s, '', '', 0 FROM ({ancestors}) anchors",
            [TALLY_ANCHOR, *params],
        )


def _sync_structure(anchored: set[int]) -> None:
    """Start the structure tally of a new root; drop the tally of an organisation that has
    been given a parent."""
    _sync(StructureTally, anchored, structure_roots(), rebuild_structure)


def structure_on(organization, day: date) -> dict[str, Counter[str]] | None:
    """The members of Subtree(O, D) on D counted by each dimension, from the tally; None when
    O's structure is not tallied (the caller counts the spans)."""
    rows = (
        StructureTally.objects.filter(
            organization_id=getattr(organization, "pk", organization), date__lte=day
        )
        .values_list("dimension", "value")
        .annotate(n=Sum("change"))
    )
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    anchored = False
    for dimension, value, n in rows:  # one statement: the anchor and the sums
        if dimension == "":
            anchored = True
        elif n:
            counted[dimension][value] = n
    return counted if anchored else None
