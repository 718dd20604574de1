"""Numbers written as words: Chinese numerals, Roman numerals, English ordinals."""

from __future__ import annotations

_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CHINESE_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}

#: Characters of a Chinese numeral up to 99 (for building patterns).
CHINESE_NUMERAL_CHARS = "零〇一二两三四五六七八九十"

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

ENGLISH_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
)


def chinese_numeral(text: str) -> int:
    """``一`` → 1, ``十`` → 10, ``十二`` → 12, ``二十`` → 20, ``二十三`` → 23 (up to 99).

    Arabic digits are accepted too, since headings sometimes use them.
    """
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    tens, _, units = text.partition("十")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        return _CHINESE_DIGITS[text]
    if len(tens) > 1 or len(units) > 1 or "十" in units or tens in ("零", "〇"):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return 10 * (_CHINESE_DIGITS[tens] if tens else 1) + (_CHINESE_DIGITS[units] if units else 0)


def roman_numeral(text: str) -> int:
    """``IV`` → 4; raises ValueError for anything not written the canonical way (``IIII``)."""
    if not text or any(ch not in _ROMAN for ch in text):
        raise ValueError(f"not a Roman numeral: {text!r}")
    total = 0
    for index, ch in enumerate(text):
        value = _ROMAN[ch]
        following = _ROMAN[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    if to_roman(total) != text:
        raise ValueError(f"not a canonical Roman numeral: {text!r}")
    return total


def to_roman(number: int) -> str:
    """1 → ``I``, 14 → ``XIV`` (up to 399, ample for report sections)."""
    parts = []
    for value, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X")):
        count, number = divmod(number, value)
        parts.append(letters * count)
    for value, letters in ((9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def to_chinese(number: int) -> str:
    """3 → ``三``, 12 → ``十二``, 20 → ``二十`` (1 to 99), the form section headings use."""
    if not 1 <= number <= 99:
        raise ValueError(f"out of range for a heading numeral: {number}")
    digits = "零一二三四五六七八九"
    tens, units = divmod(number, 10)
    if tens == 0:
        return digits[units]
    prefix = "" if tens == 1 else digits[tens]
    return prefix + "十" + (digits[units] if units else "")


def english_ordinal(word: str) -> int:
    """``Second`` → 2 (first to twelfth)."""
    try:
        return ENGLISH_ORDINALS.index(word.lower()) + 1
    except ValueError:
        raise ValueError(f"not an English ordinal: {word!r}") from None
