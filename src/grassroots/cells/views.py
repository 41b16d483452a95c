"""Pages of cell life: the meetings of the user's scope, a meeting with its attendance, recording
a meeting on one screen (a row of radio buttons per member), attendance rates per cell and per
member, the fees collected and a cell's monthly collection.

Every page starts from the app's scope functions (outside the scope: 404); every write goes
through ``cells.services``."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse

from grassroots.cells import figures, selectors, services
from grassroots.cells.forms import (
    AttendanceFiguresForm,
    BasisFilterForm,
    BasisForm,
    FeeCollectForm,
    FeeFilterForm,
    MeetingFilterForm,
    MeetingForm,
    RemittanceFilterForm,
    RemittanceForm,
    ReviewFilterForm,
    ReviewForm,
    StudyCampaignForm,
    StudyPlanForm,
    StudySessionForm,
    YearFilterForm,
)
from grassroots.cells.models import Meeting, MeetingKind, Presence
from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.generic import Column, DetailPage, ListPage, ServiceFormPage, as_of
from grassroots.core.permissions import visible_or_404
from grassroots.core.temporal import parse_date
from grassroots.core.text import format_money
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to


class MeetingList(ListPage):
    """Meetings of the user's scope, filtered by organisation, year and kind."""

    visible_to = selectors.meeting_visible_to
    title = "Sinh hoạt chi bộ"
    template_name = "cells/meetings.html"
    filter_form = MeetingFilterForm
    export_name = "sinh-hoat-chi-bo"
    dated = False
    columns = (
        Column("Ngày", lambda m: m.date, lambda m: reverse("cells:meeting", args=[m.pk])),
        Column("Chi bộ", lambda m: m.organization.code),
        Column("Loại", lambda m: m.get_kind_display()),
        Column("Nội dung", lambda m: m.theme),
        Column("Có mặt", lambda m: m.present, numeric=True),
        Column("Phải dự", lambda m: m.expected, numeric=True),
    )

    def get_rows(self, filters):
        return selectors.meeting_list(user=self.request.user, **filters)

    def prepare(self, rows):
        counts: dict[int, dict[str, int]] = {}
        from grassroots.cells.models import Attendance

        for meeting_id, presence, exempted in Attendance.objects.filter(
            meeting__in=rows
        ).values_list("meeting_id", "presence", "exempted"):
            c = counts.setdefault(meeting_id, {"present": 0, "expected": 0})
            if not exempted:
                c["expected"] += 1
                c["present"] += presence == Presence.PRESENT
        for row in rows:
            c = counts.get(row.pk, {"present": 0, "expected": 0})
            row.present, row.expected = c["present"], c["expected"]
        return rows


meeting_list = MeetingList.as_view()


class MeetingDetail(DetailPage):
    """One meeting: its theme, documents and each member's presence."""

    visible_to = selectors.meeting_visible_to
    personal_data = "Điểm danh sinh hoạt chi bộ"
    lookup = "pk"
    template_name = "cells/meeting.html"
    context_object_name = "meeting"

    def get_context_data(self, obj, **context):
        rows = obj.attendance.select_related("member").order_by("member__name_key", "member_id")
        return {
            **context,
            "rows": rows,
            "documents": obj.documents.all(),
            "record_url": _record_url(obj.organization.code, obj.date, obj.kind),
        }


meeting_detail = MeetingDetail.as_view()


def _record_url(code: str, day: date, kind: str) -> str:
    query = urlencode({"organization": code, "date": day.isoformat(), "kind": kind})
    return f"{reverse('cells:meeting_record')}?{query}"


