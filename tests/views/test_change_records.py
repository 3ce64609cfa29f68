"""A post's changes as `archiver changes` lists them, read from its versions (archiver.views.changes.post_changes)."""

from archiver.views.changes import changes_text, post_changes

MALI = {"name": "Mali", "url": "http://b.example/mali/"}
RUSSIE = {"name": "Russie", "url": "http://b.example/russie/"}
LAVROV = {"id": 7, "author": "Ami", "published": "2022-02-04", "body_text": "Merci.", "removed": None}


def post(**fields):
    """A post as store.load_posts gives it with its revisions: first seen on March 1st, never changed."""
    base = {"id": "6362153", "url": "http://b.example/archive/2022/02/04/note-6362153.html", "title": "Mali-Russie",
            "body_text": "Un.", "body_html": "<p>Un.</p>", "categories": [MALI], "tags": [], "comments": [],
            "published": "2022-02-04T10:30:00+01:00", "author": None, "print_url": None, "comments_count": 0,
            "first_seen": "2022-03-01T10:00:00+00:00", "updated": "2022-03-01T10:00:00+00:00", "gone": None,
            "revisions": []}
    return base | fields


def revision(record, seen_from, seen_until, **fields):
    """An earlier version of `record` as load_posts gives it."""
    kept = {key: record[key] for key in ("title", "body_text", "body_html", "categories", "tags", "comments",
                                         "published", "author", "print_url", "comments_count")}
    return kept | {"seen_from": seen_from, "seen_until": seen_until} | fields


def kinds(changes):
    return [(change["kind"], change["at"], change["summary"]) for change in changes]


def test_a_post_never_changed_has_no_change_but_its_arrival():
    assert post_changes(post()) == []


def test_new_categories_and_a_comment_in_one_version_are_two_changes_and_no_edit():
    now = post(categories=[MALI, RUSSIE], comments=[LAVROV], comments_count=1, updated="2022-03-02T10:00:00+00:00")
    now["revisions"] = [revision(now, "2022-03-01T10:00:00+00:00", "2022-03-02T10:00:00+00:00",
                                 categories=[MALI], comments=[], comments_count=0)]
    found = post_changes(now)
    assert kinds(found) == [("categories", "2022-03-02T10:00:00+00:00", "categories (+1 -0)"),
                            ("comments-added", "2022-03-02T10:00:00+00:00", "1 new comment")]
    assert found[0]["categories_added"] == ["Russie"] and found[1]["comments"] == [
        {"author": "Ami", "published": "2022-02-04", "body_text": "Merci."}]


def test_a_removed_comment_is_a_change_of_its_own():
    now = post(comments=[{**LAVROV, "removed": "2022-03-01T10:00:00+00:00"}], updated="2022-03-02T10:00:00+00:00")
    now["revisions"] = [revision(now, "2022-03-01T10:00:00+00:00", "2022-03-02T10:00:00+00:00", comments=[LAVROV])]
    assert kinds(post_changes(now)) == [("comments-removed", "2022-03-02T10:00:00+00:00", "1 comment removed")]


def test_a_post_back_from_gone_unchanged_returned_when_its_version_started_again():
    assert kinds(post_changes(post(updated="2022-03-05T10:00:00+00:00"))) == [
        ("returned", "2022-03-05T10:00:00+00:00", "back: answers again")]


def test_a_post_back_then_edited_returned_where_its_earlier_version_started_and_a_gone_post_says_since_when():
    now = post(title="Mali et Russie", updated="2022-03-09T10:00:00+00:00", gone="2022-03-10T10:00:00+00:00")
    now["revisions"] = [revision(now, "2022-03-05T10:00:00+00:00", "2022-03-09T10:00:00+00:00", title="Mali-Russie")]
    assert kinds(post_changes(now)) == [("returned", "2022-03-05T10:00:00+00:00", "back: answers again"),
                                        ("edited", "2022-03-09T10:00:00+00:00", "title"),
                                        ("gone", "2022-03-10T10:00:00+00:00", "gone: answers 404 or 410")]


def test_the_text_lists_one_change_a_line_under_a_heading():
    found = post_changes(post(updated="2022-03-05T10:00:00+00:00"))
    assert changes_text(found, "2022-03-01T00:00:00+00:00", default=True) == (
        "1 change since 2022-03-01 00:00:00 UTC (the last run's start), newest first:\n"
        "2022-03-05 10:00:00 UTC  returned  6362153  Mali-Russie: back: answers again")
    assert changes_text([], "2022-03-01T00:00:00+00:00", default=False) == "No change since 2022-03-01 00:00:00 UTC."
