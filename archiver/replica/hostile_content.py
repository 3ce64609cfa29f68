"""The hostile-content replica: a small blog whose pages carry bad links, absurd numbers and control characters, in steps.

`build_hostile_content_site(dir, step)` writes 64 posts (classic and modern themes, no fault posts) whose pages carry
every malformed link of issue 17 (in a blogroll on every page, in every post's footer, in two bodies and a comment),
absurd numbers (a count of 20 digits, "Commentaires (-3)", a <time datetime> in year 99999, comment dates on the 31st
of February and in year 99999, a pager link "Page 99999999999") and control characters (ESC sequences raw and as
`&#27;`, C1 bytes) in titles, a body and a comment. Steps, applied by rewriting on disk only the files whose bytes
change (run it again on the same folder with the next step):
  0 "published"  the blog as above; `hostile_content_plan` makes the last page of one category answer 500 to its first
                 requests (the fault server's burst), so the first crawl that asks for it loses it;
  1 "outage"     three post pages answer 200 with something else: a maintenance page, an empty body, another site's page;
  2 "restored"   those pages are the posts again; a backdated post appears (an old date: page 2 of 3 of a category,
                 an old month, outside the feed); a post is moved out of one of its categories.
The ground truth (_truth.jsonl) is what a reader reads: control characters removed, absurd counts and dates null, no
author link for a malformed address. `_hostile.json` names the URL of each case (`load_hostile_content`).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from . import pages
from .body import IMAGES
from .evolve import ChangeWriter
from .fault_plan import Burst, FaultPlan
from .generate import PAGE_SIZE, Blocks, SiteInfo, prepare, write_category, write_chronology, write_posts
from .model import BASE_TOKEN, Block, Category, Comment, Post
from .plan import Site, make_listings, plan_site
from .theme_common import sidebar_data
from .truth import TRUTH_FILE, truth_record, write_truth

STEPS = ("published", "outage", "restored")
HOSTILE_FILE = "_hostile.json"
POSTS, SEED = 60, 2022
LONG_HREF = "http://www.example.org/" + "a" * 50_000
MALFORMED = ("http://www.example.org:80a/", "http://www.example.org:99999/", "http://[oops/", "http://[::1/",
             "http:／／www.example.org／page", "http://www.exa mple.org/une page", "http://www.example.org/&#0;&#1;&#27;x",
             "javascript:alert(document.domain)", "//", "///archive/", LONG_HREF)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1
TITLE_OSC, TITLE_CSI = "\x1b]0;pwned\x07", "\x1b[2J"  # the second is written on pages as "&#27;[2J"
BODY_CONTROLS = Block("<p>Lisez bien\x1b[31m ce passage\x1b[0m avant\u009b2J la suite\u009d0;titre\x07.</p>",
                      "Lisez bien[31m ce passage[0m avant2J la suite0;titre.")
COMMENT_CONTROLS = "Bravo !\u009b31m Lisez\x1b]52;c;cHduZWQ=\x07 ceci."
LINKS_BLOCKS = (  # (href indexes in MALFORMED, paragraph with a {} per link, texts of the links)
    ((0, 2, 4, 10), "Sources : {}, {}, {} et {}.", ("le communiqué", "la dépêche", "l’agence", "le rapport")),
    ((1, 3, 5, 6, 7, 8, 9), "Voir {}, {}, {}, {}, {}, {} et {}.",
     ("la carte", "le fil", "la note", "le dossier", "la vidéo", "le forum", "la revue")),
)
COUNT_LABELS = {"count-huge": "99999999999999999999 commentaires", "count-negative": "Commentaires (-3)"}
COMMENT_DATES = ("31 février 2022 à 10:30", "04/02/99999 à 10:30")
PAGER_LABEL = "Page 99999999999"
MAINTENANCE = ("<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body><h1>Maintenance</h1>"
               "<p>Le blog est en maintenance. Revenez dans quelques minutes.</p></body></html>\n")
FOREIGN = ('<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Tarte aux pommes facile - Cuisine'
           ' du jour</title><link rel="canonical" href="https://cuisine-du-jour.invalid/tarte-aux-pommes"></head>'
           '<body><article><h1>Tarte aux pommes facile</h1><p class="date">Publié le 3 mars 2024</p>'
           + "<p>Épluchez les pommes, coupez-les en lamelles et disposez-les sur la pâte avant d’enfourner.</p>" * 6
           + "</article></body></html>\n")
OUTAGE = {"maintenance": MAINTENANCE, "empty": "", "foreign": FOREIGN}


def plan_hostile(step: int) -> tuple[Site, dict[str, Post], dict]:
    """The blog at `step`: its data, the post playing each role, and the cases' paths (under BASE_TOKEN)."""
    site = plan_site(POSTS, SEED)
    site.faults, site.loop_trap = [], None
    site.listings = make_listings(site.posts, [], site.categories)
    by_size = sorted(site.categories, key=lambda c: (-len(site.listings[c]), c.slug))
    deep, failing, moved_from = by_size[:3]
    roles = pick_roles(site, moved_from)
    add_hostile_markup(site, roles)
    cases = {"failing_listing": failing.page_path(last_page(site, failing)), "deep_category": deep.path,
             "moved_from": moved_from.path, "pager_label": by_size[3].path}
    if step >= STEPS.index("restored"):
        roles["backdated"] = backdate(site, deep)
        roles["moved"].categories = [c for c in roles["moved"].categories if c != moved_from]
    site.listings = make_listings(site.posts, [], site.categories)
    return site, roles, cases


