"""spaCy registrations: every fraudtag component, under one ``fraudtag_`` prefix.

Pipeline (built by :func:`pipeline.model.build_pipeline`)::

    tokenizer            fraudtag.JiebaTokenizer.v1  private jieba + domain lexicon
    fraudtag_finder      all rule finders propose candidates (doc._.fraudtag_candidates)
    fraudtag_resolver    one flat set of spans; tokens split at span edges; doc.ents
    fraudtag_normalizer  document-level norms (places in context, police jurisdictions)

Per-entity values are read with ``ent._.fraudtag_norm``, ``ent._.fraudtag_source``
and ``ent._.fraudtag_extra``; they live in ``doc._.fraudtag_info`` keyed by
``(start_char, end_char, label)``, so they survive ``doc.ents`` being re-read.

The finder's rule data (lexicon, patterns, stoplists, place table) is copied into
the model directory by ``to_disk`` and read back from there by ``from_disk``, so a
saved model holds everything it needs.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, registry

from .datafiles import DATA_DIR
from .resolver import resolve
from .spans import Candidate
from .textview import TextView
from .tokenizer import JiebaTokenizer

FINDER_NAMES = ("lexicon", "amounts", "units", "places")


def _register_extensions() -> None:
    """Doc/Span attributes this package uses (idempotent; only ``fraudtag_`` names)."""
    for name in ("fraudtag_view", "fraudtag_candidates"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("fraudtag_info"):
        Doc.set_extension("fraudtag_info", default=None)

    def info_getter(key: str) -> Callable[[Span], Any]:
        def getter(span: Span) -> Any:
            info = span.doc._.fraudtag_info or {}
            return info.get((span.start_char, span.end_char, span.label_), {}).get(key)

        return getter

    for key in ("norm", "source", "extra"):
        name = f"fraudtag_{key}"
        if not Span.has_extension(name):
            Span.set_extension(name, getter=info_getter(key))


_register_extensions()


def view_of(doc: Doc) -> TextView:
    """The document's matching view (made by the tokenizer, or now for foreign docs)."""
    view = doc._.fraudtag_view
    # a doc made by another tokenizer (or edited) gets its own view; the length check is
    # cheap, where comparing doc.text would rebuild the whole text from its tokens
    if view is None or len(view.original) != (doc[-1].idx + len(doc[-1]) if len(doc) else 0):
        view = TextView.of(doc.text)
        doc._.fraudtag_view = view
    return view


@registry.tokenizers("fraudtag.JiebaTokenizer.v1")
def create_jieba_tokenizer(hmm: bool = False) -> Callable[[Language], JiebaTokenizer]:
    """Tokenizer factory: user words come from the finder data when the pipeline is built."""

    def make(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, hmm=hmm)

    return make


def load_finders(data_dir: Path, names: Iterable[str]) -> list[tuple[str, Callable[[str], list[Candidate]]]]:
    """The named rule finders, each bound to the rule data under ``data_dir``.

    Each finder is a callable taking the matching view and returning candidates;
    finders are cached per data directory, so loading a model twice is cheap.
    """
    finders: list[tuple[str, Callable[[str], list[Candidate]]]] = []
    for name in names:
        if name == "lexicon":
            from .lexicon import default_finder

            finders.append((name, default_finder(str(data_dir)).find))
        elif name == "amounts":
            from .amounts import amount_finder

            finders.append((name, amount_finder(str(data_dir)).find_in_view))
        elif name == "units":
            from .units import default_finder as unit_finder

            finders.append((name, unit_finder(str(data_dir)).find))
        elif name == "places":
            from .places import default_finder as place_finder

            finders.append((name, place_finder(str(data_dir)).find))
        else:
            raise ValueError(f"unknown finder {name!r}; expected one of {FINDER_NAMES}")
    return finders


