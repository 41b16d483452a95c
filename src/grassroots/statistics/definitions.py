"""Vietnamese names and definitions ("cách tính") of the statistics figures, for their
declarations in the figure registry (:mod:`grassroots.statistics.figures`) and the definitions
page. The exact definitions are in DOMAIN.md and in the docstrings of the figure functions;
these say the same for users."""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.members.models import Gender, LeftReason
from grassroots.statistics.selectors import AGE_BANDS, PARTY_AGE_BANDS

MEMBER_LABELS = {
    "official": "Đảng viên chính thức",
    "probationary": "Đảng viên dự bị",
    "exempted": "Đảng viên được miễn công tác và sinh hoạt",
}
PLACE_LABELS = {
    "total": "Tổng số",
    "without_cell": "Chưa có chi bộ",
    "without_members": "Chưa có đảng viên",
    "below_three_official": "Dưới 3 đảng viên chính thức",
}
MOVEMENT_LABELS = {
    "admitted": "Kết nạp",
    "confirmed": "Công nhận chính thức",
    "joined": "Chuyển đến",
    "moved_in": "Chuyển sinh hoạt vào",
    "moved_out": "Chuyển sinh hoạt ra",
    **{
        f"left.{value}": f"Ra khỏi danh sách: {label.lower()}"
        for value, label in LeftReason.choices
    },
}
BREAKDOWN_LABELS = {
    "gender": "Giới tính",
    "age": "Độ tuổi",
    "party_age": "Tuổi đảng",
    "ethnicity": "Dân tộc",
    "education": "Trình độ học vấn",
}
AGE_BAND_LABELS = {key: label for key, label, *_ in AGE_BANDS}
PARTY_AGE_BAND_LABELS = {key: label for key, label, *_ in PARTY_AGE_BANDS}
NOT_RECORDED = "Chưa ghi"


def breakdown_value_label(dimension: str, value: str | None) -> str:
    """How a breakdown's group is shown: "Nữ" for ``female``, "Chưa ghi" for a blank value."""
    labels: dict[str, str] = {
        "gender": dict(Gender.choices),
        "age": AGE_BAND_LABELS,
        "party_age": PARTY_AGE_BAND_LABELS,
    }.get(dimension, {})
    return labels.get(value or "", value or "") or NOT_RECORDED


@dataclass(frozen=True)
class Definition:
    name: str  # the concept's name in code, as in DOMAIN.md
    label: str
    how: str  # cách tính


#: What every figure's definition builds on (shown above the figures on the definitions page).
CONCEPTS = (
    Definition(
        "Subtree(O, D)",
        "Các tổ chức thuộc O tại ngày D",
        "O và mọi tổ chức đảng mà chuỗi tổ chức cấp trên, đọc theo phiên bản có hiệu lực tại ngày D, "
        "dẫn tới O.",
    ),
    Definition(
        "Area(O, D)",
        "Địa bàn của O tại ngày D",
        "Địa bàn mà phiên bản của O có hiệu lực tại ngày D gắn với, và mọi địa bàn mà chuỗi địa bàn "
        "cấp trên (phiên bản có hiệu lực tại ngày D) dẫn tới địa bàn đó.",
    ),
)

#: The parts of the statistics figures' definitions (DOMAIN.md), one paragraph each.
DEFINITION_TEXTS = {
    "members": "Đảng viên chính thức, dự bị: số đảng viên có tình trạng đó tại ngày D (theo các sự "
    "kiện có ngày hiệu lực đến hết ngày D, không kể sự kiện đã được đính chính hay hủy) mà tổ chức "
    "sinh hoạt tại ngày D thuộc O.",
    "exempted": "Đảng viên được miễn công tác và sinh hoạt: trong số đảng viên chính thức và dự bị "
    "nói trên, những người đang được miễn công tác và sinh hoạt đảng tại ngày D (vẫn là đảng viên).",
    "cells": "Số chi bộ: số tổ chức đảng loại chi bộ hoặc chi bộ cơ sở có hiệu lực tại ngày D và "
    "thuộc O tại ngày D.",
    "places": "Tổng số bản, tổ dân phố, trường học, trạm y tế: số địa bàn loại đó có hiệu lực tại "
    "ngày D thuộc địa bàn của O tại ngày D.",
    "without_cell": "Chưa có chi bộ (“trắng” tổ chức đảng): trong số đó, những địa bàn không có tổ "
    "chức đảng loại chi bộ, chi bộ cơ sở hoặc đảng bộ cơ sở nào có hiệu lực tại ngày D gắn với địa "
    "bàn (dù tổ chức đó trực thuộc đâu).",
    "without_members": "Chưa có đảng viên (“trắng” đảng viên): những địa bàn mà tại ngày D không có "
    "đảng viên nào (chính thức hay dự bị) sinh hoạt, cư trú hoặc công tác tại đó.",
    "below_three_official": "Dưới 3 đảng viên chính thức: những địa bàn có ít hơn 3 đảng viên chính "
    "thức tại ngày D — chưa đủ để thành lập chi bộ.",
    "profile": "Cơ cấu theo giới tính, dân tộc, trình độ học vấn: đảng viên chính thức và dự bị "
    "thuộc O tại ngày D, đếm theo thông tin trong lý lịch.",
    "age": "Cơ cấu theo độ tuổi: đảng viên thuộc O tại ngày D theo tuổi tròn tại ngày D: dưới 30, "
    "từ 30 đến 45, từ 46 đến 60, trên 60 tuổi.",
    "party_age": "Cơ cấu theo tuổi đảng: đảng viên thuộc O tại ngày D theo tuổi đảng tròn năm tại "
    "ngày D (thời gian là đảng viên, trừ thời gian gián đoạn): dưới 10, từ 10 đến 19, từ 20 đến "
    "29, từ 30 năm trở lên.",
    "movements": "Các sự kiện (không kể sự kiện đã được đính chính hay hủy) có ngày từ D1 đến D2: "
    "kết nạp và chuyển đến vào một tổ chức thuộc O; công nhận chính thức của đảng viên thuộc O; "
    "chuyển sinh hoạt từ ngoài vào O hoặc từ O ra ngoài; ra khỏi danh sách từ O, theo lý do. Tổ "
    "chức thuộc O hay không được xét vào đúng ngày của sự kiện.",
}
