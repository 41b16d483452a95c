"""What the cells app gives the platform: its warnings on the checks page and its objects for
the route sweep."""

from __future__ import annotations

from datetime import date, timedelta

from grassroots.cells import selectors
from grassroots.members.selectors import Check


def checks(*, user, day: date) -> list[Check]:
    """The two removal cases of the Charter (listed, never acted on automatically): absent from
    meetings without reason, and fee not paid, for 3 months or more in ``day``'s year."""
    year = day.year
    absent = selectors.absent_months(user=user, day=day)
    unpaid = selectors.unpaid_months(user=user, day=day)
    return [
        Check(
            "absent_three_months",
            "Vắng sinh hoạt không lý do từ 3 tháng trở lên trong năm",
            [(case.member, case.detail(year, "vắng không lý do")) for case in absent],
        ),
        Check(
            "unpaid_three_months",
            "Không đóng đảng phí từ 3 tháng trở lên trong năm",
            [(case.member, case.detail(year, "không đóng đảng phí")) for case in unpaid],
        ),
    ]


def sweep_objects(home):
    """A meeting of the home cell (with its members' attendance) and a fee payment; the writes
    record a thematic meeting and a month's collection."""
    from grassroots.cells.models import BasisKind, MeetingKind, Presence
    from grassroots.cells.services import (
        Collected,
        cell_members_on,
        fee_collect,
        fee_remit,
        income_basis_set,
        meeting_record,
    )
    from grassroots.core.registry import SweepObjects, Write
    from grassroots.members.services import member_admit, member_create

    day = home.day
    # A member of the cell since long before ``day``: the page's write (below) is a meeting of
    # the day before, when the members other modules' sweep objects admit on ``day`` are not
    # yet in the cell.
    members = cell_members_on(organization=home.organization, day=day - timedelta(days=1))
    if not members:
        member = member_create(
            acting_user=None,
            code=f"SWEEP-CELLS-{home.organization.code}",
            full_name="Lò Văn Sinh",
            gender="male",
            birth_date=date(1990, 1, 1),
        )
        member_admit(
            acting_user=None,
            member=member,
            day=day - timedelta(days=400),
            organization=home.organization,
            place=home.place,
        )
    members = cell_members_on(organization=home.organization, day=day)
    attendance = {row.member.pk: Presence.PRESENT for row in members}
    meeting = meeting_record(
        acting_user=None,
        organization=home.organization,
        day=day,
        kind=MeetingKind.REGULAR,
        attendance=attendance,
        theme="Sinh hoạt thường kỳ",
    )
    first = members[0].member
    income_basis_set(
        acting_user=None,
        member=first,
        kind=BasisKind.SALARY,
        amount=5_000_000,
        valid_from=day.replace(day=1),
    )
    fee_remit(
        acting_user=None,
        organization=home.organization,
        month_from=day.replace(day=1),
        month_to=day.replace(day=1),
        amount=5000,
        sent_on=day,
    )
    fee_collect(
        acting_user=None,
        organization=home.organization,
        month=day.replace(day=1),
        rows=[Collected(first, 5000, day)],
    )
    code = home.organization.code
    # The page's write is a meeting of the day before: the modules whose sweep objects come
    # after this one admit members into the cell on ``day`` (their attendance is not in it).
    before = day - timedelta(days=1)
    earlier = cell_members_on(organization=home.organization, day=before)
    form = {f"presence_{row.member.pk}": Presence.EXCUSED for row in earlier}

    month = f"{day:%Y-%m}"
    return SweepObjects(
        kwargs={"pk": meeting.pk, "meeting_id": meeting.pk},
        query={
            "cells:meetings": {"organization": code},
            "cells:meeting_record": {
                "organization": code,
                "date": before.isoformat(),
                "kind": MeetingKind.THEMATIC,
            },
            "cells:fee_collect": {"organization": code, "month": month},
            "cells:attendance": {"organization": code, "year": str(day.year)},
            "GET /": {"organization": code},
            "GET /fees": {"organization": code},
            "GET /attendance": {"organization": code},
        },
        writes={
            "cells:meeting_record": Write(
                {"theme": "Chuyên đề học tập", "documents": "", "note": "", **form},
                audit={"cells.meeting": 1, "cells.attendance": len(earlier)},
            ),
            "cells:fee_collect": Write(
                {"paid_on": day.isoformat(), f"paid_{first.pk}": "7000"},
                audit={"cells.feepayment": 1},
            ),
            "POST /": Write(
                {
                    "organization": code,
                    "date": before.isoformat(),
                    "kind": MeetingKind.THEMATIC,
                    "theme": "Chuyên đề",
                    "attendance": [
                        {"member": row.member.code, "presence": Presence.ABSENT} for row in earlier
                    ],
                },
                audit={"cells.meeting": 1, "cells.attendance": len(earlier)},
            ),
            "POST /bases": Write(
                {
                    "member": first.code,
                    "kind": BasisKind.PENSION,
                    "amount": 4_000_000,
                    "valid_from": day.isoformat(),
                },
                audit={"cells.incomebasis": 1},
            ),
            "POST /remittances": Write(
                {
                    "organization": code,
                    "month_from": month,
                    "month_to": month,
                    "amount": 12000,
                    "sent_on": day.isoformat(),
                },
                audit={"cells.feeremittance": 1},
            ),
            "POST /fees": Write(
                {
                    "organization": code,
                    "month": month,
                    "payments": [{"member": first.code, "paid": 9000, "paid_on": day.isoformat()}],
                },
                audit={"cells.feepayment": 1},
            ),
        },
    )
