"""Tests for grassroots.core.legacy (TCVN3 / VNI → Unicode)."""

import unicodedata

import pytest

from grassroots.core.legacy import (
    VIETNAMESE_LETTERS,
    convert_columns,
    decode_bytes,
    detect,
    from_unicode,
    to_unicode,
)

LOWER = VIETNAMESE_LETTERS[:67]
UPPER = VIETNAMESE_LETTERS[67:]
# The capitals TCVN3 (VN3) has its own codes for; its other capitals are toned vowels.
TCVN3_CAPITALS = "ĂÂÊÔƠƯĐ"

# Hand-checked reference tables, written out independently of the module's tables.
# Each row: a vowel toneless, sắc, huyền, hỏi, ngã, nặng -> its codes in that order.
# TCVN3 (checked against the classic .VnTime mojibake "ViÖt Nam", "Céng hoµ", "§Æng"...).
TCVN3_REFERENCE = {
    "aáàảãạ": b"a\xb8\xb5\xb6\xb7\xb9",
    "ăắằẳẵặ": b"\xa8\xbe\xbb\xbc\xbd\xc6",
    "âấầẩẫậ": b"\xa9\xca\xc7\xc8\xc9\xcb",
    "eéèẻẽẹ": b"e\xd0\xcc\xce\xcf\xd1",
    "êếềểễệ": b"\xaa\xd5\xd2\xd3\xd4\xd6",
    "iíìỉĩị": b"i\xdd\xd7\xd8\xdc\xde",
    "oóòỏõọ": b"o\xe3\xdf\xe1\xe2\xe4",
    "ôốồổỗộ": b"\xab\xe8\xe5\xe6\xe7\xe9",
    "ơớờởỡợ": b"\xac\xed\xea\xeb\xec\xee",
    "uúùủũụ": b"u\xf3\xef\xf1\xf2\xf4",
    "ưứừửữự": b"\xad\xf8\xf5\xf6\xf7\xf9",
    "yýỳỷỹỵ": b"y\xfd\xfa\xfb\xfc\xfe",
    "đĂÂÊÔƠƯĐ": b"\xae\xa1\xa2\xa3\xa4\xa5\xa6\xa7",
}
# VNI-Windows: a base letter then a mark; i, ỵ, ơ, ư, đ are single characters.
VNI_REFERENCE = {
    "aáàảãạ": ["a", "aù", "aø", "aû", "aõ", "aï"],
    "âấầẩẫậ": ["aâ", "aá", "aà", "aå", "aã", "aä"],
    "ăắằẳẵặ": ["aê", "aé", "aè", "aú", "aü", "aë"],
    "eéèẻẽẹ": ["e", "eù", "eø", "eû", "eõ", "eï"],
    "êếềểễệ": ["eâ", "eá", "eà", "eå", "eã", "eä"],
    "iíìỉĩị": ["i", "í", "ì", "æ", "ó", "ò"],
    "oóòỏõọ": ["o", "où", "oø", "oû", "oõ", "oï"],
    "ôốồổỗộ": ["oâ", "oá", "oà", "oå", "oã", "oä"],
    "ơớờởỡợ": ["ô", "ôù", "ôø", "ôû", "ôõ", "ôï"],
    "uúùủũụ": ["u", "uù", "uø", "uû", "uõ", "uï"],
    "ưứừửữự": ["ö", "öù", "öø", "öû", "öõ", "öï"],
    "yýỳỷỹỵ": ["y", "yù", "yø", "yû", "yõ", "î"],
    "đĐ": ["ñ", "Ñ"],
    "ÂẤẬĂẮẶ": ["AÂ", "AÁ", "AÄ", "AÊ", "AÉ", "AË"],
    "ƠỚƯỪĨỴ": ["Ô", "ÔÙ", "Ö", "ÖØ", "Ó", "Î"],
}

