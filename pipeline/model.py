"""Building, saving and loading the fraudtag spaCy pipeline.

``build_pipeline()`` assembles a blank ``zh`` pipeline from the rule data in
``pipeline/data``; ``save_model()`` writes it to a directory (``models/fraudtag-zh``
is the bundled default, rebuilt by ``fraudtag build-model``); ``load()`` reads a
saved model back, or builds one from the package data when none is given.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the fraudtag_ factories and tokenizer)
from .datafiles import DATA_DIR

PACKAGE_ROOT = Path(__file__).resolve().parent
#: The bundled model, present in a source checkout (and editable installs).
DEFAULT_MODEL_DIR = PACKAGE_ROOT.parent / "models" / "fraudtag-zh"
MODEL_ENV = "FRAUDTAG_MODEL"


def lexicon_user_words(data_dir: Path = DATA_DIR) -> list[tuple[str, str]]:
    """User words for the segmenter: the lexicon terms plus place and unit names.

    The same entries feed the matcher (one lexicon, two consumers); place names
    come from the gazetteer so that 东西湖区 or 汉口火车站 segment as units.
    """
    from .lexicon import Lexicon

    words: list[tuple[str, str]] = []
    for entry in Lexicon.from_dir(data_dir).entries:
        words.append((entry.term, "nz" if entry.label == "FRAUD_TYPE" else "n"))
    from .places import gazetteer_for

    for surface, _kind in gazetteer_for(str(data_dir)).surface_forms():
        if len(surface) >= 2:
            words.append((surface, "ns"))
    return words


def build_pipeline(data_dir: Path | str = DATA_DIR, finders: Iterable[str] | None = None) -> Language:
    """A fresh pipeline over the rule data in ``data_dir``.

    Takes the data directory and, optionally, the finder names to enable (default:
    all). Returns a ``spacy.Language`` with the jieba tokenizer and the fraudtag
    components.
    """
    data_dir = Path(data_dir)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "fraudtag.JiebaTokenizer.v1"}}})
    nlp.tokenizer.add_words(lexicon_user_words(data_dir))
    config = {"finders": list(finders)} if finders is not None else {}
    finder = nlp.add_pipe("fraudtag_finder", config=config)
    finder.data_dir = data_dir
    finder.load()  # validate the rule data now: a bad row fails here with file:line
    nlp.add_pipe("fraudtag_resolver")
    nlp.add_pipe("fraudtag_normalizer")
    nlp.meta.update(
        {
            "name": "fraudtag_zh",
            "version": _package_version(),
            "description": "Rule-based fraud-bulletin tagger: LOC, POLICE_UNIT, ORG, FRAUD_TYPE, DEVICE, MONEY, QUANTITY",
            "license": "MIT",
        }
    )
    return nlp


def save_model(nlp: Language, path: Path | str) -> Path:
    """Write ``nlp`` to ``path`` (``nlp.to_disk``); returns the path."""
    path = Path(path)
    nlp.to_disk(path)
    return path


def load(path: Path | str | None = None) -> Language:
    """Load a saved model directory, or build the default pipeline.

    ``path`` wins; then the ``FRAUDTAG_MODEL`` environment variable; then the
    bundled ``models/fraudtag-zh`` when it exists; else a pipeline is built from
    the package's rule data.
    """
    chosen = path or os.environ.get(MODEL_ENV)
    if chosen:
        return spacy.load(Path(chosen))
    if (DEFAULT_MODEL_DIR / "config.cfg").exists():
        return spacy.load(DEFAULT_MODEL_DIR)
    return build_pipeline()


@lru_cache(maxsize=4)
def cached_model(path: str | None = None) -> Language:
    """A process-wide cache of :func:`load`, for the convenience functions."""
    return load(path)


def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("fraudtag")
    except Exception:  # not installed (running from a checkout)
        return "0.0.0"
