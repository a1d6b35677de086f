"""`manage.py load_demo_workforce`: synthetic staff snapshots and demo scenarios for the demo region (after load_demo).

Running it again adds nothing: a board that already has a synthetic snapshot for the date is skipped.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from onderwijsregio.workforce.synthetic import SEED, demo_region, demo_workforce_build


class Command(BaseCommand):
    help = "Maakt synthetische personeelsbestanden (uit publieke kengetallen) voor de vo-besturen van de demoregio."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument("--peildatum", type=date.fromisoformat, default=None, dest="reference_date")

    def handle(self, *args, seed: int, reference_date: date | None, **options):
        region = demo_region()
        if region is None:
            raise CommandError("De demoregio bestaat nog niet; draai eerst load_demo.")
        made = demo_workforce_build(region=region, seed=seed, reference_date=reference_date)
        self.stdout.write(
            "Demo: {snapshots} synthetische personeelsbestanden ({rows} medewerkers, peildatum {date}) "
            "en {scenarios} scenario's aangemaakt.".format(
                snapshots=made["snapshots"],
                rows=made["rows"],
                date=made["reference_date"].strftime("%d-%m-%Y"),
                scenarios=made["scenarios"],
            )
        )
