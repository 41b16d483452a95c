"""Forms of the rating pages: the list's filters, rating one member or organisation, the
spreadsheet upload and the figures' choices. Forms only validate input; services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from grassroots.core.forms import CodeChoiceField, note_field
from grassroots.core.locking import VersionedFormMixin
from grassroots.core.tables import read_upload_table
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to
from grassroots.ratings.models import Level, PeriodKind, Subject
from grassroots.ratings.selectors import GOOD_OR_BETTER_FILTER
from grassroots.ratings.services import IMPORT_COLUMNS, choices_text

LEVEL_FILTER_CHOICES = [
    ("", "Tất cả"),
    (GOOD_OR_BETTER_FILTER, "Hoàn thành tốt nhiệm vụ trở lên"),
    *Level.choices,
]


def organization_field(user, **kwargs) -> CodeChoiceField:
    return CodeChoiceField(
        queryset=organization_visible_to(user),
        picker="organizations:pick",
        label="Tổ chức đảng",
        not_found="Không tìm thấy tổ chức mã %(value)s trong phạm vi của bạn.",
        **kwargs,
    )


class RatingFilterForm(forms.Form):
    """The list's filters (GET), named as ``selectors.rating_list`` takes them."""

    period_kind = forms.ChoiceField(
        label="Kỳ đánh giá", choices=[("", "Tất cả"), *PeriodKind.choices], required=False
    )
    period_label = forms.CharField(label="Kỳ (2024, 2024-Q1, 2020-2025)", required=False)
    subject = forms.ChoiceField(
        label="Đối tượng", choices=[("", "Tất cả"), *Subject.choices], required=False
    )
    level = forms.ChoiceField(label="Mức xếp loại", choices=LEVEL_FILTER_CHOICES, required=False)
    search = forms.CharField(label="Tìm theo tên hoặc mã", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user, required=False)

    def clean_period_label(self) -> str:
        return self.cleaned_data["period_label"].strip().upper()


