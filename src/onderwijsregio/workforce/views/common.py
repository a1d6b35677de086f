"""What the workforce pages share: the board or region a URL names, and links that may not exist."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from onderwijsregio.organisations.models import Organisation

from .. import pupils


def board_or_404(board_id: int) -> Organisation:
    return get_object_or_404(Organisation, pk=board_id, kind=Organisation.Kind.BOARD)


def region_or_404(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.REGION)


def optional_url(name: str, **kwargs) -> str | None:
    """A URL of the forecast pages when they exist (they live in another module)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def pupil_base_year() -> int:
    return pupils.latest_duo_year() or date.today().year - 1
