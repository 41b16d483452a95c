"""Member pages: the list, a member's page, the profile and lifecycle forms, the checks page.

Every page starts from ``member_visible_to(request.user)`` (outside the scope: 404) and shows the
state on ``request.as_of``; every write goes through a member service via ``run_service``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html

from grassroots.core import scope
from grassroots.core.forms import run_service
from grassroots.core.generic import Column, DetailPage, ListPage, ServiceFormPage, as_of
from grassroots.core.permissions import editor_required, visible_or_404
from grassroots.core.picker import PICKER_LIMIT, Choice, name_or_code, picker_view
from grassroots.core.registry import render_panels
from grassroots.core.text import format_date
from grassroots.members import selectors, services
from grassroots.members.forms import (
    LIFECYCLE_KINDS,
    MemberCreateForm,
    MemberEditForm,
    MemberEventCancelForm,
    MemberEventCorrectForm,
    MemberEventForm,
    MemberFilterForm,
    MemberProfileForm,
    ProcedureForm,
    ProfileChangeForm,
)
from grassroots.members.models import EventKind, Member, MemberEvent
from grassroots.organizations.models import Organization


def _bound(request) -> dict:
    """Form arguments: a POST's data and files (even an empty POST binds), else unbound."""
    return {"data": request.POST, "files": request.FILES} if request.method == "POST" else {}


def _member_or_404(request, code: str, action: str = scope.VIEW) -> Member:
    return visible_or_404(selectors.member_visible_to(request.user, action), code=code)


def _event_or_404(request, code: str, pk: int) -> MemberEvent:
    """An event of a member the user may change today (correcting and cancelling write)."""
    member = _member_or_404(request, code, scope.CHANGE)
    return visible_or_404(member.events.visible_to(request.user).select_related("member"), pk=pk)


def _status_badges(member) -> str:
    span = member.span
    if span is None:
        return ""
    badges = format_html('<span class="badge {}">{}</span>', span.status, span.get_status_display())
    if span.exempted:
        badges += format_html(' <span class="badge warn">{}</span>', "Miễn sinh hoạt")
    return badges


def _status(member) -> str:
    span = member.span
    if span is None:
        return ""
    return (
        f"{span.get_status_display()}, miễn sinh hoạt"
        if span.exempted
        else span.get_status_display()
    )


class MemberList(ListPage):
    """Members on the "as of" date, searched and filtered, in Vietnamese name order."""

    visible_to = selectors.member_visible_to
    personal_data = "Đảng viên"
    title = "Đảng viên"
    template_name = "members/list.html"
    filter_form = MemberFilterForm
    export_name = "dang-vien"
    rows_name = "members"
    columns = (
        Column(
            "Họ và tên", lambda m: m.full_name, lambda m: reverse("members:detail", args=[m.code])
        ),
        Column("Mã", lambda m: m.code),
        Column("Ngày sinh", lambda m: m.birth_date),
        Column("Giới tính", lambda m: m.get_gender_display()),
        Column("Dân tộc", lambda m: m.ethnicity),
        Column("Loại", _status, html=_status_badges),
        Column("Tổ chức đảng", lambda m: m.span.organization_name if m.span else ""),
        Column("Địa bàn", lambda m: m.span.place_name if m.span else ""),
    )

    def get_rows(self, filters):
        return selectors.member_list(user=self.request.user, day=as_of(self.request), **filters)

    def cache_key(self, filters) -> tuple:
        key = sorted((k, getattr(v, "pk", v)) for k, v in filters.items())
        user = self.request.user
        # The scope too: the user's own table is not under the data version.
        return ("members", user.pk, getattr(user, "scope_id", None), as_of(self.request), *key)

    def prepare(self, rows: list) -> list:
        selectors.attach_spans(rows, as_of(self.request))
        return rows


member_list = MemberList.as_view()


class MemberDetail(DetailPage):
    """Profile, state on the "as of" date, party age and the full history of events."""

    visible_to = selectors.member_visible_to
    personal_data = "Đảng viên"
    template_name = "members/detail.html"
    context_object_name = "member"

    def get_context_data(self, obj, **context):
        day = as_of(self.request)
        span = selectors.member_span_on(member=obj, day=day, user=self.request.user)
        died_on = selectors.member_died_on(member=obj)
        # death is final: nothing more to record (a correction goes through the event's row)
        kinds = [] if died_on else selectors.member_event_kinds_on(span=span)
        return {
            **context,
            "span": span,
            "died_on": died_on,
            "party_age": selectors.member_party_age(member=obj, day=day),
            "events": selectors.member_timeline(member=obj, user=self.request.user),
            "actions": [(kind, EventKind(kind).label) for kind in kinds],
            **render_panels("member", self.request, obj),
            "procedures": obj.procedures.select_related("recorded_by").order_by("date", "id"),
            "profile_changes": obj.profile_changes.select_related("recorded_by").order_by(
                "date", "id"
            ),
        }


