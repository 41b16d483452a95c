"""Tests for grassroots.core.text (Vietnamese text utilities)."""

import random
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from grassroots.core.text import (
    WEEKDAY_NAMES,
    fold,
    format_date,
    format_number,
    format_percent,
    format_weekday_datetime,
    local_time_zone,
    name_sort_key,
    nfc,
    split_name,
    vietnamese_key,
)

# The 12 Vietnamese vowels (NFC) and the plain Latin letter each one folds to.
VOWELS = {
    "a": "a",
    "ă": "a",
    "â": "a",
    "e": "e",
    "ê": "e",
    "i": "i",
    "o": "o",
    "ô": "o",
    "ơ": "o",
    "u": "u",
    "ư": "u",
    "y": "y",
}
# Combining marks for the six tones in Vietnamese order: ngang (none), huyền, sắc,
# hỏi, ngã, nặng.
TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _with_tone(vowel: str, tone_mark: str) -> str:
    return unicodedata.normalize("NFC", vowel + tone_mark)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- nfc ---------------------------------------------------------------------------


def test_nfc_composes_nfd_input():
    decomposed = _nfd("Quân")
    assert decomposed != "Quân"  # the input really is decomposed
    result = nfc(decomposed)
    assert result == "Quân"
    assert len(result) == 4
    assert unicodedata.is_normalized("NFC", result)


def test_nfc_composes_stacked_marks():
    # ậ carries a vowel mark and a tone mark: NFD gives three code points.
    assert len(_nfd("ậ")) == 3
    assert nfc(_nfd("Nậm Nhùn")) == "Nậm Nhùn"


def test_nfc_strips_and_collapses_whitespace():
    assert nfc("  Lù \t Văn\n\u00a0 Quân  ") == "Lù Văn Quân"


def test_nfc_none_and_blank():
    assert nfc(None) == ""
    assert nfc(" \t\n ") == ""


def test_nfc_keeps_case_and_diacritics():
    assert nfc("Đào Duy Anh") == "Đào Duy Anh"


# --- fold --------------------------------------------------------------------------


def test_fold_examples():
    assert fold("Lù Văn Quân") == "lu van quan"
    assert fold("Đảng bộ huyện Nậm Nhùn") == "dang bo huyen nam nhun"


def test_fold_every_vowel_with_every_tone():
    checked = 0
    for vowel, latin in VOWELS.items():
        for tone_mark in TONE_MARKS:
            char = _with_tone(vowel, tone_mark)
            assert len(char) == 1, f"{char!r} should be precomposed"
            assert fold(char) == latin, char
            assert fold(char.upper()) == latin, char.upper()
            assert fold(_nfd(char)) == latin, _nfd(char)
            checked += 1
    assert checked == 72


def test_fold_d_with_stroke():
    assert fold("Đ") == "d"
    assert fold("đ") == "d"
    assert fold("Đặng Đình Đức") == "dang dinh duc"


def test_fold_collapses_whitespace_and_handles_none():
    assert fold("  Giàng   Thị\tDợ ") == "giang thi do"
    assert fold(None) == ""


def test_fold_nfd_input():
    assert fold(_nfd("Tẩn Láo Lở")) == "tan lao lo"


# --- vietnamese_key ----------------------------------------------------------------


def _sorted_words(words):
    return sorted(words, key=vietnamese_key)


def test_vietnamese_key_vowel_letters():
    assert _sorted_words(["Bình", "Ân", "An", "Ăn"]) == ["An", "Ăn", "Ân", "Bình"]
    assert _sorted_words(["Ơ", "O", "Ô"]) == ["O", "Ô", "Ơ"]
    assert _sorted_words(["Ư", "U"]) == ["U", "Ư"]
    assert _sorted_words(["Ê", "E"]) == ["E", "Ê"]


def test_vietnamese_key_d_with_stroke_after_all_d():
    words = ["Đào", "Dũng", "Dương", "Duy", "Dợ", "Em"]
    assert _sorted_words(words) == ["Dợ", "Dũng", "Duy", "Dương", "Đào", "Em"]


def test_vietnamese_key_tone_order():
    expected = ["Ma", "Mà", "Má", "Mả", "Mã", "Mạ"]
    shuffled = ["Mã", "Mạ", "Má", "Ma", "Mả", "Mà"]
    assert _sorted_words(shuffled) == expected


