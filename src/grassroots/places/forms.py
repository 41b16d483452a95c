"""Forms of the place pages. Places are chosen by code (a text input checked against the places
the user may see), never from a select of every place: a national registry has too many."""

from __future__ import annotations

from django import forms

from grassroots.core.forms import (
    CodeChoiceField,
    CodeInput,
    CodeListField,
    DateField,
    note_field,
    parse_lines,
    user_sees_everything,
)
from grassroots.places.models import Place, PlaceKind
from grassroots.places.selectors import place_visible_to

_PLACE_NOT_FOUND = "Không tìm thấy địa bàn mã %(value)s trong phạm vi của bạn."
_TOP_LEVEL_HELP = "Bỏ trống nếu không thuộc địa bàn nào (cấp cao nhất)."


def place_field(label: str, *, required: bool = True) -> CodeChoiceField:
    return CodeChoiceField(label=label, not_found=_PLACE_NOT_FOUND, required=required)


class PlaceCreateForm(forms.Form):
    code = forms.CharField(label="Mã địa bàn", max_length=40, widget=CodeInput)
    name = forms.CharField(label="Tên", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=PlaceKind.choices)
    parent = place_field("Mã địa bàn cấp trên", required=False)
    valid_from = DateField(label="Có hiệu lực từ ngày")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = place_visible_to(user)
        # A user with a scope may only add places inside it.
        if user_sees_everything(user):
            self.fields["parent"].help_text = _TOP_LEVEL_HELP
        else:
            self.fields["parent"].required = True


class PlaceChangeForm(forms.Form):
    """Rename, change kind and/or move a place from a date."""

    day = DateField(label="Từ ngày")
    name = forms.CharField(label="Tên", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=PlaceKind.choices)
    parent = place_field("Mã địa bàn cấp trên", required=False)

    def __init__(self, *args, user, current, **kwargs):
        super().__init__(*args, **kwargs)
        # The current parent may lie outside the scope (a commune's district): keeping it is fine.
        visible = place_visible_to(user) | Place.objects.filter(pk=current.parent_id)
        self.fields["parent"].queryset = visible
        if user_sees_everything(user):
            self.fields["parent"].help_text = _TOP_LEVEL_HELP
        else:
            self.fields["parent"].required = current.parent_id is not None


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

    def clean(self):
        cleaned = super().clean()
        for part in cleaned.get("parts") or []:
            part["kind"] = cleaned.get("kind") or None
        return cleaned


class PlaceMergeForm(forms.Form):
    places = CodeListField(
        label="Mã các địa bàn bị sáp nhập",
        not_found=_PLACE_NOT_FOUND,
        help_text="Cách nhau bởi dấu phẩy hoặc xuống dòng.",
    )
    into = place_field("Mã địa bàn nhận sáp nhập")
    day = DateField(label="Sáp nhập từ ngày")
    note = note_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = place_visible_to(user)
        self.fields["into"].queryset = place_visible_to(user)
