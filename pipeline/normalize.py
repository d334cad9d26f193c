"""Document-level normalization: norms that need the whole story.

Runs after the resolver. Most finders already know their span's norm (a money
value, a device's canonical name, a fraud category); places and police units need
the document: 朝阳区 is in Beijing in a Beijing story, and 东西湖区分局 in a Wuhan
story is ``湖北省武汉市公安局东西湖区分局``.

* LOC — :meth:`pipeline.places.Gazetteer.resolve` with a :class:`~pipeline.places.PlaceContext`
  built from the document's own place mentions (unambiguous ones first); norm is
  the administrative path, ``extra["code"]`` the six-digit division code; a place
  that does not resolve keeps its (simplified) text as norm.
* POLICE_UNIT — the leading place is resolved in the same context and the unit is
  re-anchored under it (see :func:`police_norm`); ``市公安局``/``我市警方`` take the
  story's city; a unit with no place keeps its name.
* ORG — the name as written.
* MONEY — in a Hong Kong, Macau or Taiwan story a plain 元 becomes HKD, MOP or TWD
  (see :func:`story_currency`).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from spacy.tokens import Doc

from .components import view_of
from .places import MUNICIPALITIES

# In a Hong Kong, Macau or Taiwan story a plain 元 is the local dollar (labels.md: MONEY
# norms name the currency); an explicit 人民币/RMB keeps CNY.
_LOCAL_CURRENCIES = {"810000": "HKD", "820000": "MOP", "710000": "TWD"}
_LOCAL_CURRENCY_CODES = frozenset(_LOCAL_CURRENCIES.values())
_EXPLICIT_CNY = re.compile(r"人民币|RMB|CNY|¥|￥")
_SELF_REFERENCE = re.compile(r"^(?:我|本|该|全)?(省|市|州|盟|县|区|旗)")
_COLLECTIVE_TAILS = ("警方", "公安机关", "公安")


class DocumentNormalizer:
    """spaCy component: fills the norms of LOC, POLICE_UNIT and ORG entities and sets the
    currency of plain 元 amounts in Hong Kong, Macau and Taiwan stories.

    ``gazetteer`` returns the place gazetteer to use (the one over the finder's rule
    data, so a saved model normalizes with its own copy); default: the package's.
    """

    def __init__(self, name: str = "fraudtag_normalizer", gazetteer: Callable[[], Any] | None = None) -> None:
        self.name = name
        self._gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        info = doc._.fraudtag_info
        if not info:
            return doc
        view_obj = view_of(doc)
        view, text = view_obj.text, view_obj.original
        keys = sorted(info)
        from .places import Gazetteer, PlaceContext, PlaceNorm, resolve_document

        gazetteer = self._gazetteer() if self._gazetteer else Gazetteer.default()
        place_keys = [k for k in keys if k[2] == "LOC"]
        # the places that open the story's units (拉萨市公安局) tell where it is set, too
        unit_places = [
            found[1] for k in keys if k[2] in ("POLICE_UNIT", "ORG")
            for found in [gazetteer.leading_division(view[k[0]:k[1]])] if found is not None
        ]
        norms = resolve_document([view[k[0]:k[1]] for k in place_keys], gazetteer, unit_places)
        context = PlaceContext(norms)
        for key, norm in zip(place_keys, norms):
            if norm is not None:
                info[key]["norm"] = norm.path
                info[key]["extra"]["code"] = norm.code
            else:
                info[key]["norm"] = text[key[0]:key[1]]  # unresolved: the text as written
        story = PlaceContext(norms)  # places plus police jurisdictions: where the story is set
        for key in keys:
            if key[2] == "POLICE_UNIT":
                info[key]["norm"], code = police_norm(view[key[0]:key[1]], gazetteer, context)
                if code:
                    info[key]["extra"]["code"] = code
                    # the reporting police are a strong sign of where the story is set
                    story.add(PlaceNorm(info[key]["norm"], code, "police"))
                    story.add(PlaceNorm(info[key]["norm"], code, "police"))
            elif key[2] == "ORG" and info[key]["norm"] is None:
                info[key]["norm"] = text[key[0]:key[1]]
        local_currency = story_currency(view_obj, story, [info[k]["norm"] for k in keys if k[2] == "MONEY"])
        if local_currency:
            for key in keys:
                if key[2] == "MONEY":
                    _localize_currency(info[key], view[key[0]:key[1]], local_currency)
        for key in keys:
            if info[key]["extra"].get("code") is None:
                info[key]["extra"].pop("code", None)
        return doc


def story_currency(view: Any, context: Any, money_norms: list[Any]) -> str | None:
    """The local currency a plain 元 means in this story (HKD, MOP, TWD), or ``None`` for CNY.

    A story set in Hong Kong, Macau or Taiwan by its places (80% of the places with a
    code) uses the local dollar. So does a story printed in traditional script whose
    places lean there or which writes the local currency out elsewhere (港元, 新台币):
    a converted mainland page in traditional script keeps CNY.
    """
    total = sum(context.provinces.values())
    region, count = context.provinces.most_common(1)[0] if total else ("", 0)
    local = _LOCAL_CURRENCIES.get(region)
    if local and count >= 0.8 * total:
        return local
    if not _is_traditional(view):
        return None
    if local and count > 0.5 * total:
        return local
    if total and not local and count >= 0.5 * total:
        return None  # a mainland story printed in traditional script (a converted page)
    written = [n["currency"] for n in money_norms if isinstance(n, dict) and n.get("currency") in _LOCAL_CURRENCY_CODES]
    return max(set(written), key=written.count) if written else None


def _is_traditional(view: Any) -> bool:
    """Whether the text is printed in traditional script (many characters fold to simplified)."""
    changed = sum(1 for a, b in zip(view.original, view.folded) if a != b and "\u4e00" <= a <= "\u9fff")
    han = sum(1 for ch in view.original if "\u4e00" <= ch <= "\u9fff")
    return han > 0 and changed >= 0.05 * han


def _localize_currency(entry: dict[str, Any], span_view: str, currency: str) -> None:
    """Turn a CNY norm into the story's local currency unless the span says 人民币."""
    norm = entry.get("norm")
    if isinstance(norm, dict) and norm.get("currency") == "CNY" and not _EXPLICIT_CNY.search(span_view):
        entry["norm"] = {**norm, "currency": currency}


