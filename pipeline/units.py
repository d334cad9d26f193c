"""POLICE_UNIT and ORG finders: police units, police collectives and other institutions.

Works on a document's matching view (see :mod:`pipeline.textview`) and returns
:class:`~pipeline.spans.Candidate` spans; the resolver picks the flat set later.

How a name is found: a *head* (公安局, 分局, 派出所, 反诈中心, 警方, 人民法院, 分行, 有限公司, …)
is located with one precompiled regex, then the name is grown

* leftwards over what the head needs in front of it: a place (武汉市公安局, 东西湖分局),
  a deictic place (我市警方), a one-character level (市公安局, 市通管局), an abbreviated
  parent unit (局刑侦大队, 市局反诈中心), a 2-4 character name (永丰派出所), a quoted or
  numbered name (“1.18”专案组) or a company name (腾讯科技有限公司);
* rightwards over a chain of sub-units (武汉市公安局 + 刑侦局, 东西湖区分局 + 反电诈专班) or
  branches (中国人民银行 + 武汉分行 + 营管部).

Whether the text before a head is a real place is asked of a *place hook*,
``place_suffix(window, allow_short) -> int``: the length of the place chain that ends
exactly at the end of ``window`` (0 when there is none). The default hook uses the
gazetteer in :mod:`pipeline.places` when that module is importable and otherwise a
character-class heuristic driven by the data files (division suffixes, province names,
generic words). Pass your own hook to :class:`UnitFinder` to change it.

All words, heads and exclusions are data under ``pipeline/data/units/`` (each file's
header documents its columns); they are compiled to a few regexes once per data dir.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from .datafiles import DATA_DIR, read_tsv, literal_alternation
from .spans import Candidate

__all__ = [
    "PRIORITY",
    "PlaceSuffix",
    "UnitFinder",
    "UnitRules",
    "default_finder",
    "find_units",
    "heuristic_place_suffix",
]

# 该局经侦支队, 该市反诈中心: a demonstrative before an abbreviated parent refers back, it is no name
_REFERENCE_CHARS = frozenset("该本此其")
SOURCE_ACCOUNT = "rule:account_name"
PRIORITY_ACCOUNT = 70  # an account name suppresses every reading inside it
PRIORITY = {"POLICE_UNIT": 60, "ORG": 55}
SOURCE_POLICE = "rule:police_unit"
SOURCE_COLLECTIVE = "rule:police_collective"
SOURCE_ORG_RULE = "rule:org"
SOURCE_ORG_LEXICON = "lexicon:org"

POLICE_KINDS = ("place", "place_or_name", "type", "sub", "named", "collective", "squad")
ORG_PREFIXES = ("none", "place", "place_opt", "name", "company", "company_bare")
ORG_CHAINS = ("none", "branch")

#: ``place_suffix(window, allow_short)``: length of the place chain ending at the end of
#: ``window``; ``allow_short`` admits a bare short name (东西湖, 潼南) as the last part.
PlaceSuffix = Callable[[str, bool], int]

_CJK = "\u4e00-\u9fff"
_MAX_PLACE = 16  # longest place chain considered (湖北省武汉市东西湖区 is 9)
_MAX_COMPANY = 20
_OPEN_QUOTES = "“\"「『‘"
_CLOSE_QUOTES = "”\"」』’"
_SQUAD_NUMBER = re.compile(r"[0-9]{1,4}(?:[.·•][0-9]{1,4})+$")


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@dataclass(frozen=True)
class Head:
    """One head word and what it needs around it (see the data files' headers)."""

    text: str
    label: str  # POLICE_UNIT or ORG
    kind: str  # police: POLICE_KINDS; ORG: ORG_PREFIXES
    abbr: bool = False
    chain: str = "none"
    chain_required: bool = False
    not_followed_by: tuple[str, ...] = ()
    not_after: str = ""
    where: str = ""


def _words(path: Path, column: str = "word") -> list[str]:
    return [row[column] for row in read_tsv(path, (column,))]


def _account_tails(path: Path) -> tuple[tuple[str, str], ...]:
    """``(word, when)`` rows of not_after.tsv; ``when`` is ``always`` or ``quoted``."""
    tails = []
    for row in read_tsv(path, ("word", "when")):
        if row["when"] not in ("always", "quoted"):
            raise row.error(f"when must be always or quoted, got {row['when']!r}")
        tails.append((row["word"], row["when"]))
    return tuple(tails)


def _flag(row, column: str) -> bool:
    value = row.get(column, "no")
    if value not in ("yes", "no"):
        raise row.error(f"{column} must be yes or no, got {value!r}")
    return value == "yes"


@dataclass
class UnitRules:
    """Validated unit/ORG rule data, compiled to regexes. Build with :meth:`from_dir`."""

    heads: dict[str, Head]
    police_types: frozenset[str]
    police_branches: tuple[str, ...]
    police_abbr: tuple[str, ...]
    squad_qualifiers: tuple[str, ...]
    self_places: tuple[str, ...]
    levels: frozenset[str]
    branches: tuple[str, ...]
    company_generic: tuple[str, ...]
    company_crime: tuple[str, ...]
    company_determiners: tuple[str, ...]
    generic_places: frozenset[str]
    strip_words: tuple[str, ...]
    stop_chars: frozenset[str]
    provinces: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    not_after: tuple[tuple[str, str], ...]
    account_before: tuple[str, ...]
    place_endings: frozenset[str]

    @classmethod
    def from_dir(cls, data_dir: Path | str = DATA_DIR) -> "UnitRules":
        """Load ``<data_dir>/units/*.tsv``; raises ``DataFileError`` (file:line) on a bad row."""
        folder = Path(data_dir) / "units"
        heads: dict[str, Head] = {}

        def add(head: Head, row) -> None:
            if head.text in heads:
                raise row.error(f"duplicate head {head.text!r} (first at {heads[head.text].where})")
            heads[head.text] = head

        police_cols = ("head", "kind", "abbr", "not_followed_by", "not_after")
        for row in read_tsv(folder / "police_heads.tsv", police_cols, required=2):
            if row["kind"] not in POLICE_KINDS:
                raise row.error(f"kind must be one of {POLICE_KINDS}, got {row['kind']!r}")
            chain = "none" if row["kind"] in ("collective", "squad") else "police"
            add(Head(row["head"], "POLICE_UNIT", row["kind"], _flag(row, "abbr"), chain, False,
                     tuple(filter(None, row.get("not_followed_by").split("|"))),
                     row.get("not_after"), f"{row.path}:{row.line}"), row)
        branches, levels = [], []
        for row in read_tsv(folder / "police_type_parts.tsv", ("part", "role")):
            if row["role"] not in ("branch", "level"):
                raise row.error(f"role must be branch or level, got {row['role']!r}")
            (branches if row["role"] == "branch" else levels).append(row["part"])
        for branch in branches:
            for level in levels:
                if branch + level not in heads:
                    heads[branch + level] = Head(branch + level, "POLICE_UNIT", "type", False, "police",
                                                 where=str(folder / "police_type_parts.tsv"))
        org_cols = ("head", "prefix", "chain", "chain_required", "not_followed_by")
        for row in read_tsv(folder / "org_heads.tsv", org_cols, required=3):
            if row["prefix"] not in ORG_PREFIXES:
                raise row.error(f"prefix must be one of {ORG_PREFIXES}, got {row['prefix']!r}")
            if row["chain"] not in ORG_CHAINS:
                raise row.error(f"chain must be one of {ORG_CHAINS}, got {row['chain']!r}")
            required = _flag(row, "chain_required")
            if required and row["chain"] == "none":
                raise row.error("chain_required=yes needs chain=branch")
            add(Head(row["head"], "ORG", row["prefix"], row["prefix"] in ("place", "place_opt"), row["chain"], required,
                     tuple(filter(None, row.get("not_followed_by").split("|"))), "",
                     f"{row.path}:{row.line}"), row)
        company: dict[str, list[str]] = {"generic": [], "crime": [], "determiner": []}
        for row in read_tsv(folder / "company_words.tsv", ("word", "role")):
            if row["role"] not in company:
                raise row.error(f"role must be one of {tuple(company)}, got {row['role']!r}")
            company[row["role"]].append(row["word"])

        def chars(name: str) -> frozenset[str]:
            found: set[str] = set()
            for row in read_tsv(folder / name, ("chars",)):
                found.update(row["chars"].replace(" ", ""))
            return frozenset(found)

        levels_abbr = _words(folder / "level_abbr.tsv", "level")
        for row in read_tsv(folder / "level_abbr.tsv", ("level",)):
            if len(row["level"]) != 1:
                raise row.error("a level abbreviation is one character")
        police_types = frozenset(
            h.text for h in heads.values() if h.label == "POLICE_UNIT" and h.kind in ("type", "sub")
        )
        return cls(
            heads=heads,
            police_types=police_types,
            police_branches=tuple(branches),
            police_abbr=tuple(_words(folder / "police_abbr.tsv", "prefix")),
            squad_qualifiers=tuple(_words(folder / "squad_qualifiers.tsv", "qualifier")),
            self_places=tuple(_words(folder / "self_places.tsv", "text")),
            levels=frozenset(levels_abbr),
            branches=tuple(_words(folder / "org_branches.tsv", "branch")),
            company_generic=tuple(company["generic"]),
            company_crime=tuple(company["crime"]),
            company_determiners=tuple(company["determiner"]),
            generic_places=frozenset(_words(folder / "generic_places.tsv")),
            strip_words=tuple(sorted(set(_words(folder / "strip_words.tsv")), key=len, reverse=True)),
            stop_chars=chars("stop_chars.tsv"),
            provinces=tuple(_words(folder / "provinces.tsv", "name")),
            place_suffixes=tuple(_words(folder / "place_suffixes.tsv", "suffix")),
            not_after=_account_tails(folder / "not_after.tsv"),
            account_before=tuple(_words(folder / "account_before.tsv")),
            place_endings=chars("place_endings.tsv"),
        )


class _Compiled:
    """The regexes and lookups compiled from :class:`UnitRules` (built once per rules)."""

    def __init__(self, rules: UnitRules) -> None:
        self.rules = rules
        stops = re.escape("".join(sorted(rules.stop_chars)))
        # one name character: a CJK character that is not a stop character
        self.name_char = f"(?:(?![{stops}])[{_CJK}])"
        # sub-only heads (新闻办) are matched in chains, never on their own
        self.head_re = re.compile(literal_alternation(h for h, head in rules.heads.items() if head.kind != "sub"))
        quotes = re.escape(_CLOSE_QUOTES)
        always = literal_alternation(w for w, when in rules.not_after if when == "always")
        quoted = literal_alternation(w for w, when in rules.not_after if when == "quoted")
        self.not_after_re = re.compile(f"[{quotes} ]?(?:{always})|[{quotes}](?:{quoted})")
        self.account_before_re = re.compile(
            f"(?:{literal_alternation(rules.account_before)})[{re.escape(_OPEN_QUOTES)} ]?$"
        )
        self.type_re = re.compile(
            f"(?:{literal_alternation(rules.police_types)}"
            # numbered teams: 侦查第七大队, 第二中队
            f"|(?:{literal_alternation(rules.police_branches)})?第[0-9一二三四五六七八九十]{{1,3}}(?:总队|支队|大队|中队))"
        )
        squad_quals = literal_alternation(rules.squad_qualifiers)
        self.squad_re = re.compile(
            f"(?:(?:{squad_quals})?(?:专班|专案组)"
            f"|[{re.escape(_OPEN_QUOTES)}][^{re.escape(_CLOSE_QUOTES)}\n]{{1,12}}[{re.escape(_CLOSE_QUOTES)}]专案组"
            f"|[0-9]{{1,4}}(?:[.·•][0-9]{{1,4}})+专案组)"
        )
        named = [h.text for h in rules.heads.values() if h.label == "POLICE_UNIT" and h.kind == "named"]
        self.named_sub_re = re.compile(f"({self.name_char}{{2,5}}?)({literal_alternation(named)})")
        self.branch_sub_re = re.compile(f"({self.name_char}{{2,8}}?)(公安分局|分局)")
        self.branch_tail_re = re.compile("公安分局|分局|公安处|派出所")
        self.local_branch_re = re.compile(
            f"[{_CJK}]{{1,6}}?(?:路|街|大道|大街)(?:{literal_alternation(rules.branches)})"
        )
        self.local_station_re = re.compile(
            f"[{_CJK}]{{1,5}}?(?:路|街|大道|大街|镇|乡|村|站)(?:派出所|警务站|警务室|公安处)"
        )
        self.org_branch_re = re.compile(
            f"(?:{self.name_char}|[A-Z0-9]){{0,8}}?(?:{literal_alternation(rules.branches)})"
        )
        prov = literal_alternation(rules.provinces)
        seg = f"(?:{prov}|[{_CJK}]{{1,8}}?(?:{literal_alternation(rules.place_suffixes)}))"
        self.place_full_re = re.compile(f"{seg}+")
        self.place_short_re = re.compile(f"{seg}*[{_CJK}]{{2,3}}")
        self.generic_place_re = re.compile(literal_alternation(rules.generic_places))
        self.strip_re = re.compile(f"(?:{literal_alternation(rules.strip_words)})+")
        self.strip_any_re = re.compile(literal_alternation(w for w in rules.strip_words if len(w) > 1))
        self.company_generic_re = re.compile(f"(?:{literal_alternation(rules.company_generic)})+")
        self.company_generic_tail_re = re.compile(f"(?:{literal_alternation(rules.company_generic)})$")
        self.company_crime_re = re.compile(literal_alternation(rules.company_crime))
        self.company_determiner_re = re.compile(literal_alternation(rules.company_determiners))
        self.company_determiner_end_re = re.compile(
            f"(?:{literal_alternation(rules.company_determiners)})[{re.escape(_OPEN_QUOTES)}]?$"
        )
        self.self_re = re.compile(f"(?:{literal_alternation(rules.self_places)})$")
        self.abbr_re = re.compile(f"(?:{literal_alternation(rules.police_abbr)})$")

    # -- runs of name characters ------------------------------------------------------

    def run_start(self, text: str, end: int, limit: int, ascii_ok: bool = False) -> int:
        """Start of the run of name characters ending at ``end`` (at most ``limit`` long)."""
        stops = self.rules.stop_chars
        start = end
        while start > 0 and end - start < limit:
            char = text[start - 1]
            if (_is_cjk(char) and char not in stops) or (ascii_ok and char.isascii() and char.isalnum()):
                start -= 1
            else:
                break
        return start

    def strip_front(self, text: str, start: int, end: int) -> int:
        """``start`` moved past verbs / time words (联合, 近日 …) at the front of ``text[start:end]``."""
        match = self.strip_re.match(text, start, end)
        return match.end() if match else start

    def is_generic_place(self, name: str) -> bool:
        return bool(self.generic_place_re.match(name))


def heuristic_place_suffix(compiled: _Compiled) -> PlaceSuffix:
    """The fallback place hook: division suffixes, province names and short names.

    A place is a chain of ``X…市/区/县/省/镇…`` or province names (湖北, 安徽), and when
    ``allow_short`` a trailing 2-3 character short name (东西湖, 潼南) when it is the whole
    run of name characters (a short name's left edge inside a longer run is a guess). Generic words
    (当地, 全国 …) are never places; verbs and time words at the front are cut.
    """

    def place_suffix(window: str, allow_short: bool) -> int:
        n = len(window)
        start = compiled.strip_front(window, compiled.run_start(window, n, _MAX_PLACE), n)
        for s in range(start, n - 1):
            candidate = window[s:n]
            # a place never starts with a generic word (全市) or a verb (组织打击…中心)
            if compiled.is_generic_place(candidate) or compiled.strip_re.match(candidate):
                continue
            if compiled.place_full_re.fullmatch(candidate):
                return n - s
            # a bare short name (东西湖, 潼南) only when it is the whole run: inside a
            # longer run its left edge would be a guess (巡特警大队和治安大队)
            if allow_short and s == start and compiled.place_short_re.fullmatch(candidate):
                return n - s
        return 0

    return place_suffix


def gazetteer_place_suffix(gazetteer, compiled: _Compiled) -> PlaceSuffix:
    """A place hook backed by ``gazetteer.leading_division(text) -> (length, norm) | None``."""

    foreign_at = getattr(gazetteer, "foreign_at", None)

    def place_suffix(window: str, allow_short: bool) -> int:
        n = len(window)
        first = n
        while first > 0 and _is_cjk(window[first - 1]):  # a place is all CJK
            first -= 1
        for s in range(first, n - 1):
            if compiled.is_generic_place(window[s:n]) or compiled.strip_re.match(window, s, n):
                continue
            pos = s
            while pos < n:
                found = gazetteer.leading_division(window[pos:n])
                if not found and foreign_at is not None:  # 柬埔寨警方
                    found = foreign_at(window[pos:n], 0)
                if not found or found[0] <= 0:
                    break
                pos += found[0]
            if pos == n:
                return n - s
        return 0

    return place_suffix


@dataclass(frozen=True)
class UnitMatch:
    """A found name: ``[start, end)``, its label and source, and ``place_end`` (the end
    of its leading place part; equal to ``start`` when it has none)."""

    start: int
    end: int
    label: str
    source: str
    place_end: int


class UnitFinder:
    """Finds POLICE_UNIT and ORG names in matching-view text. See the module docstring."""

    def __init__(self, rules: UnitRules, place_suffix: PlaceSuffix | None = None,
                 leading_place: Callable[[str], int] | None = None) -> None:
        self.rules = rules
        self.c = _Compiled(rules)
        self.place_suffix = place_suffix or heuristic_place_suffix(self.c)
        # length of a known place name starting a text (0 if none): lets a branch name be a
        # place that contains a stop character (呼和浩特中心支行, 和平支行)
        self.leading_place = leading_place or (lambda text: 0)

    # -- public -----------------------------------------------------------------------

    def find(self, text: str) -> list[Candidate]:
        """Candidates for ``text`` (a matching view), POLICE_UNIT priority 60, ORG 55.

        An app or account name (国家反诈中心APP, 关注“成都公安”) is proposed as a
        suppressing reading (``extra["suppress"]``): it wins over the place inside it in
        the resolver (longest first) and is then not output, so nothing in it is tagged.
        """
        blocked: list[tuple[int, int]] = []
        candidates = [
            Candidate(m.start, m.end, m.label, m.source, PRIORITY[m.label])
            for m in self.matches(text, blocked)
            if not _shared_tail(text, m)
        ]
        candidates.extend(
            Candidate(start, end, "ORG", SOURCE_ACCOUNT, PRIORITY_ACCOUNT, None, {"suppress": True})
            for start, end in blocked
        )
        return candidates

    def matches(self, text: str, blocked: list[tuple[int, int]] | None = None) -> list[UnitMatch]:
        """All names in ``text`` with their place parts, names inside a longer name of the
        same label dropped, and names followed by an app/account word dropped with all
        names inside them (their ranges are appended to ``blocked`` when given)."""
        found: list[UnitMatch] = []
        blocked = [] if blocked is None else blocked
        heads = self.rules.heads
        for m in self.c.head_re.finditer(text):
            head = heads[m.group()]
            hs, he = m.span()
            if head.not_followed_by and text.startswith(head.not_followed_by, he):
                # 公安局长 is a title, but 公安局长安分局 is a unit with its branch
                if head.label != "POLICE_UNIT" or self._police_chain(text, he) == he:
                    continue
            if head.not_after and hs > 0 and text[hs - 1] in head.not_after:
                continue
            if head.label == "POLICE_UNIT":
                match = self._police(text, head, hs, he)
            else:
                match = self._org(text, head, hs, he)
            if match is None:
                continue
            if self.c.not_after_re.match(text, match.end) or self.c.account_before_re.search(
                text, max(0, match.start - 6), match.start
            ):
                # an app / account name (国家反诈中心APP, 关注“成都公安”): nothing in it is tagged
                blocked.append((match.start, match.end))
                continue
            found.append(match)
        if blocked:
            found = [f for f in found if not any(b0 <= f.start and f.end <= b1 for b0, b1 in blocked)]
        return _drop_nested(found)

    # -- left side --------------------------------------------------------------------

    def _place_before(self, text: str, hs: int, allow_short: bool = True) -> int:
        """Length of the place (or 我市-style deictic place) ending at ``hs``; 0 if none."""
        window = text[max(0, hs - _MAX_PLACE):hs]
        place = self.place_suffix(window, allow_short) if window else 0
        self_match = self.c.self_re.search(window)
        if self_match:
            # a real place ending here wins (新疆维吾尔自治区公安厅, not the deictic 自治区)
            return max(place, len(self_match.group()))
        return place

    def _district_before(self, text: str, hs: int) -> int:
        """Length of a district name that only stands in chains (鼓楼, 白云) ending at ``hs``,
        as the whole run of name characters before a collective (鼓楼警方); 0 if none."""
        start = self.c.run_start(text, hs, 4)
        if hs - start < 2:
            return 0
        return hs - start if self.leading_place(text[start:hs]) == hs - start else 0

    def _level_before(self, text: str, hs: int) -> int:
        return 1 if hs > 0 and text[hs - 1] in self.rules.levels else 0

    def _name_before(self, text: str, hs: int, lo: int, hi: int) -> int:
        """Start of a ``lo``-``hi`` character name ending at ``hs`` (永丰 in 永丰派出所), or -1.

        The name is the run of name characters before ``hs`` with verbs cut from its
        front. A longer run is a place plus the name (汉阳区永丰 → all of it) or, when no
        place explains it, its last 3 characters if they end like a local name (友谊路)
        and else its last 2.
        """
        c = self.c
        start = c.strip_front(text, c.run_start(text, hs, 12), hs)
        if hs - start > hi:
            # a verb inside the run ends what stands before the name (会同贡江, 联系那大)
            for m in c.strip_any_re.finditer(text, start, hs):
                start = max(start, m.end())
        if hs - start < lo:
            return -1
        if hs - start > hi:
            for size in range(lo, hi + 1):
                if self.place_suffix(text[start:hs - size], False) == hs - size - start:
                    return hs - size  # the caller joins the place (汉阳区 + 永丰街)
            size = 3 if hi >= 3 and text[hs - 1] in self.rules.place_endings else 2
            start = hs - size
        name = text[start:hs]
        if c.is_generic_place(name) or c.company_generic_re.fullmatch(name) or c.strip_re.match(name):
            return -1
        return start

    # -- right side -------------------------------------------------------------------

    def _police_chain(self, text: str, pos: int) -> int:
        """End of the chain of sub-units starting at ``pos`` (``pos`` when none): unit
        types (刑侦局), task forces (反电诈专班, “1.18”专案组), named stations (友谊路派出所)
        and branches (东西湖区分局)."""
        c = self.c
        while True:
            m = c.type_re.match(text, pos) or c.squad_re.match(text, pos)
            if m is None:
                m = c.named_sub_re.match(text, pos) or c.branch_sub_re.match(text, pos)
                if m and self._bad_name(m.group(1)):
                    m = None
            if m is None:
                # a branch named after a district whose name holds a stop character
                # (沈阳市公安局和平分局): the gazetteer knows it is a place
                place = self.leading_place(text[pos:pos + 12])
                m = c.branch_tail_re.match(text, pos + place) if place else None
            if m is None:
                # a station named after its road or station (和兴路派出所, 哈尔滨西站派出所)
                m = c.local_station_re.match(text, pos)
                if m and c.strip_any_re.search(text, pos, m.end()):
                    m = None  # 会同两路派出所: a verb inside is no name, the chain ends before it
            if m is None or m.end() == pos:
                return pos
            pos = m.end()

    def _bad_name(self, name: str) -> bool:
        c = self.c
        return c.is_generic_place(name) or bool(c.strip_re.match(name)) or bool(c.head_re.search(name))

    def _branch_chain(self, text: str, pos: int) -> int:
        while True:
            m = self.c.org_branch_re.match(text, pos)
            if m is None:
                place = self.leading_place(text[pos:pos + 12])
                m = self.c.org_branch_re.match(text, pos + place) if place else None
                if m is None:
                    # a branch named after its road (哈尔滨和兴路支行), whatever the road's characters
                    m = self.c.local_branch_re.match(text, pos + place)
                if m is None or m.start() != pos + place:
                    return pos
            pos = m.end()

    # -- per head ---------------------------------------------------------------------

    def _police(self, text: str, head: Head, hs: int, he: int) -> UnitMatch | None:
        kind = head.kind
        if kind == "collective":
            place = self._place_before(text, hs) or self._district_before(text, hs)
            if not place:
                return None
            return UnitMatch(hs - place, he, "POLICE_UNIT", SOURCE_COLLECTIVE, hs)
        if kind == "squad":
            start = self._squad_name_before(text, hs)
            if start < 0:
                return None
            return UnitMatch(start, he, "POLICE_UNIT", SOURCE_POLICE, start)
        place = self._place_before(text, hs)
        start = place_end = hs - place
        if place and kind == "named":
            # 清河口派出所: a station name longer than the place it ends with (河口) wins
            name = self._name_before(text, hs, 2, 4)
            if 0 <= name < start:
                start = place_end = name
                before = self._place_before(text, start, False)
                start -= before
            else:
                place_end = hs
        elif place:
            place_end = hs
        elif kind in ("place", "place_or_name"):
            name = self._name_before(text, hs, 2, 3) if kind == "place_or_name" else -1
            if name >= 0:
                start = place_end = name
            elif head.abbr and self._level_before(text, hs):
                start = place_end = hs - 1
            else:
                return None
        elif kind == "named":
            start = self._name_before(text, hs, 2, 4)
            if start < 0:
                return None
            place_end = start
            before = self._place_before(text, start, False)
            if before:
                start -= before
        else:  # type: tagged alone; a level or an abbreviated parent unit joins
            abbr = self.c.abbr_re.search(text, max(0, hs - 4), hs)
            if abbr and abbr.start() > 0 and text[abbr.start() - 1] in _REFERENCE_CHARS:
                abbr = None  # 该局经侦支队: "that bureau" is a reference, not part of the name
            if abbr:
                start = place_end = abbr.start()
            elif self._level_before(text, hs) and not (hs >= 2 and text[hs - 2] in _REFERENCE_CHARS):
                start = place_end = hs - 1
        end = self._police_chain(text, he)
        return UnitMatch(start, end, "POLICE_UNIT", SOURCE_POLICE, place_end)

    def _squad_name_before(self, text: str, hs: int) -> int:
        """Start of a quoted (“1.18”) or numbered (1.18) name right before 专案组, or -1."""
        if hs > 0 and text[hs - 1] in _CLOSE_QUOTES:
            opening = max(text.rfind(q, max(0, hs - 14), hs - 1) for q in _OPEN_QUOTES)
            if opening >= 0 and hs - 1 - opening >= 2 and "\n" not in text[opening:hs]:
                return opening
            return -1
        m = _SQUAD_NUMBER.search(text, max(0, hs - 10), hs)
        return m.start() if m else -1

    def _org(self, text: str, head: Head, hs: int, he: int) -> UnitMatch | None:
        kind = head.kind
        start, place_end, source = hs, hs, SOURCE_ORG_RULE
        if kind == "none":
            source = SOURCE_ORG_LEXICON
        elif kind in ("place", "place_opt"):
            place = self._place_before(text, hs)
            if place:
                start = hs - place
            elif self._level_before(text, hs):
                start = place_end = hs - 1
            elif kind == "place":
                return None
        elif kind == "name":
            place = self._place_before(text, hs)
            if place:
                start = hs - place
            else:
                start = place_end = self._name_before(text, hs, 2, 6)
                if start < 0:
                    return None
        else:  # company, company_bare
            start = self._company_start(text, hs, kind == "company_bare")
            if start < 0:
                return None
            place_end = start
        end = he
        if head.chain == "branch":
            end = self._branch_chain(text, he)
            if head.chain_required and end == he:
                return None
        return UnitMatch(start, end, "ORG", source, place_end if place_end > start else start)

    def _company_start(self, text: str, hs: int, bare: bool) -> int:
        """Start of the company name before 公司/集团/有限公司, or -1 when none is named.

        Not a name: one with a determiner in or right before it (一家物流公司, 某公司), a
        crime word (诈骗集团), or fewer than 2 characters besides trade words (科技公司).
        A ``bare`` 公司/集团 also needs a trade word right before it (腾讯科技公司), since
        a verb + 公司 (冻结公司账户) is common.
        """
        c = self.c
        start = c.strip_front(text, c.run_start(text, hs, _MAX_COMPANY, ascii_ok=True), hs)
        name = text[start:hs]
        if (len(name) < 2 or c.company_crime_re.search(name) or c.company_determiner_re.search(name)
                or c.company_determiner_end_re.search(text, max(0, start - 3), start)
                or c.is_generic_place(name)):
            return -1
        core = name
        while True:
            tail = c.company_generic_tail_re.search(core)
            if not tail or tail.start() == len(core):
                break
            core = core[:tail.start()]
        if len(core) < 2 or (bare and core == name):
            return -1
        return start


def _shared_tail(text: str, match: "UnitMatch") -> bool:
    """A level-only unit that names no one body: after 等 it is the tail listed districts
    share (越秀、荔湾、白云等区公安分局, labels.md rule 7); after 全 it means every such
    body (全市法院, 全省公安机关)."""
    return match.start > 0 and text[match.start - 1] in "等全" and text[match.start] in "省市区县州旗"


def _drop_nested(found: list[UnitMatch]) -> list[UnitMatch]:
    """``found`` in text order without duplicates and without names that lie inside a
    longer name of the same label (局刑侦局 inside 武汉市公安局刑侦局); the first of
    equal spans is kept."""
    kept: list[UnitMatch] = []
    reach: dict[str, int] = {}  # per label: the furthest end of the names kept so far
    for f in sorted(enumerate(found), key=lambda p: (p[1].start, -p[1].end, p[0])):
        match = f[1]
        if match.end <= reach.get(match.label, -1):
            continue
        reach[match.label] = match.end
        kept.append(match)
    return kept


def _default_place_hook(compiled: _Compiled, data_dir: str) -> PlaceSuffix:
    """The gazetteer hook over the place rules in ``data_dir``."""
    from .places import gazetteer_for

    return gazetteer_place_suffix(gazetteer_for(data_dir), compiled)


def _leading_place_hook(data_dir: str) -> Callable[[str], int]:
    """Length of the division chain starting a text, by the gazetteer over ``data_dir``."""
    from .places import gazetteer_for

    gazetteer = gazetteer_for(data_dir)

    def leading_place(text: str) -> int:
        # inside a name chain a district that only stands in chains (和平, 白云) is a place too
        found = gazetteer._best_chain(text, 0, None, allow_chain_scope=True)
        return found[0] if found else 0

    return leading_place


@lru_cache(maxsize=8)
def default_finder(data_dir: str = str(DATA_DIR)) -> UnitFinder:
    """The finder for the rule data under ``data_dir`` (cached: built once per dir)."""
    rules = UnitRules.from_dir(data_dir)
    finder = UnitFinder(rules)
    finder.place_suffix = _default_place_hook(finder.c, data_dir)
    finder.leading_place = _leading_place_hook(data_dir)
    return finder


def find_units(text: str) -> list[Candidate]:
    """POLICE_UNIT and ORG candidates for a matching-view ``text`` (default rule data)."""
    return default_finder().find(text)
