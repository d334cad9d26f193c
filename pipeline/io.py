"""Reading documents in and writing annotated records out.

Inputs (see :func:`iter_inputs`): ``.txt`` and ``.md`` files (one document each;
Markdown YAML front matter is kept under ``meta``), ``.jsonl`` files (one record
``{"id", "text", ...}`` per line; other fields go to ``meta``), directories
(recursively, in sorted order) and ``-`` for standard input. Files are decoded as
UTF-8 (with or without BOM) or, failing that, GB18030.

Nothing is dropped: a line or file that cannot be read becomes an
:class:`InputRecord` with ``error`` set, so the output has one record per input
record and the error names the file and line.
"""
from __future__ import annotations

import io
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | JSONL_SUFFIXES


@dataclass
class InputRecord:
    """One document to tag, or the error that stands in for it.

    ``id`` is the JSONL record's id or the file's path relative to the input
    argument; ``where`` is ``file`` or ``file:line`` for messages; ``error`` is set
    (and ``text`` may be ``None``) when the record could not be read.
    """

    id: str
    text: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    where: str = ""
    error: str | None = None


class InputError(ValueError):
    """An input argument that cannot be used at all (missing path, unknown type)."""


def decode_bytes(data: bytes, where: str) -> str:
    """Decode file content as UTF-8 (BOM allowed) or GB18030; raise ``InputError`` naming ``where``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: neither UTF-8 nor GB18030 (byte {exc.start})") from None


def split_front_matter(source: str) -> tuple[dict[str, Any], str, str | None]:
    """Split YAML front matter from a Markdown document.

    Returns ``(meta, body, error)``: the parsed front matter (empty when there is
    none), the body — everything after the closing ``---`` line — and an error message when the front matter is not valid YAML (the
    body is still returned, so the document is tagged anyway).
    """
    if not source.startswith("---"):
        return {}, source, None
    first_break = source.find("\n")
    if first_break < 0 or source[:first_break].strip() != "---":
        return {}, source, None
    position = first_break + 1
    while True:
        line_end = source.find("\n", position)
        line = source[position:] if line_end < 0 else source[position:line_end]
        if line.rstrip() in ("---", "..."):
            header = source[first_break + 1:position]
            body = "" if line_end < 0 else source[line_end + 1:]
            break
        if line_end < 0:
            return {}, source, None  # no closing delimiter: not front matter
        position = line_end + 1
    import yaml

    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        return {}, body, f"front matter is not valid YAML: {exc}".replace("\n", " ")
    if not isinstance(meta, dict):
        return {"front_matter": meta}, body, None
    return {str(k): _jsonable(v) for k, v in meta.items()}, body, None


def _jsonable(value: Any) -> Any:
    """YAML values (dates, sets) made JSON-serializable."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


_SURROGATE = re.compile("[\ud800-\udfff]")


def record_from_value(value: Any, location: str, default_id: str) -> InputRecord:
    """The :class:`InputRecord` for one parsed JSON value (a JSONL line or an API record).

    ``id`` is the record's own id, else ``default_id``; ``meta`` is the record's
    ``meta`` object (when it is one) updated with every other field except ``id``,
    ``text`` and ``entities``. A value that is not an object, has no string ``text``,
    or whose text is not valid Unicode (a lone surrogate such as ``"\\ud800"``)
    becomes an error record naming ``location``.
    """
    if not isinstance(value, Mapping):
        return InputRecord(default_id, None, {}, location, f"{location}: expected a JSON object")
    record_id = value.get("id")
    record_id = default_id if record_id is None else str(record_id)
    meta: dict[str, Any] = {}
    if isinstance(value.get("meta"), Mapping):
        meta.update(value["meta"])
    elif "meta" in value:
        meta["meta"] = value["meta"]
    meta.update({k: v for k, v in value.items() if k not in ("id", "text", "entities", "meta")})
    text = value.get("text")
    if not isinstance(text, str):
        return InputRecord(record_id, None, meta, location, f"{location}: record has no string field 'text'")
    bad = _SURROGATE.search(text)
    if bad:
        return InputRecord(
            record_id, None, meta, location,
            f"{location}: text has an unpaired surrogate U+{ord(bad.group()):04X} at offset {bad.start()} (not valid Unicode)",
        )
    return InputRecord(record_id, text, meta, location)


