from pathlib import Path

import pytest

from pipeline.corpus import CorpusError, boundary_problem, iter_documents, parse_document

REPO = Path(__file__).resolve().parent.parent


def test_markup_becomes_offsets_and_norms():
    doc = parse_document(
        "%% province: 湖南\n遭遇[[冒充“公检法”|FRAUD_TYPE|冒充公检法]]，被骗[[200余万元|MONEY|2000000 CNY more_than]]，"
        "[[邵阳|LOC|湖南省邵阳市]]、[[新城丽景小区|LOC]]、[[7名|QUANTITY|7 名 exact]]、[[3万至5万元|MONEY|30000-50000 CNY exact]]",
        "x/doc-1.txt",
    )
    assert doc.id == "doc-1" and doc.meta == {"province": "湖南"}
    for entity in doc.entities:
        assert doc.text[entity["start"]:entity["end"]] == entity["text"]
    norms = [e.get("norm") for e in doc.entities]
    assert norms == [
        "冒充公检法",
        {"value": 2000000, "currency": "CNY", "approx": "more_than"},
        "湖南省邵阳市",
        "新城丽景小区",
        {"value": 7, "unit": "名", "approx": "exact"},
        {"value": 30000, "currency": "CNY", "approx": "exact", "max": 50000},
    ]


@pytest.mark.parametrize(
    "source, message",
    [
        ("\n\n[[GOIP|DEVICES|GOIP]]", "x.txt:3: unknown label"),
        ("[[刷单|FRAUD_TYPE|刷单诈骗]]", "closed categories"),
        ("[[5万|MONEY|5万 CNY exact]]", "not a number"),
        ("[[5万|MONEY|50000 CNY roughly]]", "approx"),
        ("[[“公检法”|FRAUD_TYPE|冒充公检法]]", "wrapped in quotes"),
        ("[[GOIP|DEVICE]]", "needs a norm"),
        ("一[[GOIP|DEVICE|GOIP]", "unbalanced"),
    ],
)
def test_bad_markup_names_file_and_line(source, message):
    with pytest.raises(CorpusError, match=message):
        parse_document(source, "x.txt")


@pytest.mark.parametrize(
    "span, ok",
    [("冒充“公检法”", True), ("“1.18”专案组", True), ("武汉 ", False), ("“情感导师”", False), ("8万元，", False)],
)
def test_boundary_rules(span, ok):
    assert (boundary_problem(span) is None) == ok


def test_the_project_corpus_is_valid_and_large_enough():
    documents = list(iter_documents(REPO / "corpus" / "annotated"))
    assert len(documents) >= 80
    assert sum(len(doc.entities) for _, doc in documents) >= 2000
    assert {split for split, _ in documents} == {"train", "dev"}
    labels = {e["label"] for _, doc in documents for e in doc.entities}
    assert labels == {"LOC", "POLICE_UNIT", "ORG", "FRAUD_TYPE", "DEVICE", "MONEY", "QUANTITY"}