class RatingForm(VersionedFormMixin, forms.Form):
    """Rate one member or one organisation for a period; a score, when given, must agree with
    the level or sets it when the level is blank."""

    period_kind = forms.ChoiceField(
        label="Kỳ đánh giá", choices=PeriodKind.choices, initial=PeriodKind.YEAR
    )
    period_label = forms.CharField(
        label="Kỳ", max_length=9, help_text="Năm 2024, quý 2024-Q1 hoặc nhiệm kỳ 2020-2025."
    )
    subject = forms.ChoiceField(label="Đối tượng", choices=Subject.choices)
    code = forms.CharField(
        label="Mã đảng viên hoặc mã tổ chức đảng", max_length=40, help_text="Ví dụ CB-V1."
    )
    level = forms.ChoiceField(
        label="Mức xếp loại",
        choices=[("", "— theo điểm —"), *Level.choices],
        required=False,
    )
    score = forms.DecimalField(
        label="Điểm (thang 100)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="Không bắt buộc: ≥ 90 xuất sắc, 70–<90 tốt, 50–<70 hoàn thành, < 50 không "
        "hoàn thành (Quy định 366-QĐ/TW).",
        localize=True,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["note"] = note_field()
        if not self.is_bound:
            self.fields["period_label"].initial = str(timezone.localdate().year - 1)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        code, subject = (data.get("code") or "").strip(), data.get("subject")
        data["member"] = data["organization"] = None
        if code and subject == Subject.MEMBER:
            data["member"] = member_visible_to(self.user).filter(code=code).first()
            if data["member"] is None:
                self.add_error("code", f"Không tìm thấy đảng viên mã {code} trong phạm vi của bạn.")
        elif code and subject == Subject.ORGANIZATION:
            data["organization"] = organization_visible_to(self.user).filter(code=code).first()
            if data["organization"] is None:
                self.add_error("code", f"Không tìm thấy tổ chức mã {code} trong phạm vi của bạn.")
        return data


#: The Vietnamese label of each column of the rating sheet (the column names stay the format's).
COLUMN_LABELS = {
    "period": f"kỳ đánh giá: {choices_text(PeriodKind)}",
    "period_label": "kỳ: 2024, 2020-2025 hoặc 2024-Q1",
    "subject": f"đối tượng: {choices_text(Subject)}",
    "code": "mã đảng viên hoặc mã tổ chức đảng",
    "level": f"mức xếp loại: {choices_text(Level)}; để trống khi có điểm",
    "score": "điểm 0–100, không bắt buộc",
    "note": "ghi chú",
}


def column_text(column: str) -> str:
    """``code (short Vietnamese label)``, for a message."""
    return f"{column} ({COLUMN_LABELS[column].split(':')[0]})"


class RatingUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp .xlsx hoặc .csv",
        help_text="Dòng đầu là tên cột: "
        + ", ".join(column_text(column) for column in IMPORT_COLUMNS)
        + ". Tên loại, đối tượng và mức xếp loại gõ bằng tiếng Việt cũng được.",
    )

    #: For the page: each column as ``(code, Vietnamese label, required)``.
    columns = [
        (column, COLUMN_LABELS[column], column in ("period", "period_label", "subject", "code"))
        for column in IMPORT_COLUMNS
    ]

    def clean_file(self):
        """Read the file into ``self.rows`` (``(line, {column: text})``) with the interchange
        reader's cleaning; the header must name the required columns."""
        upload = self.cleaned_data["file"]
        name = upload.name.rsplit("/", 1)[-1]
        if not name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        try:
            table = read_upload_table(upload, name)
        except Exception as exc:  # a damaged file: say so, never a server error
            raise forms.ValidationError(f"Không đọc được tệp {name}: {exc}") from exc
        missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
        if missing:
            raise forms.ValidationError(
                f"{name}:1: thiếu cột {', '.join(column_text(c) for c in missing)} "
                f"(cần: {', '.join(IMPORT_COLUMNS)})."
            )
        if not table.rows:
            raise forms.ValidationError(f"Tệp {name} không có dòng dữ liệu nào.")
        self.file_name, self.rows = name, table.rows
        return upload


REQUIRED_COLUMNS = ("period", "period_label", "subject", "code")


class RatingFiguresForm(forms.Form):
    """The figures' choices (GET): organisation (the user's scope by default), years, subject."""

    year_from = forms.IntegerField(label="Từ năm", min_value=1930, max_value=2100, required=False)
    year_to = forms.IntegerField(label="Đến năm", min_value=1930, max_value=2100, required=False)
    subject = forms.ChoiceField(
        label="Đối tượng",
        choices=[
            (Subject.ORGANIZATION, Subject.ORGANIZATION.label),
            (Subject.MEMBER, Subject.MEMBER.label),
        ],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        this_year = timezone.localdate().year
        data["year_to"] = data.get("year_to") or this_year - 1
        data["year_from"] = data.get("year_from") or data["year_to"] - 4
        data["subject"] = data.get("subject") or Subject.ORGANIZATION
        if data["year_from"] > data["year_to"]:
            raise forms.ValidationError("Năm bắt đầu phải trước năm kết thúc.")
        if data["year_to"] - data["year_from"] > 20:
            raise forms.ValidationError("Chọn tối đa 21 năm.")
        return data


class RatingGridForm(forms.Form):
    """The bulk grid: one row per member of a cell for a period, a level per row (blank: not
    rated now). The rows are given by the page (``members``); the service checks them."""

    def __init__(self, *args, user=None, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"level_{member.pk}"] = forms.ChoiceField(
                label=f"{member.full_name} ({member.code})",
                choices=[("", "—"), *Level.choices],
                required=False,
            )

    def levels(self) -> list[tuple[Any, str]]:
        return [(m, self.cleaned_data.get(f"level_{m.pk}", "")) for m in self.members]
