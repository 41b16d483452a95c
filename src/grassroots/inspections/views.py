"""Inspection pages on ``core.generic``: programmes, cases (confidential: inspectors within scope;
every read recorded in the access log), discipline decisions and appeals, and the figures.

Every page starts from the app's scope functions (outside them: 404); every write goes
through ``inspections.services``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from grassroots.core import figures as registry
from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.generic import Column, DetailPage, ListPage, ServiceFormPage, as_of
from grassroots.core.permissions import visible_or_404
from grassroots.inspections import selectors, services
from grassroots.inspections.forms import (
    AppealDecideForm,
    AppealForm,
    CaseFilterForm,
    CaseForm,
    CaseStepForm,
    DecisionFilterForm,
    DecisionForm,
    ProgrammeForm,
    ProgrammeItemForm,
)
from grassroots.inspections.models import Case, Kind, Level, Step, ViolationKind
from grassroots.organizations.selectors import organization_visible_to

#: What the access log calls a read of case records.
CASE_RECORDS = "Hồ sơ kiểm tra, giám sát"
DECISIONS = "Kỷ luật"


def _subject_name(obj) -> str:
    return obj.member.full_name if obj.member else str(obj.organization)


# --- Cases -------------------------------------------------------------------------------------


class CaseList(ListPage):
    """Cases of the user's scope (inspectors and administrators only)."""

    visible_to = selectors.case_visible_to
    personal_data = CASE_RECORDS
    title = "Cuộc kiểm tra, giám sát"
    template_name = "inspections/case_list.html"
    filter_form = CaseFilterForm
    export_name = "kiem-tra-giam-sat"
    dated = False
    columns = (
        Column("Mã", lambda c: c.code, lambda c: reverse("inspections:case", args=[c.code])),
        Column("Loại", lambda c: c.get_kind_display()),
        Column("Đối tượng", _subject_name),
        Column("Nội dung", lambda c: c.topic),
        Column("Ngày quyết định", lambda c: c.decided_on),
        Column("Bước", lambda c: c.step.label),
        Column("Kết luận", lambda c: c.get_conclusion_display()),
    )

    def get_rows(self, filters):
        return selectors.case_list(user=self.request.user, **filters)


case_list = CaseList.as_view()


class CaseDetail(DetailPage):
    """One case: decision, team, dated steps, findings, conclusion, decisions that followed."""

    visible_to = selectors.case_visible_to
    personal_data = CASE_RECORDS
    template_name = "inspections/case_detail.html"
    context_object_name = "case"

    def get_context_data(self, obj, **context):
        return {
            **context,
            "decisions": selectors.decision_visible_to(self.request.user).filter(case=obj),
        }


case_detail = CaseDetail.as_view()


class CaseCreate(ServiceFormPage):
    visible_to = selectors.case_visible_to
    form_class = CaseForm
    title = "Mở cuộc kiểm tra, giám sát"

    def initial(self):
        return {"decided_on": as_of(self.request)}

    def call(self, data):
        return services.case_open(
            acting_user=self.request.user,
            code=data["code"],
            kind=data["kind"],
            subject=data["subject"],
            member=data["member"],
            organization=data["organization"],
            topic=data["topic"],
            deciding_body=data["deciding_body"],
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
            team=data["team"],
            item=data["item"],
        )

    def success_message(self, result, data):
        return f"Đã mở cuộc kiểm tra {result.code}."

    def success_url(self, result, data):
        return reverse("inspections:case", args=[result.code])


case_create = CaseCreate.as_view()


class CaseStepPage(ServiceFormPage):
    visible_to = selectors.case_visible_to
    form_class = CaseStepForm
    form_takes_user = False
    title = "Ghi bước kiểm tra, giám sát"

    def initial(self):
        case = self.object
        following = [s for s in Step if s != Step.DECIDED and getattr(case, f"{s}_on") is None]
        return {"step": following[0].value if following else "", "day": as_of(self.request)}

    def call(self, data):
        return services.case_step(
            acting_user=self.request.user,
            case=self.object,
            step=data["step"],
            day=data["day"],
            findings=data["findings"],
            conclusion=data["conclusion"],
            violation_kind=data["violation_kind"],
            based_on=data["based_on"],
        )

    def success_message(self, result, data):
        return f"Đã ghi bước “{Step(data['step']).label}”."

    def success_url(self, result, data):
        return reverse("inspections:case", args=[result.code])

    def back_link(self):
        return reverse(
            "inspections:case", args=[self.object.code]
        ), f"Cuộc kiểm tra {self.object.code}"


case_step = CaseStepPage.as_view()


# --- Discipline --------------------------------------------------------------------------------


