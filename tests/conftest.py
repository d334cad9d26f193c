"""Shared fixtures: the built pipeline (once per session) and the optional shared gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_GOLD = SHARED / "gold" / "seed.jsonl"
SEED_MD = SHARED / "seed.md"


@pytest.fixture(scope="session")
def nlp():
    """The full rule pipeline built from the package data (not the saved model)."""
    from pipeline.model import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def seed_gold():
    """The shared seed gold record, or skip when ../shared is not beside the checkout."""
    if not SEED_GOLD.exists():
        pytest.skip("../shared/gold/seed.jsonl not present")
    return json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])


def spans(entities, label=None):
    """(text, label) pairs of entity dicts, optionally of one label."""
    return [(e["text"], e["label"]) for e in entities if label is None or e["label"] == label]
