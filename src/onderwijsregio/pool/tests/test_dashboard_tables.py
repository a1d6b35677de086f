"""The tables of the monitor and the settlement page: rows built in Python, same markup, escaped."""

from __future__ import annotations

from django.template.loader import render_to_string

from onderwijsregio.core.documents import Table
from onderwijsregio.pool.views.common import table_view


def test_dashboard_tables_render_the_same_cells_escaped():
    """The rows are built in Python now (thousands of cells): same markup, every text escaped."""
    table = Table(
        caption="Vakken",
        headers=["Vak", "Aanvragen"],
        rows=[["<b>wi</b>", "3"], ["ne & du", None]],
        numeric=frozenset({1}),
    )
    html = render_to_string("pool/dashboard_table.html", {"table": table_view(table, "tabel-x")})
    assert '<th class="utrecht-table__header-cell" scope="row">&lt;b&gt;wi&lt;/b&gt;</th>' in html
    assert '<td class="utrecht-table__cell utrecht-table__cell--numeric">3</td>' in html
    assert "ne &amp; du" in html and html.count('<tr class="utrecht-table__row">') == 3
    empty = Table(caption="Leeg", headers=["Vak"], rows=[])
    assert "Geen gegevens." in render_to_string("pool/dashboard_table.html", {"table": table_view(empty, "t")})
