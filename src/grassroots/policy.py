"""Policy values from the Party Charter and its guidance, in one place, each with its source.

They are defaults (DOMAIN.md, "Rules"); a deployment may override any of them in Django settings
under ``GRASSROOTS_POLICY = {"ADMISSION_MIN_AGE_MONTHS": …}``. The limits of imports (``IMPORT_*``,
not the Charter's: the machine's) may also be set in the environment, ``GRASSROOTS_IMPORT_…``.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings

DEFAULTS = {
    # Điều lệ Đảng 2011, Điều 1; Quy định 294-QĐ/TW (2025): full 18 to full 60 years on the day the
    # cell considers the applicant, counted in months.
    "ADMISSION_MIN_AGE_MONTHS": 18 * 12,
    "ADMISSION_MAX_AGE_MONTHS": 60 * 12,
    # Điều lệ Đảng, Điều 5: probation lasts 12 months from the admission ceremony.
    "PROBATION_MONTHS": 12,
    # Quy định 294-QĐ/TW: the cell considers confirmation within 30 working days after probation.
    "CONFIRMATION_GRACE_WORKING_DAYS": 30,
    # Hướng dẫn 06-HD/TW (2025): a cell needs at least 3 official members.
    "CELL_MIN_OFFICIAL_MEMBERS": 3,
    # Điều lệ Đảng, Điều 21: ≥ 30 members → grassroots committee, < 30 → grassroots cell.
    "GRASSROOTS_COMMITTEE_MIN_MEMBERS": 30,
    # Điều lệ Đảng, Điều 24: a cell with 9 or more official members elects a cell committee.
    "CELL_COMMITTEE_MIN_OFFICIAL": 9,
    # Quy định 294-QĐ/TW: party badges at these party ages (years).
    "BADGE_YEARS": (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90),
    # Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW (2025): the awareness-course certificate (giấy chứng
    # nhận học lớp nhận thức về Đảng) is valid for 60 months.
    "AWARENESS_CERTIFICATE_MONTHS": 60,
    # Điều lệ Đảng, Điều 4; Hướng dẫn 06-HD/TW: the cell admits with at least 2/3 of its official
    # members voting for (numerator, denominator).
    "CELL_VOTE_SHARE": (2, 3),
    # Quy định 294-QĐ/TW: the deciding committee decides within 60 working days of the cell vote.
    "ADMISSION_DECISION_WORKING_DAYS": 60,
    # Hướng dẫn 06-HD/TW: the admission ceremony within 30 working days of the decision.
    "ADMISSION_CEREMONY_WORKING_DAYS": 30,
    # Điều lệ Đảng, Điều 4: a sponsor has worked, studied or lived with the applicant for at least
    # 12 months in the same grassroots organisation.
    "SPONSOR_MIN_MONTHS": 12,
    # Điều lệ Đảng, Điều 4: a Youth Union member under 30 is sponsored by the grassroots Youth
    # Union committee and one official member.
    "YOUTH_MAX_AGE_MONTHS": 30 * 12,
    # Quy định 366-QĐ/TW (2025), the 100-point rating scale: ≥ 90 excellent, 70–<90 good,
    # 50–<70 completed, < 50 not completed.
    "RATING_SCORE_EXCELLENT_MIN": 90,
    "RATING_SCORE_GOOD_MIN": 70,
    "RATING_SCORE_COMPLETED_MIN": 50,
    # Quy định 124-QĐ/TW (2023): "excellent" may not exceed 20% of "good" within a group of
    # similar units (checked as a warning).
    "RATING_EXCELLENT_QUOTA_PERCENT": 20,
    # Not the Charter's: the figures' honesty (docs/ratings.md, "Coverage"). No trend of the
    # good-or-better share is claimed unless, in both years compared, at least this share (in
    # percent) of the organisations (or members) to rate has been rated.
    "RATING_TREND_MIN_COVERAGE_PERCENT": 80,
    # Allowed parent kinds per kind (the hierarchy rules, checked by the services and the import).
    # Places — Hiến pháp 2013, Điều 110; Luật Tổ chức chính quyền địa phương 2015, Điều 2: province
    # ⊃ district ⊃ commune; Nghị quyết 202/2025/QH15 and Luật Tổ chức chính quyền địa phương 2025:
    # from 1 July 2025 communes lie directly in provinces; Thông tư 05/2022/TT-BNV: villages and
    # residential groups lie in a commune; schools, health stations, agencies and enterprises in
    # the unit that manages them. A kind missing here may lie anywhere; () means top level only.
    "PLACE_PARENT_KINDS": {
        # at the top, or in a place of kind ``other`` standing for the whole country (a
        # national registry: the country's committee is attached to it)
        "province": ("other",),
        "district": ("province",),
        "commune": ("district", "province"),
        "village": ("commune",),
        "residential_group": ("commune",),
        "school": ("commune", "district", "province"),
        "health_station": ("commune", "district"),
        "agency": ("commune", "district", "province"),
        "enterprise": ("commune", "district", "province"),
    },
    # Organisations — Điều lệ Đảng, Điều 11 and Điều 21–24: a committee (cấp trên cơ sở) lies in a
    # committee; grassroots committees and grassroots cells in a committee; cells in a grassroots
    # committee; party groups (tổ đảng) in a cell or a grassroots cell. Quy định 294-QĐ/TW (2025):
    # a commune committee directs the grassroots cells of its commune (schools, health stations).
    "ORGANIZATION_PARENT_KINDS": {
        "committee": ("committee",),
        "grassroots_committee": ("committee",),
        "grassroots_cell": ("committee", "grassroots_committee"),
        "cell": ("grassroots_committee",),
        "party_group": ("cell", "grassroots_cell"),
    },
    # Limits of imports (docs/interchange.md, "Limits"): what one upload or package may cost the
    # machine. Refused past them, before any work, with a Vietnamese message.
    # An uploaded file (web): bytes.
    "IMPORT_MAX_UPLOAD_BYTES": 100 * 1024 * 1024,
    # All the files of a .zip (or the parts of an .xlsx) once decompressed: bytes.
    "IMPORT_MAX_UNPACKED_BYTES": 1024 * 1024 * 1024,
    # Decompressed size / compressed size of one file of a .zip (CSV compresses 5–20 times).
    "IMPORT_MAX_RATIO": 100,
    # Rows of one CSV file (streamed: the national registry is a few million rows per file).
    "IMPORT_MAX_ROWS": 5_000_000,
    # Rows of one sheet of an .xlsx (a workbook's sheet is held in memory while it is read).
    "IMPORT_MAX_SHEET_ROWS": 100_000,
    # An upload that decompresses to more than this many bytes runs on the queue of large
    # imports, so that small ones do not wait behind it (scripts/serve.py starts one worker per
    # queue). A commune's package is well under 1 MB.
    "IMPORT_LARGE_BYTES": 10 * 1024 * 1024,
    # Uploaded files are deleted when their job ends; a file left behind (a job that never ran)
    # is deleted after this many days.
    "IMPORT_KEEP_DAYS": 7,
}


def get(name: str) -> Any:
    """A policy value: the deployment's override or the default above."""
    overrides = getattr(settings, "GRASSROOTS_POLICY", {})
    if name in overrides:
        return overrides[name]
    if name.startswith("IMPORT_") and (value := os.environ.get(f"GRASSROOTS_{name}")):
        return int(value)
    return DEFAULTS[name]


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months; the 31st becomes the month's last day when needed."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def age_in_months(birth: date, on: date) -> int:
    """Completed months of age on ``on``."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if on.day < birth.day:
        months -= 1
    return months


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=[year]).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Vietnamese public holiday (lunar ones included)."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The date ``count`` working days after ``day``."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


# --- Documents, action programmes and tasks (resolutions app) ------------------------------------
DEFAULTS.update(
    {
        # Hướng dẫn 36-HD/VPTW (3/4/2018), Điều 8: documents are numbered from 01 per type within
        # one committee term, which runs from the day after one congress closes to the close of
        # the next. With no term recorded for the issuing organisation, these are the term starts
        # assumed (the day after the provincial and district congresses of each round closed: the
        # 2010, 2015 and 2020 rounds ended by October; Chỉ thị 35-CT/TW (2024) for the 2025 round).
        "DOCUMENT_DEFAULT_TERM_STARTS": (
            date(2005, 11, 1),
            date(2010, 11, 1),
            date(2015, 11, 1),
            date(2020, 11, 1),
            date(2025, 11, 1),
        ),
        # Not the guidance's: the machine's. A document's file (PDF or DOCX) may be this large.
        "DOCUMENT_MAX_FILE_BYTES": 20 * 1024 * 1024,
        # A task report's attachment (PDF, DOCX, XLSX, JPEG or PNG) may be this large.
        "TASK_ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
        # Not the guidance's: how far ahead the home page warns of a task's deadline (days).
        "TASK_DUE_SOON_DAYS": 14,
    }
)


# --- Cadres (cadres app) -------------------------------------------------------------------------
# Succession planning: Quy định 377-QĐ/TW (8/10/2025), which replaced 50-QĐ/TW; age at a congress:
# Chỉ thị 45-CT/TW (14/4/2025); retirement age: Bộ luật Lao động 2019 art. 169 and Nghị định
# 135/2020/NĐ-CP; rotation: Quy định 65-QĐ/TW (2022). DOMAIN.md, "Cadres".
DEFAULTS.update(
    {
        # At most this many people planned for one position (377-QĐ/TW).
        "CADRES_PLAN_MAX_PER_POSITION": 3,
        # One person planned for at most this many positions of the same level (377-QĐ/TW).
        "CADRES_PLAN_MAX_POSITIONS_PER_PERSON": 3,
        # Months a newcomer to the committee must be able to serve before retirement age: one
        # full term (Chỉ thị 45-CT/TW).
        "CADRES_FIRST_TERM_MONTHS": 60,
        # Months someone re-elected must be able to serve before retirement age (45-CT/TW).
        "CADRES_REELECTED_MONTHS": 48,
        # Retirement-age roadmap (Labour Code 2019 art. 169, Nghị định 135/2020): before 2021
        # men 60 years, women 55; from START_YEAR men 60y3m and women 55y4m, rising by STEP
        # months a year to the final ages.
        "CADRES_RETIREMENT_START_YEAR": 2021,
        "CADRES_RETIREMENT_MEN": {"base": 720, "first": 723, "step": 3, "final": 744},
        "CADRES_RETIREMENT_WOMEN": {"base": 660, "first": 664, "step": 4, "final": 720},
        # Young cadre: under this age at the day counted (50-QĐ/TW: under 40 at province and
        # district level; configurable).
        "CADRES_YOUNG_AGE": 40,
        # Targets of the plan's shares in percent (50-QĐ/TW: women at least 25%, young at least
        # 15%); ethnic minorities: "hợp lý" without a number — None reports the share only.
        "CADRES_PLAN_WOMEN_MIN_PERCENT": 25,
        "CADRES_PLAN_YOUNG_MIN_PERCENT": 15,
        "CADRES_PLAN_ETHNIC_MINORITY_MIN_PERCENT": None,
        # Rotations whose planned end falls within this many days are "due to return".
        "CADRES_RETURN_NOTICE_DAYS": 90,
    }
)


# --- Inspection, supervision and discipline (issue 15) -----------------------------------------
# Quy định 296-QĐ/TW (30/5/2025) về công tác kiểm tra, giám sát và kỷ luật của Đảng.
DEFAULTS.update(
    {
        # Quy định 296-QĐ/TW: a discipline decision needs more than half of the voting members of
        # the deciding body: votes_for * DENOMINATOR > total * NUMERATOR (strictly).
        "DISCIPLINE_VOTE_MAJORITY": (1, 2),
        # Quy định 296-QĐ/TW: expulsion needs at least two thirds: votes_for * 3 >= total * 2.
        "DISCIPLINE_EXPULSION_VOTE": (2, 3),
        # Quy định 296-QĐ/TW (thời hiệu xử lý kỷ luật), counted from the violation: 5 years for
        # what warrants a reprimand, 10 years for a warning or dismissal from post; none (None)
        # for what warrants expulsion or dissolution.
        "DISCIPLINE_LIMITATION_YEARS": {
            "reprimand": 5,
            "warning": 10,
            "dismissal": 10,
            "expulsion": None,
            "dissolution": None,
        },
    }
)


# --- Reports sent upward and the statistical forms (reports app) -------------------------------
DEFAULTS.update(
    {
        # Điều lệ Đoàn TNCS Hồ Chí Minh: Youth Union members are 16 to 30 years old; the forms
        # (Biểu 2-BTCTW, 3-BTCTW) count as Youth Union members those up to 30 with a Youth Union
        # admission date.
        "YOUTH_UNION_MAX_AGE": 30,
        # Hướng dẫn 12-HD/BTCTW (2012) on the basic statistical forms: forms are made for the
        # first six months and for the year.
        "REPORT_PERIODS": ("H1", "year"),
        # Hướng dẫn 12-HD/BTCTW (2012): districts send within 20 days and provinces within 30 days
        # after the period ends. Grassroots organisations: not in the guidance — the project's
        # default, 10 days, so that the district can sum its units before its own deadline.
        "REPORT_DEADLINE_DAYS": {"grassroots": 10, "district": 20, "province": 30},
    }
)


# --- Cell life: meetings and party fees (grassroots.cells) --------------------------------------
DEFAULTS.update(
    {
        # Quy định 01-QĐ/TW (2/2026) on party fees, as summarised in DOMAIN.md ("Rules" → Party
        # fee): 1% of the social-insurance salary, 0.5% of the pension, students 5,000 đ a month.
        # Rates are fractions (numerator, denominator) so that the arithmetic stays in integers.
        "FEE_RATE_SALARY": (1, 100),
        "FEE_RATE_PENSION": (5, 1000),
        "FEE_STUDENT_MONTHLY": 5_000,
        # Rounding of a computed fee (the text summarised above states none; this is the
        # project's rule, kept here so that a deployment can change it): the nearest multiple
        # of FEE_ROUNDING_UNIT đồng, an exact half rounded up (a fee of 1,500 đ → 2,000 đ,
        # 1,499 đ → 1,000 đ). A unit of 1 keeps whole đồng (fractions of a đồng: half up).
        "FEE_ROUNDING_UNIT": 1_000,
        # Điều lệ Đảng 2011, Điều 8 and its guidance (removal cases, DOMAIN.md "Rules" →
        # Removal): a member who misses meetings, or does not pay the fee, for this many months
        # in a year without reason is a removal case (listed on the checks page, not acted on).
        "REMOVAL_ABSENT_MONTHS": 3,
        "REMOVAL_UNPAID_MONTHS": 3,
    }
)
# --- News (grassroots.news) ------------------------------------------------------------------
# The project's own choices for the public news page (no regulation sets them); see docs/news.md.

#: A reader's comments from one address: at most this many in NEWS_COMMENT_WINDOW_MINUTES
#: (anti-flood; a household shares an address, so a few are allowed).
NEWS_COMMENTS_PER_ADDRESS = 3
NEWS_COMMENT_WINDOW_MINUTES = 10
#: Articles per category on the news home, per page of a category and of the search.
NEWS_HOME_PER_CATEGORY = 4
NEWS_PER_PAGE = 20
#: Related articles under an article (the seed shows four).
NEWS_RELATED = 4
#: Articles in the RSS feed.
NEWS_FEED_ITEMS = 30
#: The width of an article photo's rendition: twice a 390 px phone screen.
NEWS_IMAGE_WIDTH = 780
#: The budget of an article page with its assets, before images (DESIGN.md: slow mobile links).
NEWS_PAGE_BUDGET_BYTES = 150 * 1024
