import pytest

from pipeline.datafiles import DataFileError
from pipeline.lexicon import Lexicon, LexiconFinder, default_finder
from pipeline.resolver import resolve
from pipeline.textview import TextView


def found(text, label=None):
    view = TextView.of(text)
    return sorted(
        (view.original[c.start:c.end], c.label, c.norm)
        for c in resolve(default_finder().find(view.text))
        if label is None or c.label == label
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("收缴GOIP、络漫宝、多卡宝等远程拨号设备229台", [("GOIP", "DEVICE", "GOIP"), ("多卡宝", "DEVICE", "多卡宝"), ("络漫宝", "DEVICE", "络漫宝")]),
        ("查获GOIP设备5台", [("GOIP", "DEVICE", "GOIP")]),
        ("起获ＧＯＩＰ５台", [("ＧＯＩＰ", "DEVICE", "GOIP")]),
        ("现场扣押作案手机220部、涉案电脑70余台", [("手机", "DEVICE", "手机"), ("电脑", "DEVICE", "电脑")]),
        ("收缴其作案手机、POS机、银行卡100余件", [("POS机", "DEVICE", "POS机"), ("手机", "DEVICE", "手机")]),
        ("查扣苹果手机30部、笔记本电脑5台", [("笔记本电脑", "DEVICE", "电脑"), ("苹果手机", "DEVICE", "手机")]),
        ("缴获U盾526个和银行卡读卡器", [("U盾", "DEVICE", "U盾"), ("银行卡读卡器", "DEVICE", "读卡器")]),
        ("便携式伪基站", [("伪基站", "DEVICE", "伪基站")]),
        ("卡2300余张及路由器、服务器等设备一批", [("服务器", "DEVICE", "服务器"), ("路由器", "DEVICE", "路由器")]),
        ("配备笔记本电脑、路由器、无线网卡", [("无线网卡", "DEVICE", "无线网卡"), ("笔记本电脑", "DEVICE", "电脑"), ("路由器", "DEVICE", "路由器")]),
        ("检获手提电话26部", [("手提电话", "DEVICE", "手机")]),
        ("笔记本电脑一台。马女士", []),  # 一台: a single laptop is usually a victim's
        ("缴获U盾526个", [("U盾", "DEVICE", "U盾")]),
        ("重点清理二手手机市场", []),
        ("涉案手机卡开户信息", []),
        ("受害人用手机转账", []),
        ("民警提醒不要把手机号告诉他人", []),
    ],
)
def test_devices(text, expected):
    assert found(text, "DEVICE") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("遭遇冒充“公检法”的骗局", [("冒充“公检法”", "冒充公检法")]),
        ("冒充淘宝客服诈骗", [("冒充淘宝客服诈骗", "冒充电商物流客服")]),
        ("所谓“情感导师”耍套路", [("情感导师", "情感咨询")]),
        ("捣毁一情感咨询诈骗团伙", [("情感咨询诈骗", "情感咨询")]),
        ("刷单返利类诈骗高发", [("刷单返利类诈骗", "刷单返利")]),
        ("警惕杀猪盘", [("杀猪盘", "网络婚恋交友")]),
        ("贩卖“两卡”", [("两卡", "两卡帮信")]),
        ("以帮助信息网络犯罪活动罪判处", [("帮助信息网络犯罪活动", "两卡帮信")]),
        ("谎称可以注销校园贷", [("注销校园贷", "虚假征信")]),
        ("假警察打来电话", [("假警察", "冒充公检法")]),
        ("针对刷单、网贷等诈骗", [("刷单", "刷单返利"), ("网贷", "虚假网络贷款")]),  # a scheme list
        ("以刷单为名，贷款", [("刷单", "刷单返利")]),  # not across a comma
        ("黄岛“游戏交易”诈骗案", [("游戏交易", "网络游戏虚假交易")]),
        ("冒充社保医保工作人员的诈骗", [("冒充社保医保工作人员", "其他")]),
        ("构成帮信罪", [("帮信", "两卡帮信")]),
        ("以“情感挽回”为名实施诈骗", [("情感挽回", "情感咨询")]),
        ("自称“京东客服”", []),  # a persona, not 冒充
        ("投资理财诈骗案", [("投资理财诈骗案", "虚假投资理财")]),
        ("她在做投资理财", []),  # a suffix-only word without 诈骗 is not a scheme name
        ("打击电信网络诈骗犯罪", []),
        ("全国“断卡”行动", []),
    ],
)
def test_fraud_types(text, expected):
    assert [(t, n) for t, _, n in found(text, "FRAUD_TYPE")] == sorted(expected)


def test_every_candidate_names_its_rule():
    view = TextView.of("查获GOIP")
    (candidate,) = default_finder().find(view.text)
    assert candidate.source == "lexicon:device"
    assert candidate.extra["rule"].endswith("lexicon.tsv:" + candidate.extra["rule"].rsplit(":", 1)[1])


def test_bad_lexicon_row_names_file_and_line(tmp_path):
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (folder / "lexicon.tsv").write_text("# header\nGOIP\tDEVICE\tGOIP\talways\n刷单\tFRAUD_TYPE\t刷单诈骗\talways\n", encoding="utf-8")
    for name in ("impersonation.tsv", "device_context.tsv", "device_blockers.tsv"):
        (folder / name).write_text("", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        Lexicon.from_dir(tmp_path)
    assert "lexicon.tsv:3:" in str(error.value)


def test_lexicon_from_package_is_valid():
    lexicon = Lexicon.from_dir()
    assert any(e.term == "GOIP" for e in lexicon.entries)
    assert LexiconFinder(lexicon).find("") == []
