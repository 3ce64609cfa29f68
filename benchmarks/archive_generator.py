"""A large, realistic archive of French posts built through the store API, for the query and export benchmarks."""

from __future__ import annotations

import argparse
import html
import random
import re
import sqlite3
import sys
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from archiver import store
from archiver.store.search import compact_index
from archiver.dates import PARIS
from archiver.items import Category, Comment, Post

BASE = "http://127.0.0.1:8000"
BATCH = 500  # posts per transaction
NOW = datetime(2026, 6, 1, tzinfo=UTC)  # the crawl time every post gets: the same file for the same seed
START, END = datetime(2005, 1, 1, tzinfo=PARIS).timestamp(), datetime(2026, 5, 1, tzinfo=PARIS).timestamp()
VOCABULARY_SEED = 9  # the vocabulary is the same whatever the archive's seed: queries stay valid
VERSION = 3  # of the generated text (3: the index compacted at the end, as a crawl leaves it): part of the benchmark's file names, so a stale archive is never reused
FUNCTION_WORDS = (
    "le la les de des du un une et à en pour dans sur par avec que qui ne pas plus au aux est sont été être "
    "a ont cette ce ces son sa ses leur mais ou où comme tout très aussi bien encore déjà après avant là"
).split()
CONTENT_WORDS = (
    "politique gouvernement état société président république europe france armée guerre paix élection député "
    "ministère économie crise réforme loi peuple nation frontière sécurité diplomatie histoire mémoire liberté "
    "égalité démocratie opinion presse écologie énergie industrie agriculture école université santé hôpital "
    "justice police impôt budget dette banque marché commerce région département commune village ville "
    "campagne église religion laïcité culture théâtre cinéma littérature roman musique chanson hiver printemps "
    "automne français française années siècle général accord traité sommet réunion conférence débat critique "
    "problème question réponse décision pouvoir autorité opposition majorité parti syndicat grève ouvrier patron"
).split()
TOPIC_WORDS = (
    "élysée souveraineté souverainiste souverain sahel bamako niamey ouagadougou wagner œcuménisme maçonnerie "
    "garçonnière cœur bœuf nœud aïeul noël ambiguïté préfecture sénatoriales référendum hétérodoxie pèlerinage "
    "clémenceau mitterrand chevènement bérégovoy séguin jaurès dreyfus lyautey pétain vichy françafrique "
    "touareg azawad kidal tombouctou gao mopti sévaré ménaka tessalit barkhane serval épervier licorne sangaris"
).split()
ONSETS = "b c d f g j l m n p r s t v ch tr pr gr bl cl fl br dr qu".split()
VOWELS = "a e i o u é è ê â ou ai au eau oi an en on in".split()
ENDINGS = "_ e es tion ment eur euse ité ique isme iste age ance ence ier ière ette ois çon œur ée ère ès".split()
PHRASES = ("président de la république", "union européenne", "état de droit", "coup d'état", "opération barkhane")
AUTHORS = ("Jean-Marc", "Hélène", "Anonyme", "François D.", "Cécile", "Loïc", "Zoé", "Bertrand", "Maëlle", "Noël")
CATEGORY_NAMES = (
    "Afrique", "Algérie", "Allemagne", "Amérique latine", "Armées", "Asie", "Chine", "Climat", "Culture",
    "Défense", "Diplomatie", "Économie", "Éducation", "Élections", "Énergie", "Espagne", "États-Unis", "Europe",
    "Francophonie", "Géopolitique", "Histoire", "Immigration", "Inde", "Italie", "Justice", "Laïcité", "Mali",
    "Médias", "Moyen-Orient", "Niger", "Outre-mer", "Présidentielle", "Religions", "Royaume-Uni", "Russie",
    "Sahel", "Santé", "Sécurité", "Société", "Terrorisme",
)


def slugify(text: str) -> str:
    """Lower case ASCII words joined by dashes ("Défense" -> "defense", "cœur" -> "coeur")."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def coined_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` new French-looking words (syllables and a suffix), none of them in `taken`."""
    words: list[str] = []
    while len(words) < count:
        stem = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(1, 3)))
        word = stem + rng.choice(ENDINGS).strip("_")
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def vocabulary() -> tuple[list[str], list[float], list[str], list[float]]:
    """Body words and their cumulative weights (function words, about half the text, then a Zipf tail), and topics.

    The most common content word is in about half the posts, the rarest in 1-2%; a rare topic in a few.
    """
    rng = random.Random(VOCABULARY_SEED)
    taken = set(FUNCTION_WORDS + CONTENT_WORDS + TOPIC_WORDS)
    common = CONTENT_WORDS + coined_words(rng, 3000, taken)
    topics = TOPIC_WORDS + coined_words(rng, 300 - len(TOPIC_WORDS), taken)
    weights = [4.0] * len(FUNCTION_WORDS) + [30.0 / (rank + 50) ** 0.9 for rank in range(len(common))]
    topic_weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(topics))]
    return FUNCTION_WORDS + common, cumulative(weights), topics, cumulative(topic_weights)


