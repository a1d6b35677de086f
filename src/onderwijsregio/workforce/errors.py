"""The refusals of strategic personnel planning, each with a stable code for programs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from onderwijsregio.core.errors import DomainError

from .importers import ParseResult, Problem


class SnapshotRejected(DomainError):
    """The file has problems; nothing was stored. `problems` lists every one with line and column."""

    default_code = "snapshot_rejected"

    def __init__(self, result: ParseResult) -> None:
        self.result = result
        self.problems: list[Problem] = result.problems
        super().__init__(
            _("Het bestand is afgekeurd: %(count)s problemen gevonden. Er is niets opgeslagen.")
            % {"count": len(result.problems)}
        )


class ForecastUnavailable(DomainError):
    """The forecast cannot be asked for or computed (no snapshot, a scenario of someone else); the text is Dutch."""

    default_code = "forecast_unavailable"
