"""What changed between two versions of a post, and the one line that says it (archiver.views.version_changes)."""

from archiver.views.version_changes import compare_versions, post_changes, shown_version, text_lines_diff

LAVROV = {"author": "Ami", "published": "2022-02-04T10:30:00+01:00", "body_text": "Merci pour Lavrov."}
WAGNER = {"author": "Bob", "published": "2022-02-05", "body_text": "Et Wagner ?"}
MALI = {"name": "Mali", "url": "http://b.example/mali/"}
RUSSIE = {"name": "Russie", "url": "http://b.example/russie/"}


def version(**fields):
    base = {"title": "Relations Mali-Russie", "body_text": "Premier paragraphe.\n\nDeuxième paragraphe.",
            "body_html": "<p>Premier paragraphe.</p><p>Deuxième paragraphe.</p>", "categories": [MALI], "tags": [],
            "comments": [LAVROV], "published": "2022-02-04T10:30:00+01:00", "author": None, "print_url": None,
            "comments_count": 1}
    return base | fields


def test_the_same_version_twice_is_no_change():
    change = compare_versions(version(), version(body_text="Premier   paragraphe.\n\n\nDeuxième paragraphe."))
    assert not change and change.fields == [] and change.summary() == "no change"


def test_a_new_title_and_a_paragraph_changed_read_as_title_and_text_lines():
    after = version(title="Mali et Russie", body_text="Premier paragraphe.\n\nDeuxième, revu.\n\nTroisième.",
                    body_html="<p>Premier paragraphe.</p><p>Deuxième, revu.</p><p>Troisième.</p>")
    change = compare_versions(version(), after)
    assert change.fields == ["title", "body_text", "body_html"]
    assert change.lines_removed == ["Deuxième paragraphe."] and change.lines_added == ["Deuxième, revu.", "Troisième."]
    assert change.values["title"] == ("Relations Mali-Russie", "Mali et Russie")
    assert change.summary() == "title, text (+2 -1 lines)"


def test_new_comments_say_how_many_and_the_comment_count_is_not_said_twice():
    change = compare_versions(version(), version(comments=[LAVROV, WAGNER], comments_count=2))
    assert change.comments_added == [WAGNER] and change.comments_removed == []
    assert change.fields == ["comments_count", "comments"] and change.summary() == "1 new comment"


def test_a_removed_comment_and_a_changed_category_are_said():
    change = compare_versions(version(comments=[LAVROV, WAGNER]), version(comments=[WAGNER], categories=[MALI, RUSSIE]))
    assert change.comments_removed == [LAVROV] and change.categories_added == ["Russie"]
    assert change.summary() == "categories (+1 -0), 1 comment removed"


def test_a_field_the_earlier_version_did_not_record_is_not_compared():
    before = version(categories=None, comments=None)
    del before["author"], before["comments_count"]
    change = compare_versions(before, version(author="Quelqu'un", categories=[RUSSIE], comments=[], comments_count=0))
    assert not change


def test_comments_with_stored_ids_match_by_id_even_when_their_text_was_read_again_differently():
    before = version(comments=[{"id": 7, **LAVROV}])
    after = version(comments=[{"id": 7, **LAVROV, "body_text": "Merci pour Lavrov !"}, {"id": 8, **WAGNER}])
    assert [c["id"] for c in compare_versions(before, after).comments_added] == [8]


def test_a_posts_changes_run_from_each_revision_to_the_version_it_shows_now():
    record = version(title="Mali et Russie", comments=[{**LAVROV, "removed": "2022-03-01T00:00:00Z"}, WAGNER],
                     comments_count=1, revisions=[
                         version(seen_until="2022-03-01T10:00:00Z"),
                         version(title="Mali et Russie", seen_until="2022-03-02T10:00:00Z")])
    assert shown_version(record)["comments"] == [WAGNER]
    changes = post_changes(record)
    assert [(c.seen_at, c.summary()) for c in changes] == [
        ("2022-03-01T10:00:00Z", "title"), ("2022-03-02T10:00:00Z", "1 new comment, 1 comment removed")]


def test_text_lines_diff_ignores_blank_lines_and_keeps_text_order():
    assert text_lines_diff("a\n\nb\n\nc", "a\n\nB\n\nc\n\nd") == (["b"], ["B", "d"])
    assert text_lines_diff(None, "un") == ([], ["un"])
