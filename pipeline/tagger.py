"""Tagging documents: one string, an iterable of records, or a batch in parallel.

Output record (one per input record, in input order)::

    {"id": ..., "text": ..., "meta": {...},
     "entities": [{"start", "end", "label", "text", "norm", "source", ...}]}

A record that could not be read or tagged carries ``"error"`` instead of being
dropped, with ``"entities": []``.
"""
from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from spacy.language import Language
from spacy.tokens import Doc

from .io import InputRecord
from .model import cached_model, load


def doc_entities(doc: Doc) -> list[dict[str, Any]]:
    """The entities of a processed doc as output dicts (offsets into ``doc.text``)."""
    entities = []
    for ent in doc.ents:
        entity: dict[str, Any] = {
            "start": ent.start_char,
            "end": ent.end_char,
            "label": ent.label_,
            "text": ent.text,
            "norm": ent._.fraudtag_norm,
            "source": ent._.fraudtag_source,
        }
        extra = ent._.fraudtag_extra or {}
        for key in ("code",):
            if key in extra:
                entity[key] = extra[key]
        entities.append(entity)
    return entities


def tag_text(text: str, nlp: Language | None = None) -> list[dict[str, Any]]:
    """Tag one string; returns its entity dicts. Uses the default model unless ``nlp`` is given."""
    nlp = nlp or cached_model()
    return doc_entities(nlp(text))


def _as_input(record: InputRecord | Mapping[str, Any], index: int) -> InputRecord:
    if isinstance(record, InputRecord):
        return record
    record_id = record.get("id", index)
    meta = dict(record.get("meta") or {})
    meta.update({k: v for k, v in record.items() if k not in ("id", "text", "meta", "entities")})
    text = record.get("text")
    if not isinstance(text, str):
        return InputRecord(str(record_id), None, meta, f"record {index}", f"record {index}: no string field 'text'")
    return InputRecord(str(record_id), text, meta, f"record {index}")


def tag_record(record: InputRecord, nlp: Language) -> dict[str, Any]:
    """The output record for one input record (an error record when it cannot be tagged)."""
    output: dict[str, Any] = {"id": record.id, "text": record.text, "meta": record.meta, "entities": []}
    if record.text is None:
        output["error"] = record.error or f"{record.where}: no text"
        return output
    if record.error:  # readable, but something about it was wrong (e.g. bad front matter)
        output["warning"] = record.error
    try:
        output["entities"] = doc_entities(nlp(record.text))
    except Exception as exc:  # one bad document must not stop a batch of millions
        output["error"] = f"{record.where}: tagging failed: {type(exc).__name__}: {exc}"
    return output


# -- parallel tagging -------------------------------------------------------------
_worker_nlp: Language | None = None


def _init_worker(model_path: str | None) -> None:
    global _worker_nlp
    _worker_nlp = load(model_path)


def _tag_in_worker(record: InputRecord) -> dict[str, Any]:
    assert _worker_nlp is not None
    return tag_record(record, _worker_nlp)


def tag_records(
    records: Iterable[InputRecord | Mapping[str, Any]],
    nlp: Language | None = None,
    *,
    model_path: str | None = None,
    workers: int = 1,
    chunk_size: int = 16,
) -> Iterator[dict[str, Any]]:
    """Tag an iterable of records lazily, yielding output records in input order.

    Records are :class:`~pipeline.io.InputRecord` objects or mappings with
    ``id``/``text`` (other fields go to ``meta``). With ``workers > 1`` documents
    are tagged in that many processes, each loading ``model_path`` (or the
    default model) once; order is kept.
    """
    inputs = (_as_input(record, index) for index, record in enumerate(records))
    if workers <= 1:
        nlp = nlp or (load(model_path) if model_path else cached_model())
        for record in inputs:
            yield tag_record(record, nlp)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(model_path,)) as pool:
        yield from pool.imap(_tag_in_worker, inputs, chunksize=chunk_size)


@dataclass
class TagSummary:
    """Counts of a tagging run, for the closing summary."""

    documents: int = 0
    errors: int = 0
    characters: int = 0
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.by_label: dict[str, int] = {}

    def add(self, record: Mapping[str, Any]) -> None:
        self.documents += 1
        if record.get("error"):
            self.errors += 1
        self.characters += len(record.get("text") or "")
        for entity in record.get("entities", ()):
            self.by_label[entity["label"]] = self.by_label.get(entity["label"], 0) + 1