class MeetingRecord(ServiceFormPage):
    """Record (or correct) a cell's meeting on one screen. The cell, the day and the kind come
    from the query string (``?organization=CB-V1&date=2023-05-10&kind=regular``); the form has
    the theme, the documents and one row of radio buttons per member of the cell that day."""

    form_class = MeetingForm
    template_name = "cells/record.html"
    title = "Ghi buổi sinh hoạt chi bộ"
    submit = "Lưu buổi sinh hoạt"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cell = None
        self.members: list = []
        self.problem = ""
        self.meeting: Meeting | None = None
        self.code = ""
        self.kind = request.GET.get("kind") or MeetingKind.REGULAR
        if self.kind not in MeetingKind.values:
            self.kind = MeetingKind.REGULAR
        raw_day = (request.GET.get("date") or "").strip()
        self.day = parse_date(raw_day) if raw_day else request.as_of
        code = (request.GET.get("organization") or "").strip()
        if not code and request.user.is_authenticated and request.user.scope_id:
            code = request.user.scope.code
        self.code = code
        if self.day is None:
            self.problem = f"Ngày “{raw_day}” không hợp lệ (dùng dạng YYYY-MM-DD)."
            return
        self.cell = (
            organization_visible_to(request.user, scope.CHANGE).filter(code__iexact=code).first()
            if code
            else None
        )
        if self.cell is None:
            self.problem = (
                f"Không tìm thấy chi bộ mã {code} trong phạm vi của bạn."
                if code
                else "Nhập mã chi bộ."
            )
            return
        self.members = services.cell_members_on(organization=self.cell, day=self.day)
        if not self.members:
            self.problem = f"{self.cell} không có đảng viên vào ngày {self.day:%d/%m/%Y}."
        self.meeting = (
            selectors.meeting_visible_to(request.user, scope.CHANGE)
            .filter(organization=self.cell, date=self.day, kind=self.kind)
            .first()
        )

    def locked(self):
        return self.meeting

    def form_kwargs(self):
        return {"user": self.request.user, "members": self.members}

    def initial(self):
        if self.meeting is None:
            return {}
        data = {
            "theme": self.meeting.theme,
            "note": self.meeting.note,
            "documents": "; ".join(d.number for d in self.meeting.documents.all()),
        }
        for row in self.meeting.attendance.all():
            data[f"presence_{row.member_id}"] = row.presence
        return data

    def stale_values(self, data):
        return self.initial()

    def call(self, data):
        if self.cell is None or not self.members:
            raise RuleError(self.problem or "Chọn chi bộ.", code="no_cell")
        assert self.day is not None
        return services.meeting_record(
            acting_user=self.request.user,
            organization=self.cell,
            day=self.day,
            kind=self.kind,
            attendance=self.meeting_form().attendance(),
            theme=data["theme"],
            documents=data["documents"],
            note=data["note"],
            meeting=self.meeting,
            based_on=data.get("based_on"),
        )

    def get_form(self):
        self.form = super().get_form()
        return self.form

    def meeting_form(self) -> MeetingForm:
        assert isinstance(self.form, MeetingForm)
        return self.form

    def success_message(self, result, data):
        return f"Đã lưu {result.get_kind_display().lower()} ngày {result.date:%d/%m/%Y}."

    def success_url(self, result, data):
        return reverse("cells:meeting", args=[result.pk])

    def get_context_data(self, **context):
        context.update(
            cell=self.cell,
            code=self.code,
            day=self.day,
            kind=self.kind,
            kinds=MeetingKind.choices,
            problem=self.problem,
            meeting=self.meeting,
            presences=Presence.choices,
        )
        return context


meeting_record = MeetingRecord.as_view()


@login_required
def attendance(request):
    """The figures of meetings for an organisation and a year: the months held, and the
    attendance rate per cell and per member."""
    form = AttendanceFiguresForm(request.GET, user=request.user)
    context: dict = {"form": form}
    if form.is_valid():
        organization = form.cleaned_data["organization"] or request.user.scope
        if organization is None:
            organization = organization_visible_to(request.user).order_by("code").first()
        year = form.cleaned_data["year"] or as_of(request).year
        if organization is not None:
            visible_or_404(organization_visible_to(request.user), pk=organization.pk)
            day = min(date(year, 12, 31), max(as_of(request), date(year, 1, 1)))
            context.update(
                organization=organization,
                year=year,
                report=figures.meetings_report(organization=organization, day=day),
                cells=figures.attendance_by_cell(organization=organization, year=year),
                members=figures.attendance_by_member(organization=organization, year=year),
            )
    return render(request, "cells/attendance.html", context)


