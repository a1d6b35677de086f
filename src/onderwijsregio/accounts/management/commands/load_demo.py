"""`manage.py load_demo [--if-empty]`: build the demo region from the public data in data/."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onderwijsregio.accounts.demo import demo_load
from onderwijsregio.organisations.selectors import regions
from onderwijsregio.organisations.services import DuoImportRejected


class Command(BaseCommand):
    help = _("Bouw de demoregio: echte DUO-scholen en -besturen, fictieve regio's en demogebruikers.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help=_("doe niets als er al een onderwijsregio bestaat"))

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and regions().exists():
            self.stdout.write(_("Er bestaat al een onderwijsregio; de demo wordt niet geladen."))
            return
        started = time.monotonic()

        def step(message: str) -> None:
            self.stdout.write(
                _("Demo: %(step)s (%(seconds).1f s)") % {"step": message, "seconds": time.monotonic() - started}
            )

        try:
            organisations, users = demo_load(step=step)
        except DuoImportRejected as rejected:
            for error in rejected.report.errors:
                self.stderr.write(str(error))
            raise CommandError(" ".join(rejected.messages))
        self.stdout.write(
            _("Demoregio '%(region)s' klaar: %(locations)s vestigingen, %(users)s demogebruikers, in %(seconds).1f s.")
            % {
                "region": organisations.region.name,
                "locations": organisations.region.region_school_locations.filter(ended_on__isnull=True).count(),
                "users": len(users),
                "seconds": time.monotonic() - started,
            }
        )