def test_vietnamese_key_letters_decide_before_tones():
    # A tone never outweighs a letter difference later in the string.
    assert vietnamese_key("Mạ") < vietnamese_key("Mai")
    assert vietnamese_key("Bá") < vietnamese_key("Bac")
    assert vietnamese_key("Anh") < vietnamese_key("Ánh") < vietnamese_key("Ân")
    # ... and not across words inside one component either.
    assert vietnamese_key("Hà Giang") < vietnamese_key("Ha Gianh")


def test_vietnamese_key_foreign_letters_in_latin_positions():
    words = ["Zoe", "Xuân", "Giang", "Kim", "Wendy", "Ênh", "Yến", "Jacques", "Fatima", "Vân"]
    expected = ["Ênh", "Fatima", "Giang", "Jacques", "Kim", "Vân", "Wendy", "Xuân", "Yến", "Zoe"]
    assert _sorted_words(words) == expected


def test_vietnamese_key_is_case_insensitive():
    assert vietnamese_key("ĐÀO") == vietnamese_key("đào")
    assert vietnamese_key("an") == vietnamese_key("AN")
    assert vietnamese_key("Bình") < vietnamese_key("cao")


def test_vietnamese_key_nfd_equals_nfc():
    assert vietnamese_key(_nfd("Nguyễn Thị Ngọc")) == vietnamese_key("Nguyễn Thị Ngọc")


def test_vietnamese_key_tones_distinguish_words():
    keys = {vietnamese_key(_with_tone("a", mark)) for mark in TONE_MARKS}
    assert len(keys) == 6


def test_vietnamese_key_shorter_prefix_and_space_first():
    assert vietnamese_key("") < vietnamese_key("A")
    assert vietnamese_key("An") < vietnamese_key("Anh")
    assert vietnamese_key("Thị Minh") < vietnamese_key("Thịnh")


# --- split_name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Lù Văn Quân", ("Lù", "Văn", "Quân")),
        ("Nguyễn Tùng", ("Nguyễn", "", "Tùng")),
        ("Tôn Nữ Thị Ninh", ("Tôn", "Nữ Thị", "Ninh")),
        ("  Vàng   A  Páo ", ("Vàng", "A", "Páo")),
        ("Páo", ("", "", "Páo")),
        ("", ("", "", "")),
        (None, ("", "", "")),
    ],
)
def test_split_name(full_name, expected):
    assert split_name(full_name) == expected


def test_split_name_normalises_to_nfc():
    family, middle, given = split_name(_nfd("Giàng Thị Dợ"))
    assert (family, middle, given) == ("Giàng", "Thị", "Dợ")
    assert len(given) == 2


# --- name_sort_key -----------------------------------------------------------------

EXPECTED_NAME_ORDER = [
    "Lê Văn An",
    "Nguyễn Văn An",
    "Đào Duy Anh",
    "Lò Văn Ánh",
    "Đặng Thị Ân",
    "Nguyễn Thị Bình",
    "Pờ Thị Chà",
    "Giàng Thị Dợ",
    "Hoàng Văn Dũng",
    "Lý Thị Đào",
    "Tẩn Láo Lở",
    "Lò Thị Mai",
    "Hà Văn Mai",
    "Vàng A Páo",
    "Lù Văn Quân",
    "Nguyễn Tùng",
]


def test_name_sort_key_orders_real_names():
    shuffled = [
        "Đặng Thị Ân",
        "Lò Thị Mai",
        "Tẩn Láo Lở",
        "Vàng A Páo",
        "Hà Văn Mai",
        "Lò Văn Ánh",
        "Pờ Thị Chà",
        "Nguyễn Văn An",
        "Lê Văn An",
        "Nguyễn Tùng",
        "Lù Văn Quân",
        "Nguyễn Thị Bình",
        "Đào Duy Anh",
        "Hoàng Văn Dũng",
        "Lý Thị Đào",
        "Giàng Thị Dợ",
    ]
    assert sorted(shuffled) != EXPECTED_NAME_ORDER  # plain code point order is wrong
    assert sorted(shuffled, key=name_sort_key) == EXPECTED_NAME_ORDER


@pytest.mark.parametrize("seed", range(5))
def test_name_sort_key_is_independent_of_input_order(seed):
    names = list(EXPECTED_NAME_ORDER)
    random.Random(seed).shuffle(names)
    assert sorted(names, key=name_sort_key) == EXPECTED_NAME_ORDER


