"""The demo's congress resolution (called by :func:`grassroots.demo.build.build_demo` after the
ratings): Nghị quyết Đại hội đại biểu Đảng bộ huyện Nậm Nhùn lần thứ III, nhiệm kỳ 2020–2025
(``DB-112-DH3``, số ``01-NQ/ĐH``), with yearly targets for 2021..2025 (``term_from`` 2021,
``term_to`` 2025) and 30 indicators. The manual indicators have values for 2021 and 2022 (from
the committee's yearly reports, sample documents); two indicators are computed live from the
registry: admissions a year (target ≥ 60, seed: "mục tiêu hàng năm kết nạp được 60 đảng viên trở
lên") and the share of organisations rated good or better (from the demo's ratings).

The mid-term review through 2022 gives the seed (DOMAIN.md): 20 of 30 met or exceeded; food
output 5.4, new forest 191.1, poverty-reduction rate 121.1, vocational training 158.3, new jobs
271.3, organisations good or better 13.5 — all exceeded. The numbers are sample data chosen for
that (``tests/resolutions/test_demo_review.py`` checks them on the built demo).

Everything goes through ``resolutions.indicator_services`` (every rule checked, audited).
"""

from __future__ import annotations

from datetime import date

from grassroots.core.audit import acting_as
from grassroots.core.text import fold
from grassroots.organizations.models import Organization
from grassroots.resolutions import indicator_services as services
from grassroots.resolutions.models import Document

DISTRICT = "DB-112"
CODE = "DB-112-DH3"
#: The good-or-better target (percent of organisations, every year): the demo's ratings give
#: 73.81% (2021: 155 of 210) and 76.69% (2022: 204 of 266) of the organisations under DB-112
#: good or better, mean 75.25%, which is 13.5% above 66.3 — the seed's "tổ chức Đảng hoàn thành
#: tốt nhiệm vụ trở lên vượt 13,5%". Admissions (97 in 2021, 99 in 2022) exceed 60 a year.
GOOD_OR_BETTER_TARGET = "66.3"

