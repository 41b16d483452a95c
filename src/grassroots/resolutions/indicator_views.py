"""Pages of congress resolutions: the list, the resolution with every indicator as a row and
its review through a year (with a chart per indicator and links from figure-sourced values to
their records), and the forms (resolution, indicator, a yearly value with its history)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from grassroots.core import scope
from grassroots.core.charts import Reference, Series, bar_chart
from grassroots.core.generic import Column, DetailPage, ListPage, ServiceFormPage
from grassroots.core.permissions import visible_or_404
from grassroots.ratings.models import PeriodKind, Subject
from grassroots.ratings.selectors import GOOD_OR_BETTER_FILTER
from grassroots.resolutions import indicator_services as services
from grassroots.resolutions.indicator_forms import IndicatorForm, ResolutionForm, ValueForm
from grassroots.resolutions.indicator_models import (
    Indicator,
    IndicatorMethod,
    IndicatorSource,
    IndicatorStatus,
    IndicatorValue,
    Resolution,
)
from grassroots.resolutions.indicator_selectors import (
    ReviewRow,
    display_number,
    indicator_visible_to,
    resolution_visible_to,
    review,
)

STATUS_BADGE: dict[str, str] = {
    IndicatorStatus.EXCEEDED: "official",
    IndicatorStatus.MET: "official",
    IndicatorStatus.NOT_MET: "bad",
    IndicatorStatus.NO_DATA: "",
}
VALUE_COLOUR, EXPECTED_COLOUR = "#2f6fb0", "#c0392b"


def percent_text(row: ReviewRow) -> str:
    """The seed's wording: "vượt 191,1%", "đạt", "không đạt (−12,0%)", "chưa đủ số liệu"."""
    a = row.assessment
    if a.status == IndicatorStatus.NO_DATA:
        return "chưa đủ số liệu"
    if a.status == IndicatorStatus.EXCEEDED:
        return "vượt" if a.percent is None else f"vượt {display_number(a.percent, 1)}%"
    if a.status == IndicatorStatus.MET:
        return "đạt"
    return f"không đạt ({display_number(a.percent, 1)}%)"


def default_through(resolution: Resolution) -> int:
    """The last year of the term, up to this year, with a manual value; else the first year."""
    last = timezone.localdate().year
    years = IndicatorValue.objects.filter(
        indicator__resolution=resolution, year__lte=min(last, resolution.term_to)
    ).values_list("year", flat=True)
    return max(years, default=resolution.term_from)


class ResolutionList(ListPage):
    visible_to = resolution_visible_to
    title = "Nghị quyết đại hội và chỉ tiêu"
    template_name = "resolutions/resolution_list.html"
    export_name = "nghi-quyet"
    rows_name = "resolutions"
    dated = False
    columns = (
        Column(
            "Mã",
            lambda r: r.code,
            lambda r: reverse("resolutions:congress_detail", args=[r.code]),
        ),
        Column("Tên nghị quyết", lambda r: r.title),
        Column("Số, ký hiệu", lambda r: r.number),
        Column("Tổ chức đảng", lambda r: f"{r.organization} ({r.organization.code})"),
        Column("Năm có chỉ tiêu", lambda r: f"{r.term_from}–{r.term_to}"),
    )

    def get_rows(self, filters):
        return self.visible().order_by("-term_from", "code")


resolution_list = ResolutionList.as_view()


@dataclass
class Cell:
    year: int
    text: str
    url: str


