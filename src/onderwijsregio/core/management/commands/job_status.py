"""`manage.py job_status JOB_ID [--follow]`: a job's status and progress bar on the command line."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onderwijsregio.core.models import Job

MAX_LISTED_PROBLEMS = 50


def render_bar(done: int, total: int, width: int = 30) -> str:
    """A text progress bar like `[#########.........]  30% (300/1000)`."""
    fraction = min(1.0, done / total) if total else 0.0
    filled = round(width * fraction)
    return f"[{'#' * filled}{'.' * (width - filled)}] {round(100 * fraction):3d}% ({done}/{total})"


def job_line(job: Job) -> str:
    done = job.total if job.status == Job.Status.SUCCEEDED else job.done
    return f"{job.get_status_display():<14} {render_bar(done, job.total)} {job.message}"


class Command(BaseCommand):
    help = _("Toon de status en voortgang van een taak (bijvoorbeeld een DUO-import).")

    def add_arguments(self, parser):
        parser.add_argument("job_id", help=_("het id van de taak"))
        parser.add_argument("--follow", action="store_true", help=_("blijf volgen tot de taak klaar is"))
        parser.add_argument("--interval", type=float, default=1.0, help=_("seconden tussen twee metingen"))

    def handle(self, *args, job_id: str, follow: bool, interval: float, **options):
        try:
            job = Job.objects.get(pk=job_id)
        except (Job.DoesNotExist, ValidationError, ValueError):
            raise CommandError(_("Taak %(id)s bestaat niet.") % {"id": job_id})
        self.stdout.write(job.label)
        last = None
        while True:
            line = job_line(job)
            if line != last:
                self.stdout.write(line)
                last = line
            if job.is_finished or not follow:
                break
            time.sleep(interval)
            job.refresh_from_db()
        if job.status == Job.Status.FAILED:
            self._write_problems(job)
            raise CommandError(job.message or _("De taak is mislukt."))

    def _write_problems(self, job: Job) -> None:
        errors = (job.result or {}).get("errors") or []
        for error in errors[:MAX_LISTED_PROBLEMS]:
            self.stderr.write(
                _("%(file)s, regel %(line)s: %(reason)s")
                % {"file": error.get("file", ""), "line": error.get("line", ""), "reason": error.get("reason", "")}
            )
        if len(errors) > MAX_LISTED_PROBLEMS:
            self.stderr.write(_("... en nog %(count)s") % {"count": len(errors) - MAX_LISTED_PROBLEMS})
