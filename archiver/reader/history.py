"""A post's history page in the reader: each change the archive saw, oldest first, with when it was seen, what
changed (in French, from views.version_changes) and a word-level diff of its title and text."""

from __future__ import annotations

from html import escape

from archiver.reader.french_dates import long_date, stamp
from archiver.reader.word_diff import word_diff
from archiver.views.version_changes import VersionChange, compare_versions, shown_version

# How a change names what it touched, in the order views.version_changes lists the fields.
FIELD_WORDS = {
    "title": "titre", "body_text": "texte", "body_html": "mise en forme", "published": "date", "author": "auteur",
    "print_url": "lien « Imprimer »", "comments_count": "nombre de commentaires", "categories": "catégories",
    "tags": "tags", "comments": "commentaires",
}


def changes(post: dict) -> list[tuple[dict, dict, VersionChange]]:
    """The changes of a post read with its revisions (`store.iter_posts(..., with_revisions=True)`), oldest first:
    (the version before, the version after, what changed)."""
    versions = [*(post.get("revisions") or ()), shown_version(post)]
    return [(before, after, compare_versions(before, after)) for before, after in zip(versions, versions[1:])]


def summary(change: VersionChange) -> str:
    """What a change touched, in one line: "titre, texte (+3 −1 lignes), 2 nouveaux commentaires"."""
    parts = []
    for name in change.fields:
        if name == "body_text":
            parts.append(f"texte (+{len(change.lines_added)} −{len(change.lines_removed)} "
                         f"ligne{'s' if len(change.lines_added) + len(change.lines_removed) > 1 else ''})")
        elif (name == "body_html" and "body_text" in change.fields) or (name == "comments_count" and "comments" in change.fields):
            continue  # the text's (the comments') change says it
        elif name in ("categories", "tags"):
            added, removed = getattr(change, f"{name}_added"), getattr(change, f"{name}_removed")
            parts.append(f"{FIELD_WORDS[name]} (+{len(added)} −{len(removed)})")
        elif name == "comments":
            if added := len(change.comments_added):
                parts.append(f"{added} nouveau commentaire" if added == 1 else f"{added} nouveaux commentaires")
            if removed := len(change.comments_removed):
                parts.append(f"{removed} commentaire retiré" if removed == 1 else f"{removed} commentaires retirés")
        else:
            parts.append(FIELD_WORDS[name])
    return ", ".join(parts) or "aucun changement visible"


def history_page(post: dict, post_href: str) -> str:
    """The history of a post (read with its revisions): its first version, then each change, oldest first."""
    title = escape(post["title"] or "(sans titre)")
    found = changes(post)
    first_seen = post["revisions"][0]["seen_from"] if post.get("revisions") else post["first_seen"]
    items = [f'<li class="version"><h2>Première version vue le {escape(stamp(first_seen))}</h2></li>']
    items += [_change(number, *step) for number, step in enumerate(found, start=1)]
    return f"""<article class="history">
<h1 class="title">Historique : <a href="{post_href}">{title}</a></h1>
<p class="meta">{len(found)} modification{"s" if len(found) > 1 else ""} vue{"s" if len(found) > 1 else ""} par l’archive \
depuis le {escape(stamp(first_seen))}, dernière lecture le {escape(stamp(post["last_seen"]))}.</p>
<ol class="changes">
{chr(10).join(items)}
</ol>
</article>"""


def _change(number: int, before: dict, after: dict, change: VersionChange) -> str:
    """One change: when it was seen, what it touched, and its diffs."""
    parts = [f'<h2>Modification {number}, vue le {escape(stamp(change.seen_at))}</h2>',
             f'<p class="summary">{escape(summary(change))}</p>']
    if "title" in change.values:
        parts.append(f'<h3>Titre</h3>\n<p class="diff title-diff">{word_diff(*change.values["title"])}</p>')
    if "body_text" in change.fields:
        parts.append(f'<h3>Texte</h3>\n<div class="diff text-diff">{word_diff(before["body_text"], after["body_text"])}</div>')
    for kind, label in (("categories", "Catégories"), ("tags", "Tags")):
        added, removed = getattr(change, f"{kind}_added"), getattr(change, f"{kind}_removed")
        if added or removed:
            parts.append(f'<p class="{kind}-diff">{label} : ' + _names(removed, added) + "</p>")
    for kind, comments, label in (("added", change.comments_added, "Nouveau commentaire"),
                                  ("removed", change.comments_removed, "Commentaire retiré")):
        parts += [f'<p class="comment-{kind}">{label} : {escape(_signature(comment))}</p>' for comment in comments]
    return f'<li class="change" id="modification-{number}">' + "\n".join(parts) + "</li>"


def _names(removed: list[str], added: list[str]) -> str:
    """Category or tag names removed (struck) and added (inserted)."""
    return ", ".join([f"<del>{escape(name)}</del>" for name in removed] + [f"<ins>{escape(name)}</ins>" for name in added])


def _signature(comment: dict) -> str:
    """"Nadia Traoré, le jeudi 26 mars 2019 à 13:58" (in the comment's own time zone)."""
    return f"{comment.get('author') or 'anonyme'}, le {long_date(comment.get('published'))}"
