"""A spaCy tokenizer backed by a private ``jieba.Tokenizer`` that carries the domain lexicon.

The tokenizer segments the *folded* text (simplified, half-width; see
:mod:`pipeline.textview`) so that traditional and full-width input segments like
its plain form, but every token's text is the original slice, so ``doc.text`` is
always the input unchanged. The jieba instance is private: the process-wide
``jieba`` default tokenizer is never touched.

Serialization: ``to_disk`` writes ``userdict.txt`` (one ``word freq tag`` line per
user word, sorted) and ``settings.json``; ``from_disk`` reads them back, so a
saved model re-creates the same segmenter byte for byte.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Iterable

from spacy.tokens import Doc
from spacy.util import ensure_path
from spacy.vocab import Vocab

from .textview import TextView

USER_WORD_FREQ = 200000


class JiebaTokenizer:
    """Callable ``str -> Doc`` with a private jieba segmenter and user words."""

    def __init__(self, vocab: Vocab, user_words: Iterable[tuple[str, str]] = (), hmm: bool = False) -> None:
        self.vocab = vocab
        self.hmm = hmm
        self.user_words: dict[str, str] = {}
        self._jieba: Any = None  # a private jieba.Tokenizer, made on first use
        self.add_words(user_words)

    def add_words(self, words: Iterable[tuple[str, str]]) -> None:
        """Add ``(word, tag)`` pairs as user words (matched on folded text)."""
        for word, tag in words:
            word = word.strip()
            if word and " " not in word:
                self.user_words[word] = tag
        self._jieba = None  # rebuilt lazily with the new words

    @property
    def segmenter(self) -> Any:
        """The private ``jieba.Tokenizer``, made and initialized on first use.

        jieba is imported here, not at module import: importing it attaches a handler to
        its logger, which only users who tokenize should pay for.
        """
        if self._jieba is None:
            import jieba

            segmenter = jieba.Tokenizer()
            # jieba logs "Building prefix dict..." at DEBUG on its own logger; keep it quiet
            # for this call only, without changing the logger for anyone else afterwards.
            logger = logging.getLogger("jieba")
            previous = logger.level
            logger.setLevel(logging.WARNING)
            try:
                segmenter.initialize()
            finally:
                logger.setLevel(previous)
            for word, tag in self.user_words.items():
                segmenter.add_word(word, USER_WORD_FREQ, tag or None)
            self._jieba = segmenter
        return self._jieba

    def __call__(self, text: str) -> Doc:
        view = TextView.of(text)
        words: list[str] = []
        position = 0
        for piece in self.segmenter.cut(view.folded, HMM=self.hmm):
            words.append(text[position:position + len(piece)])
            position += len(piece)
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc._.fraudtag_view = view
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    # -- serialization -------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        lines = [f"{word} {USER_WORD_FREQ} {tag}".rstrip() for word, tag in sorted(self.user_words.items())]
        (path / "userdict.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (path / "settings.json").write_text(json.dumps({"hmm": self.hmm}, sort_keys=True) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "JiebaTokenizer":
        path = ensure_path(path)
        settings = json.loads((path / "settings.json").read_text(encoding="utf-8"))
        self.hmm = bool(settings.get("hmm", False))
        self.user_words = {}
        words = []
        for line_no, line in enumerate((path / "userdict.txt").read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split(" ")
            if len(parts) < 2:
                raise ValueError(f"{path / 'userdict.txt'}:{line_no}: expected 'word freq [tag]'")
            words.append((parts[0], parts[2] if len(parts) > 2 else ""))
        self.add_words(words)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"hmm": self.hmm, "user_words": sorted(self.user_words.items())}, ensure_ascii=False).encode()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "JiebaTokenizer":
        payload = json.loads(data)
        self.hmm = payload["hmm"]
        self.user_words = {}
        self.add_words(tuple(pair) for pair in payload["user_words"])
        return self
