"""Forms of the place pages. Places are chosen by code or found by name with the picker (checked
against the places the user may see), never from a select of every place: a national registry
has too many."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.core.forms import (
    CodeChoiceField,
    CodeInput,
    CodeListField,
    DateField,
    HierarchyNodeForm,
    ScopedForm,
    note_field,
    parse_lines,
)
from grassroots.core.locking import VersionedFormMixin
from grassroots.places.models import PlaceKind
from grassroots.places.selectors import place_visible_to

_PLACE_NOT_FOUND = "Không tìm thấy địa bàn mã %(value)s trong phạm vi của bạn."


def place_field(label: str, *, required: bool = True, **kwargs) -> CodeChoiceField:
    """A place typed by code or found by name (the places picker)."""
    return CodeChoiceField(
        label=label,
        not_found=_PLACE_NOT_FOUND,
        required=required,
        picker="places:pick",
        visible_to=place_visible_to,
        **kwargs,
    )


class PlaceNodeForm(HierarchyNodeForm):
    visible_to = staticmethod(place_visible_to)
    top_level_help = "Bỏ trống nếu không thuộc địa bàn nào (cấp cao nhất)."


class PlaceCreateForm(PlaceNodeForm):
    code = forms.CharField(label="Mã địa bàn", max_length=40, widget=CodeInput)
    name = forms.CharField(label="Tên", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=PlaceKind.choices)
    parent = place_field("Địa bàn cấp trên", required=False)
    valid_from = DateField(label="Có hiệu lực từ ngày")


class PlaceChangeForm(VersionedFormMixin, PlaceNodeForm):
    """Rename, change kind and/or move a place from a date."""

    day = DateField(label="Từ ngày")
    name = forms.CharField(label="Tên", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=PlaceKind.choices)
    parent = place_field("Địa bàn cấp trên", required=False)


class PlaceEndForm(forms.Form):
    day = DateField(
        label="Không còn từ ngày", help_text="Ngày cuối cùng còn hiệu lực là ngày hôm trước."
    )


class PlaceSplitForm(forms.Form):
    day = DateField(label="Chia tách từ ngày")
    parts = forms.CharField(
        label="Các địa bàn mới",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một địa bàn: mã; tên. Ví dụ: V1A; Bản Nậm Ngà 1",
    )
    kind = forms.ChoiceField(
        label="Loại của các địa bàn mới",
        choices=[("", "Giữ loại của địa bàn cũ"), *PlaceKind.choices],
        required=False,
    )
    end_original = forms.BooleanField(
        label="Địa bàn cũ không còn từ ngày chia tách", required=False, initial=True
    )
    note = note_field()

    def clean_parts(self) -> list[dict]:
        rows = parse_lines(self.cleaned_data["parts"], fields=2, example="mã; tên")
        return [{"code": code, "name": name} for code, name in rows]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for part in cleaned.get("parts") or []:
            part["kind"] = cleaned.get("kind") or None
        return cleaned


class PlaceMergeForm(ScopedForm):
    places = CodeListField(
        label="Mã các địa bàn bị sáp nhập",
        not_found=_PLACE_NOT_FOUND,
        visible_to=place_visible_to,
        picker="places:pick",
        help_text="Gõ tên hoặc mã; cách nhau bởi dấu phẩy hoặc xuống dòng.",
    )
    into = place_field("Địa bàn nhận sáp nhập")
    day = DateField(label="Sáp nhập từ ngày")
    note = note_field()
