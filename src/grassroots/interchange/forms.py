import zipfile
from pathlib import Path
from typing import Any

from django import forms

from grassroots.interchange.limits import PackageError, check_archive, check_upload
from grassroots.organizations.models import OrganizationVersion
from grassroots.organizations.selectors import organization_visible_to

PACKAGE_SUFFIXES = (".zip", ".xlsx")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Gói dữ liệu",
        help_text="Tệp .zip chứa các tệp CSV (places.csv, organizations.csv, members.csv, "
        "member_events.csv…) hoặc một tệp .xlsx có các trang cùng tên.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PACKAGE_SUFFIXES)}),
    )

    def __init__(self, *args, refused: str = "", **kwargs):
        """``refused``: the upload handler's message when it stopped an oversized file."""
        super().__init__(*args, **kwargs)
        self.refused = refused

    def clean(self):
        if self.refused:  # the file was stopped while it arrived: say why, not "required"
            self.errors.pop("file", None)
            self.add_error("file", self.refused)
        return super().clean()

    def clean_file(self):
        """The type, the size (``IMPORT_MAX_UPLOAD_BYTES``) and, for a .zip or an .xlsx (a zip
        too), the declared sizes of its files: refused here, before a job is queued."""
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in PACKAGE_SUFFIXES:
            raise forms.ValidationError("Chỉ nhận tệp .zip (chứa các tệp CSV) hoặc tệp .xlsx.")
        try:
            check_upload(upload.size, upload.name)
            with zipfile.ZipFile(upload) as archive:
                check_archive(archive, upload.name)
        except PackageError as exc:
            raise forms.ValidationError(str(exc)) from exc
        except zipfile.BadZipFile as exc:
            raise forms.ValidationError(
                f"Tệp {upload.name} bị hỏng hoặc không phải tệp .zip/.xlsx."
            ) from exc
        upload.seek(0)
        return upload


class ExportForm(forms.Form):
    """Choose one of the organisations the user sees (named as on ``day``)."""

    organization = forms.ChoiceField(label="Tổ chức đảng")

    def __init__(self, *args, user, day, **kwargs):
        super().__init__(*args, **kwargs)
        versions = (
            OrganizationVersion.objects.valid_on(day)
            .filter(organization__in=organization_visible_to(user))
            .order_by("organization__code")
            .values_list("organization__code", "name")
        )
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ChoiceField)
        organization.choices = [(code, f"{name} ({code})") for code, name in versions]


#: The Vietnamese label of each column of the format (the column names stay the format's).
COLUMN_LABELS = {
    "code": "mã",
    "name": "tên",
    "kind": "loại",
    "parent_code": "mã cấp trên",
    "place_code": "mã địa bàn",
    "organization_code": "mã tổ chức đảng",
    "valid_from": "có hiệu lực từ ngày",
    "valid_to": "hết hiệu lực từ ngày",
    "date": "ngày",
    "from_code": "mã địa bàn cũ",
    "to_code": "mã địa bàn mới",
    "change": "loại biến động",
    "member_id": "mã đảng viên",
    "full_name": "họ và tên",
    "gender": "giới tính; gõ Nam/Nữ cũng được",
    "birth_date": "ngày sinh",
    "event": "loại sự kiện",
    "reason": "lý do",
    "note": "ghi chú",
    # Documents and tasks (resolutions.document_interchange)
    "starts_on": "từ ngày",
    "label": "nhiệm kỳ",
    "number": "số, ký hiệu",
    "type": "loại văn bản",
    "issued_on": "ngày ban hành",
    "term_start": "nhiệm kỳ từ ngày",
    "title": "trích yếu, nội dung",
    "summary": "tóm tắt",
    "signer": "người ký",
    "issuer_name": "tên cơ quan ban hành",
    "superior_name": "cơ quan cấp trên",
    "place_name": "địa danh",
    "target_organization_code": "mã tổ chức ban hành văn bản được liên kết",
    "target_number": "số, ký hiệu văn bản được liên kết",
    "target_issued_on": "ngày ban hành văn bản được liên kết",
    "programme_organization_code": "mã tổ chức ban hành chương trình, kế hoạch",
    "programme_number": "số, ký hiệu chương trình, kế hoạch",
    "programme_issued_on": "ngày ban hành chương trình, kế hoạch",
    "expected_result": "kết quả cần đạt",
    "deadline": "thời hạn",
    "status": "tình trạng",
    "percent": "tiến độ (%)",
    "closed_on": "ngày kết thúc",
}


def _values_text(column: str) -> str:
    """The codes a coded column takes, each with its Vietnamese label."""
    from grassroots.members.models import EventKind, Gender
    from grassroots.places.models import LineageChange

    table: dict[str, list[Any]] = {
        "gender": list(Gender),
        "change": list(LineageChange),
        "event": [kind for kind in EventKind if kind != EventKind.CANCELLED],
    }
    choices = table.get(column)
    if not choices:
        return ""
    return ": " + ", ".join(f"{choice.value} ({choice.label.lower()})" for choice in choices)


def _model_label(column: str) -> str:
    """A column not in :data:`COLUMN_LABELS`: the verbose name of the member field of that
    name (the profile's columns follow the model), else nothing."""
    from grassroots.members.models import Member

    try:
        field = Member._meta.get_field(column)
    except Exception:  # not a field of the member
        return ""
    return str(getattr(field, "verbose_name", ""))


def column_guide() -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """For the upload page: each file of the format with its columns as ``(code, Vietnamese
    label, required)``."""
    from grassroots.interchange.importer import COLUMNS, REQUIRED

    return [
        (
            file,
            [
                (
                    column,
                    (COLUMN_LABELS.get(column) or _model_label(column)) + _values_text(column),
                    column in REQUIRED.get(file, ()),
                )
                for column in columns
            ],
        )
        for file, columns in COLUMNS.items()
    ]
