"""The project's annotated corpus: inline markup in, gold JSONL out.

Corpus documents are written by hand as text with inline annotations::

    %% province: 湖南
    %% script: simplified
    ……湖南邵阳一位彭姓女士遭遇[[冒充“公检法”|FRAUD_TYPE|冒充公检法]]的骗局，
    被骗[[8万元|MONEY|80000 CNY exact]]……

:func:`parse_document` turns one such file into a gold record
``{"id", "text", "meta", "entities"}`` with character offsets into the plain text,
and validates labels and norm formats, reporting ``file:line`` for every problem.
:func:`check` validates a tree and :func:`build` writes ``train.jsonl`` /
``dev.jsonl`` from its ``train/`` and ``dev/`` folders; ``fraudtag corpus check|build``
(or ``python -m pipeline.corpus``) runs them.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .spans import APPROX_VALUES, FRAUD_CATEGORIES, LABELS

MARKUP = re.compile(r"\[\[(?P<text>[^\[\]|]+)\|(?P<label>[A-Z_]+)(?:\|(?P<norm>[^\[\]|]*))?\]\]")
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
SPLITS = ("train", "dev")


class CorpusError(ValueError):
    """A corpus document is malformed; the message starts with ``path:line:``."""


@dataclass
class ParsedDocument:
    id: str
    text: str
    meta: dict[str, str]
    entities: list[dict[str, Any]]

    def record(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "meta": self.meta, "entities": self.entities}


def _number(value: str) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def parse_norm(label: str, raw: str | None, span_text: str) -> Any:
    """Turn the norm written in markup into the output norm for ``label``.

    Returns the norm value (string or dict, or ``None`` for ORG/POLICE_UNIT without
    one); raises ``ValueError`` with a reason when the format is wrong.
    """
    raw = raw.strip() if raw is not None else None
    if label in ("ORG", "POLICE_UNIT"):
        return raw or None
    if label == "LOC":
        return raw or span_text
    if not raw:
        raise ValueError(f"{label} needs a norm")
    if label == "FRAUD_TYPE":
        if raw not in FRAUD_CATEGORIES:
            raise ValueError(f"FRAUD_TYPE norm {raw!r} is not one of the closed categories")
        return raw
    if label == "DEVICE":
        return raw
    parts = raw.split()
    if len(parts) != 3:
        raise ValueError(f"{label} norm must be 'value {'currency' if label == 'MONEY' else 'unit'} approx', got {raw!r}")
    value_text, second, approx = parts
    if approx not in APPROX_VALUES:
        raise ValueError(f"approx {approx!r} is not one of {APPROX_VALUES}")
    low, _, high = value_text.partition("-") if not value_text.startswith("-") else (value_text, "", "")
    if not NUMBER.match(low) or (high and not NUMBER.match(high)):
        raise ValueError(f"value {value_text!r} is not a number or a range low-high")
    norm: dict[str, Any] = {"value": _number(low)}
    if label == "MONEY":
        if not re.fullmatch(r"[A-Z]{3,4}", second):
            raise ValueError(f"currency {second!r} should be a code such as CNY, HKD, USD, USDT")
        norm["currency"] = second
    else:
        norm["unit"] = second
    norm["approx"] = approx
    if high:
        norm["max"] = _number(high)
    return norm


_OPENERS = "“‘\"「『（(《【"
_CLOSERS = "”’\"」』）)》】"
_PAIRS = dict(zip("“‘「『（(《【", "”’」』）)》】"))


def boundary_problem(span_text: str) -> str | None:
    """Why a span's edges break the standard (spaces, unpaired quotes, punctuation), or ``None``."""
    if span_text != span_text.strip():
        return "must not start or end with white space"
    if span_text[-1] in "，。、；：！？,.;:!?":
        return "must not end with punctuation"
    first, last = span_text[0], span_text[-1]
    if first in _OPENERS and _PAIRS.get(first, first) not in span_text[1:]:
        return "starts with an unpaired quote or bracket"
    if last in _CLOSERS and not any(_PAIRS.get(o, o) == last for o in span_text[:-1] if o in _OPENERS):
        return "ends with an unpaired quote or bracket"
    if first in _OPENERS and last == _PAIRS.get(first, first):
        return "must not be wrapped in quotes or brackets"
    return None