class FeeList(ListPage):
    """Party fees collected by the cells of the user's scope."""

    visible_to = selectors.fee_visible_to
    personal_data = "Đảng phí"
    title = "Đảng phí"
    template_name = "cells/fees.html"
    filter_form = FeeFilterForm
    export_name = "dang-phi"
    dated = False
    columns = (
        Column("Tháng", lambda p: f"{p.month:%m/%Y}"),
        Column("Đảng viên", lambda p: p.member.full_name),
        Column("Mã", lambda p: p.member.code),
        Column("Chi bộ", lambda p: p.organization.code),
        Column("Phải đóng", lambda p: format_money(int(p.due)), numeric=True),
        Column("Đã đóng", lambda p: format_money(int(p.paid)), numeric=True),
        Column("Ngày đóng", lambda p: p.paid_on),
    )

    def get_rows(self, filters):
        return selectors.fee_list(user=self.request.user, **filters)


fee_list = FeeList.as_view()


class FeeCollect(ServiceFormPage):
    """A cell's collection for a month on one screen (``?organization=CB-V1&month=2023-05``):
    one amount per member of the cell on the month's last day, filled with the fee due."""

    form_class = FeeCollectForm
    template_name = "cells/collect.html"
    title = "Thu đảng phí"
    submit = "Lưu đảng phí"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cell = None
        self.members: list = []
        self.problem = ""
        self.code = (request.GET.get("organization") or "").strip()
        try:
            raw = request.GET.get("month") or f"{request.as_of:%Y-%m}"
            self.month = services.parse_month(raw)
        except RuleError as exc:
            self.problem = " ".join(exc.messages)
            return
        code = self.code
        if not code and request.user.is_authenticated and request.user.scope_id:
            code = self.code = request.user.scope.code
        self.cell = (
            organization_visible_to(request.user, scope.CHANGE).filter(code__iexact=code).first()
            if code
            else None
        )
        if self.cell is None:
            self.problem = (
                f"Không tìm thấy chi bộ mã {code} trong phạm vi của bạn."
                if code
                else "Nhập mã chi bộ."
            )
            return
        last = services.month_end(self.month)
        members = [row.member for row in services.cell_members_on(organization=self.cell, day=last)]
        self.members = [(m, services.due_for(member=m, month=self.month)) for m in members]
        if not self.members:
            self.problem = f"{self.cell} không có đảng viên vào cuối tháng {self.month:%m/%Y}."

    def form_kwargs(self):
        return {"user": self.request.user, "members": self.members}

    def initial(self):
        return (
            {"paid_on": min(services.month_end(self.month), as_of(self.request))}
            if not self.problem
            else {}
        )

    def call(self, data):
        if self.cell is None:
            raise RuleError(self.problem or "Chọn chi bộ.", code="no_cell")
        rows = [
            services.Collected(member, paid, data["paid_on"])
            for member, paid in self.collect_form().amounts()
        ]
        return services.fee_collect(
            acting_user=self.request.user, organization=self.cell, month=self.month, rows=rows
        ) or [None]

    def get_form(self):
        self.form = super().get_form()
        return self.form

    def collect_form(self) -> FeeCollectForm:
        assert isinstance(self.form, FeeCollectForm)
        return self.form

    def success_message(self, result, data):
        n = len([r for r in result if r is not None])
        return f"Đã ghi đảng phí tháng {self.month:%m/%Y} của {n} đảng viên."

    def success_url(self, result, data):
        query = urlencode(
            {"organization": self.cell.code if self.cell else "", "month": f"{self.month:%Y-%m}"}
        )
        return f"{reverse('cells:fees')}?{query}"

    def get_context_data(self, **context):
        context.update(
            cell=self.cell,
            code=self.code,
            month=getattr(self, "month", None),
            problem=self.problem,
            rows=[(m, due, self.form[f"paid_{m.pk}"]) for m, due in self.members],
        )
        return context


