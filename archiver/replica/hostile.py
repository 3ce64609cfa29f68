"""The hostile post of `build_site(..., hostile=True)`: an ordinary post whose markup attacks its reader.

Its body carries a <script>, an <img onerror>, a javascript: link and an event handler; one of its
comments carries the same kinds of payload and a javascript: author link; its title names the tricks as
plain text (escaped on the page, so "<script>" is text a reader must see, not a tag). The ground truth
gives what a perfect extractor returns: the text around the payloads, and no author_url for the
javascript: link. Nothing it carries may reach an archived body_html or comment body_html.
"""

from __future__ import annotations

from datetime import datetime

from .model import PARIS, Block, Category, Comment, Post
from .plan import Site
from .posts import footer_order

QUIRK = "hostile-markup"
TITLE = "Anatomie d'une page piégée : <script>, onerror et javascript:"
PUBLISHED = datetime(2025, 1, 20, 10, 15, tzinfo=PARIS)  # after every generated post: the newest
CATEGORIES = ("Désinformation", "RUSSIE")
# (markup, the text a reader sees); every payload calls alert() and none of it is text.
BODY = (
    ("<p>Une page hostile cache ses pièges dans un billet ordinaire.</p>",
     "Une page hostile cache ses pièges dans un billet ordinaire."),
    ("<script>alert(1)</script>", ""),
    ("<p>Avant l’image <img src=x onerror=alert(1)> après l’image.</p>", "Avant l’image après l’image."),
    ('<p>Un <a href="javascript:alert(1)">lien piégé</a> au milieu du texte.</p>',
     "Un lien piégé au milieu du texte."),
    ('<p onmouseover="alert(1)">Le texte qui suit les pièges reste lisible.</p>',
     "Le texte qui suit les pièges reste lisible."),
)
# (author, author link as the page shows it, day and time, markup, paragraphs a reader sees)
COMMENTS = (
    ("Lecteur malveillant", "javascript:alert('auteur')", (2025, 1, 21, 9, 30),
     "<p>Merci <img src=x onerror=\"alert('commentaire')\"> pour l’article.</p>"
     '<p><a href="javascript:alert(document.cookie)" onclick="alert(2)">Voir ma source</a></p>'
     "<script>alert('commentaire')</script>",
     ("Merci pour l’article.", "Voir ma source")),
    ("Claire Dubois", None, (2025, 1, 22, 18, 5), None,
     ("Exemple parlant : rien de tout cela ne doit s’exécuter dans l’archive.",)),
)


def hostile_post(site: Site) -> Post:
    """The hostile post, with an id and comment ids after all of the site's."""
    last_id = max(post.id for post in site.posts + site.faults)
    last_cid = max((c.cid for post in site.posts for c in post.comments), default=1_480_000)
    post = Post(title=TITLE, published=PUBLISHED, blocks=[Block(markup, text) for markup, text in BODY],
                categories=footer_order([Category(name) for name in CATEGORIES]), id=last_id + 23,
                author="E.B.", print_real=True, theme="classic", quirks=[QUIRK])
    for number, (author, url, (y, mo, d, h, mi), markup, paragraphs) in enumerate(COMMENTS, start=1):
        comment = Comment(last_cid + 11 * number, author, url, datetime(y, mo, d, h, mi, tzinfo=PARIS),
                          list(paragraphs), markup)
        post.comments.append(comment)
    return post


def add_hostile_post(site: Site) -> Post:
    """Publish the hostile post on `site`: the newest post, first in its categories' listings."""
    post = hostile_post(site)
    site.posts.append(post)
    for category in post.categories:
        site.listings[category].insert(0, post)
    return post
