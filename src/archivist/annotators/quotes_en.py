"""English quotes: kinds, cues and speaker words from the sentence around each quote.

- A speaker after the quote (“…,” said X / X said / a council spokesperson said /
  according to X), before it with a colon (X said: “…”, Ferreira was cautious: “…”),
  or as the subject of a verb of saying earlier in its sentence (X said that … “…”;
  The chair, Professor X, called the novel “…”), appositions skipped.
- ``direct`` when the quote opens its sentence (or follows a colon), ``partial`` when it
  sits inside the writer's sentence; a quote opening a sentence with no speaker goes
  on from the last speaker of the paragraph (its last quote, or the subject of the
  sentence before).
- ``document`` when a law, report or order is named in the sentence (the speaker is
  its owner: the council's report); ``term`` after a naming verb (a robot called
  “Mantis”), as a modifier (the club's “row every morning” tradition), or a short
  title-cased name with no speaker.
"""

from __future__ import annotations

import re

from ..model import Quote

VERBS = (
    "said|says|told|tells|added|adds|explained|wrote|writes|asked|asks|argued|noted|warned|insisted|"
    "replied|answered|admitted|recalled|continued|laughed|joked|tweeted|posted|announced|declared|urged|"
    "predicted|suggested|claimed|acknowledged|conceded|agreed|cautioned|promised|called|described|"
    "stated|states|reads"
)
NAMING = re.compile(r"\b(?:called|calls|call|named|code-named|dubbed|titled|entitled|nicknamed|branded|"
                    r"labell?ed|known as|billed as|so-called|what\s+\w+(?:\s+\w+)?\s+call(?:s|ed)?)\s*$")
TITLE = r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|St)\.?|President|Senator|Professor|Judge|Mayor|Chancellor)"
CAP = r"[A-ZÀ-Þ][\w'’\-]*"
NAME = rf"(?:{TITLE}\s+)?{CAP}(?:\s+(?:{CAP}|of|de|da|dos|van|von|la|del))*"
PHRASE = r"(?:an?|the)(?:\s+[\w'’\-]+){1,4}?"  # a council spokesperson, the National Weather Service
PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey)"
AFTER = re.compile(
    rf"\s*,?\s*(?:(?P<name>{PRONOUN}|{NAME}|{PHRASE})\s+(?:also\s+)?(?P<verb>{VERBS})\b"
    rf"|(?P<verb2>{VERBS})\s+(?P<name2>{NAME}|{PHRASE})"
    rf"|according\s+to\s+(?P<name3>[^.,;:!?“”\"]+))"
)
COLON = re.compile(rf"(?P<name>{PRONOUN}|{NAME}|(?:an?|the)\s+[\w'’\-]+)\s+(?:\w+\s+)?\w+\s*:\s*$")
VERB = re.compile(rf"\b(?P<verb>{VERBS})\b")
ACCORDING = re.compile(rf"\b[Aa]ccording\s+to\s+(?P<name>{NAME})")
DOCUMENT = re.compile(r"\b(?:[A-Z]\w*\s+)+Act\b|\b(?:report|executive order|the order|the law|the bill|"
                      r"the rule|regulation|statute|charter|treaty|ruling|ordinance|constitution)s?\b")
OWNER = re.compile(rf"(?P<owner>(?:the\s+)?(?:{CAP}\s+)*[\w\-]+)['’]s\s+(?:own\s+)?(?:[\w\-]+\s+){{0,2}}?"
                   r"(?:report|order|rules?|statement|bulletin|regulations?)\b")
MODIFIER = re.compile(r"(?:['’]s|\b(?:the|a|an|its|their|his|her|our|this))\s*$")
NOT_NOUNS = frozenset("for by and or to in on at from with of as is was are were but that".split())
TITLED_WORDS = re.compile(r"^(?:[A-Z0-9][\w'’\-]*[,.]?\s*)+$")
BOUNDARY = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\b[A-Z])[.!?][”\"’]?\s+(?=[“\"A-Z])")
SUBJECT = re.compile(rf"(?:[A-Z][^,.;:“”\"]{{0,60}},\s+)?(?P<name>{NAME})(?:,\s+[^,]{{1,80}},)?\s+[a-z]")
GENERIC_PEOPLE = "one|someone|somebody|he|she|they|critics|locals|residents|fans|many|some"
ORG_NOUNS_EN = frozenset(
    "council club company firm agency ministry department trust board government service university "
    "committee commission union association institute foundation office bureau party police court "
    "authority administration federation league society bank group team school hospital".split())
SENTENCE_REACH = 2000  # how far back a sentence start is looked for before looking further
OPENERS = frozenset(
    "The A An In On At But And Or So This That These Those It He She We They I You His Her Its Our Their "
    "However Meanwhile After Before When While If Although Last Next Since For With Without As By From "
    "To Then There Here What Why How Who Yes No According Later Earlier Today Asked Under Local".split())


def read_block(text: str, pairs: list[tuple[int, int]], previous: str) -> list[Quote]:
    """The quotes of one block, in order, with kinds, cues and speaker words."""
    quotes: list[Quote] = []
    for opening, close in pairs:
        start = sentence_start(text, opening)
        before, content = text[start:opening], text[opening + 1:close]
        opens = not before.strip() or before.rstrip().endswith(":")
        kind, cue, speaker = _read(text, opening, close, start, opens)
        if kind is None:
            sentence = len(content.split()) >= 4 or content.rstrip(" ,")[-1:] in ".!?"
            kind = "direct" if opens and sentence else "term"
            speaker = _going_on(text, start, quotes) if kind == "direct" else None
        quote = Quote(0, opening + 1, close, content, kind, cue=cue)
        if speaker:
            quote.speaker_text, quote.speaker_start = speaker
        quotes.append(quote)
    return quotes


