"""Search's shortcuts (one pass for phrases and filters, filters as a rowid list, prefix snippets in one pass)
give the hits and counts that plain bm25 over every match gives, on a generated archive of 400 posts."""

from __future__ import annotations

import importlib
import shutil
import sqlite3

import pytest

from archiver import store
from archiver.store.search import HIT_END, HIT_START, RANK, prepare_for_search
from benchmarks.archive_generator import generate_archive

search_module = importlib.import_module("archiver.store.search")  # the module (`store.search` is its function)


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return generate_archive(tmp_path_factory.mktemp("speedups") / "posts.db", 400, seed=3)


@pytest.fixture(scope="module")
def db(archive_path):
    archive = prepare_for_search(store.open_readonly_archive(archive_path))
    yield archive
    archive.close()


def bm25_best(db, fts_query: str, kept: set[str] | None = None, limit: int = 20) -> tuple[list[tuple], int]:
    """The reference: (post id, rank) of the best matches by bm25 over every match, and how many match."""
    ids = dict(db.execute("SELECT rowid, id FROM posts").fetchall())
    ranked = db.execute(f"SELECT rowid, {RANK} AS rank FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rank", [fts_query])
    found = [(ids[rowid], rank) for rowid, rank in ranked if kept is None or ids[rowid] in kept]
    return found[:limit], len(found)


def in_category(db, name: str) -> set[str]:
    sql = "SELECT post_id FROM post_categories JOIN categories ON slug = category_slug WHERE name = ?"
    return {post_id for post_id, in db.execute(sql, [name])}


def same_ranking(result: store.SearchResult, reference: list[tuple]) -> bool:
    """The hits are the reference's, best first (posts of equal rank in either order)."""
    ranks = dict(bm25 for bm25 in reference)
    return ([hit["rank"] for hit in result.hits] == [rank for _, rank in reference]
            and all(ranks.get(hit["id"]) == hit["rank"] for hit in result.hits))


def test_a_phrase_is_ranked_by_bm25_over_every_match_and_counted_exactly(db):
    result = store.search(db, '"union européenne"')
    reference, total = bm25_best(db, '"union européenne"')
    assert total > 0 and result.total == total and same_ranking(result, reference)
    assert all(f"{HIT_START}union européenne{HIT_END}" in hit["snippet"].lower() for hit in result.hits)


def test_a_phrase_matching_more_posts_than_one_pass_ranks_gets_the_same_hits(db, monkeypatch):
    monkeypatch.setattr(search_module, "RANK_IN_ONE_PASS", 3)
    result = store.search(db, '"union européenne"')
    reference, total = bm25_best(db, '"union européenne"')
    assert result.total == total and same_ranking(result, reference)


def test_a_category_filter_counts_its_matches_exactly_and_ranks_them_like_bm25(db):
    result = store.search(db, "politique", category="Sahel", limit=5)
    reference, total = bm25_best(db, '"politique"', in_category(db, "Sahel"), limit=5)
    assert 5 < total and result.total == total and same_ranking(result, reference)
    assert all("Sahel" in {category["name"] for category in hit["categories"]} for hit in result.hits)


def test_a_filter_keeping_more_posts_than_are_listed_is_left_to_sqlite_with_the_same_hits(db, monkeypatch):
    listed = store.search(db, "politique", category=["Sahel", "Mali"])
    monkeypatch.setattr(search_module, "KEPT_LISTED", 10)
    by_sqlite = store.search(db, "politique", category=["Sahel", "Mali"])
    reference, _ = bm25_best(db, '"politique"', in_category(db, "Sahel") | in_category(db, "Mali"))
    assert same_ranking(listed, reference) and same_ranking(by_sqlite, reference)


@pytest.mark.parametrize("span", [1, 10**6])  # the kept posts as a JSON list of rowids, or a byte per rowid
def test_the_kept_posts_listed_either_way_give_the_hits_and_count_of_bm25(db, monkeypatch, span):
    monkeypatch.setattr(search_module, "MAX_KEPT_SPAN", span)
    result = store.search(db, "politique", category="Sahel", limit=5)
    reference, total = bm25_best(db, '"politique"', in_category(db, "Sahel"), limit=5)
    assert 5 < total and result.total == total and same_ranking(result, reference)


def test_date_filters_keep_the_posts_of_their_period_ranked_like_bm25(db):
    result = store.search(db, "guerre", since="2010", until="2015")
    kept = {post_id for post_id, in db.execute(
        "SELECT id FROM posts WHERE published_utc >= '2009-12-31T23:00:00' AND published_utc < '2015-12-31T23:00:00'")}
    reference, total = bm25_best(db, '"guerre"', kept)
    assert result.total == total and same_ranking(result, reference)
    assert all("2010" <= hit["published"][:4] <= "2015" for hit in result.hits)


def test_a_filter_that_keeps_no_post_finds_nothing(db):
    result = store.search(db, "politique", since="2030")
    assert result.hits == [] and result.total == 0


def test_a_prefix_search_marks_the_words_it_found_in_every_snippet(db):
    result = store.search(db, "polit*")
    every, total = bm25_best(db, "polit*", limit=400)
    assert result.total == total and {hit["id"] for hit in result.hits} <= {post_id for post_id, _ in every}
    assert all(f"{HIT_START}polit" in hit["snippet"].lower() for hit in result.hits)


def test_a_connection_prepared_for_search_reads_the_archive_through_a_memory_map(db):
    assert db.execute("PRAGMA mmap_size").fetchone()[0] > 0


