"""A WordPress-style template no profile knows: its comment counts in every wording (an invitation to comment is 0
only where a count would be), commenters named without the template's "dit :" / "says:", replies nested in
their parent's block, and the post's author in its byline."""

from __future__ import annotations

import pytest

from archiver.extract import extract_post, page_selector
from archiver.extract.fields.comments_count import comments_count_in, is_count_link
from archiver.extract.profiles import load_profiles

BLOG = "http://unblog.hautetfort.com"
URL = f"{BLOG}/archive/2014/03/02/une-note-6400001.html"
PROFILES = {"bundled profiles on": load_profiles(), "bundled profiles off": load_profiles(bundled=False)}
NAMES = ("Ibrahim", "Marie-Claire", "Jo")
REPLY = f'<div class="reply"><a class="comment-reply-link" href="{URL}#respond">Répondre</a></div>'
FORM = f"""<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Laisser un commentaire
<small><a id="cancel-comment-reply-link" href="{URL}#respond" style="display:none">Annuler la réponse</a></small></h3>
<form action="{BLOG}/apps/comment" method="post" id="commentform"><textarea name="comment"></textarea>
<input name="submit" type="submit" value="Laisser un commentaire"></form></div>"""


def comment(number: int, name: str, *, says: str = "dit :", link: bool = False, replies: str = "") -> str:
    """li.comment > article.comment-body: the name in b.fn followed by `says`, a <time>, the text, "Répondre"."""
    who = f'<a href="https://ami{number}.invalid/" class="url" rel="external nofollow ugc">{name}</a>' if link else name
    return f"""<li id="comment-{number}" class="comment depth-1"><article id="div-comment-{number}" class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><img class="avatar" src="{BLOG}/a.png" alt="">
<b class="fn">{who}</b> <span class="says">{says}</span></div>
<div class="comment-metadata"><a href="{URL}#comment-{number}"><time datetime="2014-03-0{number + 2}T10:1{number}:00+01:00">
{number + 2} mars 2014 à 10 h 1{number} min</time></a></div></footer>
<div class="comment-content"><p>Le commentaire numéro {number}, bien argumenté.</p></div>{REPLY}</article>{replies}</li>"""


def page(*, meta: str = "", title: str = "", comments: str = "", byline: str = "") -> str:
    """A WordPress-style post page: header (title, date, byline), a body, the footer's comments link, the comments."""
    listed = f'<h2 class="comments-title">{title}</h2>' if title else ""
    listed += f'<ol class="comment-list">{comments}</ol>' if comments else ""
    return f"""<html><head><title>Une note – Un blog</title></head><body class="single">
<div class="cookie-notice">En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies.</div>
<div id="page" class="site"><header id="masthead" class="site-header"><p class="site-title"><a href="{BLOG}/" rel="home">Un blog</a></p></header>
<main id="main" class="site-main"><article id="post-6400001" class="post type-post status-publish hentry">
<header class="entry-header"><h1 class="entry-title">Une note</h1><div class="entry-meta"><span class="posted-on">
<a href="{URL}" rel="bookmark"><time class="entry-date published" datetime="2014-03-02T09:00:00+01:00">2 mars 2014</time></a>
</span>{byline}</div></header>
<div class="entry-content"><p>Une réponse claire s'impose.</p>
<p>Le texte de la note, sur plusieurs lignes, pour que ce soit une vraie note de blog avec assez de mots.</p></div>
<footer class="entry-footer"><span class="cat-links">Publié dans <a href="{BLOG}/geneve/" rel="category tag">Genève</a></span>
{meta}</footer></article>
<div id="comments" class="comments-area">{listed}{FORM}</div></main></div></body></html>"""


def comments_link(text: str, anchor: str = "#comments") -> str:
    return f'<span class="comments-link"><a href="{URL}{anchor}">{text}</a></span>'


def read(html: str, profiles: str = "bundled profiles on"):
    extraction = extract_post(page_selector(html, URL), URL, PROFILES[profiles])
    assert extraction.method == "generic"
    return extraction.fields


@pytest.mark.parametrize("profiles", PROFILES)
@pytest.mark.parametrize("invitation", ["Laisser un commentaire", "Leave a comment", "Leave a Reply", "Répondre",
                                        "Laisser une réponse"])
