"""The demo's content, planned in pure Python from a fixed seed (no database).

How the seed's figures (DOMAIN.md) come out *by construction* for Đảng bộ huyện Nậm Nhùn:

* 70 villages (6–7 per commune), 32 schools, 11 health stations (one per commune), plus one
  "agency" place per commune for the commune officials' cell (not counted by any figure).
* On 2013-06-30: 50 villages have a cell founded 2013-06-01 (≥ 3 official members each);
  14 have 1–2 members attached to a neighbouring village's cell (chi bộ ghép); 6 have nobody.
  21 schools have a cell and ≥ 3 official members; 11 have 0–2 (their members sit in the commune
  agency cell). 3 stations have a cell, 8 do not. Nothing but the arrival of the first members
  (2013-06-01) and admissions into villages that already have a cell happens before 2013-07-01.
* Each of those 39 places later gets a cell (all by 2023-06-30) once ≥ 3 of its members are
  official: its "anchor" admissions are planned first, the cell is founded after their
  confirmation, and everyone then at the place moves into the new cell.
* The first three members of every place are *anchors*: nothing happens to them before
  2025-07-01 but confirmation and the moves above, so no place is ever left empty.
* Two villages of one commune merge (:data:`MERGE_DAY`): 69 villages from then on.
* Admissions follow :data:`ADMISSION_QUOTAS`: exactly 1,023 from 2013-06-01 to 2023-11-23 and at
  least 60 in every year 2020–2025 while the district existed (until 2025-06-30).

Everything else is life: confirmation 12 months after admission (a few not confirmed), moves
between places, transfers out, deaths, removals, exemptions for the elderly, cadres transferred
in. Keys are Place and Organization codes; :mod:`grassroots.demo.build` maps them to rows.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from grassroots.demo import names
from grassroots.places import divisions
from grassroots.places.loading import REFORM_DAY, place_code
from grassroots.policy import add_months

SEED = 20131
PROVINCE, DISTRICT = "12", "112"
PROVINCE_FROM = date(2004, 1, 1)  # Tỉnh Lai Châu (re-established by Nghị quyết 22/2003/QH11)
DISTRICT_FROM = date(2013, 1, 1)  # Huyện Nậm Nhùn and its communes (Nghị quyết 71/NQ-CP)
FOUNDED = date(2013, 6, 1)  # Đảng bộ huyện Nậm Nhùn, its commune committees, the first cells
FIGURES_2013 = date(2013, 6, 30)
LIFE_FROM = date(2013, 7, 1)  # churn, transfers in, moves start here
LAST_FOUNDING = date(2023, 6, 30)
ANCHOR_ADMISSIONS_UNTIL = date(2021, 6, 30)
MERGE_DAY = date(2019, 1, 1)
LAST_ADMISSION = date(2026, 6, 30)
HORIZON = date(2026, 10, 31)  # no event after this day

#: (first day, last day, admissions); the first eleven rows cover 2013-06-01..2023-11-23.
ADMISSION_QUOTAS = [
    (date(2013, 6, 1), date(2013, 12, 31), 52),
    *[
        (date(y, 1, 1), date(y, 12, 31), n)
        for y, n in zip(range(2014, 2023), (96, 101, 94, 105, 98, 102, 88, 97, 99), strict=True)
    ],
    (date(2023, 1, 1), date(2023, 11, 23), 91),
    (date(2023, 11, 24), date(2023, 12, 31), 9),
    (date(2024, 1, 1), date(2024, 12, 31), 84),
    (date(2025, 1, 1), date(2025, 6, 30), 63),
    (date(2025, 7, 1), date(2025, 12, 31), 31),
    (date(2026, 1, 1), LAST_ADMISSION, 29),
]
SEED_ADMISSIONS = 1023

VILLAGES_PER_COMMUNE = [5, 6, 7, 7, 6, 7, 6, 6, 7, 7, 6]  # communes by code; 70 in all
SCHOOLS_PER_COMMUNE = [4, 3, 3, 3, 3, 3, 3, 2, 3, 3, 2]  # 32 in all
SCHOOL_NAMES = {
    2: ["Trường Mầm non {}", "Trường PTDTBT Tiểu học và THCS {}"],
    3: ["Trường Mầm non {}", "Trường PTDTBT Tiểu học {}", "Trường PTDTBT THCS {}"],
    4: ["Trường Mầm non {}", "Trường Tiểu học {}", "Trường THCS {}", "Trường THPT {}"],
}
#: Demo assumption (sample data, no lineage recorded): the post-2025 commune that takes over
#: the sample places and the party committee of each pre-2025 commune of Nậm Nhùn.
NEW_COMMUNE = {
    "03434": "03434",  # Thị trấn Nậm Nhùn -> Xã Nậm Hàng
    "03460": "03460",  # Xã Hua Bun -> Xã Hua Bum
    "03472": "03472",  # Xã Mường Mô -> Xã Mường Mô
    "03473": "03472",  # Xã Nậm Chà -> Xã Mường Mô
    "03474": "03434",  # Xã Nậm Manh -> Xã Nậm Hàng
    "03475": "03434",  # Xã Nậm Hàng -> Xã Nậm Hàng
    "03481": "03487",  # Xã Lê Lợi -> Xã Lê Lợi
    "03484": "03487",  # Xã Pú Đao -> Xã Lê Lợi
    "03488": "03487",  # Xã Nậm Pì -> Xã Lê Lợi
    "03502": "03503",  # Xã Nậm Ban -> Xã Pa Tần
    "03503": "03503",  # Xã Trung Chải -> Xã Pa Tần
}
#: Ethnic mix per commune (weights), invented but plausible for the area.
ETHNIC_MIX = {
    "03434": {"Thái": 4, "Kinh": 4, "Cống": 1, "Hà Nhì": 1},
    "03460": {"Hà Nhì": 5, "Thái": 3, "Kinh": 1},
    "03472": {"Thái": 5, "Hà Nhì": 2, "Kinh": 1},
    "03473": {"Hà Nhì": 4, "Thái": 3, "Kinh": 1},
    "03474": {"Mông": 4, "Thái": 3, "Kinh": 1},
    "03475": {"Thái": 4, "Cống": 3, "Kinh": 1},
    "03481": {"Thái": 5, "Mông": 2, "Kinh": 1},
    "03484": {"Mông": 5, "Thái": 2, "Kinh": 1},
    "03488": {"Mông": 5, "Dao": 2, "Kinh": 1},
    "03502": {"Dao": 3, "Mông": 3, "Thái": 1, "Kinh": 1},
    "03503": {"Mông": 4, "Dao": 3, "Kinh": 1},
}

VILLAGE, SCHOOL, STATION, AGENCY = "village", "school", "health_station", "agency"
# groups: how a place stands on 2013-06-30
WITH_CELL, MEMBERS_ONLY, EMPTY = "with_cell", "members_only", "empty"


@dataclass
class Commune:
    code: str  # pre-2025 Place code
    name: str  # "Xã Hua Bun"
    short: str  # "Hua Bun"
    new_code: str  # post-2025 Place code, e.g. "2025:03434"

    @property
    def committee(self) -> str:
        return f"DU-{self.code}"

    @property
    def committee_name(self) -> str:
        return f"Đảng bộ {self.name[0].lower()}{self.name[1:]}"


@dataclass
class Slot:
    """A sample place and its cell."""

    code: str
    kind: str
    name: str
    commune: Commune
    group: str = WITH_CELL
    initial_official: int = 0  # members arriving 2013-06-01 as official (anchors)
    cell_from: date | None = None
    holding: str = ""  # organisation code of members before the place has a cell
    anchors: int = 0

    @property
    def cell(self) -> str:
        return f"CB-{self.code}"

    @property
    def cell_name(self) -> str:
        if self.kind == VILLAGE:
            return f"Chi bộ {self.name[0].lower()}{self.name[1:]}"
        if self.kind == AGENCY:
            return f"Chi bộ cơ quan {self.commune.name[0].lower()}{self.commune.name[1:]}"
        return f"Chi bộ {self.name}"

    def org_on(self, day: date) -> str:
        return self.cell if self.cell_from is not None and self.cell_from <= day else self.holding


@dataclass
class Event:
    date: date
    kind: str
    organization: str = ""
    place: str = ""
    reason: str = ""
    note: str = ""


@dataclass
class Person:
    code: str
    full_name: str
    gender: str
    birth_date: date
    ethnicity: str
    education: str
    occupation: str
    hometown: str
    events: list[Event] = field(default_factory=list)
    #: The dates of the Phiếu đảng viên for members who arrive by transfer (``joined_*``): their
    #: party age counts from the admission, years before the district's history.
    admitted_on: date | None = None
    confirmed_on: date | None = None


@dataclass
class Plan:
    communes: list[Commune]
    slots: list[Slot]
    merge: tuple[str, str, date]  # (merged village, receiving village, day)
    people: list[Person]

    def slot(self, code: str) -> Slot:
        return next(s for s in self.slots if s.code == code)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _confirmation(rng: random.Random, admitted: date) -> date:
    """12 months after admission, within the 30 working days the cell has."""
    return add_months(admitted, 12) + timedelta(days=rng.randint(0, 25))


def _record_dates(people: list[Person]) -> None:
    """Admission and confirmation dates of the members who arrive by transfer, from a random
    stream of their own (the plan's stream, and so the seed's figures, stay as they are):
    admitted between 20 and 2 years before arriving (never before 18), official 12 months on."""
    for person in people:
        first = person.events[0] if person.events else None
        if first is None or first.kind not in ("joined_official", "joined_probationary"):
            continue
        rng = random.Random(f"{SEED}-record-{person.code}")
        if person.admitted_on is None:
            earliest = max(
                add_months(person.birth_date, 18 * 12), first.date - timedelta(days=7300)
            )
            latest = first.date - timedelta(days=730)
            person.admitted_on = _day_between(rng, earliest, max(earliest, latest))
        if first.kind == "joined_official":
            person.confirmed_on = add_months(person.admitted_on, 12)


def _layout(rng: random.Random) -> tuple[list[Commune], list[Slot]]:
    records = [r for r in divisions.load_tree("pre2025", PROVINCE) if r.parent_code == DISTRICT]
    communes = []
    for r in records:
        short = r.name.split(" ", 2 if r.name.startswith("Thị trấn") else 1)[-1]
        new = place_code("post2025", NEW_COMMUNE[r.code])
        communes.append(Commune(r.code, r.name, short, new))
    village_names = iter(names.village_names(rng, sum(VILLAGES_PER_COMMUNE)))
    slots = []
    for commune, villages, schools in zip(
        communes, VILLAGES_PER_COMMUNE, SCHOOLS_PER_COMMUNE, strict=True
    ):
        slots += [
            Slot(f"B-{commune.code}-{i:02}", VILLAGE, next(village_names), commune)
            for i in range(1, villages + 1)
        ]
        slots += [
            Slot(f"TH-{commune.code}-{i:02}", SCHOOL, pattern.format(commune.short), commune)
            for i, pattern in enumerate(SCHOOL_NAMES[schools], start=1)
        ]
        level = "thị trấn" if commune.name.startswith("Thị trấn") else "xã"
        slots.append(
            Slot(f"YT-{commune.code}", STATION, f"Trạm Y tế {level} {commune.short}", commune)
        )
        agency = Slot(
            f"CQ-{commune.code}",
            AGENCY,
            f"Cơ quan Đảng ủy, HĐND, UBND {level} {commune.short}",
            commune,
        )
        agency.holding = agency.cell
        slots.append(agency)
    return communes, slots


def _groups(rng: random.Random, slots: list[Slot]) -> tuple[str, str]:
    """Decide how each place stands on 2013-06-30; returns the merging pair (from, into)."""
    villages = [s for s in slots if s.kind == VILLAGE]
    while True:
        order = rng.sample(villages, len(villages))
        for s in order[:6]:
            s.group = EMPTY
        for s in order[6:20]:
            s.group = MEMBERS_ONLY
        for s in order[20:]:
            s.group = WITH_CELL
        with_cell: dict[str, list[Slot]] = {}
        for s in villages:
            if s.group == WITH_CELL:
                with_cell.setdefault(s.commune.code, []).append(s)
        if all(len(with_cell.get(s.commune.code, [])) >= 3 for s in villages):
            break
    merged, into = rng.sample(with_cell[rng.choice(sorted(with_cell))], 2)
    agency = {s.commune.code: s for s in slots if s.kind == AGENCY}
    for s in villages:
        if s.group != WITH_CELL:
            s.holding = rng.choice([v for v in with_cell[s.commune.code] if v is not merged]).cell
    for kind, with_cells in ((SCHOOL, 21), (STATION, 3)):
        places = rng.sample(
            [s for s in slots if s.kind == kind], sum(s.kind == kind for s in slots)
        )
        for i, s in enumerate(places):
            s.group = WITH_CELL if i < with_cells else MEMBERS_ONLY
            s.holding = agency[s.commune.code].cell
    for s in slots:
        if s.group == WITH_CELL:
            s.cell_from = FOUNDED
            s.initial_official = 3
        elif s.group == MEMBERS_ONLY:
            s.initial_official = rng.choice((1, 2)) if s.kind == VILLAGE else rng.choice((0, 1, 2))
    return merged.code, into.code


@dataclass
class _Admission:
    date: datetime.date
    slot: Slot | None = None
    anchor: bool = False
    confirmed: datetime.date | None = None


def _admissions(rng: random.Random) -> list[_Admission]:
    out = []
    for first, last, count in ADMISSION_QUOTAS:
        out += [_Admission(_day_between(rng, first, last)) for _ in range(count)]
    out.sort(key=lambda a: a.date)
    return out


def _plan_foundings(rng, slots, admissions) -> None:
    """Give each place without a cell in 2013 its anchor admissions and its cell's founding."""
    pool = [a for a in admissions if LIFE_FROM <= a.date <= ANCHOR_ADMISSIONS_UNTIL]
    rng.shuffle(pool)
    for s in slots:
        if s.cell_from is not None or s.kind == AGENCY:
            continue
        needed = 3 - s.initial_official
        last_confirmed = FOUNDED
        for _ in range(needed):
            a = pool.pop()
            a.slot, a.anchor = s, True
            a.confirmed = _confirmation(rng, a.date)
            last_confirmed = max(last_confirmed, a.confirmed)
        s.cell_from = min(last_confirmed + timedelta(days=rng.randint(20, 420)), LAST_FOUNDING)


