"""`archivist new DIR`: a small archive that builds as it is."""

from __future__ import annotations

from pathlib import Path

from .errors import ArchivistError

ARCHIVE_TOML = '''\
# archivist settings: every key is optional; see the README for the full list.
title = "My archive"
description = "Documents annotated with the people, organisations and places they mention."
language = "ja"            # interface language: "ja" or "en"
base_url = ""              # e.g. "https://example.org/archive/" for feeds and sitemap
profile = "default"        # "default" (GiNZA) or "fast" (rules and registry only)
'''

ENTITIES_TOML = '''\
# The entity registry: canonical names, types and the other names they go by.
# Registry entries always win over the model's guesses.

[[entity]]
name = "山田花子"
type = "PERSON"
aliases = ["山田", "Hanako Yamada"]
description = "An example person: replace with the people of your archive."

[[entity]]
name = "みなと市立図書館"
type = "ORG"
aliases = ["図書館"]
description = "An example organisation."
'''

OVERRIDES_TOML = '''\
# Editors' corrections to the annotations (see "Registry and overrides" in the README).
# Entries here name their document; the same entries without `document` can also go in
# content/<document>.overrides.toml, next to the document. Each entry is anchored by its
# words (`exact`), with optional `prefix` and `suffix` context to pick one occurrence.
# `archivist check` reports any entry whose words are no longer found.
#
# [[reject]]                  # not an entity
# document = "welcome"
# exact = "図書館"
#
# [[retype]]                  # change its type: PERSON, ORG, PLACE, PRODUCT or EVENT
# document = "welcome"
# exact = "東京"
# type = "PLACE"
#
# [[link]]                    # link it to an entity id
# document = "welcome"
# exact = "山田氏"
# entity = "person/山田花子"
#
# [[add]]                     # a mention the annotators missed
# document = "welcome"
# exact = "展示会"
# prefix = "東京で開かれる"
# type = "EVENT"
#
# [[quote]]                   # a quote's speaker ("" for nobody) or kind
# document = "welcome"
# exact = "地域の記憶"
# speaker = "person/山田花子"
# kind = "direct"             # direct, partial, term or document
'''

WELCOME_MD = '''\
---
title: 図書館が古い新聞をデジタル化
date: 2026-01-15
byline: 編集部
tags: [図書館, アーカイブ]
---

みなと市立図書館は15日、明治時代からの地元紙をデジタル化すると発表した。

館長の山田花子氏は「地域の記憶を次の世代に手渡したい」と語った。

## 公開の予定

山田氏によると、最初の記事は春に東京で開かれる展示会で公開される。
'''

HELLO_MD = '''\
---
title: Library opens its newspaper archive
date: 2026-02-01
lang: en
---

The city library in Minato opened its digitised newspaper archive on Sunday.

"Every page is now searchable," said Hanako Yamada, the head librarian.
'''


def create_archive(folder: Path) -> None:
    """Write archive.toml, entities.toml, overrides.toml and two example documents into folder."""
    if folder.exists() and any(folder.iterdir()):
        raise ArchivistError("folder exists and is not empty", folder)
    (folder / "content").mkdir(parents=True, exist_ok=True)
    (folder / "archive.toml").write_text(ARCHIVE_TOML, encoding="utf-8")
    (folder / "entities.toml").write_text(ENTITIES_TOML, encoding="utf-8")
    (folder / "overrides.toml").write_text(OVERRIDES_TOML, encoding="utf-8")
    (folder / "content" / "welcome.md").write_text(WELCOME_MD, encoding="utf-8")
    (folder / "content" / "hello.md").write_text(HELLO_MD, encoding="utf-8")
    (folder / ".gitignore").write_text("public/\n.archivist/\n", encoding="utf-8")
