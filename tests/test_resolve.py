"""Resolution: mentions to entities, quotes to speakers; and the built-in places."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from archivist import places
from archivist.annotators import AnnotateContext, Models, annotate, ner_ja
from archivist.model import Annotations, Block, Document, Mention, Quote
from archivist.registry import Registry, load_registry
from archivist.resolve import resolve

SEED = Path(__file__).resolve().parents[1] / "site" / "content" / "000_1e3ef660da145d7e.txt"


def doc(doc_id: str, *texts: str, lang: str = "ja") -> Document:
    return Document(doc_id, doc_id, f"{doc_id}.txt", lang, "t", [Block("paragraph", t) for t in texts])


def mentions_of(document: Document, *names: tuple[str, str]) -> list[Mention]:
    """Mentions of (surface, type) at each of their occurrences, in reading order."""
    found = []
    for index, block in enumerate(document.blocks):
        for surface, kind in names:
            for match in re.finditer(re.escape(surface), block.text):
                found.append(Mention(index, match.start(), match.end(), surface, kind, None, "ner", 0.8))
    found.sort(key=lambda m: (m.block, m.start, -m.end))
    kept: list[Mention] = []
    for m in found:  # nested occurrences (カープ inside アレックス・カープ) left out
        if not kept or kept[-1].block != m.block or kept[-1].end <= m.start:
            kept.append(m)
    return kept


def quote_at(document: Document, block: int, text: str, speaker: str | None, kind: str = "direct") -> Quote:
    block_text = document.blocks[block].text
    start = block_text.index(text)
    speaker_start = block_text.index(speaker) if speaker else None
    return Quote(block, start, start + len(text), text, kind, None, "と語った", speaker, speaker_start)


def entity_of(result: dict[str, Annotations], doc_id: str, surface: str) -> str:
    return next(m.entity for m in result[doc_id].mentions if m.text == surface)


def test_surname_with_honorific_links_to_the_full_name() -> None:
    d = doc("a", "アレックス・カープ氏は語った。", "カープ氏はまた、山田太郎氏と会った。山田氏は笑った。")
    ann = Annotations(mentions_of(d, ("アレックス・カープ", "PERSON"), ("カープ", "ORG"),
                                  ("山田太郎", "PERSON"), ("山田", "PERSON")))
    result, entities = resolve([d], {"a": ann}, Registry.empty())
    assert entity_of(result, "a", "カープ") == entity_of(result, "a", "アレックス・カープ") == "person/アレックス-カープ"
    assert entity_of(result, "a", "山田") == "person/山田太郎"
    karp = next(e for e in entities if e.id == "person/アレックス-カープ")
    assert (karp.name, karp.aliases) == ("アレックス・カープ", ["カープ"])
    assert all(m.type == "PERSON" for m in result["a"].mentions)


def test_latin_and_katakana_spellings_of_one_name_are_one_entity() -> None:
    d = doc("a", "アレクサンドラ・ムサヴィザデ氏はEvidentのCEO。", "Mousavizadeh氏は語った。ムサヴィザデ氏も。",
            "DeepSeekは、ディープシークとも書く。")
    ann = Annotations(mentions_of(d, ("アレクサンドラ・ムサヴィザデ", "PERSON"), ("Mousavizadeh", "PERSON"),
                                  ("ムサヴィザデ", "PERSON"), ("DeepSeek", "ORG"), ("ディープシーク", "ORG")))
    result, _ = resolve([d], {"a": ann}, Registry.empty())
    person = entity_of(result, "a", "アレクサンドラ・ムサヴィザデ")
    assert entity_of(result, "a", "Mousavizadeh") == entity_of(result, "a", "ムサヴィザデ") == person
    assert entity_of(result, "a", "ディープシーク") == entity_of(result, "a", "DeepSeek") != person


def test_acronym_in_brackets_and_short_company_names_join_the_full_name() -> None:
    d = doc("a", "カリフォルニア大学ロサンゼルス校(UCLA)の教授。パランティア・テクノロジーズのCEO。",
            "UCLAは大学。パランティアは企業。ポール・ウォーカー（ブライアン）が主演。")
    ann = Annotations(mentions_of(d, ("カリフォルニア大学ロサンゼルス校", "ORG"), ("UCLA", "ORG"),
                                  ("パランティア・テクノロジーズ", "ORG"), ("パランティア", "ORG"),
                                  ("ポール・ウォーカー", "PERSON"), ("ブライアン", "PERSON")))
    result, _ = resolve([d], {"a": ann}, Registry.empty())
    assert entity_of(result, "a", "UCLA") == entity_of(result, "a", "カリフォルニア大学ロサンゼルス校")
    assert entity_of(result, "a", "パランティア") == entity_of(result, "a", "パランティア・テクノロジーズ")
    assert entity_of(result, "a", "ブライアン") != entity_of(result, "a", "ポール・ウォーカー")  # a role, not a gloss


def test_unlike_spellings_stay_apart_unless_the_registry_joins_them(tmp_path: Path) -> None:
    d = doc("a", "Jozempa氏とヨゼンプ氏。")
    ann = Annotations(mentions_of(d, ("Jozempa", "PERSON"), ("ヨゼンプ", "PERSON")))
    result, _ = resolve([d], {"a": ann}, Registry.empty())
    assert entity_of(result, "a", "Jozempa") != entity_of(result, "a", "ヨゼンプ")
    path = tmp_path / "entities.toml"
    path.write_text('[[entity]]\nname = "Martin Chorzempa"\ntype = "PERSON"\n'
                    'aliases = ["Jozempa", "ヨゼンプ"]\n', encoding="utf-8")
    result, entities = resolve([d], {"a": ann}, load_registry(path))
    assert {m.entity for m in result["a"].mentions} == {"person/martin-chorzempa"}
    assert entities[0].registry and entities[0].name == "Martin Chorzempa"


def test_spaces_beside_japanese_script_do_not_split_a_name_across_the_archive() -> None:
    a, b = doc("a", "映画『貞子 3D』が公開された。Power Systemsも出た。"), doc("b", "『貞子3D』を観た。PowerSystemsは別物。")
    names = (("貞子 3D", "PRODUCT"), ("貞子3D", "PRODUCT"), ("Power Systems", "PRODUCT"), ("PowerSystems", "PRODUCT"))
    result, _ = resolve([a, b], {d.id: Annotations(mentions_of(d, *names)) for d in (a, b)}, Registry.empty())
    assert entity_of(result, "a", "貞子 3D") == entity_of(result, "b", "貞子3D")
    assert entity_of(result, "a", "Power Systems") != entity_of(result, "b", "PowerSystems")  # Latin words keep theirs


def test_the_registry_wins_over_type_and_surname_rules(tmp_path: Path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text('[[entity]]\nname = "ブルッキングス研究所"\ntype = "ORG"\nslug = "brookings"\n'
                    'aliases = ["ブルッキングス"]\n', encoding="utf-8")
    d = doc("a", "ジョン・ブルッキングス氏とブルッキングス氏。")
    ann = Annotations(mentions_of(d, ("ジョン・ブルッキングス", "PERSON"), ("ブルッキングス", "PERSON")))
    result, _ = resolve([d], {"a": ann}, load_registry(path))
    short = result["a"].mentions[1]
    assert (short.entity, short.type) == ("org/brookings", "ORG")


def test_country_variants_are_one_place() -> None:
    ja = doc("a", "米国とアメリカ、米中関係、合衆国。")
    en = doc("b", "The U.S. and the United States.", lang="en")
    ann_ja = Annotations(mentions_of(ja, ("米国", "PLACE"), ("アメリカ", "PLACE"), ("米", "PLACE"),
                                     ("中", "PLACE"), ("合衆国", "PLACE")))
    ann_en = Annotations(mentions_of(en, ("U.S.", "PLACE"), ("United States", "PLACE")))
    result, entities = resolve([ja, en], {"a": ann_ja, "b": ann_en}, Registry.empty())
    ids = {m.text: m.entity for r in result.values() for m in r.mentions}
    assert {ids[s] for s in ("米国", "アメリカ", "米", "合衆国", "U.S.", "United States")} == {"place/united-states"}
    assert ids["中"] == "place/china"
    us = next(e for e in entities if e.id == "place/united-states")
    assert us.name == "アメリカ合衆国"  # most of its mentions are in Japanese documents
    assert "U.S." in us.aliases and "米" in us.aliases
    _, english_only = resolve([en], {"b": ann_en}, Registry.empty())
    assert english_only[0].name == "United States"


def test_places_lookup_and_compounds() -> None:
    assert places.place_for("the United States").key == "united-states"
    assert places.place_for("ＵＳＡ").key == "united-states"
    assert places.place_for("米") is None and places.short_form("米").key == "united-states"
    assert [(s, e, p.key) for s, e, p in places.find_compounds("日米韓首脳会談と対中輸出")] == [
        (0, 1, "japan"), (1, 2, "united-states"), (2, 3, "south-korea"), (9, 10, "china")]
    assert places.find_compounds("毎日米を炊く。米中間選挙。日中は暑い。対中国") == []
    assert len(places.PLACES) >= 50 and len({p.key for p in places.PLACES}) == len(places.PLACES)


def test_pronoun_speakers_take_the_last_person_outside_quotes() -> None:
    d = doc("a", "山田花子氏は東京で語った。", "彼女は、「田中一郎氏は正しい」と語った。", "同社は「順調だ」と語った。")
    d.blocks.insert(0, Block("paragraph", "みなと商事の発表。"))
    ann = Annotations(
        mentions_of(d, ("みなと商事", "ORG"), ("山田花子", "PERSON"), ("田中一郎", "PERSON")),
        [quote_at(d, 2, "田中一郎氏は正しい", "彼女"), quote_at(d, 3, "順調だ", "同社", "partial")],
    )
    result, _ = resolve([d], {"a": ann}, Registry.empty())
    assert [q.speaker for q in result["a"].quotes] == ["person/山田花子", "org/みなと商事"]


def test_speaker_words_overlap_match_or_make_a_person() -> None:
    d = doc("a", "記者の山田花子氏は「晴れ」と語った。", "鈴木氏は「雨」と語った。佐藤は「曇り」と語った。",
            "山田花子は「雪」と語った。「まだ降る。」")
    ann = Annotations(
        mentions_of(d, ("山田花子", "PERSON")),
        [quote_at(d, 0, "晴れ", "山田花子"), quote_at(d, 1, "雨", "鈴木"), quote_at(d, 1, "曇り", "佐藤"),
         quote_at(d, 2, "雪", "山田花子"), quote_at(d, 2, "まだ降る。", None)],
    )
    ann.quotes[-1].cue = None
    result, entities = resolve([d], {"a": ann}, Registry.empty())
    speakers = [q.speaker for q in result["a"].quotes]
    # marked by 氏: a new person; unmarked and unknown: nobody; a sentence going on: the last speaker
    assert speakers == ["person/山田花子", "person/鈴木", None, "person/山田花子", "person/山田花子"]
    assert "person/鈴木" in {e.id for e in entities}


def test_ids_are_stable_and_collisions_numbered() -> None:
    a = doc("a", "A B and A-B met.", lang="en")
    b = doc("b", "A B again.", lang="en")
    ann_a = Annotations(mentions_of(a, ("A B", "PERSON"), ("A-B", "PERSON")))
    ann_b = Annotations(mentions_of(b, ("A B", "PERSON")))
    first, entities = resolve([a, b], {"a": ann_a, "b": ann_b}, Registry.empty())
    second, again = resolve([b, a], {"a": ann_a, "b": ann_b}, Registry.empty())
    assert first == second and entities == again
    assert [e.id for e in entities] == ["person/a-b", "person/a-b-2"]
    assert entity_of(first, "b", "A B") == entity_of(first, "a", "A B") == "person/a-b"


def seed_document() -> Document:
    """The seed's body paragraphs, split naively at the spaces that join them."""
    body = SEED.read_text(encoding="utf-8").split("\n")[1].strip()
    paragraphs = [p for p in re.split(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", body) if p]
    return doc("seed", *paragraphs)


@pytest.fixture(scope="module")
def seed() -> tuple[Document, Annotations]:
    document = seed_document()
    models = Models()
    models.get(ner_ja.MODEL, ner_ja.load_model)
    ctx = AnnotateContext(names=("registry", "ner", "english", "quotes"), registry=Registry.empty(), models=models)
    result, _ = resolve([document], {"seed": annotate(document, ctx)}, Registry.empty())
    return document, result["seed"]


def speaker_of(seed: tuple[Document, Annotations], quote_start: str) -> str | None:
    return next(q.speaker for q in seed[1].quotes if q.text.startswith(quote_start))


def test_seed_entities(seed: tuple[Document, Annotations]) -> None:
    types = {(m.text, m.type) for m in seed[1].mentions}
    assert ("ブルッキングス研究所", "ORG") in types
    assert ("マーティン・チョルゼンパ", "PERSON") in types
    assert {m.entity for m in seed[1].mentions if m.text in ("米国", "アメリカ")} == {"place/united-states"}
    assert {m.entity for m in seed[1].mentions if m.text in ("カープ", "アレックス・カープ")} == {
        "person/アレックス-カープ"}


def test_seed_speakers(seed: tuple[Document, Annotations]) -> None:
    assert speaker_of(seed, "10年後に振り返ったとき") == "person/ジョン-ビラセノール"
    assert speaker_of(seed, "メリットとデメリット") == "person/マーティン-チョルゼンパ"
    assert speaker_of(seed, "実際、現在の傾向として") == "person/アレクサンドラ-ムサヴィザデ"
    assert speaker_of(seed, "こうした制約により") == "person/アレクサンドラ-ムサヴィザデ"  # 彼女 after Mousavizadeh
    assert speaker_of(seed, "派生型") == "person/アレックス-カープ"
    assert speaker_of(seed, "現在、我々はリードしており") == "person/アレックス-カープ"  # goes on
    kinds = [q.kind for q in seed[1].quotes]
    assert len(kinds) == 23 and kinds.count("direct") == 15 and kinds.count("document") == 3


def speakers_of(document: Document, ann: Annotations) -> list[str | None]:
    result, _ = resolve([document], {document.id: ann}, Registry.empty())
    return [q.speaker for q in result[document.id].quotes]


def unnamed(document: Document, block: int, text: str, cue: str | None = None, kind: str = "direct") -> Quote:
    quote = quote_at(document, block, text, None, kind)
    quote.cue = cue
    return quote


def test_a_pronoun_is_the_last_person_named_as_a_subject_not_as_an_object() -> None:
    d = doc("a", "テイラーはジョンを演じた。彼は「楽しかった」と語った。")
    ann = Annotations(mentions_of(d, ("テイラー", "PERSON"), ("ジョン", "PERSON")), [quote_at(d, 0, "楽しかった", "彼")])
    assert speakers_of(d, ann) == ["person/テイラー"]


def test_anaphors_and_bare_titles_find_who_holds_the_title() -> None:
    d = doc("a", "山田秀雄弁護士の見解。鈴木一郎氏も出席した。同弁護士は「問題ない」としている。",
            "ガイ・リッチー監督の新作。監督は「最高だ」と語った。", "みなと商事の発表。同社の関係者は「順調だ」と語った。")
    ann = Annotations(mentions_of(d, ("山田秀雄", "PERSON"), ("鈴木一郎", "PERSON"), ("ガイ・リッチー", "PERSON"),
                                  ("みなと商事", "ORG")),
                      [quote_at(d, 0, "問題ない", "同弁護士"), quote_at(d, 1, "最高だ", "監督"), quote_at(d, 2, "順調だ", "同社")])
    assert speakers_of(d, ann) == ["person/山田秀雄", "person/ガイ-リッチー", "org/みなと商事"]


def test_a_title_after_a_country_or_former_is_still_a_bare_title() -> None:
    d = doc("a", "米教授「広告が原因」", "野村克也前監督の話題。前監督は「すごい」と語った。")
    ann = Annotations(mentions_of(d, ("野村克也", "PERSON")),
                      [quote_at(d, 0, "広告が原因", "米教授"), quote_at(d, 1, "すごい", "前監督")])
    assert speakers_of(d, ann) == [None, "person/野村克也"]  # no person named 米 or 前


def test_one_letter_before_a_title_is_no_name_unless_an_honorific_marks_it() -> None:
    d = doc("a", "楽天の番記者は「会えない」と語った。", "陸くんは「楽しい」と言った。", "李氏は「光栄です」と語った。")
    ann = Annotations([], [quote_at(d, 0, "会えない", "番記者"), quote_at(d, 1, "楽しい", "陸くん"),
                           quote_at(d, 2, "光栄です", "李氏")])
    assert speakers_of(d, ann) == [None, "person/陸", "person/李"]


def test_the_paragraph_above_introduces_the_speaker() -> None:
    d = doc("a", "CEOのジョン・スミスはこう語る。", "「素晴らしい製品です」", "・TBS「朝の番組」山田太郎", "「驚きました」",
            "佐藤花子さん（30歳）は悩んでいる。", "「毎日がつらいんです」",
            "佐藤花子さんの話題に、ネット掲示板では意見が相次いだ。", "「ひどい話だ」")
    ann = Annotations(mentions_of(d, ("ジョン・スミス", "PERSON"), ("山田太郎", "PERSON"), ("佐藤花子", "PERSON")),
                      [unnamed(d, 1, "素晴らしい製品です", "こう語る"), quote_at(d, 2, "朝の番組", None, "term"),
                       unnamed(d, 3, "驚きました"), unnamed(d, 5, "毎日がつらいんです"), unnamed(d, 7, "ひどい話だ")])
    assert speakers_of(d, ann) == ["person/ジョン-スミス", None, "person/山田太郎", "person/佐藤花子", None]


def test_a_word_in_quotes_above_does_not_hide_who_the_paragraph_is_about() -> None:
    d = doc("a", "佐藤花子さん（30歳）は“抱っこ紐“で驚いたという。", "「パパが多かったんです」")
    ann = Annotations(mentions_of(d, ("佐藤花子", "PERSON")),
                      [quote_at(d, 0, "抱っこ紐", None, "term"), unnamed(d, 1, "パパが多かったんです")])
    assert speakers_of(d, ann) == [None, "person/佐藤花子"]


def test_a_subjectless_report_goes_on_from_the_last_speaker_unless_someone_else_came_between() -> None:
    d = doc("a", "田中は「勝ちます」と語った。", "試合後には「満足です」と笑顔を見せた。", "その後「満足か」と聞かれた。",
            "鈴木も出場した。", "最後に「疲れた」と漏らした。")
    ann = Annotations(mentions_of(d, ("田中", "PERSON"), ("鈴木", "PERSON")),
                      [quote_at(d, 0, "勝ちます", "田中"), unnamed(d, 1, "満足です", "と笑顔を見せた"),
                       unnamed(d, 2, "満足か", "と聞かれた"), unnamed(d, 4, "疲れた", "と漏らした")])
    assert speakers_of(d, ann) == ["person/田中", "person/田中", None, None]


def test_words_said_to_the_subject_do_not_make_their_speaker_go_on() -> None:
    d = doc("a", "山本は番組で渡辺社長から「準備しろ」と叱られた。", "さらに「悔しかったです」と振り返った。")
    said_to = quote_at(d, 0, "準備しろ", "渡辺")
    said_to.cue = "と叱られた"
    ann = Annotations(mentions_of(d, ("山本", "PERSON"), ("渡辺", "PERSON")),
                      [said_to, unnamed(d, 1, "悔しかったです", "と振り返った")])
    assert speakers_of(d, ann) == ["person/渡辺", None]  # not 渡辺, who said the words to 山本


def test_anonymous_sources_and_unknown_groups() -> None:
    d = doc("a", "ネット掲示板では「ひどい」と話題だ。被告側の弁護団は「不当だ」と述べた。清水サポーターからは「残念」との声。")
    quotes = [quote_at(d, 0, "ひどい", "ネット掲示板"), quote_at(d, 0, "不当だ", "弁護団"),
              quote_at(d, 0, "残念", "清水サポーター")]  # a club's supporters, not a person named 清水
    result, entities = resolve([d], {"a": Annotations(mentions_of(d, ("清水", "PERSON")), quotes)}, Registry.empty())
    assert [q.speaker for q in result["a"].quotes] == [None, "org/弁護団", None]
    assert [(e.id, e.type) for e in entities] == [("org/弁護団", "ORG"), ("person/清水", "PERSON")]


def test_english_pronouns_take_the_last_subject_not_the_last_name() -> None:
    d = doc("a", "Rui Mendes, a partner at Blue Ventures, said the deal was done.", "“It took a year,” she said.",
            lang="en")
    ann = Annotations(mentions_of(d, ("Ventures", "PERSON")), [quote_at(d, 1, "It took a year,", "she")])
    assert speakers_of(d, ann) == ["person/rui-mendes"]


def test_english_names_and_organisations_nobody_mentioned() -> None:
    d = doc("a", "The Harbour City Council voted on Tuesday. The Lakeside Rowing Club named a coach.",
            "“We will act,” a council spokesperson said. “Welcome,” said Maria Lopez.",
            "“Good news,” according to a statement from the club's board.", lang="en")
    ann = Annotations(mentions_of(d, ("Harbour City Council", "ORG")),
                      [quote_at(d, 1, "We will act,", "a council spokesperson"), quote_at(d, 1, "Welcome,", "Maria Lopez"),
                       quote_at(d, 2, "Good news,", "the club's board")])
    assert speakers_of(d, ann) == ["org/harbour-city-council", "person/maria-lopez", "org/lakeside-rowing-club"]


def test_a_heading_repeating_a_quote_takes_its_speaker() -> None:
    d = doc("a", "“A fair deal”", "“We want a fair deal for everyone,” said Joan Miller.", lang="en")
    ann = Annotations([], [quote_at(d, 0, "A fair deal", None, "partial"),
                           quote_at(d, 1, "We want a fair deal for everyone,", "Joan Miller")])
    assert speakers_of(d, ann) == ["person/joan-miller", "person/joan-miller"]


def test_a_spelling_shown_in_one_document_joins_that_name_across_the_archive() -> None:
    both = doc("a", "ドコモ（docomo）は発表した。docomoの新機種。")
    latin = doc("b", "docomoの新料金。")
    katakana = doc("c", "ドコモが値下げ。")
    docs = [both, latin, katakana]
    names = (("ドコモ", "ORG"), ("docomo", "ORG"))
    ann = {d.id: Annotations(mentions_of(d, *names)) for d in docs}
    result, entities = resolve(docs, ann, Registry.empty())
    ids = {m.entity for d in docs for m in result[d.id].mentions}
    assert len(ids) == 1 and len(entities) == 1
    assert set(entities[0].aliases) | {entities[0].name} == {"ドコモ", "docomo"}


def test_resolved_copies_keep_every_field_of_a_mention_and_a_quote() -> None:
    """resolve copies mentions and quotes field by field, by position (for speed): a
    field added to the model must be added to _linked and _spoken_by, and here."""
    from dataclasses import fields, replace

    from archivist import resolve as resolution
    from archivist.model import Entity

    assert [f.name for f in fields(Mention)] == ["block", "start", "end", "text", "type", "entity", "source",
                                                 "confidence"]  # fmt: skip
    assert [f.name for f in fields(Quote)] == ["block", "start", "end", "text", "kind", "speaker", "cue",
                                               "speaker_text", "speaker_start", "speaker_named"]  # fmt: skip
    mention = Mention(2, 3, 7, "カープ", "ORG", "org/old", "rules", 0.4)
    entity = Entity("person/アレックス-カープ", "アレックス・カープ", "PERSON", [])
    assert resolution._linked(mention, entity) == replace(mention, type="PERSON", entity=entity.id)
    quote = Quote(1, 4, 9, "順調だ", "direct", None, "と語った", "カープ氏", 12, False)
    assert resolution._spoken_by(quote, entity.id) == replace(quote, speaker=entity.id)


def test_a_document_resolves_alike_in_any_order_and_from_the_last_builds_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document's keys depend on it alone (so a long-running server can keep them
    between builds): any order of the archive, and keys reused for the documents that
    did not change, give what a fresh resolution of the edited archive gives."""
    from archivist import resolve as resolution
    from archivist.resolve import Kept, resolve_keyed

    texts = {
        "a": ("米国のアレックス・カープ氏は「順調だ」と語った。",),
        "b": ("アメリカでは、カープ氏が「まだ早い」と述べた。", "米国の反応は薄い。"),
        "c": ("ドコモ（docomo）は米国に進出した。",),
        "d": ("docomoの新料金。アレックス・カープが来日。",),
    }
    names = (("アレックス・カープ", "PERSON"), ("カープ", "PERSON"), ("米国", "PLACE"), ("アメリカ", "PLACE"),
             ("ドコモ", "ORG"), ("docomo", "ORG"))  # fmt: skip

    def annotated(d: Document) -> Annotations:
        quotes = [quote_at(d, 0, q, None) for q in ("順調だ", "まだ早い") if q in d.blocks[0].text]
        return Annotations(mentions_of(d, *names), quotes)

    docs = [doc(i, *t) for i, t in texts.items()]
    ann = {d.id: annotated(d) for d in docs}
    fresh = resolve_keyed(docs, ann, Registry.empty())[:2]
    assert resolve_keyed(docs[::-1], ann, Registry.empty())[:2] == fresh
    kept = Kept()
    first = resolve_keyed(docs, ann, Registry.empty(), kept)
    assert first[:2] == fresh

    edited = doc("d", "docomoの新料金。カープ氏とドコモの社長が来日。")
    docs[3], ann["d"] = edited, annotated(edited)
    expected = resolve_keyed(docs, ann, Registry.empty())[:2]
    read = []
    document_keys = resolution._document_keys
    monkeypatch.setattr(resolution, "_document_keys", lambda d, *rest: read.append(d.id) or document_keys(d, *rest))
    kept.next_build()
    again = resolve_keyed(docs, ann, Registry.empty(), kept)
    assert again[:2] == expected
    assert read == ["d"]
    # What did not change is the very object the last build had: later work is reused by identity.
    assert again[0]["a"] is first[0]["a"] and again[0]["d"] is not first[0]["d"]
    last = {e.id: e for e in first[1]}
    assert all(e is last[e.id] for e in again[1] if last.get(e.id) == e)


def test_sums_patched_with_the_edited_documents_resolve_as_fresh_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-running server patches the archive's sums of occurrences with the
    documents an edit changed (resolve.Counted) and keeps the entities of sums it did
    not touch: after edits that add, drop and rename names, remove and add documents,
    and give one id two types, resolution is what a fresh one gives."""
    from archivist import resolve as resolution
    from archivist.resolve import Kept, resolve_keyed

    monkeypatch.setattr(resolution, "PATCH_SHARE", 0)  # five documents: any edit is a large share
    patched = []
    patch = resolution._patched
    monkeypatch.setattr(resolution, "_patched", lambda *args: patched.append(result := patch(*args)) or result)
    names = (("アレックス・カープ", "PERSON"), ("カープ", "PERSON"), ("米国", "PLACE"), ("アメリカ", "PLACE"),
             ("ドコモ", "ORG"), ("docomo", "ORG"), ("山田太郎", "PERSON"), ("山田", "PERSON"), ("トヨタ", "ORG"))  # fmt: skip

    def annotated(d: Document, typed: dict[str, str] | None = None) -> Annotations:
        mentions = mentions_of(d, *names)
        typed = typed or {}
        return Annotations([replace(m, entity=typed[m.text], type="PERSON") if m.text in typed else m for m in mentions])

    texts = {
        "a": "米国のアレックス・カープ氏が来日した。",
        "b": "カープ氏はドコモを訪れた。山田太郎氏も同行した。",
        "c": "ドコモ（docomo）は米国に進出した。",
        "d": "トヨタはアメリカで山田太郎氏を迎えた。",
        "e": "docomoの新料金。",
    }
    docs = {i: doc(i, t) for i, t in texts.items()}
    ann = {i: annotated(d) for i, d in docs.items()}
    kept = Kept()

    def check(step: str) -> None:
        order = [docs[i] for i in sorted(docs)]
        kept.next_build()
        again = resolve_keyed(order, ann, Registry.empty(), kept)
        assert again[:2] == resolve_keyed(order, ann, Registry.empty())[:2], step

    check("first")
    edits = {
        "a name added": lambda: docs.__setitem__("e", doc("e", "docomoの新料金。山田太郎氏が発表。")),
        "a spelling dropped": lambda: docs.__setitem__("d", doc("d", "トヨタは米国で会見した。")),
        "the last of a name dropped": lambda: docs.__setitem__("d", doc("d", "米国で会見した。")),
        "a document removed": lambda: docs.pop("b"),
        "a document added": lambda: docs.__setitem__("f", doc("f", "トヨタのアレックス・カープ氏。")),
    }
    for step, edit in edits.items():
        edit()
        ann = {i: annotated(d) for i, d in docs.items()}
        check(step)
    assert patched and all(result is not None for result in patched)
    # An id set by hand with two types: the first document's counts, found by adding all up again.
    docs["g"] = doc("g", "山田太郎氏は語った。")
    ann = {i: annotated(d) for i, d in docs.items()}
    ann["g"] = annotated(docs["g"], {"山田太郎": "org/yamada"})
    ann["g"].mentions[0] = replace(ann["g"].mentions[0], type="ORG")
    check("a hand-set id")
    docs["h"] = doc("h", "山田太郎氏が来た。")
    ann["h"] = annotated(docs["h"], {"山田太郎": "org/yamada"})
    patched.clear()
    check("a second type for it")
    assert patched == [None]


def test_a_space_between_a_latin_word_and_its_number_does_not_split_a_name() -> None:
    a, b = doc("a", "Android 4.0を搭載したWindows 8機。"), doc("b", "Android4.0とWindows8の話。")
    names = (("Android 4.0", "PRODUCT"), ("Android4.0", "PRODUCT"), ("Windows 8", "PRODUCT"), ("Windows8", "PRODUCT"))
    result, _ = resolve([a, b], {d.id: Annotations(mentions_of(d, *names)) for d in (a, b)}, Registry.empty())
    assert entity_of(result, "a", "Android 4.0") == entity_of(result, "b", "Android4.0")
    assert entity_of(result, "a", "Windows 8") == entity_of(result, "b", "Windows8")


def test_a_name_the_annotators_typed_two_ways_is_one_entity_of_the_type_most_mentions_got() -> None:
    a, b, c = doc("a", "Amazonが新型端末を発表した。"), doc("b", "Amazonの決算。"), doc("c", "Amazonで買った。")
    ann = {"a": Annotations(mentions_of(a, ("Amazon", "ORG"))), "b": Annotations(mentions_of(b, ("Amazon", "ORG"))),
           "c": Annotations(mentions_of(c, ("Amazon", "PLACE")))}  # fmt: skip
    result, entities = resolve([a, b, c], ann, Registry.empty())
    assert {entity_of(result, i, "Amazon") for i in "abc"} == {"org/amazon"}
    assert [(e.id, e.type) for e in entities] == [("org/amazon", "ORG")]
    assert result["c"].mentions[0].type == "ORG"
    # The other way round when most mentions say so.
    ann["a"] = Annotations(mentions_of(a, ("Amazon", "PLACE")))
    result, entities = resolve([a, b, c], ann, Registry.empty())
    assert [(e.id, e.type) for e in entities] == [("place/amazon", "PLACE")]


def test_latin_names_differing_only_in_case_are_one_entity() -> None:
    a, b = doc("a", "Androidの新版。Androidが人気。"), doc("b", "ANDROIDとandroidの表記。")
    names = (("Android", "ORG"), ("ANDROID", "ORG"), ("android", "ORG"))
    result, entities = resolve([a, b], {d.id: Annotations(mentions_of(d, *names)) for d in (a, b)}, Registry.empty())
    assert {m.entity for d in "ab" for m in result[d].mentions} == {"org/android"}
    assert [(e.name, e.aliases) for e in entities] == [("Android", [])]  # the most written; no case variant listed


def test_a_type_an_editor_gave_is_not_outvoted() -> None:
    a, b = doc("a", "川越で祭りがあった。川越は晴れ。"), doc("b", "川越が語った。")
    edited = [replace(m, type="PERSON", source="editor") for m in mentions_of(b, ("川越", "PLACE"))]
    ann = {"a": Annotations(mentions_of(a, ("川越", "PLACE"))), "b": Annotations(edited)}
    result, _ = resolve([a, b], ann, Registry.empty())
    assert entity_of(result, "a", "川越") == "place/川越"
    assert (entity_of(result, "b", "川越"), result["b"].mentions[0].type) == ("person/川越", "PERSON")


def test_an_organisation_named_like_a_product_line_with_versions_is_that_product() -> None:
    a = doc("a", "iPhone 4とiPhone 4Sを比べた。iPhoneの人気。Intel 7シリーズ。Intelの発表。")
    b = doc("b", "iPhoneでアプリを使う。NVIDIA 3DとNVIDIA 2を見た。NVIDIAの新製品。")
    names = (("iPhone 4S", "PRODUCT"), ("iPhone 4", "PRODUCT"), ("iPhone", "ORG"), ("Intel 7", "PRODUCT"),
             ("Intel", "ORG"), ("NVIDIA 3D", "PRODUCT"), ("NVIDIA 2", "PRODUCT"), ("NVIDIA", "ORG"))  # fmt: skip
    result, _ = resolve([a, b], {d.id: Annotations(mentions_of(d, *names)) for d in (a, b)}, Registry.empty())
    assert entity_of(result, "a", "iPhone") == entity_of(result, "b", "iPhone") == "product/iphone"
    assert {m.type for d in "ab" for m in result[d].mentions if m.text == "iPhone"} == {"PRODUCT"}
    assert entity_of(result, "a", "Intel") == "org/intel"  # one version is no line
    assert entity_of(result, "b", "NVIDIA") == "org/nvidia"  # 3D is a dimension, not a version
    # An editor's type stands.
    edited = Annotations([replace(m, source="editor") if m.text == "iPhone" else m for m in mentions_of(b, *names)])
    result, _ = resolve([a, b], {"a": Annotations(mentions_of(a, *names)), "b": edited}, Registry.empty())
    assert entity_of(result, "b", "iPhone") == "org/iphone"


def test_a_company_is_named_without_the_word_for_company_unless_it_is_written_with_it() -> None:
    a = doc("a", "Google社が発表した。Googleの検索とGoogleの地図。")
    b = doc("b", "新潮社の本。新潮社が出した。新潮の記事。")
    names = (("Google社", "ORG"), ("Google", "ORG"), ("新潮社", "ORG"), ("新潮", "ORG"))
    result, entities = resolve([a, b], {d.id: Annotations(mentions_of(d, *names)) for d in (a, b)}, Registry.empty())
    assert entity_of(result, "a", "Google社") == entity_of(result, "a", "Google") == "org/google"
    assert entity_of(result, "b", "新潮") == "org/新潮社"  # written with 社 most: part of its name
    assert {e.name: e.aliases for e in entities} == {"Google": ["Google社"], "新潮社": ["新潮"]}


def test_a_speaker_described_not_named_is_shown_but_makes_no_entity() -> None:
    d = doc("a", "店員さんは「いらっしゃいませ」と言った。")
    described = quote_at(d, 0, "いらっしゃいませ", "店員さん")
    described.speaker_named = False
    result, entities = resolve([d], {"a": Annotations([], [described])}, Registry.empty())
    assert [(q.speaker, q.speaker_text) for q in result["a"].quotes] == [(None, "店員さん")]
    assert entities == []
