"""fraudtag: tag Chinese fraud news and police bulletins with entity spans and norms.

Public API::

    from pipeline import tag_text, tag_records, load, build_pipeline
    from pipeline.evaluate import evaluate

See README.md for the labels and the output format.
"""
from __future__ import annotations

from typing import Any

__all__ = ["tag_text", "tag_records", "load", "build_pipeline", "save_model", "iter_inputs"]


def __getattr__(name: str) -> Any:
    # Lazy: ``import pipeline`` stays cheap (no spaCy import) until a function is used.
    if name in ("tag_text", "tag_records"):
        from . import tagger

        return getattr(tagger, name)
    if name in ("load", "build_pipeline", "save_model"):
        from . import model

        return getattr(model, name)
    if name == "iter_inputs":
        from .io import iter_inputs

        return iter_inputs
    raise AttributeError(name)
