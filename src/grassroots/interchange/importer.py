"""Importing an interchange package (INTERCHANGE.md): all or nothing, idempotent, fast, in
bounded memory.

The import runs the rules the forms run, on the whole package at once:

1. **Validate** every row (read-only, outside any transaction of the project's database, so the
   job's progress is visible): columns, required values, kinds and dates; codes that must exist
   (in the package or the database); versions of one code that must not overlap; parents,
   attached places and event organisations/places that must be valid on the date; every
   member's events replayed by :func:`grassroots.members.replay.replay` (the state machine of
   the member services). Problems are collected as ``file:line: column: message``, sorted by
   file and line; the report lists the first :data:`~grassroots.interchange.staging
   .PROBLEM_LIMIT` and counts the others.
2. **Write** (only when there is no error), in one ``transaction.atomic()``: places,
   organisations and their versions; closure tables rebuilt once per hierarchy; members,
   events, and the membership spans from the replay; the optional files; one audit entry
   summarising the import. A problem found while writing (scope, a cycle, an optional file)
   rolls everything back.

Memory: places, organisations and lineage (hundreds of thousands of rows nationally) are read
as streams and kept as versions by code. ``members.csv`` and ``member_events.csv`` (millions of
rows) are never held: their rows are copied as they are read into a private SQLite file
(:class:`~grassroots.interchange.staging.Staging`), read back sorted by member code then line —
the files may be in any order; a member's events are replayed in date order, same-day events
in file order — and validated a chunk of :data:`MEMBER_CHUNK` members at a time, together with
those members' rows in the database. What is to be written (new members, changed profiles,
events, spans) is staged in the same file and streamed into the database by the write
transaction (one ``COPY`` per table on PostgreSQL; new members get their ids from the table's
sequence first, so events and spans need no look-up by code).

Rows already present are skipped (an identical version, profile or event), so importing the
same package twice changes nothing. A version of an existing code from a new date is a change
(rename, re-parenting…): the version valid until then is closed at that date, as
:func:`grassroots.core.versioning.change_from` does.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from auditlog.models import LogEntry
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from grassroots import policy
from grassroots.core import registry, scope
from grassroots.core.errors import RuleError
from grassroots.core.hierarchy import CycleError, rebuild_closure
from grassroots.core.iterables import chunks
from grassroots.core.temporal import OPEN_END, is_valid_on, parse_date
from grassroots.core.text import fold, format_date, name_collation_key
from grassroots.interchange.reader import Package, Table, _convert
from grassroots.interchange.report import ImportReport, Problem
from grassroots.interchange.staging import Problems, Staging
from grassroots.members import replay as lifecycle
from grassroots.members import tally
from grassroots.members.models import (
    EventKind,
    Gender,
    LeftReason,
    Member,
    MemberEvent,
    MembershipSpan,
)
from grassroots.members.profile import CODED_FIELDS
from grassroots.members.selectors import member_visible_to
from grassroots.members.services import PROFILE_FIELDS, RECORD_DATE_FIELDS, event_warnings
from grassroots.organizations import services as organization_services
from grassroots.organizations.models import (
    Organization,
    OrganizationKind,
    OrganizationVersion,
    UnitType,
)
from grassroots.organizations.selectors import scope_organization_ids
from grassroots.places import services as place_services
from grassroots.places.models import LineageChange, Place, PlaceKind, PlaceLineage, PlaceVersion
from grassroots.places.selectors import place_visible_to

PLACES, LINEAGE, ORGANIZATIONS = "places.csv", "place_lineage.csv", "organizations.csv"
MEMBERS, EVENTS = "members.csv", "member_events.csv"
#: The member record's earlier gaps (``members.replay.parse_gaps``).
GAPS = "earlier_gaps"
#: A members.csv without the column: the stored value stays.
_UNSET: Any = object()
#: The member columns of members.csv: the profile, then the record's dates (optional).
MEMBER_FIELDS = (*PROFILE_FIELDS, *RECORD_DATE_FIELDS, GAPS)

#: Columns of each file, in the order the export writes them.
COLUMNS: dict[str, tuple[str, ...]] = {
    PLACES: ("code", "name", "kind", "parent_code", "valid_from", "valid_to"),
    LINEAGE: ("date", "from_code", "to_code", "change"),
    ORGANIZATIONS: (
        "code",
        "name",
        "kind",
        "parent_code",
        "place_code",
        "valid_from",
        "valid_to",
        "unit_type",
    ),  # fmt: skip
    MEMBERS: ("member_id", *MEMBER_FIELDS),
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

#: The apps' optional files (party development, ratings…), declared in the app registry and
#: imported after the registry's own files.
PARTS = registry.interchange_parts()
#: Each optional file and the part that imports it.
OPTIONAL: dict[str, object] = {name: part for part in PARTS for name in part.COLUMNS}
for _part in PARTS:
    COLUMNS.update(_part.COLUMNS)
    REQUIRED.update(_part.REQUIRED)

#: Event kinds a package may carry (corrections are not part of the format: export writes only
#: effective events).
EVENT_KINDS = frozenset(EventKind.values) - {EventKind.CANCELLED}
GENDERS = frozenset(Gender.values)
# A hand-typed sheet often says "Nam"/"Nữ" rather than the format's code: read as the code.
GENDER_BY_LABEL = {fold(choice.label): choice.value for choice in Gender}


def _choices_text(choices) -> str:
    """The format's codes with their Vietnamese labels, for a message: ``male (Nam), …``."""
    return ", ".join(f"{choice.value} ({choice.label})" for choice in choices)


LEFT_REASONS = frozenset(LeftReason.values)
_LEFT, _ADMITTED = str(EventKind.LEFT.value), str(EventKind.ADMITTED.value)

Progress = Callable[[int, int], None]
#: Rows between two progress reports, and per INSERT statement.
PROGRESS_ROWS = 5000
#: Members validated (and their existing rows read) together.
MEMBER_CHUNK = 500

