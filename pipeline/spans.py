"""Candidate spans: what every finder proposes and the resolver decides on.

A finder (lexicon matcher, regex rules, gazetteer, statistical model) never writes
entities itself. It returns :class:`Candidate` objects with character offsets into
the document text; :mod:`pipeline.resolver` then picks one flat set of spans.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The seven labels of the annotation standard, in output order of the docs.
LABELS: tuple[str, ...] = (
    "LOC",
    "POLICE_UNIT",
    "ORG",
    "FRAUD_TYPE",
    "DEVICE",
    "MONEY",
    "QUANTITY",
)

#: The closed list of FRAUD_TYPE norms (labels.md, "FRAUD_TYPE categories").
FRAUD_CATEGORIES: tuple[str, ...] = (
    "刷单返利",
    "虚假投资理财",
    "虚假网络贷款",
    "冒充电商物流客服",
    "冒充公检法",
    "虚假征信",
    "虚假购物服务",
    "冒充领导熟人",
    "网络游戏虚假交易",
    "网络婚恋交友",
    "情感咨询",
    "裸聊敲诈",
    "虚假中奖补贴",
    "两卡帮信",
    "其他",
)

APPROX_VALUES: tuple[str, ...] = ("exact", "more_than", "about", "nearly")


@dataclass(frozen=True)
class Candidate:
    """A proposed entity span.

    ``start``/``end`` are character offsets ``[start, end)`` into the document text.
    ``source`` names the rule or model that proposed it (``"lexicon:devices"``,
    ``"rule:money"``, ...) and is copied to the output so users can debug a span.
    ``priority`` breaks ties between candidates of equal length (higher wins).
    ``norm`` is the normalized value when the finder already knows it (``None``
    lets the document-level normalizer fill it in); ``extra`` holds further
    output fields such as a division ``code``.
    """

    start: int
    end: int
    label: str
    source: str
    priority: int = 0
    norm: Any = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown label {self.label!r}; expected one of {LABELS}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span offsets [{self.start}, {self.end})")

    @property
    def length(self) -> int:
        return self.end - self.start
