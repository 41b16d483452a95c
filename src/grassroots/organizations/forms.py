"""Forms of the organisation pages. Organisations and places are chosen by code or found by name
with the picker (checked against what the user may see), never from a select of the whole
registry; the members a split assigns are checked by the split plan against what the
organisation holds."""

from __future__ import annotations

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
from grassroots.organizations.models import OrganizationKind, UnitType
from grassroots.organizations.selectors import organization_visible_to
from grassroots.places.forms import place_field
from grassroots.places.models import Place
from grassroots.places.selectors import place_visible_to

_NOT_FOUND = "Không tìm thấy tổ chức mã %(value)s trong phạm vi của bạn."


def unit_type_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Loại hình đơn vị",
        choices=[("", "—"), *UnitType.choices],
        required=False,
        help_text="Với tổ chức cơ sở đảng (Biểu 5-BTCTW): xã, phường, cơ quan, doanh nghiệp…",
    )


def organization_field(label: str, *, required: bool = True, **kwargs) -> CodeChoiceField:
    """An organisation typed by code or found by name (the organisations picker)."""
    return CodeChoiceField(
        label=label,
        not_found=_NOT_FOUND,
        required=required,
        picker="organizations:pick",
        visible_to=organization_visible_to,
        **kwargs,
    )


class OrganizationNodeForm(HierarchyNodeForm):
    visible_to = staticmethod(organization_visible_to)
    top_level_help = "Bỏ trống nếu không trực thuộc tổ chức nào (cấp cao nhất)."

    def __init__(self, *args, user, current=None, **kwargs):
        super().__init__(*args, user=user, current=current, **kwargs)
        # Likewise the current place may lie outside the scope: keeping it is fine.
        places = place_visible_to(user)
        if current is not None:
            places = places | Place.objects.filter(pk=current.place_id)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]


class OrganizationFoundForm(OrganizationNodeForm):
    code = forms.CharField(label="Mã tổ chức", max_length=40, widget=CodeInput)
    name = forms.CharField(label="Tên", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=OrganizationKind.choices)
    parent = organization_field("Tổ chức cấp trên", required=False)
    place = place_field("Địa bàn")
    unit_type = unit_type_field()
    valid_from = DateField(label="Thành lập từ ngày")


class OrganizationChangeForm(VersionedFormMixin, OrganizationNodeForm):
    """Rename, change kind, re-parent and/or re-attach from a date."""

    day = DateField(label="Từ ngày")
    name = forms.CharField(label="Tên", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=OrganizationKind.choices)
    parent = organization_field("Tổ chức cấp trên", required=False)
    place = place_field("Địa bàn")
    unit_type = unit_type_field()


class OrganizationDissolveForm(forms.Form):
    day = DateField(
        label="Kết thúc hoạt động từ ngày",
        help_text="Ngày cuối cùng còn hoạt động là ngày hôm trước. Cần chuyển hết tổ chức "
        "trực thuộc và đảng viên trước (hoặc dùng sáp nhập).",
    )


class OrganizationMergeForm(ScopedForm):
    """Merge several organisations into one: their members and cells move, then they end."""

    sources = CodeListField(
        label="Mã các tổ chức bị sáp nhập",
        not_found=_NOT_FOUND,
        visible_to=organization_visible_to,
        picker="organizations:pick",
        help_text="Gõ tên hoặc mã; cách nhau bởi dấu phẩy hoặc xuống dòng.",
    )
    into = organization_field("Tổ chức nhận sáp nhập")
    day = DateField(label="Sáp nhập từ ngày")
    note = note_field()


class OrganizationSplitForm(ScopedForm):
    """Split one organisation into several new ones under the same parent."""

    organization = organization_field("Tổ chức được chia tách")
    day = DateField(label="Chia tách từ ngày")
    parts = forms.CharField(
        label="Các tổ chức mới",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một tổ chức: mã; tên; mã địa bàn (bỏ trống: giữ địa bàn cũ). "
        "Ví dụ: CB-V1A; Chi bộ bản Nậm Ngà 1; V1",
    )
    kind = forms.ChoiceField(
        label="Loại của các tổ chức mới",
        choices=[("", "Giữ loại của tổ chức cũ"), *OrganizationKind.choices],
        required=False,
    )
    assignments = forms.CharField(
        label="Đảng viên chuyển sang tổ chức mới",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi dòng: mã đảng viên; số thứ tự tổ chức mới (1, 2…). "
        "Đảng viên không có trong danh sách này chuyển sang tổ chức mới thứ nhất.",
    )
    note = note_field()

    def clean_parts(self) -> list[dict]:
        rows = parse_lines(
            self.cleaned_data["parts"], fields=2, optional=1, example="mã; tên; mã địa bàn"
        )
        if len(rows) < 2:
            raise forms.ValidationError("Chia tách cần ít nhất hai tổ chức mới.")
        places = place_visible_to(self.user).in_bulk(
            [row[2] for row in rows if row[2]], field_name="code"
        )
        parts = []
        for code, name, place_code in rows:
            if place_code and place_code not in places:
                raise forms.ValidationError(
                    f"Không tìm thấy địa bàn mã {place_code} trong phạm vi của bạn."
                )
            parts.append({"code": code, "name": name, "place": places.get(place_code)})
        return parts

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        parts = cleaned.get("parts")
        for part in parts or []:
            part["kind"] = cleaned.get("kind") or None
        if parts and "assignments" in cleaned:
            cleaned["assignments"] = self._assignments(cleaned["assignments"], len(parts))
        return cleaned

    def _assignments(self, text: str, count: int) -> dict[str, int]:
        """``member code; part number`` lines → {member code: part index}. Whether the
        organisation holds each code on the day is the split plan's check (the holdings of
        the app registry: members…)."""
        try:
            rows = parse_lines(text, fields=2, example="mã đảng viên; số thứ tự")
        except forms.ValidationError as exc:
            self.add_error("assignments", exc)
            return {}
        result = {}
        for code, number in rows:
            if not number.isdigit() or not 1 <= int(number) <= count:
                self.add_error(
                    "assignments", f"Số thứ tự tổ chức mới của {code} phải từ 1 đến {count}."
                )
            else:
                result[code] = int(number) - 1
        return result


class OrganizationReparentForm(ScopedForm):
    """Move several organisations under a new parent (e.g. commune committees under the province
    committee when districts ended on 1 July 2025)."""

    organizations = CodeListField(
        label="Mã các tổ chức chuyển",
        not_found=_NOT_FOUND,
        visible_to=organization_visible_to,
        picker="organizations:pick",
        help_text="Gõ tên hoặc mã; cách nhau bởi dấu phẩy hoặc xuống dòng.",
    )
    parent = organization_field("Tổ chức cấp trên mới")
    day = DateField(label="Trực thuộc từ ngày")
