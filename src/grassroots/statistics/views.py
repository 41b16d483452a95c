"""Statistics pages: the dashboard of one organisation on the header's date, the drill-down list
behind every number on it, and the definitions of the figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.html import format_html_join

from grassroots.core import dataversion, scope
from grassroots.core import figures as registry
from grassroots.core.access import record_access
from grassroots.core.errors import NotFound
from grassroots.core.generic import Column, display, export_list
from grassroots.core.pagination import paginate
from grassroots.core.temporal import valid_on
from grassroots.members.selectors import attach_spans
from grassroots.organizations.models import OrganizationKind, OrganizationVersion
from grassroots.organizations.selectors import organization_by_code, organization_visible_to
from grassroots.statistics import definitions
from grassroots.statistics.dashboard import dashboard as dashboard_html
from grassroots.statistics.selectors import ended_before

#: The organisations offered by the dashboard's picker (cells are reached by their code).
PICKER_KINDS = (
    OrganizationKind.COMMITTEE,
    OrganizationKind.GRASSROOTS_COMMITTEE,
    OrganizationKind.GRASSROOTS_CELL,
)

#: How each kind of drill-down list is read: related rows to fetch with it, and its order.
LIST_READS = {
    "members": ((), ("name_key", "pk")),
    "places": (("place",), ("name", "pk")),
    "organizations": (("organization",), ("name", "pk")),
    "events": (("member", "organization"), ("date", "pk")),
    "candidates": (("organization",), ("name_key", "pk")),
    "ratings": (("member", "organization"), ("subject", "organization__code", "pk")),
    "tasks": (("programme", "organization"), ("deadline", "organization__code", "pk")),
    "cases": (("member", "organization"), ("decided_on", "code")),
    "programme_items": (("member", "subject_organization"), ("period_start", "pk")),
    "discipline": (("member", "organization"), ("decided_on", "code")),
    "procedures": (("member",), ("date", "pk")),
}


def _status(member) -> str:
    if member.span is None:
        return ""
    label = member.span.get_status_display()
    return f"{label}, miễn sinh hoạt" if member.span.exempted else label


#: The drill-down's columns for each kind of record, as the page shows them: its .xlsx export
#: (``core.generic.export_list``) writes the same.
DRILLDOWN_COLUMNS = {
    "members": (
        Column("Họ và tên", lambda m: m.full_name),
        Column("Mã", lambda m: m.code),
        Column("Giới tính", lambda m: m.get_gender_display()),
        Column("Ngày sinh", lambda m: m.birth_date),
        Column("Tình trạng", _status),
        Column("Tổ chức đảng", lambda m: m.span.organization_name if m.span else ""),
        Column("Địa bàn", lambda m: m.span.place_name if m.span else ""),
    ),
    "places": (
        Column("Địa bàn", lambda v: v.name),
        Column("Mã", lambda v: v.place.code),
        Column("Loại", lambda v: v.get_kind_display()),
        Column("Có chi bộ", lambda v: "Có" if v.has_cell else "Chưa"),
        Column("Có đảng viên", lambda v: "Có" if v.has_members else "Chưa"),
        Column("Đảng viên chính thức", lambda v: v.official_members, numeric=True),
    ),
    "organizations": (
        Column("Tổ chức đảng", lambda v: v.name),
        Column("Mã", lambda v: v.organization.code),
        Column("Loại", lambda v: v.get_kind_display()),
        Column("Hiệu lực từ", lambda v: v.valid_from),
    ),
    "events": (
        Column("Ngày", lambda e: e.date),
        Column("Đảng viên", lambda e: f"{e.member.full_name} ({e.member.code})"),
        Column("Sự kiện", lambda e: e.get_kind_display()),
        Column("Tổ chức đảng", lambda e: e.organization.code if e.organization else ""),
        Column("Lý do", lambda e: e.get_reason_display()),
    ),
    "candidates": (
        Column("Họ và tên", lambda c: c.full_name),
        Column("Mã", lambda c: c.code),
        Column("Bước", lambda c: c.stage_label),
        Column("Chi bộ", lambda c: c.organization.code if c.organization else ""),
    ),
    "ratings": (
        Column("Kỳ", lambda r: r.period_label),
        Column("Đối tượng", lambda r: r.get_subject_display()),
        Column("Mã", lambda r: r.subject_code),
        Column("Mức xếp loại", lambda r: r.get_level_display()),
    ),
    "tasks": (
        Column("Văn bản", lambda t: t.programme.number),
        Column("Nhiệm vụ", lambda t: t.title),
        Column("Đơn vị thực hiện", lambda t: t.organization.code),
        Column("Thời hạn", lambda t: t.deadline),
        Column("Tình trạng", lambda t: t.get_status_display()),
        Column("Tiến độ (%)", lambda t: t.percent, numeric=True),
    ),
    "cases": (
        Column("Mã", lambda c: c.code),
        Column("Loại", lambda c: c.get_kind_display()),
        Column("Ngày quyết định", lambda c: c.decided_on),
        Column("Đối tượng", lambda c: c.member.full_name if c.member else c.organization.code),
        Column("Nội dung", lambda c: c.topic),
        Column("Bước", lambda c: c.step.label),
    ),
    "programme_items": (
        Column("Loại", lambda i: i.get_kind_display()),
        Column(
            "Đối tượng", lambda i: i.member.full_name if i.member else i.subject_organization.code
        ),
        Column("Nội dung", lambda i: i.topic),
        Column("Từ ngày", lambda i: i.period_start),
        Column("Đến ngày", lambda i: i.period_end),
    ),
    "discipline": (
        Column("Ngày quyết định", lambda d: d.decided_on),
        Column("Đối tượng", lambda d: d.member.full_name if d.member else d.organization.code),
        Column("Mã", lambda d: d.subject_code),
        Column("Hình thức", lambda d: d.get_level_display()),
        Column("Số quyết định", lambda d: d.decision_number),
    ),
    "procedures": (
        Column("Ngày", lambda p: p.date),
        Column("Đảng viên", lambda p: f"{p.member.full_name} ({p.member.code})"),
        Column("Thủ tục", lambda p: p.label),
        Column("Số thẻ, số quyết định", lambda p: p.number),
    ),
}

#: The kinds whose rows the page lists through their columns (the generic table).
GENERIC_KINDS = ("cases", "programme_items", "discipline", "procedures")


def _default_organization(user, day: date):
    """The user's scope, else the top organisation on ``day`` (no parent), else any."""
    if user.scope_id:
        return user.scope
    visible = organization_visible_to(user)
    top = OrganizationVersion.objects.filter(
        valid_on(day), parent__isnull=True, organization__in=visible
    ).order_by("organization__code")
    version = top.select_related("organization").first()
    return version.organization if version else visible.first()


