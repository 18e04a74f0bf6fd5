"""Japanese named entities with the shipped recogniser over the real GiNZA model, loaded once for this module."""

from __future__ import annotations

import pytest

from archivist.annotators import AnnotateContext, Models, ner_ja
from archivist.model import ENTITY_TYPES, Block, Document, Mention
from archivist.registry import Registry


@pytest.fixture(scope="module")
def ctx() -> AnnotateContext:
    models = Models()
    models.get(ner_ja.MODEL, ner_ja.load_model)  # once for the whole module
    return AnnotateContext(names=("ner",), registry=Registry.empty(), models=models)


def document(*texts: str, lang: str = "ja") -> Document:
    return Document("d", "d", "d.txt", lang, "t", [Block("paragraph", t) for t in texts])


def found(ctx: AnnotateContext, *texts: str) -> list[tuple[int, str, str]]:
    doc = document(*texts)
    mentions = ner_ja.annotate(doc, ctx).mentions
    for m in mentions:
        assert doc.blocks[m.block].text[m.start:m.end] == m.text
        assert m.source == "ner" and 0 < m.confidence <= 1
    return [(m.block, m.text, m.type) for m in mentions]


def test_types_and_honorifics_outside_the_span(ctx: AnnotateContext) -> None:
    result = found(ctx, "山田太郎氏は東京大学の教授で、2025年1月20日に100人の学生と会談した。")
    assert (0, "山田太郎", "PERSON") in result
    assert (0, "東京大学", "ORG") in result
    assert not any(text in ("2025年1月20日", "100人", "氏") for _, text, _ in result)  # numbers dropped


def test_titles_are_cut_and_mark_a_person(ctx: AnnotateContext) -> None:
    result = found(ctx, "トランプ大統領は先週、ホワイトハウスで岸田文雄首相と会談した。")
    assert (0, "トランプ", "PERSON") in result
    assert (0, "岸田文雄", "PERSON") in result


def test_suffix_and_honorific_evidence_overrule_the_model(ctx: AnnotateContext) -> None:
    result = found(
        ctx,
        "ピーターソン国際経済研究所の上級研究員マーティン・チョルゼンパ氏は懸念を示した。",
        "ブルッキングス研究所の分析は、規制の強化を批判している。",
    )
    assert (0, "ピーターソン国際経済研究所", "ORG") in result
    assert (0, "マーティン・チョルゼンパ", "PERSON") in result
    assert (1, "ブルッキングス研究所", "ORG") in result


def test_organisation_context_and_names_the_model_missed(ctx: AnnotateContext) -> None:
    result = found(ctx, "AIスタートアップ企業AnthropicのCEO、ダリオ・アモデイ氏は語った。")
    assert (0, "Anthropic", "ORG") in result
    assert (0, "ダリオ・アモデイ", "PERSON") in result


def test_country_short_forms_only_in_compounds(ctx: AnnotateContext) -> None:
    result = found(ctx, "米中間の競争が激しくなった。", "今年は米の値段が上がり、毎日米を炊くのも大変だ。")
    assert [(b, t) for b, t, kind in result if kind == "PLACE"] == [(0, "米"), (0, "中")]


def test_a_name_keeps_one_type_and_is_marked_everywhere(ctx: AnnotateContext) -> None:
    result = found(ctx, "カープ氏は語った。", "その後、カープは笑った。")
    assert (0, "カープ", "PERSON") in result
    assert (1, "カープ", "PERSON") in result


def test_other_languages_are_left_alone(ctx: AnnotateContext) -> None:
    doc = document("Shinzo Abe met Joe Biden in Tokyo.", lang="en")
    assert ner_ja.annotate(doc, ctx).mentions == []


def test_long_blocks_are_cut_into_chunks_with_offsets_kept(ctx: AnnotateContext) -> None:
    sentence = "山田太郎氏は東京大学で講演した。"
    text = "前置き。" + sentence * 1030
    assert len(text.encode("utf-8")) > 49_149
    doc = document(text)
    mentions = ner_ja.annotate(doc, ctx).mentions
    assert all(text[m.start:m.end] == m.text for m in mentions)
    people = [m for m in mentions if m.text == "山田太郎"]
    assert len(people) == 1030
    assert people[-1].start == len(text) - len(sentence)


