"""The web-archive export's baseline: warcio alone writing every stored good page as a response record.

    python -m benchmarks.bare_warc ARCHIVE.db OUT.warc.gz

No request records, no media, no metadata, no history, headers rebuilt from the stored Content-Type only: the least a
WARC of the same pages costs, read with one plain cursor. Beside it, `archiver export warc` shows what its records
(request, media, metadata, the exchange as received) cost.
"""

from __future__ import annotations

import sqlite3
import sys
import zlib
from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

GOOD = "status BETWEEN 200 AND 299 AND html IS NOT NULL AND error IS NULL"


def write_bare_warc(db: str, out: str) -> int:
    """Write the stored good pages of `db` to `out`; the number of records."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    count = 0
    with open(out, "wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="1.1")
        for url, fetched_at, content_type, html in conn.execute(
                f"SELECT url, fetched_at, content_type, html FROM pages WHERE {GOOD}"):
            body = zlib.decompress(html)
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type or "text/html"),
                                                  ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            date = fetched_at.replace("+00:00", "Z")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                                          http_headers=headers, warc_headers_dict={"WARC-Date": date}))
            count += 1
    conn.close()
    return count


if __name__ == "__main__":
    print(write_bare_warc(sys.argv[1], sys.argv[2]))
