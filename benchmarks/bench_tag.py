"""Throughput of fraudtag tagging against plain ``jieba.lcut`` on the same texts, in one run.

Usage::

    .venv/bin/python benchmarks/bench_tag.py [--docs N] [--workers N] [--model DIR]

Texts are the project's own corpus (annotated and sample documents, markup stripped),
repeated to ``--docs`` documents. Prints characters per second for each and the ratio.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def corpus_texts() -> list[str]:
    from pipeline.corpus import iter_documents
    from pipeline.io import iter_inputs

    texts = [doc.text for _, doc in iter_documents(REPO / "corpus" / "annotated")]
    texts += [r.text for r in iter_inputs([REPO / "corpus" / "sample"]) if r.text]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    import jieba

    from pipeline.model import load
    from pipeline.tagger import tag_records

    base = corpus_texts()
    texts = [base[i % len(base)] for i in range(args.docs)]
    chars = sum(map(len, texts))

    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    segmenter.lcut(texts[0])
    started = time.perf_counter()
    for text in texts:
        segmenter.lcut(text)
    jieba_seconds = time.perf_counter() - started

    nlp = load(args.model)
    nlp(texts[0])  # warm up: lazy loads (gazetteer, automata)
    records = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    started = time.perf_counter()
    entities = sum(len(r["entities"]) for r in tag_records(records, nlp if args.workers == 1 else None,
                                                            model_path=args.model, workers=args.workers))
    tag_seconds = time.perf_counter() - started

    print(f"documents: {len(texts)}, characters: {chars}, entities: {entities}")
    print(f"jieba.lcut (baseline): {chars / jieba_seconds / 1000:8.1f} k chars/s  ({jieba_seconds:.2f} s)")
    print(f"fraudtag tag (workers={args.workers}): {chars / tag_seconds / 1000:8.1f} k chars/s  ({tag_seconds:.2f} s)")
    print(f"ratio fraudtag / jieba: {jieba_seconds / tag_seconds:.2f}")


if __name__ == "__main__":
    main()
