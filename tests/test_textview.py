import pytest

from pipeline.textview import TextView, fold, mask_syntax


@pytest.mark.parametrize(
    "original, folded",
    [
        ("詐騙窩點", "诈骗窝点"),
        ("２００餘萬元", "200余万元"),
        ("ＧＯＩＰ设备", "GOIP设备"),
        ("goip和pos机", "GOIP和POS机"),
        ("兩名嫌疑人", "两名嫌疑人"),
        ("著名", "著名"),  # context-dependent characters are kept
        ("　全角空格", " 全角空格"),
    ],
)
def test_fold_maps_one_character_to_one(original, folded):
    assert fold(original) == folded
    assert len(fold(original)) == len(original)


@pytest.mark.parametrize(
    "text, visible",
    [
        ("看![](http://x/GOIP.png)图", "看图"),
        ("[武汉反诈骗](http://a.b/c)", "武汉反诈骗"),
        ("已落网<br>\n来源", "已落网\n来源"),
        ("见http://x.cn/GOIP?a=1 文", "见 文"),
        ("![]({{site.baseurl}}/postimg/a.gif)", ""),
    ],
)
def test_mask_blanks_syntax_and_keeps_length(text, visible):
    masked = mask_syntax(text)
    assert len(masked) == len(text)
    assert masked.replace(" ", "") == visible.replace(" ", "")


def test_view_offsets_are_original_offsets():
    view = TextView.of("扣押ＧＯＩＰ５台，見<b>詐騙</b>")
    assert len(view.text) == len(view.original) == len(view.folded)
    start = view.text.index("GOIP")
    assert view.original[start:start + 4] == "ＧＯＩＰ"
    assert "<B>" not in view.text and "诈骗" in view.text
