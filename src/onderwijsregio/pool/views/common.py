"""What every pool page shares: the pool's sub-navigation and tables as the templates render them."""

from __future__ import annotations

import html as html_module

from django.utils.safestring import SafeData, SafeString, mark_safe

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


def _body_html(rows: list[list[tuple[str, bool]]]) -> SafeString:
    """The table rows as HTML, built here rather than in the template: a year's dashboard has thousands of
    cells, and the template language spent more time on them than all the figures' queries together."""

    def text(cell: str) -> str:
        # What the template's autoescape did: markup already marked safe stays, everything else is escaped.
        return cell if isinstance(cell, SafeData) else html_module.escape(cell)

    html = []
    for row in rows:
        cells = []
        for index, (cell, numeric) in enumerate(row):
            if index == 0:
                cells.append(f'<th class="utrecht-table__header-cell" scope="row">{text(cell)}</th>')
            else:
                kind = "utrecht-table__cell utrecht-table__cell--numeric" if numeric else "utrecht-table__cell"
                cells.append(f'<td class="{kind}">{text(cell)}</td>')
        html.append(f'<tr class="utrecht-table__row">{"".join(cells)}</tr>')
    return mark_safe("\n    ".join(html))  # every cell is escaped above


def table_view(table: Table, table_id: str) -> dict:
    """A core.documents Table as the dashboard templates render it (first column as row header)."""

    def cells(row) -> list[tuple[str, bool]]:
        return [("" if value is None else str(value), index in table.numeric) for index, value in enumerate(row)]

    rows = [cells(row) for row in table.rows]
    return {
        "id": table_id,
        "caption": table.caption,
        "headers": [(str(header), index in table.numeric) for index, header in enumerate(table.headers)],
        "rows": rows,
        "body": _body_html(rows),
        "footer": cells(table.footer) if table.footer else None,
        "columns": len(table.headers),
    }