def test_an_invitation_as_the_posts_comments_link_is_zero(profiles, invitation):
    fields = read(page(meta=comments_link(invitation, "#respond")), profiles)
    assert (fields["comments_count"], fields["comments"], fields["warnings"]) == (0, [], [])


def test_be_the_first_to_comment_is_zero_wherever_it_stands():
    assert read(page(title="Soyez le premier à commenter"))["comments_count"] == 0


@pytest.mark.parametrize("profiles", PROFILES)
@pytest.mark.parametrize("meta, title, count", [
    (comments_link("1 Comment"), "Une réponse à « Une note »", 1),
    (comments_link("2 Comments"), "2 réponses à « Une note »", 2),
    (comments_link("2 réponses"), "2 réflexions sur « Une note »", 2),
    (comments_link("3 commentaires"), "3 thoughts on “Une note”", 3),
    ("", "2 réponses à « Une note »", 2),  # the comments' heading alone
    ("", "One thought on “Une note”", 1),
])
def test_a_count_in_every_wording_and_each_commenter_by_name(profiles, meta, title, count):
    fields = read(page(meta=meta, title=title, comments="".join(comment(n, name) for n, name in enumerate(NAMES[:count], 1))),
                  profiles)
    assert fields["comments_count"] == count
    assert [c.author for c in fields["comments"]] == list(NAMES[:count])
    assert fields["warnings"] == []


def test_the_form_titled_laisser_un_commentaire_and_each_repondre_are_no_count():
    fields = read(page(comments=comment(1, "Ibrahim") + comment(2, "Jo")))
    assert fields["comments_count"] is None  # the page says no number: not 0
    assert [c.author for c in fields["comments"]] == ["Ibrahim", "Jo"]


@pytest.mark.parametrize("says", ["dit :", "says:", "a écrit :", "wrote:", "dit&nbsp;:"])
def test_a_commenters_name_never_carries_the_templates_words(says):
    fields = read(page(meta=comments_link("1 commentaire"), comments=comment(1, "Ibrahim Keïta", says=says)))
    assert [c.author for c in fields["comments"]] == ["Ibrahim Keïta"]


def test_a_name_with_its_words_in_one_element_is_the_name_alone():
    one_element = comment(1, "Ibrahim").replace('<b class="fn">Ibrahim</b> <span class="says">dit :</span>', "Ibrahim dit :")
    assert [c.author for c in read(page(meta=comments_link("1 commentaire"), comments=one_element))["comments"]] == ["Ibrahim"]


def test_a_reply_nested_in_its_parents_block_lends_it_nothing():
    nested = comment(1, "Ibrahim", replies=f'<ol class="children">{comment(2, "Sophie", link=True).replace("depth-1", "depth-2")}</ol>')
    fields = read(page(meta=comments_link("2 commentaires"), comments=nested))
    assert [(c.author, c.author_url, c.published.isoformat(), c.body_text) for c in fields["comments"]] == [
        ("Ibrahim", None, "2014-03-03T10:11:00+01:00", "Le commentaire numéro 1, bien argumenté."),
        ("Sophie", "https://ami2.invalid/", "2014-03-04T10:12:00+01:00", "Le commentaire numéro 2, bien argumenté."),
    ]


def test_the_posts_author_is_its_bylines_name():
    byline = f'<span class="byline"> par <span class="author vcard"><a class="url fn n" href="{BLOG}/apps/profile">Salika Wenger</a></span></span>'
    fields = read(page(meta=comments_link("1 commentaire"), byline=byline, comments=comment(1, "Ibrahim")))
    assert (fields["author"], [c.author for c in fields["comments"]]) == ("Salika Wenger", ["Ibrahim"])


@pytest.mark.parametrize("text, count", [
    ("1 Comment", 1), ("2 Comments", 2), ("2 réponses", 2), ("Une réponse", 1), ("1 Reply", 1), ("4 Replies", 4),
    ("No Comments", 0), ("Soyez le premier à commenter", 0), ("Laisser un commentaire", None), ("Répondre", None),
])
def test_counts_said_in_words(text, count):
    assert comments_count_in(text) == count


@pytest.mark.parametrize("text, is_link", [
    ("Commentaires (3)", True), ("2 Comments", True), ("Laisser un commentaire", True), ("Répondre", True),
    ("Lire la suite", False), ("Les commentaires de Marie sur la grève", False),
])
def test_a_comments_link_is_known_by_its_words(text, is_link):
    assert is_count_link(text) == is_link
