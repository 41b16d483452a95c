"""Detect and convert legacy Vietnamese text encodings to Unicode NFC.

Old Vietnamese office software stored text in 8-bit "font encodings":

* **TCVN3** (a.k.a. ABC, TCVN 5712:1993 "VN3"; fonts ``.VnTime``, ``.VnArial``...). Every
  Vietnamese letter is one byte. The VN3 table has all lower case letters but, among the
  capitals, only ``Ă Â Ê Ô Ơ Ư Đ``: capital toned vowels were typed with the lower case code
  in an upper case font (``.VnTimeH``), so the table below decodes them as lower case (see
  :func:`to_unicode` for the all-capitals heuristic).
* **VNI** (VNI-Windows; fonts ``VNI-Times``, ``VNI-Helve``...). A vowel is a plain ASCII
  letter followed by one Latin-1 "mark" character (``"aø"`` = à, ``"aâ"`` = â, ``"aà"`` = ầ);
  ``ơ ư đ`` and the ``i`` family are single characters (``"ô"`` = ơ, ``"ö"`` = ư, ``"ñ"`` = đ,
  ``"ò"`` = ị).

Such text reaches us either as the raw bytes of a CSV file (:func:`decode_bytes`) or as an
``.xlsx`` cell whose characters are the legacy code points read as windows-1252 / Latin-1, the
classic mojibake ``"Lï V¨n Qu©n"`` (TCVN3) or ``"Luø Vaên Quaân"`` (VNI) for "Lù Văn Quân"
(:func:`detect`, :func:`to_unicode`, :func:`convert_columns`).

Detection reads the text in each candidate encoding and scores every word that contains a
non-ASCII character: +1 when the reading is a well-formed Vietnamese syllable (valid initial
consonant, vowel cluster and final consonant, at most one tone mark placed on the right vowel,
only sắc/nặng before a stop final), -1 otherwise. Text holding letters that no legacy
reading can produce (anything beyond Latin-1/windows-1252, e.g. ``ạ ă đ ơ ư``) is Unicode;
ties go to Unicode (TCVN3 against VNI: characters only one of them uses, then letter
frequencies). Some strings read well in several encodings (TCVN3 "Lù" for "Lự" is the surname
"Lù"; VNI "Sìn Hoà" for "Sìn Hồ" is valid Unicode) and cannot be decided alone, which is why
:func:`convert_columns` votes over a whole column.

Standard library only.
"""

from __future__ import annotations

import codecs
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import IO, Final

__all__ = [
    "ASCII",
    "ENCODINGS",
    "TCVN3",
    "UNICODE",
    "VIETNAMESE_LETTERS",
    "VNI",
    "convert_columns",
    "decode_bytes",
    "detect",
    "from_unicode",
    "to_unicode",
]

UNICODE: Final = "unicode"
TCVN3: Final = "tcvn3"
VNI: Final = "vni"
ASCII: Final = "ascii"
#: The values :func:`detect` returns.
ENCODINGS: Final = (UNICODE, TCVN3, VNI, ASCII)

# Accepted spellings of the encoding argument of to_unicode() / from_unicode().
_ALIASES: Final = {
    "tcvn3": TCVN3,
    "tcvn": TCVN3,
    "abc": TCVN3,
    "vn3": TCVN3,
    "tcvn5712": TCVN3,
    "vntime": TCVN3,
    "vni": VNI,
    "vniwindows": VNI,
    "vnitimes": VNI,
    "unicode": UNICODE,
    "utf8": UNICODE,
    "utf8sig": UNICODE,
    "ascii": ASCII,
}


def _canonical_encoding(encoding: str) -> str:
    key = re.sub(r"[\s._-]", "", encoding.lower())
    try:
        return _ALIASES[key]
    except KeyError:
        raise ValueError(f"unknown Vietnamese encoding: {encoding!r}") from None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------------------------
# The alphabet
# --------------------------------------------------------------------------------------------

# Tone marks in the order the tables below use: none, sắc, huyền, hỏi, ngã, nặng.
_TONE_MARKS: Final = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_TONE_OF_MARK: Final = {mark: tone for tone, mark in enumerate(_TONE_MARKS) if mark}
_SAC, _NANG = 1, 5

