"""Quote quality: archivist's quotes, their kinds and speakers against a gold set.

Gold quotes are in benchmarks/gold/quotes_<lang>.jsonl (benchmarks/gold/README.md):
the Japanese ones point into livedoor news articles, copied unmodified from the corpus
archive into a temporary folder; the English ones into benchmarks/gold/en/. Runs
`archivist annotate --format json` once per language, outside any archive, and prints
recall, precision, kind and speaker accuracy per language and overall.

    python benchmarks/quotes_eval.py [--lang ja|en|all] [--verbose] [--profile default]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "benchmarks" / "gold"
LIVEDOOR = ROOT.parent / "shared" / "corpus" / "livedoor-news" / "ldcc-20140209.tar.gz"
LANGS = ("ja", "en")
KINDS = ("direct", "partial", "term", "document")
SPEAKER_TYPES = ("PERSON", "ORG")
LOOSE_RATIO = 0.8
# The brackets each gold file covers; quotes in other brackets are left out of precision.
GOLD_OPENERS = {"ja": "「『"}
TARGETS = (("direct-quote recall", "direct_recall", 0.95), ("speaker accuracy", "speaker_accuracy", 0.90))
NONE = "-"  # the kind of a missed or spurious quote in the confusion table


@dataclass(frozen=True)
class GoldQuote:
    lang: str  # "ja" or "en"
    article: str  # path of the article below the evaluation folder, e.g. "en/x.md"
    text: str  # the quoted content as written, brackets excluded
    kind: str  # one of KINDS
    speaker: str | None = None  # the speaker's name as written in the article
    speaker_type: str | None = None  # "PERSON", "ORG" or None
    cue: str | None = None  # the reporting phrase, for readers of the gold
    block_prefix: str | None = None  # start of the quote's block, to tell repeats apart


@dataclass(frozen=True)
class PredictedQuote:
    lang: str  # language of the gold file the article belongs to
    article: str  # path of the article below the evaluation folder
    text: str  # the quoted content as predicted
    kind: str  # the predicted kind
    speaker_names: tuple[str, ...] = ()  # the speaker entity's name and aliases
    speaker: str | None = None  # the speaker entity id
    block_text: str = ""  # the text of the block holding the quote
    opener: str = ""  # the character just before the quote in its block


@dataclass(frozen=True)
class Pair:
    gold: GoldQuote
    predicted: PredictedQuote
    loose: bool  # matched by containment, not by identical text


@dataclass
class Matching:
    pairs: list[Pair] = field(default_factory=list)
    missed: list[GoldQuote] = field(default_factory=list)  # gold quotes nothing matched
    spurious: list[PredictedQuote] = field(default_factory=list)  # predictions matching no gold
    outside: list[PredictedQuote] = field(default_factory=list)  # in brackets the gold leaves out

    def __add__(self, other: Matching) -> Matching:
        return Matching(self.pairs + other.pairs, self.missed + other.missed,
                        self.spurious + other.spurious, self.outside + other.outside)


@dataclass
class Scores:
    gold: int = 0  # gold quotes
    predicted: int = 0  # predicted quotes within the gold's brackets
    outside: int = 0  # predicted quotes in other brackets, not scored
    matched: int = 0  # gold quotes matched
    loose: int = 0  # of which by containment only
    direct_gold: int = 0  # gold quotes of kind direct
    direct_predicted: int = 0  # predicted quotes of kind direct
    direct_matched: int = 0  # pairs where both are direct
    kind_right: int = 0  # pairs whose kinds agree
    speaker_gold: int = 0  # pairs whose gold speaker is named
    speaker_right: int = 0  # of which the predicted speaker is that one
    null_gold: int = 0  # pairs whose gold speaker is null
    null_right: int = 0  # of which the prediction has no speaker either
    confusion: Counter = field(default_factory=Counter)  # (gold kind, predicted kind) -> count

    @property
    def direct_recall(self) -> float:
        return ratio(self.direct_matched, self.direct_gold)

    @property
    def speaker_accuracy(self) -> float:
        return ratio(self.speaker_right, self.speaker_gold)


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def load_gold(path: Path, lang: str) -> list[GoldQuote]:
    """Read one gold JSONL file; raise ValueError naming the file and line of a bad record."""
    gold = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            quote = GoldQuote(lang, item["article"], item["text"], item["kind"], item.get("speaker"),
                              item.get("speaker_type"), item.get("cue"), item.get("block_text_prefix"))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a gold quote ({error})") from None
        if problem := record_problem(quote):
            raise ValueError(f"{path}:{number}: {problem}")
        gold.append(quote)
    return gold


def record_problem(quote: GoldQuote) -> str | None:
    """What is wrong with one gold record by itself, or None."""
    if quote.kind not in KINDS:
        return f"kind {quote.kind!r} is not one of {', '.join(KINDS)}"
    if not quote.text:
        return "empty quote text"
    if (quote.speaker is None) != (quote.speaker_type is None):
        return "speaker and speaker_type must be both set or both null"
    if quote.speaker_type is not None and quote.speaker_type not in SPEAKER_TYPES:
        return f"speaker_type {quote.speaker_type!r} is not one of {', '.join(SPEAKER_TYPES)}"
    if quote.kind == "term" and quote.speaker is not None:
        return "a term has no speaker"
    return None


def gold_problems(gold: Iterable[GoldQuote], texts: dict[str, str]) -> list[str]:
    """Gold quotes whose article is missing or holds their text fewer times than the gold."""
    problems, wanted = [], Counter((q.article, q.text) for q in gold)
    for (article, text), count in sorted(wanted.items()):
        if article not in texts:
            problems.append(f"{article}: article not found")
        elif texts[article].count(text) < count:
            found = texts[article].count(text)
            problems.append(f"{article}: {text[:40]!r} occurs {found} times, gold has {count}")
    return problems


def predicted_quotes(
    documents: list[dict], lang: str, article_for: Callable[[str], str | None]
) -> list[PredictedQuote]:
    """The quotes of `archivist annotate --format json` documents, with speaker names looked up."""
    found = []
    for doc in documents:
        article = article_for(doc["source"])
        if article is None:
            continue
        entities = {e["id"]: e for e in doc.get("entities", [])}
        for quote in doc.get("quotes", []):
            block = doc["blocks"][quote["block"]]["text"]
            entity = entities.get(quote.get("speaker") or "")
            names = (entity["name"], *entity.get("aliases", [])) if entity else ()
            opener = block[quote["start"] - 1] if quote["start"] > 0 else ""
            found.append(PredictedQuote(lang, article, quote["text"], quote["kind"], tuple(names),
                                        quote.get("speaker"), block, opener))
    return found


def loose_match(a: str, b: str, least: float = LOOSE_RATIO) -> bool:
    """Whether one text contains the other and the shorter is at least `least` of the longer."""
    short, long = sorted((a, b), key=len)
    return bool(short) and short in long and len(short) >= least * len(long)


def match_quotes(gold: list[GoldQuote], predicted: list[PredictedQuote]) -> Matching:
    """Pair gold and predicted quotes of the same article: identical texts first, then loose."""
    matching = Matching()
    by_article: dict[str, list[PredictedQuote]] = defaultdict(list)
    for quote in predicted:
        by_article[quote.article].append(quote)
    unmatched: list[GoldQuote] = []
    for quote in gold:
        choice = _best(quote, by_article[quote.article], lambda p: p.text == quote.text)
        if choice is None:
            unmatched.append(quote)
            continue
        by_article[quote.article].remove(choice)
        matching.pairs.append(Pair(quote, choice, loose=False))
    for quote in unmatched:
        choice = _best(quote, by_article[quote.article], lambda p: loose_match(p.text, quote.text))
        if choice is None:
            matching.missed.append(quote)
            continue
        by_article[quote.article].remove(choice)
        matching.pairs.append(Pair(quote, choice, loose=True))
    for quote in (p for quotes in by_article.values() for p in quotes):
        openers = GOLD_OPENERS.get(quote.lang)
        (matching.outside if openers and quote.opener not in openers else matching.spurious).append(quote)
    return matching


def _best(
    gold: GoldQuote, candidates: list[PredictedQuote], fits: Callable[[PredictedQuote], bool]
) -> PredictedQuote | None:
    """The fitting candidate in the gold quote's block if it names one, else the first."""
    fitting = [p for p in candidates if fits(p)]
    if gold.block_prefix:
        fitting.sort(key=lambda p: not p.block_text.startswith(gold.block_prefix))
    return fitting[0] if fitting else None


