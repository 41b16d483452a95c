"""Invented names for the demo: people of the ethnic groups living in Nậm Nhùn, and villages."""

from __future__ import annotations

import random

# ethnicity -> (family names, male middle names, male given, female middle, female given)
PEOPLE = {
    "Thái": (
        ["Lò", "Lường", "Tòng", "Quàng", "Điêu", "Cầm", "Lù", "Vì"],
        ["Văn"],
        ["Xuân", "Sơn", "Thanh", "Quân", "Hùng", "Chiến", "Doan", "Panh", "Khăm", "Piệng", "Inh"],
        ["Thị"],
        ["Ún", "Đôi", "Xương", "Xoan", "Bun", "Ngọc", "Hoa", "Lả", "Pâng", "Ỏn", "Kim"],
    ),
    "Hà Nhì": (
        ["Chu", "Lý", "Pờ", "Phu", "Sừ", "Lò"],
        ["Văn", "Xé", "Gió"],
        ["Chà", "Hừ", "Xá", "Giàng", "Phà", "Tú", "Sò", "Chừ", "Phạ"],
        ["Thị", "Mé"],
        ["Mé", "Gió", "Xá", "Chừ", "Pứ", "Hờ", "Mơ", "Dà"],
    ),
    "Mông": (
        ["Giàng", "Vàng", "Sùng", "Lầu", "Hạng", "Thào", "Lý", "Mùa"],
        ["A"],
        ["Páo", "Sử", "Chư", "Dìn", "Sình", "Pó", "Chá", "Lử", "Tủa", "Dế"],
        ["Thị"],
        ["Mai", "Dợ", "Chở", "Sua", "Pà", "Mỷ", "Dua", "Ly", "Súa"],
    ),
    "Dao": (
        ["Lý", "Tẩn", "Phàn", "Đặng", "Chảo", "Triệu"],
        ["Văn", "Láo", "Dần"],
        ["Phẩu", "Kiều", "Chòi", "Sành", "Lở", "Quẩy", "Tả"],
        ["Thị", "Mẩy"],
        ["Mẩy", "Nái", "Xiêm", "Phây", "Liều", "Chài"],
    ),
    "Cống": (
        ["Lò", "Pạc", "Hoàng", "Chang"],
        ["Văn"],
        ["Xá", "Đức", "Xuân", "Giang", "Thoòng", "Pùng"],
        ["Thị"],
        ["Lan", "Xuân", "Dung", "Pằng", "Phương"],
    ),
    "Kinh": (
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"],
        ["Văn", "Đức", "Minh", "Quang", "Hữu"],
        ["Tuấn", "Hùng", "Dũng", "Long", "Thắng", "Hải", "Nam", "Sơn", "Cường", "Trung"],
        ["Thị", "Thu", "Thanh", "Ngọc"],
        ["Hương", "Lan", "Hà", "Mai", "Hạnh", "Hoa", "Thủy", "Nga", "Trang", "Yến"],
    ),
}

KINH_HOMETOWNS = ["Thái Bình", "Nam Định", "Hải Dương", "Phú Thọ", "Thanh Hóa", "Nghệ An"]

_VILLAGE_FIRST = [
    "Nậm", "Huổi", "Pa", "Pá", "Hua", "Phìn", "Sì", "Nà", "Co", "Lả",
    "Tà", "Phiêng", "Pú", "Ma", "Xà", "Chang", "Ngải", "Cang", "Nạn", "Phai",
]  # fmt: skip
_VILLAGE_SECOND = [
    "Ngà", "Pầu", "Cầy", "Vạc", "Lếch", "Khao", "Sang", "Tè", "Luông", "Xả",
    "Sáng", "Ô", "Hà", "Ún", "Lay", "Kéo", "Bon", "Hài", "Chản", "Là",
    "Mạ", "Pè", "Sỏ", "Bó", "Thàng", "Hon", "Sú", "Pồ", "Cút", "Nhạt",
]  # fmt: skip


def person(rng: random.Random, ethnicity: str, gender: str) -> str:
    families, male_mid, male_given, female_mid, female_given = PEOPLE[ethnicity]
    if gender == "male":
        middle, given = rng.choice(male_mid), rng.choice(male_given)
    else:
        middle, given = rng.choice(female_mid), rng.choice(female_given)
    return f"{rng.choice(families)} {middle} {given}"


def village_names(rng: random.Random, count: int) -> list[str]:
    pool = [f"Bản {a} {b}" for a in _VILLAGE_FIRST for b in _VILLAGE_SECOND]
    return rng.sample(pool, count)
