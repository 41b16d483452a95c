"""Vietnamese text utilities: normalisation, search folding, collation and formatting.

Pure standard library; this module must not import Django so it can be used anywhere
(management commands, data interchange, tests) without configured settings.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "CONTROL_CHARACTERS",
    "LOCAL_TIME_ZONE_NAME",
    "WEEKDAY_NAMES",
    "fold",
    "format_date",
    "format_number",
    "format_percent",
    "format_weekday_datetime",
    "has_control_characters",
    "local_time_zone",
    "name_sort_key",
    "nfc",
    "split_name",
    "strip_control_characters",
    "vietnamese_key",
]

LOCAL_TIME_ZONE_NAME = "Asia/Ho_Chi_Minh"

# Indexed by date.weekday(): Monday is 0, Sunday is 6.
WEEKDAY_NAMES: tuple[str, ...] = (
    "Thứ hai",
    "Thứ ba",
    "Thứ tư",
    "Thứ năm",
    "Thứ sáu",
    "Thứ bảy",
    "Chủ nhật",
)

# Vietnamese alphabetical order. The letters f, j, w and z are not part of the
# Vietnamese alphabet but occur in foreign names; they sit where Latin puts them.
_ALPHABET: tuple[str, ...] = (
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l",
    "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
)  # fmt: skip
_LETTER_RANK: dict[str, int] = {letter: rank for rank, letter in enumerate(_ALPHABET)}

# Combining marks that turn a base vowel into a distinct Vietnamese letter.
_VOWEL_MARKS = frozenset(
    {
        "\u0306",  # breve: ă
        "\u0302",  # circumflex: â ê ô
        "\u031b",  # horn: ơ ư
    }
)

# Tone marks in Vietnamese tone order; ngang (no mark) is 0.
_TONE_RANK: dict[str, int] = {
    "\u0300": 1,  # huyền (grave)
    "\u0301": 2,  # sắc (acute)
    "\u0309": 3,  # hỏi (hook above)
    "\u0303": 4,  # ngã (tilde)
    "\u0323": 5,  # nặng (dot below)
}

# Character classes for the primary collation level; lower classes sort first.
_CLASS_SPACE = 0
_CLASS_SYMBOL = 1
_CLASS_DIGIT = 2
_CLASS_LETTER = 3
_CLASS_OTHER_LETTER = 4

_FALLBACK_TIME_ZONE = timezone(timedelta(hours=7), "ICT")


#: Control characters no text of the registry holds: C0 except tab, line feed and carriage
#: return, DEL and C1. NUL above all: PostgreSQL refuses it in text, so a NUL reaching a query
#: was a server error.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(value: str | None) -> bool:
    """Whether ``value`` holds a character of :data:`CONTROL_CHARACTERS` (NUL, ESC…)."""
    return bool(value) and CONTROL_CHARACTERS.search(value) is not None  # type: ignore[arg-type]


def strip_control_characters(value: str | None) -> str:
    """``value`` without the characters of :data:`CONTROL_CHARACTERS`, tab and line breaks
    kept; ``None`` gives an empty string. For every boundary that cleans rather than refuses
    (the importer's cells, :func:`nfc`)."""
    if not value:
        return ""
    return CONTROL_CHARACTERS.sub("", value)


def nfc(value: str | None) -> str:
    """Return ``value`` in Unicode NFC with whitespace trimmed and collapsed and control
    characters (NUL…) removed.

    Leading and trailing whitespace is removed and every internal run of whitespace
    (including non-breaking spaces, tabs and newlines) becomes a single space.
    ``None`` gives an empty string.
    """
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", strip_control_characters(value)).split())


def fold(value: str | None) -> str:
    """Return a search key for ``value``: lowercase, no diacritics, ``đ`` as ``d``.

    Tone marks and vowel marks are both removed, so ``"Đảng bộ huyện Nậm Nhùn"``
    becomes ``"dang bo huyen nam nhun"``. Whitespace is trimmed and collapsed.
    """
    text = nfc(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


@lru_cache(maxsize=4096)
def _collate_char(char: str) -> tuple[tuple[int, int], int, tuple[int, ...]]:
    """Split one lowercase character into (primary weight, tone rank, other marks)."""
    if char.isspace():
        return (_CLASS_SPACE, 0), 0, ()
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    vowel_marks = "".join(mark for mark in marks if mark in _VOWEL_MARKS)
    letter = unicodedata.normalize("NFC", base + vowel_marks)
    if letter in _LETTER_RANK:
        leftover = [mark for mark in marks if mark not in _VOWEL_MARKS]
    else:
        # A vowel mark on a letter that does not take it (e.g. "ĕ"): keep the base
        # letter and treat the mark as a secondary difference only.
        letter = base
        leftover = list(marks)
    tone = 0
    extras: list[int] = []
    for mark in leftover:
        if tone == 0 and mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
        else:
            extras.append(ord(mark))
    if letter in _LETTER_RANK:
        primary = (_CLASS_LETTER, _LETTER_RANK[letter])
    elif letter.isdigit():
        primary = (_CLASS_DIGIT, unicodedata.digit(letter, ord(letter)))
    elif letter.isalpha():
        primary = (_CLASS_OTHER_LETTER, ord(letter))
    else:
        primary = (_CLASS_SYMBOL, ord(letter))
    return primary, tone, tuple(extras)


def vietnamese_key(text: str | None) -> tuple[Any, ...]:
    """Return a sort key ordering ``text`` in Vietnamese alphabetical order.

    The key is ``(letters, tones, marks)``: letters without tones are compared
    first over the whole string (case-insensitively, ``a ă â b c d đ e ê ...``),
    tones (ngang, huyền, sắc, hỏi, ngã, nặng) only break ties, and any other
    diacritics (from foreign names) come last. Spaces sort before symbols,
    symbols before digits, and digits before letters.
    """
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    marks: list[tuple[int, ...]] = []
    for char in nfc(text).lower():
        primary, tone, extras = _collate_char(char)
        letters.append(primary)
        tones.append(tone)
        marks.append(extras)
    return tuple(letters), tuple(tones), tuple(marks)


def split_name(full_name: str | None) -> tuple[str, str, str]:
    """Split a Vietnamese personal name into ``(family, middle, given)``.

    The family name is the first word, the given name the last word and the middle
    name everything in between. A single word is treated as a given name; an empty
    name gives three empty strings.
    """
    normalised = nfc(full_name)
    if not normalised:
        return "", "", ""
    words = normalised.split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str | None) -> tuple[Any, ...]:
    """Return a sort key for a Vietnamese personal name.

    Names are ordered by given name, then middle name(s), then family name, each
    compared with :func:`vietnamese_key`. The NFC form of the full name is the last
    element so that names differing only in letter case still sort deterministically.
    """
    family, middle, given = split_name(full_name)
    return (
        vietnamese_key(given),
        vietnamese_key(middle),
        vietnamese_key(family),
        nfc(full_name),
    )


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """Format a number the Vietnamese way: ``"."`` between thousands, ``","`` for decimals.

    The value is rounded half away from zero to ``decimals`` places, so
    ``format_number(1234567)`` is ``"1.234.567"`` and ``format_number(5.4, decimals=1)``
    is ``"5,4"``. Floats are rounded from their shortest decimal representation
    (``2.675`` rounds to ``2,68``). A value that rounds to zero has no minus sign.
    """
    if decimals < 0:
        raise ValueError("decimals must not be negative")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"cannot format non-finite number {value!r}")
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    latin = f"{rounded:,.{decimals}f}"
    return latin.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_money(value: int) -> str:
    """An amount in whole đồng the Vietnamese way: ``format_money(5000)`` is ``"5.000 đ"``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected whole đồng (int), got {type(value).__name__}")
    return f"{format_number(value)} đ"


def format_percent(value: int | float | Decimal, decimals: int = 1) -> str:
    """Format a percentage number, e.g. ``5.4`` -> ``"5,4%"``, ``1023.5`` -> ``"1.023,5%"``.

    ``value`` is already expressed in percent (it is not multiplied by 100).
    """
    return f"{format_number(value, decimals=decimals)}%"


@lru_cache(maxsize=1)
def local_time_zone() -> tzinfo:
    """Return the Vietnamese time zone (``Asia/Ho_Chi_Minh``).

    Falls back to a fixed UTC+07:00 offset when the system has no time zone data.
    """
    try:
        return ZoneInfo(LOCAL_TIME_ZONE_NAME)
    except ZoneInfoNotFoundError:
        return _FALLBACK_TIME_ZONE


def _to_local(value: datetime) -> datetime:
    """Convert an aware datetime to Vietnamese local time; leave naive ones as is."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    return value.astimezone(local_time_zone())


