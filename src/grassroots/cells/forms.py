"""Forms of cell life: the list filters, the one-screen meeting form (a row of radio buttons per
member) and the monthly fee collection of a cell (an amount per member)."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.cells.models import (
    BasisKind,
    MeetingKind,
    Presence,
    ReviewStatus,
    ReviewSubject,
    StudyTarget,
)
from grassroots.cells.services import CellMember, parse_month
from grassroots.core.errors import RuleError
from grassroots.core.forms import ScopedForm
from grassroots.core.locking import VersionedFormMixin
from grassroots.members.forms import member_field
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


# --- Study campaigns -----------------------------------------------------------------------------


def date_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def money_field(label: str, **kwargs: Any) -> forms.IntegerField:
    """Whole đồng, not negative, with Vietnamese messages."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10**12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        error_messages={
            "invalid": "Nhập số nguyên đồng.",
            "min_value": "Số tiền không được âm.",
            "max_value": "Số tiền quá lớn.",
        },
        **kwargs,
    )


class YearFilterForm(ScopedForm):
    """Organisation and year (GET)."""

    organization = organization_field("Tổ chức đảng", required=False)
    year = forms.IntegerField(label="Năm", min_value=1930, max_value=2100, required=False)


class StudyCampaignForm(VersionedFormMixin, ScopedForm):
    organization = organization_field(
        "Cấp tổ chức", help_text="Đợt của cấp ủy áp dụng cho mọi tổ chức trực thuộc."
    )
    document = forms.CharField(
        label="Văn bản (số, ký hiệu)", max_length=40, help_text="Ví dụ: 05-CT/TW"
    )
    title = forms.CharField(label="Tên đợt học tập", max_length=300)
    start = date_field("Từ ngày")
    end = date_field("Đến ngày")
    target = forms.ChoiceField(label="Đối tượng", choices=StudyTarget.choices)
    target_note = forms.CharField(label="Đối tượng (ghi rõ)", max_length=300, required=False)
    plan_required = forms.BooleanField(
        label="Yêu cầu mỗi đảng viên có kế hoạch làm theo", required=False
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_document(self) -> Document:
        found = documents_by_number(self.user, self.cleaned_data.get("document") or "")
        if len(found) != 1:
            raise forms.ValidationError("Nhập đúng một số, ký hiệu văn bản.")
        return found[0]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
        return data


class StudySessionForm(VersionedFormMixin):
    """A session: the note and one checkbox per member of the organisation that day."""

    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, user=None, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.fields["attended"] = forms.MultipleChoiceField(
            label="Đảng viên đã dự",
            choices=[(str(m.pk), f"{m.full_name} ({m.code})") for m in self.members],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    def attended(self) -> list:
        chosen = set(self.cleaned_data.get("attended") or [])
        return [m for m in self.members if str(m.pk) in chosen]


class StudyPlanForm(VersionedFormMixin):
    submitted_on = date_field("Ngày nộp")
    content = forms.CharField(
        label="Nội dung kế hoạch làm theo", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


# --- Yearly self-criticism review ----------------------------------------------------------------


class ReviewFilterForm(YearFilterForm):
    subject = forms.ChoiceField(
        label="Đối tượng", choices=[("", "Tất cả"), *ReviewSubject.choices], required=False
    )
    status = forms.ChoiceField(
        label="Tình trạng", choices=[("", "Tất cả"), *ReviewStatus.choices], required=False
    )


class ReviewForm(VersionedFormMixin, ScopedForm):
    """A review of a member (by code) or of an organisation (by code) for a year."""

    year = forms.IntegerField(label="Năm", min_value=1930, max_value=2100)
    organization = organization_field(
        "Tổ chức đảng được kiểm điểm", required=False, help_text="Bỏ trống khi ghi cho đảng viên."
    )
    status = forms.ChoiceField(label="Tình trạng", choices=ReviewStatus.choices)
    reviewed_on = date_field("Ngày kiểm điểm", required=False)
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, user=None, fixed=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["member"] = member_field(
            user, "Đảng viên được kiểm điểm", required=False,
            help_text="Bỏ trống khi ghi cho tổ chức đảng.",
        )  # fmt: skip
        self.order_fields(["year", "member", "organization", "status", "reviewed_on", "note"])
        if fixed is not None:  # editing: the subject and the year stay
            for name in ("year", "member", "organization"):
                self.fields[name].disabled = True

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.errors and bool(data.get("member")) == bool(data.get("organization")):
            raise forms.ValidationError("Chọn một đảng viên hoặc một tổ chức đảng.")
        if data.get("status") == ReviewStatus.DONE and not data.get("reviewed_on"):
            self.add_error("reviewed_on", "Nhập ngày kiểm điểm.")
        return data


# --- Income bases and remittances ------------------------------------------------------------------


class BasisFilterForm(ScopedForm):
    kind = forms.ChoiceField(
        label="Căn cứ", choices=[("", "Tất cả"), *BasisKind.choices], required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["member"] = member_field(user, "Đảng viên", required=False)
        self.order_fields(["member", "kind"])


class BasisForm(VersionedFormMixin, ScopedForm):
    kind = forms.ChoiceField(label="Căn cứ", choices=BasisKind.choices)
    amount = money_field(
        "Số tiền (đồng)",
        required=False,
        help_text="Lương đóng BHXH, lương hưu hoặc mức cố định; bỏ trống với học sinh, sinh viên.",
    )
    valid_from = date_field("Áp dụng từ ngày")
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["member"] = member_field(user, "Đảng viên")
        self.order_fields(["member", "kind", "amount", "valid_from", "note"])

    def clean_amount(self) -> int:
        return self.cleaned_data.get("amount") or 0


class MonthField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", "Dạng YYYY-MM, ví dụ 2023-01")
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            return parse_month(text)
        except RuleError as exc:
            raise forms.ValidationError(exc.messages) from None


class RemittanceFilterForm(YearFilterForm):
    pass


class RemittanceForm(VersionedFormMixin, ScopedForm):
    organization = organization_field("Chi bộ")
    month_from = MonthField(label="Từ tháng")
    month_to = MonthField(label="Đến tháng")
    amount = money_field("Số tiền nộp lên (đồng)")
    sent_on = date_field("Ngày nộp")
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            data.get("month_from")
            and data.get("month_to")
            and data["month_from"] > data["month_to"]
        ):
            self.add_error("month_to", "Tháng kết thúc phải sau hoặc trùng tháng bắt đầu.")
        return data
