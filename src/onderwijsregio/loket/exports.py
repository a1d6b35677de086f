"""The working list as a file: CSV or XLSX rows with only the cells the user may see, safe for spreadsheets.

The rows and columns come from loket.worklist, so an export hides what the list page hides.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from .models import Candidate
from .worklist import Column, Viewer, rows_for, subregion_names, with_row_data

# Rows fetched at a time while streaming an export.
EXPORT_CHUNK = 2000


# Spreadsheet programs run a cell starting with one of these as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A cell text no spreadsheet runs as a formula."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def export_rows(viewer: Viewer, queryset: QuerySet[Candidate], columns: list[Column]) -> Iterator[list[str]]:
    """Header and data rows, fetched in chunks so a large export never sits in memory whole."""
    yield [str(column.label) for column in columns]
    subregions = subregion_names(viewer.regions().values_list("pk", flat=True))
    candidates = with_row_data(queryset, viewer).iterator(chunk_size=EXPORT_CHUNK)
    for row in rows_for(viewer, candidates, columns, subregions):
        yield [safe_cell(row.cells[column.key] or "") for column in columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV as Dutch spreadsheet programs open it: semicolons, with a byte-order mark for UTF-8."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterable[list[str]], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(extension: str) -> str:
    return f"kandidaten-{timezone.localdate():%Y-%m-%d}.{extension}"