class CandidateFinder:
    """Runs every rule finder over the matching view; sets ``doc._.fraudtag_candidates``."""

    def __init__(self, nlp: Language, name: str, finders: list[str]) -> None:
        self.name = name
        self.finder_names = list(finders)
        self.data_dir = DATA_DIR
        self._finders: list[tuple[str, Callable[[str], list[Candidate]]]] | None = None

    def load(self) -> None:
        """Load (and validate) the finders' rule data from ``data_dir``.

        Raises ``DataFileError`` naming the file and line of a bad row, so a broken
        model fails when it is built or loaded rather than on every document.
        """
        self._finders = load_finders(self.data_dir, self.finder_names)

    @property
    def finders(self) -> list[tuple[str, Callable[[str], list[Candidate]]]]:
        if self._finders is None:
            self.load()
        assert self._finders is not None
        return self._finders

    def __call__(self, doc: Doc) -> Doc:
        text = view_of(doc).text
        candidates: list[Candidate] = list(doc._.fraudtag_candidates or [])
        for _, find in self.finders:
            candidates.extend(find(text))
        doc._.fraudtag_candidates = candidates
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Copy the rule data into ``path/data`` (replacing what was there, atomically)."""
        path = ensure_path(path)
        target = path / "data"
        if target.exists() and target.resolve() == Path(self.data_dir).resolve():
            return  # saving a loaded model over itself: its data is already there
        path.mkdir(parents=True, exist_ok=True)
        staging = path / ".data.partial"
        if staging.exists():
            shutil.rmtree(staging)
        shutil.copytree(self.data_dir, staging, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "CandidateFinder":
        """Read the rule data from ``path/data``; a bad row raises ``DataFileError`` now, not later."""
        path = ensure_path(path)
        self.data_dir = path / "data"
        self.load()
        return self


@Language.factory("fraudtag_finder", default_config={"finders": list(FINDER_NAMES)})
def make_finder(nlp: Language, name: str, finders: list[str]) -> CandidateFinder:
    return CandidateFinder(nlp, name, finders)


class SpanResolver:
    """Picks the flat span set, re-tokenizes at span edges and sets ``doc.ents``.

    jieba's tokens can cut through an entity (GOIP5台 → GOIP5 / 台); the resolver
    builds a new Doc whose tokens are jieba's split additionally at every entity
    boundary, so each entity is exactly a token range.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        view = view_of(doc)
        text = view.original  # doc.text is rebuilt from the tokens on every access
        chosen = resolve(doc._.fraudtag_candidates or [], len(text))
        boundaries = {0, len(text)}
        boundaries.update(doc.to_array([IDX]).tolist())  # token offsets without making Token objects
        for candidate in chosen:
            boundaries.add(candidate.start)
            boundaries.add(candidate.end)
        if len(boundaries) - 1 != len(doc):
            cuts = sorted(boundaries)
            words = [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
            new_doc = Doc(doc.vocab, words=words, spaces=[False] * len(words))
            new_doc.user_data.update(doc.user_data)
            doc = new_doc
            doc._.fraudtag_view = view
        spans = []
        info: dict[tuple[int, int, str], dict[str, Any]] = {}
        for candidate in chosen:
            if candidate.extra.get("suppress"):
                continue  # a reading that wins only to keep what is inside it untagged
            span = doc.char_span(candidate.start, candidate.end, label=candidate.label)
            if span is None:  # cannot happen after the split above; guard against silent loss
                raise RuntimeError(f"entity [{candidate.start}, {candidate.end}) does not align to tokens")
            spans.append(span)
            info[(candidate.start, candidate.end, candidate.label)] = {
                "norm": candidate.norm,
                "source": candidate.source,
                "extra": dict(candidate.extra),
            }
        doc.ents = spans
        doc._.fraudtag_info = info
        return doc


@Language.factory("fraudtag_resolver")
def make_resolver(nlp: Language, name: str) -> SpanResolver:
    return SpanResolver(nlp, name)


@Language.factory("fraudtag_normalizer")
def make_normalizer(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from .normalize import DocumentNormalizer

    def data_dir() -> Path:
        # the finder's rule data, so a saved model normalizes with its own copy
        if "fraudtag_finder" in nlp.pipe_names:
            return Path(nlp.get_pipe("fraudtag_finder").data_dir)
        return DATA_DIR

    from .places import gazetteer_for

    return DocumentNormalizer(name, lambda: gazetteer_for(str(data_dir())))
