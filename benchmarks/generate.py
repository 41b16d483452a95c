"""Deterministic generator of interchange packages (INTERCHANGE.md) for the benchmarks.

    python benchmarks/generate.py --scale district|province|national --out DIR [--seed N]

Writes ``places.csv``, ``place_lineage.csv``, ``organizations.csv``, ``members.csv`` and
``member_events.csv`` into DIR, and a summary ``DIR.json`` beside it (counts, seconds). The same
scale and seed always give byte-identical files.

Shape (every scale is one or more provinces of the same shape, all sample data):

- places: province > districts > communes > villages / residential groups, schools, health
  stations; district and provincial agencies. Valid from 2000-01-01.
- organisations: province committee ``BENCH-P`` (national: ``BENCH-N`` above the provinces) >
  district committees > commune committees (grassroots_committee) > village, school and health
  station cells (cell) > party groups in big villages; district agencies' grassroots cells;
  provincial agencies' grassroots committees with cells.
- history: some cells founded late (members meanwhile in a neighbouring village's cell, "chi bộ
  ghép"); some schools and stations never get a cell; villages merged into a neighbour between 2005
  and 2023 (their cell ends, members move); on 2013-01-01 a new district formed from communes of
  two others (re-parenting of places and committees); the 2025 reorganisation: districts and
  district committees end on 2025-07-01, communes and their committees (and district agencies)
  get a new version directly under the province from that day.
- members: Vietnamese names by ethnicity (Thái, Kinh, Mông, Hà Nhì, Dao, Cống, each commune
  with its own mix); a stock of members joined at the start (2001-01-01); admissions every year,
  confirmed 12 months later (a few not confirmed); transfers in and out; internal moves;
  exemptions for the elderly; deaths; removals, resignations, expulsions; a few readmissions.

Members are generated and written one at a time (streaming); only the registry (places and
organisations, a few hundred thousand rows at national scale) is held in memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from bisect import bisect_right
from datetime import date
from pathlib import Path
from random import Random

from grassroots.demo.names import PEOPLE  # the same invented names as the demo

GENERATOR_VERSION = 1

SCALES = {
    # provinces × districts × communes × villages; members spread over the places by weight.
    "district": {
        "provinces": 1, "districts": 2, "communes": 5, "villages": 6, "schools": 2,
        "agencies": 3, "province_agencies": 2, "agency_cells": 2, "members": 3_000,
    },
    "province": {
        "provinces": 1, "districts": 10, "communes": 13, "villages": 8, "schools": 2,
        "agencies": 6, "province_agencies": 10, "agency_cells": 5, "members": 150_000,
    },
    "national": {
        "provinces": 63, "districts": 10, "communes": 11, "villages": 9, "schools": 2,
        "agencies": 6, "province_agencies": 10, "agency_cells": 5, "members": 5_500_000,
        "party_group_size": 20,
    },
}  # fmt: skip

STRUCT_START = date(2000, 1, 1).toordinal()
DATA_START = date(2001, 1, 1).toordinal()
NEW_DISTRICT = date(2013, 1, 1).toordinal()
REORG = date(2025, 7, 1).toordinal()
END = date(2026, 6, 30).toordinal()  # no event after this day

ETHNICITIES = list(PEOPLE)
#: Commune profiles: weights over ETHNICITIES (Thái, Hà Nhì, Mông, Dao, Cống, Kinh).
COMMUNE_MIXES = [
    (60, 2, 10, 3, 2, 23),
    (15, 45, 25, 5, 0, 10),
    (10, 2, 70, 10, 0, 8),
    (35, 0, 20, 30, 0, 15),
    (45, 5, 15, 0, 20, 15),
    (20, 0, 5, 0, 0, 75),
]
KINH_HOMETOWNS = ["Thái Bình", "Nam Định", "Hải Dương", "Phú Thọ", "Thanh Hóa", "Nghệ An"]
SYL1 = [
    "Nậm", "Huổi", "Pa", "Pá", "Hua", "Phìn", "Sì", "Nà", "Co", "Lả",
    "Tà", "Phiêng", "Pú", "Ma", "Xà", "Chang", "Ngải", "Cang", "Nạn", "Phai",
    "Mường", "Noong", "Khổng", "Lùng", "Tả", "Sín", "Hồng", "Bum", "Lai", "Pắc",
]  # fmt: skip
SYL2 = [
    "Ngà", "Pầu", "Cầy", "Vạc", "Lếch", "Khao", "Sang", "Tè", "Luông", "Xả",
    "Sáng", "Ô", "Hà", "Ún", "Lay", "Kéo", "Bon", "Hài", "Chản", "Là",
    "Mạ", "Pè", "Sỏ", "Bó", "Thàng", "Hon", "Sú", "Pồ", "Cút", "Nhạt",
    "Manh", "Chà", "Mô", "Ban", "Đao", "Pì", "Hàng", "Chải", "Lợi", "Nhùn",
]  # fmt: skip
SCHOOL_KINDS = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường PTDT bán trú"]
AGENCY_NAMES = [
    "Cơ quan Ủy ban nhân dân",
    "Trung tâm Y tế",
    "Công an",
    "Ban Chỉ huy Quân sự",
    "Trường THPT",
    "Phòng Giáo dục và Đào tạo",
    "Ngân hàng Chính sách xã hội",
    "Kho bạc Nhà nước",
]
PROVINCE_AGENCIES = [
    "Đảng bộ Khối các cơ quan tỉnh",
    "Đảng bộ Khối doanh nghiệp tỉnh",
    "Đảng bộ Công an tỉnh",
    "Đảng bộ Quân sự tỉnh",
    "Đảng bộ Bộ đội Biên phòng tỉnh",
    "Đảng bộ Bệnh viện Đa khoa tỉnh",
    "Đảng bộ Trường Cao đẳng Cộng đồng",
    "Đảng bộ Công ty Thủy điện",
    "Đảng bộ Sở Giáo dục và Đào tạo",
    "Đảng bộ Sở Y tế",
]
EDUCATION = ["12/12", "12/12", "12/12", "9/12", "9/12", "7/12"]
HIGHER_EDUCATION = ["Đại học", "Đại học", "Cao đẳng", "Thạc sĩ", "12/12"]

PLACE_COLUMNS = ["code", "name", "kind", "parent_code", "valid_from", "valid_to"]
LINEAGE_COLUMNS = ["date", "from_code", "to_code", "change"]
ORG_COLUMNS = ["code", "name", "kind", "parent_code", "place_code", "valid_from", "valid_to"]
MEMBER_COLUMNS = [
    "member_id", "full_name", "gender", "birth_date", "ethnicity", "religion", "education",
    "occupation", "hometown", "national_id", "party_card_number",
]  # fmt: skip
EVENT_COLUMNS = ["member_id", "date", "event", "organization_code", "place_code", "reason", "note"]

_ISO: dict[int, str] = {}


def iso(ordinal: int | None) -> str:
    """ISO text of a proleptic ordinal (cached: a few thousand distinct days)."""
    if ordinal is None:
        return ""
    text = _ISO.get(ordinal)
    if text is None:
        text = _ISO[ordinal] = date.fromordinal(ordinal).isoformat()
    return text


def add_years(ordinal: int, years: int) -> int:
    day = date.fromordinal(ordinal)
    try:
        return day.replace(year=day.year + years).toordinal()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).toordinal()


class Registry:
    """Places and organisations with their versions, and for every place where members live or
    work: which organisations they belong to over time (``seg_from``/``seg_orgs``), where the
    place's members go when it ends (``end``) and the days those change (``changes``)."""

    def __init__(self):
        self.place_rows: list[list[str]] = []
        self.org_rows: list[list[str]] = []
        self.lineage_rows: list[list[str]] = []
        self.seg_from: dict[str, list[int]] = {}
        self.seg_orgs: dict[str, list[tuple[str, ...]]] = {}
        self.end: dict[str, tuple[int, str]] = {}
        self.changes: dict[str, list[int]] = {}
        self.place_valid: dict[str, tuple[int, int | None]] = {}
        self.org_kinds: dict[str, int] = {}

    def place(self, code, name, kind, versions):
        """``versions``: [(parent_code, valid_from, valid_to)], consecutive."""
        for parent, start, stop in versions:
            self.place_rows.append([code, name, kind, parent or "", iso(start), iso(stop)])
        self.place_valid[code] = (versions[0][1], versions[-1][2])

    def org(self, code, name, kind, place, versions):
        for parent, start, stop in versions:
            self.org_rows.append([code, name, kind, parent or "", place, iso(start), iso(stop)])
        self.org_kinds[kind] = self.org_kinds.get(kind, 0) + 1

    def hosting(self, place, segments, end=None):
        """Members at ``place`` belong to ``segments`` = [(from, (org, …))]; ``end`` = (day,
        successor place) when the place ends."""
        self.seg_from[place] = [s for s, _ in segments]
        self.seg_orgs[place] = [orgs for _, orgs in segments]
        changes = [s for s, _ in segments[1:]]
        if end is not None:
            self.end[place] = end
            changes.append(end[0])
        self.changes[place] = sorted(changes)

    def org_for(self, place: str, day: int, slot: int) -> str:
        i = bisect_right(self.seg_from[place], day) - 1
        orgs = self.seg_orgs[place][max(i, 0)]
        return orgs[slot % len(orgs)]

    def resolve(self, place: str, day: int) -> str:
        """The place that holds ``place``'s members on ``day`` (following merges)."""
        while place in self.end and self.end[place][0] <= day:
            place = self.end[place][1]
        return place


