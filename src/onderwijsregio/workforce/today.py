"""Personnel planning's part of the "Vandaag te doen" start page (registered in core.today): for HR of a board,
the latest forecast of its board and its warnings, worked out by the same selector as the forecast page
(selectors.current_run), so the start page never says "up to date" when the page says otherwise."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from onderwijsregio.accounts.permissions import access_for
from onderwijsregio.core.today import TodayBlock, register

from . import selectors
from .models import ForecastRun

# HR works for one board, now and then a few; the page names at most this many.
MAX_BOARDS = 5


def forecast_note(board) -> str:
    """One sentence on the board's latest forecast (default scenario): when, and what to look out for."""
    run, fresh = selectors.current_run(organisation=board, scenario=None)
    if run is None:
        return _("%(board)s: nog geen prognose.") % {"board": board.name}
    if run.status != ForecastRun.Status.SUCCEEDED:
        return _("%(board)s: de prognose wordt berekend.") % {"board": board.name}
    when = date_format(localtime(run.finished_at), "SHORT_DATE_FORMAT") if run.finished_at else ""
    note = _("%(board)s: laatste prognose van %(date)s.") % {"board": board.name, "date": when}
    if not fresh:
        note += " " + _("Let op: de gegevens zijn sindsdien veranderd; bereken de prognose opnieuw.")
    if run.inputs.get("is_synthetic"):
        note += " " + _("Let op: gemaakt met synthetische gegevens.")
    return note


@register
def workforce_blocks(user: Any) -> list[TodayBlock]:
    hr_boards = access_for(user).hr_organisations
    if not hr_boards:
        return []
    boards = list(selectors.visible_boards(user=user).filter(pk__in=hr_boards)[:MAX_BOARDS])
    notes = [(reverse("workforce:forecast_board", args=[board.pk]), forecast_note(board)) for board in boards]
    return [TodayBlock(role="board_hr", title=_("Schoolbestuur (HR)"), notes=notes)] if notes else []
