"""Editors' overrides: anchors, each kind of correction, re-anchoring, orphans, bad files."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from archivist.anchors import Anchor, Span, find_anchor, make_anchor
from archivist.apply_overrides import apply_overrides
from archivist.build import build
from archivist.check import check
from archivist.cli import main
from archivist.config import load_config
from archivist.model import Annotations, Block, Document, Mention, Quote
from archivist.overrides import OverrideError, override_files, read_overrides
from archivist.registry import Registry
from archivist.resolve import resolve
from archivist.sources import find_sources

LIVEDOOR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "livedoor-news" / "ldcc-20140209.tar.gz"
ARTICLES = ("topic-news-5907376", "topic-news-5903225")


def doc(*texts: str, doc_id: str = "a") -> Document:
    return Document(id=doc_id, slug=doc_id, source=f"content/{doc_id}.txt", lang="ja", title="T",
                    blocks=[Block("paragraph", t) for t in texts])


def mention(block: int, text: str, words: str, kind: str, after: str = "") -> Mention:
    start = text.index(words + after)
    return Mention(block, start, start + len(words), words, kind, source="rules", confidence=0.5)


def entries(toml: str, tmp_path: Path, document: str | None = "a"):
    path = tmp_path / "x.overrides.toml"
    path.write_text(toml, encoding="utf-8")
    return read_overrides(path, "content/x.overrides.toml", document)


# Anchors


def test_an_anchor_without_context_is_every_occurrence() -> None:
    blocks = ["米国と米国", "米国"]
    assert find_anchor(Anchor("米国"), blocks) == [Span(0, 0, 2), Span(0, 3, 5), Span(1, 0, 2)]


def test_context_picks_one_occurrence_and_survives_an_insertion_before() -> None:
    blocks = ["東京で山田氏が語った。大阪で山田氏が笑った。"]
    anchor = make_anchor(blocks, Span(0, 14, 16), context=6)
    assert anchor == Anchor("山田", "った。大阪で", "氏が笑った。")
    assert find_anchor(anchor, blocks) == [Span(0, 14, 16)]
    edited = ["号外。東京で山田氏が語った。大阪で、山田氏が笑った。"]
    assert find_anchor(anchor, edited) == [Span(0, 18, 20)]


def test_context_reads_across_block_edges_and_whitespace() -> None:
    one = ["東京で山田氏が語った。 大阪で山田氏が笑った。"]
    anchor = make_anchor(one, Span(0, 15, 17))
    split = ["東京で山田氏が語った。", "大阪で山田氏が笑った。"]
    assert find_anchor(anchor, split) == [Span(1, 3, 5)]


def test_an_anchor_whose_context_is_gone_finds_nothing() -> None:
    anchor = Anchor("山田", "東京で", "氏が語った")
    assert find_anchor(anchor, ["大阪で山田が笑い、京都で山田が泣いた。"]) == []


# Each kind of override


def test_reject_retype_link_and_add(tmp_path: Path) -> None:
    text = "島田紳助さんと紳助と川越と、どい話。オールスター感謝祭。"
    document = doc(text)
    notes = {"a": Annotations([
        mention(0, text, "島田紳助", "PERSON"), mention(0, text, "紳助", "PERSON", after="と川"),
        mention(0, text, "川越", "PLACE"), mention(0, text, "どい", "PERSON"),
    ])}
    overrides, problems = entries(
        '[[reject]]\nexact = "どい"\n\n[[retype]]\nexact = "川越"\ntype = "PERSON"\n\n'
        '[[link]]\nexact = "紳助"\nentity = "person/shinsuke"\n\n'
        '[[add]]\nexact = "オールスター感謝祭"\ntype = "EVENT"\n', tmp_path)
    assert problems == []
    result, orphans = apply_overrides([document], notes, overrides)
    assert orphans == []
    got = [(m.text, m.type, m.entity, m.source) for m in result["a"].mentions]
    assert got == [
        ("島田紳助", "PERSON", None, "rules"),  # the words alone: 紳助 inside 島田紳助 is left
        ("紳助", "PERSON", "person/shinsuke", "editor"),
        ("川越", "PERSON", None, "editor"),
        ("オールスター感謝祭", "EVENT", None, "editor"),
    ]
    resolved, entities = resolve([document], result, Registry.empty())
    ids = {m.text: m.entity for m in resolved["a"].mentions}
    assert ids["紳助"] == "person/shinsuke"
    assert ids["オールスター感謝祭"] == "event/オールスター感謝祭"
    assert next(e for e in entities if e.id == "person/shinsuke").name == "紳助"


def test_a_link_to_an_existing_entity_joins_it_instead_of_numbering_a_new_one(tmp_path: Path) -> None:
    text = "島田紳助が来た。紳助は笑った。"
    document = doc(text)
    notes = {"a": Annotations([mention(0, text, "島田紳助", "PERSON"), mention(0, text, "紳助", "PERSON", "は")])}
    overrides, _ = entries('[[link]]\nexact = "紳助"\nsuffix = "は笑"\nentity = "person/島田紳助"\n', tmp_path)
    result, _ = apply_overrides([document], notes, overrides)
    resolved, entities = resolve([document], result, Registry.empty())
    assert [m.entity for m in resolved["a"].mentions] == ["person/島田紳助", "person/島田紳助"]
    assert [e.id for e in entities] == ["person/島田紳助"]
    assert entities[0].name == "島田紳助"


def test_quote_speaker_and_kind(tmp_path: Path) -> None:
    text = "彼は「潰すぞ」と言い、「やっぱり」と思われた。"
    document = doc(text)
    start = text.index("潰すぞ")
    other = text.index("やっぱり")
    notes = {"a": Annotations([], [Quote(0, start, start + 3, "潰すぞ", "direct"),
                                   Quote(0, other, other + 4, "やっぱり", "direct")])}
    overrides, problems = entries(
        '[[quote]]\nexact = "潰す"\nspeaker = "person/島田紳助"\n\n'
        '[[quote]]\nexact = "やっぱり"\nkind = "term"\nspeaker = ""\n\n'
        '[[quote]]\nexact = "思われた"\nkind = "partial"\n', tmp_path)
    assert problems == []
    result, orphans = apply_overrides([document], notes, overrides)
    assert orphans == []
    resolved, entities = resolve([document], result, Registry.empty())
    quotes = [(q.text, q.kind, q.speaker) for q in resolved["a"].quotes]
    assert quotes == [("潰すぞ", "direct", "person/島田紳助"), ("やっぱり", "term", None),
                      ("思われた", "partial", None)]
    assert [e.id for e in entities] == ["person/島田紳助"]


# Files: where they are, what is wrong with them


def test_override_files_are_found_and_never_read_as_documents(make_site) -> None:
    site = make_site({"content/a.txt": "T\n\n本文。\n", "content/sub/b.md": "# B\n",
                      "content/a.overrides.toml": "", "content/sub/b.overrides.toml": "",
                      "content/.hidden/c.overrides.toml": "", "overrides.toml": ""})
    config = load_config(site)
    assert [p.relative_to(site).as_posix() for p in override_files(config)] == [
        "overrides.toml", "content/a.overrides.toml", "content/sub/b.overrides.toml"]
    assert [p.name for p in find_sources(config)] == ["a.txt", "b.md"]


def test_bad_entries_are_reported_with_their_line_and_the_rest_apply(tmp_path: Path) -> None:
    overrides, problems = entries(
        '[[reject]]\nexact = "A"\n\n[[retype]]\nexact = "B"\ntype = "COMPANY"\n\n'
        '[[link]]\nexact = "C"\nentity = "Bad Id"\ncolour = "red"\n\n[[frob]]\nexact = "D"\n\n'
        '[[quote]]\nexact = "E"\n\n[[add]]\nexact = ""\ntype = "ORG"\n', tmp_path)
    assert [o.anchor.exact for o in overrides] == ["A"]
    messages = [str(p) for p in problems]
    assert all(isinstance(p, OverrideError) and m.startswith("content/x.overrides.toml: ")
               for p, m in zip(problems, messages))
    for text in ("unknown table [[frob]]", "line 4: [[retype]]: type 'COMPANY' is not one of",
                 "line 8: [[link]]: entity 'Bad Id' is not an entity id",
                 "line 8: [[link]]: unknown key 'colour'", "line 16: [[quote]]: give 'speaker', 'kind'",
                 "line 19: [[add]]: 'exact' must not be empty"):
        assert any(text in m for m in messages), (text, messages)


def test_an_unreadable_file_names_its_line_and_the_archive_still_builds(make_site) -> None:
    site = make_site({"content/a.txt": "題\n\n東京で会った。\n",
                      "content/a.overrides.toml": '[[reject]]\nexact = "東京"\n',
                      "content/b.txt": "題\n\n大阪で会った。\n",
                      "content/b.overrides.toml": '[[reject]\nexact = "大阪"\n'},
                     'title = "T"\nprofile = "fast"\n')
    result = build(load_config(site))
    messages = [str(p) for p in result.problems]
    assert len(messages) == 1 and messages[0].startswith("content/b.overrides.toml: cannot read")
    assert "line 1" in messages[0]
    assert result.documents == 2
    data = json.loads((site / "public" / "data" / "documents" / "a.json").read_text(encoding="utf-8"))
    assert "東京" not in [m["text"] for m in data["mentions"]]


def test_orphans_are_reported_by_check_build_and_the_cli(make_site, capsys) -> None:
    site = make_site({"content/a.txt": "題\n\n東京で会った。\n",
                      "content/a.overrides.toml": '[[reject]]\nexact = "東京"\n\n[[reject]]\nexact = "名古屋"\n',
                      "content/gone.overrides.toml": '[[reject]]\nexact = "x"\n',
                      "overrides.toml": '[[retype]]\ndocument = "a"\nexact = "京都"\ntype = "PLACE"\n'},
                     'title = "T"\nprofile = "fast"\n')
    expected = ["content/a.overrides.toml: line 4: [[reject]] '名古屋': no longer matches the text",
                "content/gone.overrides.toml: line 1: [[reject]] 'x': no document 'content/gone'",
                "overrides.toml: line 1: [[retype]] '京都': no longer matches the text"]
    checked = sorted(str(p) for p in check(load_config(site)))
    assert [m[: len(e)] for m, e in zip(checked, expected)] == expected and len(checked) == 3
    built = sorted(str(p) for p in build(load_config(site)).problems)
    assert built == checked
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert all(f"error: {e}" in err for e in expected)
    assert "3 problem(s)" in err


# The acceptance scenario: livedoor articles corrected, edited, re-annotated


def livedoor_articles(names: tuple[str, ...]) -> dict[str, bytes]:
    if not LIVEDOOR.exists():
        pytest.skip("the livedoor corpus is not here")
    found = {}
    with tarfile.open(LIVEDOOR) as tar:
        for member in tar:
            stem = Path(member.name).stem
            if stem in names:
                found[stem] = tar.extractfile(member).read()
            if len(found) == len(names):
                break
    return found


CORRECTIONS = {
    "topic-news-5907376": '''
[[reject]]   # a kana fragment, not a person
exact = "どい"

[[link]]     # the short name is the same man
exact = "紳助"
entity = "person/島田紳助"

[[add]]
exact = "オールスター感謝祭"
type = "EVENT"

[[quote]]
exact = "潰すぞ"
prefix = "若手芸人を「"
speaker = "person/島田紳助"

[[quote]]
exact = "やっぱり"
kind = "partial"

[[reject]]   # in a sentence the edit below deletes
exact = "タモリ"
''',
    "topic-news-5903225": '''
[[retype]]
exact = "TATSUYA"
prefix = "株式会社"
type = "ORG"

[[link]]
exact = "川越"
suffix = "シェフ"
entity = "person/川越達也"
''',
}


def facts(site: Path) -> dict[str, dict]:
    """Per document: (text, type, entity, source) of mentions, (text, kind, speaker) of quotes,
    (text, the 3 characters after it, entity) of mentions, the blocks."""
    found = {}
    for name in ARTICLES:
        data = json.loads((site / "public" / "data" / "documents" / f"{name}.json").read_text("utf-8"))
        found[name] = {
            "mentions": [(m["text"], m["type"], m["entity"], m["source"]) for m in data["mentions"]],
            "followed": [(m["text"], data["blocks"][m["block"]]["text"][m["end"]:m["end"] + 3], m["entity"])
                         for m in data["mentions"]],
            "quotes": [(q["text"], q["kind"], q["speaker"]) for q in data["quotes"]],
            "blocks": [b["text"] for b in data["blocks"]],
        }
    return found


def assert_corrections_hold(site: Path) -> None:
    got = facts(site)
    shinsuke, kawagoe = got["topic-news-5907376"], got["topic-news-5903225"]
    texts = [m[0] for m in shinsuke["mentions"]]
    assert "どい" not in texts
    alone = [m for m in shinsuke["mentions"] if m[0] == "紳助"]
    assert alone and all(m[2] == "person/島田紳助" and m[3] == "editor" for m in alone)
    assert all(m[2] == "person/島田紳助" for m in shinsuke["mentions"] if m[0] == "島田紳助")
    events = [m for m in shinsuke["mentions"] if m[0] == "オールスター感謝祭"]
    assert events and all(m[1] == "EVENT" for m in events)
    assert ("潰すぞ", "direct", "person/島田紳助") in shinsuke["quotes"]
    assert any(q[0] == "やっぱり" and q[1] == "partial" for q in shinsuke["quotes"])
    assert "タモリ" not in texts
    assert ("TATSUYA", "ORG", "org/tatsuya", "editor") in kawagoe["mentions"]
    chef = [m for m in kawagoe["followed"] if m[0] == "川越" and m[1] == "シェフ"]
    assert len(chef) >= 5 and all(m[2] == "person/川越達也" for m in chef)
    assert all(m[2] == "person/川越達也" for m in kawagoe["followed"] if m[0] == "川越達也")


def test_livedoor_corrections_hold_after_edits_and_new_annotators(tmp_path: Path) -> None:
    site = tmp_path / "site"
    content = site / "content"
    content.mkdir(parents=True)
    (site / "archive.toml").write_text('title = "T"\nprofile = "fast"\nlayout = "livedoor"\n', "utf-8")
    for name, data in livedoor_articles(ARTICLES).items():
        (content / f"{name}.txt").write_bytes(data)
        (content / f"{name}.overrides.toml").write_text(CORRECTIONS[name], "utf-8")
    first = build(load_config(site))
    assert first.problems == []
    assert_corrections_hold(site)
    blocks = facts(site)["topic-news-5907376"]["blocks"]

    # Edit the articles: text inserted before the anchors, a sentence deleted; change the
    # parser's blocks (the text layout splits on blank lines instead of lines) and the
    # annotators (the default profile's NER model instead of the fast rules).
    shinsuke = content / "topic-news-5907376.txt"
    text = shinsuke.read_text("utf-8")
    lines = text.split("\n")
    lines[3] = "【速報】" + lines[3]
    tamori = next(i for i, line in enumerate(lines) if "タモリ" in line)
    del lines[tamori]
    shinsuke.write_text("\n".join(lines), "utf-8")
    kawagoe = content / "topic-news-5903225.txt"
    kawagoe.write_text(kawagoe.read_text("utf-8").replace("最近、TVでも", "追記あり。最近、TVでも", 1), "utf-8")
    (site / "archive.toml").write_text(
        'title = "T"\nlayout = "text"\nprofile = "default"\n', "utf-8")
    second = build(load_config(site))
    messages = [str(p) for p in second.problems]
    assert messages == [
        "content/topic-news-5907376.overrides.toml: line 22: [[reject]] 'タモリ': "
        "no longer matches the text (orphaned)"]
    assert [str(p) for p in check(load_config(site))] == messages
    got = facts(site)
    assert len(got["topic-news-5907376"]["blocks"]) < len(blocks) - 1  # the blocks did change
    assert_corrections_hold(site)


def test_overrides_leave_the_annotation_cache_alone(make_site) -> None:
    site = make_site({"content/a.txt": "題\n\n東京で会った。\n"}, 'title = "T"\nprofile = "fast"\n')
    build(load_config(site))
    cache = site / ".archivist" / "cache.sqlite"
    before = cache.read_bytes()
    (site / "content" / "a.overrides.toml").write_text('[[reject]]\nexact = "東京"\n', "utf-8")
    assert build(load_config(site)).problems == []
    assert cache.read_bytes() == before


def test_the_scaffold_documents_overrides_that_work_once_uncommented(tmp_path: Path) -> None:
    from archivist.scaffold import create_archive

    site = tmp_path / "new"
    create_archive(site)
    assert check(load_config(site)) == []  # all commented out: nothing to apply
    path = site / "overrides.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = [line[2:] for line in lines if line.startswith("# ") and (
        line.startswith("# [[") or "=" in line)]  # fmt: skip
    path.write_text("\n".join(entries) + "\n", encoding="utf-8")
    overrides, problems = read_overrides(path, "overrides.toml", None)
    assert len(overrides) == 5 and problems == []
    assert check(load_config(site)) == []