def village_name(rng: Random, used: set) -> str:
    for _ in range(50):
        name = f"{rng.choice(SYL1)} {rng.choice(SYL2)}"
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(SYL1)} {rng.choice(SYL2)} {len(used)}"
    used.add(name)
    return name


def random_day(rng: Random, start: int, stop: int) -> int:
    return rng.randrange(start, stop)


def build_registry(rng: Random, cfg: dict, national: bool, per_commune: float):
    """The places and organisations; returns (registry, member places with weights and
    context)."""
    reg = Registry()
    hosts: list[tuple[str, float, dict]] = []  # (place, weight, context)
    if national:
        root_place, root_org = "BN", "BENCH-N"
        reg.place(
            root_place, "Toàn quốc (dữ liệu thử nghiệm)", "other", [(None, STRUCT_START, None)]
        )
        reg.org(root_org, "Đảng bộ thử nghiệm toàn quốc", "committee", root_place,
                [(None, STRUCT_START, None)])  # fmt: skip
        prefixes = [(f"BN-P{p:02d}", f"BENCH-N-P{p:02d}") for p in range(1, cfg["provinces"] + 1)]
    else:
        root_place, root_org = None, None
        prefixes = [("BP", "BENCH-P")]
    for pi, (ppl, porg) in enumerate(prefixes):
        used_names: set = set()
        pname = f"Thử Nghiệm {pi + 1}" if national else "Thử Nghiệm"
        reg.place(ppl, f"Tỉnh {pname}", "province", [(root_place, STRUCT_START, None)])
        reg.org(porg, f"Đảng bộ tỉnh {pname}", "committee", ppl,
                [(root_org, STRUCT_START, None)])  # fmt: skip
        # Provincial agencies: a grassroots committee with cells, at an agency place.
        for a in range(cfg["province_agencies"]):
            apl, aorg = f"{ppl}-A{a + 1:02d}", f"{porg}-A{a + 1:02d}"
            name = PROVINCE_AGENCIES[a % len(PROVINCE_AGENCIES)]
            reg.place(apl, name.replace("Đảng bộ ", ""), "agency", [(ppl, STRUCT_START, None)])
            reg.org(aorg, name, "grassroots_committee", apl, [(porg, STRUCT_START, None)])
            cells = []
            for c in range(cfg["agency_cells"]):
                code = f"{aorg}-{c + 1}"
                reg.org(code, f"Chi bộ {c + 1} - {name}", "cell", apl,
                        [(aorg, STRUCT_START, None)])  # fmt: skip
                cells.append(code)
            reg.hosting(apl, [(STRUCT_START, tuple(cells))])
            hosts.append((apl, 6.0 * cfg["agency_cells"], {"kind": "agency", "mix": 5}))

        n_districts = cfg["districts"]
        districts = []
        for d in range(n_districts):
            dname = village_name(rng, used_names)
            districts.append((f"{ppl}-D{d + 1:02d}", f"{porg}-D{d + 1:02d}", dname))
        # The district formed on 2013-01-01 takes communes from the last two districts.
        new_d = (f"{ppl}-D{n_districts + 1:02d}", f"{porg}-D{n_districts + 1:02d}",
                 village_name(rng, used_names))  # fmt: skip
        taken = max(1, cfg["communes"] // 5)
        for dpl, dorg, dname in [*districts, new_d]:
            start = NEW_DISTRICT if dpl == new_d[0] else STRUCT_START
            reg.place(dpl, f"Huyện {dname}", "district", [(ppl, start, REORG)])
            reg.org(dorg, f"Đảng bộ huyện {dname}", "committee", dpl, [(porg, start, REORG)])
            if dpl != new_d[0]:
                reg.lineage_rows.append([iso(REORG), dpl, ppl, "merge"])
        for di, (dpl, dorg, dname) in enumerate(districts):
            # District agencies: grassroots cells under the district committee until 2025,
            # then directly under the province committee.
            for a in range(cfg["agencies"]):
                apl, aorg = f"{dpl}-A{a + 1}", f"{dorg}-A{a + 1}"
                name = f"{AGENCY_NAMES[a % len(AGENCY_NAMES)]} huyện {dname}"
                reg.place(apl, name, "agency", [(dpl, STRUCT_START, REORG), (ppl, REORG, None)])
                reg.org(aorg, f"Chi bộ {name}", "grassroots_cell", apl,
                        [(dorg, STRUCT_START, REORG), (porg, REORG, None)])  # fmt: skip
                reg.hosting(apl, [(STRUCT_START, (aorg,))])
                hosts.append((apl, 22.0, {"kind": "agency", "mix": 5, "district": di}))
            for ci in range(cfg["communes"]):
                cpl, corg = f"{dpl}-C{ci + 1:02d}", f"{dorg}-C{ci + 1:02d}"
                cname = village_name(rng, used_names)
                town = ci == 0
                label = f"Thị trấn {cname}" if town else f"Xã {cname}"
                moved = di >= n_districts - 2 and ci >= cfg["communes"] - taken
                if moved:
                    parents = [(dpl, STRUCT_START, NEW_DISTRICT), (new_d[0], NEW_DISTRICT, REORG)]
                    oparents = [(dorg, STRUCT_START, NEW_DISTRICT), (new_d[1], NEW_DISTRICT, REORG)]
                    reg.lineage_rows.append([iso(NEW_DISTRICT), cpl, new_d[0], "transfer"])
                else:
                    parents, oparents = [(dpl, STRUCT_START, REORG)], [(dorg, STRUCT_START, REORG)]
                reg.place(cpl, label, "commune", [*parents, (ppl, REORG, None)])
                oname = f"Đảng bộ {'thị trấn' if town else 'xã'} {cname}"
                reg.org(corg, oname, "grassroots_committee", cpl, [*oparents, (porg, REORG, None)])
                mix = 5 if town else rng.randrange(len(COMMUNE_MIXES) - 1)
                ctx = {
                    "kind": "village",
                    "mix": mix,
                    "district": di,
                    "commune": cpl,
                    "per_commune": per_commune,
                }
                build_commune(rng, reg, cfg, cpl, corg, cname, town, ctx, hosts)
    return reg, hosts


def build_commune(rng, reg, cfg, cpl, corg, cname, town, ctx, hosts):
    """Villages (residential groups in a town), schools, a health station and their cells."""
    n = cfg["villages"]
    villages = []
    used: set = set()
    for v in range(n):
        vpl, vorg = f"{cpl}-V{v + 1:02d}", f"{corg}-V{v + 1:02d}"
        vname = f"Tổ dân phố số {v + 1}" if town else f"Bản {village_name(rng, used)}"
        weight = rng.uniform(0.5, 1.5)
        stable = v < 2
        merge = None
        if not stable and rng.random() < 0.06:
            merge = (random_day(rng, date(2005, 1, 1).toordinal(), date(2024, 1, 1).toordinal()),
                     f"{cpl}-V{rng.randrange(2) + 1:02d}")  # fmt: skip
        cell_from = STRUCT_START
        if not stable and rng.random() < 0.18:
            cell_from = random_day(rng, date(2002, 1, 1).toordinal(), date(2021, 1, 1).toordinal())
        if merge and cell_from >= merge[0]:
            cell_from = None
        villages.append((vpl, vorg, vname, weight, merge, cell_from))
    total_weight = sum(v[3] for v in villages) + 2 * 0.08 + 0.07
    # Members expected per village: party groups in big villages.
    host_cell = villages[0][1]
    for vpl, vorg, vname, weight, merge, cell_from in villages:
        kind = "residential_group" if town else "village"
        stop = merge[0] if merge else None
        reg.place(vpl, vname, kind, [(cpl, STRUCT_START, stop)])
        if merge:
            reg.lineage_rows.append([iso(merge[0]), vpl, merge[1], "merge"])
        expected = weight / total_weight * ctx["per_commune"]
        segments = []
        if cell_from is None or cell_from > STRUCT_START:
            segments.append((STRUCT_START, (host_cell,)))
        if cell_from is not None:
            reg.org(vorg, f"Chi bộ {vname[0].lower()}{vname[1:]}", "cell", vpl,
                    [(corg, cell_from, stop)])  # fmt: skip
            groups = int(expected // cfg.get("party_group_size", 25))
            if groups >= 2:
                codes = []
                for g in range(groups):
                    code = f"{vorg}-T{g + 1}"
                    reg.org(code, f"Tổ đảng số {g + 1} {vname}", "party_group", vpl,
                            [(vorg, cell_from, stop)])  # fmt: skip
                    codes.append(code)
                segments.append((cell_from, tuple(codes)))
            else:
                segments.append((cell_from, (vorg,)))
        reg.hosting(vpl, segments, end=merge and (merge[0], merge[1]))
        hosts.append((vpl, weight, ctx))
    # Schools and the health station: some with a cell from the start, some later, some never.
    for s in range(cfg["schools"] + 1):
        station = s == cfg["schools"]
        if station:
            spl, sorg, kind = f"{cpl}-H", f"{corg}-H", "health_station"
            sname = f"Trạm Y tế {'thị trấn' if town else 'xã'} {cname}"
            odds = (0.6, 0.1)
        else:
            spl, sorg, kind = f"{cpl}-S{s + 1}", f"{corg}-S{s + 1}", "school"
            sname = f"{SCHOOL_KINDS[(s + len(cname)) % len(SCHOOL_KINDS)]} {cname}"
            odds = (0.7, 0.1)
        reg.place(spl, sname, kind, [(cpl, STRUCT_START, None)])
        roll = rng.random()
        segments = []
        if roll < odds[0]:
            cell_from = STRUCT_START
        elif roll < odds[0] + odds[1]:
            cell_from = random_day(rng, date(2003, 1, 1).toordinal(), date(2022, 1, 1).toordinal())
        else:
            cell_from = None
        if cell_from is None or cell_from > STRUCT_START:
            segments.append((STRUCT_START, (host_cell,)))
        if cell_from is not None:
            reg.org(sorg, f"Chi bộ {sname}", "cell", spl, [(corg, cell_from, None)])
            segments.append((cell_from, (sorg,)))
        reg.hosting(spl, segments)
        hosts.append((spl, 0.08 if not station else 0.07,
                      {**ctx, "kind": "health_station" if station else "school"}))  # fmt: skip


class MemberWriter:
    """Generates members one by one and writes their rows (the streaming part)."""

    def __init__(self, rng: Random, reg: Registry, members_csv, events_csv, prefix: str):
        self.rng, self.reg = rng, reg
        self.members, self.events = members_csv, events_csv
        self.prefix = prefix
        self.count = 0
        self.event_count = 0
        self.kinds: dict[str, int] = {}

    # -- profile ---------------------------------------------------------------------------
    def profile(self, ctx, birth: int, female_share: float) -> tuple[str, str, str]:
        rng = self.rng
        mix = COMMUNE_MIXES[ctx.get("mix", 5)]
        ethnicity = rng.choices(ETHNICITIES, weights=mix)[0]
        gender = "female" if rng.random() < female_share else "male"
        families, mmid, mgiven, fmid, fgiven = PEOPLE[ethnicity]
        if gender == "male":
            name = f"{rng.choice(families)} {rng.choice(mmid)} {rng.choice(mgiven)}"
        else:
            name = f"{rng.choice(families)} {rng.choice(fmid)} {rng.choice(fgiven)}"
        return name, gender, ethnicity

    # -- one member ------------------------------------------------------------------------
    def member(self, place: str, ctx: dict) -> None:
        rng, reg = self.rng, self.reg
        self.count += 1
        code = f"{self.prefix}{self.count:07d}"
        slot = rng.randrange(60)
        roll = rng.random()
        if roll < 0.55:  # the stock at the start of the registry
            d0 = DATA_START
            birth = d0 - rng.randrange(22 * 365, 66 * 365)
            start_kind = "joined_official" if rng.random() < 0.93 else "joined_probationary"
            female = 0.3
        elif roll < 0.95:  # admitted during the 25 years, a little more each year
            u = rng.random() ** 0.85
            d0 = DATA_START + int(u * (END - 45 - DATA_START))
            birth = d0 - rng.randrange(18 * 365 + 5, 45 * 365)
            start_kind = "admitted"
            female = 0.3 + 0.2 * (d0 - DATA_START) / (END - DATA_START)
        else:  # transferred in from outside the dataset
            d0 = rng.randrange(DATA_START, END - 10)
            birth = d0 - rng.randrange(22 * 365, 55 * 365)
            start_kind = "joined_official" if rng.random() < 0.9 else "joined_probationary"
            female = 0.4
        name, gender, ethnicity = self.profile(ctx, birth, female)
        place_kind = ctx["kind"]
        if place_kind == "village":
            occupation = "Nông dân" if rng.random() < 0.7 else "Cán bộ thôn bản"
            education = rng.choice(EDUCATION)
        elif place_kind == "school":
            occupation, education = "Giáo viên", rng.choice(HIGHER_EDUCATION)
        elif place_kind == "health_station":
            occupation, education = "Y sĩ", rng.choice(HIGHER_EDUCATION)
        else:
            occupation, education = "Công chức", rng.choice(HIGHER_EDUCATION)
        if ethnicity == "Kinh" and rng.random() < 0.5:
            hometown = rng.choice(KINH_HOMETOWNS)
        else:
            hometown = "Thử Nghiệm"
        religion = "Không" if rng.random() < 0.9 else ("Tin lành" if ethnicity == "Mông" else "")
        birth_year = date.fromordinal(birth).year
        national_id = (
            f"{12:03d}{(0 if gender == 'male' else 1) + (2 if birth_year >= 2000 else 0)}"
            f"{birth_year % 100:02d}{rng.randrange(10**6):06d}"
        )
        card = f"{rng.randrange(10**7, 10**8)}" if rng.random() < 0.8 else ""
        self.members.writerow(
            [code, name, gender, iso(birth), ethnicity, religion, education, occupation,
             hometown, national_id, card]
        )  # fmt: skip

        # -- personal events: (day, order, kind, payload) ----------------------------------
        personal: list[tuple[int, int, str, object]] = []
        probation = start_kind in ("admitted", "joined_probationary")
        terminal = None
        if probation:
            confirm = add_years(d0, 1) if start_kind == "admitted" else d0 + rng.randrange(30, 330)
            if start_kind == "admitted" and rng.random() < 0.02:
                terminal = (confirm + rng.randrange(5, 40), "not_confirmed")
            else:
                personal.append((confirm, 1, "confirmed", None))
        death = birth + int(rng.triangular(50, 100, 84) * 365.25)
        if death > d0 and (terminal is None or death < terminal[0]):
            terminal = (death, "died")
        roll = rng.random()
        reason = None
        if roll < 0.07:
            reason = "transferred_out"
        elif roll < 0.082:
            reason = "removed"
        elif roll < 0.085:
            reason = "resigned"
        elif roll < 0.088:
            reason = "expelled"
        if reason:
            day = d0 + 60 + int(rng.random() * (END + 400 - d0))
            if terminal is None or day < terminal[0]:
                terminal = (day, reason)
        limit = min(terminal[0] if terminal else END, END)
        if rng.random() < 0.22 and limit - d0 > 90:
            personal.append((rng.randrange(d0 + 30, limit), 2, "moved", None))
        exempt = add_years(birth, rng.randrange(64, 75))
        if exempt > d0 and exempt < limit and rng.random() < 0.5:
            personal.append((exempt, 3, "exempted", None))
            if rng.random() < 0.06:
                back = exempt + rng.randrange(200, 900)
                if back < limit:
                    personal.append((back, 4, "exemption_ended", None))
        if terminal:
            personal.append((terminal[0], 9, "left", terminal[1]))
            if terminal[1] in ("removed", "resigned") and rng.random() < 0.25:
                again = terminal[0] + rng.randrange(3 * 365, 6 * 365)
                if again < END and again - birth < 55 * 365:
                    personal.append((again, 10, "admitted", None))
                    personal.append((add_years(again, 1), 11, "confirmed", None))
        personal.sort()

        # -- emit, with the moves the registry's changes force ------------------------------
        rows = []
        add = rows.append
        cur_place = reg.resolve(place, d0)
        cur_org = reg.org_for(cur_place, d0, slot)
        add([code, iso(d0), start_kind, cur_org, cur_place, "", ""])
        last = d0
        member = True
        for day, _order, ev, payload in personal:
            if day > END:
                break
            if not member and ev != "admitted":
                continue  # after leaving only a readmission counts
            if day <= last:
                day = last + 1
                if day > END:
                    break
            if member:
                cur_place, cur_org = self.follow(rows, code, cur_place, cur_org, last, day, slot)
            if ev == "confirmed":
                add([code, iso(day), "confirmed", "", "", "", ""])
            elif ev == "moved":
                target = self.destination(cur_place, ctx)
                target = reg.resolve(target, day)
                org = reg.org_for(target, day, slot)
                if (org, target) != (cur_org, cur_place):
                    add([code, iso(day), "moved", org if org != cur_org else "",
                         target if target != cur_place else "", "", "chuyển sinh hoạt"])  # fmt: skip
                    cur_place, cur_org = target, org
            elif ev == "exempted":
                add([code, iso(day), "exempted", "", "", "", ""])
            elif ev == "exemption_ended":
                add([code, iso(day), "exemption_ended", "", "", "", ""])
            elif ev == "left":
                add([code, iso(day), "left", "", "", payload, ""])
                member = False
            elif ev == "admitted":  # readmission
                cur_place = reg.resolve(place, day)
                cur_org = reg.org_for(cur_place, day, slot)
                add([code, iso(day), "admitted", cur_org, cur_place, "", "kết nạp lại"])
                member = True
            last = day
        if member:
            self.follow(rows, code, cur_place, cur_org, last, END, slot)
        self.events.writerows(rows)
        self.event_count += len(rows)
        for row in rows:
            self.kinds[row[2]] = self.kinds.get(row[2], 0) + 1

    def follow(self, rows, code, place, org, after: int, until: int, slot: int):
        """Emit the ``moved`` events the registry forces on a member at ``place`` between the
        days ``after`` (exclusive) and ``until`` (inclusive): a cell founded, a village merged."""
        reg = self.reg
        while True:
            changes = reg.changes[place]
            i = bisect_right(changes, after)
            if i >= len(changes) or changes[i] > until:
                return place, org
            day = changes[i]
            new_place = place
            end = reg.end.get(place)
            if end and end[0] == day:
                new_place = reg.resolve(end[1], day)
            new_org = reg.org_for(new_place, day, slot)
            if (new_org, new_place) != (org, place):
                rows.append([code, iso(day), "moved", new_org if new_org != org else "",
                             new_place if new_place != place else "", "",
                             "theo sắp xếp tổ chức"])  # fmt: skip
            place, org, after = new_place, new_org, day

    def destination(self, place: str, ctx: dict) -> str:
        """Where an internal move goes: another place of the same kind in the commune, or in
        the district."""
        rng = self.rng
        pool = self.pools.get(ctx.get("commune")) if rng.random() < 0.7 else None
        if not pool or ctx["kind"] != "village":
            pool = self.district_pools.get((ctx.get("district"), ctx["kind"])) or [place]
        return rng.choice(pool)


def generate(scale: str, out: Path, seed: int = 1, max_members: int | None = None) -> dict:
    cfg = dict(SCALES[scale])
    national = scale == "national"
    rng = Random(f"grassroots-bench-{scale}-{seed}")
    started = time.perf_counter()
    # Members per commune must be known to size party groups: estimate from the shape.
    per_commune = cfg["members"] / (cfg["provinces"] * cfg["districts"] * cfg["communes"])
    per_commune *= 0.82  # the rest work in agencies
    reg, hosts = build_registry(rng, cfg, national, per_commune)
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "places.csv", PLACE_COLUMNS, reg.place_rows)
    _write(out / "place_lineage.csv", LINEAGE_COLUMNS, reg.lineage_rows)
    _write(out / "organizations.csv", ORG_COLUMNS, reg.org_rows)

    total_weight = sum(w for _, w, _ in hosts)
    pools: dict = {}
    district_pools: dict = {}
    for place, _w, ctx in hosts:
        if place in reg.end:
            continue
        if ctx["kind"] == "village":
            pools.setdefault(ctx.get("commune"), []).append(place)
        district_pools.setdefault((ctx.get("district"), ctx["kind"]), []).append(place)
    target = cfg["members"]
    registry_cpu = time.process_time()
    with (
        open(out / "members.csv", "w", newline="", encoding="utf-8") as mf,
        open(out / "member_events.csv", "w", newline="", encoding="utf-8") as ef,
    ):
        members_csv, events_csv = csv.writer(mf), csv.writer(ef)
        members_csv.writerow(MEMBER_COLUMNS)
        events_csv.writerow(EVENT_COLUMNS)
        writer = MemberWriter(rng, reg, members_csv, events_csv, "BM" if not national else "NM")
        writer.pools, writer.district_pools = pools, district_pools
        carry = 0.0
        done = False
        for place, weight, ctx in hosts:
            carry += weight / total_weight * target
            n = int(carry)
            carry -= n
            for _ in range(n):
                writer.member(place, ctx)
                if max_members and writer.count >= max_members:
                    done = True
                    break
            if done:
                break
    seconds = time.perf_counter() - started
    members_cpu = time.process_time() - registry_cpu
    summary = {
        "scale": scale,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "places": len({r[0] for r in reg.place_rows}),
        "place_versions": len(reg.place_rows),
        "organizations": sum(reg.org_kinds.values()),
        "organization_versions": len(reg.org_rows),
        "organization_kinds": reg.org_kinds,
        "lineage": len(reg.lineage_rows),
        "members": writer.count,
        "member_events": writer.event_count,
        "event_kinds": dict(sorted(writer.kinds.items())),
        "partial": bool(max_members and writer.count >= max_members),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(time.process_time(), 2),
        "members_cpu_seconds": round(members_cpu, 2),
    }
    Path(f"{out}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return summary


def _write(path: Path, columns, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="district")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--max-members", type=int, help="stop after this many members (to time a partial run)"
    )
    args = parser.parse_args(argv)
    summary = generate(args.scale, args.out, args.seed, args.max_members)
    print(json.dumps(summary, ensure_ascii=False))
    if summary["partial"]:
        # CPU time, not wall time: the estimate should not depend on other load on the machine.
        per_member = summary["members_cpu_seconds"] / max(summary["members"], 1)
        registry = summary["cpu_seconds"] - summary["members_cpu_seconds"]
        full = registry + per_member * SCALES[args.scale]["members"]
        print(
            f"estimate for the full {args.scale} scale: {full:.0f} CPU seconds "
            f"(registry {registry:.1f} s + {per_member * 1e6:.0f} µs per member)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
