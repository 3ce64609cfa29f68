"""The category census of a walking crawl, by example: a category of 5 pages of 10 posts, newest first."""

from spiders.census import CategoryCensus

BLOG = "http://blog.example"
FIRST = f"{BLOG}/mali/"
PAGES = [FIRST] + [f"{BLOG}/archives/category/mali/index-{n}.html" for n in range(2, 6)]
POSTS = [f"{BLOG}/archive/2022/01/{50 - i:02d}/note-{1000 + i}.html" for i in range(45)]  # newest first


def page_of(number: int) -> list[str]:
    return POSTS[(number - 1) * 10: number * 10]


def census_having_read(pages=(1, 2, 3, 4, 5), listing=page_of) -> CategoryCensus:
    """The census after a crawl read these pages of the category (each links to every other)."""
    census = CategoryCensus()
    for number in pages:
        census.category_page(PAGES[number - 1], listing(number), [page for page in PAGES if page != PAGES[number - 1]])
    return census


def test_a_category_is_counted_from_its_first_and_last_pages():
    census = census_having_read(pages=(1, 5))
    assert census.counts["mali"].listed_total() == 45


def test_a_category_whose_pages_all_list_their_posts_is_not_short():
    assert census_having_read().shortfalls() == []


def test_a_page_never_read_leaves_the_category_short():
    [short] = census_having_read(pages=(1, 2, 4, 5)).shortfalls()
    assert (short.url, short.listed, short.found) == (FIRST, 45, 35)


def test_a_post_filed_in_the_category_but_not_listed_does_not_hide_a_missing_one():
    census = census_having_read(pages=(1, 2, 4, 5))
    unlisted = f"{BLOG}/archive/2022/01/01/elsewhere-2000.html"  # its own page names the category
    census.post(unlisted, unlisted, (), "2000")
    assert [short.found for short in census.shortfalls()] == [35]


def test_a_listed_post_is_known_by_its_id_whatever_the_address_the_listing_gives():
    def listing(number):
        return [post.replace("/note-", "/ancien-titre-") for post in page_of(number)]  # the slug changed since
    census = census_having_read(listing=listing)
    for post in POSTS:
        census.post(post, post, (), post.rsplit("-", 1)[1].removesuffix(".html"))
    assert census.shortfalls() == [] and census.found("mali") == 45


def test_the_last_page_is_known_from_any_page_that_links_to_it():
    census = CategoryCensus()
    census.category_page(FIRST, page_of(1), PAGES[1:2])  # a pager showing only the next page
    census.category_page(PAGES[1], page_of(2), [FIRST, PAGES[2]])
    assert census.counts["mali"].listed_total() is None  # page 3 is the last seen, and it is not read yet
    census.category_page(PAGES[2], page_of(3)[:4], [PAGES[1]])
    assert census.counts["mali"].listed_total() == 24
