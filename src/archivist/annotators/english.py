"""English named entities: an installed spaCy English pipeline, or rules.

With en_core_web_sm or en_core_web_md installed, its PERSON, ORG, GPE/LOC/FAC
(places), PRODUCT and EVENT spans are used (source "english-spacy"). Otherwise
(source "english") runs of capitalised words become names only with evidence:

- a title before them (Mr., Dr., President, Senator ...): a person, title left out;
- "said", "says", "told" ... after them: a person;
- "said" or "according to" before them: a person;
- a last word such as Inc., University, Ministry, Bank: an organisation;
- a country or region from places.py, a last word such as Bridge, River, Airport or
  a first such as River, Lake, Mount (River Mere), or "in", "at", "near" before them:
  a place;
- a last word such as Cup, Festival, War, Election: an event; Act, Treaty: a
  product (laws and treaties, as the Japanese types have them); a name right after
  "called" or "named" and a quotation mark: a product.

A name typed once keeps its type everywhere in the document, and so does a
person's last name on its own and an organisation's name without its last word
(Carga after Carga Robotics). Words that merely open a sentence are not names.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import util
from types import MappingProxyType

from .. import places
from ..model import Annotations, Document, Mention

NAME = "english"
VERSION = "4"
SPACY_MODELS = ("en_core_web_sm", "en_core_web_md")
SPACY_LABELS = MappingProxyType({"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE",
                                 "FAC": "PLACE", "PRODUCT": "PRODUCT", "EVENT": "EVENT"})
CONFIDENCE = MappingProxyType({"PERSON": 0.7, "ORG": 0.7, "PLACE": 0.8, "PRODUCT": 0.6, "EVENT": 0.6})
SPREAD = 0.6  # confidence of a name typed elsewhere in the document

EXECUTIVES = ("Chief Executive Officer", "Chief Executive", "Chief Financial Officer", "Chief Operating Officer",
              "Chief Technology Officer", "CEO", "CFO", "COO", "CTO")  # a company's officers
TITLES = (
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "Gen.", "Mr", "Mrs", "Ms", "Dr",
    "President", "Vice President", "Senator", "Representative", "Governor", "Judge", "Justice",
    "Chancellor", "Prime Minister", "Minister", "Secretary", "Professor", "General", "King",
    "Queen", "Pope", "Chairman", "Chairwoman", "Mayor", "Ambassador", *EXECUTIVES,
)
ORG_WORDS = (
    "Inc.", "Inc", "Corp.", "Corp", "Corporation", "Ltd.", "Ltd", "LLC", "Co.", "Company",
    "University", "Institute", "Institution", "Ministry", "Department", "Agency", "Bank",
    "Foundation", "Association", "Council", "Commission", "Committee", "Party", "Group",
    "Bureau", "Office", "Court", "Technologies", "Systems", "Labs", "Holdings",
    "Club", "Service", "Trust", "Ventures", "Partners", "Capital", "Society", "Authority",
    "Robotics", "Network", "Federation", "League", "Union", "Academy", "College", "School",
    "Organization", "Organisation", "Reserve", "Times", "Journal", "Post", "Motors", "Airlines",
    "Airways", "Industries", "Pharmaceuticals", "Electric", "Energy", "Communications", "Entertainment",
    "Studios", "Records", "Software", "Securities", "Insurance", "Brands", "Foods",
)
# Institutions news name with one word, as general knowledge as the countries are.
INSTITUTIONS = frozenset(("Senate", "Congress", "Parliament", "Pentagon", "Kremlin", "White House", "Fed"))
PLACE_WORDS = (
    "Bridge", "Street", "Road", "Avenue", "Square", "Park", "Station", "Airport", "Harbour", "Harbor",
    "River", "Lake", "Bay", "Island", "Islands", "Valley", "Mountains", "Coast", "Stadium", "Arena",
    "Cathedral", "Castle", "Palace", "County", "Province", "City",
)
PLACE_HEADS = ("River", "Lake", "Mount", "Vale", "Isle", "Gulf", "Cape", "Port")  # River Mere, Vale of Ashby
EVENT_WORDS = (
    "Olympics", "Games", "Cup", "Championship", "Championships", "War", "Summit", "Festival",
    "Conference", "Election", "Marathon", "Expo", "Revolution", "Crisis", "Tournament", "Open",
)
PRODUCT_WORDS = ("Act", "Treaty", "Accord", "Convention", "Protocol")  # laws and treaties, as in ENE
CALENDAR = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Christmas Easter".split()
)  # in March, on Tuesday: times, not places
# Titles that part a run where they stand inside it (Federal Reserve Chairman Jerome Powell);
# not General or Judge, which open other names too (General Motors).
# A company's officers part a run the same way (Nvidia Chief Executive Jensen Huang), and
# make the name before them a company's.
INNER_TITLES = ("President", "Prime Minister", "Chancellor", "Chairman", "Chairwoman", "Secretary",
                "Senator", "Governor", "Minister", "Mayor", "Ambassador", *EXECUTIVES)
SPLITS = re.compile(rf"\s+(?:of|for|{'|'.join(INNER_TITLES)})\s+|(?<=['’]s)\s+")
BEFORE_EXECUTIVE = re.compile(rf"\s+(?:{'|'.join(EXECUTIVES)})\s+[A-Z]")
AMBIGUOUS_TITLES = ("General", "Justice", "Judge")  # a title only before two more words
# Acronyms that are common nouns, not organisations.
COMMON_ACRONYMS = frozenset(
    "AI CEO CFO COO CTO GDP TV PC PM AM OK ID IT PR HR DNA RNA CPU GPU USB API APP FAQ PDF URL "
    "VR AR IPO ETF NGO HIV COVID SUV EV LLM RAM SSD LED LCD FM AD BC IQ MP UFO ATM".split()
)
CAMEL_CASE = re.compile(r"[A-Z][a-z]+[A-Z][A-Za-z]*|[A-Z]{2,}[a-z]+[A-Z]?[a-z]*")  # DeepSeek, OpenAI, YouTube
ACRONYM = re.compile(r"[A-Z]{2,5}")
DATELINE = re.compile(r"(?:,[^—–\n]{0,30}?)?\s*(?:\([^)\n]{1,30}\)\s*)?[—–-]\s")  # LONDON (Reuters) - ...
BASED = "-based"  # the Santa Clara-based chipmaker: a place before it
ORG_NOUNS = ("company", "firm", "startup", "start-up", "chipmaker", "maker", "manufacturer", "retailer",
             "bank", "lender", "insurer", "carrier", "airline", "automaker", "carmaker", "group", "giant",
             "publisher", "broadcaster", "developer", "provider", "conglomerate", "agency", "organization",
             "organisation", "nonprofit", "charity", "newspaper", "network", "operator", "supplier")
ORG_APPOSITION = re.compile(rf",\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}?(?:{'|'.join(ORG_NOUNS)})\b")
PLACE_BEFORE = re.compile(r"\b(?:in|at|near|from|outside|across)\s+$")
SPEAKER_BEFORE = re.compile(r"\b(?:said|says|told|asked|according to)\s+$", re.IGNORECASE)
NAMED_BEFORE = re.compile(r"\b(?:called|named|code-named|titled|dubbed)\s+[\"“‘']$")
ORG_HEADS = ("University", "Bank", "Ministry", "Department")  # University of ...
SPEECH_VERBS = ("said", "says", "told", "added", "explained", "wrote", "asked", "argued", "noted")
SENTENCE_OPENERS = frozenset(
    "The A An In On At But And Or So This That These Those It He She We They I You His Her "
    "Its Our Their However Meanwhile After Before When While If Although Last Next Since "
    "For With Without As By From To Then There Here What Why How Who Yes No According Later "
    "Earlier Today Yesterday Tomorrow Now Also Still Even Only Instead Finally First Thus "
    "Therefore Moreover Indeed Perhaps Many Some Most All Both Each Every Several Other Such Once "
    "Under Over Across Despite During Until Unlike Like Among Between Against Through Within Amid".split()
)
# A capitalised word (Atlântico, O'Neill), initials (U.S.) or a short abbreviation (Mr., Inc.);
# a longer word's full stop ends the sentence, so no name runs on past it.
CAP = r"(?:[A-Z]\.(?:[A-Z]\.)+|[A-Z][^\W_'’\-]{0,2}\.|[A-Z][^\W_'’\-]*(?:['’\-][^\W_]+)*)"
CONNECT = r"(?:of|for|the|de|del|der|von|van|du|la|&)"
SEQUENCE = re.compile(rf"(?<![\w.]){CAP}(?:[ \t]+(?:{CONNECT}[ \t]+)?{CAP})*")
LONGEST_TITLES = tuple(sorted(TITLES, key=len, reverse=True))
INITIALS = re.compile(r"(?:[A-Z]\.)+")
SPEECH = re.compile(rf",?\s+(?:{'|'.join(SPEECH_VERBS)})\b")


OF_HEADS = frozenset(
    "University Bank Ministry Department Institute Museum Office Council Board Church Republic "
    "Kingdom State States Union League Federation Academy College School Court House "
    "Secretary Minister".split()
)
ROLES = ("CEO", "chief", "founder", "co-founder", "president", "chairman", "chairwoman", "spokesperson",
         "spokesman", "spokeswoman", "director", "professor", "fellow", "analyst", "minister",
         "secretary", "senator", "researcher", "economist", "head", "leader")
APPOSITION = re.compile(rf",\s+(?:the|a|an)?\s*(?:[\w-]+\s+){{0,3}}?(?:{'|'.join(ROLES)})\b")


@cache  # asked once per document
def _spacy_model() -> str | None:
    return next((name for name in SPACY_MODELS if util.find_spec(name)), None)


def settings(ctx) -> str:
    return _spacy_model() or "rules"


def _sentence_start(text: str, start: int) -> bool:
    # Scan back rather than slice: slicing copies the text before every name (quadratic).
    i = start
    while i > 0 and text[i - 1] in " \t\"“‘'(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?:\n"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """A capitalised run without leading titles and sentence openers, a final period or 's;
    and whether a title was cut."""
    titled, changed = False, True
    if text.endswith(BASED, start, end):
        end -= len(BASED)
    while changed:
        rest = text[start:end]
        title = next((t for t in LONGEST_TITLES if rest.startswith(t + " ")), None)
        if title in AMBIGUOUS_TITLES and rest.count(" ") < 2:
            title = None  # General Motors
        first = rest.split(" ", 1)[0]
        opener = first in SENTENCE_OPENERS and (first == "The" or _sentence_start(text, start))
        changed = bool(title) or (" " in rest and (opener or first.islower()))
        start += len(title or first) + 1 if changed else 0
        titled = titled or bool(title)
    last = text[start:end].split(" ")[-1]
    if last.endswith(".") and last not in ORG_WORDS and not INITIALS.fullmatch(last):
        end -= 1
    if text.endswith(("'s", "’s"), start, end):
        end -= 2
    return start, end, titled


def _kind(text: str, start: int, end: int, titled: bool) -> str | None:
    surface = text[start:end]
    before = text[max(0, start - 24):start]
    if surface in TITLES:
        return None  # the CEO said
    if places.place_for(surface) or text.startswith(BASED, end) or _dateline(text, start, end):
        return "PLACE"
    words = surface.split()
    if surface in INSTITUTIONS or ORG_APPOSITION.match(text, end) or _org_like(surface) \
            or BEFORE_EXECUTIVE.match(text, end):
        return "ORG"
    if (len(words) > 1 and words[-1] in ORG_WORDS) or words[0] in ORG_HEADS and " of " in surface:
        return "ORG"
    if len(words) > 1 and (words[-1] in PLACE_WORDS or words[0] in PLACE_HEADS):
        return "PLACE"
    if len(words) > 1 and words[-1] in EVENT_WORDS:
        return "EVENT"
    if len(words) > 1 and words[-1] in PRODUCT_WORDS or NAMED_BEFORE.search(before):
        return "PRODUCT"
    if titled or before.rstrip().endswith(TITLES) or APPOSITION.match(text, end) or SPEAKER_BEFORE.search(before):
        return "PERSON"
    if SPEECH.match(text, end) and not (text.startswith(",", end) and PLACE_BEFORE.search(before)):
        return "ORG" if before.endswith("the ") else "PERSON"  # the White House said; not (a Democrat) from Ohio, said
    if PLACE_BEFORE.search(before) and words[0] not in CALENDAR:
        return "PLACE"
    return None


def _dateline(text: str, start: int, end: int) -> bool:
    """Whether a name in capitals opens the text before a dash: a news story's dateline."""
    surface = text[start:end]
    return start == 0 and surface.isupper() and surface not in COMMON_ACRONYMS and bool(DATELINE.match(text, end))


