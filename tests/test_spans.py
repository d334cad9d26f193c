import pytest

from pipeline.spans import FRAUD_CATEGORIES, LABELS, Candidate


def test_candidate_validates_label_and_offsets():
    assert Candidate(0, 2, "LOC", "t").length == 2
    with pytest.raises(ValueError, match="unknown label"):
        Candidate(0, 2, "PLACE", "t")
    with pytest.raises(ValueError, match="bad span offsets"):
        Candidate(3, 3, "LOC", "t")


def test_standard_lists():
    assert len(LABELS) == 7 and len(FRAUD_CATEGORIES) == 15 and FRAUD_CATEGORIES[-1] == "其他"
