"""A listing page's callback hands its outputs on only once the page is read to its end, its parsed page freed
(a month page's tree is ~10 MB, and Scrapy takes a callback's outputs a few at a time); an error still comes after
the outputs made before it."""

import gc
import inspect
import weakref

import pytest

from spiders.category import CategorySpider


class Tree:
    """Stands for a listing page's parsed tree."""


class Listing(CategorySpider):
    """A spider whose listing pages yield a record, two posts, then fail when `fails`."""

    fails = False

    def parse_listing(self, response, kind):
        page = Tree()
        self.trees.append(weakref.ref(page))
        yield f"record of {kind}"
        yield from ["post 1", "post 2"]
        if self.fails:
            raise ValueError("broken pager")


def spider(fails: bool = False) -> Listing:
    made = Listing(url="http://monblog.hautetfort.com/")
    made.fails, made.trees = fails, []
    return made


def test_the_page_is_freed_before_its_first_output_goes_on():
    listing = spider()
    outputs = listing.read_listing(None, "month")

    first = next(outputs)
    gc.collect()

    assert first == "record of month" and listing.trees[0]() is None
    assert list(outputs) == ["post 1", "post 2"]


def test_an_error_comes_after_the_outputs_made_before_it():
    outputs = spider(fails=True).read_listing(None, "category")

    assert [next(outputs) for _ in range(3)] == ["record of category", "post 1", "post 2"]
    with pytest.raises(ValueError, match="broken pager"):
        next(outputs)


class ReadElsewhere(CategorySpider):
    """A spider whose listing pages await a reading made elsewhere (no tree in the crawl's process)."""

    async def parse_listing(self, response, kind):
        yield f"record of {kind}"


def test_a_listing_that_awaits_its_reading_is_handed_on_as_it_is():
    outputs = ReadElsewhere(url="http://monblog.hautetfort.com/").read_listing(None, "month")

    assert inspect.isasyncgen(outputs)
    with pytest.raises(StopIteration) as first:  # stepped by hand: a test before may leave an event loop running
        outputs.__anext__().send(None)
    assert first.value.value == "record of month"
