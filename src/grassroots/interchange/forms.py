from pathlib import Path

from django import forms

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

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in PACKAGE_SUFFIXES:
            raise forms.ValidationError("Chỉ nhận tệp .zip (chứa các tệp CSV) hoặc tệp .xlsx.")
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
