"""Forms of the member pages: the list's filters, the profile, one form per lifecycle action,
correcting and cancelling an event. Forms only validate input; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.core.forms import CodeChoiceField, DateField
from grassroots.core.locking import VersionedFormMixin
from grassroots.members import profile
from grassroots.members.models import EventKind, Gender, LeftReason, Member, Status
from grassroots.members.replay import format_gaps, gaps_display, parse_gaps
from grassroots.members.selectors import member_span_on, member_visible_to
from grassroots.members.services import DATES_AND_GAPS, PROFILE_FIELDS
from grassroots.organizations.selectors import organization_visible_to, scope_organization_ids
from grassroots.places.selectors import place_visible_to

#: Kinds that place the member in an organisation and a place (both required).
KINDS_WITH_ORGANIZATION = (
    EventKind.ADMITTED,
    EventKind.JOINED_OFFICIAL,
    EventKind.JOINED_PROBATIONARY,
)
#: Kinds an editor records through the lifecycle form (a cancellation has its own form).
LIFECYCLE_KINDS = tuple(kind for kind in EventKind.values if kind != EventKind.CANCELLED)


def _scoped(visible_to, user, lazy: bool) -> dict:
    """The field's scope: its queryset now, or (``lazy``) when a code is typed."""
    if lazy:
        return {"visible_to": visible_to, "user": user}
    return {"queryset": visible_to(user)}


def organization_field(user, lazy: bool = False, **kwargs) -> CodeChoiceField:
    kwargs.setdefault("help_text", "Gõ tên hoặc mã tổ chức đảng, ví dụ CB-V1.")
    return CodeChoiceField(
        **_scoped(organization_visible_to, user, lazy),
        picker="organizations:pick",
        label="Tổ chức đảng",
        not_found="Không tìm thấy tổ chức mã %(value)s trong phạm vi của bạn.",
        **kwargs,
    )


def member_field(user, label: str, required: bool = True, **kwargs) -> CodeChoiceField:
    """A member typed by code or found by name (the members picker)."""
    kwargs.setdefault("help_text", "Gõ tên hoặc mã đảng viên.")
    return CodeChoiceField(
        queryset=member_visible_to(user),
        picker="members:pick",
        label=label,
        required=required,
        not_found="Không tìm thấy đảng viên mã %(value)s trong phạm vi của bạn.",
        **kwargs,
    )


def place_field(user, lazy: bool = False, **kwargs) -> CodeChoiceField:
    kwargs.setdefault("help_text", "Gõ tên hoặc mã địa bàn, ví dụ V1.")
    return CodeChoiceField(
        **_scoped(place_visible_to, user, lazy),
        picker="places:pick",
        label="Địa bàn",
        not_found="Không tìm thấy địa bàn mã %(value)s trong phạm vi của bạn.",
        **kwargs,
    )


