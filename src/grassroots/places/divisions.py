"""Vietnam's administrative divisions, read from the JSON files shipped in ``data/``.

Pure standard library; this module must not import Django so that data loading, management
commands and tests can use it without configured settings.

Two eras, each a tree of its own (see ``data/README.md`` for sources and every choice made):

* ``"pre2025"``: province -> district -> commune, valid until 2025-06-30;
* ``"post2025"``: province -> commune, valid from 2025-07-01.

Codes are GSO codes as zero-padded strings (province 2 digits, district 3, commune 5). A code
is unique only *within* an era: most post-2025 codes are also pre-2025 codes, usually of a
different unit ("03434" is Thị trấn Nậm Nhùn before, Xã Nậm Hàng after; "24" is Bắc Giang
before, Bắc Ninh after). A unit's identity is therefore ``(era, code)``, available as
:attr:`DivisionRecord.key`; a code seen in both eras says nothing about the two units being
the same. Only :func:`load_lineage` links the eras, and it ships empty (no source states it).

Validity intervals are half-open, ``[valid_from, valid_to)``, like everywhere in Grassroots.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

__all__ = [
    "DATA_DIR",
    "ERAS",
    "KINDS",
    "LINEAGE_CHANGES",
    "DivisionRecord",
    "LineageRecord",
    "load_lineage",
    "load_tree",
    "provinces",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
ERAS: tuple[str, ...] = ("pre2025", "post2025")
KINDS: tuple[str, ...] = ("province", "district", "commune")
LINEAGE_CHANGES: tuple[str, ...] = ("split", "merge", "rename", "transfer")

_TREE_FILES = {"pre2025": "divisions-pre2025.json", "post2025": "divisions-post2025.json"}
_LINEAGE_FILE = "lineage-2025.json"
_DIVISIONS_FORMAT = "grassroots-divisions/1"
_LINEAGE_FORMAT = "grassroots-lineage/1"


@dataclass(frozen=True)
class DivisionRecord:
    """One administrative unit of one era.

    ``kind`` is the level ("province", "district" — pre-2025 only — or "commune", which also
    covers wards, townships and special zones); ``division_type`` is the Vietnamese type
    ("tỉnh", "thành phố trung ương", "huyện", "quận", "thị xã", "thành phố", "xã", "phường",
    "thị trấn", "đặc khu"). ``parent_code`` is a code of the same era (None for provinces).
    """

    code: str
    name: str
    kind: str
    parent_code: str | None
    valid_from: date
    valid_to: date | None
    division_type: str
    era: str

    @property
    def key(self) -> tuple[str, str]:
        """The unit's identity across both eras: ``(era, code)``."""
        return (self.era, self.code)


@dataclass(frozen=True)
class LineageRecord:
    """On ``date``, pre-2025 unit ``from_code`` went (wholly or partly) into post-2025 unit
    ``to_code``; ``change`` is one of :data:`LINEAGE_CHANGES`."""

    date: date
    from_code: str
    to_code: str
    change: str


def _check_era(era: str) -> None:
    if era not in _TREE_FILES:
        raise ValueError(f"unknown era {era!r}; expected one of {ERAS}")


def _read(name: str, expected_format: str) -> dict:
    data = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    if data.get("format") != expected_format:
        raise ValueError(f"{name}: format {data.get('format')!r}, expected {expected_format!r}")
    return data


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


@cache
def _tree(era: str) -> tuple[DivisionRecord, ...]:
    _check_era(era)
    data = _read(_TREE_FILES[era], _DIVISIONS_FORMAT)
    if data.get("era") != era:
        raise ValueError(f"{_TREE_FILES[era]}: era {data.get('era')!r}, expected {era!r}")
    records = []
    for raw in data["records"]:
        records.append(
            DivisionRecord(
                code=raw["code"],
                name=raw["name"],
                kind=raw["kind"],
                parent_code=raw["parent_code"],
                valid_from=date.fromisoformat(raw.get("valid_from", data["valid_from"])),
                valid_to=_day(raw.get("valid_to", data["valid_to"])),
                division_type=raw["division_type"],
                era=era,
            )
        )
    return tuple(records)


@cache
def _province_of(era: str) -> dict[str, str]:
    """code -> code of the province the unit lies in (a province maps to itself)."""
    out: dict[str, str] = {}
    for record in _tree(era):  # parents come before children
        out[record.code] = record.code if record.parent_code is None else out[record.parent_code]
    return out


def load_tree(era: str, province: str | None = None) -> list[DivisionRecord]:
    """Every unit of ``era``, parents before children (depth first, siblings by code).

    ``province`` (a province code of that era, e.g. ``"12"``) keeps that province's subtree
    only. Raises ValueError for an unknown era or a code that is not a province of the era.
    """
    records = _tree(era)
    if province is None:
        return list(records)
    owner = _province_of(era)
    if owner.get(province) != province:
        raise ValueError(f"{province!r} is not a province code of era {era!r}")
    return [r for r in records if owner[r.code] == province]


def provinces(era: str) -> list[tuple[str, str]]:
    """``(code, name)`` of every province of ``era``, by code."""
    return [(r.code, r.name) for r in _tree(era) if r.kind == "province"]


@cache
def _lineage() -> tuple[LineageRecord, ...]:
    data = _read(_LINEAGE_FILE, _LINEAGE_FORMAT)
    default_day = data["date"]
    records = []
    for raw in data["records"]:
        if raw["change"] not in LINEAGE_CHANGES:
            raise ValueError(f"{_LINEAGE_FILE}: unknown change {raw['change']!r}")
        records.append(
            LineageRecord(
                date=date.fromisoformat(raw.get("date", default_day)),
                from_code=raw["from_code"],
                to_code=raw["to_code"],
                change=raw["change"],
            )
        )
    return tuple(records)


def load_lineage(province: str | None = None) -> list[LineageRecord]:
    """Links from pre-2025 units (``from_code``) to post-2025 units (``to_code``).

    Empty as shipped: neither source states which old units formed each new one (see
    ``data/README.md``). ``province`` keeps the links whose old unit lies in that pre-2025
    province or whose new unit lies in that post-2025 province.
    """
    records = _lineage()
    if province is None:
        return list(records)
    old_owner, new_owner = _province_of("pre2025"), _province_of("post2025")
    if old_owner.get(province) != province and new_owner.get(province) != province:
        raise ValueError(f"{province!r} is not a province code of either era")
    return [
        r
        for r in records
        if old_owner.get(r.from_code) == province or new_owner.get(r.to_code) == province
    ]
