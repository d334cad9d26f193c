"""The domain lexicon (devices, fraud-scheme words) and its character-level matcher.

One lexicon, two consumers: :attr:`Lexicon.entries` feed the jieba segmenter as
user words (see :mod:`pipeline.tokenizer`) and the Aho-Corasick matcher here, which
matches on characters of the matching view so that jieba's word boundaries never
hide a name (GOIP5台, POS机, ＧＯＩＰ).

Data files, under ``<data_dir>/lexicon/``:

* ``lexicon.tsv`` — ``term, label, norm, when`` (see the file's header);
* ``impersonation.tsv`` — identities after 冒充/假冒 and their FRAUD_TYPE category;
* ``device_context.tsv`` — crime/seizure words that make 手机/电脑 a crime device;
* ``device_blockers.tsv`` — text after 手机/电脑 that makes it part of another noun;
* ``affixes.tsv`` — suffixes, verbs and tails that shape spans (诈骗, 冒充, 工作人员 …).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from .datafiles import DATA_DIR, literal_alternation, read_tsv
from .spans import FRAUD_CATEGORIES, Candidate

LEXICON_LABELS = ("DEVICE", "FRAUD_TYPE")
WHEN_VALUES = ("always", "suffix", "context")
PRIORITY = {"DEVICE": 45, "FRAUD_TYPE": 45}

AFFIX_ROLES = (
    "scheme_suffix", "case_suffix", "case_blocker", "impersonation_verb", "persona_tail",
    "fake_thing", "equipment_word", "device_measure", "category_noun", "pretext_marker",
)
_QUOTES_OPEN = "“\"「『‘"
_QUOTES_CLOSE = "”\"」』’"
_CLAUSE_END = set("。；！？!?;\n")
_LIST_SEPARATORS = set("、和及与,，/")
_ASCII = re.compile(r"[A-Z0-9]")


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    label: str
    norm: str
    when: str
    where: str  # file:line, for debugging a span back to its rule


@dataclass
class Lexicon:
    """Validated lexicon data loaded from a data directory."""

    entries: list[LexiconEntry]
    identities: dict[str, str]
    device_context: tuple[str, ...]
    device_blockers: tuple[str, ...]
    affixes: dict[str, tuple[str, ...]]

    @classmethod
    def from_dir(cls, data_dir: Path | str = DATA_DIR) -> "Lexicon":
        """Load and validate ``<data_dir>/lexicon/*.tsv``; raises ``DataFileError`` with file:line."""
        folder = Path(data_dir) / "lexicon"
        entries: list[LexiconEntry] = []
        seen: dict[str, str] = {}
        for row in read_tsv(folder / "lexicon.tsv", ("term", "label", "norm", "when")):
            term, label, norm, when = row["term"], row["label"], row["norm"], row["when"]
            if label not in LEXICON_LABELS:
                raise row.error(f"label must be one of {LEXICON_LABELS}, got {label!r}")
            if when not in WHEN_VALUES:
                raise row.error(f"when must be one of {WHEN_VALUES}, got {when!r}")
            if label == "FRAUD_TYPE" and norm not in FRAUD_CATEGORIES:
                raise row.error(f"FRAUD_TYPE norm {norm!r} is not a closed-list category")
            if term in seen:
                raise row.error(f"duplicate term {term!r} (first at {seen[term]})")
            where = f"{row.path}:{row.line}"
            seen[term] = where
            entries.append(LexiconEntry(term, label, norm, when, where))
        identities: dict[str, str] = {}
        for row in read_tsv(folder / "impersonation.tsv", ("identity", "category")):
            if row["category"] not in FRAUD_CATEGORIES:
                raise row.error(f"category {row['category']!r} is not a closed-list category")
            if row["identity"] in identities:
                raise row.error(f"duplicate identity {row['identity']!r}")
            identities[row["identity"]] = row["category"]
        context = tuple(r["word"] for r in read_tsv(folder / "device_context.tsv", ("word",)))
        blockers = tuple(r["text"] for r in read_tsv(folder / "device_blockers.tsv", ("text",)))
        affixes: dict[str, list[str]] = {role: [] for role in AFFIX_ROLES}
        for row in read_tsv(folder / "affixes.tsv", ("word", "role")):
            if row["role"] not in AFFIX_ROLES:
                raise row.error(f"role must be one of {AFFIX_ROLES}, got {row['role']!r}")
            affixes[row["role"]].append(row["word"])
        return cls(entries, identities, context, blockers, {role: tuple(words) for role, words in affixes.items()})


class LexiconFinder:
    """Proposes DEVICE and FRAUD_TYPE candidates from the lexicon.

    Build once per pipeline (it compiles an automaton and regexes), then call
    :meth:`find` on each document's matching view.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.automaton = ahocorasick.Automaton()
        for entry in lexicon.entries:
            self.automaton.add_word(entry.term, entry)
        self.automaton.make_automaton()
        affix = {role: literal_alternation(words) for role, words in lexicon.affixes.items()}
        blockers = lexicon.affixes["case_blocker"]
        case = f"(?:{affix['case_suffix']})" + (f"(?!{literal_alternation(blockers)})" if blockers else "")
        # a directly attached suffix joins a FRAUD_TYPE span: 刷单返利类诈骗, 冒充领导诈骗案, 刷单案
        self.fraud_suffix = re.compile(f"类?(?:{affix['scheme_suffix']})(?:{case})?|类?{case}|类")
        # a suffix-only word also names the scheme when quoted: “游戏交易”诈骗案 (quote stays out)
        self.quoted_suffix = re.compile(
            f"[{_QUOTES_CLOSE}](?:类?(?:{affix['scheme_suffix']}|{case})|(?:{affix['pretext_marker']}))"
        )
        # … and as a category of cases: 情感咨询类警情 (类 and the noun stay outside)
        self.category = re.compile(f"[{_QUOTES_CLOSE}]?类(?:{affix['category_noun']})")
        self.impersonation = re.compile(
            rf"(?:{affix['impersonation_verb']})(?P<open>[{_QUOTES_OPEN}]?)(?P<who>{literal_alternation(lexicon.identities)})"
            rf"(?:{affix['persona_tail']})?(?P<close>[{_QUOTES_CLOSE}]?)"
        )
        self.fake_thing = re.compile(f"[{_QUOTES_CLOSE}]?(?:{affix['fake_thing']})")
        # 一台 is left out on purpose: a single phone or laptop is usually a victim's, not a den's.
        self.count_after = re.compile(
            rf"[\s*]*(?:[共计约近逾]{{0,2}})[\s*]*[0-9二两三四五六七八九十百千万]+(?:\.\d+)?\s*(?:余|多)?\s*(?:{affix['device_measure']})"
        )
        self.count_before = re.compile(rf"[0-9二两三四五六七八九十百千万]+(?:余|多)?(?:{affix['device_measure']})$")
        self.list_of_equipment = re.compile(
            rf"(?:[、和及与][^、，。；\n]{{1,8}}?){{0,12}}等(?:作案|涉案|通讯|通信|电子)?(?:{affix['equipment_word']})"
        )
        self.context_words = lexicon.device_context
        self.blockers = tuple(sorted(lexicon.device_blockers, key=len, reverse=True))

    def find(self, text: str) -> list[Candidate]:
        """DEVICE and FRAUD_TYPE candidates in the matching view ``text``."""
        candidates: list[Candidate] = []
        undecided: list[Candidate] = []  # generic devices and suffix-only scheme words, decided by lists
        fake_things: list[tuple[int, int]] = []  # 虚假投资理财平台: no scheme word inside it counts
        for end_index, entry in self.automaton.iter(text):
            end = end_index + 1
            start = end - len(entry.term)
            if _ASCII.match(entry.term[0]) and start > 0 and _ASCII.match(text[start - 1]):
                continue
            if _ASCII.match(entry.term[-1]) and end < len(text) and _ASCII.match(text[end]) and not text[end].isdigit():
                continue
            if entry.label == "FRAUD_TYPE":
                if entry.term.startswith("虚假") and self.fake_thing.match(text, end):
                    fake_things.append((start, end))
                    continue  # 虚假贷款APP, 虚假购物平台: a fake platform, not the scheme's name
                suffixed = self._with_suffix(text, end)
                named = suffixed > end or self.quoted_suffix.match(text, end) or self.category.match(text, end)
                end = suffixed
            candidate = Candidate(start, end, entry.label, f"lexicon:{entry.label.lower()}", PRIORITY[entry.label],
                                  entry.norm, {"rule": entry.where})
            if entry.label == "FRAUD_TYPE" and entry.when == "suffix" and not named:
                undecided.append(candidate)  # a scheme word listed with named schemes names one too
                continue
            if entry.when == "context":
                if self._is_blocked(text, end):
                    continue  # 手机卡, 电脑端: part of another noun
                if not self._is_crime_device(text, start, end):
                    undecided.append(candidate)  # decided by the lists it stands in
                    continue
            candidates.append(candidate)
        if fake_things:
            candidates = [
                c for c in candidates
                if c.label != "FRAUD_TYPE" or not any(s <= c.start and c.start < e for s, e in fake_things)
            ]
        if undecided:
            for label in ("DEVICE", "FRAUD_TYPE"):
                pending = [c for c in undecided if c.label == label]
                if pending:
                    candidates.extend(self._listed_with(text, candidates, pending, label))
        for match in self.impersonation.finditer(text):
            start, end = match.start(), match.end()
            if match.group("open") and not match.group("close"):
                continue
            if match.group("close") and not match.group("open"):
                end -= 1
            end = self._with_suffix(text, end)
            category = self.lexicon.identities[match.group("who")]
            candidates.append(Candidate(start, end, "FRAUD_TYPE", "rule:impersonation", PRIORITY["FRAUD_TYPE"] + 1, category))
        return candidates

    def _with_suffix(self, text: str, end: int) -> int:
        """End of a FRAUD_TYPE span once a directly attached 诈骗 / 类诈骗 / 骗局 / 案 joins it
        (labels.md rule 2); a bare 类 does not join."""
        suffix = self.fraud_suffix.match(text, end)
        return suffix.end() if suffix and suffix.group() != "类" else end

    def _is_blocked(self, text: str, end: int) -> bool:
        """Whether the text after a device word makes it part of another noun (手机卡, 电脑端)."""
        following = text[end:end + 4]
        return any(following.startswith(blocker) for blocker in self.blockers)

    def _is_crime_device(self, text: str, start: int, end: int) -> bool:
        """Whether a generic device word (手机, 电脑) at ``[start, end)`` is a crime device:
        a count stands next to it (手机220部, 11部手提电脑), a crime/seizure word precedes it
        in its clause, or it opens a list closed by 等设备. The caller has already ruled
        out a word that is part of another noun (:meth:`_is_blocked`)."""
        if self.count_after.match(text, end) or self.count_before.search(text, max(0, start - 8), start):
            return True  # 手机220部, 11部手提电脑
        window_start = start
        while window_start > 0 and start - window_start < 12 and text[window_start - 1] not in _CLAUSE_END:
            window_start -= 1
        window = text[window_start:start]
        if any(word in window for word in self.context_words):
            return True
        # a list closed by 等设备 / 等作案工具 is equipment: 路由器、服务器等设备一批
        return self.list_of_equipment.match(text, end) is not None

    @staticmethod
    def _listed_with(text: str, accepted: list[Candidate], undecided: list[Candidate], label: str) -> list[Candidate]:
        """Undecided words listed next to an accepted span of ``label``: generic devices
        in a list of devices (笔记本电脑、路由器、无线网卡) are equipment, and a scheme word
        in a list of schemes (刷单、网贷、冒充电商客服) names a scheme.

        Alternating left-to-right and right-to-left passes spread acceptance along a
        list in either direction; lookups are by offset, so a pass is linear.
        """
        # schemes are listed with 、 only: after a comma a new clause may start (以刷单为名，贷款…)
        separators = _LIST_SEPARATORS if label == "DEVICE" else {"、"}
        starts = {c.start for c in accepted if c.label == label}
        ends = {c.end for c in accepted if c.label == label}
        pending = sorted(undecided, key=lambda c: c.start)
        added: list[Candidate] = []
        changed, forward = True, True
        while changed and pending:
            changed = False
            left: list[Candidate] = []
            for candidate in pending if forward else reversed(pending):
                before, after = candidate.start - 1, candidate.end
                if (before >= 0 and text[before] in separators and before in ends) or (
                    after < len(text) and text[after] in separators and after + 1 in starts
                ):
                    starts.add(candidate.start)
                    ends.add(candidate.end)
                    added.append(candidate)
                    changed = True
                else:
                    left.append(candidate)
            pending = left if forward else left[::-1]
            forward = not forward
        return added


@lru_cache(maxsize=4)
def default_finder(data_dir: str = str(DATA_DIR)) -> LexiconFinder:
    """A cached finder over the lexicon in ``data_dir`` (the package data by default)."""
    return LexiconFinder(Lexicon.from_dir(data_dir))
