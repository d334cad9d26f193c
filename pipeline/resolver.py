"""Decide once: pick one flat set of spans from all finders' candidates.

Every finder proposes :class:`~pipeline.spans.Candidate` spans, overlapping
freely. :func:`resolve` keeps the longest candidate first, then the one with the
highest priority, then the leftmost, and drops every candidate that overlaps a
span already kept. The result is flat (no span inside or across another), as the
annotation standard requires ("when two readings compete, the longer span wins").
"""
from __future__ import annotations

from typing import Iterable

from .spans import Candidate


def resolve(candidates: Iterable[Candidate], text_length: int | None = None) -> list[Candidate]:
    """Return the flat, non-overlapping subset of ``candidates`` in text order.

    Takes candidates in any order and, optionally, the text length (to size the
    occupancy map). Ordering: longer first, then higher ``priority``, then earlier
    ``start``, then label order, so the outcome does not depend on finder order.
    """
    ordered = sorted(candidates, key=lambda c: (-c.length, -c.priority, c.start, c.label, c.source))
    if not ordered:
        return []
    size = text_length if text_length is not None else max(c.end for c in ordered)
    occupied = bytearray(size)
    kept: list[Candidate] = []
    for candidate in ordered:
        if occupied.find(1, candidate.start, candidate.end) != -1:
            continue
        occupied[candidate.start:candidate.end] = b"\x01" * candidate.length
        kept.append(candidate)
    kept.sort(key=lambda c: c.start)
    return kept