def _parent(gazetteer: Any, code: str) -> Any:
    """The division directly above ``code`` (city, else province), or ``None``."""
    division = gazetteer.by_code.get(code)
    if division is None:
        return None
    for parent_code in (division.city, division.province):
        if parent_code and parent_code != code and parent_code in gazetteer.by_code:
            return gazetteer.by_code[parent_code]
    return None


def _context_division(gazetteer: Any, context: Any, level: str) -> Any:
    """The story's dominant city (``level="city"``) or province as a gazetteer division."""
    if level == "city" and context.dominant_city:
        prefix = context.dominant_city
        city = gazetteer.by_code.get(prefix + "00")
        if city is not None:
            return city
        province = gazetteer.by_code.get(prefix[:2] + "0000")
        if province is not None and prefix[:2] in MUNICIPALITIES:
            return province  # a municipality's districts: the city is the province
        return None
    if level == "province" and context.dominant_province:
        return gazetteer.by_code.get(context.dominant_province)
    return None


def police_norm(unit: str, gazetteer: Any, context: Any) -> tuple[str, str | None]:
    """The jurisdiction-resolved name of a police unit, and its division code.

    Takes the unit's text (matching view), the gazetteer and the document's
    :class:`~pipeline.places.PlaceContext`. 东西湖区分局 (Wuhan story) →
    湖北省武汉市公安局东西湖区分局; 武汉市公安局刑侦局 → 湖北省武汉市公安局刑侦局;
    武汉警方 → 湖北省武汉市公安局; 市公安局反诈中心 → the story's city + 公安局反诈中心;
    a unit without a place keeps its name (永丰派出所, 反诈中心, 公安部).
    """
    leading = gazetteer.leading_division(unit, context)
    if leading is None:
        match = _SELF_REFERENCE.match(unit)
        if match:
            level = "province" if match.group(1) == "省" else "city" if match.group(1) in ("市", "州", "盟") else None
            division = _context_division(gazetteer, context, level) if level else None
            if division is not None:
                return division.path + _police_rest(unit[match.end():]), division.code
        return unit, None
    length, place = leading
    rest = _police_rest(unit[length:])
    if not rest:
        return unit, None
    if place.level == "county" and place.code and rest.startswith("分局"):
        parent = _parent(gazetteer, place.code)
        if parent is not None and place.path.startswith(parent.path):
            return f"{parent.path}公安局{place.path[len(parent.path):]}{rest}", place.code
    return place.path + rest, place.code


def _police_rest(rest: str) -> str:
    """The unit part after the place: 警方/公安 collectives become 公安局, 公安分局 becomes 分局."""
    if rest in _COLLECTIVE_TAILS:
        return "公安局"
    if rest.startswith("公安分局"):
        return rest[2:]
    return rest