def format_date(d: date | datetime | None) -> str:
    """Format a date as ``"dd/mm/yyyy"``; ``None`` gives an empty string.

    Aware datetimes are first converted to Vietnamese local time.
    """
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = _to_local(d)
    elif not isinstance(d, date):
        raise TypeError(f"expected a date or datetime, got {type(d).__name__}")
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_weekday_datetime(value: date | datetime) -> str:
    """Format with the Vietnamese weekday, e.g. ``"Thứ năm, 23/11/2023 - 19:55"``.

    A plain date gives only the weekday and the date (``"Thứ năm, 23/11/2023"``).
    Aware datetimes are shown in Vietnamese local time; naive ones as they are.
    """
    if isinstance(value, datetime):
        local = _to_local(value)
        weekday = WEEKDAY_NAMES[local.weekday()]
        return f"{weekday}, {format_date(local)} - {local.hour:02d}:{local.minute:02d}"
    if isinstance(value, date):
        return f"{WEEKDAY_NAMES[value.weekday()]}, {format_date(value)}"
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


# Symbols of the collation key: only digits and capital letters, whose relative order is the same
# in ASCII and in every common database collation (PostgreSQL's en_US ignores spaces and
# punctuation, so they cannot be used). "0" separates parts and sorts before every symbol.
_KEY_DIGITS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_KEY_SEP = "0"


def _key_number(value: int, width: int) -> str:
    base = len(_KEY_DIGITS)
    value = min(value, base**width - 1)
    out = []
    for _ in range(width):
        value, digit = divmod(value, base)
        out.append(_KEY_DIGITS[digit])
    return "".join(reversed(out))


def _key_part(text: str) -> str:
    letters, tones, _marks = vietnamese_key(text)
    encoded = "".join(_key_number(cls, 1) + _key_number(rank, 3) for cls, rank in letters)
    return encoded + _KEY_SEP + "".join(_key_number(tone, 1) for tone in tones) + _KEY_SEP


def name_collation_key(full_name: str | None) -> str:
    """A plain string that sorts, byte by byte or in a database collation, like
    :func:`name_sort_key` (given name, middle, family; letters before tones). Stored on
    ``Member.name_key`` so the database can order and paginate Vietnamese name lists."""
    family, middle, given = split_name(full_name)
    return _key_part(given) + _key_part(middle) + _key_part(family)
