"""The reader's words: dates and counts as the blog writes them, the history's French summary of a change, and its
word-level diffs (escaped, long unchanged stretches cut)."""

import pytest
from parsel import Selector

from archiver.reader.french_dates import comments_label, long_date, short_date, stamp
from archiver.reader.history import history_page, summary
from archiver.reader.word_diff import CONTEXT, word_diff
from archiver.views.version_changes import compare_versions


@pytest.mark.parametrize(("value", "shown"), [
    ("2009-11-21T21:51:00+01:00", "samedi 21 novembre 2009 à 21:51"),
    ("2022-02-04T10:30:00+01:00", "vendredi 4 février 2022 à 10:30"),
    ("2019-08-15T00:05:00+02:00", "jeudi 15 août 2019 à 00:05"),  # in its own offset, not UTC's 14 August
    ("2013-05-28", "mardi 28 mai 2013"),  # a comment dated by day alone
    (None, "sans date"),
    ("hier", "hier"),  # not ISO: shown as stored
])
def test_a_date_reads_as_the_blog_writes_it(value, shown):
    assert long_date(value) == shown


def test_the_archives_utc_stamps_read_in_the_blogs_time_zone_and_days_without_weekday():
    assert stamp("2026-12-07T17:52:00+00:00") == "lundi 7 décembre 2026 à 18:52"
    assert stamp("2026-07-07T17:52:00+00:00") == "mardi 7 juillet 2026 à 19:52"
    assert short_date("2009-11-21T21:51:00+01:00") == "21 novembre 2009" and short_date(None) == "sans date"


@pytest.mark.parametrize(("count", "label"), [(0, "0 commentaire"), (1, "1 commentaire"), (3, "3 commentaires")])
def test_comment_counts_use_the_platforms_wording(count, label):
    assert comments_label(count) == label


def test_a_word_diff_marks_removed_and_added_words_and_escapes_the_text():
    diff = Selector(text=f"<p>{word_diff('Le <b>Mali</b> signe un accord.', 'Le <b>Mali</b> dénonce un accord secret.')}</p>")
    assert diff.css("del::text").getall() == ["signe"] and diff.css("ins::text").getall() == ["dénonce", "secret"]
    assert "".join(diff.css("p ::text").getall()) == "Le <b>Mali</b> signedénonce un accord secret."


def test_a_word_diff_cuts_a_long_unchanged_stretch_but_keeps_paragraphs_and_context():
    words = " ".join(f"mot{number}" for number in range(100))
    diff = word_diff(f"Début.\n\n{words}\n\nFin.", f"Début modifié.\n\n{words}\n\nFin revue.")
    assert diff.startswith("Début <ins>modifié</ins>.") and diff.endswith("Fin <ins>revue</ins>.")
    kept = [number for number in range(100) if f"mot{number} " in diff or f"mot{number}\n" in diff]
    assert " […] " in diff and kept[:10] == list(range(10)) and kept[-10:] == list(range(90, 100)) and len(kept) <= 2 * CONTEXT
    assert "\n\n" in diff  # paragraphs stay apart


def version(**fields) -> dict:
    base = {"title": "Titre", "body_text": "Un texte.", "body_html": "<p>Un texte.</p>", "categories": [], "tags": [],
            "comments": [], "seen_from": "2026-01-01T10:00:00+00:00", "seen_until": "2026-02-01T10:00:00+00:00"}
    return base | fields


def test_a_change_is_summed_up_in_french():
    comment = {"id": 1, "author": "JPM", "published": "2019-03-23T13:19:00+01:00", "body_text": "Bravo"}
    change = compare_versions(version(comments=[comment]), version(title="Titre revu", body_text="Un texte.\nDeux lignes.",
                                                                    body_html="<p>Un texte.</p><p>Deux lignes.</p>",
                                                                    categories=[{"name": "Mali", "url": None}]))
    assert summary(change) == "titre, texte (+1 −0 ligne), catégories (+1 −0), 1 commentaire retiré"
    assert summary(compare_versions(version(), version())) == "aucun changement visible"


def test_the_history_page_lists_the_first_version_then_each_change_with_its_date():
    post = version(title="Titre revu", body_text="Un autre texte.", first_seen="2026-01-01T10:00:00+00:00",
                   last_seen="2026-03-01T10:00:00+00:00", revisions=[version()])
    page = Selector(text=history_page(post, "../posts/1.html"))
    assert page.css("ol.changes h2::text").getall() == ["Première version vue le jeudi 1 janvier 2026 à 11:00",
                                                        "Modification 1, vue le dimanche 1 février 2026 à 11:00"]
    assert page.css(".title-diff ins::text").get() == "revu" and page.css(".text-diff ins::text").get() == "autre"
