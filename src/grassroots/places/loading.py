"""Loading Vietnam's administrative divisions (:mod:`grassroots.places.divisions`) into the
registry, one province at a time, through :mod:`grassroots.places.services`.

**Codes.** A division's identity is ``(era, code)`` (codes were reused after 2025), but a
:class:`~grassroots.places.models.Place` has one unique ``code``. The mapping, see
:func:`place_code`:

* a pre-2025 unit keeps its GSO code: ``"12"``, ``"112"``, ``"03434"`` (Thị trấn Nậm Nhùn);
* a post-2025 unit keeps its GSO code when no pre-2025 unit anywhere in the country has it (the
  11 new commune codes, e.g. ``"03980"``);
* any other post-2025 unit gets ``"2025:<code>"``: ``"2025:03434"`` is Xã Nậm Hàng from
  2025-07-01, a different unit from ``"03434"``; ``"2025:15"`` is Tỉnh Lào Cai;
* except the provinces in :data:`CONTINUING_PROVINCES`, the 11 provinces and centrally governed
  cities that Nghị quyết 202/2025/QH15 did not merge (Lai Châu ``"12"`` among them): each is
  *one* Place in both eras, whose version simply continues across 2025-07-01 (a new version
  opens only if the name changed; none did).

The rule depends only on the shipped data files, never on what is already stored, so eras and
provinces can be loaded in any order and always get the same codes.

**Validity** (half-open): pre-2025 units ``[start, 2025-07-01)``, where ``start`` is the data
file's date (2025-01-04, the date of the GSO list, see ``data/README.md``) unless overridden —
for the whole tree (``valid_from``, the command's ``--valid-from``) or per code
(``valid_from_by_code``; the demo dates Lai Châu from 2004-01-01 and Nậm Nhùn from 2013-01-01).
Continuing provinces start at their pre-2025 start (even when only the post-2025 era is loaded)
and stay open. Post-2025 units ``[2025-07-01, open)``.

**Idempotent.** Each unit's planned versions are compared with the stored ones: equal →
untouched; absent → created with :func:`~grassroots.places.services.place_create`; different →
the whole load is refused (:class:`~grassroots.core.errors.RuleError`, code ``conflict``):
history is never rewritten. One difference is accepted: a stored start *earlier* than planned
(e.g. the demo's dated Nậm Nhùn, or an earlier ``--valid-from``) is kept, since the list's date
only says the unit existed by then.

**Lineage** only where the data has it (:func:`~grassroots.places.divisions.load_lineage`,
empty today), recorded with :func:`~grassroots.places.services.place_lineage_add`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

from django.db import transaction

from grassroots.core.errors import RuleError
from grassroots.places import divisions
from grassroots.places.models import Place, PlaceVersion
from grassroots.places.services import place_change, place_create, place_lineage_add

#: First day of the two-level system (Nghị quyết 202/2025/QH15, Luật Tổ chức CQĐP 2025).
REFORM_DAY = date(2025, 7, 1)
#: Provinces and centrally governed cities left unmerged by Nghị quyết 202/2025/QH15: Hà Nội,
#: Cao Bằng, Điện Biên, Lai Châu, Sơn La, Lạng Sơn, Quảng Ninh, Thanh Hóa, Nghệ An, Hà Tĩnh, Huế.
CONTINUING_PROVINCES = frozenset({"01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46"})
POST2025_PREFIX = "2025:"
ERA_LABELS = {"pre2025": "trước 1/7/2025", "post2025": "từ 1/7/2025"}


@cache
def _pre2025_codes() -> frozenset[str]:
    return frozenset(r.code for r in divisions.load_tree("pre2025"))


def place_code(era: str, code: str) -> str:
    """The ``Place.code`` of division ``(era, code)`` (see the module docstring)."""
    if era == "pre2025":
        return code
    if era != "post2025":
        raise ValueError(f"unknown era {era!r}")
    if code in CONTINUING_PROVINCES or code not in _pre2025_codes():
        return code
    return f"{POST2025_PREFIX}{code}"


@dataclass(frozen=True)
class PlannedVersion:
    name: str
    kind: str
    parent_code: str | None  # a Place.code
    valid_from: date
    valid_to: date | None


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)  # Place codes
    unchanged: int = 0
    lineage: int = 0


def plan(
    *,
    province: str,
    eras: tuple[str, ...] = divisions.ERAS,
    valid_from: date | None = None,
    valid_from_by_code: dict[str, date] | None = None,
) -> dict[str, list[PlannedVersion]]:
    """Place code → its versions, parents before children. Pure: reads the data files only."""
    by_code = valid_from_by_code or {}
    out: dict[str, list[PlannedVersion]] = {}

    def pre_start(record) -> date:
        return by_code.get(record.code) or valid_from or record.valid_from

    continuing_pre = {}
    if province in CONTINUING_PROVINCES:
        continuing_pre = {r.code: r for r in divisions.load_tree("pre2025", province)[:1]}
    for era in eras:
        for record in divisions.load_tree(era, province):
            code = place_code(era, record.code)
            parent = None if record.parent_code is None else place_code(era, record.parent_code)
            if code in CONTINUING_PROVINCES:
                start = pre_start(continuing_pre.get(code, record))
                version = PlannedVersion(record.name, record.kind, None, start, None)
                if code in out and out[code][-1].name != record.name:
                    last = out[code][-1]
                    out[code][-1] = PlannedVersion(
                        last.name, last.kind, None, last.valid_from, REFORM_DAY
                    )
                    out[code].append(
                        PlannedVersion(record.name, record.kind, None, REFORM_DAY, None)
                    )
                else:
                    out.setdefault(code, [version])
                continue
            if era == "pre2025":
                start, end = pre_start(record), record.valid_to
            else:
                start, end = record.valid_from, record.valid_to
            out[code] = [PlannedVersion(record.name, record.kind, parent, start, end)]
    return out


def _stored(codes) -> dict[str, list[PlannedVersion]]:
    stored: dict[str, list[PlannedVersion]] = {}
    rows = (
        PlaceVersion.objects.filter(place__code__in=codes)
        .order_by("place__code", "valid_from")
        .values_list("place__code", "name", "kind", "parent__code", "valid_from", "valid_to")
    )
    for code, name, kind, parent_code, valid_from, valid_to in rows:
        stored.setdefault(code, []).append(
            PlannedVersion(name, kind, parent_code, valid_from, valid_to)
        )
    return stored


def _matches(stored: list[PlannedVersion], planned: list[PlannedVersion]) -> bool:
    """Stored versions agree with the plan; a stored *earlier* start of the first version is
    kept (it came from a dated source, which the list's date never contradicts)."""
    if len(stored) != len(planned) or stored[0].valid_from > planned[0].valid_from:
        return False
    first = replace(stored[0], valid_from=planned[0].valid_from)
    return [first, *stored[1:]] == planned


@transaction.atomic
def load_divisions(
    *,
    acting_user,
    province: str,
    eras: tuple[str, ...] = divisions.ERAS,
    valid_from: date | None = None,
    valid_from_by_code: dict[str, date] | None = None,
) -> LoadResult:
    """Load ``province``'s tree of ``eras`` (see the module docstring). Raises RuleError
    (nothing written) for an unknown province or when stored places differ from the data."""
    for era in eras:
        if province not in dict(divisions.provinces(era)):
            raise RuleError(
                f"Không có tỉnh mã {province} trong danh mục đơn vị hành chính {ERA_LABELS[era]}.",
                code="unknown_province",
            )
    planned = plan(
        province=province,
        eras=tuple(eras),
        valid_from=valid_from,
        valid_from_by_code=valid_from_by_code,
    )
    stored = _stored(list(planned))
    conflicts = [
        code
        for code, versions in planned.items()
        if code in stored and not _matches(stored[code], versions)
    ]
    if conflicts:
        raise RuleError(
            "Địa bàn đã có trong hệ thống nhưng khác dữ liệu (không ghi đè lịch sử): "
            + ", ".join(conflicts[:10])
            + ("…" if len(conflicts) > 10 else ""),
            code="conflict",
        )
    result = LoadResult()
    places: dict[str, Place] = {}

    def get(code: str | None) -> Place | None:
        if code is None:
            return None
        if code not in places:
            places[code] = Place.objects.get(code=code)
        return places[code]

    for code, versions in planned.items():
        if code in stored:
            result.unchanged += 1
            continue
        first, *later = versions
        places[code] = place_create(
            acting_user=acting_user,
            code=code,
            name=first.name,
            kind=first.kind,
            parent=get(first.parent_code),
            valid_from=first.valid_from,
            valid_to=None if later else first.valid_to,
        )
        for version in later:
            place_change(
                acting_user=acting_user,
                place=places[code],
                day=version.valid_from,
                name=version.name,
                kind=version.kind,
            )
        result.created.append(code)
    for link in divisions.load_lineage(province):
        source = Place.objects.filter(code=place_code("pre2025", link.from_code)).first()
        target = Place.objects.filter(code=place_code("post2025", link.to_code)).first()
        if source and target:
            place_lineage_add(day=link.date, from_place=source, to_place=target, change=link.change)
            result.lineage += 1
    return result
