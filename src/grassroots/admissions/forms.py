"""Forms of the party-development pages: the list's filters, a new candidate, one form per step,
a target. Forms only validate input; the services apply the rules."""

from __future__ import annotations

from django import forms

from grassroots.admissions.models import Source, Stage
from grassroots.core.forms import DateField, note_field
from grassroots.core.locking import VersionedFormMixin
from grassroots.members.forms import member_field, organization_field, place_field
from grassroots.members.models import Gender

#: The steps an editor records through a step form (the first is the candidate's creation).
STEP_STAGES = (
    Stage.TRAINED,
    Stage.APPLIED,
    Stage.VERIFIED,
    Stage.SPONSORED,
    Stage.VOTED,
    Stage.DECIDED,
    Stage.ADMITTED,
    Stage.CONFIRMED,
    Stage.DROPPED,
)
DATE_LABELS: dict[str, str] = {
    Stage.TRAINED: "Ngày cấp giấy chứng nhận",
    Stage.APPLIED: "Ngày nhận đơn",
    Stage.VERIFIED: "Ngày kết luận thẩm tra",
    Stage.SPONSORED: "Ngày giới thiệu",
    Stage.VOTED: "Ngày chi bộ họp xét",
    Stage.DECIDED: "Ngày quyết định",
    Stage.ADMITTED: "Ngày lễ kết nạp",
    Stage.CONFIRMED: "Ngày chi bộ xét công nhận",
    Stage.DROPPED: "Ngày dừng",
}


class CandidateFilterForm(forms.Form):
    search = forms.CharField(label="Tìm theo tên hoặc mã", required=False)
    stage = forms.ChoiceField(
        label="Bước tại ngày xem", choices=[("", "Tất cả"), *Stage.choices], required=False
    )
    source = forms.ChoiceField(
        label="Nguồn từ", choices=[("", "Tất cả"), *Source.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user, required=False, help_text="")


class CandidateCreateForm(forms.Form):
    """A source identified by a cell (the first step, xác định nguồn)."""

    code = forms.CharField(label="Mã quần chúng", max_length=40)
    full_name = forms.CharField(label="Họ và tên", max_length=200)
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    birth_date = DateField(label="Ngày sinh")
    ethnicity = forms.CharField(label="Dân tộc", max_length=60, required=False)
    education = forms.CharField(label="Trình độ học vấn", max_length=60, required=False)
    occupation = forms.CharField(label="Nghề nghiệp", max_length=120, required=False)
    hometown = forms.CharField(label="Quê quán", max_length=200, required=False)
    source = forms.ChoiceField(label="Nguồn từ", choices=Source.choices)
    is_local = forms.BooleanField(label="Người tại chỗ", required=False, initial=True)
    identified_on = DateField(label="Ngày xác định nguồn")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(
            user, help_text="Chi bộ xác định nguồn, ví dụ CB-V1."
        )
        self.fields["place"] = place_field(user, help_text="Nơi cư trú, ví dụ V1.")
        self.fields["note"] = note_field()


class StepForm(VersionedFormMixin, forms.Form):
    """One step: its date and what the stage needs."""

    date = DateField(label="Ngày")

    def __init__(self, *args, user, stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        self.fields["date"].label = DATE_LABELS[stage]
        if stage == Stage.SPONSORED:
            self.fields["sponsor_1"] = member_field(user, "Đảng viên giới thiệu thứ nhất")
            self.fields["sponsor_2"] = member_field(
                user, "Đảng viên giới thiệu thứ hai", required=False
            )
            self.fields["youth_union_sponsor"] = forms.BooleanField(
                label="BCH Đoàn cơ sở giới thiệu (thay người thứ hai, với đoàn viên dưới 30 tuổi)",
                required=False,
            )
        if stage in (Stage.VOTED, Stage.CONFIRMED):
            required = stage == Stage.VOTED
            self.fields["eligible"] = forms.IntegerField(
                label="Số đảng viên chính thức của chi bộ", min_value=1, required=required
            )
            self.fields["votes_for"] = forms.IntegerField(
                label="Số tán thành", min_value=0, required=required
            )
        if stage == Stage.DECIDED:
            self.fields["decision_number"] = forms.CharField(
                label="Số quyết định", max_length=40, required=False, help_text="Ví dụ 15-QĐ/ĐU."
            )
        if stage == Stage.ADMITTED:
            self.fields["member_code"] = forms.CharField(
                label="Mã đảng viên",
                max_length=40,
                required=False,
                help_text="Để trống để dùng mã quần chúng.",
            )
        if stage == Stage.CONFIRMED:
            self.fields["confirmed"] = forms.TypedChoiceField(
                label="Kết quả",
                choices=[("1", "Công nhận chính thức"), ("0", "Không công nhận chính thức")],
                coerce=lambda v: v == "1",
            )
            self.order_fields(["date", "confirmed"])
        if stage in (Stage.CONFIRMED, Stage.DROPPED):
            self.fields["reason"] = forms.CharField(
                label="Lý do", max_length=300, required=stage == Stage.DROPPED
            )
        self.fields["note"] = note_field()

    @property
    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["day"] = data.pop("date")
        data.pop("based_on", None)  # checked by ``services.candidate_not_stale``
        return data


class TargetForm(VersionedFormMixin, forms.Form):
    year_from = forms.IntegerField(label="Từ năm", min_value=1930, max_value=2100)
    year_to = forms.IntegerField(label="Đến năm", min_value=1930, max_value=2100)
    per_year = forms.IntegerField(label="Mỗi năm kết nạp ít nhất", min_value=0, required=False)
    total = forms.IntegerField(label="Cả giai đoạn kết nạp ít nhất", min_value=0, required=False)
    source = forms.CharField(
        label="Căn cứ",
        max_length=300,
        required=False,
        help_text="Ví dụ: Nghị quyết Đại hội Đảng bộ huyện lần thứ III.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user)
        self.fields["note"] = note_field()
        self.order_fields(["organization"])


class PipelineForm(forms.Form):
    year_from = forms.IntegerField(label="Từ năm", min_value=1930, max_value=2100, required=False)
    year_to = forms.IntegerField(label="Đến năm", min_value=1930, max_value=2100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(user, required=False, help_text="")
        self.order_fields(["organization"])