class DecisionList(ListPage):
    """Discipline decisions of the user's scope: who, level, date, decision."""

    visible_to = selectors.decision_visible_to
    personal_data = DECISIONS
    title = "Quyết định kỷ luật"
    template_name = "inspections/decision_list.html"
    filter_form = DecisionFilterForm
    export_name = "ky-luat"
    dated = False
    columns = (
        Column("Mã", lambda d: d.code, lambda d: reverse("inspections:decision", args=[d.code])),
        Column("Đối tượng", _subject_name),
        Column("Hình thức", lambda d: d.get_level_display()),
        Column("Ngày quyết định", lambda d: d.decided_on),
        Column("Số quyết định", lambda d: d.decision_number),
        Column("Cơ quan quyết định", lambda d: d.deciding_body),
        Column("Hiệu lực", lambda d: d.get_status_display()),
    )

    def get_rows(self, filters):
        return selectors.decision_list(user=self.request.user, **filters)


decision_list = DecisionList.as_view()


class DecisionDetail(DetailPage):
    """A decision: everyone in scope sees level, date, decision and appeals; the case behind it
    only when they may read cases."""

    visible_to = selectors.decision_visible_to
    personal_data = DECISIONS
    template_name = "inspections/decision_detail.html"
    context_object_name = "decision"

    def get_context_data(self, obj, **context):
        user = self.request.user
        case = (
            selectors.case_visible_to(user).filter(pk=obj.case_id).first() if obj.case_id else None
        )
        return {
            **context,
            "case": case,
            "inspector": scope.can_read(Case, user),
            "appeals": obj.appeals.all(),
        }


decision_detail = DecisionDetail.as_view()


class DecisionCreate(ServiceFormPage):
    visible_to = selectors.decision_visible_to
    form_class = DecisionForm
    title = "Quyết định kỷ luật"

    def initial(self):
        return {"decided_on": as_of(self.request)}

    def call(self, data):
        user = self.request.user
        case = None
        if data["case"]:
            case = selectors.case_visible_to(user).filter(code__iexact=data["case"].strip()).first()
            if case is None:
                raise RuleError(
                    f"Không tìm thấy cuộc kiểm tra mã {data['case']} trong phạm vi của bạn.",
                    code="case_not_found",
                )
        return services.discipline_decide(
            acting_user=user,
            code=data["code"],
            subject=data["subject"],
            member=data["member"],
            organization=data["organization"],
            level=data["level"],
            violation_kind=data["violation_kind"],
            violation_date=data["violation_date"],
            decided_on=data["decided_on"],
            deciding_body=data["deciding_body"],
            decision_number=data["decision_number"],
            votes_for=data["votes_for"],
            votes_total=data["votes_total"],
            case=case,
            note=data["note"],
        )

    def success_message(self, result, data):
        return f"Đã ghi quyết định kỷ luật {result.code}."

    def success_url(self, result, data):
        return reverse("inspections:decision", args=[result.code])


decision_create = DecisionCreate.as_view()


class AppealLodge(ServiceFormPage):
    visible_to = selectors.for_inspectors(selectors.decision_visible_to)
    form_class = AppealForm
    form_takes_user = False
    title = "Ghi nhận khiếu nại kỷ luật"

    def call(self, data):
        return services.appeal_lodge(
            acting_user=self.request.user,
            decision=self.object,
            lodged_on=data["lodged_on"],
            note=data["note"],
        )

    def success_message(self, result, data):
        return "Đã ghi nhận khiếu nại."

    def success_url(self, result, data):
        return reverse("inspections:decision", args=[self.object.code])


appeal_lodge = AppealLodge.as_view()


class AppealDecide(ServiceFormPage):
    visible_to = selectors.for_inspectors(selectors.appeal_visible_to)
    lookup = "pk"
    form_class = AppealDecideForm
    form_takes_user = False
    title = "Giải quyết khiếu nại kỷ luật"

    def call(self, data):
        return services.appeal_decide(
            acting_user=self.request.user,
            appeal=self.object,
            decided_on=data["decided_on"],
            outcome=data["outcome"],
            new_level=data["new_level"],
            deciding_body=data["deciding_body"],
        )

    def success_message(self, result, data):
        return f"Đã giải quyết khiếu nại: {result.get_outcome_display().lower()}."

    def success_url(self, result, data):
        return reverse("inspections:decision", args=[result.decision.code])


appeal_decide = AppealDecide.as_view()


# --- Programmes --------------------------------------------------------------------------------


class ProgrammeList(ListPage):
    visible_to = selectors.programme_visible_to
    title = "Chương trình kiểm tra, giám sát"
    template_name = "inspections/programme_list.html"
    export_name = "chuong-trinh-kiem-tra"
    dated = False
    columns = (
        Column(
            "Chương trình",
            lambda p: p.title,
            lambda p: reverse("inspections:programme", args=[p.pk]),
        ),
        Column("Loại", lambda p: p.get_kind_display()),
        Column(
            "Năm",
            lambda p: (
                f"{p.year_from}–{p.year_to}" if p.year_to != p.year_from else str(p.year_from)
            ),
        ),
        Column("Cấp ủy", lambda p: str(p.organization)),
        Column("Cơ quan ban hành", lambda p: p.issued_by),
    )

    def get_rows(self, filters):
        return selectors.programme_visible_to(self.request.user).order_by(
            "-year_from", "kind", "pk"
        )


