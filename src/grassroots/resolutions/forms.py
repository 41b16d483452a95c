"""Forms of the document and task pages. Forms only validate input; services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from grassroots.core.forms import CodeChoiceField, CodeListField, DateField, ScopedForm
from grassroots.core.locking import VersionedFormMixin
from grassroots.organizations.selectors import organization_visible_to
from grassroots.resolutions.models import DocumentType, LinkKind, TaskStatus
from grassroots.resolutions.selectors import STATES, document_visible_to

TYPE_CHOICES = [(t.value, f"{t.label} ({t.value})") for t in DocumentType]
STATE_LABELS = {
    "assigned": "Tất cả",
    "done": "Đã hoàn thành",
    "not_done": "Không hoàn thành",
    "overdue": "Quá hạn",
    "due": "Đang trong hạn",
}


def organization_field(*, label: str = "Tổ chức đảng", required: bool = True, **kwargs):
    return CodeChoiceField(
        visible_to=organization_visible_to,
        picker="organizations:pick",
        label=label,
        required=required,
        not_found="Không tìm thấy tổ chức mã %(value)s trong phạm vi của bạn.",
        **kwargs,
    )


class DocumentFilterForm(ScopedForm):
    """The registry's filters (GET), named as ``selectors.document_list`` takes them."""

    search = forms.CharField(
        label="Tìm theo số hoặc trích yếu",
        required=False,
        help_text="Không cần gõ dấu: “11-ctr”, “nam nhun”.",
    )
    doc_type = forms.ChoiceField(
        label="Loại văn bản", choices=[("", "Tất cả"), *TYPE_CHOICES], required=False
    )
    organization = organization_field(label="Cơ quan ban hành", required=False)
    year = forms.IntegerField(label="Năm ban hành", required=False, min_value=1930, max_value=2200)


class DocumentForm(ScopedForm):
    """Record a document: of an organisation of the registry (numbered automatically) or of a
    body outside it (its number as printed)."""

    organization = organization_field(
        label="Cơ quan ban hành (mã tổ chức đảng)",
        required=False,
        help_text="Để trống với văn bản của cơ quan ngoài hệ thống (Trung ương, Tỉnh ủy…).",
    )
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=TYPE_CHOICES)
    number = forms.CharField(
        label="Số, ký hiệu (chỉ với văn bản ngoài hệ thống)",
        required=False,
        max_length=40,
        help_text="Ví dụ 07-NQ/TU. Văn bản của tổ chức trong hệ thống được cấp số tự động.",
    )
    issuer_code = forms.CharField(
        label="Ký hiệu cơ quan",
        required=False,
        max_length=16,
        help_text="HU, ĐU, CB…; ĐH với văn bản của Đại hội. Để trống: theo loại tổ chức.",
    )
    issued_on = DateField(label="Ngày ban hành")
    title = forms.CharField(label="Trích yếu", max_length=500)
    summary = forms.CharField(
        label="Tóm tắt nội dung", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    signer = forms.CharField(label="Người ký", required=False, max_length=120)
    superior_name = forms.CharField(
        label="Cơ quan cấp trên (dòng đầu tiêu đề)", required=False, max_length=200
    )
    issuer_name = forms.CharField(label="Tên cơ quan ban hành", required=False, max_length=200)
    place_name = forms.CharField(label="Địa danh", required=False, max_length=80)
    file = forms.FileField(label="Tệp văn bản (PDF hoặc Word .docx)", required=False)

    def clean(self):
        data = super().clean() or {}
        if not data.get("organization") and not (data.get("number") or "").strip():
            self.add_error("number", "Cần nhập số, ký hiệu của văn bản ngoài hệ thống.")
        return data


class DocumentEditForm(VersionedFormMixin, forms.Form):
    title = forms.CharField(label="Trích yếu", max_length=500)
    summary = forms.CharField(
        label="Tóm tắt nội dung", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    signer = forms.CharField(label="Người ký", required=False, max_length=120)
    superior_name = forms.CharField(label="Cơ quan cấp trên", required=False, max_length=200)
    issuer_name = forms.CharField(label="Tên cơ quan ban hành", required=False, max_length=200)
    place_name = forms.CharField(label="Địa danh", required=False, max_length=80)
    file = forms.FileField(label="Thay tệp văn bản (PDF hoặc Word .docx)", required=False)


class DocumentLinkForm(ScopedForm):
    kind = forms.ChoiceField(label="Quan hệ", choices=LinkKind.choices)
    target = forms.CharField(label="Số, ký hiệu văn bản được liên kết", max_length=40)

    def clean_target(self):
        number = self.cleaned_data["target"].strip()
        found = document_visible_to(self.user).filter(number=number).order_by("-issued_on")
        document = found.first()
        if document is None:
            raise forms.ValidationError(f"Không tìm thấy văn bản số {number}.")
        return document


class TaskAssignForm(ScopedForm):
    title = forms.CharField(label="Nội dung nhiệm vụ", max_length=500)
    expected_result = forms.CharField(
        label="Kết quả cần đạt", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = DateField(label="Thời hạn")
    every_cell = forms.BooleanField(label="Giao cho mọi chi bộ trực thuộc", required=False)
    organizations = CodeListField(
        visible_to=organization_visible_to,
        picker="organizations:pick",
        label="Đơn vị thực hiện (mã tổ chức đảng)",
        required=False,
        not_found="Không tìm thấy tổ chức mã %(value)s trong phạm vi của bạn.",
    )

    def clean(self):
        data = super().clean() or {}
        if not data.get("every_cell") and not data.get("organizations"):
            raise forms.ValidationError(
                "Cần nhập đơn vị thực hiện hoặc chọn giao cho mọi chi bộ trực thuộc."
            )
        return data


class TaskReportForm(VersionedFormMixin, forms.Form):
    day = DateField(label="Ngày báo cáo", initial=timezone.localdate)
    percent = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100)
    note = forms.CharField(label="Nội dung báo cáo", widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(
        label="Tình trạng",
        choices=[
            (TaskStatus.OPEN, "Đang thực hiện"),
            (TaskStatus.DONE, "Đã hoàn thành"),
            (TaskStatus.NOT_DONE, "Kết thúc, không hoàn thành"),
        ],
        initial=TaskStatus.OPEN,
    )
    attachment = forms.FileField(label="Tệp kèm theo (PDF, Word, Excel, ảnh)", required=False)


class TaskFilterForm(ScopedForm):
    organization = organization_field(label="Thuộc tổ chức đảng", required=False)
    state = forms.ChoiceField(
        label="Tình trạng", choices=[(s, STATE_LABELS[s]) for s in STATES], required=False
    )


class TaskFiguresForm(ScopedForm):
    organization = organization_field(required=False)


class TermForm(ScopedForm):
    organization = organization_field()
    starts_on = DateField(
        label="Bắt đầu từ ngày", help_text="Ngày sau ngày bế mạc Đại hội của tổ chức đảng."
    )
    label = forms.CharField(label="Nhiệm kỳ", required=False, max_length=20, help_text="2020-2025")
