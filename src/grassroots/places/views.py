"""Pages of places: the tree on the "as of" date, a place's history, and one form per service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from grassroots.core.forms import report_change, run_service
from grassroots.core.permissions import editor_required, visible_or_404
from grassroots.core.text import format_date
from grassroots.organizations.selectors import organizations_attached_on
from grassroots.places import services
from grassroots.places.forms import (
    PlaceChangeForm,
    PlaceCreateForm,
    PlaceEndForm,
    PlaceMergeForm,
    PlaceSplitForm,
)
from grassroots.places.models import Place
from grassroots.places.selectors import (
    place_history,
    place_lineage,
    place_tree,
    place_tree_children,
    place_visible_to,
)


def _visible_place(request, code: str) -> Place:
    return visible_or_404(place_visible_to(request.user), code=code)


def _form_page(request, form, *, title: str, submit: str, place: Place | None = None):
    return render(
        request,
        "places/form.html",
        {"form": form, "title": title, "submit": submit, "place": place},
    )


@login_required
def tree(request):
    return render(
        request, "places/tree.html", {"nodes": place_tree(user=request.user, day=request.as_of)}
    )


@login_required
def children(request, code: str):
    """htmx fragment: the places directly inside one node of the tree."""
    place = _visible_place(request, code)
    nodes = place_tree_children(user=request.user, parent_ids=[place.pk], day=request.as_of)
    return render(request, "places/_tree_nodes.html", {"nodes": nodes})


@login_required
def detail(request, code: str):
    place = _visible_place(request, code)
    day = request.as_of
    incoming, outgoing = place_lineage(place=place)
    context = {
        "place": place,
        "current": place.version_on(day),
        "versions": place_history(place=place),
        "incoming": incoming,
        "outgoing": outgoing,
        "children": place_tree_children(user=request.user, parent_ids=[place.pk], day=day),
        "organizations": organizations_attached_on(user=request.user, place=place, day=day),
    }
    return render(request, "places/detail.html", context)


@editor_required
def create(request):
    form = PlaceCreateForm(
        request.POST or None,
        user=request.user,
        initial={"valid_from": request.as_of, "parent": request.GET.get("parent")},
    )
    if request.method == "POST" and form.is_valid():
        place = run_service(
            request,
            form,
            lambda: services.place_create(acting_user=request.user, **form.cleaned_data),
        )
        if place:
            messages.success(request, f"Đã thêm địa bàn {form.cleaned_data['name']}.")
            return redirect("places:detail", code=place.code)
    return _form_page(request, form, title="Thêm địa bàn", submit="Thêm")


@editor_required
def change(request, code: str):
    place = _visible_place(request, code)
    current = place.version_on(request.as_of) or place.latest_version
    form = PlaceChangeForm(
        request.POST or None,
        user=request.user,
        current=current,
        initial={
            "day": request.as_of,
            "name": current.name,
            "kind": current.kind,
            "parent": current.parent,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = run_service(
            request,
            form,
            lambda: services.place_change(
                acting_user=request.user,
                place=place,
                day=data["day"],
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                clear_parent=data["parent"] is None,
            ),
        )
        if version:
            report_change(request, version, data)
            return redirect("places:detail", code=place.code)
    return _form_page(request, form, title=f"Thay đổi {current.name}", submit="Lưu", place=place)


@editor_required
def end(request, code: str):
    place = _visible_place(request, code)
    form = PlaceEndForm(request.POST or None, initial={"day": request.as_of})
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        if run_service(
            request,
            form,
            lambda: services.place_end(acting_user=request.user, place=place, day=day),
        ):
            messages.success(request, f"Địa bàn {place} không còn từ ngày {format_date(day)}.")
            return redirect("places:detail", code=place.code)
    return _form_page(
        request, form, title=f"Kết thúc địa bàn {place}", submit="Kết thúc", place=place
    )


@editor_required
def split(request, code: str):
    place = _visible_place(request, code)
    form = PlaceSplitForm(request.POST or None, initial={"day": request.as_of})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            request,
            form,
            lambda: services.place_split(
                acting_user=request.user,
                place=place,
                day=data["day"],
                parts=data["parts"],
                end_original=data["end_original"],
                note=data["note"],
            ),
        )
        if created:
            names = ", ".join(part["name"] for part in data["parts"])
            messages.success(request, f"Đã chia tách {place} thành: {names}.")
            return redirect("places:detail", code=place.code)
    return _form_page(request, form, title=f"Chia tách {place}", submit="Chia tách", place=place)


@editor_required
def merge(request):
    form = PlaceMergeForm(
        request.POST or None,
        user=request.user,
        initial={"day": request.as_of, "into": request.GET.get("into")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        into = run_service(
            request,
            form,
            lambda: services.place_merge(
                acting_user=request.user,
                places=list(data["places"]),
                into=data["into"],
                day=data["day"],
                note=data["note"],
            ),
        )
        if into:
            messages.success(request, f"Đã sáp nhập vào {into} từ ngày {format_date(data['day'])}.")
            return redirect("places:detail", code=into.code)
    return _form_page(request, form, title="Sáp nhập địa bàn", submit="Sáp nhập")