def _picker_options(choices, current) -> str:
    """The picker's ``<option>`` elements (hundreds at a province: built once per version)."""
    selected = getattr(current, "code", None)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, " selected" if code == selected else "", name) for code, name in choices),
    )


def _picker(user, day: date, current) -> list[tuple[str, str]]:
    """(code, label) of the organisations the picker offers; the current one always among them."""
    versions = (
        OrganizationVersion.objects.filter(
            valid_on(day),
            kind__in=PICKER_KINDS,
            organization__in=organization_visible_to(user, on=day),
        )
        .select_related("organization")
        .order_by("kind", "name")
    )
    choices = [(v.organization.code, f"{v.name} ({v.organization.code})") for v in versions]
    if current is not None and current.code not in {code for code, _ in choices}:
        choices.insert(0, (current.code, f"{current} ({current.code})"))
    return choices


def _with_spans(day: date) -> Callable[[list[Any]], list[Any]]:
    """An export's ``prepare`` for members: their spans on ``day`` attached."""

    def prepare(rows: list[Any]) -> list[Any]:
        attach_spans(rows, day)
        return rows

    return prepare


@login_required
def dashboard(request):
    """The figures of the chosen organisation (default: the user's scope) on the header's date."""
    day = request.as_of
    code = request.GET.get("organization")
    if code:
        organization = organization_by_code(code, user=request.user, on=day)
    else:
        organization = _default_organization(request.user, day)
    context = {
        "organization": organization,
        "options": dataversion.cached(
            "dashboard-picker", request.user.pk, day, organization and organization.pk,
            compute=lambda: _picker_options(_picker(request.user, day, organization), organization),
        ),
    }  # fmt: skip
    if organization is not None:
        context["version"] = organization.version_on(day)
        if context["version"] is None:
            context["ended"] = ended_before(organization, day)
        context["figures"] = dataversion.cached(
            "dashboard",
            organization.pk,
            day,
            compute=lambda: dashboard_html(organization=organization, day=day),
        )
    return render(request, "statistics/dashboard.html", context)


