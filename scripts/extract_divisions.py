"""One-off extraction of Vietnam's administrative divisions into src/grassroots/places/data/.

Kept for reproducibility; the project never imports the ``vietnam-provinces`` package. This
script only *reads* the package's data files (JSON and ``__init__.py`` text) from an unzipped
wheel or from the ``.whl`` file itself, and writes three plain JSON files:

* ``divisions-pre2025.json``  province -> district -> commune, from vietnam-provinces 0.6.0
* ``divisions-post2025.json`` province -> commune, from vietnam-provinces 2025.10.1
* ``lineage-2025.json``       old -> new links (empty: neither package states any; see README)

Reproduce::

    pip download --no-deps -d /tmp/vp060 vietnam-provinces==0.6.0
    pip download --no-deps -d /tmp/vpnew vietnam-provinces==2025.10.1
    python3 scripts/extract_divisions.py \\
        --pre2025 /tmp/vp060/vietnam_provinces-0.6.0-py3-none-any.whl \\
        --post2025 /tmp/vpnew/vietnam_provinces-2025.10.1-py3-none-any.whl

(An unzipped wheel directory works as well as the ``.whl`` file.) The choices made here are
documented in src/grassroots/places/data/README.md; keep the two in step.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "grassroots" / "places" / "data"

FORMAT = "grassroots-divisions/1"
LINEAGE_FORMAT = "grassroots-lineage/1"
REFORM_DATE = "2025-07-01"  # the two-level system (no districts) took effect on this day

# Old-tree units carry no creation date in the source. The only date the source attests for
# every one of them is the day the GSO list was retrieved (the package's __data_version__), so
# that is their valid_from: conservative (never claims a unit existed before it is attested).
# valid_to is the reform date (exclusive end: valid up to and including 2025-06-30).
PRE2025_VALID_TO = REFORM_DATE
POST2025_VALID_FROM = REFORM_DATE

CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}

# The 0.6.0 package labels every province "tỉnh", every district "huyện" and every commune
# "xã" (a bug in its generator), so the Vietnamese type is taken from the name's prefix.
# Prefixes are matched case-insensitively because two names read "Thành Phố ...".
PRE2025_TYPES: dict[str, tuple[tuple[str, str], ...]] = {
    "province": (("Thành phố ", "thành phố trung ương"), ("Tỉnh ", "tỉnh")),
    "district": (
        ("Thành phố ", "thành phố"),
        ("Thị xã ", "thị xã"),
        ("Quận ", "quận"),
        ("Huyện ", "huyện"),
    ),
    "commune": (("Thị trấn ", "thị trấn"), ("Phường ", "phường"), ("Xã ", "xã")),
}
POST2025_PREFIX = {
    "tỉnh": "Tỉnh ",
    "thành phố trung ương": "Thành phố ",
    "xã": "Xã ",
    "phường": "Phường ",
    "đặc khu": "Đặc khu ",
}


class Package:
    """Read-only view of an unzipped vietnam-provinces wheel (directory) or the .whl itself."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path) if path.is_file() else None

    def read_bytes(self, member: str) -> bytes:
        if self._zip is not None:
            return self._zip.read(member)
        return (self.path / member).read_bytes()

    def json(self, member: str) -> object:
        return json.loads(self.read_bytes(member).decode("utf-8"))

    def attr(self, name: str) -> str:
        text = self.read_bytes("vietnam_provinces/__init__.py").decode("utf-8")
        match = re.search(rf"^{name}\s*=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
        if not match:
            raise SystemExit(f"{self.path}: no {name} in vietnam_provinces/__init__.py")
        return match.group(1)

    def source(self, member: str) -> dict[str, str]:
        return {
            "package": "vietnam-provinces",
            "version": self.attr("__version__"),
            "data_version": self.attr("__data_version__"),
            "file": member,
            "sha256": hashlib.sha256(self.read_bytes(member)).hexdigest(),
            "licence": "GPL-3.0-or-later (the package's declared licence)",
        }


NESTED = "vietnam_provinces/data/nested-divisions.json"
FLAT = "vietnam_provinces/data/flat-divisions.json"
cleaned_names: list[tuple[str, str, str]] = []  # (era, code, original) for the report


def clean(era: str, code: str, name: str) -> str:
    """NFC, with runs of whitespace collapsed to one space (the only edits made to names)."""
    out = " ".join(unicodedata.normalize("NFC", name).split())
    if out != name:
        cleaned_names.append((era, code, name))
    return out


def fmt(kind: str, code: int) -> str:
    width = CODE_WIDTH[kind]
    out = f"{code:0{width}d}"
    if len(out) != width:
        raise SystemExit(f"{kind} code {code} is wider than {width} digits")
    return out


def pre2025_type(kind: str, name: str) -> str:
    for prefix, division_type in PRE2025_TYPES[kind]:
        if name.casefold().startswith(prefix.casefold()):
            return division_type
    raise SystemExit(f"cannot tell the division type of {kind} {name!r}")


def record(
    code: str, name: str, kind: str, division_type: str, parent_code: str | None
) -> dict[str, str | None]:
    """One unit. Its validity is the file-level ``valid_from``/``valid_to``: every unit of a
    source shares it, so repeating it per record would only add ~0.5 MB. (The reader accepts a
    per-record ``valid_from``/``valid_to`` overriding the file's, should one ever be known.)"""
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "division_type": division_type,
        "parent_code": parent_code,
    }