class MemberFilterForm(forms.Form):
    """The member list's filters (GET), named as ``selectors.member_list`` takes them.
    Organisation and place are codes visible to the user."""

    search = forms.CharField(label="Tìm theo tên hoặc mã", required=False)
    status = forms.ChoiceField(
        label="Loại đảng viên", choices=[("", "Tất cả"), *Status.choices], required=False
    )
    gender = forms.ChoiceField(
        label="Giới tính", choices=[("", "Tất cả"), *Gender.choices], required=False
    )
    ethnicity = forms.ChoiceField(label="Dân tộc", required=False)
    exempted = forms.ChoiceField(
        label="Miễn công tác và sinh hoạt",
        choices=[("", "Tất cả"), ("1", "Được miễn"), ("0", "Không miễn")],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ethnicity = self.fields["ethnicity"]
        assert isinstance(ethnicity, forms.ChoiceField)
        # The official list in its order (no query: the distinct values of a country's members
        # took minutes), and the values recorded outside it.
        ethnicity.choices = [
            ("", "Tất cả"),
            *((e, e) for e in profile.ETHNICITY_CHOICES),
            (profile.OTHER_ETHNICITY, "Khác (ngoài danh mục)"),
        ]
        # Scoped only when a code is typed: a blank filter costs nothing.
        self.fields["organization"] = organization_field(
            user, required=False, help_text="", lazy=True
        )
        self.fields["place"] = place_field(user, required=False, help_text="", lazy=True)

    def clean_exempted(self) -> bool | None:
        value = self.cleaned_data["exempted"]
        return None if value == "" else value == "1"


class MemberProfileForm(forms.Form):
    """The profile fields, labelled and validated as the model declares them. A plain form, not
    a ModelForm: the write goes through the member services, which compare old and new values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(Member, fields=(*PROFILE_FIELDS, "photo")))
        self.fields["birth_date"] = DateField(label="Ngày sinh")
        self.fields["admitted_on"] = DateField(
            label="Ngày vào Đảng",
            required=False,
            help_text="Theo quyết định kết nạp (Phiếu đảng viên); tuổi đảng tính từ ngày này.",
        )
        self.fields["confirmed_on"] = DateField(
            label="Ngày chính thức", required=False, help_text="Theo quyết định công nhận."
        )
        self.fields["youth_union_date"] = DateField(
            label="Ngày vào Đoàn TNCS Hồ Chí Minh", required=False
        )
        self.fields["earlier_gaps"] = forms.CharField(
            label="Gián đoạn sinh hoạt Đảng (trước khi có lịch sử)",
            required=False,
            max_length=400,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="Mỗi dòng một khoảng: ngày mất đảng tịch - ngày khôi phục, ví dụ "
            "01/03/2001 - 10/05/2003. Tuổi đảng trừ các khoảng này.",
        )
        self.order_fields([*PROFILE_FIELDS, *DATES_AND_GAPS])

    def clean_earlier_gaps(self) -> str:
        try:
            return format_gaps(parse_gaps(self.cleaned_data.get("earlier_gaps") or ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    @classmethod
    def initial_for(cls, member: Member) -> dict:
        initial = forms.model_to_dict(member, fields=(*PROFILE_FIELDS, *DATES_AND_GAPS, "photo"))
        return {**initial, "earlier_gaps": gaps_display(member.earlier_gaps)}

    def clean_photo(self):
        # The "clear" checkbox gives False; the model stores no photo as "".
        return self.cleaned_data.get("photo") or ""

    #: The fields a profile service takes.
    PROFILE = (*PROFILE_FIELDS, *DATES_AND_GAPS, "photo")

    @property
    def profile(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PROFILE}


class MemberEditForm(VersionedFormMixin, MemberProfileForm):
    """The profile of an existing member, with the version it was opened on."""


class MemberCreateForm(MemberProfileForm):
    """A new member's profile and the admission recorded at once. The admission is optional only
    for a user who sees everything: scope follows a member's history, so a bare profile would be
    outside any scoped user's reach."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = forms.CharField(label="Mã đảng viên", max_length=40)
        self.order_fields(["code", *PROFILE_FIELDS])
        required = scope_organization_ids(user) is not None
        self.fields["admitted_on"] = DateField(
            label="Ngày vào Đảng",
            required=required,
            help_text="Theo quyết định kết nạp; tuổi đảng tính từ ngày này."
            + ("" if required else " Để trống nếu chưa ghi nhận kết nạp."),
        )
        self.fields["joined_on"] = DateField(
            label="Ngày chuyển đến",
            required=False,
            help_text="Đảng viên vào Đảng ở nơi khác (hoặc trước khi tổ chức này được lập): "
            "ngày bắt đầu sinh hoạt tại tổ chức đảng dưới đây. Để trống nếu kết nạp tại đây.",
        )
        self.fields["organization"] = organization_field(user, required=required)
        self.fields["place"] = place_field(user, required=required)
        self.order_fields(["code", *PROFILE_FIELDS, "admitted_on", "confirmed_on", "joined_on"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        admission = [cleaned.get(n) for n in ("admitted_on", "organization", "place")]
        if any(admission) and not all(admission):
            raise forms.ValidationError(
                "Để ghi nhận ngay, cần nhập đủ ngày kết nạp (vào Đảng), tổ chức đảng và địa bàn."
            )
        joined, admitted = cleaned.get("joined_on"), cleaned.get("admitted_on")
        if joined and admitted and joined < admitted:
            self.add_error("joined_on", "Ngày chuyển đến không được trước ngày vào Đảng.")
        return cleaned

    def first_event(self) -> dict | None:
        """The member's first event: the admission in the chosen cell on ``admitted_on``, or —
        with ``joined_on`` — the arrival there (official when made official by then)."""
        data = self.cleaned_data
        if not data.get("admitted_on"):
            return None
        joined, confirmed = data.get("joined_on"), data.get("confirmed_on")
        if joined:
            official = confirmed is not None and confirmed <= joined
            kind = EventKind.JOINED_OFFICIAL if official else EventKind.JOINED_PROBATIONARY
            day = joined
        else:
            kind, day = EventKind.ADMITTED, data["admitted_on"]
        return {"kind": kind, "day": day, "organization": data["organization"],
                "place": data["place"]}  # fmt: skip


class MemberEventForm(forms.Form):
    """One lifecycle action: its date, and the organisation, place or reason the kind needs."""

    date = DateField(label="Ngày hiệu lực")
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, kind: str, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.member = member
        #: What the move does with the member's place, said after it is recorded.
        self.place_note = ""
        if kind in KINDS_WITH_ORGANIZATION:
            self.fields["organization"] = organization_field(user)
            self.fields["place"] = place_field(user)
        elif kind == EventKind.MOVED:
            self.fields["organization"] = organization_field(
                user, required=False, help_text="Để trống nếu không đổi."
            )
            self.fields["place"] = place_field(
                user,
                required=False,
                help_text="Để trống: địa bàn của tổ chức mới (khi đổi tổ chức), nếu không thì "
                "giữ nguyên.",
            )
            self.fields["keep_place"] = forms.BooleanField(
                label="Giữ địa bàn hiện tại khi đổi tổ chức",
                required=False,
                help_text="Chọn khi đảng viên vẫn ở địa bàn cũ dù sinh hoạt ở chi bộ khác.",
            )
        elif kind == EventKind.LEFT:
            self.fields["reason"] = forms.ChoiceField(label="Lý do", choices=LeftReason.choices)
        self.order_fields(["date", "organization", "place", "keep_place", "reason", "note"])

    def clean(self) -> dict[str, Any]:
        """A move to another organisation without a place takes the new organisation's place
        on the day (a cell in another village), unless ``keep_place``; ``place_note`` says
        which."""
        cleaned = super().clean() or self.cleaned_data
        if self.kind != EventKind.MOVED or self.member is None:
            return cleaned
        organization, day = cleaned.get("organization"), cleaned.get("date")
        if organization is None or cleaned.get("place") is not None or day is None:
            return cleaned

        span = member_span_on(member=self.member, day=day)
        version = organization.versions.valid_on(day).select_related("place").first()
        if span is None or version is None or version.place_id == span.place_id:
            return cleaned
        if cleaned.get("keep_place"):
            self.place_note = (
                f"Địa bàn giữ nguyên: {span.place} (khác địa bàn của {version.name}: "
                f"{version.place})."
            )
        else:
            cleaned["place"] = version.place
            self.place_note = (
                f"Địa bàn đổi theo tổ chức mới: {version.place} (trước đó: {span.place})."
            )
        return cleaned


class MemberEventCorrectForm(MemberEventForm):
    """Correct an event: the same kind with a new date, organisation, place or reason. Blank
    organisation or place keeps the event's own."""

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, user=user, kind=event.kind, **kwargs)
        for name in ("organization", "place"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = "Để trống nếu không đổi."


class MemberEventCancelForm(forms.Form):
    """Withdraw an event recorded by mistake."""

    note = forms.CharField(
        label="Lý do hủy",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Ví dụ: ghi nhầm người, ghi trùng.",
    )


class ProfileChangeForm(forms.Form):
    """A dated change of the member record (Phiếu bổ sung hồ sơ đảng viên, Mẫu 3-HSĐV)."""

    date = DateField(label="Ngày hiệu lực")
    field = forms.ChoiceField(label="Thông tin thay đổi")
    value = forms.CharField(label="Giá trị mới", max_length=300, required=False)
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from grassroots.members.profile import DATED_FIELDS, field_label

        self.fields["field"] = forms.ChoiceField(
            label="Thông tin thay đổi", choices=[(name, field_label(name)) for name in DATED_FIELDS]
        )
        self.order_fields(["date", "field", "value", "note"])
        codes = []
        for name, choices in DATED_FIELDS.items():
            if choices is not None:
                listed = ", ".join(f"{c.value} = {c.label}" for c in choices)
                codes.append(f"{field_label(name)}: {listed}")
        self.fields["value"].help_text = "Với thông tin có danh mục, nhập mã: " + "; ".join(codes)


class ProcedureForm(forms.Form):
    """A party badge awarded or a party card issued (Biểu 7-BTCTW)."""

    date = DateField(label="Ngày trao, ngày phát")
    number = forms.CharField(label="Số thẻ đảng viên, số quyết định", max_length=40, required=False)
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from grassroots import policy
        from grassroots.members.models import ProcedureKind

        self.fields["kind"] = forms.ChoiceField(label="Thủ tục", choices=ProcedureKind.choices)
        self.fields["badge_years"] = forms.TypedChoiceField(
            label="Huy hiệu (năm tuổi Đảng)",
            coerce=int,
            empty_value=None,
            required=False,
            choices=[("", "—")]
            + [(str(y), f"Huy hiệu {y} năm tuổi Đảng") for y in policy.get("BADGE_YEARS")],
        )
        self.order_fields(["date", "kind", "badge_years", "number", "note"])

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == "badge" and not data.get("badge_years"):
            self.add_error("badge_years", "Chọn mốc huy hiệu.")
        return data
