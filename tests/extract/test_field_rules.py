"""The platform's rules, read in words on markup no profile knows: one small page per rule, one check each."""

from __future__ import annotations

import pytest

from archiver import urls
from archiver.extract import extract_listing, extract_post, page_selector
from archiver.extract.fields.comments_count import comments_count_in
from archiver.extract.page import PostPage

BLOG = "http://monblog.hautetfort.com"
URL = f"{BLOG}/archive/2022/02/04/offensive-diplomatique-6362153.html"


def note(meta: str = "", after: str = "", head: str = "", top: str = "") -> str:
    """A post page in a template no bundled profile detects."""
    return f"""<html><head><title>Offensive diplomatique : Mon blog</title>{head}</head><body>
    <div id="page"><div class="entry-wrap">{top}
    <h2 class="headline"><a href="{URL}">Offensive diplomatique</a></h2>
    <div class="txt"><p>Moscou multiplie les visites officielles en Afrique de l'Ouest depuis des mois.</p>
    <p>Le ministre a rencontré ses homologues maliens et burkinabés cette semaine.</p></div>
    <div class="foot">10:30 | <a href="{URL}">Lien permanent</a> {meta}</div>
    </div>{after}</div></body></html>"""


def extract(html: str, url: str = URL):
    return extract_post(page_selector(html, url), url)


@pytest.mark.parametrize("control, expected, source", [
    (f'<a class="print" href="{BLOG}/apps/print/6362153.html">Imprimer</a>', f"{BLOG}/apps/print/6362153.html",
     "platform: link labelled Imprimer"),
    ('<button type="button" onclick="window.print()">Imprimer</button>', None,
     "platform: button labelled Imprimer (window.print)"),
    ('<a href="javascript:window.print()" title="Imprimer cette note"><img src="p.gif"></a>', None,
     "platform: a labelled Imprimer (window.print)"),
])
def test_a_print_control_is_found_by_its_word(control, expected, source):
    extraction = extract(note(top=control))
    assert extraction.fields["print_url"] == expected
    assert extraction.sources["print_url"] == source
    assert extraction.fields["warnings"] == []


def test_an_imprimer_link_that_leads_nowhere_is_a_warning():
    extraction = extract(note(top='<a class="print">Imprimer</a>'))
    assert "print_url" not in extraction.sources
    assert [(w.kind, w.field) for w in extraction.fields["warnings"]] == [("print-missing", "print_url")]


@pytest.mark.parametrize("text, count", [
    ("0 commentaire", 0), ("3 commentaires", 3), ("Commentaires (5)", 5), ("Commentaires : 2", 2),
    ("Aucun commentaire", 0), ("Les commentaires sont fermés.", None), ("Commentaires", None),
])
def test_comment_counts_in_every_wording(text, count):
    assert comments_count_in(text) == count


def test_a_count_in_the_footer_is_read_and_an_invitation_there_means_zero():
    assert extract(note(meta=f'| <a href="{URL}#c">Commentaires (3)</a>')).fields["comments_count"] == 3
    assert extract(note(meta=f'| <a href="{URL}#c">Laisser un commentaire</a>')).fields["comments_count"] == 0


def test_a_page_that_shows_comments_it_does_not_hold_is_a_warning():
    extraction = extract(note(meta="| 3 commentaires"))
    assert extraction.fields["comments"] == []
    assert [w.kind for w in extraction.fields["warnings"]] == ["comments-missing"]
    assert "3 comments" in extraction.fields["warnings"][0].detail


def test_comments_are_found_by_their_author_lines():
    comments = """<div id="reactions"><h3>Commentaires</h3>
    <div class="r"><div class="r-txt"><p>Très juste.</p></div><p class="r-by">Écrit par : <a href="https://ami.invalid/">Ami</a> | 05/02/2022 09:15</p></div>
    <div class="r"><div class="r-txt"><p>Merci.</p></div><p class="r-by">Écrit par : Lecteur | 06/02/2022 18:02</p></div></div>"""
    extraction = extract(note(meta="| 2 commentaires", after=comments))
    read = [(c.author, c.author_url, c.published.isoformat(), c.body_text) for c in extraction.fields["comments"]]
    assert read == [("Ami", "https://ami.invalid/", "2022-02-05T09:15:00+01:00", "Très juste."),
                    ("Lecteur", None, "2022-02-06T18:02:00+01:00", "Merci.")]
    assert extraction.fields["warnings"] == []


def test_comments_beside_a_time_element_are_found():
    comments = """<ol class="list"><li><b>Awa</b> <time datetime="2022-02-05T09:15:00+01:00">5 févr.</time>
    <div class="said"><p>Bien vu.</p></div></li></ol>"""
    extraction = extract(note(meta="| 1 commentaire", after=comments))
    assert [(c.author, c.body_text) for c in extraction.fields["comments"]] == [("Awa", "Bien vu.")]


def test_a_comment_signed_in_schema_org_markup_is_not_the_posts_author():
    comments = """<ol class="list"><li itemprop="comment" itemscope itemtype="https://schema.org/Comment">
    <span itemprop="author" itemscope itemtype="https://schema.org/Person"><b itemprop="name">Yacouba Coulibaly</b></span>
    <time datetime="2022-02-05T09:15:00+01:00">5 févr.</time><div class="said"><p>Bien vu.</p></div></li></ol>"""
    assert extract(note(meta="| 1 commentaire", after=comments)).fields["author"] is None
    signed = note(meta="| 1 commentaire", after=comments, top='<p itemprop="author">Par Marc Dufresne</p>')
    assert extract(signed).fields["author"] == "Marc Dufresne"


