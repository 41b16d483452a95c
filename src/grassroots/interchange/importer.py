"""Importing an interchange package (INTERCHANGE.md): all or nothing, idempotent, fast.

The import runs the rules the forms run, on the whole package at once:

1. **Validate** every row (read-only): columns, required values, kinds and dates; codes that
   must exist (in the package or the database); versions of one code that must not overlap;
   parents, attached places and event organisations/places that must be valid on the date;
   every member's events replayed by :func:`grassroots.members.replay.replay` (the state
   machine of the member services). Every problem is collected as ``file:line: column: message``.
2. **Write** (only when there is no error), in one ``transaction.atomic()``: bulk inserts of
   places, organisations, versions, members and events; membership spans from the replay;
   closure tables rebuilt once; one audit entry summarising the import.

Rows already present are skipped (an identical version, profile or event), so importing the
same package twice changes nothing. A version of an existing code from a new date is a change
(rename, re-parenting…): the version valid until then is closed at that date, as
:func:`grassroots.core.versioning.change_from` does.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice

from auditlog.models import LogEntry
from django.db import connection, transaction
from django.utils import timezone

from grassroots import policy
from grassroots.admissions import interchange as admissions_interchange
from grassroots.core.hierarchy import CycleError, rebuild_closure
from grassroots.core.temporal import OPEN_END, is_valid_on, parse_date
from grassroots.core.text import fold, format_date, name_collation_key
from grassroots.interchange.reader import Package
from grassroots.interchange.report import ImportReport, Problem
from grassroots.members import replay as lifecycle
from grassroots.members.models import (
    EventKind,
    Gender,
    LeftReason,
    Member,
    MemberEvent,
    MembershipSpan,
)
from grassroots.members.selectors import member_visible_to
from grassroots.members.services import PROFILE_FIELDS, event_warnings
from grassroots.organizations import services as organization_services
from grassroots.organizations.models import Organization, OrganizationKind, OrganizationVersion
from grassroots.organizations.selectors import scope_organization_ids, scope_places
from grassroots.places import services as place_services
from grassroots.places.models import LineageChange, Place, PlaceKind, PlaceLineage, PlaceVersion

PLACES, LINEAGE, ORGANIZATIONS = "places.csv", "place_lineage.csv", "organizations.csv"
MEMBERS, EVENTS = "members.csv", "member_events.csv"

#: Columns of each file, in the order the export writes them.
COLUMNS: dict[str, tuple[str, ...]] = {
    PLACES: ("code", "name", "kind", "parent_code", "valid_from", "valid_to"),
    LINEAGE: ("date", "from_code", "to_code", "change"),
    ORGANIZATIONS: ("code", "name", "kind", "parent_code", "place_code", "valid_from", "valid_to"),
    MEMBERS: ("member_id", *PROFILE_FIELDS),
    EVENTS: ("member_id", "date", "event", "organization_code", "place_code", "reason", "note"),
}
#: Columns a file must have (and a row must fill).
REQUIRED: dict[str, frozenset[str]] = {
    PLACES: frozenset({"code", "name", "kind", "valid_from"}),
    LINEAGE: frozenset(COLUMNS[LINEAGE]),
    ORGANIZATIONS: frozenset({"code", "name", "kind", "place_code", "valid_from"}),
    MEMBERS: frozenset({"member_id", "full_name", "gender", "birth_date"}),
    EVENTS: frozenset({"member_id", "date", "event"}),
}

# The optional files of party development and ratings, imported after the registry's files.
COLUMNS.update(admissions_interchange.COLUMNS)
REQUIRED.update(admissions_interchange.REQUIRED)

#: Event kinds a package may carry (corrections are not part of the format: export writes only
#: effective events).
EVENT_KINDS = frozenset(EventKind.values) - {EventKind.CANCELLED}

Progress = Callable[[int, int], None]
#: Rows between two progress reports, and per INSERT statement.
PROGRESS_ROWS = 5000


class _Rejected(Exception):
    """Raised inside the write transaction to roll it back with these problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems


@dataclass
class _Version:
    """A place or organisation version, from the package (``line``) or the database (``pk``)."""

    code: str
    name: str
    kind: str
    parent: str | None
    place: str | None  # organisations: the attached place
    valid_from: date
    valid_to: date | None
    line: int = 0
    pk: int | None = None

    def same_content(self, other: _Version) -> bool:
        return (self.name, self.kind, self.parent, self.place) == (
            other.name,
            other.kind,
            other.parent,
            other.place,
        )