class ResolutionDetail(DetailPage):
    """The resolution, its indicators as rows and the review through a year (``?through=``)."""

    visible_to = resolution_visible_to
    template_name = "resolutions/resolution_detail.html"
    context_object_name = "resolution"

    def get_context_data(self, obj: Resolution, **context: Any) -> dict[str, Any]:
        raw = self.request.GET.get("through", "")
        if raw and (not raw.isdigit() or not obj.term_from <= int(raw) <= obj.term_to):
            context["through_error"] = (
                f"Năm đánh giá phải trong {obj.term_from}–{obj.term_to}; đang hiện năm mặc định."
            )
            raw = ""
        through = int(raw) if raw else default_through(obj)
        shown = range(obj.term_from, min(obj.term_to, max(timezone.localdate().year, through)) + 1)
        result = review(obj, through, value_years=shown)
        can_edit = scope.allowed(self.request.user, obj.organization, scope.CHANGE) and getattr(
            self.request.user, "can_edit", False
        )
        rows = [self._row(obj, row, shown, through, can_edit) for row in result.rows]
        return {
            **context,
            "review": result,
            "rows": rows,
            "years": list(shown),
            "through": through,
            "term_years": list(obj.years),
            "can_edit": can_edit,
            "statuses": [(label, result.count(value)) for value, label in IndicatorStatus.choices],
        }

    def _row(self, resolution, row: ReviewRow, shown: range, through: int, can_edit: bool):
        indicator = row.indicator
        cells = []
        for year in shown:
            value = row.values.get(year)
            url = ""
            if indicator.source == IndicatorSource.ADMISSIONS:
                url = _admitted_url(resolution, year)
            elif indicator.source == IndicatorSource.GOOD_OR_BETTER:
                url = _ratings_url(resolution, year)
            elif can_edit:
                url = reverse(
                    "resolutions:indicator_value", args=[resolution.code, indicator.code, year]
                )
            cells.append(Cell(year, display_number(value), url))
        return {
            "indicator": indicator,
            "assessment": row.assessment,
            "cells": cells,
            "actual": display_number(row.assessment.actual),
            "expected": display_number(row.assessment.expected),
            "target": display_number(indicator.target, 4),
            "percent_text": percent_text(row),
            "badge": STATUS_BADGE[row.assessment.status],
            "chart": _chart(resolution, indicator, row, shown),
        }


def _chart(resolution, indicator: Indicator, row: ReviewRow, shown: range) -> SafeString:
    """The yearly values against the yearly level expected (a ``total`` target spread evenly
    over the term)."""
    length = resolution.term_to - resolution.term_from + 1
    yearly: Fraction = Fraction(indicator.target)
    if indicator.method == IndicatorMethod.TOTAL:
        yearly /= length
    values = [float(row.values.get(y) or 0) for y in shown]
    return bar_chart(
        chart_id=f"chart-{indicator.pk}",
        title=f"{indicator.name}: thực hiện từng năm so với mức phải đạt",
        labels=[str(y) for y in shown],
        series=[
            Series(
                f"Thực hiện ({indicator.unit})" if indicator.unit else "Thực hiện",
                values,
                VALUE_COLOUR,
            )
        ],
        reference=Reference("Mức phải đạt mỗi năm", float(yearly), EXPECTED_COLOUR),
    )


def _admitted_url(resolution: Resolution, year: int) -> str:
    query = {"organization": resolution.organization.code, "year": year}
    return f"{reverse('admissions:admitted')}?{urlencode(query)}"


def _ratings_url(resolution: Resolution, year: int) -> str:
    query = {
        "organization": resolution.organization.code,
        "period_kind": PeriodKind.YEAR,
        "period_label": year,
        "subject": Subject.ORGANIZATION,
        "level": GOOD_OR_BETTER_FILTER,
    }
    return f"{reverse('ratings:list')}?{urlencode(query)}"


resolution_detail = ResolutionDetail.as_view()


# --- Forms -----------------------------------------------------------------------------------


class ResolutionCreate(ServiceFormPage):
    visible_to = resolution_visible_to
    form_class = ResolutionForm
    title = "Thêm nghị quyết đại hội"

    def call(self, data):
        return services.resolution_create(
            acting_user=self.request.user,
            organization=data["organization"],
            code=data["code"],
            number=data["number"],
            title=data["title"],
            adopted=data["adopted"],
            term_from=data["term_from"],
            term_to=data["term_to"],
        )

    def success_message(self, result, data):
        return f"Đã thêm nghị quyết {result.code}."

    def success_url(self, result, data):
        return reverse("resolutions:congress_detail", args=[result.code])


resolution_create = ResolutionCreate.as_view()


class ResolutionEdit(ServiceFormPage):
    visible_to = resolution_visible_to
    form_class = ResolutionForm
    title = "Sửa nghị quyết đại hội"

    def form_kwargs(self):
        return {"user": self.request.user, "editing": True}

    def initial(self):
        r = self.object
        return {
            "number": r.number,
            "title": r.title,
            "adopted": r.adopted,
            "term_from": r.term_from,
            "term_to": r.term_to,
        }

    def call(self, data):
        return services.resolution_update(
            acting_user=self.request.user,
            resolution=self.object,
            based_on=data["based_on"],
            **{k: data[k] for k in ("number", "title", "adopted", "term_from", "term_to")},
        )

    def success_message(self, result, data):
        return f"Đã lưu nghị quyết {result.code}."

    def success_url(self, result, data):
        return reverse("resolutions:congress_detail", args=[result.code])

    def back_link(self):
        return reverse("resolutions:congress_detail", args=[self.object.code]), str(self.object)


resolution_edit = ResolutionEdit.as_view()