def _org_like(surface: str) -> bool:
    """An acronym not used as a common noun (NATO, not AI), or a word capitalised inside (OpenAI, DeepSeek)."""
    if " " in surface:
        return False
    return bool(ACRONYM.fullmatch(surface) and surface not in COMMON_ACRONYMS or CAMEL_CASE.fullmatch(surface))


def _split_of(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run cut at "of" and "for" (Alex Karp of Palantir), unless it is one name (Bank of
    America), after a possessive (Microsoft's Windows) and around a title inside it
    (Federal Reserve | Chairman | Jerome Powell, whom the title before makes a person)."""
    if text[start:end].split(" ", 1)[0] in OF_HEADS:
        return [(start, end)]
    pieces = []
    for match in SPLITS.finditer(text, start, end):
        pieces.append((start, match.start()))
        start = match.end()
    return pieces + [(start, end)]


def _runs(text: str) -> list[tuple[int, int, bool]]:
    """Capitalised runs in text, trimmed, with whether a title was cut."""
    runs = []
    pieces = [piece for match in SEQUENCE.finditer(text) for piece in _split_of(text, *match.span())]
    for piece in pieces:
        start, end, titled = _trimmed(text, *piece)
        if end <= start:
            continue
        if not titled and _sentence_start(text, start) and " " not in text[start:end].strip():
            if text[start:end] in SENTENCE_OPENERS:
                continue
        runs.append((start, end, titled))
    return runs


def find_names(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Typed names in text as (start, end, type), and the untyped capitalised runs."""
    typed, untyped = [], []
    for start, end, titled in _runs(text):
        kind = _kind(text, start, end, titled)
        if kind:
            typed.append((start, end, kind))
        else:
            untyped.append((start, end))
    return typed, untyped


def _rules(doc: Document) -> list[Mention]:
    mentions, pending = [], []
    for index, block in enumerate(doc.blocks):
        typed, untyped = find_names(block.text)
        for start, end, kind in typed:
            surface = block.text[start:end]
            mentions.append(Mention(index, start, end, surface, kind, None, NAME, CONFIDENCE[kind]))
        pending.extend((index, start, end, block.text[start:end]) for start, end in untyped)
    known = {m.text: m.type for m in mentions}
    known.update({m.text.split()[-1]: "PERSON" for m in mentions if m.type == "PERSON" and " " in m.text})
    known.update({m.text.rsplit(" ", 1)[0]: "ORG" for m in mentions  # Carga after Carga Robotics
                  if m.type == "ORG" and " " in m.text and m.text.rsplit(" ", 1)[1] in ORG_WORDS})
    for index, start, end, surface in pending:
        if surface in known:
            mentions.append(Mention(index, start, end, surface, known[surface], None, NAME, SPREAD))
    return sorted(mentions, key=lambda m: (m.block, m.start))


def _with_spacy(doc: Document, ctx, name: str) -> list[Mention]:
    import spacy  # late: only when an English pipeline is installed

    nlp = ctx.models.get(name, lambda: spacy.load(name))
    mentions = []
    for index, parsed in enumerate(nlp.pipe(block.text for block in doc.blocks)):
        for ent in parsed.ents:
            if ent.label_ in SPACY_LABELS:
                kind = SPACY_LABELS[ent.label_]
                mentions.append(Mention(index, ent.start_char, ent.end_char, ent.text, kind, None,
                                        "english-spacy", CONFIDENCE[kind]))
    return mentions


def annotate(doc: Document, ctx) -> Annotations:
    """Named entities in an English document; nothing for other languages."""
    if doc.lang != "en":
        return Annotations()
    name = _spacy_model()
    return Annotations(mentions=_with_spacy(doc, ctx, name) if name else _rules(doc))
