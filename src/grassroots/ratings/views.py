"""Rating pages: the list of the user's scope, a rating's page with its history, rating one
member or organisation, the spreadsheet upload and the figures.

Every page starts from ``rating_visible_to`` / ``organization_visible_to`` (outside the scope: 404);
every write goes through ``ratings.services`` via ``run_service``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from grassroots import policy
from grassroots.core import locking, scope
from grassroots.core.charts import Series, bar_chart
from grassroots.core.errors import RuleError
from grassroots.core.generic import Column, DetailPage, ListPage, ServiceFormPage, display
from grassroots.core.permissions import editor_required, visible_or_404
from grassroots.organizations.selectors import organization_visible_to
from grassroots.ratings import figures, selectors, services
from grassroots.ratings.forms import (
    RatingFiguresForm,
    RatingFilterForm,
    RatingForm,
    RatingGridForm,
    RatingUploadForm,
)
from grassroots.ratings.models import Level, PeriodKind, Rating, Subject

LEVEL_COLOURS = {
    Level.EXCELLENT: "#1b6e3a",
    Level.GOOD: "#4f9a5f",
    Level.COMPLETED: "#c9a227",
    Level.NOT_COMPLETED: "#b3261e",
}


def _subject(rating) -> str:
    return rating.member.full_name if rating.member else str(rating.organization)


def _subject_url(rating) -> str | None:
    return reverse("members:detail", args=[rating.member.code]) if rating.member else None


def _rating_organization(rating) -> str:
    if rating.member:
        return str(rating.organization)
    return str(rating.parent) if rating.parent else ""


class RatingList(ListPage):
    """Ratings of the user's scope, filtered by period, subject, level, organisation, name."""

    visible_to = selectors.rating_visible_to
    personal_data = "Xếp loại chất lượng"
    title = "Đánh giá, xếp loại chất lượng"
    template_name = "ratings/list.html"
    filter_form = RatingFilterForm
    export_name = "xep-loai"
    rows_name = "ratings"
    columns = (
        Column("Kỳ", lambda r: f"{r.get_period_kind_display()} {r.period_label}"),
        Column("Đối tượng", _subject, _subject_url),
        Column("Mã", lambda r: r.subject_code),
        Column("Tổ chức đảng", _rating_organization),
        Column("Mức xếp loại", lambda r: r.get_level_display()),
        Column("Điểm", lambda r: r.score, numeric=True),
    )

    def get_rows(self, filters):
        return selectors.rating_list(user=self.request.user, **filters)


rating_list = RatingList.as_view()


class RatingDetail(DetailPage):
    """One rating and its history (every change, from the audit log)."""

    visible_to = selectors.rating_visible_to
    personal_data = "Xếp loại chất lượng"
    lookup = "pk"
    template_name = "ratings/detail.html"
    context_object_name = "rating"

    def get_context_data(self, obj, **context):
        return {**context, "history": _history(obj)}


rating_detail = RatingDetail.as_view()


HISTORY_FIELDS = {"level": "Mức xếp loại", "score": "Điểm", "note": "Ghi chú"}


def _history(rating: Rating) -> list[dict]:
    """Each audited change of the rating: when, by whom, and the old and new level, score, note
    in words."""

    def shown(field: str, value) -> str:
        if value in (None, "", "None"):
            return "—"
        if field == "score":
            return format(Decimal(value).normalize(), "f").replace(".", ",")
        return Level(value).label if field == "level" and value in Level.values else str(value)

    entries = LogEntry.objects.get_for_object(rating).select_related("actor").order_by("timestamp")
    return [
        {
            "timestamp": entry.timestamp,
            "actor": entry.actor,
            "changes": [
                (
                    label,
                    shown(field, entry.changes_dict[field][0]),
                    shown(field, entry.changes_dict[field][1]),
                )
                for field, label in HISTORY_FIELDS.items()
                if field in entry.changes_dict
            ],
        }
        for entry in entries
    ]


def _version_of(user, asked: dict) -> str | None:
    """The version of the rating a form opened with a period and a subject edits
    (``locking.NEW`` when there is none yet; None when the form names no subject)."""
    code, subject = asked.get("code", "").strip(), asked.get("subject", "")
    if not (code and asked.get("period_kind") and asked.get("period_label")):
        return None
    field = {"member": "member__code", "organization": "organization__code"}.get(subject)
    if field is None:
        return None
    rating = (
        selectors.rating_visible_to(user)
        .filter(
            period_kind=asked["period_kind"],
            period_label=asked["period_label"].strip().upper(),
            subject=subject,
            **{field: code},
        )
        .first()
    )
    return locking.token(rating)


