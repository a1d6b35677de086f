"""The permission guard of every view: one call that refuses with 403, or with 404 where existence is secret."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest


def require_perm(request: HttpRequest, perm: str, obj: Any = None, *, hide: bool = False) -> None:
    """Refuse unless the user has `perm` (on `obj`); `hide=True` answers 404 so the object stays unseen."""
    if not request.user.has_perm(perm, obj):
        raise Http404 if hide else PermissionDenied


def require_any_perm(request: HttpRequest, *perms: str, obj: Any = None) -> None:
    """Refuse with 403 unless the user has at least one of `perms`."""
    if not any(request.user.has_perm(perm, obj) for perm in perms):
        raise PermissionDenied
