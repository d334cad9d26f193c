import pytest

from pipeline.normalize import police_norm
from pipeline.places import Gazetteer, PlaceContext
from pipeline.tagger import tag_text


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.default()


@pytest.mark.parametrize(
    "unit, story_place, expected",
    [
        ("东西湖区分局", "武汉", "湖北省武汉市公安局东西湖区分局"),
        ("东西湖分局反电诈专班", "武汉", "湖北省武汉市公安局东西湖区分局反电诈专班"),
        ("汉阳区公安分局", "武汉", "湖北省武汉市公安局汉阳区分局"),
        ("武汉市公安局刑侦局", None, "湖北省武汉市公安局刑侦局"),
        ("武汉警方", None, "湖北省武汉市公安局"),
        ("武汉公安", None, "湖北省武汉市公安局"),
        ("市公安局反诈中心", "武汉", "湖北省武汉市公安局反诈中心"),
        ("我市警方", "邵阳", "湖南省邵阳市公安局"),
        ("湖北省公安厅", None, "湖北省公安厅"),
        ("潼南公安", None, "重庆市潼南区公安局"),
        ("永丰派出所", "武汉", "永丰派出所"),  # no place in the name: kept as written
        ("公安部", None, "公安部"),
        ("市公安局反诈中心", None, "市公安局反诈中心"),  # no story city to resolve 市
    ],
)
def test_police_units_are_anchored_to_their_jurisdiction(gazetteer, unit, story_place, expected):
    context = PlaceContext([gazetteer.resolve(story_place)] if story_place else [])
    assert police_norm(unit, gazetteer, context)[0] == expected


@pytest.mark.parametrize(
    "text, place, expected",
    [
        ("北京市海淀区、东城区警方通报，朝阳区一居民被骗", "朝阳区", "北京市朝阳区"),
        ("长春市南关区、宽城区警方通报，朝阳区一居民被骗", "朝阳区", "吉林省长春市朝阳区"),
        ("天津市公安局通报，该团伙在河北、山西等地活动", "河北", "河北省"),
        ("常宁县一名男子", "常宁县", "湖南省衡阳市常宁市"),
        # the story's place is named only in its police unit: 拉萨市公安局 decides 城关区
        ("拉萨市公安局通报，甘肃籍男子在城关区被抓获", "城关区", "西藏自治区拉萨市城关区"),
    ],
)
def test_places_are_resolved_in_the_story_context(nlp, text, place, expected):
    entities = [e for e in tag_text(text, nlp) if e["label"] == "LOC" and e["text"] == place]
    assert [e["norm"] for e in entities] == [expected]
    assert len(entities[0]["code"]) == 6


@pytest.mark.parametrize(
    "text, currency",
    [
        ("香港警方在觀塘、旺角拘捕5人，一名沙田女子被騙3萬元", "HKD"),
        ("台北市、新北市警方破獲詐騙集團，一名台中男子被騙30萬元", "TWD"),
        ("香港警方拘捕5人，一名男子被騙人民幣3萬元", "CNY"),
        ("警方拘捕5人，騙徒先騙取2萬港元，再騙走一名長者15萬元", "HKD"),  # traditional + 港元 written out
        ("武漢警方破獲詐騙案，一名男子被騙3萬元", "CNY"),  # a converted mainland page
        ("武汉警方通报，一名男子被骗3万元", "CNY"),
    ],
)
def test_plain_yuan_is_the_local_currency_of_the_story(nlp, text, currency):
    money = [e for e in tag_text(text, nlp) if e["label"] == "MONEY"]
    assert money[-1]["norm"]["currency"] == currency


def test_unresolved_place_keeps_the_text_as_written(nlp):
    entities = tag_text("在桃園機場被捕", nlp)
    loc = [e for e in entities if e["label"] == "LOC"]
    assert loc and all("code" in e or e["norm"] == e["text"] for e in loc)