# The 12 Vietnamese vowels (lower case, toneless).
_VOWELS: Final = "aăâeêioôơuưy"
_HAT_VOWELS: Final = frozenset("ăâêôơư")


def _toned(vowel: str, tone: int) -> str:
    return _nfc(vowel + _TONE_MARKS[tone])


def _all_letters() -> tuple[str, ...]:
    lower = [_toned(vowel, tone) for vowel in _VOWELS for tone in range(6)]
    lower = [letter for letter in lower if not letter.isascii()] + ["đ"]
    return tuple(lower + [letter.upper() for letter in lower])


#: The 134 non-ASCII Vietnamese letters (NFC): 67 lower case, then their 67 capitals.
VIETNAMESE_LETTERS: Final = _all_letters()

# Characters of a windows-1252 decoding that are not in Latin-1 (0x80..0x9F).
_CP1252_EXTRA: Final = frozenset(
    bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore").replace("\ufffd", "")
)


def _could_be_legacy(text: str) -> bool:
    """Whether ``text`` could be legacy bytes read as windows-1252/Latin-1: it has no letter
    or combining mark beyond them (ạ, ư, ́ ...). Other symbols ("→", "★") may have been added
    in Unicode to a legacy text and prove nothing."""
    return all(
        ord(ch) < 0x100 or ch in _CP1252_EXTRA or unicodedata.category(ch)[0] not in "LM"
        for ch in text
    )


# --------------------------------------------------------------------------------------------
# TCVN3 (ABC, TCVN 5712:1993 VN3)
# --------------------------------------------------------------------------------------------

# For each vowel: the code of the toneless letter, then sắc, huyền, hỏi, ngã, nặng.
_TCVN3_ROWS: Final = {
    "a": "a\xb8\xb5\xb6\xb7\xb9",
    "ă": "\xa8\xbe\xbb\xbc\xbd\xc6",
    "â": "\xa9\xca\xc7\xc8\xc9\xcb",
    "e": "e\xd0\xcc\xce\xcf\xd1",
    "ê": "\xaa\xd5\xd2\xd3\xd4\xd6",
    "i": "i\xdd\xd7\xd8\xdc\xde",
    "o": "o\xe3\xdf\xe1\xe2\xe4",
    "ô": "\xab\xe8\xe5\xe6\xe7\xe9",
    "ơ": "\xac\xed\xea\xeb\xec\xee",
    "u": "u\xf3\xef\xf1\xf2\xf4",
    "ư": "\xad\xf8\xf5\xf6\xf7\xf9",
    "y": "y\xfd\xfa\xfb\xfc\xfe",
}
# đ and the only capitals VN3 has.
_TCVN3_OTHERS: Final = {
    "đ": "\xae",
    "Ă": "\xa1",
    "Â": "\xa2",
    "Ê": "\xa3",
    "Ô": "\xa4",
    "Ơ": "\xa5",
    "Ư": "\xa6",
    "Đ": "\xa7",
}


def _build_tcvn3() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    for vowel, codes in _TCVN3_ROWS.items():
        for tone, code in enumerate(codes):
            letter = _toned(vowel, tone)
            if letter.isascii():
                continue
            encode[letter] = code
            # VN3 has no capital toned vowels: write them with the lower case code.
            encode.setdefault(letter.upper(), code)
    encode.update(_TCVN3_OTHERS)
    decode = {code: letter for letter, code in encode.items() if not letter.isupper()}
    decode.update({code: letter for letter, code in _TCVN3_OTHERS.items()})
    return encode, decode


_TCVN3_ENCODE, _TCVN3_DECODE = _build_tcvn3()
_TCVN3_TABLE: Final = str.maketrans(_TCVN3_DECODE)
# Codes whose case is unknown (toned vowels, shared by both cases) and codes with a case.
_TCVN3_CASELESS: Final = frozenset(code for codes in _TCVN3_ROWS.values() for code in codes[1:])
_TCVN3_UPPER: Final = frozenset(code for letter, code in _TCVN3_OTHERS.items() if letter.isupper())
_TCVN3_LOWER: Final = frozenset(code for letter, code in _TCVN3_OTHERS.items() if letter.islower())