@editor_required
def rating_create(request):
    """Rate (or re-rate) one member or organisation for a period."""
    if request.method == "POST":
        form = RatingForm(request.POST, user=request.user)
    else:
        initial = request.GET.dict()
        initial["based_on"] = _version_of(request.user, initial)
        form = RatingForm(user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = locking.run_checked(
            request,
            form,
            lambda: services.rating_record(
                acting_user=request.user,
                period_kind=data["period_kind"],
                period_label=data["period_label"],
                member=data["member"],
                organization=data["organization"],
                level=data["level"],
                score=data["score"],
                note=data["note"],
                based_on=data["based_on"],
            ),
            lambda now: {"level": now.level, "score": now.score, "note": now.note},
            display,
        )
        if result:
            rating = result[0]
            messages.success(request, f"Đã ghi nhận xếp loại: {rating}.")
            return redirect("ratings:detail", pk=rating.pk)
    return render(request, "ratings/form.html", {"form": form, "title": "Đánh giá, xếp loại"})


@editor_required
def rating_upload(request):
    """Ratings from a spreadsheet, all or nothing, with a row-by-row report of the problems."""
    if request.method == "POST":
        form = RatingUploadForm(request.POST, request.FILES)
    else:
        form = RatingUploadForm()
    report = None
    if request.method == "POST" and form.is_valid():
        written, problems, warnings = services.ratings_import_rows(
            acting_user=request.user, rows=form.rows, file_name=form.file_name
        )
        report = {"written": written, "problems": problems, "warnings": warnings}
        if not problems:
            messages.success(
                request, f"Đã ghi {written} xếp loại (các dòng không thay đổi được bỏ qua)."
            )
    return render(request, "ratings/upload.html", {"form": form, "report": report})


def _list_url(**params) -> str:
    return f"{reverse('ratings:list')}?{urlencode({k: v for k, v in params.items() if v})}"


@login_required
def rating_figures(request):
    """Distribution per level, share good-or-better per organisation and year, and the trend;
    every number links to the ratings it counts."""
    form = RatingFiguresForm(request.GET, user=request.user)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        organization = data["organization"] or request.user.scope
        if organization is None:
            organization = (
                organization_visible_to(request.user).filter(versions__parent__isnull=True).first()
            )
        if organization is not None:
            visible_or_404(organization_visible_to(request.user), pk=organization.pk)
            years = range(data["year_from"], data["year_to"] + 1)
            subject = data["subject"]
            rows = figures.rating_share_by_organization(
                organization=organization, years=years, subject=subject
            )
            trend = rows[0].trend
            for row in rows:
                row.figures_link = "?" + urlencode(
                    {
                        "organization": row.code,
                        "year_from": years[0],
                        "year_to": years[-1],
                        "subject": subject,
                    }
                )
                for dist in row.trend:

                    def link(level, dist=dist, row=row):
                        return _list_url(
                            period_kind=PeriodKind.YEAR,
                            period_label=dist.period_label,
                            subject=subject,
                            organization=row.code,
                            level=level,
                        )

                    dist.cells = [(count, link(code)) for code, _, count in dist.levels()]
                    dist.good_link = link(selectors.GOOD_OR_BETTER_FILTER)
                    dist.total_link = link("")
            chart = bar_chart(
                chart_id="ratings-trend",
                title=f"Xếp loại {Subject(subject).label.lower()} theo năm",
                labels=[str(y) for y in years],
                series=[
                    Series(level.label, [d.counts[level] for d in trend], LEVEL_COLOURS[level])
                    for level in Level
                ],
            )
            context.update(
                organization=organization,
                organization_name=rows[0].name,
                subject=subject,
                subject_label=Subject(subject).label,
                years=list(years),
                rows=rows,
                trend=trend,
                chart=chart,
                change=figures.share_change(trend),
                uncovered=figures.uncovered(trend),
                min_coverage=policy.get("RATING_TREND_MIN_COVERAGE_PERCENT"),
                levels=list(Level),
            )
    return render(request, "ratings/figures.html", context)


class RatingGrid(ServiceFormPage):
    """Rate a whole cell's members for a year on one page: one row per member of the cell at
    the year's end, a level per row, saved all or nothing (``services.ratings_record_grid``).
    The cell and the year come from the query string (``?organization=CB-V1&year=2024``)."""

    form_class = RatingGridForm
    template_name = "ratings/grid.html"
    title = "Xếp loại cả chi bộ"
    submit = "Lưu xếp loại"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cell = None
        self.members: list = []
        self.problem = ""
        raw_year = (request.GET.get("year") or "").strip() or str(request.as_of.year)
        self.year = raw_year
        code = (request.GET.get("organization") or "").strip()
        if not code:
            self.problem = "Nhập mã chi bộ để xếp loại."
            return
        self.cell = (
            organization_visible_to(request.user, scope.CHANGE).filter(code__iexact=code).first()
        )
        if self.cell is None:
            self.problem = f"Không tìm thấy chi bộ mã {code} trong phạm vi của bạn."
            return
        try:
            period = services.parse_period(PeriodKind.YEAR, raw_year)
        except RuleError as exc:
            self.problem = " ".join(exc.messages)
            self.cell = None
            return
        self.members = services.cell_members_to_rate(organization=self.cell, period=period)
        if not self.members:
            self.problem = f"{self.cell} không có đảng viên vào ngày cuối năm {raw_year}."

    def form_kwargs(self):
        return {"user": self.request.user, "members": self.members}

    def call(self, data):
        if self.cell is None:
            raise RuleError(self.problem or "Chọn chi bộ.", code="no_cell")
        return services.ratings_record_grid(
            acting_user=self.request.user,
            period_kind=PeriodKind.YEAR,
            period_label=self.year,
            organization=self.cell,
            levels=self.grid_levels(),
        )

    def get_form(self):
        self.form = super().get_form()
        return self.form

    def grid_levels(self) -> list:
        assert isinstance(self.form, RatingGridForm)
        return self.form.levels()

    def success_message(self, result, data):
        return f"Đã ghi nhận xếp loại của {result[0]} đảng viên năm {self.year}."

    def success_url(self, result, data):
        return _list_url(
            period_kind=PeriodKind.YEAR,
            period_label=self.year,
            subject=Subject.MEMBER,
            organization=self.cell.code if self.cell else "",
            level="",
        )

    def get_context_data(self, **context):
        context.update(cell=self.cell, year=self.year, problem=self.problem)
        return context


rating_grid = RatingGrid.as_view()