@pytest.mark.parametrize("query", ["polit*", "polit* guerre", "guerre OR polit*", "polit* NOT guerre", "souver*"])
def test_a_prefix_spelled_out_as_the_index_words_matches_the_posts_fts5s_prefix_matches(db, query):
    spelled_out = search_module._prefixes_spelled_out(db, query)
    assert "*" not in spelled_out
    matches = lambda fts: {rowid for rowid, in db.execute("SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?", [fts])}  # noqa: E731
    assert matches(spelled_out) == matches(query) and store.search(db, query).total == len(matches(query))


@pytest.mark.parametrize("query", ['"polit*"', "title: polit*", "^polit*", "œcu*", "(polit* OR guerre)"])
def test_a_prefix_in_fts5_syntax_or_with_letters_the_tokenizer_folds_its_own_way_is_left_as_written(db, query):
    assert search_module._prefixes_spelled_out(db, query) == query


def test_a_category_filter_reads_its_post_ids_from_an_index_alone(tmp_path):
    db = store.open_archive(generate_archive(tmp_path / "posts.db", 60, seed=4))
    plan = " ".join(row[3] for row in db.execute(
        "EXPLAIN QUERY PLAN SELECT post_id FROM post_categories WHERE category_slug IN ('sahel')"))
    assert "COVERING INDEX idx_post_categories_category_slug_post_id" in plan
    assert store.search(db, "politique", category="Sahel").hits
    db.close()


def index_in_segments(source, path, segments: int):
    """A copy of the archive whose full-text index is in one segment (`compact_index`, which merges it once),
    or in at least `segments` (posts re-indexed in as many transactions, FTS5's automatic merging off)."""
    shutil.copy(source, path)
    with sqlite3.connect(path) as conn:  # generated as a crawl leaves it, in one segment: re-indexed in parts
        conn.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES('automerge', 0)")
        for part in range(max(segments, 3)):  # as an edit's trigger does: the posts out of the index, then back in
            conn.execute("INSERT INTO posts_fts (posts_fts, rowid, title, body_text) SELECT 'delete', rowid, title,"
                         " body_text FROM posts WHERE rowid % ? = ?", [max(segments, 3), part])
            conn.execute("INSERT INTO posts_fts (rowid, title, body_text) SELECT rowid, title, body_text FROM posts"
                         " WHERE rowid % ? = ?", [max(segments, 3), part])
            conn.commit()
    conn.close()
    if segments == 1:
        writable = store.open_archive(path)
        assert search_module.compact_index(writable) and not search_module.compact_index(writable)
        writable.close()
    return prepare_for_search(store.open_readonly_archive(path))


def test_the_index_says_how_many_segments_it_is_in(archive_path, tmp_path):
    one, many = index_in_segments(archive_path, tmp_path / "one.db", 1), index_in_segments(archive_path, tmp_path / "many.db", 6)
    assert search_module.index_segments(one) == 1 and search_module.index_segments(many) >= 6
    one.close(), many.close()


QUERIES = ['"union européenne"', "politique", "guerre élysée", "souver*", "zzzz"]


@pytest.mark.parametrize("segments", [1, 6])
def test_snippets_made_by_a_search_per_hit_or_in_one_pass_are_the_same(archive_path, tmp_path, monkeypatch, segments):
    db = index_in_segments(archive_path, tmp_path / "posts.db", segments)
    results = {}
    for pass_below in (0, 10**6):  # an index of more segments than this: one pass when few posts match
        monkeypatch.setattr(search_module, "COMPACT_SEGMENTS", pass_below)
        results[pass_below] = [[(hit["id"], hit["rank"], hit["snippet"]) for hit in store.search(db, query).hits]
                               for query in QUERIES]
    db.close()
    assert results[0] == results[10**6] and all(results[0][:4]) and results[0][4] == []
    assert all(HIT_START in snippet for hits in results[0] for _, _, snippet in hits)


def test_a_compacted_index_finds_the_same_hits_ranks_totals_and_snippets(archive_path, tmp_path):
    one, many = index_in_segments(archive_path, tmp_path / "one.db", 1), index_in_segments(archive_path, tmp_path / "many.db", 6)
    found = lambda db, query: (lambda result: (result.total, [(hit["id"], hit["rank"], hit["snippet"]) for hit in result.hits]))(  # noqa: E731
        store.search(db, query, limit=30))
    assert all(found(one, query) == found(many, query) for query in QUERIES)
    one.close(), many.close()


def test_a_filter_folds_ascii_names_slugs_and_urls_as_fold_does():
    from archiver.folding import fold
    from archiver.store.filters import _folded
    every_ascii = "".join(map(chr, range(128)))
    for text in [every_ascii, "  /Moyen-Orient/ ", "http://127.0.0.1:8000/GEOPOLITIQUE/", "Défense", "Œuvres", None]:
        assert _folded(text) == fold((text or "").strip().strip("/"))


def test_a_crawl_leaves_its_full_text_index_in_one_segment_finding_every_post(home_crawl):
    db = store.open_archive(home_crawl.db)
    try:
        assert search_module.index_segments(db) == 1
        db.execute("INSERT INTO posts_fts(posts_fts) VALUES('integrity-check')")  # raises if the index is damaged
        assert db.execute("SELECT count(*) FROM posts_fts").fetchone()[0] == db["posts"].count > 70
    finally:
        db.close()
