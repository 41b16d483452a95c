"""Pages of party organisations: the tree on the "as of" date, an organisation's history, cells
and members, one form per service, and the restructure page (preview, then confirm)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from grassroots.core.forms import report_change, run_service
from grassroots.core.pagination import paginate
from grassroots.core.permissions import editor_required, visible_or_404
from grassroots.core.text import format_date
from grassroots.members.models import Status
from grassroots.members.selectors import attach_spans, member_list
from grassroots.organizations import services
from grassroots.organizations.forms import (
    OrganizationChangeForm,
    OrganizationDissolveForm,
    OrganizationFoundForm,
    OrganizationMergeForm,
    OrganizationReparentForm,
    OrganizationSplitForm,
)
from grassroots.organizations.models import Organization
from grassroots.organizations.selectors import (
    organization_children_on,
    organization_history,
    organization_tree,
    organization_tree_children,
    organization_visible_to,
)
from grassroots.organizations.services import RestructurePlan


def _visible_organization(request, code: str) -> Organization:
    return visible_or_404(organization_visible_to(request.user), code=code)


def _form_page(request, form, *, title: str, submit: str, organization=None):
    return render(
        request,
        "organizations/form.html",
        {"form": form, "title": title, "submit": submit, "organization": organization},
    )


@login_required
def tree(request):
    nodes = organization_tree(user=request.user, day=request.as_of)
    return render(request, "organizations/tree.html", {"nodes": nodes})


@login_required
def children(request, code: str):
    """htmx fragment: the organisations directly under one node of the tree."""
    organization = _visible_organization(request, code)
    nodes = organization_tree_children(parent_ids=[organization.pk], day=request.as_of)
    return render(request, "organizations/_tree_nodes.html", {"nodes": nodes})


@login_required
def detail(request, code: str):
    organization = _visible_organization(request, code)
    day = request.as_of
    page_obj = paginate(request, member_list(user=request.user, day=day, organization=organization))
    page_obj.object_list = list(page_obj.object_list)
    attach_spans(page_obj.object_list, day)
    counts = {
        status: member_list(
            user=request.user, day=day, organization=organization, status=status
        ).count()
        for status in (Status.OFFICIAL, Status.PROBATIONARY)
    }
    context = {
        "organization": organization,
        "current": organization.versions.valid_on(day).select_related("parent", "place").first(),
        "history": organization_history(organization=organization),
        "children": organization_children_on(organization=organization, day=day),
        "page_obj": page_obj,
        "official": counts[Status.OFFICIAL],
        "probationary": counts[Status.PROBATIONARY],
    }
    return render(request, "organizations/detail.html", context)


@editor_required
def create(request):
    form = OrganizationFoundForm(
        request.POST or None,
        user=request.user,
        initial={"valid_from": request.as_of, "parent": request.GET.get("parent")},
    )
    if request.method == "POST" and form.is_valid():
        organization = run_service(
            request,
            form,
            lambda: services.organization_found(acting_user=request.user, **form.cleaned_data),
        )
        if organization:
            messages.success(request, f"Đã thành lập {form.cleaned_data['name']}.")
            return redirect("organizations:detail", code=organization.code)
    return _form_page(request, form, title="Thành lập tổ chức đảng", submit="Thành lập")


@editor_required
def change(request, code: str):
    organization = _visible_organization(request, code)
    current = organization.version_on(request.as_of) or organization.latest_version
    form = OrganizationChangeForm(
        request.POST or None,
        user=request.user,
        current=current,
        initial={
            "day": request.as_of,
            "name": current.name,
            "kind": current.kind,
            "parent": current.parent,
            "place": current.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = run_service(
            request,
            form,
            lambda: services.organization_change(
                acting_user=request.user,
                organization=organization,
                day=data["day"],
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                clear_parent=data["parent"] is None,
                place=data["place"],
            ),
        )
        if version:
            report_change(request, version, data)
            return redirect("organizations:detail", code=organization.code)
    return _form_page(
        request, form, title=f"Thay đổi {current.name}", submit="Lưu", organization=organization
    )


@editor_required
def dissolve(request, code: str):
    organization = _visible_organization(request, code)
    form = OrganizationDissolveForm(request.POST or None, initial={"day": request.as_of})
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        if run_service(
            request,
            form,
            lambda: services.organization_dissolve(
                acting_user=request.user, organization=organization, day=day
            ),
        ):
            messages.success(
                request, f"{organization} kết thúc hoạt động từ ngày {format_date(day)}."
            )
            return redirect("organizations:detail", code=organization.code)
    return _form_page(
        request,
        form,
        title=f"Kết thúc hoạt động {organization}",
        submit="Kết thúc hoạt động",
        organization=organization,
    )


# --- Restructure: merge, split, re-parent; a preview of the plan, then the confirmed change ----


@transaction.atomic
def _merge_plan(data):
    return services.organization_merge_plan(
        sources=list(data["sources"]), into=data["into"], day=data["day"]
    )


def _merge_apply(user, data) -> Organization:
    services.organization_merge(
        acting_user=user,
        sources=list(data["sources"]),
        into=data["into"],
        day=data["day"],
        note=data["note"],
    )
    return data["into"]


def _split_plan(data):
    return services.organization_split_plan(
        organization=data["organization"],
        day=data["day"],
        parts=data["parts"],
        assignments=data["assignments"],
    )


def _split_apply(user, data) -> Organization:
    created = services.organization_split(
        acting_user=user,
        organization=data["organization"],
        day=data["day"],
        parts=data["parts"],
        assignments=data["assignments"],
        note=data["note"],
    )
    return created[0]


def _reparent_plan(data):
    return services.organization_reparent_plan(
        organizations=list(data["organizations"]), parent=data["parent"], day=data["day"]
    )


def _reparent_apply(user, data) -> Organization:
    services.organization_reparent_many(
        acting_user=user,
        organizations=list(data["organizations"]),
        parent=data["parent"],
        day=data["day"],
    )
    return data["parent"]


@dataclass(frozen=True)
class Restructure:
    """One kind of restructure: its form, its plan (raises ``RuleError``) and how it is applied
    (returns the organisation to show afterwards)."""

    label: str
    form: type[forms.Form]
    plan: Callable[[dict], RestructurePlan]
    apply: Callable[[object, dict], Organization]


RESTRUCTURES = {
    "merge": Restructure("Sáp nhập", OrganizationMergeForm, _merge_plan, _merge_apply),
    "split": Restructure("Chia tách", OrganizationSplitForm, _split_plan, _split_apply),
    "reparent": Restructure(
        "Chuyển trực thuộc", OrganizationReparentForm, _reparent_plan, _reparent_apply
    ),
}


@editor_required
def restructure(request):
    """A first submit (``preview``) shows the plan's steps; the confirm button posts the same data
    back with ``confirm`` and the change is made; ``edit`` returns to the editable form."""
    action = request.POST.get("action") or request.GET.get("action")
    if action not in RESTRUCTURES:
        action = "merge"
    chosen = RESTRUCTURES[action]
    initial = {"day": request.as_of, **request.GET.dict()}
    form = chosen.form(request.POST or None, user=request.user, initial=initial)
    plan = None
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        data = form.cleaned_data
        if "confirm" in request.POST:
            target = run_service(request, form, lambda: chosen.apply(request.user, data))
            if target:
                messages.success(
                    request,
                    f"Đã thực hiện {chosen.label.lower()} từ ngày {format_date(data['day'])}.",
                )
                return redirect("organizations:detail", code=target.code)
        else:
            plan = run_service(request, form, lambda: chosen.plan(data))
    context = {
        "form": form,
        "action": action,
        "chosen": chosen,
        "restructures": RESTRUCTURES,
        "plan": plan,
    }
    return render(request, "organizations/restructure.html", context)
