"""Cadre pages on the generic scoped pages (``core.generic``): appointments ("who held this post
on D"), congresses and their results, every cell's secretary, succession plans and their yearly
review, rotations, and the cadre record (Mẫu 2C/TCTW-98) with its Word export.

Every page starts from a scope function of ``cadres.selectors`` (outside the scope: 404); every
write goes through ``cadres.services``."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse

from grassroots import policy
from grassroots.cadres import figures, selectors, services
from grassroots.cadres.forms import (
    AppointmentEndForm,
    AppointmentFilterForm,
    AppointmentForm,
    CongressForm,
    CongressResultForm,
    DisciplineForm,
    OrganizationFilterForm,
    PersonForm,
    PlanEntryForm,
    PlanEntryRemoveForm,
    PlanForm,
    PlanReviewForm,
    RotationEndForm,
    RotationFilterForm,
    RotationForm,
    SecretaryFilterForm,
)
from grassroots.cadres.models import Direction
from grassroots.core.access import record_access
from grassroots.core.generic import Column, DetailPage, ListPage, ServiceFormPage, as_of
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to


def _member_url(member) -> str | None:
    return reverse("cadres:record", args=[member.code]) if member else None


def _scope_organization(request, chosen=None):
    """The organisation a page's figures are about: the one chosen, else the user's scope,
    else the first top-level organisation the user sees."""
    if chosen is not None:
        return chosen
    if request.user.scope_id:
        return request.user.scope
    return organization_visible_to(request.user).filter(versions__parent__isnull=True).first()


# --- Appointments -----------------------------------------------------------------------------


class AppointmentList(ListPage):
    """Who holds which post on the page's date (or ever, with ``history``): filter by
    organisation (its subtree), position, name."""

    visible_to = selectors.appointment_visible_to
    personal_data = "Cán bộ"
    title = "Cán bộ: chức danh và người giữ chức"
    template_name = "cadres/appointment_list.html"
    filter_form = AppointmentFilterForm
    export_name = "can-bo"
    columns = (
        Column("Họ và tên", lambda a: a.holder_name, lambda a: _member_url(a.member)),
        Column("Mã", lambda a: a.holder_code),
        Column(
            "Chức danh",
            lambda a: a.position.name,
            lambda a: reverse("cadres:appointment", args=[a.pk]),
        ),
        Column("Tổ chức", lambda a: str(a.organization)),
        Column("Hình thức", lambda a: a.get_how_display()),
        Column("Từ ngày", lambda a: a.valid_from),
        Column("Đến trước ngày", lambda a: a.valid_to),
    )

    def get_rows(self, filters):
        return selectors.appointment_list(
            user=self.request.user,
            day=as_of(self.request),
            organization=filters.get("organization"),
            position=filters.get("position"),
            search=filters.get("search", ""),
            current=not filters.get("history"),
        )


appointment_list = AppointmentList.as_view()


class AppointmentDetail(DetailPage):
    visible_to = selectors.appointment_visible_to
    personal_data = "Cán bộ"
    lookup = "pk"
    template_name = "cadres/appointment_detail.html"
    context_object_name = "appointment"


appointment_detail = AppointmentDetail.as_view()


class AppointmentCreate(ServiceFormPage):
    form_class = AppointmentForm
    title = "Bổ nhiệm, phân công cán bộ"

    def initial(self):
        return {"valid_from": as_of(self.request), **self.request.GET.dict()}

    def call(self, data):
        return services.appointment_create(
            acting_user=self.request.user,
            organization=data["organization"],
            position=data["position"],
            member=data["member"],
            person=data["person"],
            how=data["how"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            decision=data["decision"],
            note=data["note"],
        )

    def success_message(self, result, data):
        return f"Đã ghi nhận: {result}."

    def success_url(self, result, data):
        return reverse("cadres:appointment", args=[result.pk])


appointment_create = AppointmentCreate.as_view()


class AppointmentEnd(ServiceFormPage):
    visible_to = selectors.appointment_visible_to
    lookup = "pk"
    form_class = AppointmentEndForm
    submit = "Ghi nhận thôi giữ chức"

    def get_title(self):
        return f"Thôi giữ chức: {self.object}"

    def initial(self):
        return {"day": as_of(self.request)}

    def call(self, data):
        return services.appointment_end(
            acting_user=self.request.user,
            appointment=self.object,
            day=data["day"],
            reason=data["reason"],
            decision=data["decision"],
            based_on=data["based_on"],
        )

    def success_message(self, result, data):
        return f"Đã ghi nhận {result.holder_name} thôi giữ chức từ {data['day']:%d/%m/%Y}."

    def success_url(self, result, data):
        return reverse("cadres:appointment", args=[result.pk])


appointment_end = AppointmentEnd.as_view()


class PersonCreate(ServiceFormPage):
    form_class = PersonForm
    title = "Thêm người ngoài Đảng giữ chức danh"

    def call(self, data):
        return services.person_create(acting_user=self.request.user, **data)

    def success_message(self, result, data):
        return f"Đã thêm {result.full_name} ({result.code})."

    def success_url(self, result, data):
        return f"{reverse('cadres:appointment_create')}?person={result.code}"


person_create = PersonCreate.as_view()


# --- Congresses -------------------------------------------------------------------------------


class CongressList(ListPage):
    visible_to = selectors.congress_visible_to
    title = "Đại hội và cấp ủy"
    template_name = "cadres/congress_list.html"
    filter_form = OrganizationFilterForm
    export_name = "dai-hoi"
    dated = False
    columns = (
        Column("Tổ chức đảng", lambda c: str(c.organization)),
        Column(
            "Đại hội",
            lambda c: f"Lần thứ {c.roman}",
            lambda c: reverse("cadres:congress", args=[c.pk]),
        ),
        Column("Nhiệm kỳ", lambda c: c.term),
        Column("Khai mạc", lambda c: c.starts_on),
        Column("Bế mạc", lambda c: c.ends_on),
    )

    def get_rows(self, filters):
        qs = self.visible()
        if filters.get("organization"):
            qs = qs.filter(organization=filters["organization"])
        return qs.order_by("-starts_on", "id")


congress_list = CongressList.as_view()


class CongressCreate(ServiceFormPage):
    form_class = CongressForm
    title = "Ghi nhận đại hội"

    def call(self, data):
        return services.congress_create(acting_user=self.request.user, **data)

    def success_message(self, result, data):
        return f"Đã ghi nhận {result} của {result.organization}."

    def success_url(self, result, data):
        return reverse("cadres:congress_result", args=[result.pk])


congress_create = CongressCreate.as_view()


class CongressDetail(DetailPage):
    """A congress, the committee it elected and the committee's figures on its closing day."""

    visible_to = selectors.congress_visible_to
    personal_data = "Cán bộ"
    lookup = "pk"
    template_name = "cadres/congress_detail.html"
    context_object_name = "congress"

    def get_context_data(self, obj, **context):
        elected = (
            selectors.appointment_visible_to(self.request.user)
            .filter(congress=obj)
            .order_by("position__order", "member__name_key")
        )
        context.update(
            elected=elected,
            figures=figures.committee_report(organization=obj.organization, day=obj.ends_on),
            targets={
                "women": policy.get("CADRES_PLAN_WOMEN_MIN_PERCENT"),
                "young": policy.get("CADRES_PLAN_YOUNG_MIN_PERCENT"),
            },
            young_age=policy.get("CADRES_YOUNG_AGE"),
        )
        return context