@login_required
def drilldown(request):
    """The records behind one number of a figure: as many rows as the number. ``figure`` is the
    figure's name and the number's path in its object (``members.official``,
    ``admissions.by_year.2015``); ``value`` appends one more step (a breakdown's group)."""
    figure, path = registry.split(request.GET.get("figure", ""))
    value = request.GET.get("value")
    if value is not None:
        path = f"{path}.{value}"
    day = request.as_of
    try:
        values = figure.parse(request.GET, defaults={"as_of": day.isoformat()})
    except registry.InvalidParameter as exc:
        raise NotFound(exc.message(), code="invalid_parameter") from exc
    organization = organization_by_code(
        request.GET.get("organization", ""), user=request.user, on=figure.scope_day(values)
    )
    records = figure.drill(organization, path, **values)
    if not scope.can_read(records.queryset.model, request.user):
        # confidential records (``read_role``): the number is shown, the rows are not
        raise NotFound("Không tìm thấy.", code="not_found")
    related, order = LIST_READS[records.kind]
    # Member lists are plain rows: their count and pages are cached under the data version
    # (a province's list has a hundred thousand members to count and sort).
    key = (
        ("drilldown", request.user.pk, figure.name, path, organization.pk, *values.values())
        if records.kind == "members"
        else None
    )
    kind = records.kind
    rows = records.queryset.select_related(*related).order_by(*order)
    if request.GET.get("format") == "xlsx":
        prepare = _with_spans(day) if kind == "members" else None
        return export_list(
            request, rows, DRILLDOWN_COLUMNS[kind], title=figure.title_of(path), name="so-lieu",
            prepare=prepare,
            personal_data="Đảng viên" if kind == "members" else (
                "Hồ sơ mật" if getattr(records.queryset, "read_role", None) else None
            ),
        )  # fmt: skip
    page = paginate(request, rows, cache_key=key)
    if getattr(records.queryset, "read_role", None):  # confidential rows: every read is logged
        record_access(
            request, what=f"Hồ sơ mật: {figure.title_of(path)}", count=len(page.object_list),
            subject=organization.code,
        )  # fmt: skip
    if kind == "members":
        attach_spans(list(page), day)  # the page's own objects, which the template shows
        record_access(
            request, what=f"Đảng viên: {figure.title_of(path)}", count=len(page.object_list),
            subject=organization.code,
        )  # fmt: skip
    return render(
        request,
        "statistics/drilldown.html",
        {
            "organization": organization,
            "version": organization.version_on(day),
            "figure": figure,
            "title": figure.title_of(path),
            "what": records.kind,
            "generic_columns": DRILLDOWN_COLUMNS[kind] if kind in GENERIC_KINDS else None,
            "generic_rows": (
                [[display(c.value(row)) for c in DRILLDOWN_COLUMNS[kind]] for row in page]
                if kind in GENERIC_KINDS
                else None
            ),
            "page_obj": page,
            "day": values.get("day", day),
            "start": values.get("start"),
            "end": values.get("end"),
            "years": (values.get("year_from"), values.get("year_to")),
        },
    )


@login_required
def definitions_page(request):
    """How every figure is computed, in Vietnamese: the registry's figures, after the concepts
    they build on."""
    return render(
        request,
        "statistics/definitions.html",
        {"concepts": definitions.CONCEPTS, "figures": registry.all_figures()},
    )
