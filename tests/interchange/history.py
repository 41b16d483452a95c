"""A deterministic generated history in the interchange format, and package-writing helpers.

The history is valid by construction: a province, a district (2013-06-01 to its abolition on
2025-07-01), communes that then move under the province, villages (one merged away in 2020),
schools and health stations; a committee per level, cells founded over the years; members
admitted, confirmed, moved, exempted, leaving and readmitted.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from grassroots.interchange.importer import COLUMNS

START = date(2013, 6, 1)
REFORM = date(2025, 7, 1)
END = date(2026, 6, 30)


def write_package(folder: Path, tables: dict[str, list[list]], encoding: str = "utf-8") -> Path:
    """Write ``{file name: rows}`` as CSV files with the format's header into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(folder / name, "w", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS[name])
            writer.writerows(["" if v is None else str(v) for v in row] for row in rows)
    return folder


def history(*, communes: int = 3, villages: int = 6, members: int = 60, seed: int = 7) -> dict:
    """The tables of a generated history (rows in the format's column order)."""
    rng = random.Random(seed)
    places = [
        ["12", "Tỉnh Lai Châu", "province", "", "2004-01-01", ""],
        ["112", "Huyện Nậm Nhùn", "district", "12", START, REFORM],
    ]
    organizations = [
        ["DB-12", "Đảng bộ tỉnh Lai Châu", "committee", "", "12", "2004-01-01", ""],
        ["DB-112", "Đảng bộ huyện Nậm Nhùn", "committee", "DB-12", "112", START, REFORM],
    ]
    lineage = []
    cells: list[tuple[str, str, date]] = []  # (cell code, place code, founded)
    for c in range(1, communes + 1):
        commune, committee = f"C{c}", f"DU-C{c}"
        places += [
            [commune, f"Xã Nậm {c}", "commune", "112", START, REFORM],
            [commune, f"Xã Nậm {c}", "commune", "12", REFORM, ""],
        ]
        organizations += [
            [committee, f"Đảng bộ xã Nậm {c}", "grassroots_committee", "DB-112", commune, START,
             REFORM],
            [committee, f"Đảng ủy xã Nậm {c}", "grassroots_committee", "DB-12", commune, REFORM,
             ""],
        ]  # fmt: skip
        units = [(f"V{c}-{v}", f"Bản Nà {c}-{v}", "village") for v in range(1, villages + 1)]
        units += [(f"S{c}", f"Trường tiểu học Nậm {c}", "school")]
        units += [(f"H{c}", f"Trạm y tế xã Nậm {c}", "health_station")]
        for code, name, kind in units:
            ends = code == f"V{c}-{villages}"
            places.append([code, name, kind, commune, START, date(2020, 1, 1) if ends else ""])
            if ends:
                lineage.append([date(2020, 1, 1), code, f"V{c}-1", "merge"])
            elif rng.random() < 0.7:
                founded = START + timedelta(days=rng.randrange(0, 3000))
                cell = f"CB-{code}"
                organizations.append([cell, f"Chi bộ {name}", "cell", committee, code, founded, ""])
                cells.append((cell, code, founded))

    people, events = [], []
    for m in range(1, members + 1):
        code = f"M{m:05d}"
        birth = date(1950 + rng.randrange(0, 50), rng.randrange(1, 13), rng.randrange(1, 29))
        people.append(
            [code, _name(rng), rng.choice(["male", "female"]), birth, "Thái", "",
             "12/12", "Nông dân", "Lai Châu", "", "", "", ""]
        )  # fmt: skip
        cell, place, founded = rng.choice(cells)
        day = founded + timedelta(days=rng.randrange(0, 400))
        joined = rng.random() < 0.2
        if joined:
            events.append([code, day, "joined_official", cell, place, "", "Chuyển đến"])
            official = True
        else:
            events.append([code, day, "admitted", cell, place, "", ""])
            official = False
        member, dead = True, False
        while day < END - timedelta(days=400):
            day += timedelta(days=rng.randrange(200, 900))
            if day >= END:
                break
            if member and not official:
                events.append([code, day, "confirmed", "", "", "", ""])
                official = True
                continue
            roll = rng.random()
            if member and roll < 0.3:
                target = rng.choice([c for c in cells if c[2] <= day])
                if (target[0], target[1]) != (cell, place):
                    cell, place = target[0], target[1]
                    events.append([code, day, "moved", cell, place, "", ""])
            elif member and roll < 0.4:
                events += [
                    [code, day, "exempted", "", "", "", "Sức khỏe yếu"],
                    [code, day + timedelta(days=100), "exemption_ended", "", "", "", ""],
                ]
                day += timedelta(days=100)
            elif member and roll < 0.5:
                reason = rng.choice(["died", "transferred_out"])
                events.append([code, day, "left", "", "", reason, ""])
                member, dead = False, reason == "died"
            elif not member and roll < 0.8:
                cell, place, _ = rng.choice([c for c in cells if c[2] <= day])
                if not dead:  # death is final (the draw stays: the same history otherwise)
                    events.append([code, day, "admitted", cell, place, "", "Kết nạp lại"])
                    member, official = True, False
    return {
        "places.csv": places,
        "place_lineage.csv": lineage,
        "organizations.csv": organizations,
        "members.csv": people,
        "member_events.csv": events,
    }


FAMILY = ["Lò", "Lù", "Tao", "Lường", "Pờ", "Chang", "Vàng", "Nguyễn", "Trần", "Đèo"]
MIDDLE = ["Văn", "Thị", "A", "Thị Thu", "Văn Chí", "Minh"]
GIVEN = ["Ánh", "Bình", "Chiến", "Dũng", "Đức", "Giang", "Hải", "Khánh", "Lượng", "Mừng",
         "Nga", "Ơn", "Phượng", "Quân", "Sáng", "Thắm", "Uyên", "Vui", "Xuân", "Yến"]  # fmt: skip


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
