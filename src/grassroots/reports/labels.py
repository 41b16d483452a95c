"""The rows of the official forms as printed (Vietnamese labels, numbering, indentation) and
the definitions shown on the "Cách tính" page. A row is ``(number, label, path, level)``:
``path`` is the number's path in the form's JSON object (None: a heading without a number)."""

from __future__ import annotations

from grassroots import policy
from grassroots.core.text import fold
from grassroots.members import profile
from grassroots.organizations.models import UnitType
from grassroots.reports import official

Row = tuple[str, str, str | None, int]

FORM1_ROWS: list[Row] = [
    ("A", "Tổng số đảng viên đầu kỳ", "start", 0),
    ("B", "Đảng viên tăng trong kỳ", "increase", 0),
    ("1", "Kết nạp", "increase.admitted", 1),
    ("2", "Chuyển đến", "increase.transferred_in", 1),
    ("3", "Phục hồi đảng tịch", "increase.restored", 1),
    ("4", "Do sắp xếp, điều chỉnh tổ chức đảng", "increase.reorganised_in", 1),
    ("C", "Đảng viên giảm trong kỳ", "decrease", 0),
    ("1", "Từ trần", "decrease.died", 1),
    ("2", "Khai trừ", "decrease.expelled", 1),
    ("3", "Xóa tên", "decrease.removed", 1),
    ("", "Trong đó: đảng viên dự bị", "of_which.removed_probationary", 2),
    ("4", "Xin ra khỏi Đảng", "decrease.resigned", 1),
    ("5", "Chuyển đi", "decrease.transferred_out", 1),
    ("6", "Do sắp xếp, điều chỉnh tổ chức đảng", "decrease.reorganised_out", 1),
    ("D", "Tổng số đảng viên cuối kỳ (A + B − C)", "end", 0),
]

AGE_LABELS = {
    "18-30": "Từ 18 đến 30 tuổi",
    "31-35": "Từ 31 đến 35 tuổi",
    "36-40": "Từ 36 đến 40 tuổi",
    "41-45": "Từ 41 đến 45 tuổi",
    "46-50": "Từ 46 đến 50 tuổi",
    "51-55": "Từ 51 đến 55 tuổi",
    "56-60": "Từ 56 đến 60 tuổi",
    "over_60": "Trên 60 tuổi",
}
ERA_LABELS = {
    "before_1945_08_19": "Trước 19/8/1945",
    "1945_08_19_to_1954_07_20": "Từ 19/8/1945 đến 20/7/1954",
    "1954_07_21_to_1975_04_30": "Từ 21/7/1954 đến 30/4/1975",
    "from_1975_05_01": "Từ 01/5/1975 trở đi",
}
FLAG_LABELS = {
    "women": "Đảng viên nữ",
    "probationary": "Đảng viên dự bị",
    "ethnic_minority": "Đảng viên người dân tộc thiểu số",
    "religious": "Đảng viên có đạo",
    "youth_union": "Đoàn viên Đoàn TNCS Hồ Chí Minh",
}
SECTION_LABELS = {
    "occupation": "Chia theo nghề nghiệp",
    "general_education": "Trình độ giáo dục phổ thông",
    "specialist_training": "Trình độ chuyên môn, nghiệp vụ",
    "academic_title": "Học hàm",
    "political_theory": "Trình độ lý luận chính trị",
}


def _profile_rows(total_label: str, *, with_status: bool, with_era: bool) -> list[Row]:
    rows: list[Row] = [("1", total_label, "total", 0)]
    for flag, label in FLAG_LABELS.items():
        if with_status or flag != "probationary":
            rows.append(("", f"Trong đó: {label.lower()}", flag, 1))
    rows.append(("2", "Chia theo độ tuổi", None, 0))
    rows += [("", label, f"age.{key}", 1) for key, label in AGE_LABELS.items()]
    rows.append(("", "Tuổi bình quân", "mean_age", 1))
    number = 3
    for name, (_field, choices) in official.BREAKDOWNS.items():
        rows.append((str(number), SECTION_LABELS[name], None, 0))
        rows += [("", str(choice.label), f"{name}.{choice.value}", 1) for choice in choices]
        number += 1
    if with_era:
        rows.append((str(number), "Chia theo thời gian vào Đảng", None, 0))
        rows += [("", label, f"admitted_era.{key}", 1) for key, label in ERA_LABELS.items()]
    return rows