def test_categories_after_publie_dans_and_without_trailing_slash():
    meta = f'| Publié dans <a href="{BLOG}/mali">MALI</a>, <a href="{BLOG}/russie/">RUSSIE</a>, <a href="{BLOG}/tag/x">x</a>'
    extraction = extract(note(meta=meta))
    assert [(c.name, c.url) for c in extraction.fields["categories"]] == [
        ("MALI", f"{BLOG}/mali/"), ("RUSSIE", f"{BLOG}/russie/")]


def test_the_page_date_wins_and_the_permalink_day_is_a_note():
    extraction = extract(note(top='<p class="when">23/07/2025</p>'))
    assert extraction.fields["published"].isoformat() == "2025-07-23T10:30:00+02:00"
    assert extraction.fields["notes"] == ["page date 2025-07-23 differs from permalink day 2022-02-04 (the page's date is kept)"]
    assert extraction.fields["warnings"] == []


def test_a_legacy_permalink_takes_the_id_its_print_link_reveals_else_a_stable_hash():
    legacy = f"{BLOG}/archive/2007/04/30/turquie-europe-le-malaise-augmente.html"
    revealed = extract(note(top=f'<a href="{BLOG}/apps/print/1866121.html">Imprimer</a>'), legacy)
    hidden = extract(note(), legacy)
    assert revealed.fields["id"] == "1866121"
    assert hidden.fields["id"] == urls.stable_id(legacy) == urls.stable_id(legacy.replace("http:", "https:"))


@pytest.mark.parametrize("names, chrome", [
    ("sidebar", True), ("col-side", True), ("widget_links", True), ("main-menu", True),
    ("inside", False), ("outside-box", False), ("considered", False),
])
def test_chrome_is_known_by_whole_words_of_its_class(names, chrome):
    html = f'<html><body><div class="{names}"><p id="x">texte</p></div></body></html>'
    page = PostPage(page_selector(html, URL), URL, None)
    assert page.is_chrome(page.sel.css("#x")[0]) is chrome


LISTING = """<html><body><div id="main">
<ul><li><a href="/archive/2022/02/04/a-6362153.html">A</a> (04/02/2022)</li>
<li><a href="/archive/2007/04/30/vieille-note.html">Vieille note</a></li></ul>
<p>Texte qui cite <a href="/archive/2021/01/01/autre-6300001.html">une autre note</a> au passage, dans une longue phrase.</p>
<p><a href="{next}">Notes plus anciennes</a> <a href="{two}">2</a></p></div>
<div class="col"><h4>Catégories</h4><ul><li><a href="/mali">MALI</a></li></ul>
<h4>Le blog</h4><ul><li><a href="/a-propos">À propos</a></li><li><a href="/tag/mali">mali</a></li></ul></div>
</body></html>"""


@pytest.mark.parametrize("page_url, next_url", [
    (f"{BLOG}/mali/", f"{BLOG}/mali/index-2.html"),
    (f"{BLOG}/mali/", f"{BLOG}/archives/category/mali/index-2.html"),
    (f"{BLOG}/", f"{BLOG}/index-2.html"),
    (f"{BLOG}/archives/2019/08/index-1.html", f"{BLOG}/archives/2019/08/index-2.html"),
])
def test_pagination_is_what_the_page_presents_classified_by_url(page_url, next_url):
    html = LISTING.format(next=next_url, two=next_url)
    links = extract_listing(page_selector(html, page_url), page_url, None)
    assert links.pages == [next_url]


def test_listed_posts_are_recognised_by_permalink_shape_and_prose_links_are_only_mentioned():
    links = extract_listing(page_selector(LISTING.format(next="/", two="/"), f"{BLOG}/mali/"), f"{BLOG}/mali/", None)
    assert links.posts == [f"{BLOG}/archive/2022/02/04/a-6362153.html", f"{BLOG}/archive/2007/04/30/vieille-note.html"]
    assert links.mentioned == [f"{BLOG}/archive/2021/01/01/autre-6300001.html"]


def test_a_category_is_what_the_category_list_links_to_not_any_top_level_page():
    links = extract_listing(page_selector(LISTING.format(next="/", two="/"), f"{BLOG}/"), f"{BLOG}/", None)
    assert links.categories == [f"{BLOG}/mali/"]


@pytest.mark.parametrize("spelling", [
    f"https://monblog.hautetfort.com/archive/2022/02/04/%C3%A9lys%C3%A9e-6362153.html",
    f"{BLOG}/archive/2022/02/04/élysée-6362153.html",
    f"{BLOG}/archive/2022/02/04/%c3%a9lys%c3%a9e-6362153.html",
])
def test_http_https_and_percent_encodings_are_one_url(spelling):
    assert urls.url_key(spelling) == "monblog.hautetfort.com/archive/2022/02/04/%C3%A9lys%C3%A9e-6362153.html"
    assert urls.on_blog(spelling, f"{BLOG}/mali/") == f"{BLOG}/archive/2022/02/04/%C3%A9lys%C3%A9e-6362153.html"


def test_a_note_that_is_only_an_image_is_a_post_without_text():
    html = note().replace(
        '<div class="txt"><p>Moscou multiplie les visites officielles en Afrique de l\'Ouest depuis des mois.</p>\n'
        "    <p>Le ministre a rencontré ses homologues maliens et burkinabés cette semaine.</p></div>",
        '<div class="txt"><p><img src="/media/01/02/123456789.jpg" alt=""></p></div>')
    extraction = extract(html)
    assert extraction.fields["body_text"] == ""
    assert '<img src="/media/01/02/123456789.jpg"' in extraction.fields["body_html"]
