"""The short Vietnamese summary of a form, in the register of the seed's paragraphs ("Toàn Đảng
bộ có 1.663 đảng viên, trong đó 606 đảng viên nữ (36,4%) …"), from fixed templates filled with
the form's own numbers — nothing else is said."""

from __future__ import annotations

from grassroots.core.temporal import parse_date
from grassroots.core.text import format_date, format_number, format_percent
from grassroots.reports.labels import unit_label


def _n(value: int | float) -> str:
    return format_number(value)


def _share(part: int, total: int) -> str:
    return format_percent(part * 100 / total) if total else "0%"


def narrative(name: str, result: dict, *, period_text: str) -> str:
    if name == "form3":
        total = result["total"]
        return (
            f"Đến cuối {period_text}, toàn Đảng bộ có {_n(total)} đảng viên, trong đó "
            f"{_n(result['women'])} đảng viên nữ ({_share(result['women'], total)}), "
            f"{_n(result['probationary'])} đảng viên dự bị, {_n(result['ethnic_minority'])} đảng "
            f"viên người dân tộc thiểu số ({_share(result['ethnic_minority'], total)}); tuổi bình "
            f"quân {format_number(result['mean_age'], 1)}."
        )
    if name == "form4":
        total = result["total"]
        minority, religious = result["ethnic_minority"], result["religious"]
        groups = sum(1 for k, pair in result["ethnicity"].items() if pair["total"] and k != "other")
        return (
            f"Đến ngày {format_date(parse_date(result['as_of']))}, toàn Đảng bộ có {_n(total)} đảng "
            f"viên thuộc {_n(groups)} dân tộc; {_n(minority['total'])} đảng viên người dân tộc "
            f"thiểu số ({_share(minority['total'], total)}), trong đó {_n(minority['women'])} nữ; "
            f"{_n(religious['total'])} đảng viên có đạo ({_share(religious['total'], total)}), "
            f"trong đó {_n(religious['women'])} nữ."
        )
    if name == "form5":
        units = [
            (unit, numbers)
            for unit, numbers in result["by_unit_type"].items()
            if numbers["grassroots_committees"] + numbers["grassroots_cells"]
        ]
        units.sort(
            key=lambda item: -(item[1]["grassroots_committees"] + item[1]["grassroots_cells"])
        )
        grassroots = result["grassroots_committees"] + result["grassroots_cells"]
        largest = ""
        if units:
            unit, numbers = units[0]
            count = numbers["grassroots_committees"] + numbers["grassroots_cells"]
            largest = f"; nhiều nhất là loại hình “{unit_label(unit)}” ({_n(count)} tổ chức)"
        return (
            f"Đến ngày {format_date(parse_date(result['as_of']))}, toàn Đảng bộ có "
            f"{_n(grassroots)} tổ chức cơ sở đảng ({_n(result['grassroots_committees'])} đảng "
            f"bộ cơ sở, {_n(result['grassroots_cells'])} chi bộ cơ sở) với "
            f"{_n(result['cells'])} chi bộ trực thuộc và {_n(result['members'])} đảng viên"
            f"{largest}."
        )
    if name == "form7":
        transfers = result["transfers"]
        return (
            f"Trong {period_text}, toàn Đảng bộ trao tặng {_n(sum(result['badges'].values()))} "
            f"Huy hiệu Đảng, phát {_n(result['cards'])} thẻ đảng viên; chuyển đến "
            f"{_n(transfers['transferred_in'])} đảng viên, chuyển đi "
            f"{_n(transfers['transferred_out'])} đảng viên."
        )
    if name == "form2":
        total = result["total"]
        return (
            f"Trong {period_text}, toàn Đảng bộ kết nạp {_n(total)} đảng viên, trong đó "
            f"{_n(result['women'])} đảng viên nữ ({_share(result['women'], total)}), "
            f"{_n(result['ethnic_minority'])} đảng viên người dân tộc thiểu số, "
            f"{_n(result['youth_union'])} đoàn viên thanh niên; tuổi bình quân khi kết nạp "
            f"{format_number(result['mean_age'], 1)}."
        )
    increase, decrease = result["increase"], result["decrease"]
    return (
        f"Đầu {period_text} toàn Đảng bộ có {_n(result['start'])} đảng viên; trong kỳ kết nạp "
        f"{_n(increase['admitted'])} đảng viên, chuyển đến {_n(increase['transferred_in'])}, "
        f"giảm {_n(sum(decrease.values()))} đảng viên (từ trần {_n(decrease['died'])}, chuyển đi "
        f"{_n(decrease['transferred_out'])}); cuối kỳ có {_n(result['end'])} đảng viên."
    )
