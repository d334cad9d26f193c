"""MONEY and QUANTITY candidates: numerals with a currency, a measure word or money context.

Spans (labels.md, "MONEY" / "QUANTITY" and hard case 4-5):

* MONEY: a number with a currency word after it (4800元, 4.5万港元, 5000USDT) or
  before it (人民币5万元, ￥300), or a bare number a few characters after a money
  trigger word (转账5万, 损失近千万). ``norm`` is
  ``{"value": 2000000, "currency": "CNY", "approx": "more_than"}``.
* QUANTITY: a number with a measure word (71个, 220名, 8.3万余个, 两名).
  ``norm`` is ``{"value": 83000, "unit": "个", "approx": "more_than"}``.
* Hedges written against the number join the span and set ``approx``
  (逾400万元, 200余万元, 5万元左右); connecting words (共计, 达) do not.
* Ranges (3万至5万元, 3-5万元, 三至五万元, 8-10人) are one span whose ``value`` is the
  lower bound and whose extra ``"max"`` key is the upper bound; a lower bound written
  without a multiplier borrows the upper bound's (3-5万元 → 30000..50000). A lower
  bound with its own currency or measure word (5000元至3万元, 8人至10人) is one range
  too, when both sides agree in currency or unit.

Not tagged: dates, times, durations, ordinals (第3名), ages, percentages, a lone
Chinese 一 with a measure word (一名, 一次), numbers glued to Latin letters or
inside codes (5G, gh_9450e8cf), leading-zero and over-long digit strings (IDs,
phone numbers), estimates with no value (数十名, 五六个) and stoplisted idioms.

Rule data, under ``<data_dir>/amounts/`` (each file's header documents its columns):
``currencies.tsv``, ``measures.tsv``, ``hedges.tsv``, ``unit_blockers.tsv``,
``prefix_blockers.tsv``, ``money_triggers.tsv``, ``bare_money_followers.tsv``,
``stoplist.tsv``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .datafiles import DATA_DIR, read_tsv, literal_alternation
from .numerals import CN_BIG_UNITS, CN_DIGITS, CN_SMALL_UNITS, CN_TENS, NUMERAL_PATTERN, parse_number
from .spans import APPROX_VALUES, Candidate
from .textview import fold

MONEY_PRIORITY = 50
QUANTITY_PRIORITY = 40
SOURCE_MONEY = "rule:money"
SOURCE_MONEY_CONTEXT = "rule:money_context"
SOURCE_QUANTITY = "rule:quantity"

# A money trigger counts when at most this many characters (no clause punctuation,
# no digits) stand between it and the number: 转账给对方5万, 损失共计3万.
TRIGGER_GAP = 4
# A bare number needs at least this value to be money by context (转账2 is noise).
MIN_BARE_MONEY = 10
# More Arabic digits than this (without separators) are a phone number, ID or code.
MAX_DIGITS = 10

_RANGE_MARKS = "至到~〜—-"
# A number right after one of these is part of a code or ASCII token (gh_9450, G20, v1.2).
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./#@&+\\-")
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_CLAUSE_CHARS = "。，,；;！!？?\n\r、"
_ONE = frozenset({"一", "壹"})
_LONE_MULTIPLIERS = frozenset("百千万亿萬億佰仟")
_LONE_FORMAL = frozenset("壹贰叁肆伍陆柒捌玖拾佰仟")
_ARABIC_DIGITS = frozenset("0123456789")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A number glued after a word of at least this many capitals starts a new token
# (国家反诈中心APP1200余人次, GOIP20台); after fewer it is a code or model (G20, V5).
MIN_GLUED_WORD = 3
_MULTIPLIERS = "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)
_ARABIC_RUN = re.compile(r"(?<![\d.,])\d[\d,]*")  # integer parts only
_CURRENCY_CODE = re.compile(r"[A-Z]{3,5}")
POSITIONS = ("before", "after", "both")
HEDGE_POSITIONS = ("before", "inside", "after")
WHEN_VALUES = ("always", "context")
PREFIX_APPLIES = ("any", "chinese", "multiplier")


@dataclass(frozen=True)
class CurrencyWord:
    word: str
    currency: str
    position: str
    context_only: bool


@dataclass(frozen=True)
class Hedge:
    word: str
    approx: str
    position: str
    not_next_to: frozenset[str]


@dataclass(frozen=True)
class AmountRules:
    """Validated rule data for :class:`AmountFinder` (see the data files' headers)."""

    currencies: dict[str, CurrencyWord]
    measures: frozenset[str]
    hedges: dict[str, Hedge]
    unit_blockers: dict[str, tuple[str, ...]]
    prefix_blockers: tuple[tuple[str, str], ...]  # (word, applies: any / chinese / multiplier)
    triggers: tuple[str, ...]
    bare_followers: tuple[str, ...]
    stoplist: tuple[str, ...]

    @classmethod
    def from_dir(cls, data_dir: Path | str = DATA_DIR) -> "AmountRules":
        """Load ``<data_dir>/amounts/*.tsv``; raises ``DataFileError`` naming file:line."""
        folder = Path(data_dir) / "amounts"
        currencies: dict[str, CurrencyWord] = {}
        for row in read_tsv(folder / "currencies.tsv", ("word", "currency", "position", "when")):
            word = row["word"]
            if not _CURRENCY_CODE.fullmatch(row["currency"]):
                raise row.error(f"currency must be an upper-case code like CNY, got {row['currency']!r}")
            if row["position"] not in POSITIONS:
                raise row.error(f"position must be one of {POSITIONS}, got {row['position']!r}")
            if row["when"] not in WHEN_VALUES:
                raise row.error(f"when must be one of {WHEN_VALUES}, got {row['when']!r}")
            _check_view_form(row, word)
            if word in currencies:
                raise row.error(f"duplicate currency word {word!r}")
            currencies[word] = CurrencyWord(word, row["currency"], row["position"], row["when"] == "context")
        measures: set[str] = set()
        for row in read_tsv(folder / "measures.tsv", ("unit",)):
            _check_view_form(row, row["unit"])
            if row["unit"] in measures:
                raise row.error(f"duplicate measure word {row['unit']!r}")
            measures.add(row["unit"])
        hedges: dict[str, Hedge] = {}
        for row in read_tsv(folder / "hedges.tsv", ("word", "approx", "position", "not_next_to"), required=3):
            if row["approx"] not in APPROX_VALUES:
                raise row.error(f"approx must be one of {APPROX_VALUES}, got {row['approx']!r}")
            if row["position"] not in HEDGE_POSITIONS:
                raise row.error(f"position must be one of {HEDGE_POSITIONS}, got {row['position']!r}")
            if row["word"] in hedges:
                raise row.error(f"duplicate hedge {row['word']!r}")
            hedges[row["word"]] = Hedge(row["word"], row["approx"], row["position"], frozenset(row.get("not_next_to")))
        units = set(currencies) | measures
        unit_blockers: dict[str, list[str]] = {}
        for row in read_tsv(folder / "unit_blockers.tsv", ("unit", "following")):
            if row["unit"] not in units:
                raise row.error(f"unit {row['unit']!r} is neither in measures.tsv nor in currencies.tsv")
            unit_blockers.setdefault(row["unit"], []).append(row["following"])
        prefix_blockers: list[tuple[str, str]] = []
        for row in read_tsv(folder / "prefix_blockers.tsv", ("word", "applies")):
            if row["applies"] not in PREFIX_APPLIES:
                raise row.error(f"applies must be one of {PREFIX_APPLIES}, got {row['applies']!r}")
            prefix_blockers.append((row["word"], row["applies"]))
        triggers = tuple(row["word"] for row in read_tsv(folder / "money_triggers.tsv", ("word",)))
        followers = tuple(row["text"] for row in read_tsv(folder / "bare_money_followers.tsv", ("text",)))
        stoplist = tuple(row["phrase"] for row in read_tsv(folder / "stoplist.tsv", ("phrase",)))
        return cls(
            currencies=currencies,
            measures=frozenset(measures),
            hedges=hedges,
            unit_blockers={unit: tuple(words) for unit, words in unit_blockers.items()},
            prefix_blockers=tuple(prefix_blockers),
            triggers=triggers,
            bare_followers=followers,
            stoplist=stoplist,
        )


def _check_view_form(row, word: str) -> None:
    """Words are matched on the view, where ASCII is upper-case: reject 'usdt'."""
    if word != word.upper():
        raise row.error(f"{word!r} must be written as in the matching view (upper-case ASCII)")


def _strip_inside(text: str, inside: tuple[str, ...]) -> tuple[str, bool]:
    """``text`` without inside hedges (200余万 → 200万) and whether it had one."""
    found = False
    for hedge in inside:
        if hedge in text:
            text = text.replace(hedge, "")
            found = True
    return text, found


class AmountFinder:
    """Proposes MONEY / QUANTITY candidates; build once (regexes compiled here), reuse."""

    def __init__(self, rules: AmountRules) -> None:
        self.rules = rules
        hedges = rules.hedges.values()
        self._inside = tuple(h.word for h in hedges if h.position == "inside")
        inside = literal_alternation(self._inside)
        before = literal_alternation(h.word for h in hedges if h.position == "before")
        after = literal_alternation(h.word for h in hedges if h.position == "after")
        cur_before = literal_alternation(c.word for c in rules.currencies.values() if c.position != "after")
        cur_trailing = literal_alternation(c.word for c in rules.currencies.values() if c.position == "both")
        number = rf"{NUMERAL_PATTERN}(?:(?:{inside})[{''.join(CN_BIG_UNITS)}{''.join(CN_SMALL_UNITS)}]+)?"
        unit_words = [*(c.word for c in rules.currencies.values() if c.position != "before"), *rules.measures]
        units = literal_alternation(unit_words)
        # A space may separate a number from an ASCII unit only (5000 USDT; not 300 港币).
        ascii_units = literal_alternation(w for w in unit_words if w.isascii())
        tail = (
            rf"(?:(?P<unit>{units})|[ ](?P<aunit>{ascii_units}))?"
            rf"(?P<h2>{after})?(?P<c2>{cur_trailing})?"
        )
        first = rf"(?P<n1>{number})(?P<hA>{inside})?"
        marks = re.escape(_RANGE_MARKS)
        self._with_range = re.compile(
            rf"{first}(?:(?P<rng>[{marks}])(?P<n2>{number})(?P<hB>{inside})?)?{tail}"
        )
        self._single = re.compile(rf"{first}(?P<rng>(?!))?(?P<n2>(?!))?(?P<hB>(?!))?{tail}")
        self._scan = re.compile(rf"[0-9{''.join(CN_DIGITS)}{''.join(CN_TENS)}{_MULTIPLIERS}]")
        # Searched backwards from the number with endpos: what stands right before it.
        self._prefix = re.compile(rf"(?P<h1>{before})?(?:(?P<c1>{cur_before})[ ]?)?(?P<h1b>{before})?$")
        self._prefix_len = 2 * max((len(h.word) for h in hedges), default=1) + max(
            (len(c) for c in rules.currencies), default=1
        ) + 1
        self._blocked = {
            applies: re.compile(rf"(?:{literal_alternation(w for w, a in rules.prefix_blockers if a == applies)})$")
            for applies in PREFIX_APPLIES
        }
        self._blocker_len = max((len(w) for w, _ in rules.prefix_blockers), default=1)
        self._trigger = re.compile(
            rf"(?:{literal_alternation(rules.triggers)})[^{re.escape(_CLAUSE_CHARS)}0-9]{{0,{TRIGGER_GAP}}}$"
        )
        self._trigger_len = max((len(w) for w in rules.triggers), default=1) + TRIGGER_GAP
        self._bare_follower = re.compile(literal_alternation(rules.bare_followers))
        self._unit_blockers = {u: re.compile(literal_alternation(ws)) for u, ws in rules.unit_blockers.items()}
        self._stop = re.compile(literal_alternation(rules.stoplist))
        self._stop_len = max((len(w) for w in rules.stoplist), default=1)

    @classmethod
    def from_dir(cls, data_dir: Path | str = DATA_DIR) -> "AmountFinder":
        """A finder over the rule data in ``<data_dir>/amounts/``."""
        return cls(AmountRules.from_dir(data_dir))

    # -- public API -----------------------------------------------------------------

    def find(self, text: str) -> list[Candidate]:
        """Candidates in ``text`` (raw or a matching view: it is folded first, same length)."""
        return self.find_in_view(fold(text))

    def find_in_view(self, view: str) -> list[Candidate]:
        """Candidates in an already folded matching view (offsets are the view's)."""
        out: list[Candidate] = []
        pos, scan, match_at = 0, self._scan.search, self._with_range.match
        while True:
            # A plain character-class scan finds numeral starts fast; the full pattern
            # is only tried where a numeral stands.
            hit = scan(view, pos)
            if hit is None:
                return _join_ranges(view, out)
            match = match_at(view, hit.start())
            if match is None:  # a Chinese digit glued to an Arabic one (统一3名): move on
                pos = hit.start() + 1
                continue
            candidate = self._candidate(view, match)
            if candidate is None:
                # Skip the whole numeral run (第十五名 is not 五名) or range (分列二至四位).
                pos = match.end("n2") if match.group("n2") is not None else match.end("n1")
            else:
                out.append(candidate)
                pos = candidate.end

    # -- one match --------------------------------------------------------------------

    def _candidate(self, view: str, match: re.Match[str]) -> Candidate | None:
        """The candidate for one pattern match, or None. Cheap rejections come first."""
        start = match.start("n1")
        if start and view[start - 1] in _CODE_CHARS and not _after_ascii_word(view, start):
            if not _after_heading_mark(view, start):
                return None  # gh_9450e8cf, ID#123: a number inside a code
        n1 = match.group("n1")
        if n1 in _LONE_MULTIPLIERS and match.group("unit") is None and match.group("aunit") is None:
            return None  # 月薪过万: a bare 万 with no unit is a magnitude, not an amount (近万元 is one)
        if n1 in _LONE_FORMAL:
            return None  # 伍家岗, 陆某: a lone financial digit is a name, not a number
        unit_group = "unit" if match.group("unit") is not None else "aunit"
        unit = match.group(unit_group)
        unit_end = match.end(unit_group) if match.group(unit_group) is not None else None
        n_view = len(view)
        if unit is None:
            # A bare number is money only with a currency word before it or a trigger:
            # look at what follows first, it is the cheapest test.
            after = match.end()
            if after < n_view and (
                view[after] in _ASCII_ALNUM or view[after] == "." or self._bare_follower.match(view, after)
            ):
                return None
        else:
            rules = self.rules
            if match.group("n2") is None and n1 in _ONE and unit in rules.measures and unit not in rules.currencies:
                return None  # 一名, 一个: a lone Chinese 一 is an article, not a count
            if unit_end is not None:
                blocker = self._unit_blockers.get(unit)
                if blocker is not None and blocker.match(view, unit_end):
                    return None  # 3个月, 4部门, 元旦
                if unit[-1] in _ASCII_ALNUM and unit_end < n_view and view[unit_end] in _ASCII_ALNUM:
                    return None  # 5000USDTX: the unit is part of a longer token
        lo = max(0, start - self._blocker_len)
        blocked = self._blocked
        if (
            blocked["any"].search(view, lo, start)
            or (n1[0] not in _ARABIC_DIGITS and blocked["chinese"].search(view, lo, start))
            or (n1[0] in _MULTIPLIERS and blocked["multiplier"].search(view, lo, start))
        ):
            return None  # 第3名, 初五, 数十名, 上千人
        core1, inside1 = _strip_inside(n1, self._inside)
        value = parse_number(core1)
        if not value or not _digits_ok(core1):  # None, or 0 (0元购 is a scheme, not an amount)
            return None
        upper = None
        if match.group("n2") is not None:
            upper, value_lo = self._range(match, core1, value)
            if upper is None:
                single = self._single.match(view, start)
                if single is None:  # pragma: no cover - the single pattern matches wherever n1 does
                    return None
                return self._candidate(view, single)  # 5至3人, 2023-08: not a range
            else:
                value = value_lo

        end = match.end()
        if match.group("c2") is not None:
            end = match.start("c2")
        if match.group("h2") is not None:
            hedge = self.rules.hedges[match.group("h2")]
            if end < n_view and view[end] in hedge.not_next_to:
                end = match.start("h2")  # 3人上下班: 上下 belongs to 上下班

        # What stands before the number: hedges and a currency word.
        span_start, before_approx, c1, h1b_start, h1b_approx = start, None, None, None, None
        prefix = self._prefix.search(view, max(0, start - self._prefix_len), start)
        if prefix is not None and prefix.start() < start:
            for group in ("h1b", "c1", "h1"):  # walk outwards from the number
                word = prefix.group(group)
                if word is None:
                    continue
                begin = prefix.start(group)
                if group == "c1":
                    c1 = self.rules.currencies[word]
                else:
                    hedge = self.rules.hedges[word]
                    if begin and view[begin - 1] in hedge.not_next_to:
                        break  # 最近 / 预约: the hedge is part of another word; stop here
                    before_approx = before_approx or hedge.approx
                    if group == "h1b":
                        h1b_start, h1b_approx = begin, hedge.approx
                span_start = begin
            if c1 is not None and span_start and view[span_start - 1] in _ASCII_ALNUM:
                span_start, c1, before_approx = start, None, None  # XRMB5000: part of a token

        inside_approx = None
        if inside1 or match.group("hA") or match.group("hB"):
            word = match.group("hA") or match.group("hB") or next(h for h in self._inside if h in n1)
            inside_approx = self.rules.hedges[word].approx
        after_approx = None
        if match.group("h2") is not None and end > match.start("h2"):
            after_approx = self.rules.hedges[match.group("h2")].approx
        approx = before_approx or inside_approx or after_approx or "exact"

        currency = self.rules.currencies.get(unit) if unit else None
        if c1 is not None and currency is not None and currency.currency != "CNY":
            # 兑换泰达币约190万USDT: the unit names the currency; the word before is the object.
            span_start, c1, before_approx = (start, None, None) if h1b_start is None else (h1b_start, None, h1b_approx)
        if currency is not None and currency.context_only and c1 is None and not self._has_trigger(view, span_start):
            currency = None  # 收缴U盾50块: 块 counts things unless money is being talked about
        if currency is not None or (unit is None and (c1 is not None or match.group("c2") is not None)):
            trailing = None
            if match.group("c2") is not None:
                trailing = self.rules.currencies[match.group("c2")]
                end = match.end()
            codes = [c.currency for c in (currency, c1, trailing) if c is not None]
            code = next((c for c in codes if c != "CNY"), "CNY")
            context = currency is not None and currency.context_only and c1 is None
            source = SOURCE_MONEY_CONTEXT if context else SOURCE_MONEY
            return self._make(view, start, span_start, end, "MONEY", source, value, upper, approx, currency=code)
        if unit is not None:
            if unit not in self.rules.measures:
                return None
            if core1 in _ONE and upper is None:
                return None
            if c1 is not None:  # 人民币3名 makes no sense: the count starts at its hedge or number
                span_start = h1b_start if h1b_start is not None else start
            return self._make(
                view, start, span_start, end, "QUANTITY", SOURCE_QUANTITY, value, upper, approx, unit=unit
            )
        # A bare number: money only by context.
        if value < MIN_BARE_MONEY or not self._has_trigger(view, span_start):
            return None
        return self._make(
            view, start, span_start, end, "MONEY", SOURCE_MONEY_CONTEXT, value, upper, approx, currency="CNY"
        )

    def _range(self, match: re.Match[str], core1: str, value: int | float) -> tuple[int | float | None, int | float]:
        """``(upper, lower)`` of a range match; ``upper`` is None when it is no range."""
        core2, _ = _strip_inside(match.group("n2"), self._inside)
        upper = parse_number(core2)
        if upper is None or not _digits_ok(core2):
            return None, value
        lower = value
        if not any(ch in _MULTIPLIERS for ch in core1):
            # 3-5万元 / 三至五万元: the lower bound borrows the upper bound's multiplier.
            trailing = len(core2) - len(core2.rstrip("".join(CN_BIG_UNITS)))
            if trailing:
                lower = parse_number(core1 + core2[-trailing:])
                if lower is None:
                    return None, value
        if not lower < upper:
            return None, value
        return upper, lower

    def _has_trigger(self, view: str, start: int) -> bool:
        return self._trigger.search(view, max(0, start - self._trigger_len), start) is not None

    def _make(self, view, number, start, end, label, source, value, upper, approx, **norm_extra) -> Candidate | None:
        """The candidate ``[start, end)``, unless a stoplist phrase covers its numeral at ``number``."""
        lo = max(0, number - self._stop_len + 1)
        for stop in self._stop.finditer(view, lo, min(len(view), number + self._stop_len)):
            if stop.start() <= number < stop.end():
                return None  # 兵分三路, 三位一体, 七台河 (but 十四起 is a count, 四起 is not)
        norm: dict = {"value": value}
        if label == "MONEY":
            norm["currency"] = norm_extra["currency"]
        else:
            norm["unit"] = norm_extra["unit"]
        norm["approx"] = approx
        if upper is not None:
            norm["max"] = upper
        priority = MONEY_PRIORITY if label == "MONEY" else QUANTITY_PRIORITY
        return Candidate(start, end, label, source, priority, norm)


def _join_ranges(view: str, found: list[Candidate]) -> list[Candidate]:
    """Join two amounts with a range mark between them into one range span.

    5000元至3万元 and 8人至10人 are one range, like 3万至5万元 (labels.md: ranges are
    one span): ``value`` is the lower bound and ``max`` the upper. Both amounts must
    be of the same label and currency or unit, and the lower must be below the upper.
    """
    if len(found) < 2:
        return found
    joined: list[Candidate] = []
    index = 0
    while index < len(found):
        first = found[index]
        second = found[index + 1] if index + 1 < len(found) else None
        if (
            second is not None
            and second.start == first.end + 1
            and view[first.end] in _RANGE_MARKS
            and first.label == second.label
            and "max" not in first.norm and "max" not in second.norm
            and first.norm.get("currency") == second.norm.get("currency")
            and first.norm.get("unit") == second.norm.get("unit")
            and first.norm["value"] < second.norm["value"]
        ):
            norm = {**first.norm, "max": second.norm["value"]}
            joined.append(Candidate(first.start, second.end, first.label, first.source, first.priority, norm,
                                    dict(first.extra)))
            index += 2
            continue
        joined.append(first)
        index += 1
    return joined


def _after_heading_mark(view: str, start: int) -> bool:
    """True when ``view[:start]`` ends with a Markdown heading mark at a line start (#7名被告人获刑)."""
    begin = start
    while begin and view[begin - 1] == "#":
        begin -= 1
    return begin < start and (begin == 0 or view[begin - 1] in "\n ")


def _after_ascii_word(view: str, start: int) -> bool:
    """True when ``view[:start]`` ends with a capital-letter word (APP) of MIN_GLUED_WORD+ letters."""
    begin = start
    while begin and view[begin - 1] in _UPPER:
        begin -= 1
    if start - begin < MIN_GLUED_WORD:
        return False
    return not begin or view[begin - 1] not in _CODE_CHARS


def _digits_ok(core: str) -> bool:
    """False for leading-zero (007) or over-long (phone, ID) Arabic digit runs."""
    for run in _ARABIC_RUN.findall(core):
        digits = run.replace(",", "")
        if len(digits) > MAX_DIGITS or (len(digits) > 1 and digits[0] == "0" and "," not in run):
            return False
    return True


@lru_cache(maxsize=8)
def amount_finder(data_dir: str = str(DATA_DIR)) -> AmountFinder:
    """The cached finder for a data directory (loading and compiling happen once)."""
    return AmountFinder.from_dir(data_dir)


def find_amounts(text: str) -> list[Candidate]:
    """MONEY and QUANTITY candidates in ``text`` (raw text or its matching view).

    Returns :class:`~pipeline.spans.Candidate` objects with offsets into ``text``,
    sources ``rule:money`` / ``rule:money_context`` / ``rule:quantity`` and norms as
    described in the module docstring. Uses the package's rule data.
    """
    return amount_finder().find(text)