fee_collect = FeeCollect.as_view()


# --- Study campaigns -----------------------------------------------------------------------------


class StudyList(ListPage):
    """Study campaigns of the user's scope and above it."""

    visible_to = selectors.campaign_visible_to
    title = "Học tập, quán triệt chỉ thị, nghị quyết"
    template_name = "cells/list.html"
    filter_form = YearFilterForm
    export_name = "hoc-tap-quan-triet"
    dated = False
    columns = (
        Column(
            "Đợt học tập", lambda c: c.title, lambda c: reverse("cells:study_detail", args=[c.pk])
        ),
        Column("Văn bản", lambda c: c.document.number),
        Column("Cấp", lambda c: c.organization.code),
        Column("Từ ngày", lambda c: c.start),
        Column("Đến ngày", lambda c: c.end),
        Column("Đối tượng", lambda c: c.get_target_display()),
        Column("Kế hoạch làm theo", lambda c: c.plan_required),
    )

    def get_rows(self, filters):
        return selectors.campaign_list(user=self.request.user, **filters)

    def get_context_data(self, **context):
        return {**context, "actions": [("Thêm đợt học tập", reverse("cells:study_new"))]}


study_list = StudyList.as_view()


class StudyDetail(DetailPage):
    """A campaign: its sessions and, for the organisation chosen (the user's scope by default,
    ``?organization=``), the share of members who studied, per organisation directly under it,
    with links to who has not."""

    visible_to = selectors.campaign_visible_to
    lookup = "pk"
    template_name = "cells/study.html"
    context_object_name = "campaign"

    def get_context_data(self, obj, **context):
        day = as_of(self.request)
        code = (self.request.GET.get("organization") or "").strip()
        visible = organization_visible_to(self.request.user)
        organization = visible.filter(code__iexact=code).first() if code else None
        if organization is None:
            scope_org = getattr(self.request.user, "scope", None)
            inside = scope_org is not None and visible.filter(pk=scope_org.pk).exists()
            organization = (
                obj.organization
                if visible.filter(pk=obj.organization_id).exists() or not inside
                else scope_org
            )
        assert organization is not None
        rows = figures.study_by_child(campaign=obj, organization=organization, day=day)
        for row in rows:
            row["drill"] = drill_url(
                f"study.campaigns.{obj.pk}.not_studied", row["organization"].code, day
            )
        sessions = (
            selectors.session_visible_to(self.request.user)
            .filter(campaign=obj)
            .annotate(attended=Count("attendance"))
            .order_by("date", "organization__code")
        )
        return {
            **context,
            "organization": organization,
            "rows": rows,
            "sessions": sessions,
            "day": day,
        }


def drill_url(figure: str, code: str, day: date) -> str:
    """The drill-down page (the figure registry's) listing the records behind one number."""
    query = urlencode({"figure": figure, "organization": code, "as_of": day.isoformat()})
    return f"{reverse('statistics:drilldown')}?{query}"


study_detail = StudyDetail.as_view()