FORM2_ROWS = _profile_rows("Tổng số đảng viên mới kết nạp", with_status=False, with_era=False)
FORM3_ROWS = _profile_rows("Tổng số đảng viên", with_status=True, with_era=True)


def _group_label(section: str, key: str) -> str:
    if section == "ethnicity":
        return (
            "Dân tộc khác (ngoài danh mục)" if key == official.OTHER_ETHNICITY else f"Dân tộc {key}"
        )
    return key


def _women_label(section: str, key: str) -> str:
    group = _group_label(section, key)
    return f"Trong đó: nữ, {group[0].lower()}{group[1:]}"


UNIT_COUNT_LABELS = {
    "grassroots_committees": "đảng bộ cơ sở",
    "grassroots_cells": "chi bộ cơ sở",
    "cells": "chi bộ trực thuộc đảng ủy cơ sở",
    "members": "đảng viên",
}


def unit_label(unit: str) -> str:
    if unit == official.UNSPECIFIED:
        return "Chưa ghi loại hình đơn vị"
    return str(UnitType(unit).label)


def _form5_rows(*results: dict) -> list[Row]:
    """5-BTCTW: the totals, then each type of unit that has a grassroots organisation in one
    of ``results`` (this period, last year), with its four numbers."""
    rows: list[Row] = [("1", "Tổng số", None, 0)]
    rows += [("", f"Tổng số {label}", key, 1) for key, label in UNIT_COUNT_LABELS.items()]
    rows.append(("2", "Chia theo loại hình đơn vị", None, 0))
    for unit in official.unit_types():
        if not any(
            (r.get("by_unit_type") or {}).get(unit, {}).get(k)
            for r in results
            for k in ("grassroots_committees", "grassroots_cells")
        ):
            continue
        name = unit_label(unit)
        rows.append(("", name, None, 1))
        rows += [
            ("", f"{name}: {label}", f"by_unit_type.{unit}.{key}", 2)
            for key, label in UNIT_COUNT_LABELS.items()
        ]
    return rows


def _form7_rows() -> list[Row]:
    """7-BTCTW: one row per badge milestone of the policy (``BADGE_YEARS``)."""
    return [
        ("1", "Trao tặng Huy hiệu Đảng", "badges", 0),
        *[
            ("", f"Huy hiệu {years} năm tuổi Đảng", f"badges.{years}", 1)
            for years in policy.get("BADGE_YEARS")
        ],
        ("2", "Phát thẻ đảng viên", "cards", 0),
        ("3", "Chuyển sinh hoạt đảng chính thức", None, 0),
        ("", "Chuyển đến", "transfers.transferred_in", 1),
        ("", "Chuyển đi", "transfers.transferred_out", 1),
    ]


FORM4_HEAD: list[Row] = [
    ("1", "Tổng số đảng viên", "total", 0),
    ("", "Trong đó: đảng viên nữ", "women", 1),
    ("2", "Đảng viên người dân tộc thiểu số", "ethnic_minority.total", 0),
    ("", "Trong đó: nữ người dân tộc thiểu số", "ethnic_minority.women", 1),
    ("3", "Đảng viên có đạo", "religious.total", 0),
    ("", "Trong đó: nữ có đạo", "religious.women", 1),
]


