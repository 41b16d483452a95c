"""Forms of the inspection pages: filters, a programme and its items, a case and its steps, a
discipline decision, an appeal. Forms only validate input; the services apply the rules."""

from __future__ import annotations

from django import forms

from grassroots.core.forms import DateField, note_field
from grassroots.core.locking import VersionedFormMixin
from grassroots.inspections.models import (
    Conclusion,
    Kind,
    Level,
    Outcome,
    ProgrammeItem,
    ProgrammeKind,
    Step,
    Subject,
    ViolationKind,
)
from grassroots.members.forms import member_field, organization_field

ANY = [("", "Tất cả")]


class SubjectMixin(forms.Form):
    """A subject: a member (by code) or an organisation (by code), as ``subject`` says."""

    def add_subject_fields(self, user) -> None:
        self.fields["subject"] = forms.ChoiceField(label="Đối tượng", choices=Subject.choices)
        self.fields["member"] = member_field(
            user, "Đảng viên", required=False, help_text="Khi đối tượng là đảng viên."
        )
        self.fields["organization"] = organization_field(
            user, required=False, help_text="Khi đối tượng là tổ chức đảng, ví dụ CB-V1."
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("subject") == Subject.MEMBER and not data.get("member"):
            self.add_error("member", "Nhập mã đảng viên.")
        if data.get("subject") == Subject.ORGANIZATION and not data.get("organization"):
            self.add_error("organization", "Nhập mã tổ chức đảng.")
        return data


class CaseFilterForm(forms.Form):
    search = forms.CharField(label="Tìm theo mã, nội dung, tên", required=False)
    kind = forms.ChoiceField(label="Loại", choices=ANY + Kind.choices, required=False)
    year = forms.IntegerField(label="Năm", required=False, min_value=1945, max_value=2200)
    step = forms.ChoiceField(label="Bước", choices=ANY + Step.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user, required=False, help_text="")


class DecisionFilterForm(forms.Form):
    search = forms.CharField(label="Tìm theo mã, số quyết định, tên", required=False)
    subject = forms.ChoiceField(label="Đối tượng", choices=ANY + Subject.choices, required=False)
    level = forms.ChoiceField(label="Hình thức", choices=ANY + Level.choices, required=False)
    year = forms.IntegerField(label="Năm", required=False, min_value=1945, max_value=2200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user, required=False, help_text="")


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label="Loại chương trình", choices=ProgrammeKind.choices)
    year_from = forms.IntegerField(label="Từ năm", min_value=1945, max_value=2200)
    year_to = forms.IntegerField(
        label="Đến năm", min_value=1945, max_value=2200, required=False, help_text="Toàn khóa."
    )
    title = forms.CharField(label="Tên chương trình", max_length=300)
    issued_by = forms.CharField(label="Cơ quan ban hành", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user, help_text="Cấp ủy, ví dụ DU-XA.")
        self.fields["note"] = note_field()


class ProgrammeItemForm(SubjectMixin):
    kind = forms.ChoiceField(label="Loại", choices=Kind.choices)
    topic = forms.CharField(label="Nội dung", max_length=300)
    period_start = DateField(label="Từ ngày")
    period_end = DateField(label="Đến ngày")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_subject_fields(user)


class CaseForm(SubjectMixin):
    code = forms.CharField(label="Mã cuộc kiểm tra", max_length=40)
    kind = forms.ChoiceField(label="Loại", choices=Kind.choices)
    topic = forms.CharField(label="Nội dung", max_length=300)
    deciding_body = forms.CharField(label="Cơ quan quyết định", max_length=200)
    decision_number = forms.CharField(label="Số quyết định", max_length=40)
    decided_on = DateField(label="Ngày quyết định")
    team = forms.CharField(label="Đoàn (tổ) kiểm tra", widget=forms.Textarea, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_subject_fields(user)
        self.fields["item"] = forms.ModelChoiceField(
            label="Theo chương trình",
            queryset=ProgrammeItem.objects.visible_to(user).order_by("-year", "period_start", "pk"),
            required=False,
            empty_label="— Ngoài chương trình —",
        )


#: The steps recorded through the step form (the decision opens the case).
STEP_CHOICES = [(s.value, s.label) for s in Step if s != Step.DECIDED]


class CaseStepForm(VersionedFormMixin, forms.Form):
    step = forms.ChoiceField(label="Bước", choices=STEP_CHOICES)
    day = DateField(label="Ngày")
    findings = forms.CharField(label="Kết quả thẩm tra", widget=forms.Textarea, required=False)
    conclusion = forms.ChoiceField(
        label="Kết luận", choices=[("", "—"), *Conclusion.choices], required=False
    )
    violation_kind = forms.ChoiceField(
        label="Loại vi phạm", choices=[("", "—"), *ViolationKind.choices], required=False
    )


class DecisionForm(SubjectMixin):
    code = forms.CharField(label="Mã quyết định kỷ luật", max_length=40)
    level = forms.ChoiceField(label="Hình thức kỷ luật", choices=Level.choices)
    violation_kind = forms.ChoiceField(label="Loại vi phạm", choices=ViolationKind.choices)
    violation_date = DateField(label="Ngày vi phạm")
    decided_on = DateField(label="Ngày quyết định")
    deciding_body = forms.CharField(label="Cơ quan quyết định", max_length=200)
    decision_number = forms.CharField(label="Số quyết định", max_length=40)
    votes_for = forms.IntegerField(label="Số phiếu tán thành", min_value=0)
    votes_total = forms.IntegerField(label="Tổng số thành viên biểu quyết", min_value=1)
    case = forms.CharField(label="Mã cuộc kiểm tra", max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_subject_fields(user)
        self.fields["note"] = note_field()


class AppealForm(forms.Form):
    lodged_on = DateField(label="Ngày khiếu nại")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"] = note_field()


class AppealDecideForm(forms.Form):
    decided_on = DateField(label="Ngày giải quyết")
    outcome = forms.ChoiceField(
        label="Kết quả", choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING]
    )
    new_level = forms.ChoiceField(
        label="Hình thức mới (khi thay đổi)", choices=[("", "—"), *Level.choices], required=False
    )
    deciding_body = forms.CharField(label="Cơ quan giải quyết", max_length=200, required=False)