class StudyCampaignPage(ServiceFormPage):
    """Create a study campaign, or (with ``pk``) correct one."""

    visible_to = selectors.campaign_visible_to
    lookup = "pk"
    form_class = StudyCampaignForm
    submit = "Lưu đợt học tập"

    def visible(self):
        """Only a campaign the user runs is corrected here (one of an organisation above the
        user's scope is read, and its sessions recorded, not changed)."""
        return (
            super()
            .visible()
            .filter(organization__in=organization_visible_to(self.request.user, scope.CHANGE))
        )

    def get_title(self):
        return f"Sửa đợt học tập: {self.object}" if self.object else "Thêm đợt học tập, quán triệt"

    def initial(self):
        c = self.object
        if c is None:
            return {"start": as_of(self.request), "end": as_of(self.request)}
        return {
            "organization": c.organization.code,
            "document": c.document.number,
            "title": c.title,
            "start": c.start,
            "end": c.end,
            "target": c.target,
            "target_note": c.target_note,
            "plan_required": c.plan_required,
            "note": c.note,
        }

    def call(self, data):
        return services.study_campaign_save(
            acting_user=self.request.user,
            organization=data["organization"],
            document=data["document"],
            title=data["title"],
            start=data["start"],
            end=data["end"],
            target=data["target"],
            target_note=data["target_note"],
            plan_required=data["plan_required"],
            note=data["note"],
            campaign=self.object,
            based_on=data.get("based_on"),
        )

    def success_message(self, result, data):
        return f"Đã lưu đợt học tập “{result.title}”."

    def success_url(self, result, data):
        return reverse("cells:study_detail", args=[result.pk])

    def back_link(self):
        if self.object is None:
            return reverse("cells:study"), "Học tập, quán triệt"
        return reverse("cells:study_detail", args=[self.object.pk]), str(self.object)


study_new = StudyCampaignPage.as_view()
study_edit = StudyCampaignPage.as_view()


class StudySessionPage(ServiceFormPage):
    """Record (or correct) a session of the campaign: the organisation and the day come from
    the query string (``?organization=CB-V1&date=2023-05-05``); one checkbox per member of the
    organisation's subtree that day. The campaign (``pk``) may be run above the user's scope
    (it covers it): the session is the user's organisation's."""

    visible_to = selectors.campaign_visible_to
    lookup = "pk"
    form_class = StudySessionForm
    template_name = "cells/study_session.html"
    submit = "Lưu buổi học tập"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.problem = ""
        self.unit = None
        self.session = None
        self.members: list = []
        raw_day = (request.GET.get("date") or "").strip()
        self.day = parse_date(raw_day) if raw_day else request.as_of
        self.code = (request.GET.get("organization") or "").strip()
        if not self.code and request.user.is_authenticated and request.user.scope_id:
            self.code = request.user.scope.code
        if self.day is None:
            self.problem = f"Ngày “{raw_day}” không hợp lệ (dùng dạng YYYY-MM-DD)."
            return
        self.unit = (
            organization_visible_to(request.user, scope.CHANGE)
            .filter(code__iexact=self.code)
            .first()
            if self.code
            else None
        )
        if self.unit is None:
            self.problem = (
                f"Không tìm thấy tổ chức mã {self.code} trong phạm vi của bạn."
                if self.code
                else "Nhập mã tổ chức đảng."
            )
            return
        spans = (
            services.members_under(organization=self.unit, day=self.day)
            .select_related("member")
            .order_by("member__name_key", "member_id")
        )
        self.members = [s.member for s in spans]

    def get_object(self):
        campaign = super().get_object()
        if campaign is not None and self.unit is not None:
            self.session = (
                selectors.session_visible_to(self.request.user, scope.CHANGE)
                .filter(campaign=campaign, organization=self.unit, date=self.day)
                .first()
            )
        return campaign

    def locked(self):
        return self.session

    def form_kwargs(self):
        return {"user": self.request.user, "members": self.members}

    def initial(self):
        if self.session is None:
            return {}
        return {
            "note": self.session.note,
            "attended": [
                str(pk) for pk in self.session.attendance.values_list("member_id", flat=True)
            ],
        }

    def stale_values(self, data):
        self.get_object()
        return self.initial()

    def get_title(self):
        return f"Ghi buổi học tập: {self.object}"

    def call(self, data):
        if self.unit is None or self.day is None:
            raise RuleError(self.problem or "Chọn tổ chức đảng.", code="no_organization")
        assert isinstance(self.form, StudySessionForm)
        return services.study_session_record(
            acting_user=self.request.user,
            campaign=self.object,
            organization=self.unit,
            day=self.day,
            attended=self.form.attended(),
            note=data["note"],
            session=self.session,
            based_on=data.get("based_on"),
        )

    def get_form(self):
        self.form = super().get_form()
        return self.form

    def success_message(self, result, data):
        n = result.attendance.count()
        return f"Đã lưu buổi học tập ngày {result.date:%d/%m/%Y} ({n} đảng viên dự)."

    def success_url(self, result, data):
        return reverse("cells:study_detail", args=[self.object.pk])

    def back_link(self):
        return reverse("cells:study_detail", args=[self.object.pk]), str(self.object)

    def get_context_data(self, **context):
        return {
            **context,
            "unit": self.unit,
            "code": self.code,
            "day": self.day,
            "problem": self.problem,
            "session": self.session,
        }


