"""Pages of places: the tree on the "as of" date, a place's history, one form per service, and
the places picker. Built on the generic hierarchy pages (``core.generic``), shared with
organisations."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from grassroots.core.generic import (
    Hierarchy,
    HierarchyChangePage,
    HierarchyCreatePage,
    HierarchyDeletePage,
    HierarchyDetailPage,
    HierarchyEndPage,
    HierarchyFormPage,
    TreeChildrenPage,
    TreePage,
)
from grassroots.core.picker import PICKER_LIMIT, Choice, name_or_code, picker_view
from grassroots.core.registry import render_panels
from grassroots.core.temporal import valid_on
from grassroots.core.text import format_date
from grassroots.places import services
from grassroots.places.forms import (
    PlaceChangeForm,
    PlaceCreateForm,
    PlaceEndForm,
    PlaceMergeForm,
    PlaceSplitForm,
)
from grassroots.places.models import PlaceVersion
from grassroots.places.selectors import (
    place_history,
    place_lineage,
    place_tree,
    place_tree_children,
    place_visible_to,
)

PLACES = Hierarchy(
    namespace="places",
    title="Địa bàn",
    noun="địa bàn",
    visible_to=place_visible_to,
    tree=lambda user, day: place_tree(user=user, day=day),
    children=lambda user, ids, day: place_tree_children(user=user, parent_ids=ids, day=day),
    actions=(("Thêm địa bàn", "places:create"), ("Sáp nhập địa bàn", "places:merge")),
)

tree = TreePage.as_view(hierarchy=PLACES)
children = TreeChildrenPage.as_view(hierarchy=PLACES)


class PlaceDetail(HierarchyDetailPage):
    hierarchy = PLACES
    template_name = "places/detail.html"
    context_object_name = "place"

    def get_context_data(self, obj, **context) -> dict:
        context = super().get_context_data(obj, **context)
        incoming, outgoing = place_lineage(place=obj)
        context.update(
            versions=place_history(place=obj),
            incoming=incoming,
            outgoing=outgoing,
            # What the apps above know of the place (its organisations…), through the registry.
            **render_panels("place", self.request, obj),
        )
        return context


class PlaceCreate(HierarchyCreatePage):
    hierarchy = PLACES
    form_class = PlaceCreateForm
    title = "Thêm địa bàn"
    submit = "Thêm"

    child_kind = services.natural_child_kind

    def call(self, data):
        return services.place_create(acting_user=self.request.user, **data)

    def success_message(self, result, data) -> str:
        return f"Đã thêm địa bàn {data['name']}."


class PlaceChange(HierarchyChangePage):
    hierarchy = PLACES
    form_class = PlaceChangeForm

    def call(self, data):
        return services.place_change(
            acting_user=self.request.user,
            place=self.object,
            day=data["day"],
            name=data["name"],
            kind=data["kind"],
            parent=data["parent"],
            clear_parent=data["parent"] is None,
            based_on=data.get("based_on"),
        )


class PlaceEnd(HierarchyEndPage):
    hierarchy = PLACES
    ended = "không còn từ ngày"
    form_class = PlaceEndForm
    form_takes_user = False
    submit = "Kết thúc"

    def get_title(self) -> str:
        return f"Kết thúc địa bàn {self.object}"

    def call(self, data):
        return services.place_end(acting_user=self.request.user, place=self.object, day=data["day"])


class PlaceSplit(HierarchyFormPage):
    hierarchy = PLACES
    form_class = PlaceSplitForm
    form_takes_user = False
    submit = "Chia tách"

    def get_title(self) -> str:
        return f"Chia tách {self.object}"

    def call(self, data):
        return services.place_split(
            acting_user=self.request.user,
            place=self.object,
            day=data["day"],
            parts=data["parts"],
            end_original=data["end_original"],
            note=data["note"],
        )

    def success_message(self, result, data) -> str:
        names = ", ".join(part["name"] for part in data["parts"])
        return f"Đã chia tách {self.object} thành: {names}."


class PlaceMerge(HierarchyFormPage):
    hierarchy = PLACES
    form_class = PlaceMergeForm
    title = "Sáp nhập địa bàn"
    submit = "Sáp nhập"

    def initial(self) -> dict:
        return {**super().initial(), "into": self.request.GET.get("into")}

    def call(self, data):
        return services.place_merge(
            acting_user=self.request.user,
            places=list(data["places"]),
            into=data["into"],
            day=data["day"],
            note=data["note"],
        )

    def success_message(self, result, data) -> str:
        return f"Đã sáp nhập vào {result} từ ngày {format_date(data['day'])}."


class PlaceDelete(HierarchyDeletePage):
    hierarchy = PLACES

    def call(self, data):
        return services.place_delete(acting_user=self.request.user, place=self.object)


detail = PlaceDetail.as_view()
create = PlaceCreate.as_view()
change = PlaceChange.as_view()
delete = PlaceDelete.as_view()
end = PlaceEnd.as_view()
split = PlaceSplit.as_view()
merge = PlaceMerge.as_view()


def search_places(user, day, words, text):
    """Picker: the visible places valid on ``day`` whose name contains the words typed (or
    whose code begins with them), each with its kind and its parent's name as a hint."""
    parent_name = PlaceVersion.objects.filter(valid_on(day), place_id=OuterRef("parent_id"))
    versions = (
        PlaceVersion.objects.valid_on(day)
        .filter(place__in=place_visible_to(user))
        .filter(name_or_code(words, text, name="name_folded", code="place__code"))
        .annotate(parent_name=Subquery(parent_name.values("name")[:1]))
        .select_related("place")
        .order_by("name_folded", "name")
    )
    return [
        Choice(
            v.place.code,
            v.name,
            " · ".join(filter(None, [v.get_kind_display(), v.parent_name])),
        )
        for v in versions[:PICKER_LIMIT]
    ]


pick = picker_view(search_places)
