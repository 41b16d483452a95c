"""Exporting an organisation's data in the interchange format, so that importing the export into
an empty database reproduces every figure of that organisation (INTERCHANGE.md).

What goes out, for organisation O:

* **Organisations**: every organisation that was ever in O's subtree, every organisation a
  member's event names, and the parents their versions name, up to the root (all versions).
* **Places**: every place that was ever inside a place attached to one of O's organisations (the
  area figures count villages with no cell and no member too), the places organisations and
  events name, and their parents up to the root (all versions), with the lineage between them.
* **Members**: everyone who was ever in O's subtree or ever had a place in its area (a place
  counts as "with members" whatever the member's organisation), with their effective events
  (superseded and cancelled events are left out: the export is the corrected history).

Exported for a user (``user=``), the package holds only what that user may read
(``core.scope``): the organisations, places and members visible to them, and of each member
the events dated while inside their scope; a parent outside is left blank (the package's top
is then the scope's top).
"""

from __future__ import annotations

import csv
import inspect
import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db.models import Q

from grassroots.admissions import interchange as admissions_interchange
from grassroots.core import registry, replica, scope
from grassroots.core.tables import escape_formula
from grassroots.core.xlsx import sheet_row
from grassroots.interchange.importer import COLUMNS, EVENTS, LINEAGE, MEMBERS, ORGANIZATIONS, PLACES
from grassroots.members.models import EventKind, Member, MemberEvent, MembershipSpan
from grassroots.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationVersion,
)
from grassroots.places.models import Place, PlaceClosure, PlaceLineage, PlaceVersion
from grassroots.ratings.models import Rating
from grassroots.ratings.selectors import rating_export_rows

Tables = dict[str, tuple[list[str], list[list[str]]]]


def export_tables(organization: Organization, user=None) -> Tables:
    """The package of ``organization`` as ``{file name: (columns, rows)}``; only what ``user``
    may read when given. Read on the replica when it is current (:mod:`core.replica`)."""
    with replica.reads():
        return _tables(organization, user)


def _tables(organization: Organization, user=None) -> Tables:
    limited = not scope.sees_all(user)
    subtree = set(
        OrganizationClosure.objects.filter(ancestor=organization).values_list(
            "descendant_id", flat=True
        )
    ) | {organization.pk}
    if limited:
        subtree &= set(Organization.objects.visible_to(user).values_list("pk", flat=True))
    attached = OrganizationVersion.objects.filter(organization_id__in=subtree).values("place_id")
    area = set(
        PlaceClosure.objects.filter(ancestor_id__in=attached).values_list(
            "descendant_id", flat=True
        )
    )
    member_ids = set(
        MembershipSpan.objects.filter(
            Q(organization_id__in=subtree) | Q(place_id__in=area)
        ).values_list("member_id", flat=True)
    ) | set(
        MemberEvent.objects.filter(
            Q(organization_id__in=subtree) | Q(place_id__in=area)
        ).values_list("member_id", flat=True)
    )
    if limited:
        member_ids &= set(
            Member.objects.visible_to(user).filter(pk__in=member_ids).values_list("pk", flat=True)
        )
    readable = MemberEvent.objects.visible_to(user) if limited else MemberEvent.objects.all()
    events = list(
        readable.filter(member_id__in=member_ids, superseded_by__isnull=True)
        .exclude(kind=EventKind.CANCELLED)
        .order_by("member__code", "date", "pk")
        .values_list(
            "member__code",
            "date",
            "kind",
            "organization__code",
            "place__code",
            "reason",
            "note",
            "organization_id",
            "place_id",
        )
    )
    organizations = _upwards(
        OrganizationVersion, "organization", subtree | {e[7] for e in events if e[7]}
    )
    if limited:
        organizations &= set(Organization.objects.visible_to(user).values_list("pk", flat=True))
    org_versions = _versions(
        OrganizationVersion, "organization", organizations, ("place",), ("unit_type",)
    )
    places = _upwards(
        PlaceVersion,
        "place",
        area
        | {e[8] for e in events if e[8]}
        | set(
            OrganizationVersion.objects.filter(organization_id__in=organizations).values_list(
                "place_id", flat=True
            )
        ),
    )
    place_versions = None
    if limited:
        places &= set(Place.objects.visible_to(user).values_list("pk", flat=True))
        visible_codes = set(
            Organization.objects.filter(pk__in=organizations).values_list("code", flat=True)
        ) | set(Place.objects.filter(pk__in=places).values_list("code", flat=True))
        org_versions = _within(org_versions, visible_codes)
        place_versions = _within(_versions(PlaceVersion, "place", places), visible_codes)
        events = [e for e in events if (not e[7] or e[7] in organizations)]
    tables = {
        PLACES: (_columns(PLACES), place_versions or _versions(PlaceVersion, "place", places)),
        LINEAGE: (
            _columns(LINEAGE),
            [
                [day.isoformat(), from_code, to_code, change]
                for day, from_code, to_code, change in PlaceLineage.objects.filter(
                    from_place_id__in=places, to_place_id__in=places
                )
                .order_by("date", "pk")
                .values_list("date", "from_place__code", "to_place__code", "change")
            ],
        ),
        ORGANIZATIONS: (_columns(ORGANIZATIONS), org_versions),
        MEMBERS: (
            _columns(MEMBERS),
            [
                [_text(value) for value in row]
                for row in Member.objects.filter(pk__in=member_ids)
                .order_by("code")
                .values_list(*_columns(MEMBERS, member_id="code"))
            ],
        ),
        EVENTS: (
            _columns(EVENTS),
            [
                [code, day.isoformat(), kind, org or "", place or "", reason, note]
                for code, day, kind, org, place, reason, note, _, _ in events
            ],
        ),
    }
    # The apps' optional files (member_profile_changes.csv, candidates.csv, resolutions.csv,
    # meetings.csv…), each part exporting its own rows — those of the subtree's organisations
    # (``organization_ids``) or of the exported members (``member_ids``); a part whose rows are
    # confidential (inspection cases) also takes the exporting ``user``. Files without rows are
    # left out.
    context = {"organization_ids": subtree, "member_ids": member_ids, "user": user}
    for part in registry.interchange_parts():
        if hasattr(part, "export_tables"):
            wanted = inspect.signature(part.export_tables).parameters
            tables.update(part.export_tables(**{k: v for k, v in context.items() if k in wanted}))
    readable_ratings = Rating.objects.visible_to(user) if limited else Rating.objects.all()
    ratings = rating_export_rows(ratings=readable_ratings.filter(organization_id__in=subtree))
    if ratings:
        columns = list(admissions_interchange.COLUMNS[admissions_interchange.RATINGS])
        tables[admissions_interchange.RATINGS] = (
            columns,
            [[row[c] for c in columns] for row in ratings],
        )
    return tables


