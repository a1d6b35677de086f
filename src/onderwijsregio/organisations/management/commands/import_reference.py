"""`manage.py import_reference`: labour-market regions, municipalities and PC4 centroids."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onderwijsregio.organisations.importers.reference import ReferenceDataError
from onderwijsregio.organisations.services import reference_import


class Command(BaseCommand):
    help = _("Importeer arbeidsmarktregio's, gemeenten en postcodegebieden uit data/geo/.")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, help=_("map met de geo-bestanden (standaard data/geo)"))

    def handle(self, *args, data_dir: Path | None = None, **options):
        started = time.monotonic()
        try:
            counts = reference_import(data_dir=data_dir)
        except (ReferenceDataError, FileNotFoundError) as error:
            raise CommandError(str(error))
        for name, tally in counts.items():
            self.stdout.write(
                _("%(name)s: %(created)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd")
                % {"name": name, **tally}
            )
        self.stdout.write(_("Klaar in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
