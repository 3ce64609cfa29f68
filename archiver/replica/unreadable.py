"""Comments made unreadable on purpose: the count still shows, but no comment can be told apart."""

from __future__ import annotations

from . import theme_classic
from .model import Post
from .theme_common import comment_paragraphs

VARIANTS = ("flat", "template")


def flat(post: Post) -> str:
    """Every comment's text in one block: no author line, no date, no <time>."""
    text = "".join(comment_paragraphs(c) for c in post.comments)
    return f'<div id="comments"><h3>Commentaires</h3>\n<div class="comments-text">{text}</div>\n</div>'


def template(post: Post) -> str:
    """The comments as text inside <script type="text/template">, which a browser script would render."""
    inner = "\n".join(theme_classic.comment_html(c) for c in post.comments)
    return f'<div id="comments"></div>\n<script type="text/template" id="comments-template">\n{inner}\n</script>'


RENDER = {"flat": flat, "template": template}


def unreadable_markup(posts: list[Post]) -> dict[int, str]:
    """The unreadable comments markup of every post with comments, variants in turn: post id -> markup."""
    with_comments = [p for p in posts if p.comments]
    return {post.id: RENDER[VARIANTS[i % len(VARIANTS)]](post) for i, post in enumerate(with_comments)}