# A run of characters that can form a word in legacy text (letters and Latin-1 symbols, which
# TCVN3 uses for letters: "¸" is á, "\xad" (soft hyphen) is ư).
_LEGACY_WORD: Final = re.compile(r"[A-Za-z\u00a1-\u00ff]+")


# A word made of capitals and case-less toned codes only (a candidate .VnTimeH word), and
# a lower case letter anywhere.
_TCVN3_CAPS_CLASS: Final = "".join(sorted(_TCVN3_UPPER | _TCVN3_CASELESS))
_TCVN3_CAPS_WORD: Final = re.compile(
    f"(?<![A-Za-z\u00a1-\u00ff])[A-Z{_TCVN3_CAPS_CLASS}]+(?![A-Za-z\u00a1-\u00ff])"
)
_TCVN3_LOWER_LETTER: Final = re.compile(f"[a-z{''.join(sorted(_TCVN3_LOWER))}]")


def _decode_tcvn3(text: str, *, fix_case: bool = True) -> str:
    decoded = text.translate(_TCVN3_TABLE)
    if not fix_case:
        return decoded
    # .VnTimeH: a word typed in capitals still uses the lower case codes for toned vowels.
    # Upper-case those when the word shows two or more capitals and no lower case letter;
    # shorter words ("TÌ", "ë") follow when there is such a word and the whole text has no
    # lower case letter. Otherwise ("Hå", "UBND X· Hå") keep the lower case.
    words: list[tuple[int, int, int]] = []
    for match in _TCVN3_CAPS_WORD.finditer(text):
        word = match.group()
        if any(ch in _TCVN3_CASELESS for ch in word):
            capitals = sum(1 for ch in word if ch not in _TCVN3_CASELESS)
            words.append((match.start(), match.end(), capitals))
    if not words:
        return decoded
    one_is_enough = any(capitals >= 2 for _, _, capitals in words) and not (
        _TCVN3_LOWER_LETTER.search(text)
    )
    parts: list[str] = []
    done = 0
    for start, end, capitals in words:
        if capitals >= 2 or one_is_enough:
            parts += [decoded[done:start], decoded[start:end].upper()]
            done = end
    parts.append(decoded[done:])
    return "".join(parts)


def _encode_tcvn3(text: str) -> str:
    return "".join(_TCVN3_ENCODE.get(ch, ch) for ch in _nfc(text))


# --------------------------------------------------------------------------------------------
# VNI (VNI-Windows)
# --------------------------------------------------------------------------------------------

