"""Section 2, extraction: our extraction (all fields, sanitising included) against trafilatura, in-process, on the
post pages the crawl saved, timed over the same pages in alternating order, and each one's field accuracy."""

from __future__ import annotations

import time

from scrapy.exceptions import DropItem

from archiver.pipelines.clean import Clean
from archiver.pipelines.validate import Validate
from archiver.extract import extract_post, page_selector
from archiver.items import Post
from archiver.crawl.reextract import DropCounts
from benchmarks.accuracy import our_fields, tally, trafilatura_fields
from benchmarks.report import Section, Target, table
from benchmarks.spread import ratio, spread

TITLE = "2. Extraction"
CHUNK = 50  # pages timed at a time, by each extractor in turn


def our_post(page: dict, validate: Validate, clean: Clean) -> Post | None:
    """What the crawl stores from a page: decoded, extracted, validated, sanitised (None: no post)."""
    extraction = extract_post(page_selector(page["body"], page["url"], page["content_type"]), page["url"])
    if extraction is None:
        return None
    try:
        return clean.process_item(validate.process_item(Post(**extraction.fields, fetched_url=page["url"])))
    except DropItem:
        return None


def ours(pages: list[dict]) -> list:
    """Our posts of `pages`."""
    validate, clean = Validate(DropCounts()), Clean()
    return [our_post(page, validate, clean) for page in pages]


def trafilatura_reads(pages: list[dict]) -> list:
    """trafilatura's documents of `pages` (metadata included), as dicts."""
    import trafilatura

    documents = (trafilatura.bare_extraction(page["body"], url=page["url"], with_metadata=True) for page in pages)
    return [document.as_dict() if document is not None else None for document in documents]


def timed_rounds(pages: list[dict], extractors: dict, runs: int) -> tuple[dict, dict]:
    """Seconds of each extractor over all pages per round, and its output (of the first round). The pages go in
    chunks of CHUNK, each chunk to every extractor in turn, the first one alternating: a burst of load on the
    shared machine falls on both."""
    seconds, outputs = {name: [] for name in extractors}, {name: [] for name in extractors}
    for extract in extractors.values():  # warm-up: imports, compiled selectors, caches
        extract(pages[:CHUNK])
    for i in range(runs):
        spent = dict.fromkeys(extractors, 0.0)
        for number, start in enumerate(range(0, len(pages), CHUNK)):
            for name in list(extractors)[:: 1 if number % 2 == 0 else -1]:
                started = time.perf_counter()
                result = extractors[name](pages[start:start + CHUNK])
                spent[name] += time.perf_counter() - started
                if i == 0:
                    outputs[name] += result
        for name, total in spent.items():
            seconds[name].append(total)
    return seconds, outputs


def accuracy_rows(pages: list[dict], truth: dict[str, dict], outputs: dict) -> tuple[list[list[str]], list[str]]:
    """A row per field: ours and trafilatura's share right; and our failing fields with example URLs."""
    urls = [page["url"] for page in pages]
    wrong = {"ours": tally([(url, our_fields(post, truth[url]) if post else {"post found": False})
                            for url, post in zip(urls, outputs["ours"])])}
    if "trafilatura" in outputs:
        wrong["trafilatura"] = tally([(url, trafilatura_fields(document, truth[url]))
                                      for url, document in zip(urls, outputs["trafilatura"])])
    share = lambda who, name: (f"{1 - len(wrong[who][name]) / len(urls):.1%}"  # noqa: E731
                               if name in wrong.get(who, {}) else "-")
    rows = [[name, share("ours", name), share("trafilatura", name)] for name in wrong["ours"]]
    failing = [f"{name}: {len(bad)} wrong, e.g. {', '.join(bad[:3])}" for name, bad in wrong["ours"].items() if bad]
    return rows, failing


def extraction_section(pages: list[dict], truth: dict[str, dict], runs: int, with_trafilatura: bool) -> Section:
    """The speed and accuracy tables and the targets, over `pages` (saved_post_pages) and the truth by URL."""
    extractors = {"ours": ours} | ({"trafilatura": trafilatura_reads} if with_trafilatura else {})
    seconds, outputs = timed_rounds(pages, extractors, runs)
    rates = {name: spread(len(pages) / s for s in values) for name, values in seconds.items()}
    rows = [[name, rates[name].show(0), f"{1000 / rates[name].median:.2f}"] for name in rates]
    accuracy, failing = accuracy_rows(pages, truth, outputs)
    lines = [f"{len(pages)} post pages saved by the crawl (raw bytes, decoded by each extractor), "
             f"{runs} rounds, in-process, interleaved by chunks of {CHUNK} pages.", "",
             *table(["extractor", "posts/s", "ms/post"], rows), "",
             *table(["field (share right)", "ours", "trafilatura"], accuracy), "",
             "Comparison: see benchmarks/accuracy.py (texts after whitespace collapse; 'body ~' = 90% of words shared)."]
    perfect = not failing
    lines += [f"Our failing fields: {'; '.join(failing)}." if failing else "Ours: every field right on every page."]
    targets = [Target("extraction 100% field accuracy", perfect, "all fields right" if perfect else "; ".join(failing)[:200])]
    if with_trafilatura:
        speedup = ratio(rates["ours"], rates["trafilatura"])
        targets.insert(0, Target("extraction >= 10x trafilatura", speedup >= 10, f"{speedup:.1f}x "
                                 f"({rates['ours'].median:,.0f} vs {rates['trafilatura'].median:,.0f} posts/s)"))
    else:
        lines.append("trafilatura: not measured: trafilatura not installed (pip install -e '.[bench]').")
        targets.insert(0, Target("extraction >= 10x trafilatura", None, "trafilatura not installed"))
    return Section(TITLE, lines, targets)