def normalise_name(name: str) -> str:
    """A name compared loosely: NFKC, case-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def speaker_matches(gold: str, names: Iterable[str]) -> bool:
    """Whether a predicted name equals the gold speaker or one contains the other."""
    wanted = normalise_name(gold)
    for name in map(normalise_name, names):
        if name and (name in wanted or wanted in name):
            return True
    return False


def score(matching: Matching) -> Scores:
    """Counts behind every figure the benchmark prints."""
    scores = Scores(outside=len(matching.outside), matched=len(matching.pairs))
    scores.gold = len(matching.pairs) + len(matching.missed)
    predictions = [pair.predicted for pair in matching.pairs] + matching.spurious
    scores.predicted = len(predictions)
    scores.direct_gold = sum(q.kind == "direct" for q in [p.gold for p in matching.pairs] + matching.missed)
    scores.direct_predicted = sum(p.kind == "direct" for p in predictions)
    for pair in matching.pairs:
        gold, guess = pair.gold, pair.predicted
        scores.loose += pair.loose
        scores.direct_matched += gold.kind == guess.kind == "direct"
        scores.kind_right += gold.kind == guess.kind
        scores.confusion[gold.kind, guess.kind] += 1
        if gold.speaker is None:
            scores.null_gold += 1
            scores.null_right += guess.speaker is None
        else:
            scores.speaker_gold += 1
            scores.speaker_right += speaker_matches(gold.speaker, guess.speaker_names)
    scores.confusion.update((q.kind, NONE) for q in matching.missed)
    scores.confusion.update((NONE, p.kind) for p in matching.spurious)
    return scores


def format_scores(name: str, s: Scores) -> str:
    """The figures for one language (or all), as aligned text lines."""
    def figure(label: str, part: int, whole: int) -> str:
        return f"  {label:34} {ratio(part, whole):6.3f}  ({part}/{whole})"

    lines = [f"{name}: {s.gold} gold quotes, {s.predicted} predicted"
             f" (+{s.outside} in brackets the gold does not cover, not scored)",
             figure("direct-quote recall", s.direct_matched, s.direct_gold),
             figure("direct-quote precision", s.direct_matched, s.direct_predicted),
             figure("quote recall (any kind)", s.matched, s.gold),
             figure("quote precision (any kind)", s.matched, s.predicted),
             f"  {'of the matches, loose (containment)':34} {s.loose:6d}",
             figure("kind accuracy (matched)", s.kind_right, s.matched),
             figure("speaker accuracy (named in gold)", s.speaker_right, s.speaker_gold),
             figure("no speaker when gold has none", s.null_right, s.null_gold)]
    return "\n".join(lines)


def format_confusion(s: Scores) -> str:
    """Gold kinds down, predicted kinds across; '-' is a missed or spurious quote."""
    kinds = (*KINDS, NONE)
    lines = ["kinds (rows gold, columns predicted; - = missed / spurious):",
             f"  {'':9}" + "".join(f"{k:>9}" for k in kinds)]
    for gold in kinds:
        lines.append(f"  {gold:9}" + "".join(f"{s.confusion[gold, guess]:9d}" for guess in kinds))
    return "\n".join(lines)


def format_targets(s: Scores) -> str:
    parts = []
    for label, attribute, target in TARGETS:
        value = getattr(s, attribute)
        parts.append(f"{label} >= {target:.2f}: {value:.3f} {'met' if value >= target else 'NOT met'}")
    return "targets: " + "; ".join(parts)


def format_details(matching: Matching) -> str:
    """Misses, spurious quotes, wrong kinds and wrong speakers, each with its article."""
    lines = []
    for quote in matching.missed:
        speaker = quote.speaker or "no speaker"
        lines.append(f"  missed   {quote.article}: [{quote.kind}] {short(quote.text)} ({speaker})")
    for quote in matching.spurious:
        lines.append(f"  spurious {quote.article}: [{quote.kind}] {short(quote.text)}")
    for quote in matching.outside:
        opened = f"opened by {quote.opener!r}"
        lines.append(f"  unscored {quote.article}: [{quote.kind}] {short(quote.text)} {opened}")
    for pair in matching.pairs:
        gold, guess = pair.gold, pair.predicted
        where = f"{gold.article}: {short(gold.text)}"
        if pair.loose:
            lines.append(f"  loose    {where}: predicted {short(guess.text)}")
        if gold.kind != guess.kind:
            lines.append(f"  kind     {where}: gold {gold.kind}, predicted {guess.kind}")
        named = guess.speaker_names[0] if guess.speaker_names else None
        if gold.speaker is not None and not speaker_matches(gold.speaker, guess.speaker_names):
            lines.append(f"  speaker  {where}: gold {gold.speaker}, predicted {named}")
        elif gold.speaker is None and guess.speaker is not None:
            lines.append(f"  speaker  {where}: gold none, predicted {named or guess.speaker}")
    return "\n".join(lines)


def short(text: str, width: int = 40) -> str:
    return '"' + (text if len(text) <= width else text[: width - 1] + "…") + '"'


def prepare_articles(gold: list[GoldQuote], folder: Path, archive: Path) -> dict[str, str]:
    """Copy every article the gold names into folder, unmodified; return article -> text."""
    texts = {}
    articles = sorted({q.article for q in gold})
    livedoor = [a for a in articles if not a.startswith("en/")]
    if livedoor:
        with tarfile.open(archive) as tar:
            for article in livedoor:
                data = tar.extractfile(tar.getmember(article)).read()
                _write(folder / article, data)
    for article in articles:
        if article.startswith("en/"):
            _write(folder / article, (GOLD_DIR / article).read_bytes())
        texts[article] = (folder / article).read_text(encoding="utf-8")
    return texts


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def run_annotate(folder: Path, articles: list[str], profile: str) -> tuple[list[dict], float]:
    """Documents printed by one `archivist annotate` run over the articles, and its seconds."""
    paths = [str(ROOT / "src"), os.environ.get("PYTHONPATH")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, paths)))
    command = [sys.executable, "-m", "archivist", "annotate", "--format", "json", "--profile", profile,
               *articles]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    try:
        documents = json.loads(result.stdout)
    except ValueError:
        failure = f"archivist annotate failed (exit {result.returncode}):\n{result.stderr[-3000:]}"
        raise SystemExit(failure) from None
    if result.returncode:
        warning = f"warning: archivist annotate exited {result.returncode}:\n{result.stderr[-2000:]}"
        print(warning, file=sys.stderr)
    return documents, seconds


def article_finder(folder: Path) -> Callable[[str], str | None]:
    """Maps a document's source (relative to folder or absolute) to its article path."""
    root = folder.resolve()

    def article_for(source: str) -> str | None:
        try:
            return (root / source).resolve().relative_to(root).as_posix()
        except ValueError:
            return None

    return article_for


