"""The older "decorator" template, read from small pages written from DESIGN.md: every field with the bundled
profiles switched off (the platform's rules alone) and on (the classic profile claims the page), each footer
wording, each date line, comments dated by the day, and posts reached on listings whose titles are no links."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from archiver import store
from archiver.views.export_records import iter_export_records
from archiver.views.export_schema import export_record_schema
from archiver.extract import detect_profile, extract_listing, extract_post, page_selector
from archiver.extract.profiles import load_profiles
from archiver.items import Comment, Post
from jsonschema import Draft202012Validator, FormatChecker

BLOG = "http://monblog.hautetfort.com"
URL = f"{BLOG}/archive/2013/05/28/la-greve-des-transports-202158.html"
PROFILES = {"bundled profiles on": load_profiles(), "bundled profiles off": load_profiles(bundled=False)}
READ_BY = {"bundled profiles on": "classic", "bundled profiles off": "generic"}
SHARE = f'| | <a href="http://www.facebook.com/share.php?u={URL}">Facebook</a> | | | |'
FOOTERS = {  # wording -> (footer line, author, categories, time of day)
    "Publié dans": (f'14:45 Publié dans <a href="{BLOG}/geneve/">Genève</a>, <a href="{BLOG}/sports/">Sports</a> | '
                    f'<a href="{URL}">Lien permanent</a> | <a href="{URL}#comments">Commentaires (2)</a> | Tags : '
                    f'<a href="{BLOG}/tag/pauvret%C3%A9">pauvreté</a>, <a href="{BLOG}/tag/salika+wenger">salika wenger</a> {SHARE}',
                    None, ["Genève", "Sports"], "14:45"),
    "Écrit par": (f'17:43 Écrit par Charly Schwarz dans <a href="{BLOG}/culture/">Culture</a>, '
                  f'<a href="{BLOG}/politique/">Politique</a> | <a href="{URL}">Lien permanent</a> | '
                  f'<a href="{URL}#comments">Commentaires (2)</a> {SHARE}',
                  "Charly Schwarz", ["Culture", "Politique"], "17:43"),
}
DATE_LINES = ("mardi, 28 mai 2013", "28/05/2013", "28.05.2013", "28 mai 2013")
COMMENTS = f"""<div id="comments"><h3>Commentaires</h3>
<div class="commentparent"><a id="c1001"></a> <p>Très juste, merci.</p>
<p class="posted">Ecrit par : <a href="http://ami.invalid/">Ami</a> | 28/05/2013</p></div>
<div class="commentchild"><a id="c1002"></a> <p>Je ne suis pas d'accord.</p>
<p class="posted">Ecrit par : Lecteur | 29.05.2013 08:12</p></div></div>"""


def shell(title: str, content: str) -> str:
    """A page of the blog: the cookie banner, the banner, the content, a sidebar of recent notes."""
    return f"""<html><head><title>{title} : Mon blog</title></head><body>
<div id="cookies">En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies.</div>
<div id="container"><div id="banner"><h1><a href="{BLOG}/">Mon blog</a></h1></div>
<div id="content">{content}<p>Alerter le modérateur | Envoyer à un ami | Créer un Blog</p></div>
<div id="sidebar"><h2>Notes récentes</h2>
<ul><li><a href="{BLOG}/archive/2013/04/20/les-quais-de-geneve-202100.html">Les quais de Genève</a></li></ul></div>
</div></body></html>"""


def post_page(footer: str, date_line: str, comments: str = COMMENTS) -> str:
    """A decorator post page: date line, `h3#p1 > span` title, decorated body and footer, comments."""
    return shell("La grève des transports", f"""<div class="post">