congress_detail = CongressDetail.as_view()


class CongressResult(ServiceFormPage):
    visible_to = selectors.congress_visible_to
    lookup = "pk"
    form_class = CongressResultForm
    submit = "Ghi nhận kết quả bầu cử"

    def get_title(self):
        return f"Kết quả {self.object} — {self.object.organization}"

    def back_link(self):
        return reverse("cadres:congress", args=[self.object.pk]), str(self.object)

    def call(self, data):
        return services.congress_record_result(
            acting_user=self.request.user,
            congress=self.object,
            executive=list(data["executive"]),
            standing=list(data["standing"]),
            secretary=data["secretary"],
            deputies=list(data["deputies"]),
            inspection=list(data["inspection"]),
            inspection_chair=data["inspection_chair"],
            decision=data["decision"],
        )

    def success_message(self, result, data):
        if not result:
            return "Kết quả này đã được ghi nhận; không có gì thay đổi."
        return f"Đã ghi nhận kết quả bầu cử ({len(result)} chức danh)."

    def success_url(self, result, data):
        return reverse("cadres:congress", args=[self.object.pk])


congress_result = CongressResult.as_view()


# --- Cell secretaries -------------------------------------------------------------------------


class SecretaryList(ListPage):
    """Every cell of the organisation (the user's scope by default) on the page's date with its
    secretary and the secretary's profile; the cells without a secretary on request."""

    visible_to = organization_visible_to
    personal_data = "Cán bộ"
    title = "Bí thư chi bộ"
    template_name = "cadres/secretary_list.html"
    filter_form = SecretaryFilterForm
    export_name = "bi-thu-chi-bo"
    columns = (
        Column("Chi bộ", lambda r: r.version.name),
        Column("Mã chi bộ", lambda r: r.version.organization.code),
        Column(
            "Bí thư",
            lambda r: r.appointment.holder_name if r.appointment else "Chưa có",
            lambda r: _member_url(r.appointment.member) if r.appointment else None,
        ),
        Column("Giới tính", lambda r: r.profile.get("gender_label", "")),
        Column("Tuổi", lambda r: r.profile.get("age"), numeric=True),
        Column("Dân tộc", lambda r: r.profile.get("ethnicity", "")),
        Column("Học vấn", lambda r: r.profile.get("education", "")),
        Column("Lý luận chính trị", lambda r: r.profile.get("political_theory", "")),
        Column("Xếp loại gần nhất", lambda r: r.profile.get("rating", "")),
    )

    def organization(self, filters):
        return _scope_organization(self.request, filters.get("organization"))

    def get_rows(self, filters):
        organization = self.organization(filters)
        if organization is None:
            return []
        rows = selectors.cell_secretaries_on(organization=organization, day=as_of(self.request))
        if filters.get("without"):
            rows = [r for r in rows if r.appointment is None]
        return rows

    def prepare(self, rows):
        day = as_of(self.request)
        for row in rows:
            row.profile = {}
            if row.appointment is not None:
                row.profile = selectors.cadre_profile(row.appointment.holder, day)
                row.profile["gender_label"] = "Nữ" if row.profile["woman"] else "Nam"
        return rows

    def get_context_data(self, **context):
        form = context.get("form")
        filters = form.cleaned_data if form is not None and form.is_valid() else {}
        organization = self.organization(filters)
        if organization is not None:
            context["figures"] = figures.secretaries_report(
                organization=organization, day=as_of(self.request)
            )
            context["organization"] = organization
        return context


