"""PostMedia: the images of each post's body, downloaded by Scrapy's FilesPipeline next to the archive.

Only images on the blog's own host (and its www. twin) or on a host ARCHIVER_MEDIA_HOSTS lists are
fetched; the post records each one in `media` ({url, path, checksum, status}): status "downloaded",
"uptodate" (the file was already in the store: not fetched again, see FILES_EXPIRES) or why it failed.
A failed image never fails its post. Off with ARCHIVER_MEDIA = False.

Namesake of archiver.extract.media and archiver.store.media: the same concept, a post's images, at three layers
(found on the page, downloaded here, recorded by the store).
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FSFilesStore
from scrapy.pipelines.media import FileException

from archiver import urls
from archiver.extract.media import extract_image_urls, media_host_allowed
from archiver.items import Post
from archiver.middlewares.http_exchanges import EXCHANGE, exchange
from archiver.store.media import media_store

logger = logging.getLogger(__name__)
# A stat: the first images not downloaded, [{url, reason}], for the crawl's summary (not counted: `archiver/media/failed`).
FAILED_EXAMPLES = "archiver/media_failed_examples"

class LazyFilesStore(FSFilesStore):
    """Scrapy's folder store, creating its folder with the first file, not when the crawl opens."""

    def __init__(self, basedir):
        self.basedir = str(basedir)
        self.created_directories = {}

    def _mkdir(self, dirname: Path, domain=None) -> None:
        dirname.mkdir(parents=True, exist_ok=True)


class PostMedia(FilesPipeline):
    """Download the allowed images of each post's body; record every attempt in `post.media`."""

    STORE_SCHEMES = {**FilesPipeline.STORE_SCHEMES, "": LazyFilesStore, "file": LazyFilesStore}

    def __init__(self, store_uri, *, crawler, extra_hosts: frozenset[str] = frozenset()):
        super().__init__(store_uri, crawler=crawler)
        self.extra_hosts = extra_hosts

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ARCHIVER_MEDIA", True):
            raise NotConfigured("ARCHIVER_MEDIA is off")
        folder = media_store(settings.get("ARCHIVE_DB"), settings.get("ARCHIVER_MEDIA_STORE"))
        hosts = frozenset(host.strip().lower() for host in settings.getlist("ARCHIVER_MEDIA_HOSTS") if host.strip())
        return cls(str(folder.resolve()), crawler=crawler, extra_hosts=hosts)

    def image_urls(self, item) -> list[str]:
        """The images of a post this pipeline fetches, in body order ([] for anything but a post)."""
        if not isinstance(item, Post):
            return []
        blog_hosts = frozenset(urls.blog_hostnames(item.url))
        return [url for url in extract_image_urls(item.body_html, item.url)
                if media_host_allowed(url, blog_hosts, self.extra_hosts)]

    def get_media_requests(self, item, info):
        """One request per image, let past the off-site filter: image_urls chose the hosts."""
        return [Request(url, callback=NO_CALLBACK, meta={"allow_offsite": True}) for url in self.image_urls(item)]

    async def media_downloaded(self, response, request, info, *, item=None):
        """Scrapy's handling of an image; an HTTP error is a failed record ("failed: http 404"), not an exception
        (Scrapy would log it as an ERROR with a traceback: a missing image is a fact about the blog, not a fault)."""
        if response.status != 200:
            logger.info("image not downloaded (HTTP %s): %s", response.status, request.url)
            return {"url": request.url, "path": None, "checksum": None, "status": f"failed: http {response.status}"}
        return {**await super().media_downloaded(response, request, info, item=item), **download_exchange(request, response)}

    def media_failed(self, failure, request, info):
        """Scrapy's handling, keeping what went wrong (a timeout, a refused connection) as the reason."""
        try:
            super().media_failed(failure, request, info)
        except FileException as error:
            reason = str(error) or f"{type(failure.value).__name__}: {failure.value}"
            raise FileException(reason) from failure.value

    def item_completed(self, results, item, info):
        """Set `post.media`: one record per image, in body order, failed ones with their reason."""
        if not isinstance(item, Post):
            return item
        item.media = [_record(url, ok, value) for url, (ok, value) in zip(self.image_urls(item), results)]
        stats = self.crawler.stats
        for record in item.media:  # counted for the crawl's summary: downloaded, uptodate, failed
            stats.inc_value(f"archiver/media/{record['status'] if record['path'] else 'failed'}")
            if not record["path"] and len(stats.get_value(FAILED_EXAMPLES) or []) < 3:  # the summary names the first
                stats.set_value(FAILED_EXAMPLES, [*(stats.get_value(FAILED_EXAMPLES) or []),
                                                  {"url": record["url"], "reason": record["status"].removeprefix("failed: ")}])
        return item


def download_exchange(request, response) -> dict:
    """A downloaded image's exchange, as archiver.middlewares.http_exchanges recorded it (else read the same way
    from the response Scrapy hands over), and its Content-Type."""
    content_type = response.headers.get(b"Content-Type")
    return {"exchange": request.meta.get(EXCHANGE) or exchange(request, response),
            "content_type": content_type.decode("latin-1") if content_type else None}


def _record(url: str, ok: bool, value) -> dict:
    """A post's media record from one FilesPipeline result: its info (and its download's exchange, none when the
    file was "uptodate"), or the failure's reason."""
    if ok:
        return {"url": url, "path": value["path"], "checksum": value["checksum"], "status": value["status"],
                "exchange": value.get("exchange"), "content_type": value.get("content_type")}
    reason = str(value.value) or type(value.value).__name__
    return {"url": url, "path": None, "checksum": None, "status": f"failed: {reason}"}