def exported_members(tables: Tables) -> int:
    """How many members a package holds (for the access log)."""
    return len(tables[MEMBERS][1]) if MEMBERS in tables else 0


def _columns(file: str, **renamed: str) -> list[str]:
    return [renamed.get(c, c) for c in COLUMNS[file]]


def _upwards(version_model, node: str, ids: set[int]) -> set[int]:
    """``ids`` and every parent their versions name, transitively."""
    found, frontier = set(ids), set(ids)
    while frontier:
        parents = set(
            version_model.objects.filter(
                **{f"{node}_id__in": frontier}, parent_id__isnull=False
            ).values_list("parent_id", flat=True)
        )
        frontier = parents - found
        found |= frontier
    return found


def _versions(
    version_model, node: str, ids: set[int], extra: tuple[str, ...] = (), tail: tuple[str, ...] = ()
) -> list:
    """All versions of ``ids`` as rows of places.csv or organizations.csv (``tail``: the
    columns after ``valid_to``, e.g. an organisation's ``unit_type``)."""
    rows = version_model.objects.filter(**{f"{node}_id__in": ids}).order_by(
        f"{node}__code", "valid_from"
    )
    out = []
    width = len(extra)
    for code, name, kind, parent, *rest in rows.values_list(
        f"{node}__code",
        "name",
        "kind",
        "parent__code",
        *(f"{e}__code" for e in extra),
        "valid_from",
        "valid_to",
        *tail,
    ):
        place, (start, end), after = rest[:width], rest[width : width + 2], rest[width + 2 :]
        out.append([code, name, kind, parent or "", *place, start.isoformat(), _text(end), *after])
    return out


def _within(rows: list, codes: set[str]) -> list:
    """Version rows (code, name, kind, parent, [place], …) with a parent or place outside
    ``codes`` left blank."""
    out = []
    for code, name, kind, parent, *rest in rows:
        out.append([code, name, kind, parent if parent in codes else "", *rest])
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_bytes(columns: list[str], rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    # OWASP: a cell starting like a formula is written with an apostrophe (the reader drops it).
    writer.writerows([escape_formula(cell) for cell in row] for row in rows)
    # With a byte-order mark, Excel opens the file as UTF-8 and shows the accents; every reader
    # of the format (interchange.reader) drops it.
    return buffer.getvalue().encode("utf-8-sig")


def _csv_files(tables: Tables) -> Iterator[tuple[str, bytes]]:
    for name, (columns, rows) in tables.items():
        yield name, csv_bytes(columns, rows)


def write_zip(tables: Tables, target) -> None:
    """Write the package as a .zip (a path or a binary file object)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in _csv_files(tables):
            archive.writestr(name, data)


def write_xlsx(tables: Tables, target) -> None:
    """Every file as a sheet; every cell written as text (a name starting with ``=`` is never a
    formula, and reads back unchanged)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, (columns, rows) in tables.items():
        sheet = workbook.create_sheet(name.removesuffix(".csv"))
        sheet.append(sheet_row(sheet, columns))
        for row in rows:
            sheet.append(sheet_row(sheet, row))
    workbook.save(target)


def write_folder(tables: Tables, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, data in _csv_files(tables):
        (target / name).write_bytes(data)


def export_organization(organization: Organization, target: str | Path) -> Tables:
    """Export to ``target``: a .zip, an .xlsx, or else a folder. Returns the tables written."""
    tables = export_tables(organization)
    path = Path(target)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        write_zip(tables, path)
    elif suffix == ".xlsx":
        write_xlsx(tables, path)
    else:
        write_folder(tables, path)
    return tables
