"""Tests for pipeline.amounts: MONEY and QUANTITY candidates (table-driven)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.amounts import AmountFinder, AmountRules, find_amounts
from pipeline.datafiles import DATA_DIR, DataFileError

SEED = Path("/work/shared/gold/seed.jsonl")


def M(value, currency="CNY", approx="exact", top=None):
    norm = {"value": value, "currency": currency, "approx": approx}
    if top is not None:
        norm["max"] = top
    return norm


def Q(value, unit, approx="exact", top=None):
    norm = {"value": value, "unit": unit, "approx": approx}
    if top is not None:
        norm["max"] = top
    return norm


def spans(text):
    return [(text[c.start:c.end], c.label, c.norm) for c in find_amounts(text)]


MONEY_CASES = [
    ("损失近万元", [("近万元", "MONEY", M(10000, approx="nearly"))]),
    ("他被敲诈了12万", [("12万", "MONEY", M(120000))]),
    # the standard's examples
    ("已核实涉案资金200余万元。", [("200余万元", "MONEY", M(2_000_000, approx="more_than"))]),
    ("被要求收取4800元费用", [("4800元", "MONEY", M(4800))]),
    ("涉案金额逾400万元", [("逾400万元", "MONEY", M(4_000_000, approx="more_than"))]),
    ("缴纳保证金人民币5万元", [("人民币5万元", "MONEY", M(50000))]),
    ("骗走五千元", [("五千元", "MONEY", M(5000))]),
    ("涉案金额1.2亿元", [("1.2亿元", "MONEY", M(120_000_000))]),
    ("先后被骗4.5万港元", [("4.5万港元", "MONEY", M(45000, "HKD"))]),
    # acceptance: mixed numerals and raw full-width / traditional input
    ("转账3万5千元", [("3万5千元", "MONEY", M(35000))]),
    ("转账1万2千元", [("1万2千元", "MONEY", M(12000))]),
    ("转账2万5元", [("2万5元", "MONEY", M(20005))]),
    ("涉案２００余万元", [("２００余万元", "MONEY", M(2_000_000, approx="more_than"))]),
    ("涉案200餘萬元", [("200餘萬元", "MONEY", M(2_000_000, approx="more_than"))]),
    ("涉案两百余万元", [("两百余万元", "MONEY", M(2_000_000, approx="more_than"))]),
    ("詐騙金額兩萬五千元", [("兩萬五千元", "MONEY", M(25000))]),
    ("共计1,234元", [("1,234元", "MONEY", M(1234))]),
    ("损失一万五千元", [("一万五千元", "MONEY", M(15000))]),
    ("损失三千五百元", [("三千五百元", "MONEY", M(3500))]),
    ("损失1.05万元", [("1.05万元", "MONEY", M(10500))]),
    ("十余万元", [("十余万元", "MONEY", M(100_000, approx="more_than"))]),
    ("三千多万元", [("三千多万元", "MONEY", M(30_000_000, approx="more_than"))]),
    ("1万余元", [("1万余元", "MONEY", M(10000, approx="more_than"))]),
    ("壹萬贰仟元", [("壹萬贰仟元", "MONEY", M(12000))]),
    # hedges join, connecting words do not
    ("约5万元", [("约5万元", "MONEY", M(50000, approx="about"))]),
    ("大约5万元", [("大约5万元", "MONEY", M(50000, approx="about"))]),
    ("5万元左右", [("5万元左右", "MONEY", M(50000, approx="about"))]),
    ("5万元上下", [("5万元上下", "MONEY", M(50000, approx="about"))]),
    ("损失10万元以上", [("10万元以上", "MONEY", M(100_000, approx="more_than"))]),
    ("超过3万元", [("超过3万元", "MONEY", M(30000, approx="more_than"))]),
    ("超3万元", [("超3万元", "MONEY", M(30000, approx="more_than"))]),
    ("将近2万元", [("将近2万元", "MONEY", M(20000, approx="nearly"))]),
    ("近2万元", [("近2万元", "MONEY", M(20000, approx="nearly"))]),
    ("共计3万元", [("3万元", "MONEY", M(30000))]),
    ("合计3万元", [("3万元", "MONEY", M(30000))]),
    ("金额达5万元", [("5万元", "MONEY", M(50000))]),
    ("最近3万元", [("3万元", "MONEY", M(30000))]),  # 最近 is not a hedge
    # currencies before and after
    ("5万元人民币", [("5万元人民币", "MONEY", M(50000))]),
    ("5万人民币", [("5万人民币", "MONEY", M(50000))]),
    ("约人民币5万元", [("约人民币5万元", "MONEY", M(50000, approx="about"))]),
    ("港币5万元", [("港币5万元", "MONEY", M(50000, "HKD"))]),
    ("收款￥300", [("￥300", "MONEY", M(300))]),
    ("价值2000美元的礼品", [("2000美元", "MONEY", M(2000, "USD"))]),
    ("3000欧元", [("3000欧元", "MONEY", M(3000, "EUR"))]),
    ("5万新台币", [("5万新台币", "MONEY", M(50000, "TWD"))]),
    ("购买5000USDT", [("5000USDT", "MONEY", M(5000, "USDT"))]),
    ("购买5000 usdt", [("5000 usdt", "MONEY", M(5000, "USDT"))]),
    ("兑换成2万个泰达币", [("2万个泰达币", "MONEY", M(20000, "USDT"))]),
    ("购买3个比特币", [("3个比特币", "MONEY", M(3, "BTC"))]),
    ("只有5块钱", [("5块钱", "MONEY", M(5))]),
    ("转账500块", [("500块", "MONEY", M(500))]),
    ("300 港币", []),  # a CJK currency word is not joined across a space
    # ranges: value is the lower bound, max the upper
    ("3万至5万元", [("3万至5万元", "MONEY", M(30000, top=50000))]),
    ("3-5万元", [("3-5万元", "MONEY", M(30000, top=50000))]),
    ("三至五万元", [("三至五万元", "MONEY", M(30000, top=50000))]),
    ("1000到5000元", [("1000到5000元", "MONEY", M(1000, top=5000))]),
    # each bound with its own currency word: two spans
    # a range with a currency on both sides is one span too (labels.md: ranges are one span)
    ("3万元至5万元", [("3万元至5万元", "MONEY", M(30000, top=50000))]),
    ("并处罚金5000元至3万元", [("5000元至3万元", "MONEY", M(5000, top=30000))]),
    ("抓获8人至10人", [("8人至10人", "QUANTITY", Q(8, "人", top=10))]),
    ("收费5元、30元", [("5元", "MONEY", M(5)), ("30元", "MONEY", M(30))]),
    ("每单5元至30元佣金", [("5元至30元", "MONEY", M(5, top=30))]),
    # money by context, without a currency word
    ("向对方转账5万", [("5万", "MONEY", M(50000))]),
    ("造成损失近千万", [("近千万", "MONEY", M(10_000_000, approx="nearly"))]),
    ("被骗3万，遂报警", [("3万", "MONEY", M(30000))]),
    ("骗走2000", [("2000", "MONEY", M(2000))]),
    ("涉案金额：300余万", [("300余万", "MONEY", M(3_000_000, approx="more_than"))]),
    ("被骗2万多", [("2万多", "MONEY", M(20000, approx="more_than"))]),
    ("涉款逾1.6億", [("逾1.6億", "MONEY", M(160_000_000, approx="more_than"))]),
    ("合共損失約57萬元", [("約57萬元", "MONEY", M(570_000, approx="about"))]),  # 失约 is rare, 损失约 common
    ("价格从599元到3.98万元", [("599元到3.98万元", "MONEY", M(599, top=39800))]),
    # the currency word before a hedge is the object when the unit names the currency
    ("共兑换泰达币约190万USDT", [("约190万USDT", "MONEY", M(1_900_000, "USDT", "about"))]),
]

MONEY_NOT = [
    "招聘信息称月薪过万",  # a bare 万 is a magnitude
    "可疑短信，可转发至12381",  # 转发 is no transfer of money
    "挽回诈骗团伙\n2023-06-28 10:00",  # a date after a money trigger is no amount
    "涉案资金",  # no number
    "涉案资金较大",
    "二元一次方程",
    "元旦前后",
    "2021年元月",
    "三元里派出所",
    "0元购",
    "转账2020年",  # a date after a trigger
    "投资3倍",
    "收益率50%",
    "损失百分之五十",
    "转账5G",
    "转账2",  # too small to be money by context
    "嫌疑人5万",  # a bare number with no trigger
    "报警电话96110",
    "卡号尾号6222",
    "拨打13812345678元",  # a phone number
]

QUANTITY_CASES = [
    ("#7名被告人获刑", [("7名", "QUANTITY", Q(7, "名"))]),  # a Markdown heading mark, not a code
    ("集中收网行动5轮", [("5轮", "QUANTITY", Q(5, "轮"))]),
    ("铲除窝点71个", [("71个", "QUANTITY", Q(71, "个"))]),
    ("抓获220名犯罪嫌疑人", [("220名", "QUANTITY", Q(220, "名"))]),
    ("破案266起", [("266起", "QUANTITY", Q(266, "起"))]),
    ("查扣手机1044部", [("1044部", "QUANTITY", Q(1044, "部"))]),
    ("关停风险号码8.3万余个", [("8.3万余个", "QUANTITY", Q(83000, "个", "more_than"))]),
    ("接连抓获两名嫌疑人", [("两名", "QUANTITY", Q(2, "名"))]),
    ("先后两次给骗子转款", [("两次", "QUANTITY", Q(2, "次"))]),
    ("两人被抓", [("两人", "QUANTITY", Q(2, "人"))]),
    ("二人被抓", [("二人", "QUANTITY", Q(2, "人"))]),
    ("近千人受骗", [("近千人", "QUANTITY", Q(1000, "人", "nearly"))]),
    ("系列电诈案件1宗20起", [("1宗", "QUANTITY", Q(1, "宗")), ("20起", "QUANTITY", Q(20, "起"))]),
    ("U盾1个", [("1个", "QUANTITY", Q(1, "个"))]),
    ("设备1套", [("1套", "QUANTITY", Q(1, "套"))]),
    ("曝光了首批382名涉两卡人员", [("382名", "QUANTITY", Q(382, "名"))]),
    ("涉案电脑70余台", [("70余台", "QUANTITY", Q(70, "台", "more_than"))]),
    ("话术本80余本", [("80余本", "QUANTITY", Q(80, "本", "more_than"))]),
    ("百余人", [("百余人", "QUANTITY", Q(100, "人", "more_than"))]),
    ("20多人", [("20多人", "QUANTITY", Q(20, "人", "more_than"))]),
    ("逾百名", [("逾百名", "QUANTITY", Q(100, "名", "more_than"))]),
    ("约30人", [("约30人", "QUANTITY", Q(30, "人", "about"))]),
    ("30人左右", [("30人左右", "QUANTITY", Q(30, "人", "about"))]),
    ("5人以上", [("5人以上", "QUANTITY", Q(5, "人", "more_than"))]),
    ("3000人次", [("3000人次", "QUANTITY", Q(3000, "人次"))]),
    ("收缴U盾50块", [("50块", "QUANTITY", Q(50, "块"))]),
    ("８－１０人", [("８－１０人", "QUANTITY", Q(8, "人", top=10))]),
    ("抓獲嫌疑人十二名", [("十二名", "QUANTITY", Q(12, "名"))]),
    ("39家商业银行", [("39家", "QUANTITY", Q(39, "家"))]),
    ("窝点71个、团伙30个", [("71个", "QUANTITY", Q(71, "个")), ("30个", "QUANTITY", Q(30, "个"))]),
    ("**破案266起**", [("266起", "QUANTITY", Q(266, "起"))]),
    ("转账3笔", [("3笔", "QUANTITY", Q(3, "笔"))]),  # a measure word wins over money context
    ("晚上3名男子", [("3名", "QUANTITY", Q(3, "名"))]),
    ("最近3人", [("3人", "QUANTITY", Q(3, "人"))]),
    ("统一3名", [("3名", "QUANTITY", Q(3, "名"))]),
    ("破获2021起案件", [("2021起", "QUANTITY", Q(2021, "起"))]),
    ("破获十四起案件", [("十四起", "QUANTITY", Q(14, "起"))]),  # 四起 (rife) is stoplisted, 十四起 is not
    ("先后十二次", [("十二次", "QUANTITY", Q(12, "次"))]),
    ("以上两起案件", [("两起", "QUANTITY", Q(2, "起"))]),  # 上 only blocks 上千, 上万
    ("从3个网贷平台借款", [("3个", "QUANTITY", Q(3, "个"))]),
    ("安装国家反诈中心ＡＰＰ１２００余人次", [("１２００余人次", "QUANTITY", Q(1200, "人次", "more_than"))]),
    ("制作虚假贷款APP20余款", [("20余款", "QUANTITY", Q(20, "款", "more_than"))]),
    ("前3单都拿到了佣金", [("3单", "QUANTITY", Q(3, "单"))]),
    ("开展宣传活动2300余场", [("2300余场", "QUANTITY", Q(2300, "场", "more_than"))]),
]

QUANTITY_NOT = [
    "连续三个晚上开展监测",  # a duration
    # dates, times, durations
    "2020年7月17日",
    "历时7小时",
    "连续3天",
    "行动近一月",
    "两年来",
    "3个月后",
    "两个多月",
    "10时30分",
    # ordinals
    "第一",
    "第3名",
    "第十五名",
    "第1-3名",
    "首批",
    "初五",
    "自2021起",
    # no measure word
    "220",
    "嫌疑人58",
    # a Chinese 一 with a measure word
    "一位女士",
    "一个团伙",
    "一台电脑",
    "一名嫌疑人",
    "一次",
    "一起案件",
    "近一个",
    # idioms and names
    "兵分三路",
    "一对一指导",
    "三位一体",
    "四面八方",
    "三番五次",
    "千家万户",
    "谣言四起",
    "二次诈骗",
    "七台河市",
    "百家号",
    # percentages, ages
    "占比50%",
    "20岁",
    "5个百分点",
    # codes, phone numbers, ASCII tokens
    "gh_9450e8cf3caa",
    "5G基站",
    "4G",
    "G20",
    "007个",
    "13812345678个",
    "v2.3个",
    # estimates with no value, department words
    "数十名",
    "几百人",
    "五六个",
    "三四十人",
    "4部门联合",
    "伍家岗区",  # a lone financial digit is a name
    "陆家嘴",
    "记住“三个凡是”",
    "阅读：5127次",
    "分列二至四位",
    "每套“四件套”",
    "3单元",
    "上千人",
    "3人上下班",  # 上下 belongs to 上下班: the count stays, the hedge does not
]


@pytest.mark.parametrize("text, expected", MONEY_CASES + QUANTITY_CASES)
def test_spans(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", MONEY_NOT)
def test_not_money(text):
    assert [s for s in spans(text) if s[1] == "MONEY"] == []


@pytest.mark.parametrize("text", QUANTITY_NOT)
def test_not_quantity(text):
    expected = [("3人", "QUANTITY", Q(3, "人"))] if text == "3人上下班" else []
    assert spans(text) == expected


def test_candidate_fields():
    text = "转账5万，缴获手机20部，涉案4800元"
    by_text = {text[c.start:c.end]: c for c in find_amounts(text)}
    assert by_text["5万"].source == "rule:money_context" and by_text["5万"].priority == 50
    assert by_text["20部"].source == "rule:quantity" and by_text["20部"].priority == 40
    assert by_text["4800元"].source == "rule:money" and by_text["4800元"].label == "MONEY"


def test_offsets_index_the_original_text():
    text = "據悉，共騙取２００餘萬元，抓獲嫌疑人５名。"
    got = [(c.start, c.end, c.label) for c in find_amounts(text)]
    assert [text[s:e] for s, e, _ in got] == ["２００餘萬元", "５名"]


def test_find_in_view_matches_find():
    from pipeline.textview import TextView

    text = "![](http://x/123.png)共抓获嫌疑人220名，涉案200余万元"
    view = TextView.of(text).text
    finder = AmountFinder.from_dir(DATA_DIR)
    assert finder.find_in_view(view) == finder.find(view)
    assert [text[c.start:c.end] for c in finder.find_in_view(view)] == ["220名", "200余万元"]


@pytest.mark.parametrize(
    "name, line, message",
    [
        ("currencies.tsv", "元\tcny\tafter\talways", "upper-case code"),
        ("currencies.tsv", "元\tCNY\tbehind\talways", "position must be"),
        ("hedges.tsv", "约\tmaybe\tbefore", "approx must be"),
        ("unit_blockers.tsv", "斤\t两", "neither in measures.tsv"),
        ("measures.tsv", "名", "duplicate measure word"),
        ("prefix_blockers.tsv", "第\tsome", "applies must be one of"),
    ],
)
def test_bad_data_rows_name_file_and_line(tmp_path, name, line, message):
    shutil.copytree(DATA_DIR / "amounts", tmp_path / "amounts")
    path = tmp_path / "amounts" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        AmountRules.from_dir(tmp_path)
    assert f"{name}:{len(lines) + 1}:" in str(info.value)
    assert message in str(info.value)


@pytest.mark.skipif(not SEED.exists(), reason="no shared gold seed")
def test_seed_gold_spans_are_found_with_their_norms():
    recall_hits = precision_hits = total_gold = total_found = 0
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        gold = {
            (e["start"], e["end"], e["label"]): e["norm"]
            for e in doc["entities"]
            if e["label"] in ("MONEY", "QUANTITY")
        }
        found = {(c.start, c.end, c.label): c.norm for c in find_amounts(doc["text"])}
        missing = {k: v for k, v in gold.items() if found.get(k) != v}
        assert not missing, f"{doc['id']}: gold spans not found with their norm: {missing}"
        total_gold += len(gold)
        total_found += len(found)
        recall_hits += len(gold) - len(missing)
        precision_hits += sum(1 for k, v in found.items() if gold.get(k) == v)
    precision = precision_hits / total_found if total_found else 1.0
    print(f"seed MONEY/QUANTITY: recall {recall_hits}/{total_gold}, precision {precision_hits}/{total_found}")
    assert precision == 1.0
