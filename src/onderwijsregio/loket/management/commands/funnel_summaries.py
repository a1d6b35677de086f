"""`manage.py funnel_summaries [--rebuild]`: check the funnel's summaries against the timelines, or rebuild them.

The summaries are kept in step by the services; this check is for operators after a restore or a
manual database change. It exits with status 1 when it finds a difference.
"""

from django.core.management.base import BaseCommand, CommandError

from onderwijsregio.loket import services


class Command(BaseCommand):
    help = "Controleert de samenvattingen van de trechter tegen de tijdlijnen (of bouwt ze opnieuw met --rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="alle samenvattingen opnieuw opbouwen")

    def handle(self, *args, **options):
        if options["rebuild"]:
            count = services.trajectory_summaries_refresh()
            services.stay_counts_rebuild()
            self.stdout.write(f"Trechter: samenvatting van {count} trajecten opnieuw opgebouwd.")
            return
        differences = services.funnel_summary_differences()
        if differences:
            for line in differences[:50]:
                self.stdout.write(line)
            raise CommandError(f"{len(differences)} verschil(len) tussen samenvatting en tijdlijn.")
        self.stdout.write("Trechter: samenvattingen kloppen met de tijdlijnen.")
