"""Pages of the reports app: the official forms laid out as on paper (with .xlsx and PDF),
"Gửi báo cáo", the reports sent and their comparison with today."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from grassroots.core import figures as registry
from grassroots.core import scope, word
from grassroots.core.access import record_access
from grassroots.core.errors import NotFound
from grassroots.core.generic import Column, DetailPage, ListPage, ServiceFormPage
from grassroots.core.xlsx import CONTENT_TYPE
from grassroots.organizations.selectors import organization_by_code
from grassroots.reports import exports, layout
from grassroots.reports.models import Submission
from grassroots.reports.narrative import narrative
from grassroots.reports.services import compare, submit


def _visible(user: Any, action: str = scope.VIEW) -> Any:
    return Submission.objects.visible_to(user, action).select_related("organization")


def _default_organization(request: Any) -> str:
    user = request.user
    if user.scope_id is not None:
        return str(user.scope.code)
    return ""


def _sheet(request: Any, name: str) -> tuple[layout.Sheet, layout.Period]:
    if name not in layout.FORMS:
        raise NotFound("Không có biểu này.", code="unknown_form")
    raw_period = request.GET.get("period") or str(request.as_of.year)
    period = layout.parse_period(raw_period)
    figure = registry.get(name)
    values = figure.parse(layout.period_params(name, period))
    code = request.GET.get("organization") or _default_organization(request)
    organization = organization_by_code(code, user=request.user, on=figure.scope_day(values))
    return layout.build(name, organization, values, period.text.capitalize()), period


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def forms_index(request):
    """The official forms, with the organisation and period to open them for."""
    return render(request, "reports/index.html", _index_context(request))


def _index_context(request: Any) -> dict[str, Any]:
    return {
        "forms": [(name, *layout.labels.TITLES[name]) for name in layout.FORMS],
        "organization": request.GET.get("organization") or _default_organization(request),
        "period": str(request.as_of.year),
    }


@login_required
def form_page(request, name: str):
    """One form for an organisation and a period (``?organization=…&period=2024|2024-H1``), as
    on paper; ``format=xlsx``, ``format=docx`` or ``format=pdf`` downloads it."""
    try:
        sheet, period = _sheet(request, name)
    except NotFound as exc:
        if exc.code != "period":
            raise
        context = _index_context(request)
        context["error"] = exc.message
        return render(request, "reports/index.html", context, status=400)
    filename = f"bieu-{sheet.code}-{sheet.organization.code}-{period.label}"
    text = narrative(name, sheet.result, period_text=period.text)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _download(exports.workbook(sheet), f"{filename}.xlsx", CONTENT_TYPE)
    if fmt == "pdf":
        return _download(exports.pdf(sheet, text), f"{filename}.pdf", "application/pdf")
    if fmt == "docx":
        return _download(exports.docx(sheet, text), f"{filename}.docx", word.CONTENT_TYPE)
    sent = _visible(request.user).filter(
        organization=sheet.organization, figure=name, period=period.label
    )
    can_send = scope.allowed(request.user, sheet.organization, scope.CHANGE)
    return render(
        request,
        "reports/form.html",
        {
            "sheet": sheet,
            "period": period.label,
            "narrative": text,
            "sent": list(sent),
            "can_send": can_send,
        },
    )


class SendForm(forms.Form):
    figure = forms.ChoiceField(label="Biểu", choices=[(n, n) for n in layout.FORMS])
    organization = forms.CharField(label="Mã tổ chức đảng", max_length=40)
    period = forms.CharField(label="Kỳ báo cáo (2024 hoặc 2024-H1)", max_length=9)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean_period(self) -> str:
        try:
            return layout.parse_period(self.cleaned_data["period"]).label
        except NotFound as exc:
            raise forms.ValidationError(str(exc)) from exc


class SendPage(ServiceFormPage):
    """ "Gửi báo cáo": freeze a form of an organisation for a period (``reports.services.submit``)."""

    form_class = SendForm
    title = "Gửi báo cáo lên cấp trên"
    submit = "Gửi báo cáo"

    def initial(self) -> dict[str, Any]:
        request: Any = self.request
        return {
            "figure": request.GET.get("figure", "form3"),
            "organization": request.GET.get("organization") or _default_organization(request),
            "period": request.GET.get("period", str(request.as_of.year)),
        }

    def call(self, data: dict[str, Any]) -> Submission:
        period = layout.parse_period(data["period"])
        params = {
            "organization": data["organization"],
            **layout.period_params(data["figure"], period),
        }
        return submit(data["figure"], params, self.request.user, period=period.label)

    def success_message(self, result: Submission, data: dict[str, Any]) -> str:
        return f"Đã gửi báo cáo số {result.pk} (SHA-256 {result.sha256[:12]}…)."

    def success_url(self, result: Submission, data: dict[str, Any]) -> str:
        return reverse("reports:submission", args=[result.pk])


class SubmissionList(ListPage):
    visible_to = _visible
    title = "Báo cáo đã gửi"
    export_name = "bao-cao-da-gui"
    dated = False

    def get_rows(self, filters: dict[str, Any]) -> Any:
        return self.visible().select_related("submitted_by")

    def get_columns(self) -> list[Column]:
        return [
            Column("Số", lambda s: s.pk, link=lambda s: reverse("reports:submission", args=[s.pk])),
            Column("Biểu, chỉ tiêu", lambda s: s.figure),
            Column("Tổ chức đảng", lambda s: s.organization_code),
            Column("Kỳ", lambda s: s.period),
            Column("Ngày số liệu", lambda s: s.report_day),
            Column("Gửi lúc", lambda s: s.submitted_at),
            Column("Người gửi", lambda s: s.submitted_by_name),
        ]


class SubmissionPage(DetailPage):
    """A report as sent, and "So sánh với hiện tại": each number that differs today and the
    records entered after the sending."""

    visible_to = _visible
    lookup = "pk"
    template_name = "reports/submission.html"

    def get_context_data(self, obj: Submission, **context: Any) -> dict[str, Any]:
        figure = registry.get(obj.figure)
        comparison = compare(obj, user=self.request.user)
        if comparison["corrections"]:
            record_access(
                self.request,
                what="Đảng viên: ghi nhận sau khi gửi báo cáo",
                count=len(comparison["corrections"]),
                subject=obj.organization_code,
            )
        numbers = [(path, figure.title_of(path), n) for path, n in registry.walk(obj.report)]
        return {
            **context,
            "figure": figure,
            "numbers": numbers,
            "comparison": comparison,
        }


@login_required
def calendar_page(request):
    """For a committee (``?organization=``, default the user's scope), a form (``figure``) and
    a period: each unit below — sent (when, by whom), late, missing — and the sum of what was
    sent beside the live sum."""
    from grassroots.reports import calendar

    figure = request.GET.get("figure") or "form3"
    if figure not in layout.FORMS:
        raise NotFound("Không có biểu này.", code="unknown_form")
    try:
        period = (
            layout.parse_period(request.GET["period"])
            if request.GET.get("period")
            else calendar.last_period(request.as_of)
        )
    except NotFound as exc:
        context = _index_context(request)
        context["error"] = exc.message
        return render(request, "reports/index.html", context, status=400)
    code = request.GET.get("organization") or _default_organization(request)
    committee = organization_by_code(code, user=request.user, on=period.end)
    rows = calendar.committee_calendar(committee, figure, period)
    version = committee.version_on(period.end)
    return render(
        request,
        "reports/calendar.html",
        {
            "committee": committee,
            "committee_name": version.name if version else committee.code,
            "figure": registry.get(figure),
            "figures": [(name, registry.get(name).label) for name in layout.FORMS],
            "period": period,
            "rows": rows,
            "sums": calendar.sums(rows, figure),
            "counts": {
                label: sum(1 for r in rows if r.status == key)
                for key, label in calendar.STATUS_LABELS.items()
            },
        },
    )