def test_name_sort_key_given_name_first():
    assert name_sort_key("Lò Văn Ánh") < name_sort_key("Nguyễn Thị Bình")
    assert name_sort_key("Vàng A Páo") < name_sort_key("Lù Văn Quân")


def test_name_sort_key_middle_then_family():
    # Same given and middle name: the family name decides.
    assert name_sort_key("Lê Văn An") < name_sort_key("Nguyễn Văn An")
    # Same given name: the middle name decides before the family name.
    assert name_sort_key("Lò Thị Mai") < name_sort_key("Hà Văn Mai")


def test_name_sort_key_vowel_letters_and_d_with_stroke():
    names = ["Lò Thị Bình", "Lý Văn Ân", "Hà Văn Ăn", "Lò Văn An"]
    assert sorted(names, key=name_sort_key) == [
        "Lò Văn An",
        "Hà Văn Ăn",
        "Lý Văn Ân",
        "Lò Thị Bình",
    ]
    assert name_sort_key("Hoàng Văn Dũng") < name_sort_key("Lý Thị Đào")
    assert sorted(["Ơ", "Ô", "O"], key=name_sort_key) == ["O", "Ô", "Ơ"]
    assert sorted(["Ư", "U"], key=name_sort_key) == ["U", "Ư"]


def test_name_sort_key_tone_order_on_given_name():
    expected = ["Ma", "Mà", "Má", "Mả", "Mã", "Mạ"]
    shuffled = ["Mạ", "Mả", "Ma", "Mã", "Mà", "Má"]
    assert sorted(shuffled, key=name_sort_key) == expected
    # The tone of the given name outweighs the family name.
    assert name_sort_key("Nguyễn Văn Ma") < name_sort_key("Lê Văn Mà")


def test_name_sort_key_single_word_and_empty():
    assert sorted(["Páo", "", "Lù Văn Quân"], key=name_sort_key) == ["", "Páo", "Lù Văn Quân"]
    # A lone given name sorts before the same given name with a middle name.
    assert name_sort_key("Páo") < name_sort_key("Vàng A Páo")


def test_name_sort_key_case_insensitive_and_nfd():
    assert name_sort_key("lò văn ánh") < name_sort_key("Đào Duy Ân")
    assert name_sort_key(_nfd("Lù Văn Quân")) == name_sort_key("Lù Văn Quân")


# --- format_number / format_percent ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1023, 0, "1.023"),
        (1234567, 0, "1.234.567"),
        (-1234567, 0, "-1.234.567"),
        (5.4, 1, "5,4"),
        (-5.4, 1, "-5,4"),
        (1234.5, 2, "1.234,50"),
        (1023.4, 0, "1.023"),
        (2.5, 0, "3"),
        (2.675, 2, "2,68"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("-0.04"), 1, "0,0"),
        (1_000_000_000, 0, "1.000.000.000"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals=decimals) == expected


def test_format_number_default_has_no_decimals():
    assert format_number(12345.678) == "12.346"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN")])
def test_format_number_rejects_non_finite(bad):
    with pytest.raises(ValueError):
        format_number(bad)


def test_format_number_rejects_bad_arguments():
    with pytest.raises(ValueError):
        format_number(1, decimals=-1)
    with pytest.raises(TypeError):
        format_number("1023")
    with pytest.raises(TypeError):
        format_number(True)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (5.4, 1, "5,4%"),
        (191.1, 1, "191,1%"),
        (1023.5, 1, "1.023,5%"),
        (5, 0, "5%"),
        (12.345, 2, "12,35%"),
        (-3.25, 1, "-3,3%"),
    ],
)
def test_format_percent(value, decimals, expected):
    assert format_percent(value, decimals=decimals) == expected


def test_format_percent_default_one_decimal():
    assert format_percent(50) == "50,0%"


# --- dates -------------------------------------------------------------------------


def test_format_date():
    assert format_date(date(2023, 11, 23)) == "23/11/2023"
    assert format_date(date(2024, 7, 1)) == "01/07/2024"
    assert format_date(datetime(2024, 7, 21, 1, 13)) == "21/07/2024"
    assert format_date(None) == ""


def test_format_date_aware_datetime_uses_vietnam_date():
    # 18:13 UTC on 20 July is already 21 July in Vietnam (UTC+7).
    assert format_date(datetime(2024, 7, 20, 18, 13, tzinfo=UTC)) == "21/07/2024"


