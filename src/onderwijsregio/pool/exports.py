"""CSV and XLSX files of a pool's hours entries and of a settlement run.

CSV the way Dutch spreadsheet programs open it (semicolons, UTF-8 with a byte-order mark, decimal
commas); XLSX with real numbers. Cells that a spreadsheet would run as a formula are defused. The
hours file names members, so the views log its download as a personal-data read; the settlement
file holds only boards and amounts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import HoursEntry, SettlementLine, SettlementRun
from .services.settlement import SettlementTotals

# Spreadsheet programs run a cell starting with one of these as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK = 2000

Cell = str | int | float | Decimal | None


def safe_cell(*, value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        # Dutch spreadsheets read a decimal comma; no thousands separator, so each cell stays a number.
        return f"{value}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return safe_cell(value=str(value))


def _xlsx_cell(value: Cell):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return safe_cell(value=value)
    return value


def hours_headers() -> list[str]:
    return [
        _("Week"),
        _("Maandag"),
        _("Schoolvestiging"),
        _("Bestuur"),
        _("Vak"),
        _("Poollid"),
        _("Werkgever"),
        _("Uren"),
        _("Status"),
        _("Ingevoerd door"),
        _("Bevestigd op"),
        _("Opmerking"),
    ]


def hours_rows(*, entries: QuerySet[HoursEntry]) -> Iterator[list[Cell]]:
    """Data rows of hours entries, fetched in chunks (a large export never sits in memory whole)."""
    statuses = dict(HoursEntry.Status.choices)
    sides = dict(HoursEntry.Side.choices)
    rows = entries.order_by("week_start", "assignment__request__school_location__name", "pk").values_list(
        "week_start",
        "assignment__request__school_location__name",
        "assignment__request__board__name",
        "assignment__request__subject__name",
        "assignment__member__full_name",
        "assignment__member__employer__name",
        "hours",
        "status",
        "entered_side",
        "confirmed_at",
        "note",
    )
    for week_start, school, board, subject, member, employer, hours, status, side, confirmed_at, note in rows.iterator(
        chunk_size=EXPORT_CHUNK
    ):
        yield [
            f"{week_start:%G-W%V}",
            week_start.isoformat(),
            school,
            board,
            subject,
            member,
            employer,
            hours,
            str(statuses.get(status, status)),
            str(sides.get(side, side)),
            timezone.localtime(confirmed_at).date().isoformat() if confirmed_at else "",
            note,
        ]


def settlement_headers() -> list[str]:
    return [
        _("Bestuur"),
        _("Uren ontvangen"),
        _("Uren geleverd"),
        _("Kosten ontvangen uren (€)"),
        _("Kosten via uitzendbureau (€)"),
        _("Besparing (€)"),
        _("Aandeel in sleutel"),
        _("Bijdrage volgens sleutel (€)"),
        _("Waarde geleverde uren (€)"),
        _("Saldo (€)"),
    ]


def settlement_rows(*, lines: Iterable[SettlementLine], totals: SettlementTotals) -> Iterator[list[Cell]]:
    for line in lines:
        yield [
            line.board.name,
            line.hours_received,
            line.hours_supplied,
            line.cost_received,
            line.agency_cost_avoided,
            line.savings,
            line.key_share,
            line.contribution_due,
            line.value_supplied,
            line.balance,
        ]
    yield [
        _("Totaal"),
        totals.hours_received,
        totals.hours_supplied,
        totals.cost_received,
        totals.agency_cost_avoided,
        totals.savings,
        totals.key_share,
        totals.contribution_due,
        totals.value_supplied,
        totals.balance,
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(*, headers: list[str], rows: Iterable[list[Cell]]) -> Iterator[str]:
    """CSV lines for a streaming response, starting with the byte-order mark."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    yield writer.writerow([safe_cell(value=str(header)) for header in headers])
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def csv_text(*, headers: list[str], rows: Iterable[list[Cell]]) -> str:
    return "".join(csv_lines(headers=headers, rows=rows))


def xlsx_bytes(*, headers: list[str], rows: Iterable[list[Cell]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def settlement_filename(*, run: SettlementRun, extension: str) -> str:
    return f"afrekening-{run.pool.slug}-{run.period_start:%Y%m%d}-{run.period_end:%Y%m%d}.{extension}"
