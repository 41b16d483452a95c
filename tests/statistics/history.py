"""A small hand-built history on top of ``tests.factories.registry()``, with its figures worked
out by hand in the tests that use it.

Commune A (Nậm Hàng): village V1 with cell A, village V3 without cell, school S1 without cell.
Commune B (Hua Bum): village V2 with cell B, health station H1 with its own cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from grassroots.members import services as member_services
from tests import factories


@dataclass
class History:
    reg: factories.Registry
    village_c: object
    school: object
    station: object
    station_cell: object
    members: dict


def build_history() -> History:
    reg = factories.registry()
    d = date(2013, 6, 1)
    v3 = factories.place(name="Bản Nậm Khao", kind="village", parent=reg.commune_a, valid_from=d)
    school = factories.place(
        name="Trường THCS Nậm Hàng", kind="school", parent=reg.commune_a, valid_from=d
    )
    station = factories.place(
        name="Trạm y tế xã Hua Bum", kind="health_station", parent=reg.commune_b, valid_from=d
    )
    station_cell = factories.org(
        name="Chi bộ Trạm y tế Hua Bum",
        kind="cell",
        place=station,
        parent=reg.commune_committee_b,
        valid_from=d,
    )
    in_a = {"organization": reg.cell_a, "place": reg.village_a}
    in_b = {"organization": reg.cell_b, "place": reg.village_b}
    m = {}
    for name, gender, birth in (
        ("Lò Văn Ánh", "male", date(1990, 5, 1)),
        ("Lò Thị Bình", "female", date(1985, 1, 1)),
        ("Tao Văn Chung", "male", date(1970, 7, 1)),
    ):
        m[name] = factories.member(
            full_name=name,
            gender=gender,
            birth_date=birth,
            ethnicity="Thái",
            admitted=date(2014, 1, 10),
            confirmed=date(2015, 1, 10),
            **in_a,
        )
    exempted = factories.member(
        full_name="Pờ Văn Dũng",
        birth_date=date(1950, 2, 1),
        ethnicity="Hà Nhì",
        admitted=date(2014, 1, 10),
        confirmed=date(2015, 1, 10),
        **in_a,
    )
    member_services.member_exempt(acting_user=None, member=exempted, day=date(2018, 1, 1))
    m["exempted"] = exempted
    m["probationary"] = factories.member(
        full_name="Lò Thị Én",
        gender="female",
        birth_date=date(1998, 3, 3),
        ethnicity="Thái",
        admitted=date(2020, 3, 1),
        **in_b,
    )
    teacher = factories.member(full_name="Nguyễn Văn Giang", ethnicity="Kinh")
    member_services.member_join(
        acting_user=None,
        member=teacher,
        day=date(2016, 9, 1),
        organization=reg.cell_b,
        place=school,
        official=True,
    )
    m["teacher"] = teacher
    died = factories.member(
        full_name="Vàng Văn Hải",
        birth_date=date(1960, 1, 1),
        admitted=date(2019, 5, 1),
        confirmed=date(2020, 5, 1),
        **in_b,
    )
    member_services.member_leave(acting_user=None, member=died, day=date(2022, 2, 1), reason="died")
    m["died"] = died
    cancelled = factories.member(full_name="Lù Văn Khánh", admitted=date(2021, 6, 1), **in_b)
    event = cancelled.events.get(kind="admitted")
    member_services.member_event_cancel(acting_user=None, event=event)
    m["cancelled"] = cancelled
    corrected = factories.member(full_name="Lò Văn Long", admitted=date(2021, 2, 1), **in_b)
    event = corrected.events.get(kind="admitted")
    member_services.member_event_correct(acting_user=None, event=event, day=date(2021, 3, 1))
    m["corrected"] = corrected
    member_services.member_move(
        acting_user=None,
        member=m["Lò Thị Bình"],
        day=date(2022, 6, 1),
        organization=reg.cell_b,
        place=reg.village_b,
    )
    return History(reg, v3, school, station, station_cell, m)