def _read(text: str, opening: int, close: int, start: int, opens: bool
          ) -> tuple[str | None, str | None, tuple[str, int] | None]:
    """(kind, cue, speaker words) from the sentence; kind None when nothing decides it."""
    before, content = text[start:opening], text[opening + 1:close]
    after = text[close + 1:close + 120]
    if DOCUMENT.search(before) or DOCUMENT.search(after.split(".")[0][:30]):
        owner = OWNER.search(before)
        return "document", None, (_trim(owner.group("owner"), start + owner.start("owner")) if owner else None)
    naming = NAMING.search(before)
    if naming:  # what one called “…”: someone's words; what the industry calls “…”: a name
        return ("partial" if re.search(rf"\bwhat\s+(?:{GENERIC_PEOPLE})\s", naming.group(0)) else "term"), None, None
    word = re.match(r"\s*([a-z]+)\b", after)
    if MODIFIER.search(before) and word and word.group(1) not in NOT_NOUNS:
        return "term", None, None
    found = _after(text, close + 1) or _colon(before, start) or _in_sentence(before, start)
    if found is None:
        if TITLED_WORDS.match(content) and len(content.split()) <= 6 and not opens:
            return "term", None, None
        return None, None, None
    speaker, cue = found
    return ("direct" if opens else "partial"), cue, speaker


def _after(text: str, position: int) -> tuple[tuple[str, int], str] | None:
    match = AFTER.match(text, position)
    if not match:
        return None
    for name, verb in (("name", "verb"), ("name2", "verb2"), ("name3", None)):
        if match.group(name):
            words, offset = match.group(name), match.start(name)
            if name == "name3" and " from " in words:
                cut = words.index(" from ") + 6
                words, offset = words[cut:], offset + cut
            return _trim(words.strip(), offset), match.group(verb) if verb else "according to"
    return None


def _colon(before: str, start: int) -> tuple[tuple[str, int], str] | None:
    match = COLON.search(before)
    if not match:
        return None
    return _trim(match.group("name"), start + match.start("name")), before[match.end("name"):].strip(" :")


def _in_sentence(before: str, start: int) -> tuple[tuple[str, int], str] | None:
    """The subject of the last verb of saying in the sentence before the quote, or according to X."""
    according = ACCORDING.search(before)
    verbs = list(VERB.finditer(before))
    if verbs:
        verb = verbs[-1]
        subject = _subject(before[:verb.start()], start)
        if subject:
            return subject, verb.group("verb")
    if according:
        return _trim(according.group("name"), start + according.start("name")), "according to"
    return None


def _subject(text: str, offset: int) -> tuple[str, int] | None:
    """The words naming who does the verb that text leads up to, appositions skipped."""
    text = text.rstrip(", ")
    parts = [m.start() for m in re.finditer(r",\s+", text)]
    end = len(text)
    if parts and re.match(r",\s+(?:[a-z0-9]|which|who)", text[parts[-1]:]):
        end = parts[-1]  # Rui Costa, a partner at Atlântico Ventures, said
        parts = [p for p in parts if p < end]
    begin = max([0] + [p + 1 for p in parts] + [m.end() for m in re.finditer(r"\b(?:that|and|but)\s+", text[:end])])
    phrase = text[begin:end].strip()
    match = re.search(rf"{NAME}$|{PRONOUN}$", phrase)  # not a scheme called “…”: a name or pronoun
    if not match:
        return None
    return _trim(match.group(0), offset + begin + (len(text[begin:end]) - len(text[begin:end].lstrip())) + match.start())


def _trim(words: str, offset: int) -> tuple[str, int]:
    """Words without a leading title or article (Professor Alan Whitby -> Alan Whitby)."""
    match = re.match(rf"(?:{TITLE}\s+|[Tt]he\s+(?=[A-Z]))", words)
    if match and match.end() < len(words):
        return words[match.end():], offset + match.end()
    return words, offset


def sentence_start(text: str, position: int) -> int:
    """Start of the sentence holding position."""
    reach = max(0, position - SENTENCE_REACH)
    ends = [m.end() for m in BOUNDARY.finditer(text, reach, position + 2) if m.end() <= position]
    return ends[-1] if ends else (0 if reach == 0 else sentence_start(text[:reach + 1], reach))


def _going_on(text: str, start: int, earlier: list[Quote]) -> tuple[str, int] | None:
    """The paragraph's last speaker before a quote with none: its last quote's, or a subject."""
    last = next((q for q in reversed(earlier) if q.speaker_text), None)
    begin = sentence_start(text, last.start) if last else max(0, start - SENTENCE_REACH)
    subjects = [s for s in subjects_in(text, begin, start) if not last or s[1] > last.start]
    if subjects:
        return subjects[-1]
    return (last.speaker_text, last.speaker_start) if last else None


def subjects_in(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int]]:
    """Names opening a sentence in text[start:end] as its subject, after a phrase at most
    (Lindqvist shook her head.; Asked about it, Morgan laughed.), in order."""
    end = len(text) if end is None else end
    found = []
    for begin in [start] + [m.end() for m in BOUNDARY.finditer(text, start, min(len(text), end + 2)) if m.end() < end]:
        match = SUBJECT.match(text, begin, end)
        if match and match.group("name").split()[0] not in OPENERS:
            found.append(_trim(match.group("name"), match.start("name")))
    return found


def organisation_named(text: str, noun: str) -> str | None:
    """The last capitalised name in text ending in noun (club -> Eastbrook Rowing Club)."""
    names = re.findall(rf"(?:{CAP}\s+)*{noun.capitalize()}\b", text)
    if not names:
        return None
    return _trim(names[-1], 0)[0]
