"""What every pool page shares: the pool's sub-navigation and tables as the templates render them."""

from __future__ import annotations

from onderwijsregio.core.documents import Table

from ..permissions import is_coordinator_of


def nav_context(user, pool) -> dict:
    """What the pool's sub-navigation shows for this user."""
    from onderwijsregio.accounts.permissions import access_for

    coordinator = is_coordinator_of(user=user, pool=pool)
    return {
        "is_coordinator": coordinator,
        "can_list_members": coordinator
        or bool(access_for(user).hr_organisations & set(pool.participants.values_list("board_id", flat=True))),
        "can_dashboard": user.has_perm("pool.view_dashboard", pool),
    }


def table_view(table: Table, table_id: str) -> dict:
    """A core.documents Table as the dashboard templates render it (first column as row header)."""

    def cells(row) -> list[tuple[str, bool]]:
        return [("" if value is None else str(value), index in table.numeric) for index, value in enumerate(row)]

    return {
        "id": table_id,
        "caption": table.caption,
        "headers": [(str(header), index in table.numeric) for index, header in enumerate(table.headers)],
        "rows": [cells(row) for row in table.rows],
        "footer": cells(table.footer) if table.footer else None,
        "columns": len(table.headers),
    }
