import io
import json

import pytest

from pipeline.io import InputError, atomic_write_lines, iter_inputs, split_front_matter


def test_text_markdown_and_jsonl_from_a_directory(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("武汉警方通报", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("---\ntitle: 标题\ndate: 2020-11-06\n---\n正文GOIP", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "x1", "text": "一", "source": "web"}, ensure_ascii=False) + "\n\n"
        + "not json\n" + json.dumps({"id": 7, "body": "no text"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    records = list(iter_inputs([tmp_path]))
    assert [r.id for r in records] == [
        "a.txt", "x1", "c.jsonl:3", "7", "sub/b.md"
    ]
    by_id = {r.id: r for r in records}
    assert by_id["a.txt"].text == "武汉警方通报"
    assert by_id["x1"].meta == {"source": "web"} and by_id["x1"].text == "一"
    assert by_id["sub/b.md"].meta == {"title": "标题", "date": "2020-11-06"}
    assert by_id["sub/b.md"].text == "正文GOIP"
    bad = [r for r in records if r.error]
    assert len(bad) == 2
    assert any("c.jsonl:3: invalid JSON" in r.error for r in bad)
    assert any("c.jsonl:4: record has no string field 'text'" in r.error for r in bad)


def test_directory_order_is_sorted_and_one_record_per_line(tmp_path):
    for name in ("b.txt", "a.txt", "c.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    assert [r.id for r in iter_inputs([tmp_path])] == ["a.txt", "b.txt", "c.txt"]


def test_gb18030_and_utf8_bom(tmp_path):
    (tmp_path / "g.txt").write_bytes("詐騙２００餘萬元".encode("gb18030"))
    (tmp_path / "u.txt").write_bytes("\ufeff武汉".encode("utf-8"))
    texts = {r.id: r.text for r in iter_inputs([tmp_path])}
    assert texts == {"g.txt": "詐騙２００餘萬元", "u.txt": "武汉"}


def test_stdin_text_and_jsonl():
    (record,) = iter_inputs(["-"], stdin=io.StringIO("一段文字"))
    assert record.id == "<stdin>" and record.text == "一段文字"
    records = list(iter_inputs(["-"], stdin=io.StringIO('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n')))
    assert [r.id for r in records] == ["a", "b"]


def test_missing_path_is_an_input_error():
    with pytest.raises(InputError, match="nope.txt"):
        list(iter_inputs(["nope.txt"]))


def test_front_matter():
    meta, body, error = split_front_matter("---\na: 1\n---\n\n正文")
    assert meta == {"a": 1} and body == "\n正文" and error is None
    meta, body, error = split_front_matter("---\na: [1\n---\nx")
    assert meta == {} and body == "x" and "YAML" in error
    assert split_front_matter("正文---") == ({}, "正文---", None)


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"
    atomic_write_lines(target, ["old"])

    def broken():
        yield "new"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic_write_lines(target, broken())
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_stdin_keeps_leading_blank_lines_and_jsonl_line_numbers():
    (record,) = iter_inputs(["-"], stdin=io.StringIO("\n\n正文"))
    assert record.text == "\n\n正文"
    records = list(iter_inputs(["-"], stdin=io.StringIO('\n{"id": "a", "text": "x"}\n{bad\n')))
    assert records[1].error.startswith("<stdin>:3: invalid JSON")


def test_jsonl_line_separator_inside_text_is_not_a_line_break(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "一\u2028二"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (record,) = iter_inputs([path])
    assert record.text == "一\u2028二"
