"""The export contract (the README's "The export record"): record fields and order, JSON and JSON Lines."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from archiver import store
from archiver.errors import NotAnArchive, UsageError
from archiver.views.export_records import (
    export_record,
    export_to,
    iter_export_records,
    write_json,
    write_jsonl,
)
from archiver.items import Category, Comment, ExtractionWarning, Post

PARIS = ZoneInfo("Europe/Paris")
T1 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
T3 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
BLOG = "http://127.0.0.1:8000"
RECORD_FIELDS = [
    "id", "url", "title", "published", "author", "body_html", "body_text", "print_url",
    "categories", "tags", "comments_count", "comments", "first_seen", "last_seen", "updated", "gone",
    "content_hash", "warnings", "notes",
]


def make_post(post_id: str, day: int, **fields) -> Post:
    """A post published on the given day of February 2022, at 10:30 Paris time."""
    defaults = {
        "url": f"{BLOG}/archive/2022/02/{day:02d}/post-{post_id}.html",
        "title": f"Billet {post_id} de février",
        "published": datetime(2022, 2, day, 10, 30, tzinfo=PARIS),
        "body_html": "<p>Bamako.</p>",
        "body_text": "Bamako.",
        "print_url": f"{BLOG}/archive/2022/02/{day:02d}/post-{post_id}.html?print=1",
        "categories": [Category("AFRICOM", f"{BLOG}/africom/")],
        "comments_count": 1,
        "comments": [Comment(author="Anne", author_url="https://anne.example/", body_text="Merci.")],
    }
    return Post(id=post_id, **(defaults | fields))


@pytest.fixture
def db(tmp_path):
    archive = store.open_archive(tmp_path / "archive.db")
    for post_id, day in [("101", 3), ("102", 4), ("103", 5)]:
        store.save_post(archive, make_post(post_id, day), run_id=None, now=T1)
    yield archive
    archive.close()


def test_export_record_has_the_contract_fields_in_order(db):
    record = next(iter_export_records(db))

    assert list(record) == RECORD_FIELDS
    assert record["published"] == "2022-02-03T10:30:00+01:00"
    assert record["categories"] == [{"name": "AFRICOM", "url": f"{BLOG}/africom/"}]
    assert record["comments"] == [{"author": "Anne", "author_url": "https://anne.example/",
                                   "published": None, "body_text": "Merci.", "body_html": None, "removed": None}]
    assert record["first_seen"] == "2026-11-24T10:00:00+00:00"


def test_the_record_ends_with_the_posts_extraction_warnings_and_notes(db):
    doubted = make_post(
        "101", 3,
        warnings=[ExtractionWarning("comments-missing", "comments", "page says 3 commentaires, 0 comments found")],
        notes=["page date 2022-02-03 differs from permalink day 2022-02-02"],
    )
    store.save_post(db, doubted, run_id=None, now=T2)

    record = next(iter_export_records(db))

    assert list(record)[-3:] == ["content_hash", "warnings", "notes"]
    assert record["warnings"] == [
        {"kind": "comments-missing", "field": "comments", "detail": "page says 3 commentaires, 0 comments found"}
    ]
    assert record["notes"] == ["page date 2022-02-03 differs from permalink day 2022-02-02"]


def test_a_post_without_doubts_exports_empty_warnings_and_notes(db):
    record = next(iter_export_records(db))
    assert (record["warnings"], record["notes"]) == ([], [])


def test_revisions_come_before_content_hash_and_only_when_asked(db):
    edited = make_post("101", 3)
    edited.body_text = "Bamako, mis à jour."
    store.save_post(db, edited, run_id=None, now=T2)

    row = store.get_post(db, "101")
    record = export_record(row, with_revisions=True)

    assert list(record)[-4:] == ["revisions", "content_hash", "warnings", "notes"]
    assert [r["body_text"] for r in record["revisions"]] == ["Bamako."]
    assert list(record["revisions"][0]) == [
        "title", "body_text", "body_html", "categories", "tags", "comments", "published", "author", "print_url",
        "comments_count", "content_hash", "seen_from", "seen_until",
    ]
    assert "revisions" not in export_record(row)


def test_each_revision_has_the_categories_and_comments_it_had(db):
    store.save_post(db, make_post("101", 3, comments=[]), run_id=None, now=T2)  # Anne's comment moderated away
    store.save_post(db, make_post("101", 3, categories=[]), run_id=None, now=T3)  # back; the category removed

    record = export_record(store.get_post(db, "101"), with_revisions=True)

    first, second = record["revisions"]
    assert first["categories"] == second["categories"] == [{"name": "AFRICOM", "url": f"{BLOG}/africom/"}]
    assert first["comments"] == [{"author": "Anne", "author_url": "https://anne.example/", "published": None,
                                  "body_text": "Merci.", "body_html": None}]
    assert second["comments"] == []
    assert (record["categories"], [c["removed"] for c in record["comments"]]) == ([], [None])


def test_a_comment_no_longer_on_the_page_is_exported_with_the_last_time_it_was_seen(db):
    store.save_post(db, make_post("101", 3, comments=[]), run_id=None, now=T2)
    [comment] = next(iter_export_records(db))["comments"]
    assert (comment["author"], comment["removed"]) == ("Anne", "2026-11-24T10:00:00+00:00")


def test_write_json_writes_a_valid_empty_array():
    out = io.StringIO()
    assert write_json([], out) == 0
    assert json.loads(out.getvalue()) == []


def test_write_json_streams_the_same_array_json_dumps_would_write(db):
    records = list(iter_export_records(db))
    out = io.StringIO()

    assert write_json(iter(records), out) == 3
    assert json.loads(out.getvalue()) == records
    assert out.getvalue() == json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    assert "février" in out.getvalue()


def test_write_jsonl_writes_one_compact_object_per_line(db):
    out = io.StringIO()

    assert write_jsonl(iter_export_records(db), out) == 3
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert [json.loads(line)["id"] for line in lines] == ["101", "102", "103"]
    assert "février" in lines[0] and ": " not in lines[0][:20]


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({"since": "2022-02-04"}, ["102", "103"]),
        ({"until": "2022-02-04"}, ["101", "102"]),
        ({"since": "2022-02-04", "until": "2022-02-04"}, ["102"]),
        ({"since": "4 février 2022", "until": "5 février 2022"}, ["102", "103"]),
        ({"until": "février 2022"}, ["101", "102", "103"]),
        ({"since": "2022-03"}, []),
        ({"category": "africom"}, ["101", "102", "103"]),
        ({"category": ["Mali", "AFRICOM"], "since": "2022-02-05"}, ["103"]),
    ],
)
def test_export_filters_by_date_and_category(db, filters, ids):
    store.save_post(db, make_post("104", 6, categories=[Category("Mali", f"{BLOG}/mali/")]), run_id=None, now=T1)
    assert [record["id"] for record in iter_export_records(db, **filters) if record["id"] != "104"] == ids


def test_a_category_the_archive_does_not_have_is_an_error_that_names_the_close_ones(db):
    with pytest.raises(UsageError, match="no category 'AFRICON' in the archive; did you mean 'AFRICOM'"):
        iter_export_records(db, category=["AFRICON"])


def test_a_delta_export_has_the_posts_new_changed_or_gone_since_a_date(db):
    store.save_post(db, make_post("102", 4, title="Titre corrigé"), run_id=None, now=T2)
    store.mark_gone(db, "103", now=T3)
    assert [record["id"] for record in iter_export_records(db, updated_since="2026-11-25")] == ["102", "103"]
    assert [record["id"] for record in iter_export_records(db, updated_since="2026-11-26")] == ["103"]
    assert [record["id"] for record in iter_export_records(db, updated_since="2026-11-27")] == []


def test_export_to_writes_a_file_from_an_archive_path(db, tmp_path):
    out = tmp_path / "posts.jsonl"
    assert export_to("jsonl", tmp_path / "archive.db", out, since="2022-02-05") == 1
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["103"]


def test_export_to_leaves_no_file_when_a_filter_is_wrong(db, tmp_path):
    out = tmp_path / "posts.json"
    with pytest.raises(UsageError, match="bientôt"):
        export_to("json", tmp_path / "archive.db", out, since="bientôt")
    assert list(tmp_path.glob("posts.json*")) == []


def test_export_to_refuses_a_missing_archive(tmp_path):
    with pytest.raises(NotAnArchive, match="no archive"):
        export_to("json", tmp_path / "missing.db", tmp_path / "out.json")
    assert not (tmp_path / "missing.db").exists()
