"""The archive in web archivists' formats: WARC/1.1 records (records.py), the `export warc` stream and the WACZ
package, replayable in pywb and ReplayWeb.page.

May import: archiver.store (read-only connections), warcio and wacz, the shared modules at the top of archiver;
never Scrapy at import time (records.py is also used by the crawl's live capture).
"""