# Real strings and their legacy forms, checked by hand against the reference tables.
TCVN3_SAMPLES = [
    ("Việt Nam", b"Vi\xd6t Nam"),
    ("Lù Văn Quân", b"L\xef V\xa8n Qu\xa9n"),
    ("Cộng hoà xã hội chủ nghĩa Việt Nam", "Céng hoµ x· héi chñ nghÜa ViÖt Nam".encode("cp1252")),
    ("Độc lập - Tự do - Hạnh phúc", "§éc lËp - Tù do - H¹nh phóc".encode("cp1252")),
    ("Trường", b"Tr\xad\xeang"),
    ("Đặng", b"\xa7\xc6ng"),
    ("Nguyễn", b"Nguy\xd4n"),
]
VNI_SAMPLES = [
    ("Lù Văn Quân", "Luø Vaên Quaân"),
    ("Việt Nam", "Vieät Nam"),
    ("Cộng hòa xã hội chủ nghĩa Việt Nam", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"),
    ("Độc lập - Tự do - Hạnh phúc", "Ñoäc laäp - Töï do - Haïnh phuùc"),
    ("Trường", "Tröôøng"),
    ("Nguyễn", "Nguyeãn"),
    ("ỦY BAN NHÂN DÂN", "UÛY BAN NHAÂN DAÂN"),
]

# Names and place names (Unicode NFC). Every legacy form of each is unambiguous.
CORPUS = [
    "Lù Văn Quân",
    "Nậm Nhùn",
    "Mường Tè",
    "huyện Sìn Hồ",
    "Hua Bum",
    "Pú Đao",
    "Lê Lợi",
    "Nậm Pì",
    "Trung Chải",
    "Giàng Thị Dợ",
    "Đảng bộ huyện",
    "Chi bộ bản Nậm Ngà",
    "Hà Nhì",
    "Thái",
    "Mông",
    "Dao",
    "Kinh",
    "dân tộc Lự",
    "Cống",
    "Si La",
    "Lai Châu",
    "Phong Thổ",
    "Tam Đường",
    "Than Uyên",
    "Tân Uyên",
    "Mường Nhé",
    "Điện Biên",
    "Bum Nưa",
    "Bum Tở",
    "Ka Lăng",
    "Pa Tần",
    "Mù Cang Chải",
    "Hoà Bình",
    "Khánh Hòa",
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lò Văn Hùng",
    "Tòng Thị Phóng",
    "Vàng A Sử",
    "Mùa A Páo",
    "Cầm Văn Ơn",
    "Hoàng Văn Thụ",
    "Lê Thị Thảo",
    "Đặng Thùy Trâm",
    "Ủy ban nhân dân xã",
    "Ban Thường vụ Huyện ủy",
    "Bí thư Chi bộ",
    "Đảng viên dự bị",
    "Mặt trận Tổ quốc",
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
]
ASCII_NAMES = {"Hua Bum", "Dao", "Kinh", "Si La"}

# Unicode names made only of Latin-1 letters: their legacy readings are also plausible,
# so these are the cases where "unicode wins ties" matters.
LATIN1_UNICODE = [
    "Thái",
    "Hà Nhì",
    "Mông",
    "Tô Lâm",
    "Lê Hoàng",
    "Hoà Bình",
    "Cà Mau",
    "Lò Mai Chí",
]

# Legacy forms that are also well-formed Unicode Vietnamese: no single string can be decided.
# (TCVN3 "Lù" is byte for byte the surname Lù; VNI "Sìn Hoà" reads as Unicode "Sìn Hoà".)
AMBIGUOUS = [("Lự", "tcvn3"), ("Sìn Hồ", "vni"), ("Thu Lũm", "tcvn3"), ("Thị", "vni")]


def legacy_bytes(text: str, encoding: str) -> bytes:
    return from_unicode(text, encoding).encode("cp1252")


def tcvn3_expected(text: str) -> str:
    """What TCVN3 can give back: capital toned vowels come back in lower case."""
    return "".join(ch.lower() if ch in UPPER and ch not in TCVN3_CAPITALS else ch for ch in text)


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258: precomposed where the code page has the letter, else base + tone mark."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = "".join(mark for mark in decomposed if mark not in tones)
            out += unicodedata.normalize("NFC", base).encode("cp1258")
            out += "".join(mark for mark in decomposed if mark in tones).encode("cp1258")
    return bytes(out)


# --- the alphabet and the tables -----------------------------------------------------------


def test_the_alphabet_has_134_letters():
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", letter) for letter in VIETNAMESE_LETTERS)
    assert [letter.upper() for letter in LOWER] == list(UPPER)
    assert "đ" in LOWER and "ự" in LOWER and "Ỵ" in UPPER and "a" not in LOWER


def test_reference_tables_cover_every_lower_case_letter():
    covered = set("".join(TCVN3_REFERENCE)) - set("aeiouy")
    assert set(LOWER) <= covered
    assert set(LOWER) <= set("".join(VNI_REFERENCE))


@pytest.mark.parametrize("letters", list(TCVN3_REFERENCE))
def test_tcvn3_table_matches_reference(letters):
    codes = TCVN3_REFERENCE[letters]
    assert len(letters) == len(codes)
    for letter, code in zip(letters, codes, strict=True):
        assert legacy_bytes(letter, "tcvn3") == bytes([code]), letter
        assert to_unicode(bytes([code]).decode("cp1252"), "tcvn3") == letter


@pytest.mark.parametrize("letters", list(VNI_REFERENCE))
def test_vni_table_matches_reference(letters):
    codes = VNI_REFERENCE[letters]
    assert len(letters) == len(codes)
    for letter, code in zip(letters, codes, strict=True):
        assert from_unicode(letter, "vni") == code, letter
        assert to_unicode(code, "vni") == letter


def test_vni_round_trips_all_134_letters():
    codes = [from_unicode(letter, "vni") for letter in VIETNAMESE_LETTERS]
    assert len(set(codes)) == 134
    for letter, code in zip(VIETNAMESE_LETTERS, codes, strict=True):
        assert 1 <= len(code) <= 2 and code.encode("cp1252")
        assert to_unicode(code, "vni") == letter


def test_tcvn3_round_trips_all_134_letters():
    for letter in VIETNAMESE_LETTERS:
        code = legacy_bytes(letter, "tcvn3")
        assert len(code) == 1 and code[0] >= 0xA1
        back = to_unicode(code.decode("cp1252"), "tcvn3")
        if letter.islower() or letter in TCVN3_CAPITALS:
            assert back == letter
        else:  # VN3 writes a capital toned vowel with the lower case code
            assert back == letter.lower()
    assert len({legacy_bytes(letter, "tcvn3") for letter in LOWER}) == 67


def test_tcvn3_capitals_round_trip_inside_capitalised_words():
    for letter in UPPER:
        word = f"NGH{letter}NG"
        assert to_unicode(from_unicode(word, "tcvn3"), "tcvn3") == word


@pytest.mark.parametrize(("text", "encoded"), TCVN3_SAMPLES)
def test_tcvn3_samples(text, encoded):
    assert legacy_bytes(text, "tcvn3") == encoded
    legacy = encoded.decode("cp1252")
    assert to_unicode(legacy, "tcvn3") == text
    assert detect(legacy) == "tcvn3"
    assert to_unicode(legacy) == text


@pytest.mark.parametrize(("text", "encoded"), VNI_SAMPLES)
def test_vni_samples(text, encoded):
    assert from_unicode(text, "vni") == encoded
    assert to_unicode(encoded, "vni") == text
    assert detect(encoded) == "vni"
    assert to_unicode(encoded) == text


def test_tcvn3_capital_words_from_upper_case_font():
    assert to_unicode("UBND HUYÖN M¦êNG TÌ", "tcvn3") == "UBND HUYỆN MƯỜNG TÈ"
    assert to_unicode("§¶NG Bé HUYÖN", "tcvn3") == "ĐẢNG BỘ HUYỆN"
    assert to_unicode("ë HUYÖN M¦êNG TÌ", "tcvn3") == "Ở HUYỆN MƯỜNG TÈ"
    assert to_unicode("ë huyÖn M\xadêng TÌ", "tcvn3") == "ở huyện Mường Tè"
    # One capital is not enough evidence: .VnTime "Hå" is "Hồ", "X·" is "Xã".
    assert to_unicode("Hå", "tcvn3") == "Hồ"
    assert to_unicode("UBND X· Hå", "tcvn3") == "UBND Xã Hồ"


def test_vni_tolerates_a_lower_case_mark_after_a_capital():
    assert to_unicode("Uûy ban", "vni") == "Ủy ban"


# --- detection -----------------------------------------------------------------------------


def test_corpus_is_large_and_legacy_forms_differ():
    assert len(CORPUS) >= 30
    for name in CORPUS:
        if name in ASCII_NAMES:
            assert name.isascii()
            continue
        assert from_unicode(name, "tcvn3") != name
        assert from_unicode(name, "vni") != name


@pytest.mark.parametrize("name", CORPUS)
def test_detect_corpus_in_every_form(name):
    forms = {
        "unicode": name,
        "tcvn3": from_unicode(name, "tcvn3"),
        "vni": from_unicode(name, "vni"),
    }
    for encoding, form in forms.items():
        expected = "ascii" if name.isascii() else encoding
        assert detect(form) == expected, (encoding, form)
        assert to_unicode(form) == (tcvn3_expected(name) if encoding == "tcvn3" else name)


@pytest.mark.parametrize("name", LATIN1_UNICODE)
def test_detect_keeps_latin1_only_unicode_names(name):
    assert name.encode("latin-1")
    assert detect(name) == "unicode"
    assert to_unicode(name) == name


def test_detect_unicode_ascii_and_other_text():
    assert detect("Nguyen Van An 0912 345 678") == "ascii"
    assert detect("") == "ascii"
    assert detect("Lù Văn Quân") == "unicode"
    nfd = unicodedata.normalize("NFD", "Thái Mông Hà Nhì")
    assert detect(nfd) == "unicode"
    assert to_unicode(nfd) == "Thái Mông Hà Nhì"
    assert detect("Lê Lợi – “Bình Ngô đại cáo”") == "unicode"
    assert detect("越南 Hà Nội") == "unicode"
    # A lone Latin-1 symbol is not taken for a TCVN3 letter ("×" is ì, "§" is Đ).
    assert detect("2 × 3") == "unicode"
    assert detect("§ 4") == "unicode"
    # Text that is not Vietnamese in any reading is left alone.
    assert detect("Zoë Müller, Besançon") == "unicode"
    assert to_unicode("Zoë Müller, Besançon") == "Zoë Müller, Besançon"
    # One word that reads as TCVN3 ("Lï" = Lù) among foreign ones is not enough evidence.
    assert detect("Zoë Lï Müller, Besançon") == "unicode"


def test_detect_unicode_letters_win_over_legacy_looking_words():
    # Half TCVN3, half Unicode: not legacy text, and converting would break "Hà Nội".
    mixed = "Hµ Néi – Hà Nội"
    assert detect(mixed) == "unicode"
    assert to_unicode(mixed) == mixed
    # Symbols beyond windows-1252 prove nothing: this is TCVN3 with a Unicode arrow.
    assert detect("Hµ Néi → Lai Ch©u ★") == "tcvn3"
    assert to_unicode("Hµ Néi → Lai Ch©u ★") == "Hà Nội → Lai Châu ★"


def test_detect_checks_which_vowel_carries_the_tone():
    # VNI "Caù Laù" (Cá Lá) read as Unicode has the vowels of "cau", "lau" but the tone on u.
    assert detect("Caù Laù") == "vni"
    assert to_unicode("Caù Laù") == "Cá Lá"
    assert detect("Cá Lá") == "unicode"


def test_detect_longer_legacy_lines():
    assert detect("Hµ Néi, ngµy 15 th¸ng 3 n¨m 2024") == "tcvn3"
    assert detect("Haø Noäi, ngaøy 15 thaùng 3 naêm 2024") == "vni"
    assert to_unicode("Haø Noäi, ngaøy 15 thaùng 3 naêm 2024") == "Hà Nội, ngày 15 tháng 3 năm 2024"


@pytest.mark.parametrize(("name", "encoding"), AMBIGUOUS)
def test_ambiguous_legacy_strings_are_left_as_unicode(name, encoding):
    legacy = from_unicode(name, encoding)
    assert legacy != name
    # The string reads as well-formed Unicode, and Unicode wins ties...
    assert detect(legacy) == "unicode"
    assert to_unicode(legacy) == legacy
    # ...but the encoding, once known (e.g. from the column), converts it.
    assert to_unicode(legacy, encoding) == name


# --- conversion API --------------------------------------------------------------------------


def test_to_unicode_normalises_and_accepts_aliases():
    assert to_unicode("Lï V¨n Qu©n", "ABC") == "Lù Văn Quân"
    assert to_unicode("Lï V¨n Qu©n", "TCVN-3") == "Lù Văn Quân"
    assert to_unicode("Luø Vaên Quaân", "VNI-Windows") == "Lù Văn Quân"
    nfd = unicodedata.normalize("NFD", "Lù Văn Quân")
    assert to_unicode(nfd, "unicode") == "Lù Văn Quân"
    assert to_unicode("Hua Bum", "ascii") == "Hua Bum"
    with pytest.raises(ValueError, match="unknown"):
        to_unicode("x", "viscii")


def test_from_unicode_keeps_other_characters_and_rejects_unknown_encodings():
    nfd = unicodedata.normalize("NFD", "Việt Nam: 100% – ok")
    assert from_unicode(nfd, "tcvn3") == "Vi\xd6t Nam: 100% – ok"
    assert from_unicode(nfd, "vni") == "Vieät Nam: 100% – ok"
    with pytest.raises(ValueError):
        from_unicode("Việt", "unicode")
    with pytest.raises(ValueError):
        from_unicode("Việt", "koi8-r")


# --- bytes ---------------------------------------------------------------------------------

CSV_TEXT = (
    "ho_ten,dan_toc,noi_sinh\n"
    "Lù Văn Quân,Thái,Nậm Nhùn\n"
    "Giàng Thị Dợ,Mông,Mường Tè\n"
    "Lò Văn Hùng,Lự,Sìn Hồ\n"
)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_decode_bytes_legacy_file(encoding):
    data = legacy_bytes(CSV_TEXT, encoding)
    assert data != CSV_TEXT.encode("utf-8")
    assert decode_bytes(data) == (CSV_TEXT, encoding)


def test_decode_bytes_utf8_with_and_without_bom():
    nfd = unicodedata.normalize("NFD", CSV_TEXT)
    assert decode_bytes(CSV_TEXT.encode("utf-8")) == (CSV_TEXT, "utf-8")
    assert decode_bytes(nfd.encode("utf-8")) == (CSV_TEXT, "utf-8")
    assert decode_bytes(CSV_TEXT.encode("utf-8-sig")) == (CSV_TEXT, "utf-8-sig")
    assert decode_bytes(b"ho_ten\nHua Bum\n") == ("ho_ten\nHua Bum\n", "utf-8")


def test_decode_bytes_cp1258():
    data = cp1258_bytes(CSV_TEXT)
    assert b"\xcc" in data or b"\xec" in data  # combining tone marks are in there
    assert decode_bytes(data) == (CSV_TEXT, "cp1258")
    assert decode_bytes(cp1258_bytes("Lù Văn Quân")) == ("Lù Văn Quân", "cp1258")


def test_decode_bytes_plain_western_text():
    assert decode_bytes("Café Müller, 5 €".encode("cp1252")) == ("Café Müller, 5 €", "cp1252")
    assert decode_bytes("Thái".encode("cp1252")) == ("Thái", "cp1252")
    # Bytes windows-1252 leaves undefined still decode (as Latin-1).
    assert decode_bytes(b"a\x81b") == ("a\x81b", "cp1252")


def test_decode_bytes_legacy_crlf_file_round_trips():
    text = CSV_TEXT.replace("\n", "\r\n")
    for encoding in ("tcvn3", "vni"):
        assert decode_bytes(legacy_bytes(text, encoding)) == (text, encoding)


# --- tables --------------------------------------------------------------------------------

PEOPLE = [
    # full name, ethnic group, birthplace, phone
    ("Lù Văn Quân", "Thái", "Nậm Nhùn", "0912345678"),
    ("Giàng Thị Dợ", "Mông", "Mường Tè", "0987000111"),
    ("Lò Văn Hùng", "Lự", "Sìn Hồ", "0203111222"),
    ("Hoàng Thị Lý", "Hà Nhì", "Hua Bum", "0203333444"),
    ("Đặng Thùy Trâm", "Kinh", "Pú Đao", ""),
]


def test_convert_columns_mixed_table():
    rows = [
        {
            "full_name": from_unicode(name, "tcvn3"),
            "birthplace": from_unicode(place, "vni"),
            "ethnic_group": group,
            "phone": phone,
        }
        for name, group, place, phone in PEOPLE
    ]
    original = [dict(row) for row in rows]
    converted, report = convert_columns(rows)
    assert report == {"full_name": "tcvn3", "birthplace": "vni"}
    assert converted == [
        {"full_name": name, "birthplace": place, "ethnic_group": group, "phone": phone}
        for name, group, place, phone in PEOPLE
    ]
    assert rows == original  # the input is not modified


def test_convert_columns_decides_ambiguous_cells_by_the_column():
    # On its own TCVN3 "Lù" (Lự) is the Unicode surname Lù; the column's other cells decide.
    groups = ["Lự", "Thái", "Mông", "Hà Nhì", "Lự"]
    places = ["Sìn Hồ", "Nậm Nhùn", "Mường Tè", "Sìn Hồ", "Pa Tần"]
    rows = [
        {"group": from_unicode(group, "tcvn3"), "place": from_unicode(place, "vni")}
        for group, place in zip(groups, places, strict=True)
    ]
    assert detect(rows[0]["group"]) == "unicode"
    assert detect(rows[0]["place"]) == "unicode"
    converted, report = convert_columns(rows)
    assert report == {"group": "tcvn3", "place": "vni"}
    assert [row["group"] for row in converted] == groups
    assert [row["place"] for row in converted] == places


def test_convert_columns_leaves_unicode_columns_alone():
    rows = [{"name": name} for name in LATIN1_UNICODE + ["Lù Văn Quân", "Nậm Nhùn"]]
    converted, report = convert_columns(rows)
    assert report == {}
    assert converted == rows


def test_convert_columns_skips_cells_that_cannot_be_legacy_and_non_strings():
    rows = [
        {"name": from_unicode("Nguyễn Văn An", "tcvn3"), "note": None},
        {"name": from_unicode("Trần Thị Bình", "tcvn3")},
        {"name": "Lê Lợi", "note": "x"},  # already Unicode: has ợ, which TCVN3 cannot hold
        {"name": None},
    ]
    converted, report = convert_columns(rows)
    assert report == {"name": "tcvn3"}
    assert [row.get("name") for row in converted] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Lợi",
        None,
    ]
    assert converted[0]["note"] is None and "note" not in converted[1]
    assert convert_columns([]) == ([], {})
