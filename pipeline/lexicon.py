"""The domain lexicon (devices, fraud-scheme words) and its character-level matcher.

One lexicon, two consumers: :attr:`Lexicon.entries` feed the jieba segmenter as
user words (see :mod:`pipeline.tokenizer`) and the Aho-Corasick matcher here, which
matches on characters of the matching view so that jieba's word boundaries never
hide a name (GOIP5台, POS机, ＧＯＩＰ).

Data files, under ``<data_dir>/lexicon/``:

* ``lexicon.tsv`` — ``term, label, norm, when`` (see the file's header);
* ``impersonation.tsv`` — identities after 冒充/假冒 and their FRAUD_TYPE category;
* ``device_context.tsv`` — crime/seizure words that make 手机/电脑 a crime device;
* ``device_blockers.tsv`` — text after 手机/电脑 that makes it part of another noun.
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

# A directly attached 诈骗 / 类诈骗 / 骗局 / 案 joins a FRAUD_TYPE span (labels.md rule 2);
# 案 does not when it starts another word (案件, 案例, 案情, 案发).
_FRAUD_SUFFIX = re.compile(r"类?(?:诈骗|骗局|骗案)(?:案(?![件例情发值由]))?|类?案(?![件例情发值由])|类")
# A suffix-only word (游戏交易) also names the scheme when quoted: “游戏交易”诈骗案 — the quote
# and what follows stay outside the span.
_QUOTED_SUFFIX = re.compile(r"[”\"」』’]类?(?:诈骗|骗局|骗案|案(?![件例情发值由]))")
_IMPERSONATION_VERBS = "冒充|假冒"  # labels.md rule 2; 自称/假扮/冒用 describe a persona or an act, not a scheme
_QUOTES_OPEN = "“\"「『‘"
_QUOTES_CLOSE = "”\"」』’"
_CLAUSE_END = set("。；！？!?;\n")
# 一台 is left out on purpose: a single phone or laptop is usually a victim's, not a den's.
_COUNT_AFTER = re.compile(r"[\s*]*(?:[共计约近逾]{0,2})[\s*]*[0-9二两三四五六七八九十百千万]+(?:\.\d+)?\s*(?:余|多)?\s*(?:部|台|个|件|只|套|块|张|组|箱|批|枚|支)")
_LIST_SEPARATORS = set("、和及与,，/")
_FAKE_THING = re.compile(r"[”\"」]?(?:APP|平台|网站|网页|链接|软件|小程序|客服)")
_LIST_OF_EQUIPMENT = re.compile(r"(?:[、和及与][^、，。；\n]{1,8}?)*等(?:作案|涉案|通讯|通信|电子)?(?:设备|工具|器材|物品)")
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
        return cls(entries, identities, context, blockers)


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
        identities = lexicon.identities
        self.impersonation = re.compile(
            rf"(?:{_IMPERSONATION_VERBS})(?P<open>[{_QUOTES_OPEN}]?)(?P<who>{literal_alternation(identities)})(?:工作人员|职员|人员)?(?P<close>[{_QUOTES_CLOSE}]?)"
        )
        self.context_words = lexicon.device_context
        self.blockers = tuple(sorted(lexicon.device_blockers, key=len, reverse=True))

    def find(self, text: str) -> list[Candidate]:
        """DEVICE and FRAUD_TYPE candidates in the matching view ``text``."""
        candidates: list[Candidate] = []
        undecided: list[Candidate] = []  # generic device words with no crime context of their own
        fake_things: list[tuple[int, int]] = []  # 虚假投资理财平台: no scheme word inside it counts
        for end_index, entry in self.automaton.iter(text):
            end = end_index + 1
            start = end - len(entry.term)
            if _ASCII.match(entry.term[0]) and start > 0 and _ASCII.match(text[start - 1]):
                continue
            if _ASCII.match(entry.term[-1]) and end < len(text) and _ASCII.match(text[end]) and not text[end].isdigit():
                continue
            if entry.label == "FRAUD_TYPE":
                if entry.term.startswith("虚假") and _FAKE_THING.match(text, end):
                    fake_things.append((start, end))
                    continue  # 虚假贷款APP, 虚假购物平台: a fake platform, not the scheme's name
                suffix = _FRAUD_SUFFIX.match(text, end)
                if suffix and suffix.group() != "类":
                    end = suffix.end()
                elif entry.when == "suffix" and not _QUOTED_SUFFIX.match(text, end):
                    continue
            candidate = Candidate(start, end, entry.label, f"lexicon:{entry.label.lower()}", PRIORITY[entry.label],
                                  entry.norm, {"rule": entry.where})
            if entry.when == "context" and not self._is_crime_device(text, start, end):
                if not self._is_blocked(text, end):
                    undecided.append(candidate)
                continue
            candidates.append(candidate)
        if fake_things:
            candidates = [
                c for c in candidates
                if c.label != "FRAUD_TYPE" or not any(s <= c.start and c.start < e for s, e in fake_things)
            ]
        if undecided:
            candidates.extend(self._listed_with_devices(text, candidates, undecided))
        for match in self.impersonation.finditer(text):
            start, end = match.start(), match.end()
            if match.group("open") and not match.group("close"):
                continue
            if match.group("close") and not match.group("open"):
                end -= 1
            suffix = _FRAUD_SUFFIX.match(text, end)
            if suffix and suffix.group() != "类":
                end = suffix.end()
            category = self.lexicon.identities[match.group("who")]
            candidates.append(Candidate(start, end, "FRAUD_TYPE", "rule:impersonation", PRIORITY["FRAUD_TYPE"] + 1, category))
        return candidates

    def _is_blocked(self, text: str, end: int) -> bool:
        """Whether the text after a device word makes it part of another noun (手机卡, 电脑端)."""
        following = text[end:end + 4]
        return any(following.startswith(blocker) for blocker in self.blockers)

    def _is_crime_device(self, text: str, start: int, end: int) -> bool:
        """Whether a generic device word (手机, 电脑) at ``[start, end)`` is a crime device:
        a count follows it (手机220部) or a crime/seizure word precedes it in its clause."""
        if self._is_blocked(text, end):
            return False
        if _COUNT_AFTER.match(text, end):
            return True
        window_start = start
        while window_start > 0 and start - window_start < 12 and text[window_start - 1] not in _CLAUSE_END:
            window_start -= 1
        window = text[window_start:start]
        if any(word in window for word in self.context_words):
            return True
        # a list closed by 等设备 / 等作案工具 is equipment: 路由器、服务器等设备一批
        return _LIST_OF_EQUIPMENT.match(text, end) is not None

    @staticmethod
    def _listed_with_devices(text: str, accepted: list[Candidate], undecided: list[Candidate]) -> list[Candidate]:
        """Generic device words listed next to an accepted device (笔记本电脑、路由器、无线网卡):
        a list of devices is equipment, so the whole list is tagged. Repeats until stable."""
        edges = {(c.start, c.end) for c in accepted if c.label == "DEVICE"}
        added: list[Candidate] = []
        changed = True
        while changed and undecided:
            changed = False
            for candidate in list(undecided):
                before = candidate.start - 1
                after = candidate.end
                joined = (before >= 0 and text[before] in _LIST_SEPARATORS and any(e == before for _, e in edges)) or (
                    after < len(text) and text[after] in _LIST_SEPARATORS and any(s == after + 1 for s, _ in edges)
                )
                if joined:
                    edges.add((candidate.start, candidate.end))
                    added.append(candidate)
                    undecided.remove(candidate)
                    changed = True
        return added


@lru_cache(maxsize=4)
def default_finder(data_dir: str = str(DATA_DIR)) -> LexiconFinder:
    """A cached finder over the lexicon in ``data_dir`` (the package data by default)."""
    return LexiconFinder(Lexicon.from_dir(data_dir))