# Marks written after a vowel, lower case forms, in tone order (none, sắc, huyền, hỏi, ngã,
# nặng). The upper case font uses the upper case Latin-1 letter of each mark.
_VNI_TONE: Final = ("", "ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX: Final = ("â", "á", "à", "å", "ã", "ä")  # â ê ô with each tone
_VNI_BREVE: Final = ("ê", "é", "è", "ú", "ü", "ë")  # ă with each tone
_VNI_I: Final = ("i", "í", "ì", "æ", "ó", "ò")  # the i family is one character each
_VNI_HORN: Final = {"ơ": "ô", "ư": "ö"}  # ơ ư are one character, then a tone mark
_VNI_DOT_Y: Final = "î"  # ỵ (the other y letters are y + tone mark)
_VNI_D: Final = "ñ"  # đ


def _vni_lower(vowel: str, tone: int) -> str:
    if vowel == "i":
        return _VNI_I[tone]
    if vowel == "y" and tone == _NANG:
        return _VNI_DOT_Y
    if vowel in "âêô":
        return unicodedata.normalize("NFD", vowel)[0] + _VNI_CIRCUMFLEX[tone]
    if vowel == "ă":
        return "a" + _VNI_BREVE[tone]
    return _VNI_HORN.get(vowel, vowel) + _VNI_TONE[tone]


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {"đ": _VNI_D, "Đ": _VNI_D.upper()}
    for vowel in _VOWELS:
        for tone in range(6):
            letter = _toned(vowel, tone)
            if not letter.isascii():
                code = _vni_lower(vowel, tone)
                encode[letter] = code
                encode[letter.upper()] = code.upper()
    decode = {code: letter for letter, code in encode.items()}
    # Tolerate a capital base letter with a lower case mark ("Uûy" for "Ủy"). Not the other
    # way round: a small letter then a capital Latin-1 letter is typical of TCVN3 ("HuÕ").
    for code, letter in list(decode.items()):
        if len(code) == 2 and code.isupper():
            decode.setdefault(code[0] + code[1].lower(), letter)
    return encode, decode


_VNI_ENCODE, _VNI_DECODE = _build_vni()
# Characters that only appear as the second half of a two-character VNI letter.
_VNI_MARKS: Final = frozenset(code[1] for code in _VNI_DECODE if len(code) == 2)


def _decode_vni(text: str, *, strict: bool = False) -> str | None:
    """Greedy longest-match decoding. With ``strict``, return None when a non-ASCII
    character is not part of a VNI letter (used to score a reading)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            i += 2
            continue
        ch = text[i]
        letter = _VNI_DECODE.get(ch)
        if letter is None:
            if strict and not ch.isascii():
                return None
            letter = ch
        out.append(letter)
        i += 1
    return "".join(out)


def _encode_vni(text: str) -> str:
    return "".join(_VNI_ENCODE.get(ch, ch) for ch in _nfc(text))


# --------------------------------------------------------------------------------------------
# Vietnamese syllable structure (used to score the readings of a text)
# --------------------------------------------------------------------------------------------

_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzăâđêôơư")
_INITIALS: Final = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
    "f", "j", "w", "z", "",
)  # fmt: skip
_FINALS: Final = ("ch", "ng", "nh", "c", "k", "m", "n", "p", "t", "")
_STOP_FINALS: Final = frozenset({"c", "ch", "k", "p", "t"})
# Vowel clusters that end the syllable, that need a final consonant, and that allow both.
_OPEN_NUCLEI: Final = frozenset({
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui",
    "ưa", "ưi", "ưu", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uôi", "ươi", "ươu", "uya",
    "uyu", "uây", "uơ",
})  # fmt: skip
_CLOSED_NUCLEI: Final = frozenset({"ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê", "oo"})
_FREE_NUCLEI: Final = frozenset({
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy",
})  # fmt: skip
_NUCLEI: Final = _OPEN_NUCLEI | _CLOSED_NUCLEI | _FREE_NUCLEI
# Clusters with a medial o/u: written qu-, never c- ("quang", not "coang").
_MEDIAL_NUCLEI: Final = frozenset(
    n for n in _NUCLEI if len(n) > 1 and n[0] in "ou" and n[1] in "aăâeêyơ" and n != "ua"
)
_PALATAL_NUCLEI: Final = frozenset({"a", "ê", "i", "y", "oa", "uê", "uy"})  # before ch/nh
# y alone is a spelling of i after a few initials only ("kỹ", "lý", "Mỹ", "quý", "tỷ", "Vy").
_Y_INITIALS: Final = frozenset({"", "h", "k", "l", "m", "qu", "s", "t", "th", "v"})
_RARE_NUCLEI: Final = frozenset({"oo", "oao", "uya", "uyu"})
_RARE_INITIALS: Final = frozenset("fjwz")


def _split_tone(word: str) -> tuple[str, int, int] | None:
    """Lower case ``word`` → (toneless letters, tone, index of the toned letter), or None when
    it holds a non-Vietnamese character, two tone marks or a tone on a consonant."""
    letters: list[str] = []
    tone, position = 0, -1
    for ch in word.lower():
        decomposed = unicodedata.normalize("NFD", ch)
        marks = [mark for mark in decomposed if mark in _TONE_OF_MARK]
        base = _nfc("".join(mark for mark in decomposed if mark not in _TONE_OF_MARK))
        if base not in _LETTERS:
            return None
        if marks:
            if tone or len(marks) > 1 or base not in _VOWELS:
                return None
            tone, position = _TONE_OF_MARK[marks[0]], len(letters)
        letters.append(base)
    return "".join(letters), tone, position


def _tone_position_ok(nucleus: str, has_final: bool, index: int) -> bool:
    hats = [i for i, ch in enumerate(nucleus) if ch in _HAT_VOWELS]
    if hats:
        return index == hats[-1]
    if len(nucleus) == 1:
        return index == 0
    if len(nucleus) == 3:
        return index == 1
    if has_final:
        return index == 1
    # Open two-vowel clusters: on the first vowel; oa/oe/uy also on the second ("hoà").
    return index == 0 or (index == 1 and nucleus in ("oa", "oe", "uy"))


def _parse_ok(initial: str, nucleus: str, final: str, tone: int, index: int) -> bool | None:
    """True (common), False (rare but valid) or None (not a Vietnamese syllable)."""
    if nucleus not in _NUCLEI:
        return None
    if (final and nucleus in _OPEN_NUCLEI) or (not final and nucleus in _CLOSED_NUCLEI):
        return None
    if final in ("ch", "nh") and nucleus not in _PALATAL_NUCLEI:
        return None
    if final in ("c", "ng") and nucleus in ("i", "y", "uy", "ê", "ơ", "uê"):
        return None
    if nucleus == "y" and (initial not in _Y_INITIALS or (final and initial != "qu")):
        return None
    if final in _STOP_FINALS and tone not in (0, _SAC, _NANG):
        return None
    if initial == "c" and (nucleus[0] in "eêiy" or nucleus in _MEDIAL_NUCLEI):
        return None
    if initial in ("gh", "ngh") and nucleus[0] not in "eêi":
        return None
    if (initial in ("g", "ng") and nucleus[0] in "eê") or (initial == "ng" and nucleus[0] == "i"):
        return None
    if initial == "qu" and nucleus[0] in "ou":
        return None
    if tone:
        offset = index - len(initial)
        if not 0 <= offset < len(nucleus):
            return None
        if not _tone_position_ok(nucleus, bool(final), offset):
            return None
    return not (nucleus in _RARE_NUCLEI or initial in _RARE_INITIALS or final == "k")


@lru_cache(maxsize=65536)
def _syllable_score(word: str) -> float:
    """+1 for a well-formed Vietnamese syllable, +0.5 for a rare one, -1 otherwise."""
    split = _split_tone(word)
    if split is None:
        return -1.0
    letters, tone, index = split
    best: bool | None = None
    for initial in _INITIALS:
        if not letters.startswith(initial):
            continue
        rest = letters[len(initial) :]
        for final in _FINALS:
            if not rest.endswith(final):
                continue
            nucleus = rest[: len(rest) - len(final)]
            verdict = _parse_ok(initial, nucleus, final, tone, index)
            if verdict:
                return 1.0
            if verdict is False:
                best = False
    return 0.5 if best is False else -1.0


def _case_ok(word: str) -> bool:
    """Unicode words are lower case, Capitalised or ALL CAPS."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------

_MAX_WORDS: Final = 5000  # enough evidence; keeps detection of large files fast


def _scored_words(text: str) -> list[str]:
    """The words that carry evidence: those with a non-ASCII character, except a lone symbol
    ("2 × 3", "§ 4": TCVN3 would read a letter there)."""
    words = [
        w for w in _LEGACY_WORD.findall(text) if not w.isascii() and (len(w) > 1 or w.isalpha())
    ]
    return words[:_MAX_WORDS]


def _unicode_word_score(word: str) -> float:
    word = _nfc(word)
    if not _case_ok(word):
        return -1.0
    return _syllable_score(word.lower())


def _tcvn3_word_score(word: str) -> float:
    if any(not ch.isascii() and ch not in _TCVN3_DECODE for ch in word):
        return -1.0
    return _syllable_score(word.translate(_TCVN3_TABLE).lower())


def _vni_word_score(word: str) -> float:
    decoded = _decode_vni(word, strict=True)
    if decoded is None or not _case_ok(decoded):
        return -1.0
    return _syllable_score(_nfc(decoded).lower())


_SCORERS: Final = {UNICODE: _unicode_word_score, TCVN3: _tcvn3_word_score, VNI: _vni_word_score}
_TCVN3_ONLY: Final = frozenset(_TCVN3_DECODE) - frozenset("".join(_VNI_DECODE))


def _signatures(words: Iterable[str]) -> dict[str, int]:
    """First tie-breaker between the legacy readings: characters that only TCVN3 uses, and
    vowel + mark pairs, which make up most VNI letters but hardly occur in TCVN3 text."""
    tcvn3 = vni = 0
    for word in words:
        tcvn3 += sum(1 for ch in word if ch in _TCVN3_ONLY)
        vni += sum(
            1
            for i in range(1, len(word))
            if word[i] in _VNI_MARKS and word[i - 1 : i + 1] in _VNI_DECODE
        )
    return {TCVN3: tcvn3, VNI: vni}


# Rough relative frequencies of the vowels and tones in Vietnamese text, for the last
# tie-breaker: VNI "Nöa" (Nưa) also reads as TCVN3 "Nửa", and toneless ư is far more common.
_VOWEL_WEIGHT: Final = {
    "a": 20, "ă": 5, "â": 10, "e": 4, "ê": 7, "i": 10, "o": 10, "ô": 10, "ơ": 6, "u": 8,
    "ư": 7, "y": 3, "đ": 10,
}  # fmt: skip
_TONE_WEIGHT: Final = (32, 20, 20, 9, 4, 15)  # none, sắc, huyền, hỏi, ngã, nặng


@lru_cache(maxsize=512)
def _letter_log_weight(letter: str) -> float | None:
    split = _split_tone(letter)
    if split is None or split[0] not in _VOWEL_WEIGHT:
        return None
    return math.log(_VOWEL_WEIGHT[split[0]] * _TONE_WEIGHT[split[1]])


def _mean_log_weight(decoded_words: Iterable[str]) -> float:
    weights = [
        weight
        for word in decoded_words
        for ch in word
        if not ch.isascii() and (weight := _letter_log_weight(ch)) is not None
    ]
    return sum(weights) / len(weights) if weights else 0.0


def _scores(text: str) -> dict[str, float]:
    words = _scored_words(text)
    return {name: sum(scorer(w) for w in words) for name, scorer in _SCORERS.items()}


def _pick(scores: dict[str, float], text: str) -> str:
    """The best reading. Unicode wins ties, and a legacy reading needs more valid than invalid
    words (text that is not Vietnamese in any reading stays as it is); between TCVN3 and VNI,
    the signatures and then the letter frequencies decide."""
    legacy = max(scores[TCVN3], scores[VNI])
    if legacy <= scores[UNICODE] or legacy <= 0:
        return UNICODE
    if scores[TCVN3] != scores[VNI]:
        return TCVN3 if scores[TCVN3] > scores[VNI] else VNI
    words = _scored_words(text)
    signatures = _signatures(words)
    if signatures[TCVN3] != signatures[VNI]:
        return TCVN3 if signatures[TCVN3] > signatures[VNI] else VNI
    tcvn3 = _mean_log_weight(w.translate(_TCVN3_TABLE).lower() for w in words)
    vni = _mean_log_weight(_nfc(_decode_vni(w) or "").lower() for w in words)
    return VNI if vni > tcvn3 else TCVN3


def detect(text: str) -> str:
    """Guess how a ``str`` encodes Vietnamese: ``"unicode"``, ``"tcvn3"``, ``"vni"`` or
    ``"ascii"``.

    Legacy text is expected as its code points read as windows-1252/Latin-1 (an ``.xlsx`` cell
    typed in ``.VnTime``/``VNI-Times``, or a CSV decoded as cp1252). Text with a letter that
    such a reading cannot produce (``ạ ă đ ơ ư``, combining marks, CJK...) is ``"unicode"``,
    even when other words look like legacy text (converting would break the Unicode part);
    pure ASCII is ``"ascii"``. Otherwise every word is read in each encoding and scored for
    being a well-formed Vietnamese syllable; Unicode wins ties.
    """
    if text.isascii():
        return ASCII
    if not _could_be_legacy(text):
        return UNICODE
    return _pick(_scores(text), text)


# --------------------------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------------------------


def to_unicode(text: str, encoding: str | None = None) -> str:
    """Convert ``text`` from ``encoding`` (``"tcvn3"``, ``"vni"``; detected when None) to
    Unicode NFC. Unicode and ASCII text is only NFC-normalised.

    TCVN3 capital toned vowels share the lower case code (they were drawn by an upper case
    font), so they decode as lower case, except in words otherwise written in capitals
    (``"HUYÖN"`` → "HUYỆN"; shorter words like ``"TÌ"`` too when the whole text is in capitals).
    """
    name = detect(text) if encoding is None else _canonical_encoding(encoding)
    if name == TCVN3:
        return _nfc(_decode_tcvn3(text))
    if name == VNI:
        return _nfc(_decode_vni(text) or "")
    return _nfc(text)


def from_unicode(text: str, encoding: str) -> str:
    """Write Unicode ``text`` in a legacy encoding (``"tcvn3"`` or ``"vni"``), as the code
    points a windows-1252 reading gives (encode the result with ``"cp1252"`` for file bytes).

    TCVN3 has no capital toned vowels: they are written with the lower case code, as users of
    ``.VnTimeH`` did. Characters that are not Vietnamese letters are copied unchanged.
    """
    name = _canonical_encoding(encoding)
    if name == TCVN3:
        return _encode_tcvn3(text)
    if name == VNI:
        return _encode_vni(text)
    raise ValueError(f"not a legacy encoding: {encoding!r}")


# --------------------------------------------------------------------------------------------
# Files and tables
# --------------------------------------------------------------------------------------------

_UTF8_BOM: Final = b"\xef\xbb\xbf"


def _decode_8bit(data: bytes, codec: str) -> str:
    """Decode with a windows code page; bytes it leaves undefined map to Latin-1."""
    text = data.decode(codec, errors="replace")
    if "\ufffd" not in text:
        return text
    return "".join(
        data[i : i + 1].decode("latin-1") if ch == "\ufffd" else ch for i, ch in enumerate(text)
    )


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the raw bytes of a text (CSV) file to Unicode NFC.

    Returns ``(text, encoding)`` where encoding is ``"utf-8-sig"`` or ``"utf-8"`` when the
    bytes are valid UTF-8 (with or without a byte order mark); otherwise ``"tcvn3"``,
    ``"vni"``, ``"cp1258"`` (Windows Vietnamese, combining tone marks) or ``"cp1252"`` (plain
    Western/Latin-1 text), whichever reading of the bytes looks most like Vietnamese.

    UTF-8 text is not converted further: legacy mojibake inside a UTF-8 file is handled per
    column by :func:`convert_columns`.
    """
    if data.startswith(_UTF8_BOM):
        try:
            return _nfc(data[len(_UTF8_BOM) :].decode("utf-8")), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return _nfc(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            pass
    # Single-byte text; every byte decodes (windows-1252, with Latin-1 for its 5 holes).
    western = _decode_8bit(data, "cp1252")
    scores = _scores(western)
    vietnamese = _nfc(_decode_8bit(data, "cp1258"))
    if vietnamese != _nfc(western):
        # A Vietnamese file is hardly ever windows-1252 (it cannot hold ư, ơ, ă...), so
        # windows-1258 also wins a tie with that reading ("Văn" / "Vãn").
        cp1258 = sum(_unicode_word_score(w) for w in _cp1258_words(vietnamese))
        if cp1258 > 0 and cp1258 >= scores[UNICODE] and cp1258 > max(scores[TCVN3], scores[VNI]):
            return vietnamese, "cp1258"
    choice = _pick(scores, western)
    if choice == UNICODE:
        return _nfc(western), "cp1252"
    return to_unicode(western, choice), choice


def _cp1258_words(text: str) -> list[str]:
    words = [w for w in re.findall(r"[^\W\d_]+", text) if not w.isascii()]
    return words[:_MAX_WORDS]


def convert_columns(
    rows: list[dict[str, str]],
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Convert the columns of a table whose cells are in a legacy encoding.

    For each column, every non-ASCII cell votes with :func:`detect`; a column is converted
    when TCVN3 or VNI gets more votes than each other reading. Cells that cannot be legacy text
    (they hold characters like ``ạ`` or ``ư``) are left as they are. Returns new rows (the input
    is not modified) and ``{column: encoding}`` for the converted columns, in column order.
    Values that are not strings (e.g. None from :class:`csv.DictReader`) are copied unchanged.
    """
    columns: dict[str, Counter[str]] = {}
    for row in rows:
        for column, value in row.items():
            votes = columns.setdefault(column, Counter())
            if isinstance(value, str) and not value.isascii():
                votes[detect(value)] += 1
    converted: dict[str, str] = {}
    for column, votes in columns.items():
        best = max((UNICODE, TCVN3, VNI), key=lambda name: votes[name])  # ties: Unicode first
        if best != UNICODE and votes[best] > votes[UNICODE]:
            converted[column] = best
    if not converted:
        return [dict(row) for row in rows], converted
    out: list[dict[str, str]] = []
    for row in rows:
        new = dict(row)
        for column, encoding in converted.items():
            cell = new.get(column)
            if isinstance(cell, str) and not cell.isascii() and _could_be_legacy(cell):
                new[column] = to_unicode(cell, encoding)
        out.append(new)
    return out, converted


# --------------------------------------------------------------------------------------------
# Streams: files decoded a chunk at a time
# --------------------------------------------------------------------------------------------

#: Bytes read at a time from a stream.
CHUNK: Final = 1 << 20
#: The lines with non-ASCII bytes that decide a legacy file's encoding (at most this many bytes;
#: detection reads only its first few thousand words anyway).
SAMPLE_BYTES: Final = 1 << 20
#: A line longer than this is refused (the CSV reader's own limit on a cell).
MAX_LINE: Final = 1 << 24


def read_chunks(handle: IO[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """The bytes of ``handle`` in pieces of at most ``size``."""
    while chunk := handle.read(size):
        yield chunk


def sniff_encoding(chunks: Iterable[bytes]) -> str:
    """The encoding :func:`decode_bytes` would give the file whose bytes are ``chunks``, read in
    pieces: ``"utf-8-sig"``/``"utf-8"`` when they are valid UTF-8, else the verdict on the lines
    that hold non-ASCII bytes (the only ones that carry evidence), at most
    :data:`SAMPLE_BYTES` of them. Memory holds one chunk and the sample."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, first, carry = True, True, b""
    sample: list[bytes] = []
    sampled = 0
    bom = False
    for chunk in chunks:
        if first:
            bom, first = chunk.startswith(_UTF8_BOM), False
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        if sampled < SAMPLE_BYTES:
            lines = (carry + chunk).split(b"\n")
            carry = lines.pop()[-MAX_LINE:]
            for line in lines:
                if not line.isascii() and sampled < SAMPLE_BYTES:
                    sample.append(line)
                    sampled += len(line) + 1
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if utf8:
        return "utf-8-sig" if bom else "utf-8"
    if carry and not carry.isascii() and sampled < SAMPLE_BYTES:
        sample.append(carry)
    return decode_bytes(b"\n".join(sample).removeprefix(_UTF8_BOM))[1]


def _decode_piece(data: bytes, encoding: str) -> str:
    if encoding in ("utf-8", "utf-8-sig"):
        return _nfc(data.decode("utf-8"))
    if encoding in ("cp1258", "cp1252"):
        return _nfc(_decode_8bit(data, encoding))
    return to_unicode(_decode_8bit(data, "cp1252"), encoding)


def decode_chunks(chunks: Iterable[bytes], encoding: str) -> Iterator[str]:
    """The text of ``chunks`` (a file in ``encoding``, as :func:`sniff_encoding` names it),
    decoded piece by piece: each piece ends at a line break (so no character, TCVN3 word or VNI
    letter is cut), and only one chunk and one unfinished line are held at a time. The pieces
    joined equal :func:`decode_bytes` of the whole file (the byte order mark removed)."""
    rest, first = b"", True
    for chunk in chunks:
        data = rest + chunk
        if first and encoding == "utf-8-sig":
            data, first = data.removeprefix(_UTF8_BOM), False
        cut = data.rfind(b"\n") + 1
        if not cut:
            if len(data) > MAX_LINE:
                raise ValueError(f"a line longer than {MAX_LINE} bytes")
            rest = data
            continue
        rest = data[cut:]
        yield _decode_piece(data[:cut], encoding)
    if rest:
        yield _decode_piece(rest, encoding)


def decode_lines(handle: IO[bytes], encoding: str, size: int = CHUNK) -> Iterator[str]:
    """The lines of ``handle`` decoded from ``encoding``, for :func:`csv.reader` (line breaks
    kept, ``\\r\\n``, ``\\r`` and ``\\n`` as the CSV reader expects with ``newline=""``)."""
    for piece in decode_chunks(read_chunks(handle, size), encoding):
        yield from io.StringIO(piece, newline="")
