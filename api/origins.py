"""Who may talk to the server: requests must name this server as their Host (no DNS rebinding), and writes must
come from the page's own origin or a trusted one (no cross-site request forgery).

A page on another site can make the browser send a form or a `no-cors` fetch to http://127.0.0.1:8000 — a
"simple" request with no preflight — and, through DNS rebinding, read answers under a host name it controls.
Browsers always say where such a request comes from (`Origin`, `Sec-Fetch-Site`, `Referer`); scripts, curl and
the CLI send none of them and stay allowed. Starlette's TrustedHostMiddleware matches host names only, not the
127.0.0.0/8 range, and answers in plain text, so the check is made here in the API's error shape.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.limits import send_error

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SAME_ORIGIN_FETCHES = frozenset({"same-origin", "none"})  # `none`: typed in the address bar, a bookmark


def is_loopback_host(host: str) -> bool:
    """`localhost`, 127.0.0.0/8 and ::1: names that never leave this machine, so no foreign site can own them."""
    bare = host.strip("[]").lower()
    if bare == "localhost" or bare.endswith(".localhost"):  # browsers resolve *.localhost to loopback themselves
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def host_name(authority: str) -> str:
    """The host of `host[:port]` (IPv6 in brackets), lower-cased."""
    split = urlsplit(f"//{authority}")
    try:
        return (split.hostname or "").lower()
    except ValueError:
        return ""


def _origin(url: str) -> tuple[str, str] | None:
    """Scheme and `host[:port]` of an absolute http(s) URL, lower-cased and as written (a browser writes the
    same authority in `Origin` and in `Host`); None for `null`, another scheme or anything unparsable."""
    split = urlsplit(url.strip())
    if split.scheme not in ("http", "https") or not split.netloc or "@" in split.netloc:
        return None
    return split.scheme.lower(), split.netloc.lower()


class KnownHostsOnly:
    """ASGI middleware: 421 for a request whose Host is neither a loopback name nor one of `allowed_hosts`."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = {host.strip().lower().strip("[]") for host in allowed_hosts if host.strip()}
        self.allow_any = "*" in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.allow_any:
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("host", "")
        name = host_name(given)
        if name and (is_loopback_host(name) or name.strip("[]") in self.allowed):
            await self.app(scope, receive, send)
            return
        await send_error(send, 421, "host_not_allowed",
                         f"this server does not answer to the host {given!r}: use http://127.0.0.1 or localhost, "
                         "or list the name in STUDYGRAPH_ALLOWED_HOSTS when serving it on a network",
                         {"host": given}, headers=((b"connection", b"close"),))


class SameOriginWrites:
    """ASGI middleware: 403 for a write (any method but GET, HEAD, OPTIONS) a browser sent from another origin.

    Allowed: an `Origin` equal to the server's own (the Host the request names) or listed in `trusted_origins`;
    without `Origin`, a `Sec-Fetch-Site` of same-origin or none; without either, a `Referer` of this server; and a
    request with none of the three (not from a browser page). Checked before the token and before the body.
    """

    def __init__(self, app: ASGIApp, trusted_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.trusted = {parsed for origin in trusted_origins if (parsed := _origin(origin))}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        reason = self._refusal(Headers(scope=scope))
        if reason is None:
            await self.app(scope, receive, send)
            return
        await send_error(send, 403, "cross_origin_write",
                         f"{reason}: writes are accepted only from this server's own page, or from an origin "
                         "listed in STUDYGRAPH_CORS_ORIGINS", headers=((b"connection", b"close"),))

    def _refusal(self, headers: Headers) -> str | None:
        origin = headers.get("origin")
        if origin is not None:
            return None if self._ours(origin, headers) else f"the request comes from the page of {origin!r}"
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None:
            return None if fetch_site.lower() in SAME_ORIGIN_FETCHES else f"the browser marks it {fetch_site!r}"
        referer = headers.get("referer")
        if referer is not None and not self._ours(referer, headers):
            return "the request comes from a page of another site (Referer)"
        return None

    def _ours(self, url: str, headers: Headers) -> bool:
        """The page at `url` is this server's own (same authority as the Host it asks for) or a trusted origin."""
        claimed = _origin(url)
        return claimed is not None and (claimed[1] == headers.get("host", "").strip().lower()
                                        or claimed in self.trusted)
