"""When the spider reads the blog's identity, by direct calls: once a whole-blog crawl, from its home page and its
feed (from the feed alone when it starts from /archives), never on a crawl of categories."""

from archiver.extract import page_selector
from archiver.extract.feeds import feed_document
from archiver.items import BlogIdentity
from spiders.category import CategorySpider

BLOG = "http://monblog.hautetfort.com"
HOME = page_selector('<html><body><div id="banner"><h1>Mon blog</h1></div></body></html>', f"{BLOG}/")
ATOM = feed_document('<feed xmlns="http://www.w3.org/2005/Atom"><title>Le titre du fil</title>'
                     "<subtitle>Notes du Léman</subtitle><author><name>Anne Martin</name></author></feed>")


def spider_from(path: str) -> CategorySpider:
    spider = CategorySpider(url=BLOG + path)
    spider.blog_feed = ATOM  # as parse_feed keeps it
    return spider


def test_the_home_page_and_the_feed_make_one_identity_a_crawl():
    spider = spider_from("/")

    assert spider.blog_identity(HOME, f"{BLOG}/") == [BlogIdentity(
        f"{BLOG}/", "Mon blog", "Notes du Léman", "Anne Martin",
        {"name": "classic, decorator: #banner h1", "description": "atom: feed/subtitle", "author": "atom: feed/author/name"})]
    assert spider.blog_identity(HOME, f"{BLOG}/") == []


def test_a_crawl_from_the_archives_page_reads_the_feed_alone():
    (identity,) = spider_from("/archives").blog_identity(None, f"{BLOG}/archives")

    assert (identity.url, identity.name, identity.description) == (f"{BLOG}/", "Le titre du fil", "Notes du Léman")


def test_a_crawl_of_a_category_reads_no_identity():
    assert spider_from("/mali/").blog_identity(HOME, f"{BLOG}/") == []
