"""`manage.py loket_housekeeping [--enqueue]`: the desk's daily retention run and follow-up reminders.

Without --enqueue both run now, in this process; with it they are queued for the worker. Schedule it
once a day (see docs/operator-guide.md, "Candidate desk housekeeping").
"""

from django.core.management.base import BaseCommand

from onderwijsregio.loket.tasks import follow_up_reminders_task, retention_task


class Command(BaseCommand):
    help = "Verwijdert kandidaten volgens de bewaartermijnen en stuurt herinneringen om op te volgen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Zet de taken in de wachtrij van de worker in plaats van ze nu uit te voeren.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            for task in (retention_task, follow_up_reminders_task):
                result = task.enqueue()
                self.stdout.write(f"{task.name}: in de wachtrij ({result.id})")
            return
        retention = retention_task.call()
        self.stdout.write(f"Bewaartermijnen: {retention['erased']} kandidaat/kandidaten verwijderd.")
        reminders = follow_up_reminders_task.call()
        self.stdout.write(
            f"Opvolgen: {reminders['reminded']} van {reminders['due']} trajecten gemeld in {reminders['emails']} "
            f"e-mail(s); {reminders['without_recipient']} zonder ontvanger."
        )
