"""Forms of the cadre pages. Forms only validate input (codes inside the user's scope, dates);
``cadres.services`` applies the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.cadres.models import (
    Direction,
    Discipline,
    EndReason,
    How,
    MoveKind,
    Position,
    RemovalReason,
)
from grassroots.cadres.selectors import person_visible_to
from grassroots.core.forms import (
    CodeChoiceField,
    CodeListField,
    DateField,
    ScopedForm,
    note_field,
)
from grassroots.core.locking import VersionedFormMixin
from grassroots.core.temporal import MAX_YEAR, MIN_YEAR
from grassroots.members.models import Gender
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to
from grassroots.resolutions.models import Document


def organization_field(**kwargs: Any) -> CodeChoiceField:
    return CodeChoiceField(
        visible_to=organization_visible_to,
        picker="organizations:pick",
        label=kwargs.pop("label", "Tổ chức đảng"),
        not_found="Không tìm thấy tổ chức mã %(value)s trong phạm vi của bạn.",
        **kwargs,
    )


def member_field(**kwargs: Any) -> CodeChoiceField:
    return CodeChoiceField(
        visible_to=member_visible_to,
        picker="members:pick",
        label=kwargs.pop("label", "Đảng viên (mã)"),
        not_found="Không tìm thấy đảng viên mã %(value)s trong phạm vi của bạn.",
        **kwargs,
    )


def members_field(label: str, required: bool = False) -> CodeListField:
    return CodeListField(
        visible_to=member_visible_to,
        label=label,
        required=required,
        not_found="Không tìm thấy đảng viên mã %(value)s trong phạm vi của bạn.",
        help_text="Các mã đảng viên, cách nhau bằng dấu phẩy hoặc xuống dòng.",
    )


def position_choices(party_only: bool = False) -> list[tuple[str, str]]:
    positions = Position.objects.all()
    if party_only:
        positions = positions.filter(body="party")
    return [(p.code, p.name) for p in positions]


def year_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=MIN_YEAR, max_value=MAX_YEAR)


class DecisionMixin(forms.Form):
    """An optional decision document typed as its number (``125-QĐ/HU``), found among the
    documents the user may read."""

    decision = forms.CharField(
        label="Số quyết định (trong sổ văn bản)",
        required=False,
        max_length=40,
        help_text="Ví dụ 125-QĐ/HU; để trống khi chưa có trong sổ văn bản.",
    )

    def clean_decision(self) -> Document | None:
        number = (self.cleaned_data.get("decision") or "").strip()
        if not number:
            return None
        user = getattr(self, "user", None)
        found = Document.objects.visible_to(user).filter(number=number).order_by("-issued_on")
        document = found.first()
        if document is None:
            raise forms.ValidationError(f"Không tìm thấy văn bản số {number} trong sổ văn bản.")
        return document


# --- Lists ------------------------------------------------------------------------------------


class AppointmentFilterForm(ScopedForm):
    organization = organization_field(required=False)
    position = forms.ChoiceField(label="Chức danh", required=False)
    search = forms.CharField(label="Tìm theo tên hoặc mã", required=False)
    history = forms.BooleanField(label="Cả những người đã thôi giữ chức", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [("", "Tất cả"), *position_choices()]  # type: ignore[attr-defined]

    def clean_position(self) -> Position | None:
        code = self.cleaned_data.get("position")
        return Position.objects.filter(code=code).first() if code else None


class OrganizationFilterForm(ScopedForm):
    organization = organization_field(required=False)


class SecretaryFilterForm(OrganizationFilterForm):
    without = forms.BooleanField(label="Chỉ chi bộ chưa có bí thư", required=False)


class RotationFilterForm(OrganizationFilterForm):
    due = forms.BooleanField(
        label="Chỉ những người sắp hết thời hạn (đến hạn trở về)", required=False
    )


# --- Appointments -----------------------------------------------------------------------------


class AppointmentForm(DecisionMixin, ScopedForm):
    organization = organization_field(label="Tổ chức")
    position = forms.ChoiceField(label="Chức danh")
    member = member_field(required=False)
    person = CodeChoiceField(
        visible_to=person_visible_to,
        label="Hoặc người ngoài Đảng (mã)",
        required=False,
        not_found="Không tìm thấy người mã %(value)s trong phạm vi của bạn.",
    )
    how = forms.ChoiceField(label="Hình thức", choices=How.choices, initial=How.APPOINTED)
    valid_from = DateField(label="Từ ngày")
    valid_to = DateField(label="Đến trước ngày", required=False)
    note = note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = position_choices()  # type: ignore[attr-defined]


class AppointmentEndForm(VersionedFormMixin, DecisionMixin, ScopedForm):
    day = DateField(label="Thôi giữ chức từ ngày")
    reason = forms.ChoiceField(label="Lý do", choices=EndReason.choices)


class PersonForm(ScopedForm):
    code = forms.CharField(label="Mã", max_length=40)
    organization = organization_field(label="Tổ chức quản lý")
    full_name = forms.CharField(label="Họ và tên", max_length=200)
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    birth_date = DateField(label="Ngày sinh")
    ethnicity = forms.CharField(label="Dân tộc", max_length=60, required=False)
    education = forms.CharField(label="Trình độ học vấn", max_length=60, required=False)
    political_theory = forms.CharField(label="Lý luận chính trị", max_length=60, required=False)
    note = note_field()


# --- Congresses -------------------------------------------------------------------------------


class CongressForm(ScopedForm):
    organization = organization_field()
    number = forms.IntegerField(label="Đại hội lần thứ", min_value=1, max_value=100)
    term_from = year_field("Nhiệm kỳ từ năm")
    term_to = year_field("Nhiệm kỳ đến năm")
    starts_on = DateField(label="Ngày khai mạc")
    ends_on = DateField(label="Ngày bế mạc")
    note = note_field()


class CongressResultForm(DecisionMixin, ScopedForm):
    """The congress's result: codes of the members elected to each body."""

    executive = members_field("Ban Chấp hành", required=True)
    standing = members_field("Ban Thường vụ (trong Ban Chấp hành)")
    secretary = member_field(label="Bí thư", required=False)
    deputies = members_field("Phó Bí thư")
    inspection = members_field("Ủy ban Kiểm tra")
    inspection_chair = member_field(label="Chủ nhiệm Ủy ban Kiểm tra", required=False)


