"""Pages of cell life: the meetings of the user's scope, a meeting with its attendance, recording
a meeting on one screen (a row of radio buttons per member), attendance rates per cell and per
member, the fees collected and a cell's monthly collection.

Every page starts from the app's scope functions (outside the scope: 404); every write goes
through ``cells.services``."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from grassroots.cells import figures, selectors, services
from grassroots.cells.forms import (
    AttendanceFiguresForm,
    FeeCollectForm,
    FeeFilterForm,
    MeetingFilterForm,
    MeetingForm,
)
from grassroots.cells.models import Meeting, MeetingKind, Presence
from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.generic import Column, DetailPage, ListPage, ServiceFormPage, as_of
from grassroots.core.permissions import visible_or_404
from grassroots.core.temporal import parse_date
from grassroots.core.text import format_money
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
