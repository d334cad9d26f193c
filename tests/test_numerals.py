"""Tests for pipeline.numerals: numeral values and numeral runs."""
from __future__ import annotations

import pytest

from pipeline.numerals import find_numerals, parse_number

VALUES = [
    # Arabic, with separators, decimals, full-width digits
    ("0", 0),
    ("7", 7),
    ("1,234", 1234),
    ("12,345,678", 12345678),
    ("1.2", 1.2),
    ("２００", 200),
    ("１，２３４", 1234),
    ("３．５", 3.5),
    # Chinese
    ("五千", 5000),
    ("两百", 200),
    ("十", 10),
    ("十二", 12),
    ("二十", 20),
    ("一百一十", 110),
    ("一千零五", 1005),
    ("一万零五百", 10500),
    ("廿", 20),
    ("廿五", 25),
    ("卅", 30),
    ("百", 100),
    ("千", 1000),
    ("万", 10000),
    ("千万", 10_000_000),
    ("两百万", 2_000_000),
    ("二〇二〇", 2020),
    # financial and traditional
    ("壹萬贰仟", 12000),
    ("伍佰", 500),
    ("叁拾陆", 36),
    ("兩萬", 20000),
    ("貳億", 200_000_000),
    # mixed
    ("3万5千", 35000),
    ("1万2千", 12000),
    ("1.2亿", 120_000_000),
    ("8.3万", 83000),
    ("3千万", 30_000_000),
    ("1亿2千万", 120_000_000),
    # a digit after a multiplier with no unit: Arabic literal, Chinese spoken
    ("2万5", 20005),
    ("一万五", 15000),
    ("三千五", 3500),
    ("两万五", 25000),
    ("一百五", 150),
    ("一亿五", 150_000_000),
    ("一万零五", 10005),
    # not numbers
    ("", None),
    ("   ", None),
    ("近", None),
    ("五六", None),  # an estimate (five or six), no single value
    ("三四十", None),
    ("十百", None),
    ("1.2.3", None),
    ("3a", None),
    ("一3", None),
]


@pytest.mark.parametrize("text, expected", VALUES)
def test_parse_number(text, expected):
    value = parse_number(text)
    assert value == expected
    if expected is not None:
        assert type(value) is type(expected)  # int when integral, float otherwise


@pytest.mark.parametrize(
    "text, expected",
    [
        ("抓获220名，缴获8.3万个", [(2, 5, 220), (9, 13, 83000)]),
        ("统一3名", [(2, 3, 3)]),  # a Chinese digit glued to an Arabic one is no numeral
        ("五六个人", []),
        ("没有数字", []),
    ],
)
def test_find_numerals(text, expected):
    assert list(find_numerals(text)) == expected


@pytest.mark.parametrize("junk", ["1" * 5000, "一" * 200000, "1,234" * 2000])
def test_overlong_numeral_runs_are_not_numbers(junk):
    assert parse_number(junk) is None