@dataclass
class _Event:
    line: int
    member: str
    date: date
    kind: str
    organization: str | None
    place: str | None
    reason: str
    note: str

    @property
    def key(self) -> tuple:
        return (self.date, self.kind, self.organization, self.place, self.reason)


@dataclass
class _Hierarchy:
    """The versions of one kind of versioned object (places or organisations) being imported."""

    file: str
    label: str  # "Địa bàn", "Tổ chức"
    count_key: str  # "places", "organizations"
    existing_codes: set[str] = field(default_factory=set)
    declared: set[str] = field(default_factory=set)  # codes with rows in the package
    versions: dict[str, list[_Version]] = field(default_factory=lambda: defaultdict(list))
    new: list[_Version] = field(default_factory=list)
    closed: list[_Version] = field(default_factory=list)

    @property
    def version_key(self) -> str:
        return f"{self.count_key[:-1]}_versions"

    def knows(self, code: str) -> bool:
        return code in self.declared or code in self.existing_codes

    def check_valid_on(self, code: str, day: date) -> bool:
        """Whether ``code`` is valid on ``day``; True when its rows all had errors (the cause
        is reported there, not again here)."""
        versions = self.versions.get(code)
        if not versions:
            return code not in self.existing_codes
        return any(is_valid_on(v.valid_from, v.valid_to, day) for v in versions)