def build_pre2025(pkg: Package) -> tuple[dict[str, object], list[dict[str, str | None]]]:
    era = "pre2025"
    nested = pkg.json(NESTED)
    assert isinstance(nested, list)
    out: list[dict[str, str | None]] = []
    for p in sorted(nested, key=lambda p: p["code"]):
        pcode = fmt("province", p["code"])
        pname = clean(era, pcode, p["name"])
        ptype = pre2025_type("province", pname)
        out.append(record(pcode, pname, "province", ptype, None))
        for d in sorted(p["districts"], key=lambda d: d["code"]):
            dcode = fmt("district", d["code"])
            dname = clean(era, dcode, d["name"])
            dtype = pre2025_type("district", dname)
            out.append(record(dcode, dname, "district", dtype, pcode))
            for w in sorted(d["wards"], key=lambda w: w["code"]):
                wcode = fmt("commune", w["code"])
                wname = clean(era, wcode, w["name"])
                wtype = pre2025_type("commune", wname)
                out.append(record(wcode, wname, "commune", wtype, dcode))

    # Cross-check against the package's flat file (one row per commune; a district with no
    # communes appears once with ward_code null).
    flat = pkg.json(FLAT)
    assert isinstance(flat, list)
    flat_units = set()
    for row in flat:
        flat_units.add(("province", fmt("province", row["province_code"]), None))
        flat_units.add(
            (
                "district",
                fmt("district", row["district_code"]),
                fmt("province", row["province_code"]),
            )
        )
        if row["ward_code"] is not None:
            flat_units.add(
                ("commune", fmt("commune", row["ward_code"]), fmt("district", row["district_code"]))
            )
    ours = {(r["kind"], r["code"], r["parent_code"]) for r in out}
    if ours != flat_units:
        raise SystemExit(f"{era}: nested and flat files disagree: {sorted(ours ^ flat_units)[:10]}")
    return pkg.source(NESTED), out


def build_post2025(pkg: Package) -> tuple[dict[str, object], list[dict[str, str | None]]]:
    era = "post2025"
    nested = pkg.json(NESTED)
    assert isinstance(nested, list)
    out: list[dict[str, str | None]] = []
    for p in sorted(nested, key=lambda p: p["code"]):
        pcode = fmt("province", p["code"])
        ptype = p["division_type"]
        prefix = POST2025_PREFIX[ptype]
        pname = clean(era, pcode, p["name"])
        # The package names provinces without "Tỉnh" ("Lai Châu"); cities keep "Thành phố".
        if ptype == "tỉnh" and not pname.startswith(prefix):
            pname = prefix + pname
        if not pname.startswith(prefix):
            raise SystemExit(f"{era}: province {pcode} {pname!r} does not start with {prefix!r}")
        out.append(record(pcode, pname, "province", ptype, None))
        for w in sorted(p["wards"], key=lambda w: w["code"]):
            wcode = fmt("commune", w["code"])
            wname = clean(era, wcode, w["name"])
            wtype = w["division_type"]
            if not wname.startswith(POST2025_PREFIX[wtype]):
                raise SystemExit(f"{era}: {wcode} {wname!r} is not named as a {wtype}")
            out.append(record(wcode, wname, "commune", wtype, pcode))

    flat = pkg.json(FLAT)
    assert isinstance(flat, list)
    flat_codes = {fmt("commune", row["code"]) for row in flat}
    ours = {r["code"] for r in out if r["kind"] == "commune"}
    if ours != flat_codes:
        raise SystemExit(f"{era}: nested and flat files disagree: {sorted(ours ^ flat_codes)[:10]}")
    return pkg.source(NESTED), out


