"""The client's address behind trusted reverse proxies, for brute-force protection."""

from django.conf import settings


def forwarded_client_ip(request) -> str:
    """Take the address the nearest trusted proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N
    trusted proxies the client is the N-th entry from the right; entries left of it can be forged
    by the client and are ignored.
    """
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    count = max(1, settings.TRUSTED_PROXY_COUNT)
    if len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
