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
    from grassroots.cells.models import BasisKind, MeetingKind, Presence, ReviewStatus
    from grassroots.cells.services import (
        Collected,
        cell_members_on,
        fee_collect,
        fee_remit,
        income_basis_set,
        meeting_record,
        review_record,
        study_campaign_save,
        study_plan_record,
        study_session_record,
    )
    from grassroots.core.registry import SweepObjects, Write
    from grassroots.members.services import member_admit, member_create
    from grassroots.resolutions.models import Document

    day = home.day
    # A member of the cell since long before ``day``: the page's write (below) is a meeting of
    # the day before, when the members other modules' sweep objects admit on ``day`` are not
    # yet in the cell.
    members = cell_members_on(organization=home.organization, day=day - timedelta(days=10))
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
    # A member since before the campaign's first days (the study objects' member).
    veteran = cell_members_on(organization=home.organization, day=day - timedelta(days=10))[
        0
    ].member
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
    basis = income_basis_set(
        acting_user=None,
        member=first,
        kind=BasisKind.FIXED,
        amount=3000,
        valid_from=day.replace(day=1) - timedelta(days=31),
    )
    remittance = fee_remit(
        acting_user=None,
        organization=home.organization,
        month_from=day.replace(day=1),
        month_to=day.replace(day=1),
        amount=5000,
        sent_on=day,
    )
    document = Document.objects.create(
        type="CT",
        issuer_code="TW",
        number=f"05-CT/TW-{home.organization.code}",
        issued_on=day - timedelta(days=400),
        title="Chỉ thị về học tập và làm theo",
    )
    campaign = study_campaign_save(
        acting_user=None,
        organization=home.organization,
        document=document,
        title="Học tập chỉ thị",
        start=day - timedelta(days=10),
        end=day + timedelta(days=30),
        plan_required=True,
    )
    study_session_record(
        acting_user=None,
        campaign=campaign,
        organization=home.organization,
        day=day - timedelta(days=5),
        attended=[veteran],
    )
    study_plan_record(
        acting_user=None, campaign=campaign, member=veteran, submitted_on=day - timedelta(days=5)
    )
    review = review_record(
        acting_user=None,
        year=day.year,
        status=ReviewStatus.DONE,
        organization=home.organization,
        reviewed_on=day,
    )
    fee_collect(
        acting_user=None,
        organization=home.organization,
        month=day.replace(day=1),
        rows=[Collected(veteran, 5000, day)],
    )
    code = home.organization.code
    # The page's write is a meeting of the day before: the modules whose sweep objects come
    # after this one admit members into the cell on ``day`` (their attendance is not in it).
    before = day - timedelta(days=1)
    earlier = cell_members_on(organization=home.organization, day=before)
    form = {f"presence_{row.member.pk}": Presence.EXCUSED for row in earlier}

    month = f"{day:%Y-%m}"
    campaign_body = {
        "organization": code,
        "document": document.number,
        "title": "Học tập chỉ thị (sửa)",
        "start": (day - timedelta(days=10)).isoformat(),
        "end": (day + timedelta(days=30)).isoformat(),
        "plan_required": True,
    }
    in_campaign = {
        name: {"pk": campaign.pk}
        for name in ("study_detail", "study_edit", "study_session", "study_plan")
    }
    return SweepObjects(
        kwargs={"pk": meeting.pk, "meeting_id": meeting.pk},
        route_kwargs={
            **{f"cells:{name}": value for name, value in in_campaign.items()},
            "cells:basis_edit": {"pk": basis.pk},
            "cells:remittance_edit": {"pk": remittance.pk},
            "cells:review_edit": {"pk": review.pk},
            "GET /study/{campaign_id}": {"campaign_id": campaign.pk},
            "PUT /study/{campaign_id}": {"campaign_id": campaign.pk},
            "POST /study/{campaign_id}/sessions": {"campaign_id": campaign.pk},
            "POST /study/{campaign_id}/plans": {"campaign_id": campaign.pk},
            "PUT /bases/{basis_id}": {"basis_id": basis.pk},
            "PUT /remittances/{remittance_id}": {"remittance_id": remittance.pk},
        },
        query={
            "cells:study": {"organization": code},
            "cells:study_detail": {"organization": code},
            "cells:study_session": {
                "organization": code,
                "date": (day - timedelta(days=5)).isoformat(),
            },
            "cells:study_plan": {"member": veteran.code},
            "cells:reviews": {"organization": code},
            "cells:bases": {"member": first.code},
            "cells:remittances": {"organization": code},
            "GET /study": {"organization": code},
            "GET /reviews": {"organization": code},
            "GET /bases": {"member": first.code},
            "GET /remittances": {"organization": code},
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
            "POST /study": Write(
                {**campaign_body, "title": "Đợt mới"}, audit={"cells.studycampaign": 1}
            ),
            "PUT /study/{campaign_id}": Write(
                {**campaign_body, "version": campaign.version}, audit={"cells.studycampaign": 1}
            ),
            "POST /study/{campaign_id}/sessions": Write(
                {"organization": code, "date": before.isoformat(), "attended": [veteran.code]},
                audit={"cells.studysession": 1, "cells.studyattendance": 1},
            ),
            "POST /study/{campaign_id}/plans": Write(
                {"member": veteran.code, "submitted_on": day.isoformat(), "content": "Làm theo"},
                audit={"cells.studyplan": 1},
            ),
            "POST /reviews": Write(
                {
                    "year": day.year,
                    "member": veteran.code,
                    "status": ReviewStatus.DONE,
                    "reviewed_on": day.isoformat(),
                },
                audit={"cells.selfcriticism": 1},
            ),
            "PUT /bases/{basis_id}": Write(
                {
                    "member": first.code,
                    "kind": BasisKind.FIXED,
                    "amount": 4000,
                    "valid_from": basis.valid_from.isoformat(),
                    "version": basis.version,
                },
                audit={"cells.incomebasis": 1},
            ),
            "PUT /remittances/{remittance_id}": Write(
                {
                    "organization": code,
                    "month_from": month,
                    "month_to": month,
                    "amount": 6000,
                    "sent_on": day.isoformat(),
                    "version": remittance.version,
                },
                audit={"cells.feeremittance": 1},
            ),
            "cells:review_edit": Write(
                {"status": ReviewStatus.NOT_DONE, "reviewed_on": "", "note": "Sửa"},
                audit={"cells.selfcriticism": 1},
            ),
            "cells:basis_edit": Write(
                {
                    "member": first.code,
                    "kind": BasisKind.FIXED,
                    "amount": "4000",
                    "valid_from": basis.valid_from.isoformat(),
                    "note": "",
                },
                audit={"cells.incomebasis": 1},
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