def test_local_time_zone_is_utc_plus_seven():
    offset = datetime(2024, 1, 1, tzinfo=local_time_zone()).utcoffset()
    assert offset == timedelta(hours=7)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 11, 20), "Thứ hai, 20/11/2023"),
        (date(2023, 11, 21), "Thứ ba, 21/11/2023"),
        (date(2023, 11, 22), "Thứ tư, 22/11/2023"),
        (date(2023, 11, 23), "Thứ năm, 23/11/2023"),
        (date(2023, 11, 24), "Thứ sáu, 24/11/2023"),
        (date(2023, 11, 25), "Thứ bảy, 25/11/2023"),
        (date(2023, 11, 26), "Chủ nhật, 26/11/2023"),
    ],
)
def test_format_weekday_datetime_plain_date(day, expected):
    assert format_weekday_datetime(day) == expected


def test_weekday_names_start_on_monday():
    assert WEEKDAY_NAMES[date(2024, 7, 21).weekday()] == "Chủ nhật"
    assert WEEKDAY_NAMES[date(2024, 7, 22).weekday()] == "Thứ hai"


def test_format_weekday_datetime_naive():
    assert format_weekday_datetime(datetime(2023, 11, 23, 19, 55)) == "Thứ năm, 23/11/2023 - 19:55"
    assert format_weekday_datetime(datetime(2024, 7, 21, 1, 13, 59)) == (
        "Chủ nhật, 21/07/2024 - 01:13"
    )


def test_format_weekday_datetime_aware_converted_to_vietnam():
    assert format_weekday_datetime(datetime(2023, 11, 23, 12, 55, tzinfo=UTC)) == (
        "Thứ năm, 23/11/2023 - 19:55"
    )
    # Crossing midnight changes both the date and the weekday.
    assert format_weekday_datetime(datetime(2024, 7, 20, 18, 13, tzinfo=UTC)) == (
        "Chủ nhật, 21/07/2024 - 01:13"
    )
    paris_winter = timezone(timedelta(hours=1))
    assert format_weekday_datetime(datetime(2023, 11, 23, 13, 55, tzinfo=paris_winter)) == (
        "Thứ năm, 23/11/2023 - 19:55"
    )


def test_format_weekday_datetime_rejects_none():
    with pytest.raises(TypeError):
        format_weekday_datetime(None)


def test_collation_key_orders_like_name_sort_key():
    from grassroots.core.text import name_collation_key

    names = [
        "Lù Văn Quân",
        "Lò Thị Mai",
        "Nguyễn Tùng",
        "Đào Duy Anh",
        "Vàng A Páo",
        "Giàng Thị Dợ",
        "Tẩn Láo Lở",
        "Lò Văn Ánh",
        "Nguyễn Thị Bình",
        "Lê Văn An",
        "Nguyễn Văn An",
        "An",
        "Ăn",
        "Ân",
        "Mà",
        "Ma",
        "Mạ",
        "Mã",
        "Lý Thị Ơn",
        "Lý Thị On",
        "Lý Thị Ôn",
        "Hoàng Ư",
        "Hoàng U",
        "Chang",
        "Lò Văn Dũng",
        "Lò Văn Đào",
        "Phàn A Đa",
    ]
    by_tuple = sorted(names, key=name_sort_key)
    by_string = sorted(names, key=name_collation_key)
    assert by_string == by_tuple
    assert all(
        set(name_collation_key(n)) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for n in names
    )


def test_control_characters_are_found_and_stripped_but_not_tabs_or_line_breaks():
    from grassroots.core.text import has_control_characters, strip_control_characters

    assert has_control_characters("Lù\x00 Văn")
    assert has_control_characters("a\x1bb") and has_control_characters("a\x85b")
    assert not has_control_characters("Lù\tVăn\r\nQuân") and not has_control_characters(None)
    assert strip_control_characters("Lù\x00 V\x07ăn\tQuân\n") == "Lù Văn\tQuân\n"
    assert strip_control_characters(None) == ""


def test_nfc_and_fold_drop_control_characters():
    from grassroots.core.text import fold, nfc

    assert nfc("  Lù\x00 Văn\x1b  Quân ") == "Lù Văn Quân"
    assert fold("Lù\x00 Văn") == "lu van"
