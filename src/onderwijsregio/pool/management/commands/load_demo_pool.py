"""`manage.py load_demo_pool`: the demo substitute pool for the demo region (after load_demo).

Running it again adds nothing: an existing demo pool is left as it is.
"""

from django.core.management.base import BaseCommand, CommandError

from onderwijsregio.pool.demo import SEED, DemoPoolError, demo_pool_build


class Command(BaseCommand):
    help = "Maakt een fictieve invalpool (besturen rond Amersfoort, ~40 poolleden, aanvragen en inzetten) voor de demo."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args, seed: int, **options):
        try:
            made = demo_pool_build(seed=seed)
        except DemoPoolError as error:
            raise CommandError(str(error)) from error
        pool = made["pool"]
        if not made["created"]:
            self.stdout.write(f"Demo-invalpool '{pool.name}' bestaat al; er is niets veranderd.")
            return
        self.stdout.write(
            f"Demo-invalpool '{pool.name}' klaar: {made['members']} poolleden, {made['requests']} aanvragen, "
            f"{made['assignments']} inzetten, {made['hours_entries']} urenregistraties, "
            f"{made['offers_open']} open aanbiedingen. Inloggen als poollid: poollid@demo.onderwijsregio.nl."
        )
