"""Forms of cell life: the list filters, the one-screen meeting form (a row of radio buttons per
member) and the monthly fee collection of a cell (an amount per member)."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.cells.models import MeetingKind, Presence
from grassroots.cells.services import CellMember, parse_month
from grassroots.core.errors import RuleError
from grassroots.core.forms import ScopedForm
from grassroots.core.locking import VersionedFormMixin
from grassroots.organizations.forms import organization_field
from grassroots.resolutions.models import Document


class MeetingFilterForm(ScopedForm):
    """The list's filters (GET)."""

    organization = organization_field("Tổ chức đảng", required=False)
    year = forms.IntegerField(label="Năm", min_value=1930, max_value=2100, required=False)
    kind = forms.ChoiceField(
        label="Loại", choices=[("", "Tất cả"), *MeetingKind.choices], required=False
    )


class FeeFilterForm(ScopedForm):
    """The fee list's filters (GET): organisation and month."""

    organization = organization_field("Tổ chức đảng", required=False)
    month = forms.CharField(label="Tháng (YYYY-MM)", required=False, max_length=10)

    def clean_month(self):
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        try:
            return parse_month(text)
        except RuleError as exc:
            raise forms.ValidationError(exc.messages) from None


class AttendanceFiguresForm(ScopedForm):
    """The attendance page's choices: organisation (the user's scope by default) and year."""

    organization = organization_field("Tổ chức đảng", required=False)
    year = forms.IntegerField(label="Năm", min_value=1930, max_value=2100, required=False)


class PresenceSelect(forms.RadioSelect):
    """Three radio buttons side by side (styled by the app's template for a phone)."""

    option_template_name = "django/forms/widgets/radio_option.html"


def documents_by_number(user, text: str) -> list[Document]:
    """Documents named by their numbers (``07-NQ/TU; 05-CT/TW``) among those the user may read;
    ValidationError naming the numbers not found or ambiguous."""
    numbers = [n.strip() for n in text.replace(",", ";").split(";") if n.strip()]
    found, missing = [], []
    visible = Document.objects.visible_to(user)
    for number in numbers:
        matches = list(visible.filter(number__iexact=number)[:2])
        if len(matches) != 1:
            missing.append(number)
        else:
            found.append(matches[0])
    if missing:
        raise forms.ValidationError(
            f"Không tìm thấy (hoặc có nhiều hơn một) văn bản số: {', '.join(missing)}."
        )
    return found


class MeetingForm(VersionedFormMixin):
    """The meeting on one screen: kind, theme, documents, note and a presence per member."""

    theme = forms.CharField(label="Nội dung, chủ đề", max_length=300, required=False)
    documents = forms.CharField(
        label="Văn bản quán triệt (số, ký hiệu)",
        required=False,
        max_length=500,
        help_text="Cách nhau bởi dấu chấm phẩy, ví dụ: 05-CT/TW; 07-NQ/TU",
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, members: list[CellMember] = (), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.user = user
        self.members = list(members)
        for row in self.members:
            label = row.member.full_name + (" (miễn sinh hoạt)" if row.exempted else "")
            self.fields[f"presence_{row.member.pk}"] = forms.ChoiceField(
                label=label,
                choices=Presence.choices,
                widget=PresenceSelect,
                initial=Presence.PRESENT,
                error_messages={"required": "Chọn tình hình dự họp."},
            )

    def clean_documents(self) -> list[Document]:
        return documents_by_number(self.user, self.cleaned_data.get("documents") or "")

    def attendance(self) -> dict[int, str]:
        return {
            row.member.pk: self.cleaned_data[f"presence_{row.member.pk}"] for row in self.members
        }

    def presence_rows(self) -> list[tuple[CellMember, Any]]:
        return [(row, self[f"presence_{row.member.pk}"]) for row in self.members]


class FeeCollectForm(forms.Form):
    """A cell's collection for one month: an amount (whole đồng) and the day per member; a blank
    amount means the member paid nothing this month."""

    paid_on = forms.DateField(label="Ngày thu", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member, due in self.members:
            self.fields[f"paid_{member.pk}"] = forms.IntegerField(
                label=member.full_name,
                min_value=0,
                max_value=10**12,
                required=False,
                initial=due or None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
                error_messages={"invalid": "Nhập số nguyên đồng."},
            )

    def amounts(self) -> list[tuple[Any, int]]:
        return [
            (member, self.cleaned_data[f"paid_{member.pk}"])
            for member, _ in self.members
            if self.cleaned_data.get(f"paid_{member.pk}") is not None
        ]
