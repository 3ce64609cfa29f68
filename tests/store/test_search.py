"""`archiver search` on an archive made by crawling the replica: phrases, accents, filters, bad queries."""

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from archiver.folding import LIGATURES
from archiver.store.search import fts_query
from conftest import PROJECT, run_archiver

SEED = PROJECT / "archiver" / "replica" / "seed_mali_russie.txt"
SEED_TITLES = [line.strip()[2:] for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip().startswith("• ")]


@pytest.fixture(scope="module")
def archive(home_crawl):
    assert home_crawl.result.returncode == 0, home_crawl.result.stderr
    return home_crawl


def search(archive, *args: str) -> list[dict]:
    result = run_archiver("search", *args, "--db", str(archive.db), "--json", "--limit", "100")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def phrase_of(body: str) -> str:
    """Six words from the middle of a body, with at least one accented word when there is one."""
    words = body.split()
    accented = [i for i, word in enumerate(words) if word != without_accents(word)] or [len(words) // 2]
    start = max(0, min(accented[len(accented) // 2] - 2, len(words) - 6))
    return " ".join(words[start:start + 6])


@pytest.mark.parametrize("title", SEED_TITLES)
def test_each_seed_post_is_found_by_a_phrase_of_its_body_with_and_without_accents(archive, title):
    post = next(record for record in archive.truth if record["title"] == title)
    phrase = phrase_of(post["body_text"])
    for query in (phrase, without_accents(phrase).upper(), f'"{without_accents(phrase)}"'):
        hits = search(archive, query)
        assert post["id"] in [hit["id"] for hit in hits][:3], f"{query!r} did not find {title!r}"


def test_a_hit_is_an_export_record_with_its_rank_and_a_snippet_with_the_match_marked(archive):
    hit = search(archive, "lavrov")[0]
    assert hit["title"] == SEED_TITLES[0]
    assert hit["rank"] < 0 and "[Lavrov]" in hit["snippet"]
    assert list(hit)[:3] == ["id", "url", "title"] and list(hit)[-2:] == ["rank", "snippet"]


def test_the_text_output_gives_title_date_categories_snippet_and_how_many_matched(archive):
    result = run_archiver("search", "Lavrov coloniale", "--db", str(archive.db))
    lines = result.stdout.splitlines()
    assert lines[0] == f"1. {SEED_TITLES[0]}"
    assert lines[1].startswith("   2022-02-04 ") and "Relations Mali-Russie" in lines[1]
    assert "[Lavrov]" in lines[2] and lines[3].startswith("   http://127.0.0.1:")
    assert lines[-1] == "1 post matches 'Lavrov coloniale'."
    some = run_archiver("search", "Mali", "--db", str(archive.db), "--limit", "2").stdout.splitlines()
    assert some[-1] == f"{len(search(archive, 'Mali'))} posts match 'Mali' (the best 2; --limit for more)."


def test_the_category_filter_keeps_posts_filed_under_any_of_the_categories_named(archive):
    everything = search(archive, "russie")
    mali = search(archive, "russie", "--category", "relations mali-russie")
    both = search(archive, "russie", "--category", "Relations Mali-Russie", "--category", "AFRICOM")
    names = lambda hit: {category["name"] for category in hit["categories"]}  # noqa: E731
    assert 0 < len(mali) < len(everything) and all("Relations Mali-Russie" in names(hit) for hit in mali)
    assert {hit["id"] for hit in mali} < {hit["id"] for hit in both}
    assert all(names(hit) & {"Relations Mali-Russie", "AFRICOM"} for hit in both)


def test_date_filters_cut_on_the_publication_date_french_or_iso(archive):
    everything = search(archive, "mali")
    before = search(archive, "mali", "--until", "3 février 2022")
    after = search(archive, "mali", "--since", "2022-02-04")
    assert before and after and len(before) + len(after) == len(everything)
    assert all(hit["published"] < "2022-02-04" for hit in before)
    assert all(hit["published"] >= "2022-02-04" for hit in after)
    february = search(archive, "mali", "--since", "février 2022", "--until", "février 2022")
    assert february and all(hit["published"].startswith("2022-02") for hit in february)


@pytest.mark.parametrize("query, reason", [
    ('"coloniale', "unterminated string"),
    ("AND", 'syntax error near "AND"'),
    ("NEAR(mali", "syntax error"),
])
def test_a_query_fts5_cannot_parse_exits_2_with_one_line_and_no_traceback(archive, query, reason):
    result = run_archiver("search", query, "--db", str(archive.db))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"Error: bad search query {query!r}: ") and reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("query, expected", [
    ("l'armée", '"l\'armée"'),
    ("jean-pierre and co", '"jean-pierre" AND "and" AND "co"'),
    ("sacré coeur", '"sacré" AND ("coeur" OR "cœur")'),
    ("Œuvre", '("Œuvre" OR "OEuvre" OR "Oeuvre")'),
    ('"mentalité coloniale" OR lavrov', '"mentalité coloniale" OR lavrov'),
    ("souver*", "souver*"),
])
def test_plain_words_are_quoted_and_fts5_syntax_is_kept(query, expected):
    assert fts_query(query) == expected


def test_an_unknown_category_or_a_bad_date_exits_2_and_names_it(archive):
    unknown = run_archiver("search", "mali", "--db", str(archive.db), "--category", "Relations Mali-Russe")
    assert unknown.returncode == 2 and "did you mean 'Relations Mali-Russie'" in unknown.stderr
    bad_date = run_archiver("search", "mali", "--db", str(archive.db), "--since", "la Saint-Glinglin")
    assert bad_date.returncode == 2 and bad_date.stderr.startswith("Error: not a date: 'la Saint-Glinglin'")


def test_sqlite_utils_search_finds_posts_in_the_archive(archive):
    sqlite_utils = Path(sys.executable).with_name("sqlite-utils")
    result = subprocess.run([sqlite_utils, "search", archive.db, "posts", "lavrov", "--limit", "5", "--csv"],
                            capture_output=True, text=True, check=True)
    assert SEED_TITLES[0] in result.stdout


def test_coeur_finds_cœur_and_elysee_finds_élysée(tmp_path):
    from archiver import store
    from archiver.items import Post

    db = store.open_archive(tmp_path / "a.db")
    store.save_post(db, Post("1", "http://127.0.0.1:8000/archive/2022/02/04/a-1.html", title="Au cœur de l'Élysée", body_text="Texte."), run_id=None)
    store.save_post(db, Post("2", "http://127.0.0.1:8000/archive/2022/02/05/b-2.html", title="Le coeur du sujet", body_text="Texte."), run_id=None)
    assert sorted(hit["id"] for hit in store.search_posts(db, "coeur")) == ["1", "2"]
    assert sorted(hit["id"] for hit in store.search_posts(db, "cœur")) == ["1", "2"]
    assert [hit["id"] for hit in store.search_posts(db, "ELYSEE")] == ["1"]


@pytest.mark.parametrize("joined, opened", sorted(LIGATURES.items()))
def test_every_ligature_the_folding_opens_is_searched_both_ways(joined, opened):
    assert f'"c{opened}ur"' in fts_query(f"c{joined}ur") and f'"c{joined}ur"' in fts_query(f"c{opened}ur")
