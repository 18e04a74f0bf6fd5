"""The scraped layout: the seed article field by field, and the paragraph-splitting rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.model import Block, Related
from archivist.sources import read_document
from archivist.sources.scraped import parse, split_paragraphs

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "site" / "content" / "000_1e3ef660da145d7e.txt"
CASES = ROOT / "tests" / "cases" / "sources"

SEED_TITLE = (
    "海外メディア:DeepSeekの技術的躍進により、"
    "米国のAIチップ輸出規制命令は非現実的すぎるとの批判が出ている。"
)
SEED_HEADING = "AI競争:より少ないリソースでより多くのことを実現する"
SEED_RELATED = [
    "報道によると、Xiaomi Autoは海外展開を加速しており、"
    "複数の地域でXiaomi Homeストアを通じて販売される予定だという。",
    "Pinduoduo が商権保護委員会を設立、共同 CEO の趙家珍が自らその取り組みを主導。",
    "OpenAI の Open Canvas: 効率的な創作のための強力なツール - "
    "AI を活用した創作の新時代が到来します。",
    "XPengは「5年間金利0%、頭金0%」の購入ポリシーを開始し、"
    "新エネルギー車のトップセラーメーカーとしての地位を回復しました。",
    "Xiaomiのダブル11「テックカーニバルシーズン」が今夜午後8時にスタート。"
    "50種類の新製品が登場し、携帯電話は最大1000元割引。",
    "テンセントが正式に発表:エンタープライズWeChat HarmonyOSの次期バージョンが"
    "正式にリリースされました。",
]
FIRST_PARAGRAPH = (
    "2月12日、米国政府が半導体輸出規制を強化し、特にNVIDIAの最先端製品の輸出を制限する"
    "ことで、中国の人工知能(AI)分野における発展を抑制しようとしたとの報道がありました。"
    "しかし、DeepSeekがOpenAIなどの最先端製品に匹敵する生成型AIアプリケーションを開発する"
    "ことを阻止することはできず、この戦略は意図した効果を達成していないことが示されました。"
)
LAST_PARAGRAPH = (
    "彼は、アメリカのイノベーションが国外に流出しないよう、技術輸出に関する「大規模な政策議論」"
    "が行われると予想している。しかしカープ氏は、最終的には「真の優位性は、先駆者たちが努力を"
    "続ける限り、依然として存在する」と付け加えた。「現在、我々はリードしており、その優位性を"
    "維持することに注力する必要がある。パランティアの台頭は、他社を阻止することで達成されたの"
    "ではなく、自社の計画をいかに実行していくかに注力することで達成された。"
    "これは我々が学ぶべき点である。」"
)
MOE_PARAGRAPH = (
    "DeepSeekは、実用的な大規模言語モデル(LLM)の構築に必ずしも最高性能のコンピューティング"
    "能力は必要なく、オープンソース技術が効果的な代替手段となり得ることを実証しました。"
    "Mousavizadeh氏は、こうした制約こそがイノベーションの原動力となり得ると考えています。"
    "彼女は、「こうした制約により、研究者は科学的な手法を用いることを余儀なくされ、データを"
    "より小さなプールに圧縮し、Mixture of Experts(MoE)モデルによって大幅な消費電力削減を"
    "実現しています。人工知能分野の競合他社は、より少ないリソースでより多くのことを"
    "実現しています」と指摘しています。"
)


@pytest.fixture(scope="module")
def seed():
    return read_document(SEED, source="content/000_1e3ef660da145d7e.txt")


def test_seed_header_fields(seed):
    assert seed.id == "000_1e3ef660da145d7e"
    assert seed.slug == "000_1e3ef660da145d7e"
    assert seed.source == "content/000_1e3ef660da145d7e.txt"
    assert seed.title == SEED_TITLE
    assert seed.byline == "シャオ・シャオ"
    assert seed.lang == "ja"
    assert seed.date is None and seed.url is None
    assert seed.meta["layout"] == "scraped"
    assert seed.meta["encoding"] == "utf-8"


def test_seed_blocks(seed):
    kinds = [block.kind for block in seed.blocks]
    assert len(seed.blocks) == 25
    assert kinds.count("paragraph") == 24
    assert kinds.index("heading") == 16 and kinds.count("heading") == 1
    assert seed.blocks[16] == Block("heading", SEED_HEADING)
    assert seed.blocks[0] == Block("paragraph", FIRST_PARAGRAPH)
    assert seed.blocks[-1] == Block("paragraph", LAST_PARAGRAPH)
    assert Block("paragraph", MOE_PARAGRAPH) in seed.blocks


def test_seed_leaves_out_separators_byline_and_title(seed):
    texts = [block.text for block in seed.blocks]
    assert not any(text.strip("|｜ ") == "" for text in texts)
    assert not any("|" in text for text in texts)
    assert not any("シャオ・シャオ" in text for text in texts)
    assert SEED_TITLE not in texts
    assert "関連するおすすめ記事" not in texts


def test_seed_related_headlines(seed):
    assert seed.related == [Related(title) for title in SEED_RELATED]


def test_seed_blocks_are_verbatim_in_source(seed):
    source = SEED.read_text(encoding="utf-8")
    for block in seed.blocks:
        assert block.text == block.text.strip()
        assert block.text in source


def test_fixture_page():
    parsed = parse((CASES / "scraped-layout.txt").read_text(encoding="utf-8"))
    assert parsed.title == "川に新しい橋、住民に喜びの声"
    assert parsed.byline == "田中一郎"
    assert parsed.blocks == [
        Block("paragraph", "新しい橋が完成し、住民は喜びの声を上げた。式典には多くの人が集まった。"),
        Block("paragraph", "市長は「長年の願いがかなった」と述べた。"),
        Block("heading", "今後の課題"),
        Block(
            "paragraph",
            "交通量の増加に備え、市は信号の設置を検討している。Smart City Plan の一環だという。",
        ),
    ]
    assert parsed.related == [
        Related("駅前の再開発、来年春に着工へ"),
        Related("市立図書館、開館時間を延長"),
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("一つ目。 二つ目。", ["一つ目。", "二つ目。"]),
        ("見出し 本文です。", ["見出し", "本文です。"]),
        ("Mixture of Experts を使う。", ["Mixture of Experts を使う。"]),
        ("共同 CEO の発言。 次の段落。", ["共同 CEO の発言。", "次の段落。"]),
        ("「引用」 と述べた。", ["「引用」", "と述べた。"]),
        ("東京、 大阪", ["東京、 大阪"]),
        ("本文。 (記者名) |", ["本文。", "(記者名)"]),
        ("| 前 | 後 |", ["前", "後"]),
        ("一つ目。\u3000二つ目。", ["一つ目。", "二つ目。"]),
    ],
)
def test_split_paragraphs(line, expected):
    assert split_paragraphs(line) == expected


def test_title_before_body_when_last_line_is_longest():
    parsed = parse("短い見出し\n" + "とても長い本文が続きます。" * 3 + "\n")
    assert parsed.title == "短い見出し"