study_session = StudySessionPage.as_view()


class StudyPlanPage(ServiceFormPage):
    """Record (or correct) a member's individual plan of action (``?member=CODE``)."""

    visible_to = selectors.campaign_visible_to
    lookup = "pk"
    form_class = StudyPlanForm
    form_takes_user = False
    template_name = "cells/study_plan.html"
    submit = "Lưu kế hoạch làm theo"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.code = (request.GET.get("member") or "").strip()
        self.member = None
        self.plan = None
        if self.code and request.user.is_authenticated:
            self.member = (
                member_visible_to(request.user, scope.CHANGE).filter(code__iexact=self.code).first()
            )

    def get_object(self):
        campaign = super().get_object()
        if campaign is not None and self.member is not None:
            self.plan = campaign.plans.filter(member=self.member).first()
        return campaign

    def locked(self):
        return self.plan

    def initial(self):
        if self.plan is None:
            return {"submitted_on": as_of(self.request)}
        return {"submitted_on": self.plan.submitted_on, "content": self.plan.content}

    def stale_values(self, data):
        self.get_object()
        return self.initial()

    def get_title(self):
        return f"Kế hoạch làm theo: {self.object}"

    def call(self, data):
        if self.member is None:
            raise RuleError(
                f"Không tìm thấy đảng viên mã {self.code} trong phạm vi của bạn."
                if self.code
                else "Chọn đảng viên.",
                code="no_member",
            )
        return services.study_plan_record(
            acting_user=self.request.user,
            campaign=self.object,
            member=self.member,
            submitted_on=data["submitted_on"],
            content=data["content"],
            based_on=data.get("based_on"),
        )

    def success_message(self, result, data):
        return f"Đã lưu kế hoạch làm theo của {result.member.full_name}."

    def success_url(self, result, data):
        return reverse("cells:study_detail", args=[self.object.pk])

    def back_link(self):
        return reverse("cells:study_detail", args=[self.object.pk]), str(self.object)

    def get_context_data(self, **context):
        return {**context, "member": self.member, "code": self.code, "plan": self.plan}


study_plan = StudyPlanPage.as_view()


# --- Yearly self-criticism review ----------------------------------------------------------------


class ReviewList(ListPage):
    visible_to = selectors.review_visible_to
    personal_data = "Kiểm điểm tự phê bình và phê bình"
    title = "Kiểm điểm tự phê bình và phê bình"
    template_name = "cells/list.html"
    filter_form = ReviewFilterForm
    export_name = "kiem-diem"
    dated = False
    columns = (
        Column("Năm", lambda r: r.year, lambda r: reverse("cells:review_edit", args=[r.pk])),
        Column("Đối tượng", lambda r: r.member.full_name if r.member_id else r.organization.code),
        Column("Mã", lambda r: r.member.code if r.member_id else r.organization.code),
        Column("Tổ chức", lambda r: r.organization.code),
        Column("Tình trạng", lambda r: r.get_status_display()),
        Column("Ngày kiểm điểm", lambda r: r.reviewed_on),
        Column("Xếp loại chất lượng năm", lambda r: r.rating_level),
    )

    def get_rows(self, filters):
        return selectors.review_list(user=self.request.user, **filters)

    def prepare(self, rows):
        for row in rows:
            rating = selectors.rating_of(row)
            row.rating_level = rating.get_level_display() if rating is not None else ""
        return rows

    def get_context_data(self, **context):
        return {**context, "actions": [("Ghi kết quả kiểm điểm", reverse("cells:review_new"))]}


