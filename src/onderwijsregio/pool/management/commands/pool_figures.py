"""`manage.py pool_figures [--check] [--pool SLUG]`: the monthly request figures of the monitoring dashboard.

The services keep these figures equal to the requests in the same transaction (decision 22). Without
--check the command rebuilds them from the requests (after a bulk load that bypassed the services, or to
be certain); with --check it only compares them with a fresh computation and exits with status 1 when
they differ.
"""

from django.core.management.base import BaseCommand, CommandError

from onderwijsregio.pool.models import Pool
from onderwijsregio.pool.services.figures import figures_differences, figures_rebuild


class Command(BaseCommand):
    help = "Bouwt de maandcijfers van de aanvragen (monitor van de invalpool) opnieuw op, of controleert ze."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Alleen controleren; niets wijzigen.")
        parser.add_argument("--pool", help="Alleen deze pool (slug).")

    def handle(self, *args, **options):
        pools = Pool.objects.order_by("pk")
        if options["pool"]:
            pools = pools.filter(slug=options["pool"])
            if not pools.exists():
                raise CommandError(f"Geen pool met slug {options['pool']!r}.")
        if not options["check"]:
            months = sum(figures_rebuild(pool=pool) for pool in pools)
            self.stdout.write(f"Maandcijfers opnieuw opgebouwd: {months} maanden.")
            return
        problems = {pool.slug: figures_differences(pool=pool) for pool in pools}
        problems = {slug: found for slug, found in problems.items() if found}
        for slug, found in problems.items():
            for problem in found:
                self.stdout.write(f"{slug}: {problem}")
        if problems:
            raise CommandError("De maandcijfers wijken af van de aanvragen; draai pool_figures zonder --check.")
        self.stdout.write("De maandcijfers kloppen met de aanvragen.")
