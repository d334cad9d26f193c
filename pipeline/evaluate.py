"""Scoring the tagger against gold JSONL: per-label P/R/F1, norm accuracy, errors.

Gold records look like the tagger's output (``{"id", "text", "entities"}``; entity
``norm`` optional). The tagger runs on each gold ``text`` and is scored:

* **strict** — same start, end and label;
* **overlap** — same label and overlapping offsets (each gold span matched once);
* **norm accuracy** — over strict matches whose gold span has a ``norm``; MONEY
  value accuracy is reported on its own (the value alone, any approx/currency).

``core`` is the micro average over LOC, POLICE_UNIT, FRAUD_TYPE, DEVICE and MONEY.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from spacy.language import Language

from .spans import LABELS
from .tagger import doc_entities

CORE_LABELS = ("LOC", "POLICE_UNIT", "FRAUD_TYPE", "DEVICE", "MONEY")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self


@dataclass
class Report:
    """Evaluation results; ``errors`` lists every miss, spurious span and wrong norm."""

    strict: dict[str, Counts] = field(default_factory=lambda: {label: Counts() for label in LABELS})
    overlap: dict[str, Counts] = field(default_factory=lambda: {label: Counts() for label in LABELS})
    norm_checked: dict[str, int] = field(default_factory=lambda: {label: 0 for label in LABELS})
    norm_right: dict[str, int] = field(default_factory=lambda: {label: 0 for label in LABELS})
    money_checked: int = 0
    money_right: int = 0
    documents: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def micro(self, labels: Iterable[str] = CORE_LABELS, mode: str = "strict") -> Counts:
        table = self.strict if mode == "strict" else self.overlap
        total = Counts()
        for label in labels:
            total += table[label]
        return total

    def norm_accuracy(self, label: str | None = None) -> float:
        labels = [label] if label else list(LABELS)
        checked = sum(self.norm_checked[l] for l in labels)
        return sum(self.norm_right[l] for l in labels) / checked if checked else 0.0

    @property
    def money_value_accuracy(self) -> float:
        return self.money_right / self.money_checked if self.money_checked else 0.0

    def as_dict(self) -> dict[str, Any]:
        def row(c: Counts) -> dict[str, Any]:
            return {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": c.precision, "recall": c.recall, "f1": c.f1}

        return {
            "documents": self.documents,
            "strict": {label: row(self.strict[label]) for label in LABELS},
            "overlap": {label: row(self.overlap[label]) for label in LABELS},
            "core_strict": row(self.micro()),
            "core_overlap": row(self.micro(mode="overlap")),
            "all_strict": row(self.micro(LABELS)),
            "norm_accuracy": {label: self.norm_accuracy(label) for label in LABELS if self.norm_checked[label]},
            "money_value_accuracy": self.money_value_accuracy,
            "errors": self.errors,
        }

    def format(self, max_errors: int = 200) -> str:
        """The printed report: a per-label table, core micro scores, then the errors."""
        lines = [f"documents: {self.documents}", "",
                 f"{'label':<12} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}   {'ovl-F1':>6} {'norm':>6}"]
        for label in LABELS:
            s, o = self.strict[label], self.overlap[label]
            norm = f"{self.norm_accuracy(label):6.3f}" if self.norm_checked[label] else "     -"
            lines.append(
                f"{label:<12} {s.tp + s.fn:>5} {s.tp + s.fp:>5} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}   {o.f1:6.3f} {norm}"
            )
        core, core_o, every = self.micro(), self.micro(mode="overlap"), self.micro(LABELS)
        lines += [
            "",
            f"core micro (LOC POLICE_UNIT FRAUD_TYPE DEVICE MONEY): P {core.precision:.3f} R {core.recall:.3f} "
            f"F1 {core.f1:.3f} (overlap F1 {core_o.f1:.3f})",
            f"all labels micro: F1 {every.f1:.3f}",
            f"norm accuracy: {self.norm_accuracy():.3f}; MONEY value accuracy: {self.money_value_accuracy:.3f} "
            f"({self.money_right}/{self.money_checked})",
        ]
        if self.errors:
            lines += ["", f"errors ({len(self.errors)}{', first ' + str(max_errors) if len(self.errors) > max_errors else ''}):"]
            for error in self.errors[:max_errors]:
                detail = f" gold norm {error['gold_norm']!r} ≠ {error['pred_norm']!r}" if error["kind"] == "norm" else ""
                lines.append(
                    f"  {error['kind']:<7} {error['label']:<12} {error['text']!r} @{error['id']}:{error['start']}"
                    f"  …{error['context']}…{detail}"
                )
        return "\n".join(lines)


def _norms_equal(label: str, gold: Any, pred: Any) -> bool:
    if isinstance(gold, dict) and isinstance(pred, dict):
        return all(pred.get(key) == value for key, value in gold.items())
    return gold == pred


def score_document(gold: Mapping[str, Any], predicted: list[dict[str, Any]], report: Report) -> None:
    """Add one document's comparison to ``report``."""
    text = gold["text"]
    doc_id = str(gold.get("id", report.documents))
    report.documents += 1
    gold_spans = [e for e in gold.get("entities", []) if e.get("label") in LABELS]
    gold_index = {(e["start"], e["end"], e["label"]): e for e in gold_spans}
    pred_index = {(e["start"], e["end"], e["label"]): e for e in predicted}

    def context(start: int, end: int) -> str:
        return text[max(0, start - 8):end + 8].replace("\n", "⏎")

    def error(kind: str, entity: Mapping[str, Any], **more: Any) -> dict[str, Any]:
        return {"kind": kind, "id": doc_id, "label": entity["label"], "start": entity["start"], "end": entity["end"],
                "text": text[entity["start"]:entity["end"]], "context": context(entity["start"], entity["end"]), **more}

    for key, entity in gold_index.items():
        label = key[2]
        if key in pred_index:
            report.strict[label].tp += 1
            predicted_norm = pred_index[key].get("norm")
            if "norm" in entity and entity["norm"] is not None:
                report.norm_checked[label] += 1
                if _norms_equal(label, entity["norm"], predicted_norm):
                    report.norm_right[label] += 1
                else:
                    report.errors.append(error("norm", entity, gold_norm=entity["norm"], pred_norm=predicted_norm))
            if label == "MONEY" and isinstance(entity.get("norm"), dict):
                report.money_checked += 1
                if isinstance(predicted_norm, dict) and predicted_norm.get("value") == entity["norm"].get("value"):
                    report.money_right += 1
        else:
            report.strict[label].fn += 1
            report.errors.append(error("missed", entity))
    for key, entity in pred_index.items():
        if key not in gold_index:
            report.strict[key[2]].fp += 1
            report.errors.append(error("spurious", entity))
    # overlap: greedy one-to-one pairing of same-label overlapping spans
    used: set[tuple[int, int, str]] = set()
    for g in sorted(gold_index):
        match = next(
            (p for p in sorted(pred_index) if p[2] == g[2] and p not in used and p[0] < g[1] and g[0] < p[1]),
            None,
        )
        if match is None:
            report.overlap[g[2]].fn += 1
        else:
            used.add(match)
            report.overlap[g[2]].tp += 1
    for p in pred_index:
        if p not in used:
            report.overlap[p[2]].fp += 1


def read_gold(path: Path | str) -> list[dict[str, Any]]:
    """Read a gold JSONL file; raises ``ValueError`` naming ``file:line`` on a bad record."""
    path = Path(path)
    records = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{line_no}: invalid JSON ({exc.msg})") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError(f"{path}:{line_no}: a gold record needs a string 'text'")
            for entity in record.get("entities", []):
                try:
                    start, end = int(entity["start"]), int(entity["end"])
                except (KeyError, TypeError, ValueError):
                    raise ValueError(f"{path}:{line_no}: entity without integer start/end: {entity!r}") from None
                if "text" in entity and record["text"][start:end] != entity["text"]:
                    raise ValueError(f"{path}:{line_no}: entity text {entity['text']!r} ≠ text[{start}:{end}]")
            records.append(record)
    return records


def evaluate(gold: Iterable[Mapping[str, Any]] | Path | str, nlp: Language | None = None) -> Report:
    """Tag every gold text with ``nlp`` (default model) and score it; returns a :class:`Report`."""
    from .model import cached_model

    nlp = nlp or cached_model()
    records = read_gold(gold) if isinstance(gold, (str, Path)) else list(gold)
    report = Report()
    for record in records:
        score_document(record, doc_entities(nlp(record["text"])), report)
    return report