review_list = ReviewList.as_view()


class ReviewPage(ServiceFormPage):
    """Record a review (a member's or an organisation's, for a year), or correct one (``pk``:
    its subject and year stay)."""

    visible_to = selectors.review_visible_to
    lookup = "pk"
    form_class = ReviewForm
    template_name = "cells/review_form.html"
    submit = "Lưu kết quả kiểm điểm"

    def form_kwargs(self):
        return {"user": self.request.user, "fixed": self.object}

    def get_title(self):
        if self.object is None:
            return "Ghi kết quả kiểm điểm tự phê bình và phê bình"
        return f"Sửa kết quả kiểm điểm: {self.object}"

    def initial(self):
        r = self.object
        if r is None:
            return {"year": as_of(self.request).year, "status": "done"}
        return {
            "year": r.year,
            "member": r.member.code if r.member_id else None,
            "organization": None if r.member_id else r.organization.code,
            "status": r.status,
            "reviewed_on": r.reviewed_on,
            "note": r.note,
        }

    def call(self, data):
        return services.review_record(
            acting_user=self.request.user,
            year=data["year"],
            status=data["status"],
            member=data.get("member"),
            organization=data.get("organization"),
            reviewed_on=data.get("reviewed_on"),
            note=data["note"],
            based_on=data.get("based_on"),
        )

    def success_message(self, result, data):
        return f"Đã lưu kết quả kiểm điểm năm {result.year}: {result}."

    def success_url(self, result, data):
        return f"{reverse('cells:reviews')}?year={result.year}"

    def back_link(self):
        return reverse("cells:reviews"), "Kiểm điểm tự phê bình và phê bình"

    def get_context_data(self, **context):
        rating = selectors.rating_of(self.object) if self.object else None
        return {**context, "rating": rating}


review_new = ReviewPage.as_view()
review_edit = ReviewPage.as_view()


# --- Income bases and remittances ----------------------------------------------------------------


class BasisList(ListPage):
    visible_to = selectors.basis_visible_to
    personal_data = "Căn cứ đóng đảng phí"
    title = "Căn cứ đóng đảng phí"
    template_name = "cells/list.html"
    filter_form = BasisFilterForm
    export_name = "can-cu-dang-phi"
    dated = False
    columns = (
        Column(
            "Đảng viên",
            lambda b: b.member.full_name,
            lambda b: reverse("cells:basis_edit", args=[b.pk]),
        ),
        Column("Mã", lambda b: b.member.code),
        Column("Căn cứ", lambda b: b.get_kind_display()),
        Column("Số tiền", lambda b: format_money(int(b.amount)), numeric=True),
        Column("Áp dụng từ", lambda b: b.valid_from),
        Column(
            "Đảng phí hằng tháng",
            lambda b: format_money(services.fee_due(kind=b.kind, amount=int(b.amount))),
            numeric=True,
        ),
    )

    def get_rows(self, filters):
        return selectors.basis_list(user=self.request.user, **filters)

    def get_context_data(self, **context):
        return {**context, "actions": [("Thêm căn cứ", reverse("cells:basis_new"))]}


basis_list = BasisList.as_view()