# (code, name, unit, direction, method, target, source, value 2021, value 2022)
INDICATORS: list[tuple[str, str, str, str, str, str, str, str | None, str | None]] = [
    ("KT-01", "Tốc độ tăng giá trị sản xuất bình quân", "%/năm", "at_least", "annual", "9", "manual", "9.2", "9.5"),
    ("KT-02", "Sản lượng lương thực có hạt", "tấn/năm", "at_least", "annual", "19000", "manual", "19950", "20102"),
    ("KT-03", "Trồng mới rừng", "ha", "at_least", "total", "1500", "manual", "812.4", "934.2"),
    ("KT-04", "Tỷ lệ che phủ rừng", "%", "at_least", "level", "52", "manual", "51.2", "52"),
    ("KT-05", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", "at_least", "total", "250", "manual", "52.3", "58.9"),
    ("KT-06", "Thu nhập bình quân đầu người", "triệu đồng/năm", "at_least", "level", "35", "manual", "28.6", "31.2"),
    ("KT-07", "Bê tông hóa đường giao thông nông thôn", "km", "at_least", "total", "150", "manual", "21.5", "26.3"),
    ("KT-08", "Số xã đạt chuẩn nông thôn mới", "xã", "at_least", "level", "3", "manual", "1", "2"),
    ("KT-09", "Tăng đàn gia súc bình quân", "%/năm", "at_least", "annual", "5", "manual", "4.2", "4.6"),
    ("KT-10", "Trồng mới cây ăn quả, cây dược liệu", "ha", "at_least", "total", "800", "manual", "120", "145"),
    ("KT-11", "Tỷ lệ hộ được sử dụng điện lưới quốc gia", "%", "at_least", "level", "95", "manual", "93.8", "95.6"),
    ("VX-01", "Tỷ lệ giảm hộ nghèo bình quân", "%/năm", "at_least", "annual", "3", "manual", "6.95", "6.316"),
    ("VX-02", "Tỷ lệ hộ nghèo", "%", "at_most", "level", "30", "manual", "38.4", "34.1"),
    ("VX-03", "Tỷ lệ hộ tái nghèo", "%/năm", "at_most", "annual", "1", "manual", "0.9", "0.8"),
    ("VX-04", "Đào tạo nghề cho lao động nông thôn", "người", "at_least", "total", "2500", "manual", "1245", "1338"),
    ("VX-05", "Giải quyết việc làm mới", "lao động", "at_least", "total", "2500", "manual", "1802", "1911"),
    ("VX-06", "Tỷ lệ lao động qua đào tạo", "%", "at_least", "level", "45", "manual", "41", "43.2"),
    ("VX-07", "Tỷ lệ trường học đạt chuẩn quốc gia", "%", "at_least", "level", "60", "manual", "55", "61.5"),
    ("VX-08", "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng", "%", "at_most", "level", "20", "manual", "21.5", "19.8"),
    ("VX-09", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", "at_least", "level", "95", "manual", "96.1", "97.3"),
    ("VX-10", "Tỷ lệ trạm y tế xã có bác sĩ", "%", "at_least", "level", "100", "manual", "90.9", "100"),
    ("VX-11", "Tỷ lệ dân cư nông thôn dùng nước hợp vệ sinh", "%", "at_least", "level", "90", "manual", "91", "92.5"),
    ("VX-12", "Tỷ lệ bản có nhà văn hóa", "%", "at_least", "level", "90", "manual", "88", "90"),
    ("VX-13", "Mức giảm tỷ lệ sinh bình quân", "‰/năm", "at_least", "annual", "0.5", "manual", "0.4", "0.45"),
    ("VX-14", "Người tham gia bảo hiểm xã hội tự nguyện tăng thêm", "người", "at_least", "total", "500", "manual", "64", "85"),
    ("XD-01", "Tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ trở lên", "%", "at_least", "annual", GOOD_OR_BETTER_TARGET, "good_or_better_share", None, None),
    ("XD-02", "Kết nạp đảng viên mới", "đảng viên/năm", "at_least", "annual", "60", "admissions", None, None),
    ("XD-03", "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", "%", "at_least", "annual", "85", "manual", "82", "85.5"),
    ("XD-04", "Tỷ lệ bản có chi bộ", "%", "at_least", "level", "100", "manual", "100", "100"),
    ("XD-05", "Tỷ lệ tập hợp thanh niên vào Đoàn", "%", "at_least", "level", "80", "manual", "78", "81"),
]  # fmt: skip


def _document(org, type_, sequence, number, issuer, day, title) -> Document:
    return Document.objects.create(
        organization=org,
        type=type_,
        sequence=sequence,
        issuer_code=issuer,
        number=number,
        issued_on=day,
        title=title,
        title_folded=fold(title),
        summary="Văn bản mẫu của dữ liệu trình diễn.",
    )


def build_resolutions(*, acting_user) -> None:
    district = Organization.objects.filter(code=DISTRICT).first()
    if district is None:
        return
    with acting_as(acting_user):
        adopted = date(2020, 8, 14)
        resolution_doc = _document(
            district,
            "NQ",
            1,
            "01-NQ/ĐH",
            "ĐH",
            adopted,
            "Nghị quyết Đại hội đại biểu Đảng bộ huyện Nậm Nhùn lần thứ III, nhiệm kỳ 2020–2025",
        )
        reports = {
            year: _document(
                district,
                "BC",
                number,
                f"{number:02d}-BC/HU",
                "HU",
                date(year, 12, 15),
                f"Báo cáo kết quả thực hiện Nghị quyết Đại hội III năm {year} (mẫu)",
            )
            for year, number in ((2021, 45), (2022, 97))
        }
        resolution = services.resolution_create(
            acting_user=acting_user,
            organization=district,
            code=CODE,
            number="01-NQ/ĐH",
            title=resolution_doc.title,
            adopted=adopted,
            term_from=2021,
            term_to=2025,
            document=resolution_doc,
        )
        for position, row in enumerate(INDICATORS, start=1):
            code, name, unit, direction, method, target, source, v2021, v2022 = row
            indicator = services.indicator_create(
                acting_user=acting_user,
                resolution=resolution,
                code=code,
                name=name,
                unit=unit,
                direction=direction,
                method=method,
                target=target,
                source=source,
                position=position,
            )
            for year, value in ((2021, v2021), (2022, v2022)):
                if value is not None:
                    services.value_set(
                        acting_user=acting_user,
                        indicator=indicator,
                        year=year,
                        value=value,
                        document=reports[year],
                    )
