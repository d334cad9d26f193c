import filecmp
from pathlib import Path

import spacy

from pipeline.datafiles import DATA_DIR
from pipeline.model import DEFAULT_MODEL_DIR, load, save_model
from pipeline.tagger import doc_entities

SAMPLE = "湖南邵阳一位女士遭遇冒充“公检法”的骗局，被骗8万元。东西湖区分局捣毁窝点，扣押作案手机220部、GOIP5台。"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_saved_model_round_trips_byte_for_byte(nlp, tmp_path):
    first = save_model(nlp, tmp_path / "first")
    loaded = spacy.load(first)
    second = save_model(loaded, tmp_path / "second")
    assert _files(first) == _files(second)
    assert doc_entities(loaded(SAMPLE)) == doc_entities(nlp(SAMPLE))
    assert loaded.pipe_names == ["fraudtag_finder", "fraudtag_resolver", "fraudtag_normalizer"]


def test_saved_model_holds_its_rule_data(nlp, tmp_path):
    path = save_model(nlp, tmp_path / "m")
    data = path / "fraudtag_finder" / "data"
    assert (data / "lexicon" / "lexicon.tsv").read_bytes() == (DATA_DIR / "lexicon" / "lexicon.tsv").read_bytes()
    assert (path / "tokenizer" / "userdict.txt").read_text(encoding="utf-8").count("\n") > 100


def test_bundled_model_is_up_to_date_with_the_package_data():
    """models/fraudtag-zh must be rebuilt (fraudtag build-model) whenever pipeline/data changes."""
    bundled = DEFAULT_MODEL_DIR / "fraudtag_finder" / "data"
    assert bundled.is_dir(), "run: fraudtag build-model"
    comparison = filecmp.dircmp(DATA_DIR, bundled, ignore=["__pycache__"])

    def differences(cmp):
        found = cmp.left_only + cmp.right_only + cmp.diff_files
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    assert differences(comparison) == [], "run: fraudtag build-model"


def test_load_defaults_to_the_bundled_model():
    nlp = load()
    assert nlp.meta["name"] == "fraudtag_zh"
    assert [e["label"] for e in doc_entities(nlp("查获GOIP设备"))] == ["DEVICE"]