programme_list = ProgrammeList.as_view()


class ProgrammeDetail(DetailPage):
    visible_to = selectors.programme_visible_to
    lookup = "pk"
    template_name = "inspections/programme_detail.html"
    context_object_name = "programme"

    def get_context_data(self, obj, **context):
        items = list(selectors.programme_items(programme=obj).prefetch_related("cases"))
        for item in items:
            item.done = any(c.concluded_on for c in item.cases.all())
        return {**context, "items": items}


programme_detail = ProgrammeDetail.as_view()


class ProgrammeCreate(ServiceFormPage):
    visible_to = selectors.programme_visible_to
    form_class = ProgrammeForm
    title = "Chương trình kiểm tra, giám sát"

    def initial(self):
        return {"year_from": as_of(self.request).year, "kind": "year"}

    def call(self, data):
        return services.programme_create(
            acting_user=self.request.user,
            organization=data["organization"],
            kind=data["kind"],
            year_from=data["year_from"],
            year_to=data["year_to"],
            title=data["title"],
            issued_by=data["issued_by"],
            note=data["note"],
        )

    def success_message(self, result, data):
        return f"Đã lập {result}."

    def success_url(self, result, data):
        return reverse("inspections:programme", args=[result.pk])


programme_create = ProgrammeCreate.as_view()


class ProgrammeItemAdd(ServiceFormPage):
    visible_to = selectors.for_inspectors(selectors.programme_visible_to)
    lookup = "pk"
    form_class = ProgrammeItemForm
    title = "Thêm nội dung kiểm tra, giám sát"

    def call(self, data):
        return services.programme_item_add(
            acting_user=self.request.user,
            programme=self.object,
            kind=data["kind"],
            subject=data["subject"],
            member=data["member"],
            organization=data["organization"],
            topic=data["topic"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        )

    def success_message(self, result, data):
        return "Đã thêm nội dung vào chương trình."

    def success_url(self, result, data):
        return reverse("inspections:programme", args=[self.object.pk])


programme_item_add = ProgrammeItemAdd.as_view()


# --- Figures -----------------------------------------------------------------------------------


def _int(raw, default: int) -> int:
    return int(raw) if raw and str(raw).isdigit() else default


KIND_ROWS = [*Kind.choices, ("total", "Tổng số")]
DISCIPLINE_GROUPS = (
    ("members", "Đảng viên bị kỷ luật"),
    ("organizations", "Tổ chức đảng bị kỷ luật"),
    ("violations", "Vi phạm theo loại"),
)
LABELS = {**dict(Level.choices), **dict(ViolationKind.choices), "total": "Tổng số"}


@login_required
def figures_page(request):
    """The two registered figures for an organisation and years, each number linking to the
    statistics drill-down (the records behind it)."""
    user = request.user
    code = (request.GET.get("organization") or "").strip()
    organization = None
    if code:
        organization = visible_or_404(organization_visible_to(user), code__iexact=code)
    elif user.scope is not None:
        organization = user.scope
    else:
        organization = organization_visible_to(user).filter(versions__parent__isnull=True).first()
    year_to = _int(request.GET.get("year_to"), as_of(request).year)
    year_from = _int(request.GET.get("year_from"), year_to - 4)
    context: dict[str, Any] = {
        "year_from": year_from,
        "year_to": year_to,
        "organization": organization,
    }
    if organization is not None:
        try:
            values = {"year_from": year_from, "year_to": year_to}
            registry.Figure.check(values)
        except registry.InvalidParameter as exc:
            context["problem"] = exc.message()
        else:
            base = {"organization": organization.code, "year_from": year_from, "year_to": year_to}

            def link(figure: str, path: str) -> str:
                return (
                    reverse("statistics:drilldown")
                    + "?"
                    + urlencode({**base, "figure": f"{figure}.{path}"})
                )

            cases = registry.get("inspection-cases").report(organization, **values)
            discipline = registry.get("discipline").report(organization, **values)
            context.update(
                years=[
                    {
                        "year": year,
                        "rows": [
                            (
                                kind_label,
                                [
                                    (
                                        row[key],
                                        link("inspection-cases", f"by_year.{year}.{what}.{key}"),
                                    )
                                    for what, row in numbers.items()
                                ],
                            )
                            for key, kind_label in KIND_ROWS
                        ],
                    }
                    for year, numbers in cases["by_year"].items()
                ],
                discipline=[
                    (
                        group_label,
                        [
                            (LABELS.get(key, key), n, link("discipline", f"{group}.{key}"))
                            for key, n in discipline[group].items()
                        ],
                    )
                    for group, group_label in DISCIPLINE_GROUPS
                ],
                case_links=scope.can_read(Case, user),
            )
    return render(request, "inspections/figures.html", context)
