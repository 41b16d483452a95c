"""The rows of the official forms as printed (Vietnamese labels, numbering, indentation) and
the definitions shown on the "Cách tính" page. A row is ``(number, label, path, level)``:
``path`` is the number's path in the form's JSON object (None: a heading without a number)."""

from __future__ import annotations

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
ROWS: dict[str, list[Row]] = {"form1": FORM1_ROWS, "form2": FORM2_ROWS, "form3": FORM3_ROWS}
TITLES = {
    "form1": ("1-BTCTW", "BÁO CÁO TĂNG, GIẢM ĐẢNG VIÊN"),
    "form2": ("2-BTCTW", "BÁO CÁO ĐẢNG VIÊN MỚI KẾT NẠP"),
    "form3": ("3-BTCTW", "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN"),
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
}


def title(form: str, path: str) -> str:
    """The Vietnamese name of the number at ``path`` of ``form``."""
    for _number, label, row_path, _level in ROWS.get(form, []):
        if row_path == path:
            return (
                label.removeprefix("Trong đó: ").capitalize()
                if label.startswith("Trong đó")
                else label
            )
    return TITLES.get(form, ("", "Báo cáo"))[1].capitalize()