def test_chunks_cover_the_text_and_end_at_sentences() -> None:
    text = "あいうえお。" * 50 + "かきくけこ" * 10
    pieces = ner_ja.chunks(text, limit=100)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece.encode("utf-8")) < 100 for _, piece in pieces)
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)
    assert all(piece.endswith("。") for _, piece in pieces[:-2])


def test_consistency_spreads_the_majority_type() -> None:
    doc = document("DeepSeekとDeepSeek。", "DeepSeekers もいる。DeepSeek")
    mentions = [Mention(0, 0, 8, "DeepSeek", "ORG", None, "ner", 0.75),
                Mention(0, 9, 17, "DeepSeek", "PRODUCT", None, "ner", 0.6)]
    result = ner_ja.consistent(doc, mentions)
    assert [(m.block, m.start, m.type) for m in result] == [(0, 0, "ORG"), (0, 9, "ORG"), (1, 16, "ORG")]


def mentions_at(doc: Document, surface: str, kind: str, *which: int) -> list[Mention]:
    """Mentions of surface at its which-th occurrences in the document (from 0)."""
    spots = [(i, start) for i, block in enumerate(doc.blocks)
             for start in range(len(block.text)) if block.text.startswith(surface, start)]  # fmt: skip
    return [Mention(i, start, start + len(surface), surface, kind, None, "ner", 0.8)
            for n, (i, start) in enumerate(spots) if n in which]  # fmt: skip


def test_a_common_noun_found_as_a_name_in_a_third_of_its_occurrences_is_dropped() -> None:
    doc = document("ビールを注ぐ。ビールの泡。", "ビールが人気。ビールは冷やす。")
    assert ner_ja.consistent(doc, mentions_at(doc, "ビール", "ORG", 1)) == []
    # Found in more than a third of them, it is marked everywhere, as any name is.
    assert len(ner_ja.consistent(doc, mentions_at(doc, "ビール", "ORG", 1, 2))) == 4
    # A word the dictionary does not know is a name wherever it was found: marked everywhere.
    names = document("カレロが来た。カレロの話。", "カレロは語った。カレロも。")
    assert len(ner_ja.consistent(names, mentions_at(names, "カレロ", "PERSON", 0))) == 4
    # So are common nouns written as one word, when one is a katakana word.
    shop = document("セレクトショップで働く。セレクトショップの店長。", "セレクトショップさんの商品。")
    assert ner_ja.consistent(shop, mentions_at(shop, "セレクトショップ", "PERSON", 2)) == []
    # Not when one is an English word (a name, often), nor when all are kanji (美 + 元, a given name).
    phone = document("GALAXY Noteを買った。GALAXY Noteの画面。GALAXY Noteは大きい。")
    assert len(ner_ja.consistent(phone, mentions_at(phone, "GALAXY Note", "PRODUCT", 0))) == 3
    model = document("モデルの美元さん。美元の話。美元が語った。")
    assert len(ner_ja.consistent(model, mentions_at(model, "美元", "PERSON", 0))) == 3
    # Occurrences inside a longer name found there are not counted.
    inside = document("ビールフェスタ東京。ビールフェスタ東京の会場。ビールを飲む。")
    festival = mentions_at(inside, "ビールフェスタ東京", "EVENT", 0, 1)
    result = ner_ja.consistent(inside, festival + mentions_at(inside, "ビール", "ORG", 2))
    assert sorted({m.text for m in result}) == ["ビール", "ビールフェスタ東京"]


def test_a_series_is_a_line_of_products_unless_a_country_holds_it(ctx: AnnotateContext) -> None:
    assert found(ctx, "東芝はK09シリーズとH09シリーズを発売した。") == [
        (0, "東芝", "ORG"), (0, "K09シリーズ", "PRODUCT"), (0, "H09シリーズ", "PRODUCT")]
    assert (0, "日本シリーズ", "EVENT") in found(ctx, "巨人は日本シリーズで優勝した。")


def test_brackets_after_a_kind_of_work_hold_its_title(ctx: AnnotateContext) -> None:
    assert found(ctx, "彼は映画『パリの城』に主演し、ドラマ「東京湾岸署」にも出演した。") == [
        (0, "パリの城", "PRODUCT"), (0, "東京湾岸署", "PRODUCT")]
    assert found(ctx, "監督は映画『京都』を撮り終えた。") == [(0, "京都", "PRODUCT")]
    assert found(ctx, "城跡で知られる『大阪城』の天守閣を訪ねた。") == [(0, "大阪城", "PLACE")]  # no work named