def _form4_rows(*results: dict) -> list[Row]:
    """4-BTCTW: the totals, then one row (and its women) per ethnicity and per religion that
    has members in one of ``results`` (this period, last year); Kinh always."""
    rows = list(FORM4_HEAD)
    for number, section, heading in (
        ("4", "ethnicity", "Chia theo dân tộc"),
        ("5", "religion", "Chia theo tôn giáo"),
    ):
        rows.append((number, heading, None, 0))
        keys: list[str] = []
        for result in results:
            for key, pair in (result.get(section) or {}).items():
                shown = pair.get("total") or (section == "ethnicity" and key == profile.MAJORITY)
                if shown and key not in keys:
                    keys.append(key)
        if section == "ethnicity":
            order = [*profile.ETHNICITY_CHOICES, official.OTHER_ETHNICITY]
            keys.sort(key=lambda k: order.index(k) if k in order else len(order))
        else:
            keys.sort(key=fold)
        for key in keys:
            rows.append(("", _group_label(section, key), f"{section}.{key}.total", 1))
            rows.append(("", _women_label(section, key), f"{section}.{key}.women", 2))
    return rows


ROWS: dict[str, list[Row]] = {
    "form1": FORM1_ROWS,
    "form2": FORM2_ROWS,
    "form3": FORM3_ROWS,
    "form4": FORM4_HEAD,
}


def rows(name: str, result: dict, before: dict) -> list[Row]:
    """The rows of form ``name`` as printed for ``result`` (and last year's ``before``)."""
    if name == "form4":
        return _form4_rows(result, before)
    if name == "form5":
        return _form5_rows(result, before)
    if name == "form7":
        return _form7_rows()
    return ROWS[name]


TITLES = {
    "form1": ("1-BTCTW", "BÁO CÁO TĂNG, GIẢM ĐẢNG VIÊN"),
    "form2": ("2-BTCTW", "BÁO CÁO ĐẢNG VIÊN MỚI KẾT NẠP"),
    "form3": ("3-BTCTW", "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN"),
    "form4": ("4-BTCTW", "BÁO CÁO ĐẢNG VIÊN LÀ NGƯỜI DÂN TỘC THIỂU SỐ, CÓ ĐẠO"),
    "form5": ("5-BTCTW", "BÁO CÁO TỔ CHỨC CƠ SỞ ĐẢNG VÀ ĐẢNG VIÊN THEO LOẠI HÌNH ĐƠN VỊ"),
    "form7": ("7-BTCTW", "BÁO CÁO THỰC HIỆN MỘT SỐ THỦ TỤC ĐỐI VỚI ĐẢNG VIÊN"),
}

