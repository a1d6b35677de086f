"""`manage.py load_demo_candidates`: synthetic candidates for the demo region (once; a rerun does nothing)."""

from django.core.management.base import BaseCommand

from onderwijsregio.loket.demo import demo_candidates_build


class Command(BaseCommand):
    help = "Maakt fictieve kandidaten voor de demoregio (na load_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--aantal", type=int, default=120, dest="how_many")

    def handle(self, *args, **options):
        made = demo_candidates_build(how_many=options["how_many"])
        if made:
            self.stdout.write(f"Demo: {made} fictieve kandidaten aangemaakt.")
        else:
            self.stdout.write("Demo: er zijn al kandidaten; niets gedaan.")
