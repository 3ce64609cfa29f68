"""An identifying User-Agent: the archiver's name, and a contact the blog's owner can write to."""

from __future__ import annotations

from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware

# What settings.USER_AGENT says until a contact is given (--contact, ARCHIVER_CONTACT).
PLACEHOLDER = "set ARCHIVER_CONTACT or -s USER_AGENT=..."


def user_agent_with_contact(agent: str, contact: str | None) -> str:
    """`agent` with the contact in place of the placeholder: `blog-archiver/0.2.0 (+contact: ops@example.org)`.

    An agent without the placeholder (set whole with `-s USER_AGENT=...`) is left as it is.
    """
    contact = (contact or "").strip()
    return agent.replace(PLACEHOLDER, contact) if contact else agent


class ContactUserAgent(UserAgentMiddleware):
    """Scrapy's User-Agent middleware, the contact (setting ARCHIVER_CONTACT) put into USER_AGENT.

    `archiver crawl` already puts it into the settings (archiver.crawl.run_settings.crawl_settings), so that
    Scrapy's "Overridden settings" log line shows the agent sent; this covers `scrapy crawl -s ARCHIVER_CONTACT=...`.
    """

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        settings = crawler.settings
        middleware.user_agent = user_agent_with_contact(settings["USER_AGENT"], settings.get("ARCHIVER_CONTACT"))
        return middleware