def test_an_adjectival_noun_used_as_one_is_no_name(ctx: AnnotateContext) -> None:
    """The recogniser takes スピーディ for an organisation; the document says スピーディに
    なった, as of an adjective. ユニバーサル, also one to the dictionary, is never
    written so there and stays a company."""
    assert found(ctx, "作業がスピーディになった。スピーディに進む。") == []
    assert found(ctx, "ユニバーサルと契約し、ユニバーサルに移籍した。") == [
        (0, "ユニバーサル", "ORG"), (0, "ユニバーサル", "ORG")]


def test_settings_name_the_model_versions(ctx: AnnotateContext) -> None:
    assert ner_ja.settings(ctx).startswith("ner_ja ")
    assert " ja_ginza " in ner_ja.settings(ctx)


def test_the_shipped_recogniser_loads_and_finds_the_five_types(ctx: AnnotateContext) -> None:
    recogniser = ctx.models.get(ner_ja.MODEL, ner_ja.load_model)
    assert recogniser.nlp.pipe_names[-1] == "ner"
    assert set(recogniser.nlp.get_pipe("ner").labels) == set(ENTITY_TYPES)
    assert all(0 < recogniser.confidence[kind] <= 1 for kind in ENTITY_TYPES)
    doc = recogniser.nlp("2019年、佐藤花子はトヨタ自動車に入社し、名古屋市で開かれた愛知万博の跡地を訪ねた。")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("佐藤花子", "PERSON") in ents
    assert ("トヨタ自動車", "ORG") in ents
    assert ("名古屋市", "PLACE") in ents
    assert ("愛知万博", "EVENT") in ents
    doc = recogniser.nlp("任天堂は新型ゲーム機「ニンテンドースイッチ」を発売し、東京ゲームショウに出展した。")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("ニンテンドースイッチ", "PRODUCT") in ents
    assert ("東京ゲームショウ", "EVENT") in ents


def test_recognised_types_in_a_sentence(ctx: AnnotateContext) -> None:
    result = found(ctx, "第二次世界大戦の後、ソニーの技術者は大阪府で田中一郎さんに会った。",
                   "村上春樹の小説『ノルウェイの森』は映画化された。")
    assert (0, "第二次世界大戦", "EVENT") in result
    assert (0, "ソニー", "ORG") in result
    assert (0, "大阪府", "PLACE") in result
    assert (0, "田中一郎", "PERSON") in result
    assert (1, "村上春樹", "PERSON") in result
    assert (1, "ノルウェイの森", "PRODUCT") in result


CONFIDENCE = {kind: 0.7 for kind in ENTITY_TYPES}


