"""The offline reader's pages as HTML text: one layout (our stylesheet, our script, a policy forbidding anything
else), then the home and category listings, a post, the category index and the search page."""

from __future__ import annotations

from html import escape

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
    """A post in a listing: title as a link, date, categories."""
    categories = ", ".join(escape(c["name"] or "") for c in post["categories"])
    return (f'<li><a href="{href}">{escape(post["title"] or "(sans titre)")}</a> '
            f'<span class="date">{escape(_day(post["published"]))}</span>'
            + (f' <span class="categories">{categories}</span>' if categories else "") + "</li>")


def listing(heading: str, items: list[str], pager: str) -> str:
    """A page of a listing: its heading, its posts, its pager."""
    return f'<h1>{escape(heading)}</h1>\n<ol class="posts">\n' + "\n".join(items) + f"\n</ol>\n{pager}"


def pager(previous: str | None, following: str | None, number: int, pages: int) -> str:
    """'← Notes plus récentes | page 2 / 5 | Notes plus anciennes →'."""
    parts = [f'<a rel="prev" href="{previous}">← Notes plus récentes</a>' if previous else "",
             f"<span>page {number} / {pages}</span>",
             f'<a rel="next" href="{following}">Notes plus anciennes →</a>' if following else ""]
    return '<nav class="pager">' + " ".join(part for part in parts if part) + "</nav>"


def post_page(post: dict, body: str, category_links: list[tuple[str, str]], neighbours: dict[str, tuple[str, str]],
              comment_bodies: list[str], tag_links: list[tuple[str, str]] = ()) -> str:
    """A post: title, date, author, categories and tags as links, body, the original address, the print link,
    previous / next notes, and its comments."""
    categories = ", ".join(f'<a href="{href}">{escape(name)}</a>' for name, href in category_links) or "-"
    tags = ", ".join(f'<a href="{href}">{escape(name)}</a>' for name, href in tag_links)
    printing = f' | <a class="print" href="{escape(post["print_url"])}">Imprimer (original)</a>' if post["print_url"] else ""
    around = " ".join(
        f'<a rel="{rel}" href="{neighbours[rel][0]}">{label} : {escape(neighbours[rel][1])}</a>'
        for rel, label in (("prev", "← Note précédente"), ("next", "Note suivante →")) if rel in neighbours
    )
    live = [(comment, body) for comment, body in zip(post["comments"], comment_bodies, strict=True) if not comment.get("removed")]
    comments = "".join(_comment(comment, body) for comment, body in live)
    return f"""<article class="post">
<h1 class="title">{escape(post["title"] or "(sans titre)")}</h1>
<p class="meta"><time datetime="{escape(post["published"] or "")}">{escape(_when(post["published"]))}</time>
{("| " + escape(post["author"])) if post["author"] else ""}</p>
<p class="categories">Catégories : {categories}</p>
{f'<p class="tags">Tags : {tags}</p>' if tags else ""}
<div class="body">{body}</div>
<p class="source"><a class="original" href="{escape(post["url"])}">Lien permanent (original)</a>{printing}</p>
</article>
<nav class="neighbours">{around}</nav>
<section class="comments"><h2>{len(live)} commentaire(s)</h2><ol>{comments}</ol></section>"""


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
    """One comment: its signature and its sanitised HTML made offline (or its text)."""
    body = body_html or f"<p>{escape(comment['body_text'] or '')}</p>"
    signed = f"{comment['author'] or 'anonyme'}, {_when(comment['published'])}"
    return f'<li><p class="signature">{escape(signed)}</p>{body}</li>'


def _day(published: str | None) -> str:
    """'2022-02-04', or 'sans date'."""
    return published[:10] if published else "sans date"


def _when(published: str | None) -> str:
    """'2022-02-04 10:30', or 'sans date'."""
    return published[:16].replace("T", " ") if published else "sans date"
