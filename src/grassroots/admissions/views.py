"""Party-development pages: the candidate list, a candidate's page and its step forms, targets,
and the pipeline page (funnel, admissions against the target, overdue steps).

Every page starts from ``candidate_visible_to``/``organization_visible_to`` (outside: 404) and
shows the state on ``request.as_of``; every write goes through a service via ``run_service``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from grassroots.admissions import figures, selectors, services
from grassroots.admissions.forms import (
    STEP_STAGES,
    CandidateCreateForm,
    CandidateFilterForm,
    PipelineForm,
    StepForm,
    TargetForm,
)
from grassroots.admissions.models import FINAL, PATH, Candidate, Stage
from grassroots.core import locking, scope
from grassroots.core.forms import run_service
from grassroots.core.generic import Column, DetailPage, ListPage, as_of, display
from grassroots.core.permissions import editor_required, visible_or_404
from grassroots.core.temporal import valid_on
from grassroots.core.text import format_date
from grassroots.organizations.models import OrganizationVersion
from grassroots.organizations.selectors import organization_by_code, organization_visible_to


def _bound(request) -> dict:
    return {"data": request.POST} if request.method == "POST" else {}


def _candidate_or_404(request, code: str, action: str = scope.VIEW) -> Candidate:
    return visible_or_404(
        selectors.candidate_visible_to(request.user, action).select_related(
            "organization", "place"
        ),
        code=code,
    )


def default_organization(user, day: date):
    """The user's scope, else the top organisation on ``day``, else any visible one."""
    if user.scope_id:
        return user.scope
    visible = organization_visible_to(user)
    top = (
        OrganizationVersion.objects.filter(
            valid_on(day), parent__isnull=True, organization__in=visible
        )
        .select_related("organization")
        .order_by("organization__code")
        .first()
    )
    return top.organization if top else visible.first()


def next_stages(candidate: Candidate) -> list[tuple[str, str]]:
    """(stage, label) of the steps an editor may record next."""
    if candidate.stage in FINAL:
        return []
    following = PATH[PATH.index(candidate.stage) + 1]
    label = "Xét công nhận chính thức" if following == Stage.CONFIRMED else following.label
    actions = [(str(following), label)]
    if candidate.stage != Stage.ADMITTED:
        actions.append((str(Stage.DROPPED), "Dừng hồ sơ"))
    return actions


def _stage_on(candidate) -> str:
    if not candidate.stage_on:
        return "chưa xác định nguồn"
    return f"{candidate.stage_label} ({format_date(candidate.stage_date)})"


class CandidateList(ListPage):
    """Candidates in scope with their stage on the "as of" date."""

    visible_to = selectors.candidate_visible_to
    personal_data = "Quần chúng ưu tú"
    title = "Quần chúng ưu tú"
    template_name = "admissions/list.html"
    filter_form = CandidateFilterForm
    export_name = "quan-chung-uu-tu"
    rows_name = "candidates"
    columns = (
        Column(
            "Họ và tên",
            lambda c: c.full_name,
            lambda c: reverse("admissions:detail", args=[c.code]),
        ),
        Column("Mã", lambda c: c.code),
        Column("Ngày sinh", lambda c: c.birth_date),
        Column("Giới tính", lambda c: c.get_gender_display()),
        Column("Dân tộc", lambda c: c.ethnicity),
        Column("Nguồn từ", lambda c: c.get_source_display()),
        Column("Chi bộ", lambda c: str(c.organization)),
        Column("Bước tại ngày xem", _stage_on),
    )

    def get_rows(self, filters):
        return selectors.candidate_list(
            user=self.request.user, day=as_of(self.request), **filters
        ).select_related("organization")


candidate_list = CandidateList.as_view()


class CandidateDetail(DetailPage):
    """A candidate, its steps, the next step's deadline and the actions an editor may take."""

    visible_to = selectors.candidate_visible_to
    personal_data = "Quần chúng ưu tú"
    template_name = "admissions/detail.html"
    context_object_name = "candidate"

    def visible(self):
        return super().visible().select_related("organization", "place")

    def get_context_data(self, obj, **context):
        steps = selectors.candidate_steps(candidate=obj)
        due = None
        if steps and obj.stage not in FINAL:
            clock = next((s for s in steps if s.stage == obj.stage), None)
            due = services.deadline(clock) if clock else None
        trained = next((s for s in steps if s.stage == Stage.TRAINED), None)
        return {
            **context,
            "steps": steps,
            "due": due,
            "certificate_until": services.deadline(trained) if trained else None,
            "actions": next_stages(obj),
        }