def spans_of(text: str, words: list[tuple[str, str]], ents: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """find_spans over hand-made Sudachi words and recogniser entities (surface, type), in text order."""
    tokens, position = [], 0
    for surface, tag in words:
        start = text.index(surface, position)
        tokens.append(ner_ja.Token(start, start + len(surface), tag))
        position = start + len(surface)
    at, position = [], 0
    for surface, kind in ents:
        start = text.index(surface, position)
        at.append((start, start + len(surface), kind))
        position = start + len(surface)
    return [(text[s.start:s.end], s.type) for s in ner_ja.find_spans(text, tokens, at, CONFIDENCE)]


def test_brackets_holding_someones_words_are_no_name() -> None:
    text = "「好きだ」と語った。「Meltykiss」は人気だ。"
    words = [("好き", "形状詞-一般"), ("だ", "助動詞"), ("Meltykiss", "名詞-普通名詞-一般")]
    assert spans_of(text, words, [("好きだ", "PRODUCT"), ("Meltykiss", "PRODUCT")]) == [("Meltykiss", "PRODUCT")]
    said = "彼は『森ガール』と言われた。"
    assert spans_of(said, [("森", "名詞-普通名詞-一般"), ("ガール", "名詞-普通名詞-一般")],
                    [("森ガール", "PRODUCT")]) == []


def test_brackets_that_ask_or_end_in_a_sentence_final_particle_hold_words_not_a_title() -> None:
    text = "声は「正直だな」「地元どこなの？」など。番組「すぽると！」と、ドラマ「男はつらいよ」。"
    words = [("正直", "形状詞-一般"), ("だ", "助動詞"), ("な", "助詞-終助詞"), ("地元", "名詞-普通名詞-一般"),
             ("どこ", "代名詞"), ("な", "助動詞"), ("の", "助詞-終助詞"), ("？", "補助記号-句点"),
             ("すぽると", "名詞-普通名詞-一般"), ("！", "補助記号-句点"), ("男", "名詞-普通名詞-一般"), ("は", "助詞-係助詞"),
             ("つらい", "形容詞-一般"), ("よ", "助詞-終助詞")]
    ents = [("正直だな", "PRODUCT"), ("地元どこなの？", "PRODUCT"), ("すぽると！", "PRODUCT"), ("男はつらいよ", "PRODUCT")]
    assert spans_of(text, words, ents) == [("すぽると！", "PRODUCT"), ("男はつらいよ", "PRODUCT")]
    # Outside brackets too a span ending in such a particle is words, unless a name comes
    # before it: the tagger may read a given name's last kana as one (サエキけん + ぞう).
    text = "やっぱり抱き枕よね。活躍中のサエキけんぞう、"
    words = [("抱き枕", "名詞-普通名詞-一般"), ("よ", "助詞-終助詞"), ("ね", "助詞-終助詞"),
             ("サエキ", "名詞-固有名詞-人名-姓"), ("けん", "名詞-固有名詞-人名-名"), ("ぞう", "助詞-終助詞")]
    ents = [("抱き枕よね", "PRODUCT"), ("サエキけんぞう", "PERSON")]
    assert spans_of(text, words, ents) == [("サエキけんぞう", "PERSON")]


def test_a_title_the_recogniser_missed_after_a_kind_of_work_is_found() -> None:
    text = "映画「その夜、町は眠った」を観て、「今日は眠い」と言った。"
    words = [("映画", "名詞-普通名詞-一般"), ("その", "連体詞"), ("夜", "名詞-普通名詞-副詞可能"), ("町", "名詞-普通名詞-一般"),
             ("眠っ", "動詞-一般"), ("今日", "名詞-普通名詞-副詞可能"), ("眠い", "形容詞-一般")]
    assert spans_of(text, words, []) == [("その夜、町は眠った", "PRODUCT")]
    # A part of the title the recogniser saw stands for the whole of it.
    text = "映画『山田、部活やめるってよ』を観た。"
    words = [("映画", "名詞-普通名詞-一般"), ("山田", "名詞-固有名詞-人名-姓"), ("部活", "名詞-普通名詞-一般")]
    assert spans_of(text, words, [("山田", "PERSON")]) == [("山田、部活やめるってよ", "PRODUCT")]


def test_a_description_joined_by_an_equals_sign_is_cut_off_a_name() -> None:
    text = "日本代表＝なでしこジャパンが勝ち、ジャン＝ポール・サルトルが来た。"
    words = [("日本", "名詞-固有名詞-地名-国"), ("代表", "名詞-普通名詞-一般"), ("＝", "補助記号-一般"),
             ("なでしこジャパン", "名詞-固有名詞-一般"), ("ジャン", "名詞-固有名詞-人名-名"), ("＝", "補助記号-一般"),
             ("ポール", "名詞-固有名詞-人名-名"), ("・", "補助記号-一般"), ("サルトル", "名詞-固有名詞-人名-姓")]
    ents = [("日本代表＝なでしこジャパン", "ORG"), ("ジャン＝ポール・サルトル", "PERSON")]
    assert spans_of(text, words, ents) == [("なでしこジャパン", "ORG"), ("ジャン＝ポール・サルトル", "PERSON")]


def test_a_country_written_before_a_foreign_name_is_a_place_of_its_own() -> None:
    text = "米グーグルと英国BBC、米Appleが出た。米国ロサンゼルスで英国アカデミー賞。"
    words = [("米", "名詞-固有名詞-地名-国"), ("グーグル", "名詞-固有名詞-一般"), ("英国", "名詞-固有名詞-地名-国"),
             ("BBC", "名詞-固有名詞-一般"), ("Apple", "名詞-固有名詞-一般"), ("米国", "名詞-固有名詞-地名-国"),
             ("ロサンゼルス", "名詞-固有名詞-地名-一般"), ("アカデミー", "名詞-普通名詞-一般"), ("賞", "接尾辞-名詞的-一般")]
    ents = [("米グーグル", "ORG"), ("英国BBC", "ORG"), ("Apple", "PRODUCT"), ("米国ロサンゼルス", "PLACE"),
            ("英国アカデミー賞", "ORG")]
    assert spans_of(text, words, ents) == [
        ("米", "PLACE"), ("グーグル", "ORG"), ("英国", "PLACE"), ("BBC", "ORG"), ("米", "PLACE"), ("Apple", "ORG"),
        ("米国ロサンゼルス", "PLACE"), ("英国アカデミー賞", "PRODUCT")]  # places and awards keep their country
    # Not in a compound (訪米), nor before a one-letter katakana word (米ソ), nor 日 (日ハム is a name).
    words = [("訪米", "名詞-普通名詞-サ変可能"), ("グーグル", "名詞-固有名詞-一般"), ("日ハム", "名詞-固有名詞-一般")]
    assert spans_of("訪米グーグルと日ハム。", words, [("米グーグル", "ORG"), ("日ハム", "ORG")]) == [
        ("米グーグル", "ORG"), ("日ハム", "ORG")]


def test_places_joined_by_a_dot_are_places_of_their_own() -> None:
    text = "東京・後楽園ホールと東北線・高崎線、リオ・デ・ジャネイロとブルックリン・ブリッジ。"
    words = [("東京", "名詞-固有名詞-地名-一般"), ("・", "補助記号-一般"), ("後楽園", "名詞-固有名詞-地名-一般"),
             ("ホール", "名詞-普通名詞-一般"), ("東北線", "名詞-固有名詞-一般"), ("・", "補助記号-一般"),
             ("高崎線", "名詞-固有名詞-一般"), ("リオ・デ・ジャネイロ", "名詞-固有名詞-地名-一般"),
             ("ブルックリン", "名詞-固有名詞-地名-一般"), ("・", "補助記号-一般"), ("ブリッジ", "名詞-普通名詞-一般")]
    ents = [("東京・後楽園ホール", "PLACE"), ("東北線・高崎線", "PLACE"), ("リオ・デ・ジャネイロ", "PLACE"),
            ("ブルックリン・ブリッジ", "PLACE")]
    assert spans_of(text, words, ents) == [
        ("東京", "PLACE"), ("後楽園ホール", "PLACE"), ("東北線", "PLACE"), ("高崎線", "PLACE"),
        ("リオ・デ・ジャネイロ", "PLACE"), ("ブルックリン・ブリッジ", "PLACE")]


def test_countries_listed_under_another_type_are_places() -> None:
    text = "フランス・スペイン国境とボルシア・ドルトムント。"
    words = [("フランス", "名詞-固有名詞-地名-国"), ("・", "補助記号-一般"), ("スペイン", "名詞-固有名詞-地名-国"),
             ("国境", "名詞-普通名詞-一般"), ("ボルシア", "名詞-固有名詞-地名-一般"), ("・", "補助記号-一般"),
             ("ドルトムント", "名詞-固有名詞-地名-一般")]
    ents = [("フランス・スペイン", "ORG"), ("ボルシア・ドルトムント", "ORG")]
    assert spans_of(text, words, ents) == [("フランス", "PLACE"), ("スペイン", "PLACE"), ("ボルシア・ドルトムント", "ORG")]


def test_countries_the_recogniser_passed_over_are_found_outside_names() -> None:
    doc = document("日本人の多くは日本代表を応援し、日本語で話す。東日本とタイトルとイギリス英語。", "日本代表が勝った。")
    mentions = ner_ja.consistent(doc, [Mention(1, 0, 4, "日本代表", "ORG", None, "ner", 0.8)])
    assert [(m.block, m.text, m.type) for m in mentions] == [
        (0, "日本", "PLACE"), (0, "日本代表", "ORG"), (0, "東日本", "PLACE"), (0, "イギリス", "PLACE"),
        (1, "日本代表", "ORG")]  # not 日本語, nor タイ in タイトル


def test_ministries_and_agencies_the_model_missed_are_organisations() -> None:
    text = "金融庁と中央省庁と官庁。"
    words = [("金融庁", "名詞-普通名詞-一般"), ("中央", "名詞-普通名詞-一般"), ("省庁", "名詞-普通名詞-一般"),
             ("官庁", "名詞-普通名詞-一般")]
    assert spans_of(text, words, []) == [("金融庁", "ORG")]


def test_a_prefix_and_common_nouns_name_no_one() -> None:
    words = [("現", "接頭辞"), ("政権", "名詞-普通名詞-一般")]
    assert spans_of("現政権が決めた。", words, [("現政権", "ORG")]) == []
    words = [("米国", "名詞-固有名詞-地名-国"), ("政権", "名詞-普通名詞-一般")]
    assert spans_of("米国政権が決めた。", words, [("米国政権", "ORG")]) == [("米国政権", "ORG")]


def test_punctuation_is_cut_from_a_start_and_line_breaks_end_no_name() -> None:
    text = "遊ぼう！ジェットスターグランプリが始まる。\n雅子\nあれは"
    words = [("！", "補助記号-一般"), ("ジェットスター", "名詞-固有名詞-一般"), ("グランプリ", "名詞-普通名詞-一般"),
             ("雅子", "名詞-固有名詞-人名-名"), ("あれ", "代名詞")]
    found = spans_of(text, words, [("！ジェットスターグランプリ", "EVENT"), ("雅子\nあれ", "PERSON")])
    assert found == [("ジェットスターグランプリ", "EVENT")]


def test_page_titles_prices_and_closing_brackets_end_a_name() -> None:
    """Lists of links and products in news pages: what follows the name is not part of it."""
    words = [("スパルタカス", "名詞-固有名詞-一般"), ("MOVIE", "名詞-普通名詞-一般"), ("ENTER", "名詞-普通名詞-一般"),
             ("」", "補助記号-括弧閉")]
    assert spans_of("「スパルタカス - MOVIE ENTER」", words, [("スパルタカス - MOVIE ENTER", "PRODUCT")]) == [
        ("スパルタカス", "PRODUCT")]
    words = [("EP-905A", "名詞-普通名詞-一般"), ("4万", "名詞-数詞"), ("円", "名詞-普通名詞-助数詞可能")]
    assert spans_of("新型EP-905A：4万円で", words, [("EP-905A：4万円", "PRODUCT")]) == [("EP-905A", "PRODUCT")]
    words = [("スパルタカス", "名詞-固有名詞-一般"), ("』", "補助記号-括弧閉"), ("特集", "名詞-普通名詞-サ変可能")]
    assert spans_of("『スパルタカス』特集", words, [("スパルタカス』特集", "PRODUCT")]) == [("スパルタカス", "PRODUCT")]
    words = [("山田", "名詞-固有名詞-人名-姓"), ("さん", "接尾辞-名詞的-一般"), ("32", "名詞-数詞")]
    assert spans_of("山田さん／32歳は", words, [("山田さん／32歳", "PERSON")]) == [("山田", "PERSON")]


def test_one_word_ending_like_an_event_is_kept() -> None:
    words = [("東日本大震災", "名詞-普通名詞-一般")]
    assert spans_of("東日本大震災の後", words, [("東日本大震災", "EVENT")]) == [("東日本大震災", "EVENT")]
    assert spans_of("大震災の後", [("大震災", "名詞-普通名詞-一般")], [("大震災", "EVENT")]) == []


def test_one_compound_word_with_a_generic_head_is_no_name() -> None:
    assert spans_of("大規模言語モデルの", [("大規模言語モデル", "名詞-普通名詞-一般")],
                    [("大規模言語モデル", "ORG")]) == []
    assert spans_of("スーパーコンピュータに", [("スーパーコンピュータ", "名詞-普通名詞-一般")],
                    [("スーパーコンピュータ", "PERSON")]) == []
    assert spans_of("チョルゼンパは", [("チョルゼンパ", "名詞-普通名詞-一般")],
                    [("チョルゼンパ", "PERSON")]) == [("チョルゼンパ", "PERSON")]


def test_one_katakana_word_may_be_a_place_and_a_longer_prefixed_phrase_a_name() -> None:
    assert spans_of("ヨークの", [("ヨーク", "名詞-普通名詞-一般")], [("ヨーク", "PLACE")]) == [("ヨーク", "PLACE")]
    words = [("大", "接頭辞"), ("同盟", "名詞-普通名詞-一般"), ("戦争", "名詞-普通名詞-一般")]
    assert spans_of("大同盟戦争の", words, [("大同盟戦争", "EVENT")]) == [("大同盟戦争", "EVENT")]


def test_paragraphs_seen_before_are_not_read_again(ctx: AnnotateContext, monkeypatch) -> None:
    paragraphs = ["山田太郎氏は東京大学の教授だ。", "トヨタ自動車は大阪で新型車を発表した。", "岸田文雄首相が会見した。"]
    first = ner_ja.annotate(document(*paragraphs), ctx).mentions
    recogniser = ctx.models.get(ner_ja.MODEL, ner_ja.load_model)
    read: list[str] = []
    pipe = recogniser.nlp.pipe

    def counted(texts, **kwargs):
        texts = list(texts)
        read.extend(texts)
        return pipe(texts, **kwargs)

    monkeypatch.setattr(recogniser.nlp, "pipe", counted)
    edited = [paragraphs[0], "ソニーグループは東京で決算を発表した。", paragraphs[2]]
    again = ner_ja.annotate(document(*edited), ctx).mentions
    assert read == [edited[1]]  # the edited paragraph alone
    fresh = ner_ja.Recogniser(recogniser.nlp, recogniser.confidence)  # remembers nothing
    monkeypatch.setattr(recogniser.nlp, "pipe", pipe)
    alone = AnnotateContext(names=("ner",), registry=Registry.empty(), models=Models({ner_ja.MODEL: fresh}))
    assert again == ner_ja.annotate(document(*edited), alone).mentions
    assert [m for m in again if m.block != 1] == [m for m in first if m.block != 1]


def test_one_katakana_word_the_dictionary_knows_as_a_common_noun_is_no_person() -> None:
    """ユーザー and ヒーロー are in Sudachi's dictionary as common nouns; a foreign name it
    does not know (チョルゼンパ) is tagged common too, and stays a person, as does a common
    noun marked as someone's name by an honorific."""
    for word in ("ユーザー", "ヒーロー"):
        assert spans_of(f"{word}が増えた。", [(word, "名詞-普通名詞-一般")], [(word, "PERSON")]) == []
    assert spans_of("チョルゼンパが来た。", [("チョルゼンパ", "名詞-普通名詞-一般")],
                    [("チョルゼンパ", "PERSON")]) == [("チョルゼンパ", "PERSON")]
    assert spans_of("パックンさんが来た。", [("パックン", "名詞-普通名詞-一般"), ("さん", "接尾辞-名詞的-一般")],
                    [("パックン", "PERSON")]) == [("パックン", "PERSON")]


def test_latin_words_ending_in_a_model_number_are_a_product_not_an_event_or_a_company() -> None:
    words = [("GALAXY", "名詞-固有名詞-一般"), (" ", "空白"), ("SIII", "名詞-普通名詞-一般"), (" ", "空白"),
             ("SC-06D", "名詞-普通名詞-一般")]
    text = "新型GALAXY SIII SC-06Dが出た。"
    for seen in ("EVENT", "ORG"):
        assert spans_of(text, words, [("GALAXY SIII SC-06D", seen)]) == [("GALAXY SIII SC-06D", "PRODUCT")]
    words = [("NTT", "名詞-固有名詞-一般"), (" ", "空白"), ("DOCOMO", "名詞-普通名詞-一般")]
    assert spans_of("NTT DOCOMOが出した。", words, [("NTT DOCOMO", "ORG")]) == [("NTT DOCOMO", "ORG")]
    words = [("COMPUTEX", "名詞-普通名詞-一般"), (" ", "空白"), ("TAIPEI", "名詞-固有名詞-地名-一般"), (" ", "空白"),
             ("2012", "名詞-数詞")]
    text = "COMPUTEX TAIPEI 2012が開幕。"
    assert spans_of(text, words, [("COMPUTEX TAIPEI 2012", "EVENT")]) == [("COMPUTEX TAIPEI 2012", "EVENT")]
