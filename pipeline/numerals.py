"""Numerals: the value of a written number, and where numeral runs stand in text.

Handles Arabic (``1,234``, ``1.2``, full-width ``２００``), Chinese (五千, 两百, 十二,
一千零五, 廿, 卅), financial (壹贰叁肆伍陆柒捌玖拾佰仟萬億), traditional (兩, 萬, 億)
and mixed forms (3万5千, 1.2亿, 8.3万).

Two readings of a digit written after a multiplier with no unit of its own:

* an Arabic digit is literal: ``2万5`` = 20005;
* a Chinese digit takes the next lower unit, as it is spoken: ``一万五`` = 15000,
  ``三千五`` = 3500 (but ``一万零五`` = 10005: 零 makes it literal).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Iterator

#: Chinese digits (simplified, traditional and financial forms) and their values.
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0,
    "一": 1, "壹": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
#: Contracted tens: 廿 = 二十, 卅 = 三十, 卌 = 四十.
CN_TENS: dict[str, int] = {"廿": 20, "卅": 30, "卌": 40}
#: Multipliers below 万 (they may appear once each per 万-section, in falling order).
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Section multipliers.
CN_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

_DIGIT_CLASS = "".join(CN_DIGITS) + "".join(CN_TENS)
_MULT_CLASS = "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)

#: Arabic number, with optional thousands separators and decimals (half-width).
ARABIC_PATTERN = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: One numeral run in half-width text. A Chinese digit directly followed by an Arabic
#: digit ends the run (统一3名 is 一 + 3名, not a numeral 一3).
NUMERAL_PATTERN = rf"(?:{ARABIC_PATTERN}|[{_DIGIT_CLASS}](?![0-9])|[{_MULT_CLASS}])+"

# Full-width digits and separators fold to ASCII so parse_number accepts raw text.
_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ",", "　": " "})
_ARABIC_FULL = re.compile(ARABIC_PATTERN)
_TOKEN = re.compile(rf"({ARABIC_PATTERN})|(.)", re.S)
_NUMERAL_RUN = re.compile(NUMERAL_PATTERN)


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


#: Longer numeral strings are not amounts (account numbers, junk runs) and are not parsed.
MAX_NUMERAL_LENGTH = 40


def parse_number(s: str) -> int | float | None:
    """Value of the numeral string ``s`` (whole string, surrounding spaces ignored).

    Returns an ``int`` when the value is integral, a ``float`` otherwise, and
    ``None`` when ``s`` is not a well-formed number (empty, other characters,
    two digits in a row such as the estimate 五六, multipliers out of order).
    """
    s = s.strip().translate(_FOLD)
    if not s or len(s) > MAX_NUMERAL_LENGTH:
        return None  # no amount is written with 40 characters; IDs and junk runs are not numbers
    if s.isascii() and s.isdigit():  # the common case, without Decimal
        return int(s)
    if _ARABIC_FULL.fullmatch(s):
        return _as_number(Decimal(s.replace(",", "")))
    if all(ch in CN_DIGITS for ch in s):
        if len(s) == 1:
            return CN_DIGITS[s]
        # 二〇二〇 is read digit by digit; two bare digits (五六, 三四) are an estimate.
        if len(s) >= 3 or any(CN_DIGITS[ch] == 0 for ch in s):
            return int("".join(str(CN_DIGITS[ch]) for ch in s))
        return None
    high = mid = section = Decimal(0)
    pending: Decimal | None = None  # a digit waiting for its multiplier
    pending_arabic = False
    zero = False  # a 零 since the last multiplier: a trailing digit is literal
    last_unit: int | None = None
    last_small: int | None = None
    for match in _TOKEN.finditer(s):
        arabic, ch = match.group(1), match.group(2)
        if arabic is not None:
            if pending is not None:
                return None
            try:
                pending = Decimal(arabic.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
                return None
            pending_arabic = True
        elif ch in CN_DIGITS:
            if pending is not None:
                return None
            if CN_DIGITS[ch] == 0:
                zero = True
            else:
                pending, pending_arabic = Decimal(CN_DIGITS[ch]), False
        elif ch in CN_TENS:
            if pending is not None or (last_small is not None and last_small <= 10):
                return None
            section += CN_TENS[ch]
            last_small = last_unit = 10
            zero = False
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if last_small is not None and unit >= last_small:
                return None
            section += (pending if pending is not None else 1) * unit
            pending, last_small, last_unit, zero = None, unit, unit, False
        elif ch in CN_BIG_UNITS:
            unit = CN_BIG_UNITS[ch]
            if pending is not None:
                section += pending
            if section == 0 and mid == 0 and high == 0:
                section = Decimal(1)  # a bare 万 / 亿 (近万人, 千万 handled above)
            if unit == 10**4:
                mid = (mid + section) * unit
            else:
                high = (high + mid + section) * unit
                mid = Decimal(0)
            section = Decimal(0)
            pending, last_small, last_unit, zero = None, None, unit, False
        else:
            return None
    if pending is not None:
        if last_unit is None or pending_arabic or zero:
            section += pending
        else:
            section += pending * (last_unit // 10)  # 一万五: 五 counts 千
    return _as_number(high + mid + section)


def find_numerals(text: str) -> Iterator[tuple[int, int, int | float]]:
    """Numeral runs in half-width, simplified ``text`` (e.g. a matching view).

    Yields ``(start, end, value)`` for each maximal run of digits and multipliers
    that :func:`parse_number` accepts; runs that are not numbers (五六) are skipped.
    """
    for match in _NUMERAL_RUN.finditer(text):
        value = parse_number(match.group())
        if value is not None:
            yield match.start(), match.end(), value
