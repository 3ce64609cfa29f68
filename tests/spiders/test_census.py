"""The category census of a walking crawl, by example: a category of 5 pages of 10 posts, newest first."""

from archiver.extract.page_number import PageNumber
from spiders.census import CategoryCensus

BLOG = "http://blog.example"
FIRST = f"{BLOG}/mali/"
MALI = ("category", "mali")  # the census counts listing families
PAGES = [FIRST] + [f"{BLOG}/archives/category/mali/index-{n}.html" for n in range(2, 6)]  # numbered from one
FROM_ZERO = [FIRST] + [f"{BLOG}/archives/category/mali/index-{n}.html" for n in range(1, 5)]  # index-1 is page 2
POSTS = [f"{BLOG}/archive/2022/01/{50 - i:02d}/note-{1000 + i}.html" for i in range(45)]  # newest first


def page_of(number: int) -> list[str]:
    return POSTS[(number - 1) * 10: number * 10]


def said(url: str, number: int | None = None, links: dict | None = None) -> PageNumber:
    """What a page says of itself: its number in its title ("Mali - Page 3") when given, its pager's link numbers."""
    index = None if url == FIRST else int(url.rsplit("-", 1)[1].removesuffix(".html"))
    return PageNumber(url, index, number, "title" if number else None, None, links or {})


def census_having_read(pages=(1, 2, 3, 4, 5), listing=page_of, addresses=PAGES, titles=False) -> CategoryCensus:
    """The census after a crawl read these pages of the category (each links to every other; with `titles`,
    each but the first says its number)."""
    census = CategoryCensus()
    for number in pages:
        url = addresses[number - 1]
        page = said(url, number if titles and number > 1 else None)
        census.numbering.learn(page)
        census.add_listing_page(page, listing(number), [other for other in addresses if other != url])
    return census


def test_a_category_is_counted_from_its_first_and_last_pages():
    census = census_having_read(pages=(1, 5))
    assert census.counts[MALI].listed_total() == 45


def test_a_category_whose_pages_all_list_their_posts_is_not_short():
    assert census_having_read().shortfalls() == []


def test_a_page_never_read_leaves_the_category_short():
    [short] = census_having_read(pages=(1, 2, 4, 5)).shortfalls()
    assert (short.url, short.listed, short.found) == (FIRST, 45, 35)


def test_a_blog_numbered_from_zero_is_counted_by_what_its_pages_say():
    census = census_having_read(addresses=FROM_ZERO, titles=True)
    assert census.numbering.offset == 1 and census.shortfalls() == []
    assert census.counts[MALI].listed_total(census.numbering.offset) == 45


def test_page_2_of_a_blog_numbered_from_zero_never_read_leaves_the_category_short():
    [short] = census_having_read(pages=(1, 3, 4, 5), addresses=FROM_ZERO, titles=True).shortfalls()
    assert (short.listed, short.found) == (45, 35)  # index-1.html, page 2, was never read


def test_the_last_page_is_known_from_its_pager_link_number_when_it_says_nothing_itself():
    census = CategoryCensus()
    first = said(FIRST, links={FROM_ZERO[1]: 2, FROM_ZERO[4]: 5})  # "2" links index-1, "5" links index-4
    census.numbering.learn(first)
    census.add_listing_page(first, page_of(1), FROM_ZERO[1:])
    census.add_listing_page(said(FROM_ZERO[4]), page_of(5), FROM_ZERO[:4])
    assert census.counts[MALI].listed_total(census.numbering.offset) == 45
    assert [short.found for short in census.shortfalls()] == [15]  # pages 2 to 4 not read


def test_a_copy_of_page_1_at_index_1_on_a_blog_numbered_from_one_is_no_page_of_its_own():
    census = census_having_read()  # the loop trap: page 2's pager links "1" to index-1.html, a copy of page 1
    copy = said(f"{BLOG}/archives/category/mali/index-1.html", None)
    census.add_listing_page(copy, page_of(1), PAGES)
    assert census.shortfalls() == [] and census.counts[MALI].listed_total() == 45
    census.numbering.learn(said(PAGES[1], 2, links={copy.url: 1}))
    census.numbering.learn(said(copy.url, 1))  # its pager's current page says 1
    assert census.numbering.offset == 0 and census.shortfalls() == []


def test_pages_that_contradict_each_others_numbering_are_named_not_counted():
    census = census_having_read(addresses=FROM_ZERO, titles=True)  # index-1.html says "Page 2"
    census.numbering.learn(said(PAGES[1], 2))  # ... and index-2.html says "Page 2" too
    [contradiction] = census.shortfalls()
    assert contradiction.url == PAGES[1]
    assert "two ways" in contradiction.reason() and FROM_ZERO[1] in contradiction.reason()


def test_a_contradiction_in_one_category_does_not_hide_another_ones_shortfall():
    census = census_having_read(pages=(1, 2, 4, 5), addresses=FROM_ZERO, titles=True)  # mali: page 4 never read
    russie = [f"{BLOG}/russie/", f"{BLOG}/archives/category/russie/index-1.html"]
    for page in (PageNumber(russie[0], None, None, None, None, {}), PageNumber(russie[1], 1, 3, "title", None, {})):
        census.numbering.learn(page)  # russie's index-1.html says "Page 3" on a blog numbered from zero
        census.add_listing_page(page, [], russie)
    contradiction, mali = census.shortfalls()
    assert "two ways" in contradiction.reason() and russie[1] in contradiction.reason()
    assert (mali.slug, mali.listed, mali.found) == ("mali", 45, 35)


def test_a_post_filed_in_the_category_but_not_listed_does_not_hide_a_missing_one():
    census = census_having_read(pages=(1, 2, 4, 5))
    unlisted = f"{BLOG}/archive/2022/01/01/elsewhere-2000.html"  # its own page names the category
    census.add_post(unlisted, unlisted, (), "2000")
    assert [short.found for short in census.shortfalls()] == [35]


def test_a_listed_post_is_known_by_its_id_whatever_the_address_the_listing_gives():
    def listing(number):
        return [post.replace("/note-", "/ancien-titre-") for post in page_of(number)]  # the slug changed since
    census = census_having_read(listing=listing)
    for post in POSTS:
        census.add_post(post, post, (), post.rsplit("-", 1)[1].removesuffix(".html"))
    assert census.shortfalls() == [] and census.posts_found(MALI) == 45


def test_the_last_page_is_known_from_any_page_that_links_to_it():
    census = CategoryCensus()
    census.add_listing_page(said(FIRST), page_of(1), PAGES[1:2])  # a pager showing only the next page
    census.add_listing_page(said(PAGES[1]), page_of(2), [FIRST, PAGES[2]])
    assert census.counts[MALI].listed_total() is None  # page 3 is the last seen, and it is not read yet
    census.add_listing_page(said(PAGES[2]), page_of(3)[:4], [PAGES[1]])
    assert census.counts[MALI].listed_total() == 24
