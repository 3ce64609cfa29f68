"""The offline reader's pages as HTML text: one layout (our stylesheet, our script, a policy forbidding anything
else), then the home and category listings, a post, the category index and the search page."""

from __future__ import annotations

from html import escape

from archiver.reader.french_dates import comments_label, long_date, short_date, stamp

# Only our own files load: the stylesheet, the search script and its index, and local images.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "base-uri 'none'; form-action 'none'")


def layout(title: str, body: str, *, root: str, blog: str, scripts: tuple[str, ...] = ()) -> str:
    """A whole page: `root` is the relative way back to the export's top ("" or "../")."""
    tags = "".join(f'<script src="{root}{src}"></script>' for src in scripts)
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{root}assets/reader.css">
</head>
<body>
<header class="site"><a class="home" href="{root}index.html">{escape(blog)}</a>
<nav><a href="{root}categories.html">Catégories</a> <a href="{root}tags.html">Tags</a> <a href="{root}search.html">Rechercher</a></nav></header>
<main>
{body}
</main>
<footer class="site">Copie hors ligne faite par blog-archiver.</footer>
{tags}
</body>
</html>
"""


def post_item(post: dict, href: str) -> str:
    """A post in a listing: title as a link, its day in French, categories; a gone post marked."""
    categories = ", ".join(escape(c["name"] or "") for c in post["categories"])
    gone = f' <span class="gone">disparue du blog le {escape(short_date(post["gone"]))}</span>' if post.get("gone") else ""
    return (f'<li><a href="{href}">{escape(post["title"] or "(sans titre)")}</a> '
            f'<time class="date" datetime="{escape(post["published"] or "")}">{escape(short_date(post["published"]))}</time>'
            + gone + (f' <span class="categories">{categories}</span>' if categories else "") + "</li>")


def listing(heading: str, items: list[str], pager: str, intro: str | None = None) -> str:
    """A page of a listing: its heading (and the blog's description on the home pages), its posts, its pager."""
    said = f'<p class="tagline">{escape(intro)}</p>\n' if intro else ""
    return f'<h1>{escape(heading)}</h1>\n{said}<ol class="posts">\n' + "\n".join(items) + f"\n</ol>\n{pager}"


def pager(previous: str | None, following: str | None, number: int, pages: int) -> str:
    """'← Notes plus récentes | page 2 / 5 | Notes plus anciennes →'."""
    parts = [f'<a rel="prev" href="{previous}">← Notes plus récentes</a>' if previous else "",
             f"<span>page {number} / {pages}</span>",
             f'<a rel="next" href="{following}">Notes plus anciennes →</a>' if following else ""]
    return '<nav class="pager">' + " ".join(part for part in parts if part) + "</nav>"


def post_page(post: dict, body: str, category_links: list[tuple[str, str]], neighbours: dict[str, tuple[str, str]],
              comment_bodies: list[str], tag_links: list[tuple[str, str]] = (), history_href: str | None = None) -> str:
    """A post as the blog shows it: date, title, author, body, then "Lien permanent | Imprimer | N commentaires",
    its categories and tags as links; when the archive saw it, its history, whether it is gone; previous / next
    notes; its comments, the removed ones marked."""
    categories = ", ".join(f'<a href="{href}">{escape(name)}</a>' for name, href in category_links) or "-"
    tags = ", ".join(f'<a href="{href}">{escape(name)}</a>' for name, href in tag_links)
    around = " ".join(
        f'<a rel="{rel}" href="{neighbours[rel][0]}">{label} : {escape(neighbours[rel][1])}</a>'
        for rel, label in (("prev", "← Note précédente"), ("next", "Note suivante →")) if rel in neighbours
    )
    shown = list(zip(post["comments"], comment_bodies, strict=True))
    live = sum(1 for comment, _ in shown if not comment.get("removed"))
    return f"""<article class="post">
<p class="meta"><time datetime="{escape(post["published"] or "")}">{escape(long_date(post["published"]))}</time>\
{(" | " + escape(post["author"])) if post["author"] else ""}</p>
<h1 class="title">{escape(post["title"] or "(sans titre)")}</h1>
{_gone(post)}<div class="body">{body}</div>
<p class="postfooter"><a class="original" href="{escape(post["url"])}">Lien permanent</a> | \
<button type="button" class="print">Imprimer</button>{_print_original(post)} | <a href="#commentaires">{comments_label(live)}</a></p>
<p class="categories">Catégories : {categories}</p>
{f'<p class="tags">Tags : {tags}</p>' if tags else ""}
{_seen(post, history_href)}
</article>
<nav class="neighbours">{around}</nav>
<section class="comments" id="commentaires"><h2>{comments_label(live)}</h2><ol>{"".join(_comment(c, b) for c, b in shown)}</ol></section>"""


def category_index(rows: list[tuple[str, str, int]], heading: str = "Catégories") -> str:
    """The categories (or tags), by name, each with its number of posts."""
    items = "\n".join(f'<li><a href="{href}">{escape(name)}</a> <span class="count">({count})</span></li>' for name, href, count in rows)
    kind = "categories" if heading == "Catégories" else "tags"
    return f'<h1>{escape(heading)}</h1>\n<ul class="{kind}">\n{items}\n</ul>'


def search_page() -> str:
    """The search form; results are written by assets/reader.js from assets/search-index.js."""
    return ('<h1>Rechercher</h1>\n<p><input id="q" type="search" autocomplete="off" autofocus '
            'placeholder="Mots du titre ou du texte (accents facultatifs)"></p>\n'
            '<p id="count" aria-live="polite"></p>\n<ol id="results" class="posts"></ol>')


def _comment(comment: dict, body_html: str) -> str:
    """One comment: its HTML made offline (or its text) and its signature as the blog writes it; a removed one
    marked with the last time the blog showed it."""
    body = body_html or f"<p>{escape(comment['body_text'] or '')}</p>"
    signed = f"Écrit par : {comment['author'] or 'anonyme'} | {long_date(comment['published'])}"
    if not comment.get("removed"):
        return f'<li>{body}<p class="signature">{escape(signed)}</p></li>'
    note = f"Commentaire retiré du blog : il y figurait encore le {stamp(comment['removed'])}."
    return f'<li class="removed"><p class="removed-note">{escape(note)}</p>{body}<p class="signature">{escape(signed)}</p></li>'


def _gone(post: dict) -> str:
    """The notice of a post the blog no longer has, or nothing."""
    if not post.get("gone"):
        return ""
    return (f'<p class="gone">Cette note n’est plus sur le blog : son adresse ne répond plus (404) depuis le '
            f'{escape(stamp(post["gone"]))}. Voici la dernière version archivée.</p>\n')


def _print_original(post: dict) -> str:
    """The blog's own print page, when it had one."""
    if not post["print_url"]:
        return ""
    return f' (<a class="print-original" href="{escape(post["print_url"])}">version imprimable d’origine</a>)'


def _seen(post: dict, history_href: str | None) -> str:
    """When the archive first and last read the post, and the link to its history when it changed."""
    seen = f"Archivée le {stamp(post['first_seen'])} ; lue pour la dernière fois le {stamp(post['last_seen'])}."
    if history_href is None:
        return f'<p class="seen">{escape(seen)}</p>'
    count = len(post.get("revisions") or ())
    label = f"{count} modification{'s' if count > 1 else ''} vue{'s' if count > 1 else ''} : voir l’historique"
    return f'<p class="seen">{escape(seen)} <a class="history" href="{history_href}">{label}</a></p>'
