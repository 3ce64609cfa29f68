"""`archiver export html DIR`: the archive as a static site read from file:// with no server and no network:
home pages newest first, a page per category, per tag and per post, category and tag indexes, and a search of our own."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from archiver import store, urls
from archiver.folding import fold
from archiver.reader import templates
from archiver.reader.history import history_page
from archiver.reader.images import offline_body
from archiver.reader.names import Names
from archiver.reader.search_index import index_entry, index_script
from archiver.reader.writer import SiteWriter
from archiver.store.connection import reading
from archiver.store.media import media_store
from archiver.views.changes_feed import changes_feed

PAGE_SIZE = 20  # posts per home or category page
ASSETS = ("reader.css", "reader.js")


@dataclass
class ReaderSummary:
    """What an export wrote: how many posts and categories, files written anew, files removed, the home page."""

    posts: int
    categories: int
    written: int
    unchanged: int
    removed: int
    home: Path


def export_html(db_path: str | Path, out_dir: str | Path, *, blog: str | None = None, force: bool = False,
                **filters) -> ReaderSummary:
    """Write the reader for the archive at db_path into out_dir (created; an earlier export there is updated:
    changed files rewritten, files of posts no longer exported removed; a file no export wrote is never replaced,
    unless `force`: writer.ForeignFile). `filters` as `store.iter_posts`."""
    with reading(db_path) as db:
        posts = [_light(row) for row in store.iter_posts(db, **filters)]  # oldest first, undated last
        writer = SiteWriter(Path(out_dir), force=force)
        post_name, category_name, tag_name = Names(), Names(), Names()
        categories = _categories(posts, category_name)
        tags = _categories(posts, tag_name, "tags")
        identity = store.blog_identity(db) or {}
        title = blog or identity.get("name") or _blog_host(posts)
        _write_listings(writer, posts, categories, post_name, title, intro=identity.get("description"))
        _write_listings(writer, posts, tags, post_name, title, "tags")
        _write_posts(writer, db, posts, filters, post_name, (category_name, tag_name), title, media_store(db_path))
        writer.write("search.html", templates.layout("Rechercher", templates.search_page(), root="", blog=title,
                                                    scripts=("assets/search-index.js", "assets/reader.js")))
        writer.write("changes.xml", changes_feed(db, pages={p["id"]: f"posts/{post_name(p['id'])}.html" for p in posts}, title=title))
        writer.write("assets/search-index.js", index_script([index_entry(post, f"posts/{post_name(post['id'])}.html") for post in posts]))
        for asset in ASSETS:
            writer.write(f"assets/{asset}", files("archiver.reader").joinpath("assets", asset).read_text(encoding="utf-8"))
        removed = writer.finish()
    return ReaderSummary(len(posts), len(categories), writer.written, writer.unchanged, removed, writer.root / "index.html")


def _light(row: dict) -> dict:
    """What listings, neighbours and the search index need of a post (its body is read again for its page)."""
    keys = ("id", "url", "title", "published", "body_text", "gone")
    return {key: row[key] for key in keys} | {kind: [{"name": c["name"], "url": c["url"]} for c in row[kind]]
                                              for kind in ("categories", "tags")}


def _slug(kind: str, item: dict) -> str:
    """What names a category or a tag in the archive."""
    return (store.category_slug if kind == "categories" else store.tag_slug)(item["url"], item["name"])


def _categories(posts: list[dict], name_of: Names, kind: str = "categories") -> dict[str, dict]:
    """Categories (or tags) by slug: name, file name and posts (newest first)."""
    found: dict[str, dict] = {}
    for post in _newest_first_order(posts):
        for category in post[kind]:
            slug = _slug(kind, category)
            entry = found.setdefault(slug, {"name": category["name"] or slug, "file": f"{kind}/{name_of(slug)}", "posts": []})
            entry["posts"].append(post)
    return dict(sorted(found.items(), key=lambda item: (fold(item[1]["name"]), item[0])))  # the French way, as `archiver categories`


def _newest_first_order(posts: list[dict]) -> list[dict]:
    """Dated posts newest first, then the undated ones."""
    dated = [post for post in posts if post["published"]]
    return list(reversed(dated)) + [post for post in posts if not post["published"]]


def _write_listings(writer: SiteWriter, posts: list[dict], categories: dict[str, dict], post_name: Names, blog: str,
                    kind: str = "categories", intro: str | None = None) -> None:
    """The home pages (with the categories; `intro`: the blog's description), each category's (or tag's) pages, and
    their index."""
    if kind == "categories":
        _write_paged(writer, "index", blog, _newest_first_order(posts), post_name, root="", blog=blog, intro=intro)
    for entry in categories.values():
        _write_paged(writer, entry["file"], entry["name"], entry["posts"], post_name, root="../", blog=blog)
    rows = [(entry["name"], f"{entry['file']}.html", len(entry["posts"])) for entry in categories.values()]
    heading = "Catégories" if kind == "categories" else "Tags"
    writer.write(f"{kind}.html", templates.layout(heading, templates.category_index(rows, heading), root="", blog=blog))


def _write_paged(writer: SiteWriter, stem: str, heading: str, posts: list[dict], post_name: Names, *, root: str, blog: str,
                 intro: str | None = None) -> None:
    """A listing over as many pages as it takes: STEM.html, STEM-2.html..."""
    pages = max(1, -(-len(posts) // PAGE_SIZE))
    leaf = stem.rsplit("/", 1)[-1]
    for number in range(1, pages + 1):
        chunk = posts[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        items = [templates.post_item(post, f"{root}posts/{post_name(post['id'])}.html") for post in chunk]
        link = lambda n: f"{leaf}.html" if n == 1 else f"{leaf}-{n}.html"  # noqa: E731
        pager = templates.pager(link(number - 1) if number > 1 else None, link(number + 1) if number < pages else None, number, pages)
        name = f"{stem}.html" if number == 1 else f"{stem}-{number}.html"
        writer.write(name, templates.layout(heading, templates.listing(heading, items, pager, intro), root=root, blog=blog))


def _write_posts(writer: SiteWriter, db, posts: list[dict], filters: dict, post_name: Names, names: tuple[Names, Names],
                 blog: str, media_root: Path) -> None:
    """One page per post, read again one at a time (with its revisions), with its neighbours in date order and its
    images copied; and the history page of each post the archive saw change (history/NAME.html)."""
    order = {post["id"]: number for number, post in enumerate(posts)}
    local_pages = _local_pages(posts, post_name, names)
    for row in store.iter_posts(db, **filters, with_revisions=True):
        number = order.get(row["id"])
        if number is None:  # archived after the listings were read: the next export has it
            continue
        neighbours = {rel: (f"{post_name(posts[i]['id'])}.html", posts[i]["title"] or "(sans titre)")
                      for rel, i in (("prev", number - 1), ("next", number + 1)) if 0 <= i < len(posts)}
        links = {kind: [(c["name"] or "", f"../{kind}/{name_of(_slug(kind, c))}.html") for c in row[kind]]
                 for kind, name_of in zip(("categories", "tags"), names)}
        images = _copy_images(writer, row.get("media") or [], media_root)
        body = offline_body(row["body_html"], row["url"], images, local_pages)
        comments = [offline_body(comment["body_html"], row["url"], images, local_pages) for comment in row["comments"]]
        name, heading = post_name(row["id"]), row["title"] or "(sans titre)"
        history = f"../history/{name}.html" if row["revisions"] else None
        page = templates.post_page(row, body, links["categories"], neighbours, comments, links["tags"], history)
        writer.write(f"posts/{name}.html", templates.layout(heading, page, root="../", blog=blog, scripts=("assets/reader.js",)))
        if history:
            writer.write(f"history/{name}.html", templates.layout(f"Historique : {heading}", history_page(row, f"../posts/{name}.html"),
                                                                  root="../", blog=blog))


def _copy_images(writer: SiteWriter, media: list[dict], media_root: Path) -> dict[str, str]:
    """Copy the post's downloaded images into DIR/media/ (same relative path as in the archive's media folder);
    original URL -> the path a post page uses. An image with no file (failed, or the folder moved) is left out."""
    local = {}
    for item in media:
        source = (media_root / item["path"]).resolve() if item.get("path") else None
        if source is None or not source.is_relative_to(media_root.resolve()) or not source.is_file():
            continue
        name = "media/" + "/".join(part for part in Path(item["path"]).parts if part not in ("", ".", ".."))
        writer.copy(name, source)
        local[item["url"]] = f"../{name}"
    return local


def _local_pages(posts: list[dict], post_name: Names, names: tuple[Names, Names]) -> dict[str, str]:
    """The reader's page of each exported post, category and tag, by the url key of its address on the blog
    (paths relative to a post page)."""
    pages = {}
    for post in posts:
        pages[urls.url_key(post["url"])] = f"{post_name(post['id'])}.html"
        for kind, name_of in zip(("categories", "tags"), names):
            for item in post[kind]:
                if item["url"]:
                    pages.setdefault(urls.url_key(item["url"]), f"../{kind}/{name_of(_slug(kind, item))}.html")
    return pages


def _blog_host(posts: list[dict]) -> str:
    """The blog's host, for the pages' heading when the archive has not read the blog's name."""
    for post in posts:
        return post["url"].split("://", 1)[-1].split("/", 1)[0]
    return "Archive"
