"""Pages of party organisations: the tree on the "as of" date, an organisation's history, cells
and members, one form per service, and the restructure page (preview, then confirm)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from grassroots.core.forms import ScopedForm, run_service
from grassroots.core.generic import (
    Hierarchy,
    HierarchyChangePage,
    HierarchyCreatePage,
    HierarchyDeletePage,
    HierarchyDetailPage,
    HierarchyEndPage,
    TreeChildrenPage,
    TreePage,
    as_of,
)
from grassroots.core.permissions import editor_required
from grassroots.core.picker import PICKER_LIMIT, Choice, name_or_code, picker_view
from grassroots.core.registry import render_panels
from grassroots.core.temporal import valid_on
from grassroots.core.text import format_date
from grassroots.organizations import services
from grassroots.organizations.forms import (
    OrganizationChangeForm,
    OrganizationDissolveForm,
    OrganizationFoundForm,
    OrganizationMergeForm,
    OrganizationReparentForm,
    OrganizationSplitForm,
)
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.organizations.selectors import (
    organization_history,
    organization_tree,
    organization_tree_children,
    organization_visible_to,
)
from grassroots.organizations.services import RestructurePlan

ORGANIZATIONS = Hierarchy(
    namespace="organizations",
    title="Tổ chức đảng",
    noun="tổ chức",
    visible_to=organization_visible_to,
    tree=lambda user, day: organization_tree(user=user, day=day),
    # Whatever is under a visible organisation on a day is visible too.
    children=lambda user, ids, day: organization_tree_children(parent_ids=ids, day=day),
    actions=(
        ("Thành lập tổ chức", "organizations:create"),
        ("Sáp nhập, chia tách, chuyển trực thuộc", "organizations:restructure"),
    ),
)

tree = TreePage.as_view(hierarchy=ORGANIZATIONS)
children = TreeChildrenPage.as_view(hierarchy=ORGANIZATIONS)


class OrganizationDetail(HierarchyDetailPage):
    hierarchy = ORGANIZATIONS
    template_name = "organizations/detail.html"
    context_object_name = "organization"
    current_related = ("parent", "place")

    def get_context_data(self, obj, **context) -> dict:
        context = super().get_context_data(obj, **context)
        context.update(
            history=organization_history(organization=obj),
            single_version=obj.versions.count() == 1,
            # What the apps above know of the organisation (its members…), through the registry.
            **render_panels("organization", self.request, obj),
        )
        return context


class OrganizationFound(HierarchyCreatePage):
    hierarchy = ORGANIZATIONS
    form_class = OrganizationFoundForm
    title = "Thành lập tổ chức đảng"
    submit = "Thành lập"

    child_kind = services.natural_child_kind

    def call(self, data):
        return services.organization_found(acting_user=self.request.user, **data)

    def success_message(self, result, data) -> str:
        return f"Đã thành lập {data['name']}."


class OrganizationChange(HierarchyChangePage):
    hierarchy = ORGANIZATIONS
    form_class = OrganizationChangeForm
    properties = ("name", "kind", "parent", "place", "unit_type")

    def call(self, data):
        return services.organization_change(
            acting_user=self.request.user,
            organization=self.object,
            day=data["day"],
            name=data["name"],
            kind=data["kind"],
            parent=data["parent"],
            clear_parent=data["parent"] is None,
            place=data["place"],
            based_on=data.get("based_on"),
            unit_type=data.get("unit_type", ""),
        )


class OrganizationDissolve(HierarchyEndPage):
    hierarchy = ORGANIZATIONS
    form_class = OrganizationDissolveForm
    form_takes_user = False
    submit = "Kết thúc hoạt động"
    ended = "kết thúc hoạt động từ ngày"

    def get_title(self) -> str:
        return f"Kết thúc hoạt động {self.object}"

    def call(self, data):
        return services.organization_dissolve(
            acting_user=self.request.user, organization=self.object, day=data["day"]
        )


class OrganizationDelete(HierarchyDeletePage):
    hierarchy = ORGANIZATIONS

    def call(self, data):
        return services.organization_delete(acting_user=self.request.user, organization=self.object)


detail = OrganizationDetail.as_view()
create = OrganizationFound.as_view()
change = OrganizationChange.as_view()
delete = OrganizationDelete.as_view()
dissolve = OrganizationDissolve.as_view()


def search_organizations(user, day, words, text):
    """Picker: the visible organisations active on ``day`` whose name contains the words typed
    (or whose code begins with them), each with its kind and its parent's name as a hint."""
    parent_name = OrganizationVersion.objects.filter(
        valid_on(day), organization_id=OuterRef("parent_id")
    )
    versions = (
        OrganizationVersion.objects.valid_on(day)
        .filter(organization__in=organization_visible_to(user))
        .filter(name_or_code(words, text, name="name_folded", code="organization__code"))
        .annotate(parent_name=Subquery(parent_name.values("name")[:1]))
        .select_related("organization")
        .order_by("name_folded", "name")
    )
    return [
        Choice(
            v.organization.code,
            v.name,
            " · ".join(filter(None, [v.get_kind_display(), v.parent_name])),
        )
        for v in versions[:PICKER_LIMIT]
    ]


