"""The matching view of a document: same length as the text, easier to match on.

Finders never look at the raw text. They match on a view in which, character for
character (so every offset in the view is an offset in the original):

* traditional characters are mapped to simplified ones (OpenCC's t2s table, per
  character so that lengths never change: 詐騙 → 诈骗, 萬 → 万, 餘 → 余);
* full-width ASCII is folded to half-width (２００ → 200, ＧＯＩＰ → GOIP) and the
  ideographic space to a space; ASCII letters are upper-cased (goip → GOIP);
* Markdown and HTML syntax that must never be tagged is blanked with spaces:
  images ``![alt](url)``, the brackets and URL of links (the link text stays),
  HTML tags, bare URLs and ``{{ template }}`` expressions; and the account-name lines
  heading a WeChat post (``[武汉反诈骗]`` / ``**武汉反诈骗**`` before ``微信号``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Characters whose per-character t2s mapping is wrong in ordinary simplified text
# (著名 is not 着名, 乾坤 is not 干坤); a view keeps them as written.
_KEEP = set("著乾夥瞭甚麼")

_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))

_MASK_PATTERNS = (
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),  # Markdown image: all of it
    re.compile(r"\]\([^)\n]*\)"),  # the "](url)" tail of a Markdown link
    re.compile(r"<[A-Za-z/!][^<>\n]{0,300}>"),  # HTML tags and comments
    re.compile(r"(?i)(?:https?|ftp)://[^\s\u3000-\u303f\uff01-\uff5e\u4e00-\u9fff]+"),
    re.compile(r"\{\{[^{}\n]*\}\}|\{%[^{}\n]*%\}"),  # Liquid / Jinja templates
)
# A link's opening bracket, found with its text so the scan stays linear; only the "[" is masked.
_LINK_OPEN = re.compile(r"(?<!!)\[[^\[\]\n]*\]\(")
# The account header of a WeChat post converted to Markdown ("[武汉反诈骗]", "**武汉反诈骗**",
# then 微信号 / 功能介绍 lines): an account name, which labels.md never tags.
_ACCOUNT_HEADER = re.compile(
    r"(?m)^[ \t]*(?:\[[^\]\n]{1,30}\]|\*\*[^*\n]{1,30}\*\*)[ \t]*$(?=(?:\n[^\n]*){0,2}\n[ \t]*(?:微信号|功能介绍))"
)


@lru_cache(maxsize=1)
def translation_table() -> dict[int, str]:
    """The one-pass ``str.translate`` table: t2s, full-width folding, ASCII upper-case."""
    import opencc  # imported lazily: only the first view pays for it

    # t2s first; the Hong Kong and Taiwan tables add their variant forms (衞 → 卫, 裏 → 里).
    converters = [opencc.OpenCC(config) for config in ("t2s", "hk2s", "tw2s")]
    table: dict[int, str] = {}
    for low, high in _CJK_RANGES:
        for code_point in range(low, high):
            char = chr(code_point)
            if char in _KEEP:
                continue
            for converter in converters:
                simplified = converter.convert(char)
                if simplified != char and len(simplified) == 1:
                    table[code_point] = simplified
                    break
    for code_point in range(0xFF01, 0xFF5F):
        table[code_point] = chr(code_point - 0xFEE0).upper()
    table[0x3000] = " "
    for code_point in range(ord("a"), ord("z") + 1):
        table[code_point] = chr(code_point).upper()
    return table


def fold(text: str) -> str:
    """Simplified, half-width, upper-cased text of the same length as ``text``."""
    return text.translate(translation_table())


def mask_syntax(text: str) -> str:
    """``text`` with Markdown/HTML syntax and URLs replaced by spaces (same length)."""
    chars: list[str] | None = None
    for pattern in (*_MASK_PATTERNS, _LINK_OPEN, _ACCOUNT_HEADER):
        for match in pattern.finditer(text):
            if chars is None:
                chars = list(text)
            end = match.start() + 1 if pattern is _LINK_OPEN else match.end()
            chars[match.start():end] = " " * (end - match.start())
    return text if chars is None else "".join(chars)


@dataclass(frozen=True)
class TextView:
    """A document's original text and its matching view.

    ``original`` is the text as written; ``folded`` is :func:`fold` of it (used for
    segmentation); ``text`` is ``folded`` with syntax masked (used by finders).
    All three have the same length.
    """

    original: str
    folded: str
    text: str

    @classmethod
    def of(cls, original: str) -> "TextView":
        folded = fold(original)
        return cls(original, folded, mask_syntax(folded))