secretary_list = SecretaryList.as_view()


# --- The cadre record (Mẫu 2C/TCTW-98) --------------------------------------------------------


class CadreRecord(DetailPage):
    """The record of a member as a cadre: identity, party dates, education, posts held,
    planning, rotations, ratings, discipline; ``?format=docx`` downloads it as a Word file and
    the page prints with the print stylesheet."""

    visible_to = member_visible_to
    personal_data = "Lý lịch cán bộ"
    template_name = "cadres/record.html"
    context_object_name = "member"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") != "docx":
            return super().get(request, *args, **kwargs)
        member = self.get_object()
        record_access(request, what=self.personal_data or "", count=1, subject=member.code)
        from grassroots.cadres.record import record_docx

        record = selectors.cadre_record(user=request.user, member=member, day=as_of(request))
        response = HttpResponse(
            record_docx(record),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="ly-lich-{member.code}.docx"'
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, obj, **context):
        context["record"] = selectors.cadre_record(
            user=self.request.user, member=obj, day=as_of(self.request)
        )
        return context


cadre_record = CadreRecord.as_view()


# --- Plans ------------------------------------------------------------------------------------


class PlanList(ListPage):
    visible_to = selectors.plan_visible_to
    title = "Quy hoạch cán bộ"
    template_name = "cadres/plan_list.html"
    filter_form = OrganizationFilterForm
    export_name = "quy-hoach"
    dated = False
    columns = (
        Column("Tổ chức đảng", lambda p: str(p.organization)),
        Column(
            "Nhiệm kỳ",
            lambda p: f"{p.term_from}–{p.term_to}",
            lambda p: reverse("cadres:plan", args=[p.pk]),
        ),
        Column("Bắt đầu nhiệm kỳ", lambda p: p.term_starts_on),
        Column("Phê duyệt", lambda p: p.approved_on),
    )

    def get_rows(self, filters):
        qs = self.visible()
        if filters.get("organization"):
            qs = qs.filter(organization=filters["organization"])
        return qs.order_by("-term_from", "organization_id")


