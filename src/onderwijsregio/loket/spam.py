"""Spam and abuse protection of the public desk pages: a honeypot field and rate limits per address.

The honeypot is a text field that people never see or reach (hidden with a CSS class, out of the
tab order, hidden from screen readers) and that form-filling bots tend to fill. Rate limits count
in Django's cache per client address and purpose, in fixed windows; with several server
processes the cache must be shared (Redis, Memcached or the database cache) for the limit to hold.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.module_loading import import_string

HONEYPOT_FIELD = "website"

# purpose -> (allowed per window, window in seconds)
LIMITS: dict[str, tuple[int, int]] = {
    "register": (5, 60 * 60),
    "login_code": (10, 60 * 60),
    "login_verify": (20, 15 * 60),
}


def client_ip(request: HttpRequest) -> str:
    """The client's address, the same way the login lock-out (django-axes) determines it."""
    callable_path = getattr(settings, "AXES_CLIENT_IP_CALLABLE", None)
    if callable_path:
        return import_string(callable_path)(request) or ""
    return request.META.get("REMOTE_ADDR", "")


def _key(request: HttpRequest, purpose: str) -> str:
    # Hashed: cache keys must not carry personal data such as addresses in plain text.
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    return f"loket:rate:{purpose}:{digest}"


def rate_limit_exceeded(request: HttpRequest, purpose: str) -> bool:
    """Whether this client has used up its allowance for `purpose` in the current window."""
    allowed, _window = LIMITS[purpose]
    return (cache.get(_key(request, purpose)) or 0) >= allowed


def rate_limit_count(request: HttpRequest, purpose: str) -> None:
    """Count one use of `purpose` by this client; the window starts with the first use."""
    _allowed, window = LIMITS[purpose]
    key = _key(request, purpose)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


def honeypot_filled(data) -> bool:
    return bool((data.get(HONEYPOT_FIELD) or "").strip())