# --- Plans ------------------------------------------------------------------------------------


class PlanForm(DecisionMixin, ScopedForm):
    organization = organization_field()
    term_from = year_field("Nhiệm kỳ từ năm")
    term_to = year_field("Nhiệm kỳ đến năm")
    term_starts_on = DateField(
        label="Ngày bắt đầu nhiệm kỳ (dự kiến đại hội)",
        help_text="Tuổi quy hoạch được tính đến ngày này (Chỉ thị 45-CT/TW).",
    )
    approved_on = DateField(label="Ngày phê duyệt")
    note = note_field()


class PlanEntryForm(ScopedForm):
    position = forms.ChoiceField(label="Chức danh quy hoạch")
    member = member_field()
    day = DateField(label="Ngày đưa vào quy hoạch")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = position_choices()  # type: ignore[attr-defined]


class PlanEntryRemoveForm(VersionedFormMixin, ScopedForm):
    day = DateField(label="Ngày đưa ra khỏi quy hoạch")
    reason = forms.ChoiceField(label="Lý do", choices=RemovalReason.choices)
    note = note_field()


class DisciplineForm(ScopedForm):
    level = forms.ChoiceField(label="Hình thức kỷ luật", choices=Discipline.choices)
    day = DateField(label="Ngày quyết định kỷ luật")


class PlanReviewForm(ScopedForm):
    year = year_field("Năm rà soát")
    reviewed_on = DateField(label="Ngày rà soát")
    note = note_field()


# --- Rotations --------------------------------------------------------------------------------


class RotationForm(DecisionMixin, ScopedForm):
    member = member_field(label="Cán bộ (mã đảng viên)")
    kind = forms.ChoiceField(label="Hình thức", choices=MoveKind.choices)
    direction = forms.ChoiceField(label="Hướng", choices=Direction.choices)
    from_organization = organization_field(label="Từ tổ chức")
    from_post = forms.CharField(label="Chức vụ trước", max_length=200, required=False)
    to_organization = organization_field(label="Đến tổ chức")
    to_post = forms.CharField(label="Chức vụ mới", max_length=200, required=False)
    starts_on = DateField(label="Ngày bắt đầu")
    planned_end = DateField(label="Dự kiến kết thúc", required=False)
    note = note_field()


class RotationEndForm(VersionedFormMixin, ScopedForm):
    day = DateField(label="Ngày kết thúc (trở về)")
