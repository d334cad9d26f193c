from pipeline.resolver import resolve
from pipeline.spans import Candidate


def C(start, end, label="LOC", priority=0, source="t"):
    return Candidate(start, end, label, source, priority)


def test_longest_wins_and_result_is_flat():
    kept = resolve([C(0, 3), C(0, 6, "POLICE_UNIT", 60), C(4, 8, "ORG", 99)])
    assert [(c.start, c.end, c.label) for c in kept] == [(0, 6, "POLICE_UNIT")]


def test_priority_breaks_ties_of_equal_length():
    kept = resolve([C(2, 5, "QUANTITY", 40), C(2, 5, "MONEY", 50)])
    assert [c.label for c in kept] == ["MONEY"]


def test_non_overlapping_spans_are_all_kept_in_text_order():
    kept = resolve([C(10, 12), C(0, 2), C(2, 4, "DEVICE")])
    assert [(c.start, c.end) for c in kept] == [(0, 2), (2, 4), (10, 12)]


def test_order_of_finders_does_not_matter():
    candidates = [C(0, 4, "LOC", 30), C(2, 6, "ORG", 55), C(5, 9, "MONEY", 50)]
    assert resolve(candidates) == resolve(list(reversed(candidates)))


def test_empty():
    assert resolve([]) == []