def check(era: str, records: list[dict[str, str | None]]) -> None:
    seen: dict[str, str] = {}
    for r in records:
        code = str(r["code"])
        if code in seen:
            raise SystemExit(f"{era}: duplicate code {code}")
        if r["parent_code"] is not None and r["parent_code"] not in seen:
            raise SystemExit(f"{era}: {code} comes before its parent {r['parent_code']}")
        seen[code] = str(r["kind"])


def write_json(path: Path, header: dict[str, object], records: Iterable[object]) -> None:
    """Pretty header, then one record per line: small, greppable and diff-friendly."""
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    rows = [json.dumps(r, ensure_ascii=False) for r in records]
    if rows:
        lines.append('  "records": [')
        lines.append(",\n".join(f"    {row}" for row in rows))
        lines.append("  ]")
    else:
        lines.append('  "records": []')
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # well-formed
    path.write_text(text, encoding="utf-8")


def counts(records: list[dict[str, str | None]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        out[str(r["kind"])] = out.get(str(r["kind"]), 0) + 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pre2025", type=Path, required=True, help="vietnam-provinces 0.6.0")
    parser.add_argument("--post2025", type=Path, required=True, help="vietnam-provinces 2025.x")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    old_pkg, new_pkg = Package(args.pre2025), Package(args.post2025)
    if not old_pkg.attr("__version__").startswith("0."):
        raise SystemExit("--pre2025 must be a 0.x release (province -> district -> ward)")
    if not new_pkg.attr("__version__").startswith("2025."):
        raise SystemExit("--post2025 must be a 2025.x release (province -> ward)")

    old_source, old = build_pre2025(old_pkg)
    new_source, new = build_post2025(new_pkg)
    check("pre2025", old)
    check("post2025", new)

    args.out.mkdir(parents=True, exist_ok=True)
    write_json(
        args.out / "divisions-pre2025.json",
        {
            "format": FORMAT,
            "era": "pre2025",
            "description": "Province -> district -> commune tree in force until 2025-06-30. "
            "Codes are GSO codes, unique within this file only. See README.md.",
            "valid_from": old_pkg.attr("__data_version__"),
            "valid_to": PRE2025_VALID_TO,
            "source": old_source,
            "counts": counts(old),
        },
        old,
    )
    write_json(
        args.out / "divisions-post2025.json",
        {
            "format": FORMAT,
            "era": "post2025",
            "description": "Province -> commune tree in force from 2025-07-01. Codes are "
            "unique within this file only; many reuse a pre-2025 code for a different unit. "
            "See README.md.",
            "valid_from": POST2025_VALID_FROM,
            "valid_to": None,
            "source": new_source,
            "counts": counts(new),
        },
        new,
    )
    write_json(
        args.out / "lineage-2025.json",
        {
            "format": LINEAGE_FORMAT,
            "date": REFORM_DATE,
            "description": "Links from pre-2025 units (from_code) to post-2025 units (to_code). "
            "Empty on purpose: neither source package states which old units formed each new "
            "one. See README.md.",
            "sources_checked": [old_source, new_source],
        },
        [],
    )

    # Facts for the README / report.
    old_codes = {r["code"]: r for r in old}
    shared = [r for r in new if r["code"] in old_codes]
    same_name = [r for r in shared if old_codes[r["code"]]["name"] == r["name"]]
    print(f"pre2025:  {counts(old)}")
    print(f"post2025: {counts(new)}")
    print(f"post2025 codes also present in pre2025: {len(shared)} ({len(same_name)} same name)")
    for r in shared:
        if r["kind"] == "province":
            was = old_codes[r["code"]]["name"]
            print(f"province {r['code']}: pre2025 {was!r} / post2025 {r['name']!r}")
    for era, code, original in cleaned_names:
        print(f"whitespace cleaned: {era} {code} {original!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
