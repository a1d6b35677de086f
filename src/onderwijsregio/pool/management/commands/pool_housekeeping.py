"""`manage.py pool_housekeeping [--enqueue] [--no-batches]`: the substitute pool's periodic work.

Expires offers past their time, widens release tiers, marks requests whose period ended unfilled,
and starts the scheduled batch of pools with "automatisch elke werkdag een ronde voorstellen".
Without --enqueue it runs now, in this process (the batches themselves are always run by the
worker); schedule it every 15 minutes or so (see docs/operator-guide.md, "Invalpool: periodiek onderhoud").
"""

from django.core.management.base import BaseCommand

from onderwijsregio.pool.services import housekeeping_run
from onderwijsregio.pool.tasks import housekeeping_task


class Command(BaseCommand):
    help = "Laat verlopen aanbiedingen vervallen, verruimt vrijgavetrappen en start geplande rondes van de invalpool."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Zet het onderhoud in de wachtrij van de worker in plaats van het nu uit te voeren.",
        )
        parser.add_argument(
            "--no-batches", action="store_true", help="Start geen geplande rondes (alleen verlopen en vrijgeven)."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = housekeeping_task.enqueue()
            self.stdout.write(f"{housekeeping_task.name}: in de wachtrij ({result.id})")
            return
        result = housekeeping_run(batches=not options["no_batches"])
        self.stdout.write(
            f"Aanbiedingen verlopen: {result['offers_expired']}; aanvragen verder vrijgegeven: "
            f"{result['requests_released']}; aanvragen afgesloten zonder invaller: {result['requests_closed']}; "
            f"geplande rondes gestart: {len(result['batches_started'])}."
        )
