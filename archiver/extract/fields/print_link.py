"""The "Imprimer" (print) link: theme profile, then any link or button the page labels "Imprimer"."""

# A real URL is stored absolute; `javascript:window.print()` (or a print button) is a legitimate null; a link that
# is no URL ("http://[oops/apps/print/1.html") is skipped, not taken for either.

from __future__ import annotations

from parsel import Selector

from archiver import urls
from archiver.extract.found import Found, candidates, first_found, node_href
from archiver.extract.page import PostPage
from archiver.items import ExtractionWarning

PRINT_WORDS = ("mprimer", "mprimable")  # "Imprimer", "Imprimer cette note", "Version imprimable"
_LABELLED = " or ".join(
    f"contains({where}, '{word}')" for word in PRINT_WORDS
    for where in ("normalize-space()", "@title", "@value", "@aria-label", "descendant::img/@alt")
)
PRINT_CONTROLS = f"//a[{_LABELLED}] | //button[{_LABELLED}] | //input[{_LABELLED}]"


def extract_print_url(page: PostPage) -> Found | None:
    """The absolute URL of the print link, or None (with a source) for a window.print() one."""
    return first_found((lambda: profile_print_url(page), lambda: platform_print_url(page)))


def check_print_url(page: PostPage, sources: dict) -> list[ExtractionWarning]:
    """Warning: the page shows an "Imprimer" control but no print link was resolved from it."""
    if "print_url" in sources:
        return []
    shown = page.content(page.sel.xpath(PRINT_CONTROLS))
    if not shown:
        return []
    detail = f"an 'Imprimer' {shown[0].root.tag} is shown but no print link was resolved from it"
    return [ExtractionWarning("print-missing", "print_url", detail)]


def profile_print_url(page: PostPage) -> Found | None:
    """The theme's print selectors."""
    for node, source in candidates(page.sel, page.profile, "post", "print_url"):
        href = node_href(node)
        if href is not None and not urls.malformed(href, page.url):
            return Found(urls.absolute_or_none(href, page.url), source)
    return None


def platform_print_url(page: PostPage) -> Found | None:
    """The first link or button labelled "Imprimer" outside the chrome."""
    for control in page.content(page.sel.xpath(PRINT_CONTROLS)):
        found = _resolve(control, page.url)
        if found is not None:
            return found
    return None


def _resolve(control: Selector, url: str) -> Found | None:
    """A print control as a Found: its URL, None for window.print(), or None when it leads nowhere."""
    href = (control.attrib.get("href") or "").strip()
    if urls.malformed(href, url):
        return None
    target = urls.absolute_or_none(href, url)
    if target is not None and target.split("#")[0] != url:
        return Found(target, "platform: link labelled Imprimer")
    script = f"{href} {control.attrib.get('onclick', '')}".lower()
    if "print" in script or control.root.tag in ("button", "input"):
        return Found(None, f"platform: {control.root.tag} labelled Imprimer (window.print)")
    return None

