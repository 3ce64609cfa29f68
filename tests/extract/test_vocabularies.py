"""Every label of a list that has a cheap pre-test is still found through it: adding a label to the list is enough."""

from __future__ import annotations

import pytest

from archiver.extract import extract_neighbours, page_selector
from archiver.extract.fields.comments_count import (
    COUNT_NOUNS, INVITATION_WORDS, LEADING_NOUNS, LINK_INVITATION_WORDS, NONE_YET_WORDS, extract_comments_count,
    may_say_count,
)
from archiver.extract.listing import NEIGHBOUR_WORDS
from archiver.extract.page import CHROME_WORDS, COOKIE_WORDS, PERMALINK_LABELS, PostPage, pretest_words

BLOG = "http://monblog.hautetfort.com"
POST = f"{BLOG}/archive/2022/02/04/offensive-diplomatique-6362153.html"
OTHER = f"{BLOG}/archive/2021/01/01/autre-6300001.html"


def spaced(label: str) -> str:
    """A label as a page may space it: a line break and indentation between its words, spaces around it."""
    return " " + "\n   ".join(label.split()) + " "


def cases(label: str) -> tuple[str, ...]:
    """A label as written, capitalised and in upper case."""
    return label, label[:1].upper() + label[1:], label.upper()


def post_page(body: str) -> PostPage:
    return PostPage(page_selector(f"<html><body>{body}</body></html>", POST), POST, None)


def test_a_pre_test_is_the_longest_word_of_each_label_less_the_words_that_hold_another():
    assert pretest_words(("Note précédente", "Article précédent", "Article suivant")) == ("précédent", "suivant")
    assert pretest_words(("Lien permanent", "Permalien")) == ("permanent", "Permalien")


@pytest.mark.parametrize("word", CHROME_WORDS)
def test_every_chrome_word_makes_a_class_or_an_id_chrome(word):
    for name in cases(word):
        page = post_page(f'<div class="box {name}"><p>a</p></div><div id="x_{name}"><p>b</p></div><p>c</p>')
        assert {element.get("class") or element.get("id") for element in page.chrome} == {f"box {name}", f"x_{name}"}


@pytest.mark.parametrize("label", PERMALINK_LABELS)
def test_every_permalink_label_finds_the_permalink(label):
    for text in (label, spaced(label)):
        page = post_page(f'<p><a href="/x">Lire</a> | <a href="{POST}">{text}</a></p>')
        assert page.permalink_link is not None and page.permalink_link.attrib["href"] == POST, text


@pytest.mark.parametrize("words", COOKIE_WORDS)
def test_every_cookie_banner_phrase_makes_its_element_chrome(words):
    page = post_page(f"<p>Article.</p><div id='bandeau'>En poursuivant, {words} pour les statistiques.</div>")
    assert [element.get("id") for element in page.chrome] == ["bandeau"]


@pytest.mark.parametrize("label", NEIGHBOUR_WORDS)
def test_every_neighbour_label_leads_to_the_neighbour(label):
    for text in (label, f"« {label}", spaced(label)):
        html = f'<html><body><p><a href="/mali/">Mali</a> <a href="{OTHER}">{text}</a></p></body></html>'
        assert extract_neighbours(page_selector(html, POST), POST) == [OTHER], text


# Where each phrase says a count, with the count it gives: (page markup with {} for the phrase, phrase, count).
COUNT_PLACES = (
    [("<p>3 {}</p>", noun, 3) for noun in COUNT_NOUNS]
    + [("<p><a href='#c'>{} (4)</a></p>", noun, 4) for noun in COUNT_NOUNS]
    + [("<h3>2 {} à « Titre »</h3>", noun, 2) for noun in LEADING_NOUNS]
    + [("<p>{}.</p>", phrase, 0) for phrase in NONE_YET_WORDS]
    + [(f"<p>{{}} | <a href='{POST}'>Lien permanent</a></p>", phrase, 0) for phrase in INVITATION_WORDS]
    + [(f"<p><a href='{POST}#comments'>{{}}</a></p>", phrase, 0) for phrase in LINK_INVITATION_WORDS]
)


@pytest.mark.parametrize("markup, phrase, count", COUNT_PLACES, ids=[markup.format(phrase) for markup, phrase, _ in COUNT_PLACES])
def test_every_count_phrase_gives_the_count_in_any_case(markup, phrase, count):
    for text in cases(phrase):
        found = extract_comments_count(post_page(f"<h1>Titre</h1>{markup.format(text)}"))
        assert found is not None and found.value == count, text


@pytest.mark.parametrize("phrase", COUNT_NOUNS + LEADING_NOUNS + NONE_YET_WORDS + LINK_INVITATION_WORDS)
def test_every_count_phrase_passes_the_pages_cheap_test(phrase):
    assert all(may_say_count(f"… {text} …") for text in cases(phrase))