DEFINITIONS = {
    "form1": (
        "Biểu số 1-BTCTW (Hướng dẫn 11-HD/BTCTW), kỳ từ ngày D1 đến ngày D2 (kể cả hai ngày). "
        "A: đảng viên (dự bị hoặc chính thức) thuộc Đảng bộ O vào ngày D1 − 1. B, C: các sự kiện "
        "có hiệu lực trong kỳ, xét theo Đảng bộ O vào ngày của sự kiện — kết nạp; chuyển đến (từ "
        "ngoài dữ liệu hoặc từ tổ chức ngoài O); phục hồi đảng tịch (chuyển đến sau khi đã bị khai "
        "trừ hoặc xóa tên); từ trần; khai trừ; xóa tên (kể cả không được công nhận chính thức); xin "
        "ra khỏi Đảng; chuyển đi. Do sắp xếp tổ chức: đảng viên vào hoặc ra khỏi O không do sự kiện "
        "của mình mà do tổ chức đảng của họ được điều chỉnh. D: đảng viên thuộc O vào ngày D2. "
        "Luôn có A + B − C = D."
    ),
    "form2": (
        "Biểu số 2-BTCTW: đảng viên được kết nạp trong kỳ vào một tổ chức thuộc Đảng bộ O vào ngày "
        "kết nạp (như chỉ tiêu kết nạp). Tuổi tính tròn năm vào ngày kết nạp; nghề nghiệp, trình độ "
        "là thông tin có hiệu lực vào ngày kết nạp. Dân tộc thiểu số: dân tộc đã ghi và khác Kinh."
    ),
    "form3": (
        "Biểu số 3-BTCTW: đảng viên (dự bị hoặc chính thức) thuộc Đảng bộ O vào ngày D. Tuổi tính "
        "tròn năm vào ngày D (nhóm 18–30 gồm mọi người đến 30 tuổi); nghề nghiệp, trình độ, lý "
        "luận chính trị là thông tin có hiệu lực vào ngày D (phiếu bổ sung hồ sơ, Mẫu 3-HSĐV). "
        "Thông tin chưa ghi không được tính vào nhóm nào."
    ),
    "form4": (
        "Biểu số 4-BTCTW: đảng viên (dự bị hoặc chính thức) thuộc Đảng bộ O vào ngày D, chia theo "
        "dân tộc (54 dân tộc theo danh mục của Tổng cục Thống kê và người nước ngoài; giá trị "
        'ngoài danh mục vào dòng "khác") và theo tôn giáo (mỗi tôn giáo đã ghi, trừ "Không"); '
        "mỗi nhóm kèm số đảng viên nữ. Dân tộc thiểu số: dân tộc đã ghi và khác Kinh; có đạo: tôn "
        'giáo đã ghi và khác "Không". Dân tộc, tôn giáo là thông tin hiện ghi trong hồ sơ (không '
        "thay đổi theo ngày). Thông tin chưa ghi không được tính vào nhóm nào."
    ),
    "form5": (
        "Biểu số 5-BTCTW: các tổ chức cơ sở đảng (đảng bộ cơ sở, chi bộ cơ sở) có hiệu lực vào "
        "ngày D thuộc Đảng bộ O, chia theo loại hình đơn vị ghi ở phiên bản của tổ chức vào ngày "
        "D (xã, phường, thị trấn; cơ quan; đơn vị sự nghiệp; quân đội; công an; doanh nghiệp theo "
        "sở hữu; hợp tác xã; khác); với mỗi loại hình: số chi bộ trực thuộc các đảng bộ cơ sở đó "
        "và số đảng viên (dự bị hoặc chính thức) thuộc các tổ chức cơ sở đảng đó vào ngày D."
    ),
    "form7": (
        "Biểu số 7-BTCTW, kỳ từ ngày D1 đến ngày D2 (kể cả hai ngày): huy hiệu Đảng đã trao (theo "
        "mốc năm tuổi Đảng) và thẻ đảng viên đã phát trong kỳ cho đảng viên thuộc Đảng bộ O vào "
        "ngày trao, ngày phát; chuyển đến, chuyển đi: như Biểu 1-BTCTW (chuyển đến từ ngoài dữ "
        "liệu hoặc từ tổ chức ngoài O; chuyển đi ra ngoài dữ liệu hoặc sang tổ chức ngoài O)."
    ),
}


def title(form: str, path: str) -> str:
    """The Vietnamese name of the number at ``path`` of ``form``."""
    if form == "form5" and path.count(".") == 2:
        _section, unit, key = path.split(".")
        return f"{unit_label(unit)}: {UNIT_COUNT_LABELS.get(key, key)}"
    if form == "form5" and path in UNIT_COUNT_LABELS:
        return f"Tổng số {UNIT_COUNT_LABELS[path]}"
    if form == "form4" and path.count(".") == 2:
        section, key, sex = path.split(".")
        label = _women_label(section, key) if sex == "women" else _group_label(section, key)
        label = label.removeprefix("Trong đó: ")
        return label[0].upper() + label[1:]
    for _number, label, row_path, _level in ROWS.get(
        form, _form7_rows() if form == "form7" else []
    ):
        if row_path == path:
            return (
                label.removeprefix("Trong đó: ").capitalize()
                if label.startswith("Trong đó")
                else label
            )
    return TITLES.get(form, ("", "Báo cáo"))[1].capitalize()