class BasisPage(ServiceFormPage):
    visible_to = selectors.basis_visible_to
    lookup = "pk"
    form_class = BasisForm
    submit = "Lưu căn cứ"

    def get_title(self):
        if self.object is None:
            return "Thêm căn cứ đóng đảng phí"
        return f"Sửa căn cứ đóng đảng phí: {self.object.member.full_name}"

    def initial(self):
        b = self.object
        if b is None:
            return {
                "valid_from": as_of(self.request).replace(day=1),
                "member": self.request.GET.get("member"),
            }
        return {
            "member": b.member.code,
            "kind": b.kind,
            "amount": int(b.amount),
            "valid_from": b.valid_from,
            "note": b.note,
        }

    def call(self, data):
        return services.income_basis_set(
            acting_user=self.request.user,
            member=data["member"],
            kind=data["kind"],
            amount=data["amount"],
            valid_from=data["valid_from"],
            note=data["note"],
            basis=self.object,
            based_on=data.get("based_on"),
        )

    def success_message(self, result, data):
        fee = services.fee_due(kind=result.kind, amount=int(result.amount))
        return (
            f"Đã lưu căn cứ của {result.member.full_name} từ ngày {result.valid_from:%d/%m/%Y}: "
            f"đảng phí {format_money(fee)}/tháng."
        )

    def success_url(self, result, data):
        return f"{reverse('cells:bases')}?{urlencode({'member': result.member.code})}"

    def back_link(self):
        return reverse("cells:bases"), "Căn cứ đóng đảng phí"


basis_new = BasisPage.as_view()
basis_edit = BasisPage.as_view()


class RemittanceList(ListPage):
    visible_to = selectors.remittance_visible_to
    title = "Đảng phí nộp cấp trên"
    template_name = "cells/list.html"
    filter_form = RemittanceFilterForm
    export_name = "dang-phi-nop-cap-tren"
    dated = False
    columns = (
        Column(
            "Chi bộ",
            lambda r: r.organization.code,
            lambda r: reverse("cells:remittance_edit", args=[r.pk]),
        ),
        Column("Từ tháng", lambda r: f"{r.month_from:%m/%Y}"),
        Column("Đến tháng", lambda r: f"{r.month_to:%m/%Y}"),
        Column("Số tiền", lambda r: format_money(int(r.amount)), numeric=True),
        Column("Ngày nộp", lambda r: r.sent_on),
        Column("Ghi chú", lambda r: r.note),
    )

    def get_rows(self, filters):
        return selectors.remittance_list(user=self.request.user, **filters)

    def get_context_data(self, **context):
        return {**context, "actions": [("Ghi khoản nộp cấp trên", reverse("cells:remittance_new"))]}


remittance_list = RemittanceList.as_view()


class RemittancePage(ServiceFormPage):
    visible_to = selectors.remittance_visible_to
    lookup = "pk"
    form_class = RemittanceForm
    submit = "Lưu khoản nộp"

    def get_title(self):
        return "Sửa khoản nộp cấp trên" if self.object else "Ghi đảng phí nộp cấp trên"

    def initial(self):
        r = self.object
        if r is None:
            return {"sent_on": as_of(self.request)}
        return {
            "organization": r.organization.code,
            "month_from": f"{r.month_from:%Y-%m}",
            "month_to": f"{r.month_to:%Y-%m}",
            "amount": int(r.amount),
            "sent_on": r.sent_on,
            "note": r.note,
        }

    def call(self, data):
        return services.fee_remit(
            acting_user=self.request.user,
            organization=data["organization"],
            month_from=data["month_from"],
            month_to=data["month_to"],
            amount=data["amount"],
            sent_on=data["sent_on"],
            note=data["note"],
            remittance=self.object,
            based_on=data.get("based_on"),
        )

    def success_message(self, result, data):
        return (
            f"Đã lưu khoản nộp {format_money(int(result.amount))} của {result.organization.code} "
            f"(tháng {result.month_from:%m/%Y} – {result.month_to:%m/%Y})."
        )

    def success_url(self, result, data):
        return reverse("cells:remittances")

    def back_link(self):
        return reverse("cells:remittances"), "Đảng phí nộp cấp trên"


remittance_new = RemittancePage.as_view()
remittance_edit = RemittancePage.as_view()
