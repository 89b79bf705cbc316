"""WebSocket handshakes from the site's own pages only.

Channels' ``AllowedHostsOriginValidator`` compares the Origin's host name
with ``ALLOWED_HOSTS`` and ignores its scheme and port, so a page served
from ``http://host:8080`` (another service on the same machine) could open
the site's sockets with the visitor's cookie. Here the Origin must be the
very origin the socket is opened on — scheme, host and port, as Django's
CSRF check compares a request's Origin — with a host of ``ALLOWED_HOSTS``,
or one of ``CSRF_TRUSTED_ORIGINS``. The scheme is ``https`` when the socket
is ``wss`` or when the proxy says so through ``SECURE_PROXY_SSL_HEADER``
(nginx terminates TLS in front of daphne).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier

from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_tuple(url):
    """(scheme, host, port) of an origin or host URL, or None if unreadable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _header(scope, name):
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _scheme(scope):
    if scope.get("scheme") in ("wss", "https"):
        return "https"
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        header, value = proxy
        name = header.removeprefix("HTTP_").replace("_", "-").lower().encode()
        for key, given in scope.get("headers", ()):
            if key.lower() == name and given.decode("latin-1") == value:
                return "https"
    return "http"


def same_origin(scope):
    """Whether the handshake comes from a page of this site."""
    origin, host = _header(scope, b"origin"), _header(scope, b"host")
    if not origin or not host:
        return False
    given = _origin_tuple(origin)
    if given is None:
        return False
    trusted = {_origin_tuple(url) for url in settings.CSRF_TRUSTED_ORIGINS}
    if given in trusted:
        return True
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    return given == _origin_tuple(f"{_scheme(scope)}://{host}")


class SameOriginValidator:
    """ASGI middleware: a WebSocket from another origin is closed before any
    route or session is looked at."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not same_origin(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