candidate_detail = CandidateDetail.as_view()


@editor_required
def candidate_create(request):
    form = CandidateCreateForm(**_bound(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        call = partial(services.candidate_create, acting_user=request.user, **form.cleaned_data)
        candidate = run_service(request, form, call)
        if candidate:
            messages.success(request, f"Đã thêm quần chúng {candidate.full_name}.")
            return redirect("admissions:detail", code=candidate.code)
    return render(request, "admissions/form.html", {"form": form, "title": "Thêm nguồn kết nạp"})


@editor_required
def candidate_step(request, code: str, stage: str):
    """Record one step of the candidate's path (or drop it)."""
    if stage not in STEP_STAGES:
        raise Http404
    candidate = _candidate_or_404(request, code, scope.CHANGE)
    form = StepForm(
        **_bound(request),
        user=request.user,
        stage=stage,
        initial={"based_on": locking.token(candidate)},
    )
    if request.method == "POST" and form.is_valid():
        args = form.arguments
        service: Callable[..., Any]
        if stage == Stage.CONFIRMED:
            service = services.candidate_confirm
        else:
            service = services.STEP_SERVICES[stage]

        @transaction.atomic
        def call():
            services.candidate_not_stale(candidate, form.cleaned_data["based_on"])
            return service(acting_user=request.user, candidate=candidate, **args)

        def current(now: Candidate) -> dict:
            return {"Bước hiện tại": now.get_stage_display()}

        if locking.run_checked(request, form, call, current, display):
            messages.success(request, f"Đã ghi nhận: {Stage(stage).label}.")
            return redirect("admissions:detail", code=candidate.code)
    title = "Xét công nhận chính thức" if stage == Stage.CONFIRMED else Stage(stage).label
    return render(
        request,
        "admissions/form.html",
        {"form": form, "candidate": candidate, "title": f"{title}: {candidate.full_name}"},
    )


class TargetList(ListPage):
    """Admission targets of the scope's organisations."""

    visible_to = selectors.target_visible_to
    title = "Chỉ tiêu kết nạp đảng viên"
    template_name = "admissions/targets.html"
    export_name = "chi-tieu-ket-nap"
    rows_name = "targets"
    dated = False
    paginated = False
    columns = (
        Column("Tổ chức đảng", lambda t: str(t.organization)),
        Column("Mã tổ chức", lambda t: t.organization.code),
        Column("Giai đoạn", lambda t: f"{t.year_from}–{t.year_to}"),
        Column("Mỗi năm", lambda t: t.per_year, numeric=True),
        Column("Cả giai đoạn", lambda t: t.total, numeric=True),
        Column("Căn cứ", lambda t: t.source),
    )

    def get_rows(self, filters):
        return (
            self.visible()
            .select_related("organization")
            .order_by("organization__code", "year_from")
        )


target_list = TargetList.as_view()


@editor_required
def target_edit(request, pk: int | None = None):
    target = (
        visible_or_404(selectors.target_visible_to(request.user, scope.CHANGE), pk=pk)
        if pk
        else None
    )
    initial = _target_values(target) if target else {}
    initial["based_on"] = locking.token(target)
    form = TargetForm(**_bound(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = (data["organization"].pk, data["year_from"], data["year_to"])
        if target is not None and key != (target.organization_id, target.year_from, target.year_to):
            # Moved to other years: a new target, which must not replace one saved meanwhile.
            data["based_on"] = locking.NEW
        call = partial(services.target_set, acting_user=request.user, **data)

        def current(now) -> dict:
            return {**_target_values(now), "organization": now.organization}

        if locking.run_checked(request, form, call, current, display):
            messages.success(request, "Đã lưu chỉ tiêu kết nạp.")
            return redirect("admissions:targets")
    return render(
        request,
        "admissions/form.html",
        {"form": form, "title": "Sửa chỉ tiêu kết nạp" if target else "Thêm chỉ tiêu kết nạp"},
    )


def _target_values(target) -> dict:
    """The target edit form's values of ``target``."""
    return {
        "organization": target.organization.code,
        **{
            f: getattr(target, f)
            for f in ("year_from", "year_to", "per_year", "total", "source", "note")
        },
    }


def _list_url(organization, stage: str, day: date) -> str:
    query = {"organization": organization.code, "stage": stage, "as_of": day.isoformat()}
    return f"{reverse('admissions:list')}?{urlencode(query)}"


def _admitted_url(organization, year: int, group: str = "") -> str:
    query = {"organization": organization.code, "year": year}
    if group:
        query["group"] = group
    return f"{reverse('admissions:admitted')}?{urlencode(query)}"


@login_required
def pipeline(request):
    """The funnel on the "as of" date, admissions against the target per year with the
    priority groups, and the overdue steps — every number links to its records."""
    day = request.as_of
    form = PipelineForm(request.GET, user=request.user)
    organization = year_from = year_to = None
    if form.is_valid():
        organization = form.cleaned_data["organization"]
        year_from, year_to = form.cleaned_data["year_from"], form.cleaned_data["year_to"]
    organization = organization or default_organization(request.user, day)
    context = {"form": form, "organization": organization}
    if organization is not None:
        target = (
            organization.admission_targets.filter(year_from__lte=day.year, year_to__gte=day.year)
            .order_by("-year_from")
            .first()
        )
        year_to = year_to or day.year
        year_from = year_from or (target.year_from if target else year_to - 4)
        year_from = min(year_from, year_to)
        rows = figures.admissions_vs_target(
            organization=organization, year_from=year_from, year_to=year_to
        )
        for row in rows:
            row["url"] = _admitted_url(organization, row["year"])
            row["group_cells"] = [
                {
                    "n": row["groups"][g],
                    "share": row["groups"][g] / row["admitted"] if row["admitted"] else None,
                    "url": _admitted_url(organization, row["year"], g),
                }
                for g in figures.PRIORITY_GROUPS
            ]
        funnel = figures.funnel(organization=organization, day=day)
        context.update(
            {
                "version": organization.version_on(day),
                "funnel": [
                    (Stage(s).label, n, _list_url(organization, s, day)) for s, n in funnel.items()
                ],
                "years": rows,
                "groups": figures.PRIORITY_GROUPS,
                "overdue": figures.overdue(organization=organization, day=day),
                "year_from": year_from,
                "year_to": year_to,
            }
        )
    return render(request, "admissions/pipeline.html", context)


class AdmittedList(ListPage):
    """The admissions behind one number of the pipeline page."""

    visible_to = organization_visible_to
    personal_data = "Đảng viên được kết nạp"
    template_name = "admissions/admitted.html"
    export_name = "ket-nap"
    columns = (
        Column("Ngày kết nạp", lambda e: e.date),
        Column(
            "Họ và tên",
            lambda e: e.member.full_name,
            lambda e: reverse("members:detail", args=[e.member.code]),
        ),
        Column("Mã", lambda e: e.member.code),
        Column("Giới tính", lambda e: e.member.get_gender_display()),
        Column("Dân tộc", lambda e: e.member.ethnicity),
        Column("Ngày sinh", lambda e: e.member.birth_date),
    )

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.organization = self.year = None
        self.group = ""

    def get_rows(self, filters):
        request = self.request
        self.organization = organization_by_code(
            request.GET.get("organization", ""), user=request.user
        )
        try:
            self.year = int(request.GET.get("year", ""))
        except ValueError as exc:
            raise Http404 from exc
        self.group = request.GET.get("group", "")
        if self.group and self.group not in figures.PRIORITY_GROUPS:
            raise Http404
        if self.group:
            events = figures.group_events(
                organization=self.organization, year=self.year, group=self.group
            )
        else:
            events = figures.admitted_events(
                organization=self.organization,
                start=date(self.year, 1, 1),
                end=date(self.year, 12, 31),
            )
        return events.select_related("member", "organization").order_by("date", "pk")

    def get_title(self) -> str:
        group = figures.PRIORITY_GROUPS.get(self.group, "")
        return f"Kết nạp năm {self.year}" + (f": {group}" if group else "")

    def get_context_data(self, **context) -> dict:
        group = figures.PRIORITY_GROUPS.get(self.group, "")
        return {**context, "organization": self.organization, "year": self.year, "group": group}


admitted = AdmittedList.as_view()
