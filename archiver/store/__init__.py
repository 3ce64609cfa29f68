"""The archive: schema, upserts, revisions, FTS and queries. The only module with SQL."""

from archiver.store.blog import blog_identity, blog_identity_history, save_blog_identity
from archiver.store.categories import category_counts, category_slug
from archiver.store.connection import batch, check_archive_file, open_archive, open_existing_archive, open_readonly_archive
from archiver.store.crawl_state import CrawlState, KnownPage, crawl_state, load_crawl_state, path_key, post_summaries
from archiver.store.media import save_media
from archiver.store.pages import iter_good_pages, save_page, stored_page
from archiver.store.post_aliases import add_alias
from archiver.store.posts import archived_post, mark_gone, mark_seen, save_post, save_reextracted_post
from archiver.store.queries import get_post, iter_posts
from archiver.store.retries import PendingRetry, pending_retries, queue_retry, retry_answered, unanswered
from archiver.store.runs import (
    DRIFT,
    FINISHED,
    INTERRUPTED,
    RUN_STATUSES,
    finish_run,
    get_run,
    iter_runs,
    mark_interrupted_runs,
    run_failures,
    save_failure,
    start_run,
)
from archiver.store.search import SearchResult, search, search_posts
from archiver.store.schema import SCHEMA_VERSION, ensure_schema, schema_version
from archiver.store.stats import archive_stats
from archiver.store.tags import tag_counts, tag_slug
from archiver.store.field_rates import usual_figures
from archiver.store.versions import content_hash

__all__ = [
    "CrawlState",
    "DRIFT",
    "FINISHED",
    "INTERRUPTED",
    "KnownPage",
    "PendingRetry",
    "RUN_STATUSES",
    "SearchResult",
    "SCHEMA_VERSION",
    "add_alias",
    "archive_stats",
    "archived_post",
    "batch",
    "blog_identity",
    "blog_identity_history",
    "category_counts",
    "category_slug",
    "check_archive_file",
    "content_hash",
    "crawl_state",
    "ensure_schema",
    "finish_run",
    "get_post",
    "get_run",
    "iter_good_pages",
    "iter_posts",
    "iter_runs",
    "load_crawl_state",
    "mark_gone",
    "mark_interrupted_runs",
    "mark_seen",
    "pending_retries",
    "queue_retry",
    "retry_answered",
    "unanswered",
    "open_archive",
    "open_existing_archive",
    "open_readonly_archive",
    "path_key",
    "post_summaries",
    "run_failures",
    "save_blog_identity",
    "save_failure",
    "save_media",
    "save_page",
    "save_post",
    "save_reextracted_post",
    "schema_version",
    "search",
    "search_posts",
    "start_run",
    "stored_page",
    "tag_counts",
    "tag_slug",
    "usual_figures",
]