class _Import:
    def __init__(self, package: Package, *, acting_user, progress: Progress | None, job):
        self.package = package
        self.user = acting_user
        self.job = job
        self.report = ImportReport(
            conversions=list(package.conversions),
            ignored=list(package.ignored),
            rows=package.row_count,
        )
        self.places = _Hierarchy(PLACES, "Địa bàn", "places")
        self.organizations = _Hierarchy(ORGANIZATIONS, "Tổ chức", "organizations")
        self.lineage: list[tuple[int, date, str, str, str]] = []
        self.members_new: dict[str, dict] = {}
        self.members_changed: dict[str, dict] = {}
        self.member_lines: dict[str, int] = {}  # members.csv: code → line
        self.member_ids: dict[str, int] = {}
        self.existing_profiles: dict[str, dict] = {}
        self.existing_events: dict[str, list[_Event]] = defaultdict(list)
        self.birth_dates: dict[str, date] = {}
        self.events_new: list[_Event] = []
        self.spans: dict[str, list[lifecycle.Span]] = {}
        self._progress = progress
        self._done = 0
        # Work units: every row is checked and written once, every event also replayed.
        self._total = package.row_count * 2 + len(package.rows(EVENTS)) or 1
        self._next_tick = 0

    # -- reporting -------------------------------------------------------------------------
    def error(self, file: str, line: int, column: str, message: str) -> None:
        self.report.errors.append(Problem(file, line, column, message))

    def warn(self, file: str, line: int, column: str, message: str) -> None:
        self.report.warnings.append(Problem(file, line, column, message))

    def advance(self, rows: int) -> None:
        self._done = min(self._total, self._done + rows)
        if self._progress and (self._done >= self._next_tick or self._done == self._total):
            self._next_tick = self._done + max(1, self._total // 100)
            self._progress(self._done, self._total)

    # -- the import ------------------------------------------------------------------------
    def run(self) -> ImportReport:
        started = time.perf_counter()
        if self._progress:
            self._progress(0, self._total)
        self.check_columns()
        self.load_existing()
        self.read_versions(self.places, self.package.rows(PLACES))
        self.read_versions(self.organizations, self.package.rows(ORGANIZATIONS))
        self.read_lineage()
        self.read_members()
        self.read_events()
        self.report.errors.sort(key=lambda p: (_file_order(p.file), p.line))
        if self.report.ok:
            try:
                with transaction.atomic():
                    self.write()
            except _Rejected as rejected:
                self.report.errors.extend(rejected.problems)
                self.report.created.clear()
        if self._progress:
            self._progress(self._total, self._total)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def check_columns(self) -> None:
        for name, table in self.package.tables.items():
            seen: set[str] = set()
            for column in table.columns:
                if column in seen:
                    self.error(name, 1, column, "cột bị lặp lại.")
                elif column not in COLUMNS[name]:
                    self.error(name, 1, column or "(trống)", "cột không thuộc định dạng trao đổi.")
                seen.add(column)
            for column in COLUMNS[name]:
                if column in REQUIRED[name] and column not in seen and table.rows:
                    self.error(name, 1, column, "thiếu cột bắt buộc.")
            for line in table.overflow:
                self.error(name, line, "(trống)", "dòng có nhiều giá trị hơn số cột.")

    def load_existing(self) -> None:
        """Read what the package refers to from the database: codes, versions, members and
        their effective events. Only the codes the package mentions are read."""
        place_codes, org_codes, member_codes = set(), set(), set()
        for _, row in self.package.rows(PLACES):
            place_codes.update((row.get("code", ""), row.get("parent_code", "")))
        for _, row in self.package.rows(LINEAGE):
            place_codes.update((row.get("from_code", ""), row.get("to_code", "")))
        for _, row in self.package.rows(ORGANIZATIONS):
            org_codes.update((row.get("code", ""), row.get("parent_code", "")))
            place_codes.add(row.get("place_code", ""))
        for _, row in self.package.rows(MEMBERS):
            member_codes.add(row.get("member_id", ""))
        for _, row in self.package.rows(EVENTS):
            member_codes.add(row.get("member_id", ""))
            org_codes.add(row.get("organization_code", ""))
            place_codes.add(row.get("place_code", ""))

        for codes, node_model, version_model, hierarchy in (
            (place_codes, Place, PlaceVersion, self.places),
            (org_codes, Organization, OrganizationVersion, self.organizations),
        ):
            node = node_model._meta.model_name
            extra = ("place__code",) if node_model is Organization else ()
            for chunk in _chunks(codes - {""}):
                hierarchy.existing_codes.update(
                    node_model.objects.filter(code__in=chunk).values_list("code", flat=True)
                )
                rows = version_model.objects.filter(**{f"{node}__code__in": chunk}).values_list(
                    "pk", f"{node}__code", "name", "kind", "parent__code", *extra,
                    "valid_from", "valid_to",
                )  # fmt: skip
                for pk, code, name, kind, parent, *place, start, end in rows:
                    hierarchy.versions[code].append(
                        _Version(code, name, kind, parent, *(place or [None]), start, end, pk=pk)
                    )

        member_codes -= {""}
        for chunk in _chunks(member_codes):
            for values in Member.objects.filter(code__in=chunk).values(
                "pk", "code", *PROFILE_FIELDS
            ):
                self.member_ids[values["code"]] = values.pop("pk")
                self.existing_profiles[values["code"]] = values
                self.birth_dates[values["code"]] = values["birth_date"]
            events = (
                MemberEvent.objects.filter(member__code__in=chunk, superseded_by__isnull=True)
                .exclude(kind=EventKind.CANCELLED)
                .order_by("date", "pk")
                .values_list(
                    "member__code", "date", "kind", "organization__code", "place__code", "reason"
                )
            )
            for code, day, kind, org, place, reason in events:
                self.existing_events[code].append(
                    _Event(0, code, day, kind, org, place, reason or "", "")
                )

    # -- places and organisations --------------------------------------------------------
    def read_versions(self, hierarchy: _Hierarchy, rows) -> None:
        file = hierarchy.file
        kinds = PlaceKind.values if file == PLACES else OrganizationKind.values
        parsed: list[_Version] = []
        for line, row in rows:
            code = row.get("code", "")
            if code:
                hierarchy.declared.add(code)
            version = self._version_row(file, line, row, code, kinds)
            if version is not None:
                parsed.append(version)
        self.advance(len(rows))

        for version in parsed:
            if version.parent and not hierarchy.knows(version.parent):
                self.error(
                    file,
                    version.line,
                    "parent_code",
                    f"không có mã {version.parent} trong gói dữ liệu hay trong hệ thống.",
                )
            if version.place and not self.places.knows(version.place):
                self.error(
                    file,
                    version.line,
                    "place_code",
                    f"không có mã địa bàn {version.place} trong gói dữ liệu hay trong hệ thống.",
                )

        by_code: dict[str, list[_Version]] = defaultdict(list)
        for version in parsed:
            by_code[version.code].append(version)
        for code, rows_of_code in by_code.items():
            self._merge_versions(hierarchy, code, rows_of_code)

        # Parents and attached places must be valid on the first day of the version, as the
        # services require.
        for version in hierarchy.new:
            day = version.valid_from
            if (
                version.parent
                and hierarchy.knows(version.parent)
                and not hierarchy.check_valid_on(version.parent, day)
            ):
                self.error(
                    file,
                    version.line,
                    "parent_code",
                    f"{hierarchy.label} cấp trên {version.parent} không có hiệu lực vào ngày "
                    f"{format_date(day)}.",
                )
            if (
                version.place
                and self.places.knows(version.place)
                and not self.places.check_valid_on(version.place, day)
            ):
                self.error(
                    file,
                    version.line,
                    "place_code",
                    f"Địa bàn {version.place} không có hiệu lực vào ngày {format_date(day)}.",
                )

    def _version_row(self, file, line, row, code, kinds) -> _Version | None:
        errors = len(self.report.errors)
        values = {}
        for column in ("code", "name", "kind", "valid_from"):
            values[column] = row.get(column, "")
            if not values[column] and column in row:
                self.error(file, line, column, "cần có giá trị.")
        if values["kind"] and values["kind"] not in kinds:
            self.error(file, line, "kind", f"loại không hợp lệ: {values['kind']}.")
        start = self._date(file, line, row, "valid_from")
        end = self._date(file, line, row, "valid_to")
        if start and end and end <= start:
            self.error(file, line, "valid_to", "ngày kết thúc phải sau ngày bắt đầu.")
        parent = row.get("parent_code", "") or None
        if parent is not None and parent == code:
            self.error(file, line, "parent_code", "không thể trực thuộc chính nó.")
        place = row.get("place_code", "") or None
        if file == ORGANIZATIONS and not place and "place_code" in row:
            self.error(file, line, "place_code", "cần có giá trị.")
        if len(self.report.errors) > errors or not (code and start):
            return None
        return _Version(code, values["name"], values["kind"], parent, place, start, end, line)

    def _merge_versions(self, hierarchy: _Hierarchy, code: str, rows: list[_Version]) -> None:
        """Match the package's versions of ``code`` with those in the database: identical ones
        are skipped, an open one the package closes is closed, the others are new. The result
        must not overlap."""
        file, key = hierarchy.file, hierarchy.version_key
        existing = {v.valid_from: v for v in hierarchy.versions.get(code, [])}
        result = list(existing.values())
        for row in sorted(rows, key=lambda v: (v.valid_from, v.line)):
            current = existing.get(row.valid_from)
            if current is None:
                result.append(row)
                hierarchy.new.append(row)
            elif current.same_content(row) and current.valid_to == row.valid_to:
                self.report.skipped[key] += 1
            elif current.same_content(row) and current.valid_to is None:
                current.valid_to, current.line = row.valid_to, row.line
                hierarchy.closed.append(current)
            else:
                self.error(
                    file,
                    row.line,
                    "valid_from",
                    f"{hierarchy.label} {code} đã có một phiên bản khác từ ngày "
                    f"{format_date(row.valid_from)}; thay đổi cần một phiên bản từ ngày mới.",
                )
        result.sort(key=lambda v: v.valid_from)
        for before, after in zip(result, result[1:], strict=False):
            if (before.valid_to or OPEN_END) <= after.valid_from:
                continue
            if before.pk and before.valid_to is None and not after.pk:
                # A change from a new date: the version open until now ends there.
                before.valid_to, before.line = after.valid_from, after.line
                hierarchy.closed.append(before)
                continue
            culprit = after if after.line else before
            self.error(
                file,
                culprit.line,
                "valid_from",
                f"{hierarchy.label} {code}: các phiên bản không được chồng lấn thời gian "
                f"({format_date(before.valid_from)}–{format_date(before.valid_to)} và "
                f"từ {format_date(after.valid_from)}).",
            )
        hierarchy.versions[code] = result

    def read_lineage(self) -> None:
        rows = self.package.rows(LINEAGE)
        seen: set[tuple] = set()
        for line, row in rows:
            day = self._date(LINEAGE, line, row, "date")
            codes = []
            for column in ("from_code", "to_code"):
                code = row.get(column, "")
                codes.append(code)
                if not code:
                    self.error(LINEAGE, line, column, "cần có giá trị.")
                elif not self.places.knows(code):
                    self.error(
                        LINEAGE,
                        line,
                        column,
                        f"không có mã địa bàn {code} trong gói dữ liệu hay trong hệ thống.",
                    )
            change = row.get("change", "")
            if change not in LineageChange.values:
                self.error(LINEAGE, line, "change", f"loại biến động không hợp lệ: {change}.")
            elif day and all(codes):
                key = (day, codes[0], codes[1], change)
                if key not in seen:
                    seen.add(key)
                    self.lineage.append((line, *key))
        self.advance(len(rows))

    # -- members and their events --------------------------------------------------------
    def read_members(self) -> None:
        rows = self.package.rows(MEMBERS)
        seen = self.member_lines
        for line, row in rows:
            code = row.get("member_id", "")
            if not code:
                self.error(MEMBERS, line, "member_id", "cần có giá trị.")
                continue
            if code in seen:
                self.error(MEMBERS, line, "member_id", f"mã đảng viên đã có ở dòng {seen[code]}.")
                continue
            seen[code] = line
            # Only the columns the file has: a package without "religion" keeps the stored one.
            profile = {name: row[name] for name in PROFILE_FIELDS if name in row}
            profile["birth_date"] = self._date(MEMBERS, line, row, "birth_date")
            if not profile.get("full_name"):
                self.error(MEMBERS, line, "full_name", "cần có giá trị.")
            if profile.get("gender") not in Gender.values:
                self.error(
                    MEMBERS,
                    line,
                    "gender",
                    f"giới tính phải là male hoặc female, không phải '{profile.get('gender', '')}'.",
                )
            if profile["birth_date"] is None:
                continue
            self.birth_dates[code] = profile["birth_date"]
            existing = self.existing_profiles.get(code)
            if existing is None:
                self.members_new[code] = profile
                continue
            changes = {k: v for k, v in profile.items() if existing[k] != v}
            if changes:
                self.members_changed[code] = changes
            else:
                self.report.skipped["members_updated"] += 1
        self.advance(len(rows))

    def read_events(self) -> None:
        rows = self.package.rows(EVENTS)
        by_member: dict[str, list[_Event]] = defaultdict(list)
        for number, (line, row) in enumerate(rows, start=1):
            event = self._event_row(line, row)
            if event is not None:
                by_member[event.member].append(event)
            if number % PROGRESS_ROWS == 0:
                self.advance(PROGRESS_ROWS)
        self.advance(len(rows) % PROGRESS_ROWS)
        replayed = 0
        for code, events in by_member.items():
            self._replay_member(code, events)
            replayed += len(events)
            if replayed >= PROGRESS_ROWS:
                self.advance(replayed)
                replayed = 0
        self.advance(replayed + len(rows) - sum(map(len, by_member.values())))

    def _event_row(self, line: int, row: dict) -> _Event | None:
        errors = len(self.report.errors)
        code = row.get("member_id", "")
        if not code:
            self.error(EVENTS, line, "member_id", "cần có giá trị.")
        elif code not in self.member_lines and code not in self.member_ids:
            self.error(
                EVENTS,
                line,
                "member_id",
                f"không có đảng viên {code} trong members.csv hay trong hệ thống.",
            )
        day = self._date(EVENTS, line, row, "date")
        kind = row.get("event", "")
        if kind not in EVENT_KINDS:
            self.error(EVENTS, line, "event", f"loại sự kiện không hợp lệ: '{kind}'.")
        refs = {}
        for column, hierarchy in (
            ("organization_code", self.organizations),
            ("place_code", self.places),
        ):
            ref = refs[column] = row.get(column, "") or None
            if ref is None:
                continue
            if not hierarchy.knows(ref):
                self.error(
                    EVENTS, line, column, f"không có mã {ref} trong gói dữ liệu hay trong hệ thống."
                )
            elif day and not hierarchy.check_valid_on(ref, day):
                self.error(
                    EVENTS,
                    line,
                    column,
                    f"{hierarchy.label} {ref} không có hiệu lực vào ngày {format_date(day)}.",
                )
        reason = row.get("reason", "")
        if reason and kind != EventKind.LEFT:
            self.error(
                EVENTS, line, "reason", "chỉ sự kiện 'left' (ra khỏi danh sách) mới có lý do."
            )
        elif kind == EventKind.LEFT and reason not in LeftReason.values:
            self.error(
                EVENTS, line, "reason", f"lý do phải là một trong {', '.join(LeftReason.values)}."
            )
        if len(self.report.errors) > errors:
            return None
        return _Event(
            line,
            code,
            day,
            kind,
            refs["organization_code"],
            refs["place_code"],
            reason,
            row.get("note", ""),
        )

    def _replay_member(self, code: str, events: list[_Event]) -> None:
        """Skip the events already recorded, then replay old and new together: the same state
        machine the member services use refuses an event that does not fit."""
        existing = self.existing_events.get(code, [])
        new = events
        if existing:
            recorded = Counter(e.key for e in existing)
            new = []
            for event in events:
                if recorded[event.key]:
                    recorded[event.key] -= 1
                    self.report.skipped["member_events"] += 1
                else:
                    new.append(event)
        if not new:
            return
        facts = [_fact(e, seq) for seq, e in enumerate(existing)]
        lines = {}
        for event in new:
            fact = _fact(event, len(existing) + event.line)
            facts.append(fact)
            lines[fact] = event.line
        try:
            self.spans[code] = lifecycle.replay(facts)
        except lifecycle.ReplayError as exc:
            line = lines.get(exc.fact, new[0].line)
            self.error(EVENTS, line, "event", str(exc))
            return
        self.events_new.extend(new)
        birth = self.birth_dates.get(code)
        for event in new:
            if (
                event.kind == EventKind.ADMITTED
                and birth
                and not _admission_age_ok(birth, event.date)
            ):
                # The member services' own wording; instances are built only for the few rows
                # that warn (building one per row costs more than the rest of the check).
                for warning in event_warnings(
                    Member(birth_date=birth), MemberEvent(kind=event.kind, date=event.date)
                ):
                    self.warn(EVENTS, event.line, "date", warning.message)

    def _date(self, file: str, line: int, row: dict, column: str) -> date | None:
        text = row.get(column, "")
        if not text:
            if column in REQUIRED[file] and column in row:
                self.error(file, line, column, "cần có giá trị.")
            return None
        day = parse_date(text)
        if day is None:
            self.error(file, line, column, f"ngày không hợp lệ: '{text}' (cần YYYY-MM-DD).")
        return day

    # -- writing ---------------------------------------------------------------------------
    def write(self) -> None:
        created = self.report.created
        place_ids = self._write_hierarchy(
            self.places, Place, PlaceVersion, "place", place_services.HIERARCHY
        )
        organization_ids = self._write_hierarchy(
            self.organizations,
            Organization,
            OrganizationVersion,
            "organization",
            organization_services.HIERARCHY,
            place_ids=place_ids,
        )
        self._write_lineage(place_ids)
        self._check_scope(organization_ids, place_ids)

        self._write_members()
        self._write_events(organization_ids, place_ids)
        self._write_spans(organization_ids, place_ids)
        self._write_optional()
        if self.job is not None and self.report.changed:
            LogEntry.objects.log_create(
                self.job,
                force_log=True,
                action=LogEntry.Action.UPDATE,
                changes={key: ["0", str(n)] for key, n in created.items() if n},
            )

    def _write_optional(self) -> None:
        """candidates.csv, candidate_steps.csv, targets.csv, ratings.csv: through their services,
        against the registry just written (:mod:`grassroots.admissions.interchange`)."""
        tables = {name: self.package.rows(name) for name in admissions_interchange.COLUMNS}
        if not any(tables.values()):
            return
        result = admissions_interchange.import_rows(tables, acting_user=self.user)
        if result.problems:
            problems = [Problem(*p) for p in result.problems]
            raise _Rejected(sorted(problems, key=lambda p: (_file_order(p.file), p.line)))
        self.report.created.update(result.created)
        self.report.skipped.update(result.skipped)
        self.report.warnings.extend(Problem(*w) for w in result.warnings)

    def _check_scope(self, organization_ids: dict[str, int], place_ids: dict[str, int]) -> None:
        """A user with a scope imports only inside it, as the forms allow: the organisations and
        places whose versions the package writes, the organisations its events name and the
        members whose profile it changes. Checked after the closure tables are rebuilt, so that
        a new organisation under the scope counts as inside it."""
        if self.user is None:
            return
        organizations = scope_organization_ids(self.user)
        if organizations is None:
            return
        organizations = set(organizations)
        places = set(scope_places(self.user).values_list("pk", flat=True))
        outside = "nằm ngoài phạm vi dữ liệu của bạn."
        problems = [
            Problem(ORGANIZATIONS, v.line, "code", f"Tổ chức {v.code} {outside}")
            for v in self.organizations.new + self.organizations.closed
            if organization_ids[v.code] not in organizations
        ]
        problems += [
            Problem(PLACES, v.line, "code", f"Địa bàn {v.code} {outside}")
            for v in self.places.new + self.places.closed
            if place_ids[v.code] not in places
        ]
        problems += [
            Problem(EVENTS, e.line, "organization_code", f"Tổ chức {e.organization} {outside}")
            for e in self.events_new
            if e.organization and organization_ids[e.organization] not in organizations
        ]
        visible = set()
        for chunk in _chunks(self.member_ids[code] for code in self.members_changed):
            visible.update(
                member_visible_to(self.user).filter(pk__in=chunk).values_list("pk", flat=True)
            )
        problems += [
            Problem(MEMBERS, line, "member_id", f"Đảng viên {code} {outside}")
            for code, line in self.member_lines.items()
            if code in self.members_changed and self.member_ids[code] not in visible
        ]
        if problems:
            raise _Rejected(sorted(problems, key=lambda p: (_file_order(p.file), p.line)))

    def _write_members(self) -> None:
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now)

        # Names repeat a lot ("Lò Văn Hùng") and their collation key is costly: compute each once.
        name_key = lru_cache(maxsize=None)(name_collation_key)

        def row(code: str, profile: dict) -> tuple:
            values = {name: profile.get(name, "") for name in PROFILE_FIELDS}
            values["birth_date"] = connection.ops.adapt_datefield_value(values["birth_date"])
            # No save(): the search and sort keys are derived here, as Member.save() does.
            keys = (fold(values["full_name"]), name_key(values["full_name"]))
            return (code, *values.values(), *keys, "", False, stamp, stamp)

        self.report.created["members"] = _insert(
            Member,
            ("code", *PROFILE_FIELDS, "name_folded", "name_key", "photo", "is_sample",
             "created_at", "updated_at"),
            (row(code, profile) for code, profile in self.members_new.items()),
            progress=self.advance,
        )  # fmt: skip
        self.member_ids.update(_ids(Member, self.members_new))

        changed, fields = [], set()
        for code, changes in self.members_changed.items():
            member = Member(pk=self.member_ids[code], **{**self.existing_profiles[code], **changes})
            member.name_folded = fold(member.full_name)
            member.name_key = name_collation_key(member.full_name)
            member.updated_at = now
            fields.update(changes)
            changed.append(member)
        Member.objects.bulk_update(
            changed, [*sorted(fields), "name_folded", "name_key", "updated_at"], batch_size=500
        )
        self.report.created["members_updated"] = len(changed)
        self.advance(len(changed))

    def _write_events(self, organization_ids: dict[str, int], place_ids: dict[str, int]) -> None:
        adapt_date = connection.ops.adapt_datefield_value
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        user_id = getattr(self.user, "pk", None)
        self.report.created["member_events"] = _insert(
            MemberEvent,
            ("member", "date", "kind", "organization", "place", "reason", "note", "recorded_at",
             "recorded_by"),
            (
                (self.member_ids[e.member], adapt_date(e.date), e.kind,
                 organization_ids.get(e.organization), place_ids.get(e.place), e.reason, e.note,
                 stamp, user_id)
                for e in self.events_new
            ),
            progress=self.advance,
        )  # fmt: skip

    def _write_spans(self, organization_ids: dict[str, int], place_ids: dict[str, int]) -> None:
        """The spans of every member with new events, from the replay done while validating."""
        adapt_date = connection.ops.adapt_datefield_value
        rederived = [self.member_ids[c] for c in self.spans if c in self.existing_profiles]
        for chunk in _chunks(rederived):
            MembershipSpan.objects.filter(member_id__in=chunk).delete()
        _insert(
            MembershipSpan,
            ("member", "organization", "place", "status", "exempted", "valid_from", "valid_to",
             "served_since"),
            (
                (self.member_ids[code], organization_ids[s.organization_id],
                 place_ids[s.place_id], s.status, s.exempted, adapt_date(s.valid_from),
                 adapt_date(s.valid_to), adapt_date(s.served_since))
                for code, spans in self.spans.items()
                for s in spans
            ),
        )  # fmt: skip

    def _write_hierarchy(
        self, hierarchy, node_model, version_model, node_field, closure, place_ids=None
    ) -> dict[str, int]:
        """Insert new codes and versions, close versions, rebuild the closure once; returns
        code → id for every code the package mentions."""
        key = hierarchy.version_key
        new_codes = hierarchy.declared - hierarchy.existing_codes
        node_model.objects.bulk_create([node_model(code=c) for c in sorted(new_codes)])
        self.report.created[hierarchy.count_key] = len(new_codes)
        codes = set(hierarchy.declared) | hierarchy.existing_codes
        ids = _ids(node_model, codes)
        # Close first: PostgreSQL's exclusion constraint checks every statement.
        version_model.objects.bulk_update(
            [version_model(pk=v.pk, valid_to=v.valid_to) for v in hierarchy.closed], ["valid_to"]
        )
        self.report.created[f"{key}_closed"] = len(hierarchy.closed)
        objects = []
        for v in hierarchy.new:
            extra = {"place_id": place_ids[v.place]} if place_ids is not None else {}
            objects.append(
                version_model(
                    **{f"{node_field}_id": ids[v.code]},
                    name=v.name,
                    name_folded=fold(v.name),
                    kind=v.kind,
                    parent_id=ids.get(v.parent) if v.parent else None,
                    valid_from=v.valid_from,
                    valid_to=v.valid_to,
                    recorded_by=self.user,
                    **extra,
                )
            )
        version_model.objects.bulk_create(objects, batch_size=2000)
        self.report.created[key] = len(objects)
        touched = {ids[v.code] for v in [*hierarchy.new, *hierarchy.closed]}
        if touched:
            try:
                rebuild_closure(closure, touched)
            except CycleError as exc:
                code = next(c for c, pk in ids.items() if pk == exc.args[0])
                line = next((v.line for v in hierarchy.new if v.code == code), 0)
                raise _Rejected(
                    [
                        Problem(
                            hierarchy.file,
                            line,
                            "parent_code",
                            f"{hierarchy.label} {code} trở thành cấp dưới của chính nó.",
                        )
                    ]
                ) from exc
        self.advance(len(objects) + len(hierarchy.closed))
        return ids

    def _write_lineage(self, place_ids: dict[str, int]) -> None:
        existing = set()
        for chunk in _chunks([place_ids[f] for _, _, f, _, _ in self.lineage]):
            existing.update(
                PlaceLineage.objects.filter(from_place_id__in=chunk).values_list(
                    "date", "from_place_id", "to_place_id", "change"
                )
            )
        new = []
        for _, day, from_code, to_code, change in self.lineage:
            key = (day, place_ids[from_code], place_ids[to_code], change)
            if key in existing:
                self.report.skipped["place_lineage"] += 1
            else:
                new.append(
                    PlaceLineage(date=day, from_place_id=key[1], to_place_id=key[2], change=change)
                )
        PlaceLineage.objects.bulk_create(new)
        self.report.created["place_lineage"] = len(new)