def records_from_jsonl_lines(
    lines: Iterable[str | None], where: str, id_prefix: str | None = None
) -> Iterator[InputRecord]:
    """Records from JSONL lines; a bad line yields an error record naming ``where:line``.

    A record without an ``id`` (and an unreadable line) is identified as
    ``id_prefix:line`` (``id_prefix`` defaults to ``where``). A line given as
    ``None`` could not be decoded (neither UTF-8 nor GB18030).
    """
    id_prefix = where if id_prefix is None else id_prefix
    for line_no, line in enumerate(lines, start=1):
        location = f"{where}:{line_no}"
        if line is None:
            yield InputRecord(f"{id_prefix}:{line_no}", None, {}, location, f"{location}: neither UTF-8 nor GB18030")
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputRecord(f"{id_prefix}:{line_no}", None, {}, location, f"{location}: invalid JSON ({exc.msg})")
            continue
        yield record_from_value(value, location, f"{id_prefix}:{line_no}")


def _decoded_lines(binary: Iterable[bytes]) -> Iterator[str | None]:
    """Lines of a binary stream split on ``\n`` only, each decoded as UTF-8 or GB18030.

    A line that decodes as neither is yielded as ``None``, which the JSONL reader
    turns into an error record for that line.
    """
    for index, raw in enumerate(binary):
        if index == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        raw = raw.rstrip(b"\r\n")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                yield raw.decode("gb18030")
            except UnicodeDecodeError:
                yield None


def records_from_file(path: Path, record_id: str) -> Iterator[InputRecord]:
    """The records of one input file, by its suffix (``.jsonl``, ``.md``, else plain text).

    JSONL is streamed line by line, so a file of millions of records is never
    held in memory.
    """
    where = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as binary:
                yield from records_from_jsonl_lines(_decoded_lines(binary), where, record_id)
            return
        source = decode_bytes(path.read_bytes(), where)
    except (OSError, InputError) as exc:
        message = str(exc) if isinstance(exc, InputError) else f"{where}: {exc.strerror or exc}"
        yield InputRecord(record_id, None, {}, where, message)
        return
    if suffix in MARKDOWN_SUFFIXES:
        meta, body, error = split_front_matter(source)
        yield InputRecord(record_id, body, meta, where, f"{where}:1: {error}" if error else None)
    else:
        yield InputRecord(record_id, source, {}, where)


def iter_inputs(arguments: Iterable[str | Path], stdin: IO[str] | None = None) -> Iterator[InputRecord]:
    """Every input record of the command-line arguments, in order.

    A directory contributes its files with known suffixes (``.txt .md .jsonl`` …),
    recursively in sorted order, each identified by its path relative to the
    directory; a file is identified by its name; ``-`` reads standard input
    (JSONL when its first non-blank character is ``{``, else one text document).
    Raises :class:`InputError` for a path that does not exist.
    """
    for argument in arguments:
        if str(argument) == "-":
            yield from _stdin_records(stdin)
            continue
        path = Path(argument)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KNOWN_SUFFIXES
            )
            for file in files:
                yield from records_from_file(file, file.relative_to(path).as_posix())
        elif path.is_file():
            yield from records_from_file(path, path.name)
        else:
            raise InputError(f"{argument}: no such file or directory")


def _stdin_records(stdin: IO[str] | IO[bytes] | None) -> Iterator[InputRecord]:
    """Records from standard input, decoded like files (UTF-8 or GB18030): JSONL when its
    first non-blank character is ``{`` (streamed line by line), else one text document."""
    if stdin is None:
        binary: IO[bytes] = sys.stdin.buffer
    elif isinstance(stdin.read(0), str):  # a text stream handed in by a caller
        binary = io.BytesIO(stdin.read().encode("utf-8", "surrogatepass"))  # type: ignore[arg-type]
    else:
        binary = stdin  # type: ignore[assignment]
    head: list[bytes] = []
    for raw in binary:
        head.append(raw)
        if raw.strip():
            break
    first = b"".join(head).lstrip().removeprefix(b"\xef\xbb\xbf")
    if first.startswith(b"{"):
        yield from records_from_jsonl_lines(_decoded_lines(_chain(head, binary)), "<stdin>")
        return
    try:
        text = decode_bytes(b"".join(head) + binary.read(), "<stdin>")
    except InputError as exc:
        yield InputRecord("<stdin>", None, {}, "<stdin>", str(exc))
        return
    yield InputRecord("<stdin>", text, {}, "<stdin>")


def _chain(*iterables: Iterable[Any]) -> Iterator[Any]:
    for iterable in iterables:
        yield from iterable


def atomic_write_lines(path: Path | str, lines: Iterable[str]) -> int:
    """Write ``lines`` (each without its newline) to ``path`` atomically.

    The lines go to a temporary file in the same directory, which replaces
    ``path`` only once everything is written and flushed; an exception leaves the
    old file (if any) untouched. Returns the number of lines written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    count = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            for line in lines:
                out.write(line)
                out.write("\n")
                count += 1
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)  # mkstemp's 0600 is not what a user expects of an output
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    return count
