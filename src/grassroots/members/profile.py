"""The categories of the member record (Phiếu đảng viên, Mẫu 2-HSĐV) as the basic statistical
forms count them (Biểu 2-BTCTW, 3-BTCTW, 4-BTCTW of Hướng dẫn 11-HD/BTCTW), with their codes in
the interchange format (INTERCHANGE.md, "Version 2 additions")."""

from __future__ import annotations

from django.db import models


class OccupationGroup(models.TextChoices):
    """The 13 occupation groups of Biểu 2-BTCTW, plus retired (Biểu 3-BTCTW)."""

    STATE_OFFICIAL = "state_official", "Cán bộ, công chức nhà nước từ cấp huyện trở lên"
    PARTY_MASS = "party_mass", "Cán bộ Đảng, Mặt trận và đoàn thể"
    COMMUNE_OFFICIAL = (
        "commune_official",
        "Cán bộ, công chức và người hoạt động không chuyên trách cấp xã",
    )
    VILLAGE_PART_TIME = (
        "village_part_time",
        "Người hoạt động không chuyên trách ở thôn, bản, tổ dân phố",
    )
    PUBLIC_SERVICE = "public_service", "Viên chức đơn vị sự nghiệp công lập"
    NON_PUBLIC_SERVICE = (
        "non_public_service",
        "Người làm việc trong đơn vị sự nghiệp ngoài công lập",
    )
    ENTERPRISE = "enterprise", "Người quản lý, nhân viên, công nhân trong doanh nghiệp"
    AGRICULTURE = "agriculture", "Nông, lâm, ngư nghiệp"
    ARMED_FORCES = "armed_forces", "Lực lượng vũ trang"
    STUDENT = "student", "Sinh viên"
    PUPIL = "pupil", "Học sinh"
    PRIVATE_BUSINESS = "private_business", "Chủ doanh nghiệp, chủ hộ kinh doanh tư nhân"
    OTHER = "other", "Khác"
    RETIRED = "retired", "Nghỉ hưu, nghỉ mất sức"


class GeneralEducation(models.TextChoices):
    LITERATE = "literate", "Biết chữ"
    PRIMARY = "primary", "Tiểu học"
    LOWER_SECONDARY = "lower_secondary", "Trung học cơ sở"
    UPPER_SECONDARY = "upper_secondary", "Trung học phổ thông"


class SpecialistTraining(models.TextChoices):
    VOCATIONAL = "vocational", "Công nhân kỹ thuật, sơ cấp"
    INTERMEDIATE = "intermediate", "Trung cấp"
    COLLEGE = "college", "Cao đẳng"
    UNIVERSITY = "university", "Đại học"
    MASTER = "master", "Thạc sĩ"
    DOCTOR = "doctor", "Tiến sĩ"


class AcademicTitle(models.TextChoices):
    ASSOCIATE_PROFESSOR = "associate_professor", "Phó giáo sư"
    PROFESSOR = "professor", "Giáo sư"


class PoliticalTheory(models.TextChoices):
    ELEMENTARY = "elementary", "Sơ cấp"
    INTERMEDIATE = "intermediate", "Trung cấp"
    ADVANCED = "advanced", "Cao cấp, cử nhân"


#: The 54 ethnic groups of Viet Nam (Danh mục các dân tộc Việt Nam, Quyết định 121-TCTK/PPCĐ of
#: the General Statistics Office, 1979), in its order, and members of foreign origin.
ETHNIC_GROUPS: tuple[str, ...] = (
    "Kinh", "Tày", "Thái", "Hoa", "Khơ Me", "Mường", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ngái", "Ê Đê", "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra Glai", "Xtiêng", "Bru Vân Kiều", "Thổ", "Giáy", "Cơ Tu", "Gié Triêng", "Mạ", "Khơ Mú",
    "Co", "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha",
    "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y",
    "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
)  # fmt: skip
FOREIGN_ORIGIN = "Người nước ngoài"
ETHNICITY_CHOICES: tuple[str, ...] = (*ETHNIC_GROUPS, FOREIGN_ORIGIN)
#: The member list's filter value for an ethnicity recorded outside that list.
OTHER_ETHNICITY = "other"
#: "Ethnic minority" in the forms: ethnicity recorded and not this one.
MAJORITY = "Kinh"
#: "With a religion" in the forms: religion recorded and not this one.
NO_RELIGION = "Không"

#: The fields of the record whose changes are dated (Phiếu bổ sung hồ sơ đảng viên, Mẫu
#: 3-HSĐV): a form for a past day reads the value of that day. Field → its choices (None: text).
DATED_FIELDS: dict[str, type[models.TextChoices] | None] = {
    "occupation_group": OccupationGroup,
    "general_education": GeneralEducation,
    "specialist_training": SpecialistTraining,
    "academic_title": AcademicTitle,
    "political_theory": PoliticalTheory,
    "degree": None,
    "state_management": None,
    "foreign_language": None,
    "it_skill": None,
    "residence": None,
}

#: The coded fields of the record: field → its choices (checked by the import).
CODED_FIELDS: dict[str, type[models.TextChoices]] = {
    name: choices for name, choices in DATED_FIELDS.items() if choices is not None
}

#: The text and coded fields added to the profile (Mẫu 2-HSĐV), in the form's order; the
#: Youth Union date is one of the record's dates (``members.services.RECORD_DATE_FIELDS``).
RECORD_FIELDS: tuple[str, ...] = (
    "other_names",
    "residence",
    "occupation_group",
    "general_education",
    "specialist_training",
    "degree",
    "academic_title",
    "political_theory",
    "state_management",
    "foreign_language",
    "it_skill",
    "file_number",
)


#: (key, label, lowest age, first age above the band) in full years; None: open.
AGE_BANDS = (
    ("lt30", "Dưới 30 tuổi", None, 30),
    ("30-45", "Từ 30 đến 45 tuổi", 30, 46),
    ("46-60", "Từ 46 đến 60 tuổi", 46, 61),
    ("gt60", "Trên 60 tuổi", 61, None),
)
#: The same for party age (tuổi đảng), in full years of membership.
PARTY_AGE_BANDS = (
    ("lt10", "Dưới 10 năm", None, 10),
    ("10-19", "Từ 10 đến 19 năm", 10, 20),
    ("20-29", "Từ 20 đến 29 năm", 20, 30),
    ("ge30", "Từ 30 năm trở lên", 30, None),
)


def field_label(name: str) -> str:
    """The Vietnamese label of a field of the member record."""
    from grassroots.members.models import Member

    return str(getattr(Member._meta.get_field(name), "verbose_name", name))