#: Staging tables of the two streamed files, and of what the validation decides to write.
_STAGE = {MEMBERS: "m", EVENTS: "e"}
_OUT_COLUMNS = {
    "om": ["code", *MEMBER_FIELDS, "name_folded", "name_key"],
    "oc": ["id", "code", "line", "profile", "fields"],
    "oe": ["code", "line", "day", "kind", "org", "place", "reason", "note"],
    "os": ["code", "org", "place", "status", "exempted", "valid_from", "valid_to", "served_since"],
}

# Names repeat a lot ("Lò Văn Hùng") and their collation key is costly: compute each once.
_name_key = lru_cache(maxsize=65536)(name_collation_key)
_fold = lru_cache(maxsize=65536)(fold)
# Dates repeat a lot too (thousands of distinct days for millions of events).
_parse_date = lru_cache(maxsize=65536)(parse_date)


class _Rejected(Exception):
    """Raised inside the write transaction to roll it back with these problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems


@dataclass(slots=True)
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
    #: Organisations: the unit type (``UnitType``); None when the package has no such column
    #: (a package of an earlier version then matches a stored version whatever its type).
    unit_type: str | None = None

    def same_content(self, other: _Version) -> bool:
        same_type = (
            self.unit_type is None or other.unit_type is None or self.unit_type == other.unit_type
        )
        return same_type and (self.name, self.kind, self.parent, self.place) == (
            other.name,
            other.kind,
            other.parent,
            other.place,
        )


@dataclass(slots=True)
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
    looked_up: set[str] = field(default_factory=set)  # codes read from the database

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

    def kind_on(self, code: str, day: date) -> str | None:
        """The kind of ``code`` on ``day`` as far as known (None: unknown)."""
        for v in self.versions.get(code) or ():
            if is_valid_on(v.valid_from, v.valid_to, day):
                return v.kind
        return None


class _Import:
    def __init__(self, package: Package, *, acting_user, progress: Progress | None, job):
        self.package = package
        self.user = acting_user
        self.job = job
        self.report = ImportReport(ignored=list(package.ignored))
        self.errors = Problems(_file_order)
        self.warnings = Problems(_file_order)
        self.places = _Hierarchy(PLACES, "Địa bàn", "places")
        self.organizations = _Hierarchy(ORGANIZATIONS, "Tổ chức", "organizations")
        self.lineage: list[tuple[int, date, str, str, str]] = []
        self.optional: dict[str, list] = {}
        self.stage: Staging | None = None
        self._shared: dict = {}
        self._sorted: dict[str, bool] = {}
        self.db_has_members = False
        # Only what one chunk of members needs, or the rows to stage for it.
        self._out_members: list[tuple] = []
        self._out_changed: list[tuple] = []
        self._out_events: list[tuple] = []
        self._out_spans: list[tuple] = []
        self._out_ids: list[tuple] = []
        self._age_low = policy.get("ADMISSION_MIN_AGE_MONTHS")
        self._age_high = policy.get("ADMISSION_MAX_AGE_MONTHS")
        self._age_warnings: dict[int, list[str]] = {}
        self._progress = progress
        self._done = 0
        # Work units: every row is checked and written once, every event also replayed.
        events = package.tables.get(EVENTS)
        self._total = package.row_count * 2 + (events.estimate if events else 0) or 1
        self._next_tick = 0

    # -- reporting -------------------------------------------------------------------------
    def error(self, file: str, line: int, column: str, message: str) -> None:
        self.errors.add(Problem(file, line, column, message))

    def warn(self, file: str, line: int, column: str, message: str) -> None:
        self.warnings.add(Problem(file, line, column, message))

    def advance(self, rows: int) -> None:
        self._done = min(self._total, self._done + rows)
        if self._progress and (self._done >= self._next_tick or self._done == self._total):
            self._next_tick = self._done + max(1, self._total // 100)
            self._progress(self._done, self._total)

    @property
    def staged(self) -> Staging:
        """The staging store, open while :meth:`run` runs."""
        assert self.stage is not None, "the staging store is opened by run()"
        return self.stage

    # -- the import ------------------------------------------------------------------------
    def run(self) -> ImportReport:
        started = time.perf_counter()
        if self._progress:
            self._progress(0, self._total)
        self.stage = stage = Staging()
        if self.job is not None and self.job.pk:  # removed by the next start if this one dies
            type(self.job).objects.filter(pk=self.job.pk).update(staging=stage.folder)
        try:
            self.validate()
            if not self.errors:
                try:
                    # Spans and closure rows are written in bulk: the subtree tallies are
                    # rebuilt once, set-based, before the commit.
                    with transaction.atomic(), tally.deferred():
                        self.write()
                    if self.report.changed >= ANALYZE_ROWS:
                        _analyze()
                except _Rejected as rejected:
                    for problem in rejected.problems:
                        self.errors.add(problem)
                    self.report.created.clear()
        finally:
            stage.close()
        self.report.errors = self.errors.listed("lỗi")
        self.report.error_count = self.errors.total
        self.report.warnings = self.warnings.listed("cảnh báo") + self.report.warnings
        self.report.conversions = list(self.package.conversions)
        self.report.rows = self.package.row_count
        if self._progress:
            self._progress(self._total, self._total)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def validate(self) -> None:
        self.check_columns()
        self.db_has_members = Member.objects.exists()
        # The registry's files are read as streams, a row at a time (three passes: the legacy
        # conversions of the file, the codes to read from the database, the versions).
        for name in (PLACES, LINEAGE, ORGANIZATIONS):
            self._prepare(name)
        self.load_existing()
        self.read_versions(self.places, self._dict_rows(PLACES))
        self.read_versions(self.organizations, self._dict_rows(ORGANIZATIONS))
        self.read_lineage(self._dict_rows(LINEAGE))
        for name in OPTIONAL:
            if name in self.package.tables:
                self.optional[name] = self._read_table(name)
        self.stage_rows(MEMBERS)
        self.stage_rows(EVENTS)
        self.read_members_and_events()

    def _prepare(self, name: str) -> None:
        table = self.package.tables.get(name)
        if table is not None:
            table.finish()
            for line in table.overflow:
                self.error(name, line, "(trống)", "dòng có nhiều giá trị hơn số cột.")

    def _dict_rows(self, name: str) -> Iterable[tuple[int, dict[str, str]]]:
        """The rows of a prepared table, one ``(line, {column: text})`` at a time."""
        table = self.package.tables.get(name)
        if table is None:
            return
        columns = table.columns
        for line, cells in table.records():
            yield line, dict(zip(columns, table.fixed(cells), strict=False))

    def _read_table(self, name: str) -> list[tuple[int, dict[str, str]]]:
        table = self.package.tables.get(name)
        if table is None:
            return []
        rows = table.rows
        for line in table.overflow:
            self.error(name, line, "(trống)", "dòng có nhiều giá trị hơn số cột.")
        return rows

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
                if column in REQUIRED[name] and column not in seen and table.has_rows:
                    self.error(name, 1, column, "thiếu cột bắt buộc.")

    def load_existing(self) -> None:
        """Read the registry the package refers to from the database: codes and versions. Only
        the codes the registry's files mention are read here; codes only events name are read
        chunk by chunk (:meth:`_load_codes`), as are members and their events."""
        place_codes: set[str] = set()
        org_codes: set[str] = set()
        for _, row in self._dict_rows(PLACES):
            place_codes.update((row.get("code", ""), row.get("parent_code", "")))
        for _, row in self._dict_rows(LINEAGE):
            place_codes.update((row.get("from_code", ""), row.get("to_code", "")))
        for _, row in self._dict_rows(ORGANIZATIONS):
            org_codes.update((row.get("code", ""), row.get("parent_code", "")))
            place_codes.add(row.get("place_code", ""))
        self._load_codes(self.places, place_codes)
        self._load_codes(self.organizations, org_codes)

    def _load_codes(self, hierarchy: _Hierarchy, codes: Iterable[str]) -> None:
        codes = set(codes) - hierarchy.looked_up - {""}
        if not codes:
            return
        hierarchy.looked_up.update(codes)
        node_model: type[Place] | type[Organization]
        version_model: type[PlaceVersion] | type[OrganizationVersion]
        extra: tuple[str, ...]
        if hierarchy is self.places:
            node_model, version_model, extra = Place, PlaceVersion, ()
        else:
            node_model, version_model = Organization, OrganizationVersion
            extra = ("place__code", "unit_type")
        node = node_model._meta.model_name
        for chunk in chunks(codes):
            hierarchy.existing_codes.update(
                node_model.objects.filter(code__in=chunk).values_list("code", flat=True)
            )
            rows = version_model.objects.filter(**{f"{node}__code__in": chunk}).values_list(
                "pk", f"{node}__code", "name", "kind", "parent__code", *extra,
                "valid_from", "valid_to",
            )  # fmt: skip
            for pk, code, name, kind, parent, *place, start, end in rows:
                attached, unit_type = (place[0], place[1]) if place else (None, None)
                hierarchy.versions[code].append(
                    _Version(code, name, kind, parent, attached, start, end, pk=pk,
                             unit_type=unit_type)
                )  # fmt: skip

    # -- places and organisations --------------------------------------------------------
    def read_versions(self, hierarchy: _Hierarchy, rows) -> None:
        file = hierarchy.file
        kinds = PlaceKind.values if file == PLACES else OrganizationKind.values
        parsed: list[_Version] = []
        count = 0
        for line, row in rows:
            count += 1
            code = row.get("code", "")
            if code:
                hierarchy.declared.add(code)
            version = self._version_row(file, line, row, code, kinds)
            if version is not None:
                parsed.append(version)
        self.advance(count)

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
        check_kinds = (
            place_services.check_place_kinds
            if file == PLACES
            else organization_services.check_organization_kinds
        )
        for version in hierarchy.new:
            day = version.valid_from
            try:  # the services' hierarchy kinds rule (policy ``*_PARENT_KINDS``)
                parent_kind = hierarchy.kind_on(version.parent, day) if version.parent else None
                check_kinds(version.kind, parent_kind)
            except RuleError as exc:
                self.error(file, version.line, "parent_code", exc.messages[0])
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
        errors = self.errors.total
        values = {}
        for column in ("code", "name", "kind", "valid_from"):
            values[column] = row.get(column, "")
            if not values[column] and column in row:
                self.error(file, line, column, "cần có giá trị.")
        if values["kind"] and values["kind"] not in kinds:
            self.error(file, line, "kind", f"loại không hợp lệ: {values['kind']}.")
        start = self._row_date(file, line, row, "valid_from")
        end = self._row_date(file, line, row, "valid_to")
        if start and end and end <= start:
            self.error(file, line, "valid_to", "ngày kết thúc phải sau ngày bắt đầu.")
        parent = row.get("parent_code", "") or None
        if parent is not None and parent == code:
            self.error(file, line, "parent_code", "không thể trực thuộc chính nó.")
        place = row.get("place_code", "") or None
        if file == ORGANIZATIONS and not place and "place_code" in row:
            self.error(file, line, "place_code", "cần có giá trị.")
        unit_type = row.get("unit_type") if file == ORGANIZATIONS else None
        if unit_type and unit_type not in UnitType.values:
            self.error(file, line, "unit_type", f"loại hình đơn vị không hợp lệ: {unit_type}.")
        if self.errors.total > errors or not (code and start):
            return None
        # One object per distinct parent, place, kind and day: a national registry has 400,000 versions.
        share = self._shared
        kind = share.setdefault(values["kind"], values["kind"])
        parent = share.setdefault(parent, parent) if parent else None
        place = share.setdefault(place, place) if place else None
        start = share.setdefault(start, start)
        end = share.setdefault(end, end) if end else None
        if unit_type is not None:
            unit_type = share.setdefault(unit_type, unit_type)
        return _Version(
            code, values["name"], kind, parent, place, start, end, line, unit_type=unit_type
        )

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

    def read_lineage(self, rows) -> None:
        seen: set[tuple] = set()
        count = 0
        for line, row in rows:
            count += 1
            day = self._row_date(LINEAGE, line, row, "date")
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
        self.advance(count)

    # -- members and their events --------------------------------------------------------
    def stage_rows(self, name: str) -> None:
        """Copy the rows of members.csv or member_events.csv into the staging store, as they
        are read: ``(member code, line, cells…)``."""
        table = self.package.tables.get(name)
        width = len(table.columns) if table is not None else 0
        self.staged.create(f"{_STAGE[name]}", ["code", "line", *(f"c{i}" for i in range(width))])
        if table is None or not width:
            return
        code_index = table.columns.index("member_id") if "member_id" in table.columns else None
        advance = self.advance

        ordered = True
        last = ""

        def rows():
            nonlocal ordered, last
            count = 0
            for line, cells in table.records():
                code = cells[code_index] if code_index is not None else ""
                if code < last:
                    ordered = False
                last = code
                yield (code, line, *cells)
                count += 1
                if count == PROGRESS_ROWS:
                    advance(count)
                    count = 0
            advance(count)

        self.staged.insert(_STAGE[name], width + 2, rows())
        # A file already sorted by member (as the export writes it) is read back as it is.
        self._sorted[name] = ordered
        for line in table.overflow:
            self.error(name, line, "(trống)", "dòng có nhiều giá trị hơn số cột.")

    def read_members_and_events(self) -> None:
        """Both files, sorted by member code (then line) by the staging store, merged and
        validated chunk by chunk of members."""
        members = self.package.tables.get(MEMBERS)
        events = self.package.tables.get(EVENTS)
        self._member_columns = _Columns(members)
        self._event_columns = _Columns(events)
        self._event_index = self._event_columns.index(
            "date", "event", "organization_code", "place_code", "reason", "note"
        )
        for name in ("om", "oe", "os", "oc"):
            self.staged.create(name, _OUT_COLUMNS[name])
        self.staged.create("ids", ["code TEXT PRIMARY KEY", "id INTEGER", "rederive INTEGER"],
                          " WITHOUT ROWID")  # fmt: skip
        order = {name: "rowid" if self._sorted.get(name) else "code, line" for name in _STAGE}
        member_rows = self.staged.query(f"SELECT * FROM m ORDER BY {order[MEMBERS]}")  # noqa: S608
        event_rows = self.staged.query(f"SELECT * FROM e ORDER BY {order[EVENTS]}")  # noqa: S608
        chunk: list[tuple[str, list, list]] = []
        size = 0
        for group in _merge(member_rows, event_rows):
            chunk.append(group)
            size += len(group[2])
            if len(chunk) >= MEMBER_CHUNK or size >= 20 * MEMBER_CHUNK:
                self._member_chunk(chunk)
                chunk, size = [], 0
        if chunk:
            self._member_chunk(chunk)
        for table in (members, events):
            if table is not None:
                table.finish()

    def _member_chunk(self, groups: list[tuple[str, list, list]]) -> None:
        codes = [code for code, _, _ in groups if code]
        profiles: dict[str, dict] = {}
        member_ids: dict[str, int] = {}
        existing_events: dict[str, list[_Event]] = defaultdict(list)
        if self.db_has_members:
            for chunk in chunks(codes):
                for values in Member.objects.filter(code__in=chunk).values(
                    "pk", "code", *MEMBER_FIELDS
                ):
                    member_ids[values["code"]] = values.pop("pk")
                    profiles[values["code"]] = values
            for pks in chunks(member_ids.values()):
                rows = (
                    MemberEvent.objects.filter(member_id__in=pks, superseded_by__isnull=True)
                    .exclude(kind=EventKind.CANCELLED)
                    .order_by("date", "pk")
                    .values_list(
                        "member__code", "date", "kind", "organization__code", "place__code",
                        "reason",
                    )
                )  # fmt: skip
                for code, day, kind, org, place, reason in rows:
                    existing_events[code].append(
                        _Event(0, code, day, kind, org, place, reason or "", "")
                    )
        # Organisations and places only events name: read from the database once.
        org_index, place_index = self._event_columns.index("organization_code", "place_code")
        for hierarchy, index in ((self.organizations, org_index), (self.places, place_index)):
            if index is not None:
                self._load_codes(
                    hierarchy,
                    {r[index] for _, _, rows in groups for r in rows} - hierarchy.looked_up,
                )

        for code, member_rows, event_rows in groups:
            profile = profiles.get(code)
            known, birth, (given, gaps_given) = self._member_rows(
                code, member_rows, profile, member_ids.get(code)
            )
            known = known or code in member_ids
            if profile is not None and birth is None:
                birth = profile["birth_date"]
            stored = profile["admitted_on"] if profile is not None else None
            stored_gaps = profile[GAPS] if profile is not None else ""
            admitted_on = stored if given is _UNSET else given
            gaps = stored_gaps if gaps_given is _UNSET else gaps_given
            # a new date of admission (or new gaps) moves the served time of the stored spans
            redo = profile is not None and (
                (given is not _UNSET and given != stored)
                or (gaps_given is not _UNSET and gaps_given != stored_gaps)
            )
            events = []
            for row in event_rows:
                event = self._event_row(row, known)
                if event is not None:
                    events.append(event)
            if events or redo:
                self._replay_member(
                    code, events, existing_events.get(code, []), birth, member_ids.get(code),
                    admitted_on, gaps, redo=redo,
                )  # fmt: skip
            self.advance(len(event_rows))
        self._flush()

    def _flush(self) -> None:
        if self.errors:  # nothing will be written: stage nothing more
            for rows in (self._out_members, self._out_changed, self._out_events,
                         self._out_spans, self._out_ids):  # fmt: skip
                rows.clear()
            return
        for name, rows in (
            ("om", self._out_members),
            ("oc", self._out_changed),
            ("oe", self._out_events),
            ("os", self._out_spans),
            ("ids", self._out_ids),
        ):
            if rows:
                self.staged.insert(name, len(rows[0]), rows)
                rows.clear()

    def _member_rows(self, code: str, rows: list[tuple], existing: dict | None, member_id):
        """Validate the rows of members.csv of ``code``; returns whether the file has the code
        (a row with it, valid or not), the valid birth date of its row and its date of
        admission (None: not given)."""
        if not rows:
            return False, None, (_UNSET, _UNSET)
        if not code:
            for row in rows:
                self.error(MEMBERS, row[1], "member_id", "cần có giá trị.")
            return False, None, (_UNSET, _UNSET)
        first = rows[0][1]
        for row in rows[1:]:
            self.error(MEMBERS, row[1], "member_id", f"mã đảng viên đã có ở dòng {first}.")
        row = rows[0]
        line = row[1]
        cells = self._member_columns.fixed(row)
        # Only the columns the file has: a package without "religion" keeps the stored one.
        profile = {name: cells[i] for name, i in self._member_columns.profile}
        birth = profile["birth_date"] = self._date(
            MEMBERS, line, profile.get("birth_date", ""), "birth_date",
            "birth_date" in self._member_columns.present,
        )  # fmt: skip
        for name in RECORD_DATE_FIELDS:
            if name in profile:
                profile[name] = self._date(MEMBERS, line, profile[name], name, False)
        admitted_on, confirmed_on = profile.get("admitted_on"), profile.get("confirmed_on")
        given = (profile.get("admitted_on", _UNSET), profile.get(GAPS, _UNSET))
        if GAPS in profile:
            try:
                gaps = lifecycle.parse_gaps(profile[GAPS])
            except ValueError as exc:
                self.error(MEMBERS, line, GAPS, str(exc))
                gaps = []
            profile[GAPS] = lifecycle.format_gaps(gaps)
            given = (given[0], profile[GAPS])
            if gaps and (admitted_on is None or gaps[0][0] < admitted_on):
                self.error(
                    MEMBERS, line, GAPS,
                    "gián đoạn phải sau ngày vào Đảng (cần có admitted_on).",
                )  # fmt: skip
        if admitted_on and birth and admitted_on <= birth:
            self.error(MEMBERS, line, "admitted_on", "ngày vào Đảng phải sau ngày sinh.")
        if confirmed_on and admitted_on and confirmed_on < admitted_on:
            self.error(
                MEMBERS, line, "confirmed_on", "ngày chính thức không được trước ngày vào Đảng."
            )
        if not profile.get("full_name"):
            self.error(MEMBERS, line, "full_name", "cần có giá trị.")
        for name, choices in CODED_FIELDS.items():
            if profile.get(name) and profile[name] not in choices.values:
                self.error(
                    MEMBERS,
                    line,
                    name,
                    f"'{profile[name]}' không phải một mã hợp lệ ({', '.join(choices.values)}).",
                )
        if "gender" in profile:
            profile["gender"] = GENDER_BY_LABEL.get(fold(profile["gender"]), profile["gender"])
        if profile.get("gender") not in GENDERS:
            self.error(
                MEMBERS,
                line,
                "gender",
                f"giới tính phải là Nam hoặc Nữ ({_choices_text(Gender)}), "
                f"không phải '{profile.get('gender', '')}'.",
            )
        if birth is None:
            return True, None, given
        if existing is None:
            values = [profile.get(name, "") for name in PROFILE_FIELDS]
            values[PROFILE_FIELDS.index("birth_date")] = birth.isoformat()
            values += [_iso(profile.get(name)) or None for name in RECORD_DATE_FIELDS]
            values.append(profile.get(GAPS, ""))
            full_name = values[0]
            self._out_members.append((code, *values, _fold(full_name), _name_key(full_name)))
            return True, birth, given
        changes = {k: v for k, v in profile.items() if existing[k] != v}
        if changes:
            merged = {**existing, **changes}
            for name in ("birth_date", *RECORD_DATE_FIELDS):
                merged[name] = _iso(merged[name]) or None
            self._out_changed.append(
                (member_id, code, line, json.dumps(merged), json.dumps(sorted(changes)))
            )
        else:
            self.report.skipped["members_updated"] += 1
        return True, birth, given

    def _event_row(self, row: tuple, known: bool) -> _Event | None:
        cells = self._event_columns.fixed(row)
        line = row[1]
        errors = self.errors.total
        i_date, i_kind, i_org, i_place, i_reason, i_note = self._event_index
        code = row[0]
        if not code:
            self.error(EVENTS, line, "member_id", "cần có giá trị.")
        elif not known:
            self.error(
                EVENTS,
                line,
                "member_id",
                f"không có đảng viên {code} trong members.csv hay trong hệ thống.",
            )
        text = cells[i_date] if i_date is not None else ""
        day = _parse_date(text) if text else None
        if day is None:
            day = self._date(EVENTS, line, text, "date", i_date is not None)
        kind = cells[i_kind] if i_kind is not None else ""
        if kind not in EVENT_KINDS:
            self.error(
                EVENTS,
                line,
                "event",
                f"loại sự kiện không hợp lệ: '{kind}' (cần một trong: "
                f"{_choices_text(c for c in EventKind if c.value in EVENT_KINDS)}).",
            )
        organization = (cells[i_org] if i_org is not None else "") or None
        place = (cells[i_place] if i_place is not None else "") or None
        for column, hierarchy, ref in (
            ("organization_code", self.organizations, organization),
            ("place_code", self.places, place),
        ):
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
        reason = cells[i_reason] if i_reason is not None else ""
        if reason and kind != _LEFT:
            self.error(
                EVENTS, line, "reason", "chỉ sự kiện 'left' (ra khỏi danh sách) mới có lý do."
            )
        elif kind == _LEFT and reason not in LEFT_REASONS:
            self.error(
                EVENTS, line, "reason", f"lý do phải là một trong {', '.join(LeftReason.values)}."
            )
        if self.errors.total > errors or day is None:
            return None
        note = cells[i_note] if i_note is not None else ""
        return _Event(line, code, day, kind, organization, place, reason, note)

    def _replay_member(
        self, code: str, events: list[_Event], existing: list[_Event], birth, member_id,
        admitted_on: date | None = None, gaps: str = "", *, redo: bool = False,
    ) -> None:  # fmt: skip
        """Skip the events already recorded, then replay old and new together: the same state
        machine the member services use refuses an event that does not fit."""
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
        if not new and not redo:
            return
        Fact, offset = lifecycle.Fact, len(existing)
        # Replay only compares organisations and places, so codes stand in for ids.
        new_facts = [
            Fact(e.date, e.kind, e.organization, e.place, e.reason, offset + e.line) for e in new
        ]
        facts = [_fact(e, seq) for seq, e in enumerate(existing)] + new_facts
        try:
            spans = lifecycle.replay(
                facts, admitted_on=admitted_on, gaps=lifecycle.parse_gaps(gaps)
            )
        except lifecycle.ReplayError as exc:
            line = next(
                (e.line for e, fact in zip(new, new_facts, strict=True) if fact == exc.fact),
                new[0].line,
            )
            self.error(EVENTS, line, "event", str(exc))
            return
        if member_id is not None:
            self._out_ids.append((code, member_id, 1))
        for e in new:
            self._out_events.append(
                (code, e.line, e.date.isoformat(), e.kind, e.organization or "", e.place or "",
                 e.reason, e.note)
            )  # fmt: skip
        for s in spans:
            self._out_spans.append(
                (code, s.organization_id, s.place_id, s.status, s.exempted,
                 s.valid_from.isoformat(), _iso(s.valid_to), _iso(s.served_since))
            )  # fmt: skip
        if birth:
            for event in new:
                if event.kind == _ADMITTED:
                    for message in self._admission_warnings(birth, event.date):
                        self.warn(EVENTS, event.line, "date", message)

    def _admission_warnings(self, birth: date, day: date) -> list[str]:
        """The member services' own wording (``event_warnings``), which depends only on the age
        in months: instances are built once per age that warns."""
        months = policy.age_in_months(birth, day)
        if self._age_low <= months <= self._age_high:
            return []
        messages = self._age_warnings.get(months)
        if messages is None:
            messages = self._age_warnings[months] = [
                warning.message
                for warning in event_warnings(
                    Member(birth_date=birth), MemberEvent(kind=_ADMITTED, date=day)
                )
            ]
        return messages

    def _date(self, file: str, line: int, text: str, column: str, present: bool) -> date | None:
        if not text:
            if column in REQUIRED[file] and present:
                self.error(file, line, column, "cần có giá trị.")
            return None
        day = parse_date(text)
        if day is None:
            self.error(file, line, column, f"ngày không hợp lệ: '{text}' (cần YYYY-MM-DD).")
        return day

    def _row_date(self, file: str, line: int, row: dict, column: str) -> date | None:
        return self._date(file, line, row.get(column, ""), column, column in row)

    # -- writing ---------------------------------------------------------------------------
    def write(self) -> None:
        created = self.report.created
        # The versions by code served the validation only: free them for the closure tables.
        for hierarchy in (self.places, self.organizations):
            hierarchy.versions = defaultdict(list)
        self._shared = {}
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
        """The apps' optional files (candidates.csv, candidate_steps.csv, targets.csv,
        ratings.csv…): each part's ``import_rows`` writes them through its services, against the
        registry just written."""
        for part in PARTS:
            tables = {name: self.optional.get(name, []) for name in part.COLUMNS}
            if not any(tables.values()):
                continue
            result = part.import_rows(tables, acting_user=self.user)
            if result.problems:
                raise _Rejected([Problem(*p) for p in result.problems])
            self.report.created.update(result.created)
            self.report.skipped.update(result.skipped)
            self.report.warnings.extend(Problem(*w) for w in result.warnings)

    def _check_scope(self, organization_ids: dict[str, int], place_ids: dict[str, int]) -> None:
        """A user with a scope imports only inside it, as the forms allow: the organisations and
        places whose versions the package writes, the organisations its events name and the
        stored members whose profile or history it changes (those the user may change today,
        ``core.scope``). Checked after the closure tables are rebuilt, so that
        a new organisation under the scope counts as inside it."""
        if self.user is None:
            return
        # Organisations and places: the package writes their history, so what was inside the
        # scope on the days it was (``core.scope``, reading's rule); members: only those the
        # user may change today (a member who moved away is no longer theirs to rewrite).
        scope_ids = scope_organization_ids(self.user)
        if scope_ids is None:
            return
        organizations = set(scope_ids)
        places = set(place_visible_to(self.user).values_list("pk", flat=True))
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
        foreign = [
            code
            for (code,) in self.staged.query("SELECT DISTINCT org FROM oe WHERE org != ''")
            if organization_ids[code] not in organizations
        ]
        for chunk in chunks(foreign):
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT line, org FROM oe WHERE org IN ({marks}) ORDER BY line"  # noqa: S608
            problems += [
                Problem(EVENTS, line, "organization_code", f"Tổ chức {code} {outside}")
                for line, code in self.staged.query(sql, tuple(chunk))
            ]
        # stored members whose profile (members.csv) or history (member_events.csv) it changes
        for file, column, sql in (
            (MEMBERS, "member_id", "SELECT id, code, line FROM oc ORDER BY line"),
            (
                EVENTS,
                "member_id",
                "SELECT ids.id, ids.code, MIN(oe.line) FROM ids JOIN oe ON oe.code = ids.code "
                "GROUP BY ids.id, ids.code ORDER BY 3",
            ),
        ):
            for chunk in chunks(self.staged.query(sql)):
                visible = set(
                    member_visible_to(self.user, scope.CHANGE)
                    .filter(pk__in=[pk for pk, _, _ in chunk])
                    .values_list("pk", flat=True)
                )
                problems += [
                    Problem(file, line, column, f"Đảng viên {code} {outside}")
                    for pk, code, line in chunk
                    if pk not in visible
                ]
        if problems:
            raise _Rejected(problems)

    def _write_members(self) -> None:
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now)
        fields = ("id", "code", *MEMBER_FIELDS, "name_folded", "name_key", "photo", "is_sample",
                  "created_at", "updated_at")  # fmt: skip
        allocate = _id_allocator(Member)
        for batch in chunks(self.staged.query("SELECT code FROM om ORDER BY rowid"), 20_000):
            ids = allocate(len(batch))
            self.staged.insert(
                "ids", 3, ((code, pk, 0) for (code,), pk in zip(batch, ids, strict=True))
            )
        rows = self.staged.query(
            "SELECT ids.id, om.* FROM om JOIN ids ON ids.code = om.code ORDER BY om.rowid"
        )
        self.report.created["members"] = _insert(
            Member, fields, ((*row, "", False, stamp, stamp) for row in rows), progress=self.advance
        )

        changed_count = 0
        for batch in chunks(
            self.staged.query("SELECT id, profile, fields FROM oc ORDER BY rowid"), 500
        ):
            changed: list[Member] = []
            changed_fields: set[str] = set()
            for pk, profile, changes in batch:
                values = json.loads(profile)
                for name in ("birth_date", *RECORD_DATE_FIELDS):
                    if values.get(name):
                        values[name] = date.fromisoformat(values[name])
                member = Member(pk=pk, **values)
                member.name_folded = fold(member.full_name)
                member.name_key = name_collation_key(member.full_name)
                member.updated_at = now
                changed_fields.update(json.loads(changes))
                changed.append(member)
            Member.objects.bulk_update(
                changed,
                [*sorted(changed_fields), "name_folded", "name_key", "updated_at"],
                batch_size=500,
            )
            changed_count += len(changed)
            self.advance(len(changed))
        self.report.created["members_updated"] = changed_count

    def _write_events(self, organization_ids: dict[str, int], place_ids: dict[str, int]) -> None:
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        user_id = getattr(self.user, "pk", None)
        org_id, place_id = organization_ids.get, place_ids.get
        rows = self.staged.query(
            "SELECT ids.id, oe.day, oe.kind, oe.org, oe.place, oe.reason, oe.note "
            "FROM oe JOIN ids ON ids.code = oe.code ORDER BY oe.rowid"
        )
        self.report.created["member_events"] = _insert(
            MemberEvent,
            ("member", "date", "kind", "organization", "place", "reason", "note", "recorded_at",
             "recorded_by"),
            (
                (member, day, kind, org_id(org), place_id(place), reason, note, stamp, user_id)
                for member, day, kind, org, place, reason, note in rows
            ),
            progress=self.advance,
        )  # fmt: skip

    def _write_spans(self, organization_ids: dict[str, int], place_ids: dict[str, int]) -> None:
        """The spans of every member with new events, from the replay done while validating."""
        rederived = self.staged.query("SELECT id FROM ids WHERE rederive = 1")
        for chunk in chunks(pk for (pk,) in rederived):
            MembershipSpan.objects.filter(member_id__in=chunk).delete()
        # A replay also re-derives the spans of events already stored: their organisations and
        # places need not be named by the package (a package of events only).
        organization_ids = self._with_stored(organization_ids, Organization, "org")
        place_ids = self._with_stored(place_ids, Place, "place")
        rows = self.staged.query(
            "SELECT ids.id, os.org, os.place, os.status, os.exempted, os.valid_from, "
            "os.valid_to, os.served_since FROM os JOIN ids ON ids.code = os.code ORDER BY os.rowid"
        )
        _insert(
            MembershipSpan,
            ("member", "organization", "place", "status", "exempted", "valid_from", "valid_to",
             "served_since"),
            (
                (member, organization_ids[org], place_ids[place], status, bool(exempted), start,
                 end, served)
                for member, org, place, status, exempted, start, end, served in rows
            ),
        )  # fmt: skip

    def _with_stored(self, ids: dict[str, int], model, column: str) -> dict[str, int]:
        """``ids`` and the ids of the codes the staged spans name that it lacks."""
        sql = f"SELECT DISTINCT {column} FROM os WHERE {column} != ''"  # noqa: S608
        missing = {code for (code,) in self.staged.query(sql)} - ids.keys()
        return ids | _ids(model, missing) if missing else ids

    def _write_hierarchy(
        self, hierarchy, node_model, version_model, node_field, closure, place_ids=None
    ) -> dict[str, int]:
        """Insert new codes and versions, close versions, rebuild the closure once; returns
        code → id for every code the package mentions."""
        key = hierarchy.version_key
        new_codes = hierarchy.declared - hierarchy.existing_codes
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        _insert(node_model, ("code", "is_sample", "created_at"),
                ((code, False, stamp) for code in sorted(new_codes)))  # fmt: skip
        self.report.created[hierarchy.count_key] = len(new_codes)
        codes = set(hierarchy.declared) | hierarchy.existing_codes
        ids = _ids(node_model, codes)
        # Close first: PostgreSQL's exclusion constraint checks every statement.
        version_model.objects.bulk_update(
            [version_model(pk=v.pk, valid_to=v.valid_to) for v in hierarchy.closed], ["valid_to"]
        )
        self.report.created[f"{key}_closed"] = len(hierarchy.closed)
        # Rows, not instances (a national registry has hundreds of thousands of versions).
        user_id = getattr(self.user, "pk", None)
        fields: tuple[str, ...] = (node_field, "name", "name_folded", "kind", "parent", "valid_from", "valid_to",
                  "recorded_at", "recorded_by")  # fmt: skip
        if place_ids is not None:
            fields += ("place", "unit_type")
        rows = (
            (ids[v.code], v.name, fold(v.name), v.kind, ids.get(v.parent) if v.parent else None,
             v.valid_from.isoformat(), _iso(v.valid_to), stamp, user_id,
             *((place_ids[v.place], v.unit_type or "") if place_ids is not None else ()))
            for v in hierarchy.new
        )  # fmt: skip
        self.report.created[key] = _insert(version_model, fields, rows)
        touched = {ids[v.code] for v in [*hierarchy.new, *hierarchy.closed]}
        if touched:
            try:
                rebuild_closure(closure, touched, _insert_dated)
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
        self.advance(self.report.created[key] + len(hierarchy.closed))
        return ids

    def _write_lineage(self, place_ids: dict[str, int]) -> None:
        existing: set[tuple[date, int, int, str]] = set()
        for chunk in chunks([place_ids[f] for _, _, f, _, _ in self.lineage]):
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


#: After writing this many rows the planner's statistics are refreshed (``ANALYZE``).
ANALYZE_ROWS = 10_000
#: The models a large import fills: the figures' queries are planned from their statistics.
ANALYZED = (
    Place, PlaceVersion, Organization, OrganizationVersion, Member, MemberEvent, MembershipSpan,
)  # fmt: skip


def _analyze() -> None:
    """Refresh the query planner's statistics of the tables a large import filled: without
    them PostgreSQL plans a figure of one cell as if the tables were empty (20 ms instead of
    1 ms at province scale) until autovacuum gets to them. The closure tables too."""
    models: list[type[Model]] = [*ANALYZED, place_services.HIERARCHY.closure_model]
    models.append(organization_services.HIERARCHY.closure_model)
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            cursor.execute("PRAGMA analysis_limit = 1000")  # sampled: seconds, not minutes
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


def _insert_dated(model, fields: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """:func:`_insert` of rows whose dates are ``date`` objects (the closure rebuild's)."""
    adapt = connection.ops.adapt_datefield_value

    def adapted(row):
        return tuple(adapt(v) if isinstance(v, date) else v for v in row)

    return _insert(model, fields, (adapted(row) for row in rows))


def _insert(
    model, fields: tuple[str, ...], rows: Iterable[tuple], *, progress: Callable | None = None
) -> int:
    """Insert ``rows`` (values of ``fields``, already adapted for the database) with one
    prepared statement per batch. ``bulk_create`` builds a model instance and compiles SQL for
    every row, which is most of an import's time at scale; this path skips both, and with them
    ``save()`` and signals (callers derive computed columns themselves).

    On PostgreSQL the rows go through one ``COPY`` for the whole stream, so the server works
    while the rows are produced (``rows`` must not use the connection: here they come from the
    staging store); ``progress`` is then told when it ends (the progress of the write phase is
    inside its transaction anyway)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    # Identifiers come from model metadata, values go as parameters.
    table, marks = quote(model._meta.db_table), ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
                    count += 1
            if progress:
                progress(count)
            return count
        for batch in chunks(rows, PROGRESS_ROWS):
            cursor.executemany(sql, batch)
            count += len(batch)
            if progress:
                progress(len(batch))
    return count


def _ids(model, codes: Iterable[str]) -> dict[str, int]:
    codes = set(codes)
    if len(codes) > 20_000:  # most of the table: one query rather than thousands
        rows = model.objects.values_list("code", "pk").iterator(chunk_size=20_000)
        return {code: pk for code, pk in rows if code in codes}
    ids: dict[str, int] = {}
    for chunk in chunks(codes):
        ids.update(model.objects.filter(code__in=chunk).values_list("code", "pk"))
    return ids


def _file_order(file: str) -> int:
    return list(COLUMNS).index(file) if file in COLUMNS else len(COLUMNS)


class _Columns:
    """Where the columns of a staged file are in its staged rows ``(code, line, cells…)``."""

    def __init__(self, table: Table | None):
        columns = table.columns if table is not None else []
        self.table = table
        self.present = frozenset(columns)
        self._index = {column: i + 2 for i, column in enumerate(columns)}
        self.profile = [(n, self._index[n]) for n in MEMBER_FIELDS if n in self._index]
        self._converted = (
            {i + 2: encoding for i, encoding in table.converted.items()} if table else {}
        )

    def index(self, *names: str) -> list[int | None]:
        return [self._index.get(name) for name in names]

    def fixed(self, row: tuple) -> tuple:
        if not self._converted:
            return row
        cells = list(row)
        for i, encoding in self._converted.items():
            cells[i] = _convert(cells[i], encoding)
        return tuple(cells)


def _merge(members: Iterable[tuple], events: Iterable[tuple]) -> Iterable[tuple[str, list, list]]:
    """``(code, member rows, event rows)`` from two streams sorted by (code, line). Rows without
    a code are independent of each other: they come in bounded groups."""
    member_iter, event_iter = iter(members), iter(events)
    member = next(member_iter, None)
    event = next(event_iter, None)
    while member is not None or event is not None:
        if member is not None and (event is None or member[0] <= event[0]):
            code = member[0]
        else:
            assert event is not None
            code = event[0]
        member_rows, event_rows = [], []
        while member is not None and member[0] == code:
            member_rows.append(member)
            member = next(member_iter, None)
            if not code and len(member_rows) >= MEMBER_CHUNK:
                break
        while event is not None and event[0] == code:
            event_rows.append(event)
            event = next(event_iter, None)
            if not code and len(event_rows) >= MEMBER_CHUNK:
                break
        yield code, member_rows, event_rows


def _id_allocator(model) -> Callable[[int], list[int]]:
    """New primary keys for rows inserted with explicit ids (inside the write transaction): from
    the table's sequence on PostgreSQL, after the largest id ever used on SQLite."""
    table = model._meta.db_table
    column = model._meta.pk.column
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]

        def allocate(n: int) -> list[int]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, n])
                return [row[0] for row in cursor.fetchall()]

        return allocate
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608
        last = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        last = max(last, row[0] if row else 0)
    state = {"last": last}

    def allocate_after_last(n: int) -> list[int]:
        first = state["last"] + 1
        state["last"] += n
        return list(range(first, first + n))

    return allocate_after_last


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
