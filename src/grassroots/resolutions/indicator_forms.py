"""Forms of the resolution pages: a resolution, an indicator, a yearly value."""

from __future__ import annotations

import re

from django import forms

from grassroots.core.forms import DateField
from grassroots.core.locking import VersionedFormMixin
from grassroots.members.forms import organization_field
from grassroots.resolutions.indicator_models import (
    IndicatorDirection,
    IndicatorMethod,
    IndicatorSource,
)
from grassroots.resolutions.models import Document

#: "19.000" or "1.746.600,5" typed on a page: dots group the thousands.
GROUPED = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")


def typed_number(text: str) -> str:
    """A number as typed on a page, for the services (which read "." or "," as the decimal
    point): Vietnamese thousands groups ("19.000") lose their dots."""
    text = (text or "").strip().replace(" ", "")
    if GROUPED.fullmatch(text):
        text = text.replace(".", "")
    return text


class ResolutionForm(VersionedFormMixin, forms.Form):
    code = forms.CharField(label="Mã nghị quyết", max_length=40, help_text="Ví dụ DB-112-DH3.")
    number = forms.CharField(label="Số, ký hiệu", max_length=40, required=False)
    title = forms.CharField(label="Tên nghị quyết", max_length=300)
    adopted = DateField(label="Ngày thông qua", required=False)
    term_from = forms.IntegerField(label="Năm đầu có chỉ tiêu", min_value=1930, max_value=2200)
    term_to = forms.IntegerField(label="Năm cuối có chỉ tiêu", min_value=1930, max_value=2200)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        else:
            self.fields["organization"] = organization_field(user)
            self.order_fields(["organization", "code"])


class IndicatorForm(VersionedFormMixin, forms.Form):
    code = forms.CharField(label="Mã chỉ tiêu", max_length=40)
    name = forms.CharField(label="Tên chỉ tiêu", max_length=300)
    unit = forms.CharField(label="Đơn vị tính", max_length=40, required=False)
    direction = forms.ChoiceField(label="Chiều đánh giá", choices=IndicatorDirection.choices)
    method = forms.ChoiceField(label="Cách tính", choices=IndicatorMethod.choices)
    target = forms.CharField(
        label="Chỉ tiêu đề ra", max_length=30, help_text="Ví dụ 1500 hoặc 5,4."
    )
    source = forms.ChoiceField(label="Nguồn số liệu", choices=IndicatorSource.choices)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]

    def clean_target(self) -> str:
        return typed_number(self.cleaned_data["target"])


class ValueForm(VersionedFormMixin, forms.Form):
    value = forms.CharField(label="Giá trị", max_length=30, help_text="Ví dụ 812,4.")
    document = forms.ModelChoiceField(
        label="Văn bản nguồn",
        queryset=Document.objects.none(),
        required=False,
        help_text="Báo cáo hoặc văn bản có số liệu này.",
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, user, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        documents = Document.objects.visible_to(user)
        if organization is not None:
            documents = documents.filter(organization=organization)
        self.fields["document"].queryset = documents.order_by("-issued_on", "-id")  # type: ignore[attr-defined]

    def clean_value(self) -> str:
        return typed_number(self.cleaned_data["value"])