class IndicatorCreate(ServiceFormPage):
    visible_to = resolution_visible_to
    form_class = IndicatorForm
    title = "Thêm chỉ tiêu"

    def call(self, data):
        return services.indicator_create(
            acting_user=self.request.user,
            resolution=self.object,
            **{
                k: data[k]
                for k in ("code", "name", "unit", "direction", "method", "target", "source")
            },
        )

    def success_message(self, result, data):
        return f"Đã thêm chỉ tiêu {result.code}."

    def success_url(self, result, data):
        return reverse("resolutions:congress_detail", args=[self.object.code])

    def back_link(self):
        return reverse("resolutions:congress_detail", args=[self.object.code]), str(self.object)


indicator_create = IndicatorCreate.as_view()


class IndicatorPage(ServiceFormPage):
    """A form about one indicator of a resolution (``code`` and ``indicator`` in the URL)."""

    visible_to = resolution_visible_to

    def get_object(self):
        resolution = super().get_object()
        self.indicator = visible_or_404(
            indicator_visible_to(self.request.user, self.action),
            resolution=resolution,
            code=self.kwargs["indicator"],
        )
        return resolution

    def back_link(self):
        return reverse("resolutions:congress_detail", args=[self.object.code]), str(self.object)

    def success_url(self, result, data):
        return reverse("resolutions:congress_detail", args=[self.object.code])


class IndicatorEdit(IndicatorPage):
    form_class = IndicatorForm
    title = "Sửa chỉ tiêu"

    def form_kwargs(self):
        return {"user": self.request.user, "editing": True}

    def locked(self):
        return self.indicator

    def initial(self):
        i = self.indicator
        return {
            "name": i.name,
            "unit": i.unit,
            "direction": i.direction,
            "method": i.method,
            "target": display_number(i.target, 4),
            "source": i.source,
        }

    def call(self, data):
        return services.indicator_update(
            acting_user=self.request.user,
            indicator=self.indicator,
            based_on=data["based_on"],
            **{k: data[k] for k in ("name", "unit", "direction", "method", "target", "source")},
        )

    def success_message(self, result, data):
        return f"Đã lưu chỉ tiêu {result.code}."


indicator_edit = IndicatorEdit.as_view()


HISTORY_FIELDS = {"value": "Giá trị", "note": "Ghi chú", "document": "Văn bản nguồn"}


def value_history(value: IndicatorValue | None) -> list[dict]:
    """Every audited change of a yearly value: when, by whom, old and new."""
    if value is None:
        return []

    def shown(field: str, raw) -> str:
        if raw in (None, "", "None"):
            return "—"
        if field == "value":
            return display_number(Decimal(raw), 4)
        return str(raw)

    entries = LogEntry.objects.get_for_object(value).select_related("actor").order_by("timestamp")
    return [
        {
            "timestamp": entry.timestamp,
            "actor": entry.actor,
            "changes": [
                (label, shown(f, entry.changes_dict[f][0]), shown(f, entry.changes_dict[f][1]))
                for f, label in HISTORY_FIELDS.items()
                if f in entry.changes_dict
            ],
        }
        for entry in entries
    ]


class ValueEdit(IndicatorPage):
    """A manual indicator's value for one year, with its source document and its history."""

    form_class = ValueForm
    template_name = "resolutions/indicator_value.html"
    submit = "Lưu số liệu"

    def get_object(self):
        resolution = super().get_object()
        if (
            not self.indicator.manual
            or not resolution.term_from <= self.kwargs["year"] <= resolution.term_to
        ):
            raise Http404
        self.value = self.indicator.values.filter(year=self.kwargs["year"]).first()
        return resolution

    def get_title(self):
        return f"Số liệu năm {self.kwargs['year']}: {self.indicator.name}"

    def form_kwargs(self):
        return {"user": self.request.user, "organization": self.object.organization}

    def locked(self):
        return self.value

    def initial(self):
        v = self.value
        if v is None:
            return {}
        return {"value": display_number(v.value, 4), "note": v.note, "document": v.document}

    def call(self, data):
        return services.value_set(
            acting_user=self.request.user,
            indicator=self.indicator,
            year=self.kwargs["year"],
            value=data["value"],
            note=data["note"],
            document=data["document"],
            based_on=data["based_on"],
        )

    def success_message(self, result, data):
        value, changed = result
        return f"Đã lưu số liệu năm {value.year}." if changed else "Số liệu không thay đổi."

    def get_context_data(self, **context):
        return {
            **context,
            "indicator": self.indicator,
            "value": self.value,
            "history": value_history(self.value),
        }


indicator_value = ValueEdit.as_view()