def parse_document(source: str, path: Path | str, doc_id: str | None = None) -> ParsedDocument:
    """Parse one annotated document.

    Takes the file content and its path (for messages and the default id, the file
    stem). Returns the :class:`ParsedDocument`; raises :class:`CorpusError` naming the
    file and line of the first problem found.
    """
    path = Path(path)
    meta: dict[str, str] = {}
    lines = source.split("\n")
    body_start = 0
    for index, line in enumerate(lines):
        if line.startswith("%%"):
            key, sep, value = line[2:].partition(":")
            if not sep:
                raise CorpusError(f"{path}:{index + 1}: metadata line needs 'key: value'")
            meta[key.strip()] = value.strip()
            body_start = index + 1
        else:
            break
    body = "\n".join(lines[body_start:])
    text_parts: list[str] = []
    entities: list[dict[str, Any]] = []
    cursor = 0
    out_len = 0

    def line_of(offset: int) -> int:
        return body_start + body.count("\n", 0, offset) + 1

    for match in MARKUP.finditer(body):
        plain = body[cursor:match.start()]
        if "[[" in plain or "]]" in plain:
            bad = cursor + max(plain.find("[["), plain.find("]]"))
            raise CorpusError(f"{path}:{line_of(bad)}: unbalanced or malformed [[...]] markup")
        text_parts.append(plain)
        out_len += len(plain)
        span_text, label, raw_norm = match.group("text"), match.group("label"), match.group("norm")
        where = f"{path}:{line_of(match.start())}"
        if label not in LABELS:
            raise CorpusError(f"{where}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
        problem = boundary_problem(span_text)
        if problem:
            raise CorpusError(f"{where}: span {span_text!r} {problem}")
        try:
            norm = parse_norm(label, raw_norm, span_text)
        except ValueError as exc:
            raise CorpusError(f"{where}: {exc}") from None
        entity: dict[str, Any] = {"start": out_len, "end": out_len + len(span_text), "label": label, "text": span_text}
        if norm is not None:
            entity["norm"] = norm
        entities.append(entity)
        text_parts.append(span_text)
        out_len += len(span_text)
        cursor = match.end()
    tail = body[cursor:]
    if "[[" in tail or "]]" in tail:
        bad = cursor + max(tail.find("[["), tail.find("]]"))
        raise CorpusError(f"{path}:{line_of(bad)}: unbalanced or malformed [[...]] markup")
    text_parts.append(tail)
    text = "".join(text_parts)
    return ParsedDocument(doc_id or path.stem, text, meta, entities)


def iter_documents(root: Path | str) -> Iterable[tuple[str, ParsedDocument]]:
    """``(split, document)`` for every ``*.txt`` under ``root/train`` and ``root/dev``;
    raises :class:`CorpusError` (the first problem, with file and line) if any file is bad."""
    documents, errors = check(root)
    if errors:
        raise CorpusError(errors[0])
    return documents


def summarize(documents: list[tuple[str, ParsedDocument]]) -> str:
    """A human-readable coverage summary: documents, spans per label, provinces, categories."""
    labels: Counter[str] = Counter()
    splits: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    scripts: Counter[str] = Counter()
    for split, doc in documents:
        splits[split] += 1
        scripts[doc.meta.get("script", "simplified")] += 1
        for province in re.split(r"[,，、\s]+", doc.meta.get("province", "")):
            if province:
                provinces[province] += 1
        for entity in doc.entities:
            labels[entity["label"]] += 1
            if entity["label"] == "FRAUD_TYPE":
                categories[entity["norm"]] += 1
    lines = [
        f"documents: {sum(splits.values())} ({', '.join(f'{k} {v}' for k, v in splits.items())})",
        f"spans: {sum(labels.values())} ({', '.join(f'{k} {labels[k]}' for k in LABELS)})",
        f"scripts: {dict(scripts)}",
        f"provinces ({len(provinces)}): {', '.join(sorted(provinces))}",
        f"fraud categories ({len(categories)}/{len(FRAUD_CATEGORIES)}): "
        + ", ".join(f"{c} {categories[c]}" for c in FRAUD_CATEGORIES),
    ]
    return "\n".join(lines)


def check(root: Path | str) -> tuple[list[tuple[str, ParsedDocument]], list[str]]:
    """Parse every document under ``root/train`` and ``root/dev``, collecting problems.

    Returns ``(documents, errors)``: the parsed ``(split, document)`` pairs and one
    ``file:line: message`` per file that could not be parsed (all files are tried).
    """
    root = Path(root)
    documents: list[tuple[str, ParsedDocument]] = []
    errors: list[str] = []
    for split in SPLITS:
        for path in sorted((root / split).glob("*.txt")):
            try:
                documents.append((split, parse_document(path.read_text(encoding="utf-8"), path)))
            except CorpusError as exc:
                errors.append(str(exc))
            except UnicodeDecodeError as exc:
                errors.append(f"{path}: not UTF-8 (byte {exc.start})")
    return documents, errors


def build(documents: list[tuple[str, ParsedDocument]], out_dir: Path | str) -> dict[str, int]:
    """Write ``train.jsonl`` and ``dev.jsonl`` under ``out_dir`` from parsed documents.

    Takes the ``(split, document)`` pairs of :func:`check`; returns the number of
    records written per split. Files are written atomically.
    """
    from .io import atomic_write_lines

    out_dir = Path(out_dir)
    by_split: dict[str, list[str]] = {split: [] for split in SPLITS}
    for split, doc in documents:
        by_split[split].append(json.dumps(doc.record(), ensure_ascii=False))
    for split, lines in by_split.items():
        atomic_write_lines(out_dir / f"{split}.jsonl", lines)
    return {split: len(lines) for split, lines in by_split.items()}


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.corpus check|build [DIR] [OUT_DIR]`` (also ``fraudtag corpus``).

    Prints the coverage summary and every error; ``build`` writes only when no file
    has an error. Returns the exit code: 0 fine, 1 errors found, 2 usage.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("check", "build"):
        print("usage: python -m pipeline.corpus check [DIR] | build [DIR] [OUT_DIR]", file=sys.stderr)
        return 2
    root = Path(argv[1] if len(argv) > 1 else "corpus/annotated")
    documents, errors = check(root)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(summarize(documents))
    if errors:
        print(f"{len(errors)} file(s) with errors", file=sys.stderr)
        return 1
    if argv[0] == "build":
        out_dir = Path(argv[2] if len(argv) > 2 else root.parent)
        print(f"wrote {build(documents, out_dir)} to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