def import_package(
    package: Package, *, acting_user=None, progress: Progress | None = None, job=None
) -> ImportReport:
    """Validate and import ``package``; nothing is written when any error is found.

    ``progress(done, total)`` is called as rows are validated and written. ``job`` (an
    :class:`~grassroots.interchange.models.ImportJob`) receives the audit entry summarising the
    import. Bulk inserts bypass model signals: the per-row audit entries that forms cause are
    not written, the summary stands for them."""
    return _Import(package, acting_user=acting_user, progress=progress, job=job).run()


def _admission_age_ok(birth: date, day: date) -> bool:
    months = policy.age_in_months(birth, day)
    return (
        policy.get("ADMISSION_MIN_AGE_MONTHS") <= months <= policy.get("ADMISSION_MAX_AGE_MONTHS")
    )


def _fact(event: _Event, seq: int) -> lifecycle.Fact:
    # Replay only compares organisations and places, so codes stand in for ids.
    return lifecycle.Fact(
        date=event.date,
        kind=event.kind,
        organization_id=event.organization,
        place_id=event.place,
        reason=event.reason,
        seq=seq,
    )


def _insert(
    model, fields: tuple[str, ...], rows: Iterable[tuple], *, progress: Callable | None = None
) -> int:
    """Insert ``rows`` (values of ``fields``, already adapted for the database) with one
    prepared statement per batch. ``bulk_create`` builds a model instance and compiles SQL for
    every row, which is most of an import's time at scale; this path skips both, and with them
    ``save()`` and signals (callers derive computed columns themselves). On PostgreSQL each
    batch goes through ``COPY``."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    # Identifiers come from model metadata, values go as parameters.
    table, marks = quote(model._meta.db_table), ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    count = 0
    with connection.cursor() as cursor:
        for batch in _chunks(rows, PROGRESS_ROWS):
            # ``rows`` may read the database while it is produced, so each batch is gathered
            # before its statement starts (a COPY in progress owns the connection).
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, batch)
            count += len(batch)
            if progress:
                progress(len(batch))
    return count


def _ids(model, codes: Iterable[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        ids.update(model.objects.filter(code__in=chunk).values_list("code", "pk"))
    return ids


def _chunks(items: Iterable, size: int = 900) -> Iterable[list]:
    """Lists of at most ``size`` items (the default suits SQLite's limit on query parameters)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _file_order(file: str) -> int:
    return list(COLUMNS).index(file) if file in COLUMNS else len(COLUMNS)