def last_page(site: Site, category: Category) -> int:
    """The number of a category's last listing page."""
    return -(-len(site.listings[category]) // PAGE_SIZE)


def pick_roles(site: Site, moved_from: Category) -> dict[str, Post]:
    """One distinct generated post per role, chosen by what the role needs (deterministic)."""
    recent = {post.id for post in site.posts[-pages.FEED_SIZE:]}
    free = [post for post in site.posts if not post.seed and not post.quirks]
    roles: dict[str, Post] = {"links-home": free[-1]}
    needs = {
        "links-deep": lambda p: p.id not in recent,
        "title-osc": lambda p: True, "title-csi": lambda p: True,
        "comment-controls": lambda p: p.comments, "comment-links": lambda p: p.comments,
        "count-huge": lambda p: p.comments_open, "count-negative": lambda p: p.comments_open and p.theme == "modern",
        "date-attr": lambda p: p.theme == "modern" and p.has_datetime,
        "comment-dates": lambda p: p.theme == "classic" and len(p.comments) >= 2,
        "maintenance": lambda p: p.id not in recent and p.theme == "classic" and p.comments,
        "empty": lambda p: p.id not in recent and p.theme == "modern",
        "foreign": lambda p: p.id not in recent and p.theme == "classic",
        "moved": lambda p: moved_from in p.categories and len(p.categories) >= 2 and p.id not in recent,
    }
    for role, fits in needs.items():
        roles[role] = next(p for p in reversed(free) if fits(p) and p not in roles.values())
    for role, post in roles.items():
        post.quirks = [*post.quirks, role]
    return roles


def add_hostile_markup(site: Site, roles: dict[str, Post]) -> None:
    """Malformed links in two bodies and a comment, control characters in titles, a body and a comment."""
    for role, (indexes, words, texts) in zip(("links-home", "links-deep"), LINKS_BLOCKS):
        anchors = [f'<a href="{MALFORMED[i]}">{text}</a>' for i, text in zip(indexes, texts)]
        roles[role].blocks.insert(0, Block(f"<p>{words.format(*anchors)}</p>", words.format(*texts)))  # on listings too
    for role, control in (("title-osc", TITLE_OSC), ("title-csi", TITLE_CSI)):
        post, (first, _, rest) = roles[role], roles[role].title.partition(" ")
        post.path = post.path  # its permalink keeps the slug of its title before (other posts' bodies link to it)
        post.title = f"{first}{control} {rest}"
    roles["title-osc"].blocks = [*roles["title-osc"].blocks, BODY_CONTROLS]
    comment = roles["comment-controls"].comments[0]
    comment.paragraphs = [COMMENT_CONTROLS, *comment.paragraphs[1:]]
    comment = roles["comment-links"].comments[0]
    comment.author_url = MALFORMED[3]
    comment.markup = (f'<p>Voir <a href="{MALFORMED[0]}">ma source</a>, <a href="{LONG_HREF}">le texte</a> et '
                      f'<a href="{MALFORMED[8]}">mon blog</a>.</p>')
    comment.paragraphs = ["Voir ma source, le texte et mon blog."]


def backdate(site: Site, category: Category) -> Post:
    """A post created now but dated in the middle of `category`'s pagination (page 2 of 3: neither its first page nor
    its last, where a whole-blog crawl counts it), in an old month, in no feed; a minute after a modern post whose
    next post is modern too, so that no page's rel prev/next links to it (modern pages have none)."""
    order = site.posts
    older = next(p for p in site.listings[category][10:20] if p.theme == "modern" and order.index(p) + 1 < len(order)
                 and order[order.index(p) + 1].theme == "modern"
                 and order[order.index(p) + 1].published > p.published + timedelta(minutes=1))
    post = Post(title="Archives retrouvées : les accords de défense de 1961", published=older.published + timedelta(minutes=1),
                blocks=[Block("<p>Une note ancienne, publiée aujourd’hui à sa date d’origine.</p>",
                              "Une note ancienne, publiée aujourd’hui à sa date d’origine.")],
                categories=[category], id=max(p.id for p in site.posts) + 17, author="E.B.",
                created=date(2025, 3, 3), quirks=["backdated"])
    site.posts = sorted([*site.posts, post], key=lambda p: p.published)
    return post


def clean(text: str | None) -> str | None:
    """A text as a reader reads it: control characters removed."""
    return None if text is None else CONTROL.sub("", text)


def reader_record(post: Post, roles: dict[str, Post]) -> dict:
    """The ground truth of a post: what a reader reads, absurd values null and malformed author links none."""
    record = truth_record(post)
    record["title"] = clean(record["title"])
    if post in (roles["count-huge"], roles["count-negative"]):
        record["comments_count"] = None
    for number, comment in enumerate(record["comments"]):
        comment["body_text"] = clean(comment["body_text"])
        if comment["author_url"] in MALFORMED:
            comment["author_url"] = None
        if post is roles["comment-dates"] and number < len(COMMENT_DATES):
            comment["published"] = None
    return record


class HostileWriter(ChangeWriter):
    """Writes each page as the generator made it, then made hostile (see `hostile_page`)."""

    def __init__(self, root: Path, site: Site, roles: dict[str, Post], cases: dict):
        super().__init__(root)
        self.site, self.roles, self.cases = site, roles, cases

    def write(self, path: str, content: str | bytes) -> None:
        if isinstance(content, str):
            content = hostile_page(self, path, content)
        super().write(path, content)


def hostile_page(out: HostileWriter, path: str, text: str) -> str:
    """Feeds lose their control characters (XML forbids them); HTML pages get the blogroll, the footers' bad link,
    the `&#27;` entity, the absurd counts, dates and pager label."""
    if path.endswith((".xml", ".rss")):
        return CONTROL.sub("", text)
    text = text.replace(TITLE_CSI, "&#27;" + TITLE_CSI[1:])
    text = re.sub(r'(<p class="postfooter">.*?)</p>', rf'\1 | <a href="{MALFORMED[1]}partage">Partager</a></p>', text, flags=re.S)
    text = re.sub(r'(<footer class="box-footer">.*?)</footer>', rf'\1 | <a href="{MALFORMED[4]}">Partager</a></footer>',
                  text, flags=re.S)
    for role, label in COUNT_LABELS.items():
        text = re.sub(re.escape(f'href="{out.roles[role].url}#comments">') + "[^<]*", lambda m: m[0].split(">")[0] + ">" + label, text)
    moment = out.roles["date-attr"].published.isoformat()
    text = text.replace(f'datetime="{moment}"', f'datetime="99999{moment[4:]}"')
    for comment, shown in zip(out.roles["comment-dates"].comments, COMMENT_DATES):
        text = re.sub(rf'(id="c{comment.cid}">.*?\| )[^<]*(</p></div>)', rf"\g<1>{shown}\g<2>", text, flags=re.S)
    if path == out.cases["pager_label"]:
        category = next(c for c in out.site.categories if c.path == path)
        href = BASE_TOKEN + category.page_path(last_page(out.site, category))
        text = re.sub(r'(<div class="pagination">|<nav class="box-pagination">)', rf'\1<a href="{href}">{PAGER_LABEL}</a> ', text)
    roll = " ".join(f'<a href="{href}">Blog ami {n}</a>' for n, href in enumerate(MALFORMED, 1))
    return text.replace("</body>", f'<div class="blogroll"><p>Blogs amis : {roll}</p></div>\n</body>')


def build_hostile_content_site(out_dir, step: int = 0) -> SiteInfo:
    """Write the hostile-content replica at `step` (0-2, see STEPS) into `out_dir`; a folder that already holds it
    is rewritten in place, file by file where the bytes change (ETags and mtimes of the others stay)."""
    if not 0 <= step < len(STEPS):
        raise ValueError(f"step must be 0 to {len(STEPS) - 1} ({', '.join(STEPS)}), not {step}")
    root = Path(out_dir)
    if not (root / HOSTILE_FILE).is_file():
        prepare(root)
    site, roles, cases = plan_hostile(step)
    out, sidebar, blocks = HostileWriter(root, site, roles, cases), sidebar_data(site), Blocks()
    write_posts(out, site, sidebar, {})
    if STEPS[step] == "outage":
        for role, page in OUTAGE.items():
            out.write(roles[role].path, page.encode())
    listing_pages = sum(write_category(out, site, category, sidebar, blocks) for category in site.categories)
    write_chronology(out, site, sidebar, blocks)
    for name, content in (("/robots.txt", pages.ROBOTS), ("/style.css", pages.STYLE), *((f"/images/{n}", pages.GIF) for n in IMAGES)):
        out.write(name, content)
    write_truth(root, site)
    lines = [json.dumps(reader_record(post, roles), ensure_ascii=False, sort_keys=True) for post in site.posts]
    (root / TRUTH_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    document = {"step": step, "step_name": STEPS[step], "roles": {role: post.url for role, post in roles.items()},
                **{name: BASE_TOKEN + path for name, path in cases.items()}, "malformed": list(MALFORMED)}
    (root / HOSTILE_FILE).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return SiteInfo(root, len(site.posts), len(site.categories), listing_pages, out.count, 0,
                    {theme: sum(p.theme == theme for p in site.posts) for theme in ("classic", "modern")})


def load_hostile_content(site_dir, base_url: str = BASE_TOKEN) -> dict:
    """_hostile.json with its URLs under `base_url`: step, roles (role -> post URL), failing_listing, deep_category..."""
    text = (Path(site_dir) / HOSTILE_FILE).read_text(encoding="utf-8")
    return json.loads(text.replace(BASE_TOKEN, base_url.rstrip("/")))


def hostile_content_plan(site_dir, attempts: int = 2) -> FaultPlan:
    """The fault server's plan: the failing category page answers 500 to its first `attempts` requests (give more
    than the crawl's RETRY_TIMES, so the first crawl that asks for it loses it and the next one reads it)."""
    return FaultPlan(bursts={urlsplit(load_hostile_content(site_dir)["failing_listing"]).path: Burst("500", attempts)})
