"""The blog's feeds read as entries: permalink, platform id, published and updated times (pure, no network)."""

from archiver.extract import FeedEntry, extract_feed
from archiver.extract.feeds import feed_time

BLOG = "http://monblog.hautetfort.com"
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Mon blog</title><updated>2025-12-01T09:00:00+01:00</updated>
<entry><title>Note du jour</title><link rel="alternate" type="text/html" href="{BLOG}/archive/2025/11/30/note-du-jour-6362153.html"/>
<id>tag:monblog.hautetfort.com,2025-11-30:6362153</id><published>2025-11-30T10:30:00+01:00</published>
<updated>2025-12-01T09:00:00+01:00</updated></entry>
<entry><title>Ancienne note</title><link rel="alternate" href="{BLOG}/archive/2007/04/30/ancienne-note.html"/>
<id>tag:monblog.hautetfort.com,2007-04-30:1866121</id><published>2025-11-29T08:00:00Z</published></entry>
<entry><title>Ailleurs</title><link href="http://autre.example/archive/2025/11/28/ailleurs-123456.html"/></entry>
<entry><title>Pas une note</title><link href="{BLOG}/mali/"/></entry>
</feed>"""
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Mali</title>
<item><title>Note</title><link>{BLOG}/archive/2022/02/04/note-6362153.html?utm_source=rss</link>
<guid isPermaLink="true">{BLOG}/archive/2022/02/04/note-6362153.html</guid><pubDate>Fri, 04 Feb 2022 10:30:00 +0100</pubDate></item>
<item><title>Sans lien</title><guid>{BLOG}/archive/2007/04/30/ancienne-note.html</guid></item>
</channel></rss>"""


def test_an_atom_entry_gives_its_permalink_id_and_times_in_utc():
    first, legacy = extract_feed(ATOM.encode(), f"{BLOG}/atom.xml")
    assert first == FeedEntry(f"{BLOG}/archive/2025/11/30/note-du-jour-6362153.html", "6362153",
                              "2025-11-30T09:30:00+00:00", "2025-12-01T08:00:00+00:00")
    assert (legacy.url, legacy.post_id) == (f"{BLOG}/archive/2007/04/30/ancienne-note.html", "1866121")


def test_an_entry_without_updated_time_is_as_old_as_its_publication():
    legacy = extract_feed(ATOM, f"{BLOG}/atom.xml")[1]
    assert legacy.updated == legacy.published == "2025-11-29T08:00:00+00:00"


def test_entries_of_other_blogs_and_of_pages_that_are_not_posts_are_left_out():
    assert [entry.url for entry in extract_feed(ATOM, f"{BLOG}/atom.xml")] == [
        f"{BLOG}/archive/2025/11/30/note-du-jour-6362153.html", f"{BLOG}/archive/2007/04/30/ancienne-note.html"]


def test_an_rss_item_gives_its_canonical_permalink_and_pubdate():
    note, legacy = extract_feed(RSS, f"{BLOG}/mali/index.rss")
    assert note == FeedEntry(f"{BLOG}/archive/2022/02/04/note-6362153.html", "6362153",
                             "2022-02-04T09:30:00+00:00", "2022-02-04T09:30:00+00:00")
    assert legacy == FeedEntry(f"{BLOG}/archive/2007/04/30/ancienne-note.html")


def test_what_is_not_a_feed_gives_no_entry():
    assert extract_feed(b"<html><body>Erreur</body></html>", f"{BLOG}/atom.xml") == []
    assert extract_feed(b"\x00 not xml <", f"{BLOG}/atom.xml") == []
    assert extract_feed("", f"{BLOG}/atom.xml") == []


def test_feed_times_need_an_offset():
    assert feed_time("2025-11-30T10:30:00+01:00") == "2025-11-30T09:30:00+00:00"
    assert feed_time("Sun, 30 Nov 2025 10:30:00 GMT") == "2025-11-30T10:30:00+00:00"
    assert [feed_time(text) for text in ("2025-11-30T10:30:00", "hier", "", None)] == [None] * 4


def test_hostile_entries_are_skipped_and_the_good_ones_read():
    hostile = ATOM.replace("<entry>", """<entry><link href="http://monblog.hautetfort.com:80a/archive/2025/11/30/a-6362154.html"/>
    <published>9999-12-31T23:59:59-14:00</published><updated>Fri, 04 Feb 99999999999999999999 10:30:00 +0100</updated></entry>
    <entry><link href="http://[oops/archive/2025/11/30/b-6362155.html"/><link href="http://h／x"/></entry>
    <entry><link href="http://monblog.hautetfort.com/archives/category/mali/index-99999999999999999999.html"/></entry>
    <entry><link href="{BLOG}/archive/2025/11/30/c-6362156.html"/><id>tag:x,y:{big}</id>
    <published>0001-01-01T00:00:00+01:00</published></entry>
    <entry>""".format(BLOG=BLOG, big="9" * 5000), 1)
    entries = extract_feed(hostile.encode(), f"{BLOG}/atom.xml")
    assert entries[0] == FeedEntry(f"{BLOG}/archive/2025/11/30/c-6362156.html", "6362156")
    assert entries[1:] == extract_feed(ATOM.encode(), f"{BLOG}/atom.xml")


def test_feed_times_beyond_the_years_a_datetime_holds_are_none():
    assert [feed_time(text) for text in ("9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00",
                                         "Fri, 04 Feb 99999999999999999999 10:30:00 +0100")] == [None] * 3