member_detail = MemberDetail.as_view()


@editor_required
def member_create(request):
    """A new member's profile and admission, saved together or not at all."""
    form = MemberCreateForm(**_bound(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = partial(
            services.member_enrol,
            acting_user=request.user,
            code=data["code"],
            first_event=form.first_event(),
            **form.profile,
        )
        result = run_service(request, form, call)
        if result:
            member = result[0]
            messages.success(request, f"Đã thêm đảng viên {member.full_name}.")
            return redirect("members:detail", code=member.code)
    return render(request, "members/form.html", {"form": form, "title": "Thêm đảng viên"})


class MemberEdit(ServiceFormPage):
    """Edit the profile (the code is the member's stable identifier and stays)."""

    visible_to = selectors.member_visible_to
    form_class = MemberEditForm
    form_takes_user = False
    template_name = "members/form.html"

    def initial(self) -> dict:
        return MemberProfileForm.initial_for(self.object)

    def get_title(self) -> str:
        return f"Sửa hồ sơ: {self.object.full_name}"

    def get_context_data(self, **context) -> dict:
        return {**context, "member": self.object}

    def call(self, data):
        profile = {name: data[name] for name in MemberProfileForm.PROFILE}
        return services.member_update(
            acting_user=self.request.user,
            member=self.object,
            based_on=data.get("based_on"),
            **profile,
        )

    def success_message(self, result, data) -> str:
        return "Đã lưu hồ sơ."

    def success_url(self, result, data) -> str:
        return reverse("members:detail", args=[self.object.code])


member_edit = MemberEdit.as_view()


class MemberProfileChangePage(ServiceFormPage):
    """Record a dated change of the member record (Mẫu 3-HSĐV): a form for a past day reads
    the value of that day."""

    visible_to = selectors.member_visible_to
    form_class = ProfileChangeForm
    form_takes_user = False
    template_name = "members/form.html"
    submit = "Ghi nhận"

    def get_title(self) -> str:
        return f"Bổ sung hồ sơ: {self.object.full_name}"

    def get_context_data(self, **context) -> dict:
        return {**context, "member": self.object}

    def call(self, data):
        return services.member_profile_change(
            acting_user=self.request.user,
            member=self.object,
            day=data["date"],
            field=data["field"],
            value=data["value"],
            note=data["note"],
        )

    def success_message(self, result, data) -> str:
        return f"Đã ghi nhận: {result.field_label} là “{result.value_label}” từ {result.date:%d/%m/%Y}."

    def success_url(self, result, data) -> str:
        return reverse("members:detail", args=[self.object.code])


member_profile_change = MemberProfileChangePage.as_view()


class MemberProcedurePage(ServiceFormPage):
    """Record a party badge awarded or a party card issued (Biểu 7-BTCTW)."""

    visible_to = selectors.member_visible_to
    form_class = ProcedureForm
    form_takes_user = False
    template_name = "members/form.html"
    submit = "Ghi nhận"

    def get_title(self) -> str:
        return f"Huy hiệu Đảng, thẻ đảng viên: {self.object.full_name}"

    def get_context_data(self, **context) -> dict:
        return {**context, "member": self.object}

    def call(self, data):
        return services.member_procedure_record(
            acting_user=self.request.user,
            member=self.object,
            day=data["date"],
            kind=data["kind"],
            badge_years=data["badge_years"],
            number=data["number"],
            note=data["note"],
        )

    def success_message(self, result, data) -> str:
        return f"Đã ghi nhận: {result.label} ngày {result.date:%d/%m/%Y}."

    def success_url(self, result, data) -> str:
        return reverse("members:detail", args=[self.object.code])


member_procedure = MemberProcedurePage.as_view()


@editor_required
def member_event(request, code: str, kind: str):
    """Record one lifecycle event (admitted, confirmed, moved, left…) for the member."""
    if kind not in LIFECYCLE_KINDS:
        raise Http404
    # Joining events may bring back someone who is a member nowhere on the day (the service
    # checks the receiving organisation); every other event changes a member of today's scope.
    action = scope.VIEW if kind in services.JOINING_KINDS else scope.CHANGE
    member = _member_or_404(request, code, action)
    form = MemberEventForm(
        **_bound(request),
        user=request.user,
        kind=kind,
        member=member,
        initial={"date": request.as_of},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = partial(
            services.member_record_event,
            acting_user=request.user,
            member=member,
            kind=kind,
            day=data["date"],
            organization=data.get("organization"),
            place=data.get("place"),
            reason=data.get("reason", ""),
            note=data["note"],
        )
        if run_service(request, form, call):
            label = EventKind(kind).label
            messages.success(request, f"Đã ghi nhận: {label} ngày {format_date(data['date'])}.")
            if form.place_note:
                messages.info(request, form.place_note)
            return redirect("members:detail", code=member.code)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "member": member,
            "span": selectors.member_span_on(member=member, day=request.as_of),
            "title": EventKind(kind).label,
        },
    )


@editor_required
def event_correct(request, code: str, pk: int):
    """Correct an event: a new event of the same kind supersedes it; both stay visible."""
    event = _event_or_404(request, code, pk)
    form = MemberEventCorrectForm(
        **_bound(request),
        user=request.user,
        event=event,
        initial={
            "date": event.date,
            "organization": event.organization,
            "place": event.place,
            "reason": event.reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = partial(
            services.member_event_correct,
            acting_user=request.user,
            event=event,
            day=data["date"],
            organization=data.get("organization"),
            place=data.get("place"),
            reason=data.get("reason"),
            note=data["note"],
        )
        if run_service(request, form, call):
            messages.success(request, f"Đã đính chính: {event}.")
            return redirect("members:detail", code=code)
    return render(
        request,
        "members/event_form.html",
        {"form": form, "event": event, "member": event.member, "title": "Đính chính sự kiện"},
    )


@editor_required
def event_cancel(request, code: str, pk: int):
    """Withdraw an event recorded by mistake (a cancellation supersedes it; both stay)."""
    event = _event_or_404(request, code, pk)
    form = MemberEventCancelForm(**_bound(request))
    if request.method == "POST" and form.is_valid():
        call = partial(
            services.member_event_cancel,
            acting_user=request.user,
            event=event,
            note=form.cleaned_data["note"],
        )
        if run_service(request, form, call):
            messages.success(request, f"Đã hủy: {event}.")
            return redirect("members:detail", code=code)
    return render(
        request,
        "members/event_form.html",
        {
            "form": form,
            "event": event,
            "member": event.member,
            "title": "Hủy sự kiện",
            "cancel": True,
        },
    )


@dataclass(frozen=True)
class CheckRow:
    """One line of the checks page: the check, what it is about, why, and where to look."""

    check: str
    label: str
    detail: str
    url: str


def _check_row(check, obj: Member | Organization, detail: str) -> CheckRow:
    if isinstance(obj, Member):
        url = reverse("members:detail", args=[obj.code])
        return CheckRow(check.title, obj.full_name, detail, url)
    return CheckRow(check.title, obj.code, detail, reverse("organizations:detail", args=[obj.code]))


class Checks(ListPage):
    """What the rules only warn about, in the user's scope, on the "as of" date: one section per
    check on the page, one line per case in the export."""

    visible_to = selectors.member_visible_to
    personal_data = "Đảng viên và tổ chức cần chú ý"
    title = "Cảnh báo"
    template_name = "members/checks.html"
    export_name = "canh-bao"
    paginated = False
    columns = (
        Column("Cảnh báo", lambda row: row.check),
        Column("Đối tượng", lambda row: row.label, lambda row: row.url),
        Column("Chi tiết", lambda row: row.detail),
    )

    def get_rows(self, filters):
        self.groups = [
            (check, [_check_row(check, obj, detail) for obj, detail in check.rows])
            for check in selectors.checks(user=self.request.user, day=as_of(self.request))
        ]
        return [row for _, rows in self.groups for row in rows]

    def get_context_data(self, **context) -> dict:
        return {**context, "groups": self.groups}


checks = Checks.as_view()


def search_members(user, day, words, text):
    """Picker: the visible members whose name contains the words typed (diacritics optional)
    or whose code begins with them, in Vietnamese name order, with their birth date."""
    members = (
        selectors.member_visible_to(user)
        .filter(name_or_code(words, text, name="name_folded", code="code"))
        .order_by("name_key", "id")
    )
    return [
        Choice(m.code, m.full_name, f"sinh {format_date(m.birth_date)}" if m.birth_date else "")
        for m in members[:PICKER_LIMIT]
    ]


pick = picker_view(search_members)