pick = picker_view(search_organizations)


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
    form: type[ScopedForm]
    plan: Callable[[dict], RestructurePlan]
    apply: Callable[[object, dict], Organization]


RESTRUCTURES = {
    "merge": Restructure("Sáp nhập", OrganizationMergeForm, _merge_plan, _merge_apply),
    "split": Restructure("Chia tách", OrganizationSplitForm, _split_plan, _split_apply),
    "reparent": Restructure(
        "Chuyển trực thuộc", OrganizationReparentForm, _reparent_plan, _reparent_apply
    ),
}


def _preview(chosen: Restructure, user, data: dict) -> RestructurePlan:
    """The plan to show, after running exactly what the confirmation runs (the same services,
    with the user's scope) in a transaction rolled back: a preview that passes confirms."""
    with transaction.atomic():
        plan = chosen.plan(data)
        chosen.apply(user, data)
        transaction.set_rollback(True)
    return plan


def _blocked_rows(blocked: list[tuple]) -> list[dict]:
    """What the restructure page lists for each holding it cannot move: a link to it (its app's
    ``<app>:detail`` page, by code) and to the organisation it stays in."""
    rows = []
    for holding, source in blocked:
        item = holding.item
        try:
            url = reverse(f"{item._meta.app_label}:detail", args=[holding.code]) if item else ""
        except NoReverseMatch:
            url = ""
        rows.append({"holding": holding, "url": url, "organization": source})
    return rows


@editor_required
def restructure(request):
    """A first submit (``preview``) shows the plan's steps; the confirm button posts the same data
    back with ``confirm`` and the change is made; ``edit`` returns to the editable form."""
    action = request.POST.get("action") or request.GET.get("action")
    if action not in RESTRUCTURES:
        action = "merge"
    chosen = RESTRUCTURES[action]
    initial = {"day": as_of(request), **request.GET.dict()}
    form = chosen.form(request.POST or None, user=request.user, initial=initial)
    plan = None
    blocked: list[dict] = []

    def attempt(call):
        def noting_blocked():
            try:
                return call()
            except services.RestructureBlocked as exc:
                blocked.extend(_blocked_rows(exc.blocked))
                raise

        return run_service(request, form, noting_blocked)

    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        data = form.cleaned_data
        if "confirm" in request.POST:
            target = attempt(lambda: chosen.apply(request.user, data))
            if target:
                messages.success(
                    request,
                    f"Đã thực hiện {chosen.label.lower()} từ ngày {format_date(data['day'])}.",
                )
                return redirect("organizations:detail", code=target.code)
        else:
            plan = attempt(lambda: _preview(chosen, request.user, data))
    context = {
        "blocked": blocked,
        "form": form,
        "action": action,
        "chosen": chosen,
        "restructures": RESTRUCTURES,
        "plan": plan,
    }
    return render(request, "organizations/restructure.html", context)
