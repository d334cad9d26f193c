"""Loading the package's rule data (TSV / JSONL) with errors that name file and line.

Rules are data: lexicons, patterns and stoplists live in ``pipeline/data``. Every
loader goes through :func:`read_tsv` or :func:`read_jsonl` so that a bad row is
reported as ``path:line: message`` instead of surfacing later as a wrong tag.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataFileError(ValueError):
    """A rule data file is malformed; the message starts with ``path:line:``."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class Row:
    """One data row: its fields by column name plus where it came from."""

    fields: dict[str, str]
    path: str
    line: int

    def __getitem__(self, key: str) -> str:
        return self.fields[key]

    def get(self, key: str, default: str = "") -> str:
        value = self.fields.get(key, default)
        return value if value != "" else default

    def error(self, message: str) -> DataFileError:
        """An error pointing at this row, for validation done by the caller."""
        return DataFileError(self.path, self.line, message)


def read_tsv(
    path: Path | str,
    columns: Sequence[str],
    required: int | None = None,
) -> Iterator[Row]:
    """Read a tab-separated rule file.

    Takes the file path, the column names in order, and how many leading columns
    must be non-empty (default: all). Blank lines and lines starting with ``#`` are
    skipped. Yields :class:`Row` objects; raises :class:`DataFileError` naming the
    file and line for a row with too many columns or a missing required field.
    """
    path = Path(path)
    required = len(columns) if required is None else required
    with path.open(encoding="utf-8") as handle:
        for line_no, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            values = line.split("\t")
            if len(values) > len(columns):
                raise DataFileError(
                    path, line_no, f"{len(values)} fields, expected at most {len(columns)} ({', '.join(columns)})"
                )
            values = [v.strip() for v in values] + [""] * (len(columns) - len(values))
            for index in range(required):
                if not values[index]:
                    raise DataFileError(path, line_no, f"missing value for column {columns[index]!r}")
            yield Row(dict(zip(columns, values)), str(path), line_no)


def literal_alternation(words: Iterable[str]) -> str:
    """A regex alternation of the literal ``words``, longest first (公安分局 before 分局).

    An empty word list gives a pattern that never matches (an empty alternation
    would match everywhere).
    """
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique) if unique else "(?!)"


def read_jsonl(path: Path | str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Read a JSON-lines rule file; yields ``(line_number, object)``.

    Blank lines are skipped; a line that is not a JSON object raises
    :class:`DataFileError` with the file and line.
    """
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise DataFileError(path, line_no, f"invalid JSON: {exc.msg}") from None
            if not isinstance(value, dict):
                raise DataFileError(path, line_no, "expected a JSON object")
            yield line_no, value
