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
"""
from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

from .components import view_of

_SELF_REFERENCE = re.compile(r"^(?:我|本|该|全)?(省|市|州|盟|县|区|旗)")
_COLLECTIVE_TAILS = ("警方", "公安机关", "公安")


class DocumentNormalizer:
    """spaCy component: fills ``fraudtag_norm`` for LOC, POLICE_UNIT and ORG entities."""

    def __init__(self, name: str = "fraudtag_normalizer") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        info = doc._.fraudtag_info
        if not info:
            return doc
        view = view_of(doc).text
        keys = sorted(info)
        try:
            from .places import Gazetteer, PlaceContext
        except ImportError:
            gazetteer = None
        else:
            gazetteer = Gazetteer.default()
        if gazetteer is not None:
            context = PlaceContext()
            place_keys = [k for k in keys if k[2] == "LOC"]
            surfaces = [view[k[0]:k[1]] for k in place_keys]
            norms = gazetteer.resolve_document(surfaces)
            for key, norm in zip(place_keys, norms):
                if norm is not None:
                    context.add(norm)
                    info[key]["norm"] = norm.path
                    if norm.code:
                        info[key]["extra"]["code"] = norm.code
                else:
                    info[key]["norm"] = view[key[0]:key[1]]
            for key in keys:
                if key[2] == "POLICE_UNIT" and info[key]["norm"] is None:
                    info[key]["norm"], code = police_norm(view[key[0]:key[1]], gazetteer, context)
                    if code:
                        info[key]["extra"]["code"] = code
        for key in keys:
            if info[key]["norm"] is None:
                info[key]["norm"] = doc.text[key[0]:key[1]] if key[2] in ("ORG", "POLICE_UNIT", "LOC") else None
        return doc


def police_norm(unit: str, gazetteer: Any, context: Any) -> tuple[str, str | None]:
    """The jurisdiction-resolved name of a police unit, and its division code.

    东西湖区分局 (Wuhan story) → 湖北省武汉市公安局东西湖区分局; 武汉市公安局刑侦局 →
    湖北省武汉市公安局刑侦局; 武汉警方 → 湖北省武汉市公安局; 市公安局反诈中心 → the
    story's city + 公安局反诈中心; a unit without a place keeps its name.
    """
    leading = gazetteer.leading_division(unit, context)
    if leading is None:
        match = _SELF_REFERENCE.match(unit)
        city = getattr(context, "dominant_city", None)
        city = city() if callable(city) else city
        if match and city is not None and match.group(1) in ("市", "州", "盟"):
            rest = unit[match.end():]
            rest = _police_rest(rest)
            return city.path + rest, city.code
        return unit, None
    length, place = leading
    rest = _police_rest(unit[length:])
    if place.level in ("county", "district") and rest.startswith("分局"):
        parent = gazetteer.parent(place) if hasattr(gazetteer, "parent") else None
        if parent is not None:
            county_name = place.path[len(parent.path):]
            return f"{parent.path}公安局{county_name}{rest}", place.code
    return place.path + rest, place.code


def _police_rest(rest: str) -> str:
    """The unit part after the place: 警方/公安 collectives become 公安局, 公安分局 becomes 分局."""
    if rest in _COLLECTIVE_TAILS:
        return "公安局"
    if rest.startswith("公安分局"):
        return rest[2:]
    return rest
