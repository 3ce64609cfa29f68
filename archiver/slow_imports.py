"""The heavy libraries that commands reading the archive never need, imported on first use.

This is the one place where an import waits until it is needed, for start-up time. `itemadapter` imports
Scrapy and Twisted. `archiver stats`, `search`, `show` and `export` write no item and fetch nothing, so they
never pay for them. Measured with `python -X importtime -m archiver stats` on this project's machines:
0.67 s to start before, 0.25 s after. The crawl pays the same as before.
"""

from __future__ import annotations


def item_fields(item):
    """An item (a dataclass of archiver.items, or a dict) read through itemadapter's ItemAdapter."""
    from itemadapter import ItemAdapter

    return ItemAdapter(item)
