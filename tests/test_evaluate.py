import json

import pytest

from pipeline.evaluate import CORE_LABELS, Report, evaluate, read_gold, score_document

GOLD = {
    "id": "g",
    "text": "武汉警方查获GOIP设备，涉案200余万元",
    "entities": [
        {"start": 0, "end": 4, "label": "POLICE_UNIT", "text": "武汉警方"},
        {"start": 6, "end": 10, "label": "DEVICE", "text": "GOIP", "norm": "GOIP"},
        {"start": 15, "end": 21, "label": "MONEY", "text": "200余万元",
         "norm": {"value": 2000000, "currency": "CNY", "approx": "more_than"}},
    ],
}


def test_strict_overlap_and_norms():
    predicted = [
        {"start": 0, "end": 2, "label": "POLICE_UNIT"},  # overlaps, not strict
        {"start": 6, "end": 10, "label": "DEVICE", "norm": "GOIP"},
        {"start": 15, "end": 21, "label": "MONEY", "norm": {"value": 2000000, "currency": "CNY", "approx": "exact"}},
        {"start": 2, "end": 4, "label": "LOC"},  # spurious
    ]
    report = Report()
    score_document(GOLD, predicted, report)
    assert (report.strict["POLICE_UNIT"].tp, report.strict["POLICE_UNIT"].fn, report.strict["POLICE_UNIT"].fp) == (0, 1, 1)
    assert report.overlap["POLICE_UNIT"].tp == 1
    assert report.strict["DEVICE"].f1 == 1.0
    assert report.norm_accuracy("DEVICE") == 1.0
    assert report.norm_accuracy("MONEY") == 0.0  # approx differs
    assert report.money_value_accuracy == 1.0  # but the value is right
    assert report.strict["LOC"].fp == 1
    assert sorted(e["kind"] for e in report.errors) == ["missed", "norm", "spurious", "spurious"]
    assert "core micro" in report.format()
    assert report.micro(CORE_LABELS).tp == 2


def test_read_gold_checks_offsets(tmp_path):
    bad = dict(GOLD, entities=[{"start": 0, "end": 3, "label": "LOC", "text": "武汉警方"}])
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n" + json.dumps(bad, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="g.jsonl:2"):
        read_gold(path)


def test_seed_gold_meets_the_acceptance_floor(nlp, seed_gold):
    report = evaluate([seed_gold], nlp)
    assert report.micro().f1 >= 0.95, report.format()