_KIND_WEIGHTS = {VILLAGE: 62, SCHOOL: 14, STATION: 6, AGENCY: 18}


class _Builder:
    def __init__(self, rng, communes, slots, merge):
        self.rng, self.communes, self.slots = rng, communes, slots
        self.merged, self.into, self.merge_day = merge
        self.by_kind = {
            k: [s for s in slots if s.kind == k and s.code != self.merged] for k in _KIND_WEIGHTS
        }
        self.people: list[Person] = []
        # structural changes every member at the place follows: (day, slot, target slot)
        self.structural = sorted(
            [(s.cell_from, s, s) for s in slots if s.cell_from and s.cell_from > FOUNDED]
            + [(self.merge_day, self._slot(self.merged), self._slot(self.into))],
            key=lambda t: t[0],
        )

    def _slot(self, code):
        return next(s for s in self.slots if s.code == code)

    def random_slot(self, day: date, kinds=None) -> Slot:
        kinds = kinds or _KIND_WEIGHTS
        kind = self.rng.choices(list(kinds), weights=[_KIND_WEIGHTS[k] for k in kinds])[0]
        candidates = self.by_kind[kind]
        if day < LIFE_FROM:
            candidates = [s for s in candidates if s.cell_from == FOUNDED]
        return self.rng.choice(candidates)

    # --- people ------------------------------------------------------------------------------
    def person(self, slot: Slot, born: date) -> Person:
        rng = self.rng
        mix = ETHNIC_MIX[slot.commune.code]
        if slot.kind in (SCHOOL, STATION):
            mix = {**mix, "Kinh": mix["Kinh"] + 4}
        ethnicity = rng.choices(list(mix), weights=list(mix.values()))[0]
        female = {SCHOOL: 0.6, STATION: 0.5}.get(slot.kind, 0.3)
        gender = "female" if rng.random() < female else "male"
        occupation = {
            VILLAGE: rng.choice(["Nông dân", "Nông dân", "Trưởng bản", "Công an viên"]),
            SCHOOL: rng.choice(["Giáo viên", "Giáo viên", "Nhân viên trường học"]),
            STATION: rng.choice(["Y sĩ", "Điều dưỡng", "Bác sĩ"]),
            AGENCY: rng.choice(["Công chức xã", "Cán bộ chuyên trách", "Công an xã"]),
        }[slot.kind]
        education = (
            rng.choice(["12/12", "Cao đẳng", "Đại học"])
            if slot.kind != VILLAGE
            else rng.choice(["9/12", "12/12", "12/12", "7/12"])
        )
        hometown = (
            rng.choice(names.KINH_HOMETOWNS)
            if ethnicity == "Kinh"
            else f"{slot.commune.name}, Lai Châu"
        )
        p = Person(
            code=f"NN-{len(self.people) + 1:05}",
            full_name=names.person(rng, ethnicity, gender),
            gender=gender,
            birth_date=born,
            ethnicity=ethnicity,
            education=education,
            occupation=occupation,
            hometown=hometown,
        )
        self.people.append(p)
        return p

    def born_for(self, day: date, low: int, high: int) -> date:
        months = self.rng.randint(low * 12 + 1, high * 12)
        return add_months(day, -months) - timedelta(days=self.rng.randint(0, 27))

    # --- a member's whole life ---------------------------------------------------------------
    def life(self, person: Person, slot: Slot, entry: Event, confirm: date | None, anchor: bool):
        """Turn the entry, the planned confirmation and random life events into a valid
        history: each event is applied only when it fits the member's state then."""
        rng = self.rng
        start = max(entry.date + timedelta(days=30), LIFE_FROM)
        todo: list[tuple[date, int, str, Any]] = [(entry.date, 0, "entry", entry)]
        if confirm is not None and confirm <= HORIZON:
            kind = "not_confirmed" if not anchor and rng.random() < 0.015 else "confirm"
            todo.append((confirm, 2, kind, None))
        for day, source, target in self.structural:
            if day > entry.date:
                todo.append((day, 1, "structural", (source, target)))
        churn: list[tuple[date, int, str, Any]] = []
        age_2013 = (FOUNDED - person.birth_date).days / 365.25
        p_death = 0.25 if age_2013 > 58 else 0.1 if age_2013 > 48 else 0.025
        for reason, p in (
            ("died", p_death),
            ("transferred_out", 0.07),
            ("removed", 0.008),
            ("expelled", 0.002),
            ("resigned", 0.002),
        ):
            if rng.random() < p and start < HORIZON:
                churn.append((_day_between(rng, start, HORIZON), 3, "left", reason))
        if churn:
            churn = [min(churn)]
        for _ in range(2):  # moves to another village, school, station or office
            if rng.random() < 0.15 and start < HORIZON:
                day = _day_between(rng, start, HORIZON)
                churn.append((day, 3, "move", self.random_slot(day)))
        elderly = add_months(person.birth_date, rng.randint(66 * 12, 72 * 12))
        if start <= elderly <= HORIZON and rng.random() < 0.8:
            churn.append((elderly, 3, "exempt", None))
        if anchor:
            churn = [c for c in churn if c[0] > REFORM_DAY]
        todo += churn
        todo.sort(key=lambda t: (t[0], t[1]))

        status, here, org, exempted = None, slot, "", False
        for day, _order, what, data in todo:
            if what == "entry":
                status = (
                    "probationary"
                    if data.kind in ("admitted", "joined_probationary")
                    else "official"
                )
                org = data.organization
                person.events.append(data)
                continue
            if status is None:
                break
            if what == "structural":
                source, target = data
                if here is source:
                    new_org = target.org_on(day)
                    if target is not here or new_org != org:
                        note = (
                            "Sáp nhập bản"
                            if target is not source
                            else "Chuyển về chi bộ mới thành lập"
                        )
                        person.events.append(Event(day, "moved", new_org, target.code, note=note))
                        here, org = target, new_org
            elif what == "confirm" and status == "probationary":
                person.events.append(Event(day, "confirmed"))
                status = "official"
            elif what == "not_confirmed" and status == "probationary":
                person.events.append(Event(day, "left", reason="not_confirmed"))
                status = None
            elif what == "left":
                person.events.append(Event(day, "left", reason=data))
                status = None
            elif what == "move" and data is not here:
                here, org = data, data.org_on(day)
                person.events.append(Event(day, "moved", org, here.code))
            elif what == "exempt" and not exempted:
                person.events.append(Event(day, "exempted", note="Tuổi cao"))
                exempted = True

    def initial_members(self):
        for s in self.slots:
            extra = {
                VILLAGE: (1, 7),
                SCHOOL: (0, 4),
                STATION: (0, 2),
                AGENCY: (3, 9),
            }[s.kind]
            if s.group == EMPTY:
                continue
            count = s.initial_official
            if s.group == WITH_CELL:
                count += self.rng.randint(*extra)
            elif self.rng.random() < 0.3 and s.kind != VILLAGE:
                count += 1
            for i in range(count):
                anchor = s.anchors < 3
                s.anchors += anchor
                official = i < s.initial_official or (
                    s.group == WITH_CELL and self.rng.random() < 0.8
                )
                person = self.person(s, self.born_for(FOUNDED, 22, 62))
                note = "Chuyển sinh hoạt về Đảng bộ huyện Nậm Nhùn mới thành lập"
                if official:
                    entry = Event(FOUNDED, "joined_official", s.org_on(FOUNDED), s.code, note=note)
                    self.life(person, s, entry, None, anchor)
                else:
                    admitted = _day_between(self.rng, date(2012, 7, 1), date(2013, 5, 31))
                    person.admitted_on = admitted
                    entry = Event(
                        FOUNDED, "joined_probationary", s.org_on(FOUNDED), s.code, note=note
                    )
                    self.life(person, s, entry, _confirmation(self.rng, admitted), anchor)

    def admissions(self, planned: list[_Admission]):
        for a in planned:
            slot = a.slot or self.random_slot(a.date)
            anchor = a.anchor or slot.anchors < 3
            slot.anchors += anchor
            person = self.person(slot, self.born_for(a.date, 18, 42))
            entry = Event(a.date, "admitted", slot.org_on(a.date), slot.code)
            confirm = a.confirmed or _confirmation(self.rng, a.date)
            self.life(person, slot, entry, confirm, anchor)

    def transfers_in(self):
        """Cadres, teachers and health workers posted to the district, ~10 a year."""
        day = LIFE_FROM
        while day <= LAST_ADMISSION:
            slot = self.random_slot(day, (SCHOOL, STATION, AGENCY))
            person = self.person(slot, self.born_for(day, 24, 50))
            entry = Event(day, "joined_official", slot.org_on(day), slot.code, note="Chuyển đến")
            self.life(person, slot, entry, None, False)
            day += timedelta(days=self.rng.randint(10, 45))


def make_plan(seed: int = SEED) -> Plan:
    rng = random.Random(seed)
    communes, slots = _layout(rng)
    merged, into = _groups(rng, slots)
    admissions = _admissions(rng)
    assert sum(FOUNDED <= a.date <= date(2023, 11, 23) for a in admissions) == SEED_ADMISSIONS
    _plan_foundings(rng, slots, admissions)
    builder = _Builder(rng, communes, slots, (merged, into, MERGE_DAY))
    builder.initial_members()
    builder.admissions(admissions)
    builder.transfers_in()
    _record_dates(builder.people)
    return Plan(communes, slots, (merged, into, MERGE_DAY), builder.people)
