"""The site's absolute addresses, for whatever leaves a request behind: e-mails,
calendar files, the API and the sitemap (docs/development.md#absolute-urls). They
are built from one setting, ``BASE_URL``, which ``make run`` derives from
``PORT`` and production reads from the environment; ``load_demo`` keeps the
Wagtail site's host and port equal to it (``site_address``)."""

from urllib.parse import urlsplit

from django.conf import settings


def base_url() -> str:
    return settings.BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (``/pl/…``) on the site's address; a URL that already has a
    host (a page of another Wagtail site) is returned as it is."""
    if urlsplit(path).scheme:
        return path
    return f"{base_url()}/{path.lstrip('/')}"


def page_url(page) -> str | None:
    """A Wagtail page's absolute address, or None for a page outside any site."""
    path = page.get_url()
    return absolute_url(path) if path is not None else None


def site_address() -> tuple[str, int]:
    """The host name and port the Wagtail site must have for its own page
    links (``Page.full_url``) to agree with ``BASE_URL``."""
    parts = urlsplit(base_url())
    default = 443 if parts.scheme == "https" else 80
    return parts.hostname or "localhost", parts.port or default
