import jieba
import pytest
import spacy

from pipeline.tokenizer import JiebaTokenizer


@pytest.fixture(scope="module")
def tokenizer():
    return JiebaTokenizer(spacy.blank("xx").vocab, [("络漫宝", "n"), ("东西湖区分局", "nt")])


@pytest.mark.parametrize(
    "text",
    ["收缴GOIP、络漫宝等设备229台", "詐騙窩點ＧＯＩＰ５台", "  空格\n换行\t制表  ", "", "东西湖区分局反电诈专班"],
)
def test_tokens_cover_the_original_text_exactly(tokenizer, text):
    doc = tokenizer(text)
    assert doc.text == text
    assert "".join(token.text for token in doc) == text


def test_user_words_are_single_tokens(tokenizer):
    assert "络漫宝" in [t.text for t in tokenizer("收缴络漫宝设备")]
    assert "东西湖区分局" in [t.text for t in tokenizer("东西湖区分局捣毁窝点")]


def test_traditional_text_segments_like_simplified(tokenizer):
    simplified = [len(t) for t in tokenizer("诈骗窝点被捣毁")]
    traditional = [len(t) for t in tokenizer("詐騙窩點被搗毀")]
    assert simplified == traditional


def test_global_jieba_is_never_touched(tokenizer):
    before = set(jieba.dt.FREQ) if jieba.dt.initialized else None
    tokenizer("络漫宝")
    after = set(jieba.dt.FREQ) if jieba.dt.initialized else None
    assert before == after
    assert "络漫宝" not in (after or set())


def test_round_trip_on_disk_and_bytes(tokenizer, tmp_path):
    tokenizer.to_disk(tmp_path / "tok")
    again = JiebaTokenizer(tokenizer.vocab).from_disk(tmp_path / "tok")
    assert again.user_words == tokenizer.user_words and again.hmm == tokenizer.hmm
    again.to_disk(tmp_path / "tok2")
    for name in ("userdict.txt", "settings.json"):
        assert (tmp_path / "tok" / name).read_bytes() == (tmp_path / "tok2" / name).read_bytes()
    assert JiebaTokenizer(tokenizer.vocab).from_bytes(tokenizer.to_bytes()).user_words == tokenizer.user_words
