import json

import pytest

from pipeline.io import InputRecord
from pipeline.tagger import tag_records, tag_text

TEXTS = [
    "湖南邵阳一位彭姓女士遭遇冒充“公检法”的骗局，先后两次给骗子转款8万元。",
    "現場扣押作案手機２２０部、ＧＯＩＰ５台，涉案資金200餘萬元。",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_offsets_agree_with_the_text(nlp, text):
    for entity in tag_text(text, nlp):
        assert text[entity["start"]:entity["end"]] == entity["text"]
        assert entity["source"]
        assert set(entity) >= {"start", "end", "label", "text", "norm", "source"}


def test_traditional_and_full_width_are_tagged_like_plain_text(nlp):
    plain = [(e["label"], e["norm"]) for e in tag_text("现场扣押作案手机220部、GOIP5台，涉案资金200余万元。", nlp)]
    mixed = [(e["label"], e["norm"]) for e in tag_text(TEXTS[1], nlp)]
    assert plain == mixed
    assert ("MONEY", {"value": 2000000, "currency": "CNY", "approx": "more_than"}) in mixed


def test_records_keep_order_ids_and_meta_and_errors_are_records(nlp):
    records = [
        {"id": "a", "text": TEXTS[0], "source": "web"},
        InputRecord("b", None, {}, "f.jsonl:2", "f.jsonl:2: invalid JSON"),
        {"id": "c"},
        {"id": "d", "text": TEXTS[1]},
    ]
    out = list(tag_records(records, nlp))
    assert [r["id"] for r in out] == ["a", "b", "c", "d"]
    assert out[0]["meta"] == {"source": "web"} and out[0]["entities"]
    assert out[1]["error"] == "f.jsonl:2: invalid JSON" and out[1]["entities"] == []
    assert "text" in out[2]["error"]
    for record in out:
        json.dumps(record, ensure_ascii=False)


@pytest.mark.slow
def test_workers_give_the_same_output_in_the_same_order():
    records = [{"id": str(i), "text": TEXTS[i % 3] * (i % 4 + 1)} for i in range(24)]
    single = list(tag_records(records, workers=1))
    parallel = list(tag_records(records, workers=2, chunk_size=3))
    assert parallel == single


@pytest.mark.parametrize(
    "text",
    ["一" * 20000, "1" * 20000, "😀诈骗" * 500, "武汉警方\r\n查获GOIP\r\n" * 50, "a\x00b", " \n\t "],
)
def test_pathological_text_is_tagged_without_error(nlp, text):
    (record,) = tag_records([{"id": "x", "text": text}], nlp)
    assert "error" not in record
    for entity in record["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]


def test_an_account_name_suppresses_the_place_inside_it(nlp):
    assert [e["text"] for e in tag_text("请关注武汉公安微博，下载国家反诈中心APP", nlp)] == []


def test_workers_need_a_model_path_not_a_language(nlp):
    with pytest.raises(ValueError, match="model_path"):
        list(tag_records([{"id": "a", "text": "x"}], nlp, workers=2))


@pytest.mark.slow
def test_a_dead_worker_fails_the_run_instead_of_hanging():
    import os
    import signal
    import threading
    import time
    from concurrent.futures.process import BrokenProcessPool

    records = [{"id": str(i), "text": TEXTS[0] * 40} for i in range(4000)]
    parent = os.getpid()

    def kill_a_worker():
        time.sleep(2)
        children = []
        for entry in os.listdir("/proc"):
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == parent:  # the parent pid is the field after the state
                children.append(int(entry))
        if children:
            os.kill(children[0], signal.SIGKILL)

    threading.Thread(target=kill_a_worker, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(BrokenProcessPool):
        for _ in tag_records(records, workers=2):
            pass
    assert time.monotonic() - started < 120