def cumulative(weights: list[float]) -> list[float]:
    """Running sums, for random.choices(cum_weights=...)."""
    total, sums = 0.0, []
    for weight in weights:
        total += weight
        sums.append(total)
    return sums


WORDS, WORD_WEIGHTS, TOPICS, TOPIC_WEIGHTS = vocabulary()


def paragraphs(rng: random.Random, topics: list[str]) -> list[str]:
    """150-600 words in sentences and paragraphs, the post's topic words and sometimes a set phrase among them."""
    words = rng.choices(WORDS, cum_weights=WORD_WEIGHTS, k=rng.randint(150, 600))
    for topic in topics:
        for _ in range(rng.randint(1, 4)):
            words[rng.randrange(len(words))] = topic
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = rng.choice(PHRASES)
    sentences, start = [], 0
    while start < len(words):
        end = start + rng.randint(8, 20)
        text = " ".join(words[start:end])
        sentences.append(text[0].upper() + text[1:] + ".")
        start = end
    size = rng.randint(3, 6)
    return [" ".join(sentences[cut:cut + size]) for cut in range(0, len(sentences), size)]


def comments(rng: random.Random, published: datetime) -> list[Comment]:
    """0-6 reader comments, posted within a month of the post."""
    found = []
    for _ in range(rng.randint(0, 6)):
        author = rng.choice(AUTHORS)
        text = " ".join(rng.choices(WORDS, cum_weights=WORD_WEIGHTS, k=rng.randint(10, 60))).capitalize() + "."
        moment = datetime.fromtimestamp(published.timestamp() + rng.randint(600, 30 * 86400), PARIS)
        url = f"http://{slugify(author)}.example.org/" if rng.random() < 0.4 else None
        found.append(Comment(author, url, moment, text, f"<p>{html.escape(text)}</p>"))
    return found


def make_post(rng: random.Random, post_id: int, published: datetime, categories: list[Category]) -> Post:
    """One post: a titled body on one to three topics, filed under one to three categories."""
    topics = list(dict.fromkeys(rng.choices(TOPICS, cum_weights=TOPIC_WEIGHTS, k=rng.randint(1, 3))))
    title = " ".join(rng.choices(WORDS[len(FUNCTION_WORDS):], k=rng.randint(2, 6)) + topics[:1]).capitalize()
    texts, found = paragraphs(rng, topics), comments(rng, published)
    url = f"{BASE}/archive/{published:%Y/%m/%d}/{slugify(title)[:60].strip('-')}-{post_id}.html"
    return Post(
        id=str(post_id), url=url, title=title, published=published, author="Le Blogueur",
        body_html="".join(f"<p>{html.escape(text)}</p>" for text in texts), body_text="\n\n".join(texts),
        categories=rng.sample(categories, rng.randint(1, 3)), comments=found,
        comments_count=len(found), extraction="benchmark",
    )


def iter_posts(posts: int, seed: int):
    """The archive's posts, ids and dates both ascending (older posts have smaller ids)."""
    rng = random.Random(seed)
    categories = [Category(name, f"{BASE}/archives/category/{slugify(name)}/index.html") for name in CATEGORY_NAMES]
    ids = sorted(rng.sample(range(1_000_000, 10_000_000), posts))
    stamps = sorted(rng.uniform(START, END) for _ in range(posts))
    for post_id, stamp in zip(ids, stamps, strict=True):
        yield make_post(rng, post_id, datetime.fromtimestamp(int(stamp), PARIS), categories)


def post_count(path: Path) -> int | None:
    """How many posts the archive at `path` holds; None if there is no readable archive."""
    if not path.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    except sqlite3.Error:
        return None


def generate_archive(path: str | Path, posts: int, seed: int = 0) -> Path:
    """The archive of `posts` generated posts at `path`: reused if it holds that many, else built anew."""
    path = Path(path)
    if post_count(path) == posts:
        print(f"archive {path}: {posts} posts, reused", flush=True)
        return path
    partial = path.with_name(path.name + ".partial")
    for stale in (path, partial):
        for end in ("", "-wal", "-shm"):
            stale.with_name(stale.name + end).unlink(missing_ok=True)
    started, db = time.monotonic(), store.open_archive(partial)
    try:
        pending = iter_posts(posts, seed)
        for done in range(0, posts, BATCH):
            with store.batch(db):
                for _, post in zip(range(BATCH), pending):
                    store.save_post(db, post, run_id=None, now=NOW)
            print(f"\r  {min(done + BATCH, posts)}/{posts} posts", end="", file=sys.stderr, flush=True)
        compact_index(db)  # as a crawl leaves its archive (archiver.store.writer: compact_search_index)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
        print(file=sys.stderr)
    partial.replace(path)
    print(f"archive {path}: {posts} posts generated in {time.monotonic() - started:.1f} s", flush=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generate_archive(args.path, args.posts, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
