"""The "Vandaag te doen" start page: a registry of blocks that each app fills in for a user.

The kernel must not import the domain apps (the Layers contract), yet the start page shows their work.
So each app has a `today.py` that registers a provider here; `core.apps` loads them all with
`autodiscover_modules("today")`, the way the audit catalogue is gathered. A provider returns blocks
keyed by role; blocks of the same role from different apps are merged under one heading, so a
regional team sees the desk's and the pool's work together. Every count is made by the same selector
and filter as the list its link opens, so the number on the start page is the number of rows there
(see docs/decisions/0024-start-page-blocks-from-the-apps.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# The order of the role headings on the page: the work that waits for others first.
ROLE_ORDER = ("regional_team", "board_hr", "school_leader", "institute_staff", "pool_member", "candidate")


@dataclass(frozen=True)
class TodayItem:
    """One line of a block: how many, of what, and the link to the list that shows exactly those."""

    count: int
    label: str
    url: str


@dataclass
class TodayBlock:
    """One role's part of the start page. `template` (optional) renders extra content such as offer cards."""

    role: str
    title: str
    items: list[TodayItem] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    # (url, sentence): a status that is no count, such as the latest forecast and its warnings.
    notes: list[tuple[str, str]] = field(default_factory=list)
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Any], Iterable[TodayBlock]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register an app's provider (used as a decorator in the app's today.py)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def blocks_for(user: Any) -> list[TodayBlock]:
    """The user's blocks, one per role, in ROLE_ORDER; a role's items from several apps merged in registry order."""
    merged: dict[str, TodayBlock] = {}
    for provider in _providers:
        for block in provider(user):
            existing = merged.get(block.role)
            if existing is None:
                merged[block.role] = block
                continue
            existing.title = existing.title or block.title
            existing.items.extend(block.items)
            existing.links.extend(block.links)
            existing.notes.extend(block.notes)
            if block.template and not existing.template:
                existing.template, existing.context = block.template, block.context
    rank = {role: index for index, role in enumerate(ROLE_ORDER)}
    return sorted(merged.values(), key=lambda block: rank.get(block.role, len(rank)))
