"""Tagging documents: one string, an iterable of records, or a batch in parallel.

Output record (one per input record, in input order)::

    {"id": ..., "text": ..., "meta": {...},
     "entities": [{"start", "end", "label", "text", "norm", "source", ...}]}

A record that could not be read or tagged carries ``"error"`` instead of being
dropped, with ``"entities": []``.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from spacy.language import Language
from spacy.tokens import Doc

from .io import InputRecord, record_from_value
from .model import cached_model, load


def doc_entities(doc: Doc) -> list[dict[str, Any]]:
    """The entities of a processed doc as output dicts (offsets into ``doc.text``).

    Each has ``start``, ``end``, ``label``, ``text``, ``norm`` and ``source``, plus the
    division ``code`` where the normalizer found one.
    """
    info = doc._.fraudtag_info or {}
    text = doc._.fraudtag_view.original if doc._.fraudtag_view is not None else doc.text
    entities = []
    for ent in doc.ents:
        start, end, label = ent.start_char, ent.end_char, ent.label_
        data = info.get((start, end, label), {})
        entity: dict[str, Any] = {
            "start": start,
            "end": end,
            "label": label,
            "text": text[start:end],
            "norm": data.get("norm"),
            "source": data.get("source"),
        }
        code = (data.get("extra") or {}).get("code")
        if code:
            entity["code"] = code
        entities.append(entity)
    return entities


def tag_text(text: str, nlp: Language | None = None) -> list[dict[str, Any]]:
    """Tag one string; returns its entity dicts. Uses the default model unless ``nlp`` is given."""
    nlp = nlp or cached_model()
    return doc_entities(nlp(text))


def _as_input(record: InputRecord | Mapping[str, Any] | Any, index: int) -> InputRecord:
    """An API record as an :class:`InputRecord` (the same rules as a JSONL line)."""
    if isinstance(record, InputRecord):
        return record
    return record_from_value(record, f"record {index}", str(index))


def tag_record(record: InputRecord, nlp: Language) -> dict[str, Any]:
    """The output record for one input record.

    A record that could not be read keeps its ``error`` and gets no entities; one that
    was read with a problem (e.g. invalid front matter) is tagged and carries a
    ``warning``; a document whose tagging raises becomes an error record, so one bad
    document never stops a batch.
    """
    if record.text is None:
        return _compose(record, [], record.error or f"{record.where}: no text", None)
    try:
        entities = doc_entities(nlp(record.text))
    except Exception as exc:  # one bad document must not stop a batch of millions
        return _compose(record, [], f"{record.where}: tagging failed: {type(exc).__name__}: {exc}", record.error)
    return _compose(record, entities, None, record.error)


# -- parallel tagging -------------------------------------------------------------
_worker_nlp: Language | None = None


def _init_worker(model_path: str | None) -> None:
    """Worker start-up: a forked worker inherits the parent's loaded model; a spawned one loads it."""
    global _worker_nlp
    if _worker_nlp is None:
        _worker_nlp = load(model_path)


def _tag_chunk(records: list[InputRecord]) -> list[tuple[list[dict[str, Any]], str | None, str | None]]:
    """Tag a chunk in a worker; returns ``(entities, error, warning)`` per record, not the
    texts, which the parent already holds (half the traffic back)."""
    assert _worker_nlp is not None
    results = []
    for record in records:
        output = tag_record(record, _worker_nlp)
        results.append((output["entities"], output.get("error"), output.get("warning")))
    return results


def _compose(record: InputRecord, entities: list[dict[str, Any]], error: str | None, warning: str | None) -> dict[str, Any]:
    output: dict[str, Any] = {"id": record.id, "text": record.text, "meta": record.meta, "entities": entities}
    if warning:
        output["warning"] = warning
    if error:
        output["error"] = error
    return output


def _chunks(records: Iterable[InputRecord], size: int) -> Iterator[list[InputRecord]]:
    chunk: list[InputRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    ``id``/``text`` (other fields go to ``meta``); anything else becomes an error
    record. With ``workers > 1`` documents are tagged in that many processes, each
    using the model at ``model_path`` (default: the bundled model); pass a path, not
    ``nlp``, since a Language object is not shipped to workers. The model is loaded
    once up front, so a broken model fails here rather than in every worker; at most
    ``4 * workers`` chunks are in flight, so memory stays flat on endless input. A
    worker that dies raises ``concurrent.futures.process.BrokenProcessPool``.
    """
    inputs = (_as_input(record, index) for index, record in enumerate(records))
    if workers <= 1:
        nlp = nlp or (load(model_path) if model_path else cached_model())
        for record in inputs:
            yield tag_record(record, nlp)
        return
    if nlp is not None:
        raise ValueError("tag_records: with workers > 1 pass model_path (each worker loads the model), not nlp")
    global _worker_nlp
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        _worker_nlp = load(model_path)  # loaded once; forked workers share it copy-on-write
    else:
        load(model_path)  # fail fast on a broken model before starting workers
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(model_path,))
    try:
        window: deque[tuple[list[InputRecord], Future[Any]]] = deque()
        for chunk in _chunks(inputs, chunk_size):
            window.append((chunk, pool.submit(_tag_chunk, chunk)))
            if len(window) >= 4 * workers:
                done, future = window.popleft()
                for record, result in zip(done, future.result()):
                    yield _compose(record, *result)
        while window:
            done, future = window.popleft()
            for record, result in zip(done, future.result()):
                yield _compose(record, *result)
    except BaseException:
        # A dead worker, an error or a consumer that stopped early: end the other workers
        # first, since CPython 3.11's shutdown waits for them and can hang on a broken pool.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        if context.get_start_method() == "fork":
            _worker_nlp = None


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