plan_list = PlanList.as_view()


class PlanCreate(ServiceFormPage):
    form_class = PlanForm
    title = "Lập quy hoạch nhiệm kỳ"

    def call(self, data):
        return services.plan_create(acting_user=self.request.user, **data)

    def success_url(self, result, data):
        return reverse("cadres:plan", args=[result.pk])


plan_create = PlanCreate.as_view()


class PlanDetail(DetailPage):
    """The plan on the page's date: the people per position, the shares of women, young and
    ethnic-minority cadres against the targets, and the yearly reviews with their changes."""

    visible_to = selectors.plan_visible_to
    personal_data = "Quy hoạch cán bộ"
    lookup = "pk"
    template_name = "cadres/plan_detail.html"
    context_object_name = "plan"

    def get_context_data(self, obj, **context):
        day = as_of(self.request)
        reviews = list(obj.reviews.order_by("year"))
        for review in reviews:
            review.changes = selectors.plan_review_changes(obj, review.year)
        context.update(
            entries=selectors.plan_entries_on(obj, day),
            removed=obj.entries.filter(removed_on__isnull=False)
            .select_related("member", "position")
            .order_by("removed_on"),
            shares=selectors.plan_shares(obj, day),
            reviews=reviews,
        )
        return context


plan_detail = PlanDetail.as_view()


class PlanFormPage(ServiceFormPage):
    visible_to = selectors.plan_visible_to
    lookup = "pk"

    def back_link(self):
        return reverse("cadres:plan", args=[self.object.pk]), str(self.object)

    def success_url(self, result, data):
        return reverse("cadres:plan", args=[self.object.pk])


class PlanEntryAdd(PlanFormPage):
    form_class = PlanEntryForm
    submit = "Đưa vào quy hoạch"

    def get_title(self):
        return f"Đưa vào {self.object} — {self.object.organization}"

    def initial(self):
        return {"day": as_of(self.request)}

    def call(self, data):
        return services.plan_entry_add(
            acting_user=self.request.user,
            plan=self.object,
            position=data["position"],
            member=data["member"],
            day=data["day"],
        )

    def success_message(self, result, data):
        return f"Đã đưa {result.member} vào quy hoạch chức danh {result.position}."


plan_entry_add = PlanEntryAdd.as_view()


class PlanReviewPage(PlanFormPage):
    form_class = PlanReviewForm
    submit = "Ghi nhận rà soát"

    def get_title(self):
        return f"Rà soát hằng năm {self.object} — {self.object.organization}"

    def initial(self):
        day = as_of(self.request)
        return {"year": day.year, "reviewed_on": day}

    def call(self, data):
        return services.plan_review(acting_user=self.request.user, plan=self.object, **data)

    def success_message(self, result, data):
        review, removed = result
        return f"Đã rà soát năm {review.year}: {len(removed)} người đưa ra tự động."


plan_review = PlanReviewPage.as_view()


class EntryFormPage(ServiceFormPage):
    visible_to = selectors.plan_entry_visible_to
    lookup = "pk"

    def back_link(self):
        return reverse("cadres:plan", args=[self.object.plan_id]), str(self.object.plan)

    def success_url(self, result, data):
        return reverse("cadres:plan", args=[self.object.plan_id])


class PlanEntryRemove(EntryFormPage):
    form_class = PlanEntryRemoveForm
    submit = "Đưa ra khỏi quy hoạch"

    def get_title(self):
        return f"Đưa ra khỏi quy hoạch: {self.object}"

    def initial(self):
        return {"day": as_of(self.request)}

    def call(self, data):
        return services.plan_entry_remove(
            acting_user=self.request.user,
            entry=self.object,
            day=data["day"],
            reason=data["reason"],
            note=data["note"],
            based_on=data["based_on"],
        )


