"""The category census of a whole-blog crawl, by example: a category of 5 pages of 10 posts, newest first."""

from datetime import datetime, timedelta

from archiver.items import Category
from spiders.census import CategoryCensus

BLOG = "http://blog.example"
CATEGORY = Category("Mali", f"{BLOG}/mali/")
PAGES = [f"{BLOG}/archives/category/mali/index-{n}.html" for n in range(2, 6)]
POSTS = [f"{BLOG}/archive/2022/01/{50 - i:02d}/note-{1000 + i}.html" for i in range(45)]  # newest first
NEWEST = datetime(2022, 3, 1)


def page_of(number: int) -> list[str]:
    return POSTS[(number - 1) * 10: number * 10]


def census_having_read(posts: list[str], pages=(1, 5)) -> CategoryCensus:
    """The census after a crawl read `posts` (through month archives) and the category's pages `pages`."""
    census = CategoryCensus()
    for i, post in enumerate(posts):
        census.post(post, post, (), [CATEGORY], NEWEST - timedelta(hours=POSTS.index(post)))
    for number in pages:
        census.category_page(PAGES[0].replace("index-2", f"index-{number}") if number > 1 else CATEGORY.url,
                             page_of(number), PAGES if number == 1 else [CATEGORY.url, *PAGES[:3]])
    return census


def test_a_category_is_counted_from_its_first_and_last_pages():
    census = CategoryCensus()
    assert census.category_page(CATEGORY.url, page_of(1), PAGES[:3] + PAGES[-1:]) == PAGES[-1]
    census.category_page(PAGES[-1], page_of(5), [CATEGORY.url, *PAGES[:3]])
    assert census.counts["mali"].listed_total() == 45


def test_a_pager_showing_only_the_next_page_is_followed_to_its_end():
    census = CategoryCensus()
    assert census.category_page(CATEGORY.url, page_of(1), PAGES[:1]) == PAGES[0]
    assert census.category_page(PAGES[0], page_of(2), [CATEGORY.url, PAGES[1]]) == PAGES[1]
    assert census.counts["mali"].listed_total() is None


def test_a_category_whose_posts_were_all_read_is_not_short():
    assert census_having_read(POSTS).shortfalls() == []


def test_a_post_only_the_category_lists_is_searched_for_on_the_middle_page_first():
    missing = POSTS[23]  # page 3
    census = census_having_read([p for p in POSTS if p != missing])
    [short] = census.shortfalls()
    assert (short.listed, short.found) == (45, 44)
    assert census.pages_to_search("mali") == [PAGES[1]]  # page 3 of 1..5
    census.category_page(PAGES[1], page_of(3), [])
    assert census.shortfalls() == []


def test_the_search_narrows_down_to_the_page_that_holds_the_missing_post():
    missing = POSTS[12]  # page 2
    census = census_having_read([p for p in POSTS if p != missing])
    assert census.pages_to_search("mali") == [PAGES[1]]  # page 3: the missing post is before it
    census.category_page(PAGES[1], page_of(3), [])
    assert census.pages_to_search("mali") == [PAGES[0]]  # page 2, between pages 1 and 3
    census.category_page(PAGES[0], page_of(2), [])
    assert census.shortfalls() == []


def test_posts_out_of_date_order_make_the_search_give_up_so_the_category_is_walked():
    census = census_having_read([p for p in POSTS if p != POSTS[12]], pages=(1, 3, 4, 5))
    census.category_page(PAGES[0], [p for p in page_of(2) if p != POSTS[12]], [])  # 9 posts: the numbers contradict
    assert census.pages_to_search("mali") is None


def test_a_category_no_post_page_names_is_searched_page_by_page():
    census = census_having_read([])
    assert census.shortfalls()[0].found == 15  # the posts of the first and last pages
    assert census.pages_to_search("mali") == [PAGES[1]]
