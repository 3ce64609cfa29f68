"""Datasette on a crawled archive with `archiver datasette-metadata`'s file: canned queries and facets over HTTP; the
blog's name titles it (the session's whole-blog crawl, home_crawl)."""

import json
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import urlopen

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.replica import BASE_TOKEN, load_ground_truth, model
from conftest import crawl_site, run_archiver
from local_servers import closed_port

# Datasette 1.0 reads canned queries from a configuration file only: the metadata file serves as one (`-c FILE`).
DATASETTE_1 = int(version("datasette").split(".")[0]) >= 1
CONFIG = (lambda metadata: ["-c", str(metadata)]) if DATASETTE_1 else (lambda metadata: [])
CATEGORY = "/relations-mali-russie/"  # four posts, the seed note 6362153 among them
EDITED, DELETED = "6362153", "6361888"


@dataclass
class Browsed:
    """Datasette serving the archive: its database's address, the crawled posts' truth, a moment between the two
    crawls, the replica's host."""

    base: str
    truth: list[dict]
    since: str
    host: str


def post_file(site, post_id: str):
    record = next(record for record in load_ground_truth(site, BASE_TOKEN) if record["id"] == post_id)
    return site / urlsplit(record["url"]).path.lstrip("/")


def edit_and_delete(site) -> None:
    """The blog lives on: the seed note is edited, another post is deleted."""
    page = post_file(site, EDITED)
    page.write_text(page.read_text(encoding="utf-8").replace("Sergueï Lavrov a lancé", "Sergueï Lavrov a ensuite lancé"),
                    encoding="utf-8")
    post_file(site, DELETED).unlink()


def next_second() -> str:
    """The next whole second, UTC, once it has come: what the crawl does from then on is "since" it."""
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture(scope="module")
def browsed(site, tmp_path_factory):
    """A category of the replica crawled twice (an edit and a deletion between), its metadata written by the CLI,
    and Datasette serving both on 127.0.0.1."""
    root = tmp_path_factory.mktemp("datasette")
    own = shutil.copytree(site, root / "site")
    db, metadata = root / "monblog.db", root / "metadata.json"
    first = crawl_site(own, [CATEGORY], db)
    written = run_archiver("datasette-metadata", "--db", str(db), "--out", str(metadata))
    assert written.returncode == 0, written.stderr
    port = closed_port()  # Datasette starts (a couple of seconds) while the second crawl writes: it reads live
    log = (root / "datasette.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "datasette", str(db), "-m", str(metadata), *CONFIG(metadata),
                               "-h", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        since = next_second()
        edit_and_delete(own)
        assert crawl_site(own, [CATEGORY], db, "--revalidate", "-s", "ARCHIVER_FULL_CHECK_RUNS=1").result.returncode == 0
        wait_for_port(port, server, root / "datasette.log")
        truth = [record for record in first.truth if CATEGORY in [urlsplit(c["url"]).path for c in record["categories"]]]
        yield Browsed(f"http://127.0.0.1:{port}/monblog", truth, since, urlsplit(first.base_url).netloc)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def wait_for_port(port: int, server: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    """Wait until Datasette listens on `port`; fail with its log when it exits or takes too long."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"datasette exited with status {server.returncode}: {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"datasette did not listen on port {port} within {seconds} s: {log.read_text()}")


def get_json(url: str):
    with urlopen(url, timeout=10) as response:
        return json.load(response)


def get_text(url: str) -> str:
    with urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_a_posts_versions_come_from_the_canned_query_oldest_first(browsed):
    base = browsed.base
    versions = get_json(f"{base}/post_versions.json?post_id={EDITED}&_shape=array")
    assert [(row["version"], row["is_current"]) for row in versions] == [(1, 0), (2, 1)]
    assert "Sergueï Lavrov a lancé" in versions[0]["body_text"] and "a ensuite lancé" in versions[1]["body_text"]
    assert [category["name"] for category in json.loads(versions[1]["categories"])][:2] == ["Diplomatie russe", "MALI"]


def test_posts_changed_since_a_date_are_the_edited_one_and_the_gone_one(browsed):
    base, since = browsed.base, browsed.since
    changed = get_json(f"{base}/posts_changed_since.json?since={since}&_shape=array")
    assert sorted((row["id"], row["change"], row["versions_replaced"]) for row in changed) == [
        (DELETED, "gone", 0), (EDITED, "changed", 1)]


def test_posts_of_a_category_and_comments_by_author(browsed):
    base, truth = browsed.base, browsed.truth
    posts = get_json(f"{base}/posts_of_a_category.json?category={quote('relations mali-russie')}&_shape=array")
    assert sorted(row["id"] for row in posts) == sorted(record["id"] for record in truth)
    author = next(comment["author"] for record in truth for comment in record["comments"])
    comments = get_json(f"{base}/comments_by_author.json?author={quote(author)}&_shape=array")
    assert comments and {row["author"] for row in comments} == {author}


def test_the_posts_page_is_faceted_by_year_category_tag_and_gone(browsed):
    base, truth = browsed.base, browsed.truth
    page = get_json(f"{base}/post_facets.json?_size=1&_facet_size=100&_extra=facet_results")  # the metadata's facets
    found = page["facet_results"]["results"] if DATASETTE_1 else page["facet_results"]
    facets = {name: {row["value"]: row["count"] for row in facet["results"]} for name, facet in found.items()}
    assert facets["year"] == Counter(record["published"][:4] for record in truth)
    assert facets["gone"] == {"no": len(truth) - 1, "yes": 1}
    assert facets["categories"] == Counter(c["name"] for record in truth for c in record["categories"])
    assert facets["tags"] == Counter(t["name"] for record in truth for t in record["tags"])


def test_the_posts_search_and_the_databases_page(browsed):
    base = browsed.base
    found = get_json(f"{base}/post_facets.json?_search={quote('serguei lavrov')}&_col=id&_shape=array")
    assert [row["id"] for row in found] == [EDITED]
    home = get_text(base)
    assert f"<h1>Archive of {browsed.host}</h1>" in home  # no whole-blog crawl read the blog's name: its host
    assert "Posts of a category" in home and "A post&#39;s versions" in home


def test_a_whole_blog_crawl_titles_the_metadata_with_the_blogs_name(home_crawl, tmp_path):
    out = tmp_path / "metadata.json"
    assert CliRunner().invoke(cli, ["datasette-metadata", "--db", str(home_crawl.db), "--out", str(out)]).exit_code == 0
    metadata = json.loads(out.read_text(encoding="utf-8"))
    assert metadata["title"] == metadata["databases"]["archive"]["title"] == model.BLOG_NAME
    assert metadata["description"].startswith(f"{model.BLOG_TAGLINE.rstrip('.')}. The archive of {model.BLOG_NAME} (")
    assert f"by {model.BLOG_AUTHOR}, kept by blog-archiver." in metadata["description"]
    assert metadata["source_url"] == home_crawl.base_url + "/"