<h2 class="date"><span>{date_line}</span></h2>
<h3 id="p1"><span>La grève des transports</span></h3>
<div class="posttext"><div class="posttext-decorator1"><div class="posttext-decorator2">
<p>Les trains ne roulaient pas ce matin entre Genève et Lausanne.</p>
<p>Les usagers ont pris leur mal en patience sur les quais.</p></div></div></div>
<div class="postbottom"><div class="postbottom-decorator1"><div class="postbottom-decorator2">
<p class="posted">{footer}</p></div></div></div></div>{comments}""")


def read(html: str, profiles: str):
    extraction = extract_post(page_selector(html, URL), URL, PROFILES[profiles])
    assert extraction.method == READ_BY[profiles]
    return extraction.fields


@pytest.mark.parametrize("profiles", PROFILES)
@pytest.mark.parametrize("wording", FOOTERS)
@pytest.mark.parametrize("date_line", DATE_LINES)
def test_every_field_of_a_decorator_post_page(profiles, wording, date_line):
    footer, author, categories, clock = FOOTERS[wording]
    fields = read(post_page(footer, date_line), profiles)
    assert fields["title"] == "La grève des transports"
    assert fields["published"].isoformat() == f"2013-05-28T{clock}:00+02:00"
    assert fields["author"] == author
    assert [category.name for category in fields["categories"]] == categories
    assert fields["comments_count"] == 2
    assert fields["body_text"] == ("Les trains ne roulaient pas ce matin entre Genève et Lausanne.\n\n"
                                   "Les usagers ont pris leur mal en patience sur les quais.")
    assert fields["warnings"] == []


@pytest.mark.parametrize("profiles", PROFILES)
def test_a_comment_dated_by_the_day_is_that_day_and_one_with_its_time_keeps_it(profiles):
    comments = read(post_page(FOOTERS["Publié dans"][0], DATE_LINES[0]), profiles)["comments"]
    assert [(c.author, c.author_url, c.published, c.body_text) for c in comments] == [
        ("Ami", "http://ami.invalid/", date(2013, 5, 28), "Très juste, merci."),
        ("Lecteur", None, datetime.fromisoformat("2013-05-29T08:12:00+02:00"), "Je ne suis pas d'accord."),
    ]


@pytest.mark.parametrize("profiles", PROFILES)
def test_a_post_page_with_no_comment_yet_counts_zero(profiles):
    footer = FOOTERS["Écrit par"][0].replace("Commentaires (2)", "Commentaires (0)")
    fields = read(post_page(footer, "28 mai 2013", comments=""), profiles)
    assert (fields["comments_count"], fields["comments"], fields["author"]) == (0, [], "Charly Schwarz")


def listing_entry(number: int, reached_by: str) -> tuple[str, str]:
    """A post on a category page (its URL, its HTML): a title that is no link, reached by one link only."""
    url = f"{BLOG}/archive/2013/05/{number:02d}/note-numero-{number}-2021{number:02d}.html"
    title = f'<a href="{url}">Note numéro {number}</a>' if reached_by == "title" else f"Note numéro {number}"
    more = f'<p><a href="{url}#more">Lire la suite</a></p>' if reached_by == "Lire la suite" else ""
    links = {"Lien permanent": f'| <a href="{url}">Lien permanent</a> | Commentaires (0)',
             "Commentaires (N)": f'| <a href="{url}#comments">Commentaires (3)</a> | Tags : <a href="{BLOG}/tag/greve">grève</a>',
             "Lire la suite": "| Commentaires (0)", "title": "| Commentaires (0)"}[reached_by]
    return url, f"""<a id="p2021{number:02d}"></a><h2 class="date"><span>{number:02d}/05/2013</span></h2>
<h3><span>{title}</span></h3>
<div class="posttext"><div class="posttext-decorator1"><div class="posttext-decorator2">
<p>Le début de la note {number}, assez long pour un chapeau sur la page de la catégorie Genève.</p>{more}</div></div></div>
<div class="postbottom"><div class="postbottom-decorator1"><div class="postbottom-decorator2">
<p class="posted">14:45 Publié dans <a href="{BLOG}/geneve/">Genève</a> {links}</p></div></div></div>"""


@pytest.mark.parametrize("profiles", PROFILES)
def test_a_listing_whose_titles_are_no_links_lists_each_post_by_the_link_it_has(profiles):
    entries = [listing_entry(n, by) for n, by in enumerate(("Lien permanent", "Commentaires (N)", "Lire la suite", "title"), 1)]
    page = page_selector(shell("Genève", '<div class="post">' + "".join(html for _, html in entries) + "</div>"),
                         f"{BLOG}/geneve/")
    links = extract_listing(page, f"{BLOG}/geneve/", detect_profile(page, PROFILES[profiles]))
    assert links.posts == [url for url, _ in entries]
    assert links.mentioned == [f"{BLOG}/archive/2013/04/20/les-quais-de-geneve-202100.html"]  # the sidebar's


def test_the_setting_switches_the_bundled_profiles_off():
    assert [profile.name for profile in load_profiles()] == ["classic", "modern"]
    assert load_profiles(bundled=False) == ()


def test_a_day_is_stored_and_exported_as_that_day_and_a_midnight_stored_before_becomes_it(tmp_path):
    midnight = datetime.fromisoformat("2013-05-28T00:00:00+02:00")
    post = Post(id="202158", url=URL, title="La grève des transports", body_text="Les trains.", body_html="<p>Les trains.</p>",
                published=datetime.fromisoformat("2013-05-28T14:45:00+02:00"),
                comments=[Comment(author="Ami", published=midnight, body_text="Très juste, merci.")])
    db = store.open_archive(tmp_path / "archive.db")
    store.save_post(db, post, run_id=None, now=datetime(2026, 11, 24, tzinfo=UTC))  # as an older archiver stored it
    [before] = db.query("SELECT id, published FROM comments")
    post.comments[0].published = date(2013, 5, 28)
    store.save_post(db, post, run_id=None, now=datetime(2026, 11, 25, tzinfo=UTC))
    assert before["published"] == "2013-05-28T00:00:00+02:00"
    assert list(db.query("SELECT id, published, removed FROM comments")) == [
        {"id": before["id"], "published": "2013-05-28", "removed": None}]
    [record] = iter_export_records(db)
    assert record["comments"][0]["published"] == "2013-05-28"
    validator = Draft202012Validator(export_record_schema(), format_checker=FormatChecker())
    assert list(validator.iter_errors(record)) == []
    db.close()