def evaluate(lang: str, folder: Path, archive: Path, profile: str) -> Matching:
    """Gold of one language against one annotate run over its articles."""
    gold = load_gold(GOLD_DIR / f"quotes_{lang}.jsonl", lang)
    texts = prepare_articles(gold, folder, archive)
    if problems := gold_problems(gold, texts):
        raise SystemExit("gold does not fit its articles:\n" + "\n".join(problems))
    documents, seconds = run_annotate(folder, sorted(texts), profile)
    print(f"{lang}: annotated {len(documents)} of {len(texts)} articles in {seconds:.1f} s"
          f" (profile {profile})")
    return match_quotes(gold, predicted_quotes(documents, lang, article_finder(folder)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=[*LANGS, "all"], default="all")
    parser.add_argument("--verbose", action="store_true", help="list misses, wrong kinds and wrong speakers")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--archive", type=Path, default=LIVEDOOR, help="the livedoor news corpus archive")
    args = parser.parse_args(argv)
    langs = LANGS if args.lang == "all" else (args.lang,)
    results = {}
    with tempfile.TemporaryDirectory(prefix="quotes-eval-") as folder:
        for lang in langs:
            results[lang] = evaluate(lang, Path(folder), args.archive, args.profile)
    if len(results) > 1:
        results["all"] = sum(results.values(), Matching())
    for name, matching in results.items():
        scores = score(matching)
        print("\n" + "\n".join([format_scores(name, scores), format_confusion(scores), format_targets(scores)]))
        if args.verbose and name != "all":
            print(format_details(matching))
    return 0


if __name__ == "__main__":
    sys.exit(main())