plan_entry_remove = PlanEntryRemove.as_view()


class PlanEntryDiscipline(EntryFormPage):
    form_class = DisciplineForm
    submit = "Ghi nhận kỷ luật"

    def get_title(self):
        return f"Kỷ luật của {self.object.member}"

    def initial(self):
        return {"day": as_of(self.request)}

    def call(self, data):
        return services.plan_entry_record_discipline(
            acting_user=self.request.user, entry=self.object, level=data["level"], day=data["day"]
        )

    def success_message(self, result, data):
        return f"Đã ghi nhận kỷ luật; {result.member} được đưa ra khỏi quy hoạch."


plan_entry_discipline = PlanEntryDiscipline.as_view()


# --- Rotations --------------------------------------------------------------------------------


class RotationList(ListPage):
    """Rotations and reassignments of the scope; ``due``: those due to return within
    ``CADRES_RETURN_NOTICE_DAYS`` of the page's date (overdue included). Above the list, the
    figures per year by direction (Biểu 11-BTCTW)."""

    visible_to = selectors.rotation_visible_to
    personal_data = "Cán bộ"
    title = "Luân chuyển, điều động cán bộ"
    template_name = "cadres/rotation_list.html"
    filter_form = RotationFilterForm
    export_name = "luan-chuyen"
    columns = (
        Column("Cán bộ", lambda r: r.member.full_name, lambda r: _member_url(r.member)),
        Column("Hình thức", lambda r: r.get_kind_display()),
        Column("Hướng", lambda r: r.get_direction_display()),
        Column("Từ", lambda r: f"{r.from_post} — {r.from_organization}".strip(" —")),
        Column("Đến", lambda r: f"{r.to_post} — {r.to_organization}".strip(" —")),
        Column("Bắt đầu", lambda r: r.starts_on),
        Column("Dự kiến kết thúc", lambda r: r.planned_end),
        Column(
            "Kết thúc",
            lambda r: r.actual_end,
            lambda r: reverse("cadres:rotation_end", args=[r.pk]),
        ),
    )

    def get_rows(self, filters):
        return selectors.rotation_list(
            user=self.request.user,
            organization=filters.get("organization"),
            due_on=as_of(self.request) if filters.get("due") else None,
        )

    def get_context_data(self, **context):
        form = context.get("form")
        filters = form.cleaned_data if form is not None and form.is_valid() else {}
        organization = _scope_organization(self.request, filters.get("organization"))
        if organization is not None:
            year = as_of(self.request).year
            report = figures.rotations_report(
                organization=organization, year_from=year - 4, year_to=year
            )
            context.update(
                organization=organization,
                rotation_years=report["by_year"],
                directions=Direction.choices,
            )
        return context


rotation_list = RotationList.as_view()


class RotationCreate(ServiceFormPage):
    form_class = RotationForm
    title = "Ghi nhận luân chuyển, điều động"

    def call(self, data):
        return services.rotation_create(acting_user=self.request.user, **data)

    def success_message(self, result, data):
        return f"Đã ghi nhận: {result}."

    def success_url(self, result, data):
        return reverse("cadres:rotations")


rotation_create = RotationCreate.as_view()


class RotationEnd(ServiceFormPage):
    visible_to = selectors.rotation_visible_to
    lookup = "pk"
    form_class = RotationEndForm
    submit = "Ghi nhận kết thúc"

    def get_title(self):
        return f"Kết thúc đợt {self.object}"

    def initial(self):
        return {"day": self.object.planned_end or as_of(self.request)}

    def call(self, data):
        return services.rotation_end(
            acting_user=self.request.user,
            rotation=self.object,
            day=data["day"],
            based_on=data["based_on"],
        )

    def success_message(self, result, data):
        return f"Đã ghi nhận {result.member} kết thúc đợt luân chuyển, điều động."

    def success_url(self, result, data):
        return reverse("cadres:rotations")


rotation_end = RotationEnd.as_view()
