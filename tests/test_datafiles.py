import pytest

from pipeline.datafiles import DataFileError, read_jsonl, read_tsv


def test_read_tsv_skips_comments_and_names_bad_rows(tmp_path):
    path = tmp_path / "rules.tsv"
    path.write_text("# comment\n\nGOIP\tDEVICE\n刷单\n", encoding="utf-8")
    rows = read_tsv(path, ("term", "label"))
    first = next(rows)
    assert (first["term"], first["label"], first.line) == ("GOIP", "DEVICE", 3)
    with pytest.raises(DataFileError, match=r"rules.tsv:4: missing value for column 'label'"):
        next(rows)


def test_read_tsv_too_many_columns_and_optional_columns(tmp_path):
    path = tmp_path / "r.tsv"
    path.write_text("a\tb\n", encoding="utf-8")
    assert [r.get("b", "-") for r in read_tsv(path, ("a", "b"), required=1)] == ["b"]
    path.write_text("a\n", encoding="utf-8")
    assert [r.get("b", "-") for r in read_tsv(path, ("a", "b"), required=1)] == ["-"]
    path.write_text("a\tb\tc\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="r.tsv:1: 3 fields"):
        list(read_tsv(path, ("a", "b")))


def test_row_error_points_at_its_line(tmp_path):
    path = tmp_path / "r.tsv"
    path.write_text("x\ty\n", encoding="utf-8")
    (row,) = read_tsv(path, ("a", "b"))
    assert str(row.error("bad label")) == f"{path}:1: bad label"


def test_read_jsonl(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"a": 1}\n\n[1]\n', encoding="utf-8")
    rows = read_jsonl(path)
    assert next(rows) == (1, {"a": 1})
    with pytest.raises(DataFileError, match="p.jsonl:3: expected a JSON object"):
        next(rows)
