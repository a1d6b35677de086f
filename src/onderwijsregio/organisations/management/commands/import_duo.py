"""`manage.py import_duo FILE...`: import DUO open-data files, all or nothing, with a row-level report."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onderwijsregio.core.management.commands.job_status import render_bar
from onderwijsregio.core.models import Job
from onderwijsregio.organisations.services import (
    DuoImportRejected,
    area_municipality_codes,
    duo_import,
    duo_import_run_job,
)

TALLY_LABELS = {
    "boards": "besturen",
    "school_locations": "schoolvestigingen",
    "pupil_counts": "leerlingaantallen",
}


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


class Command(BaseCommand):
    help = _(
        "Importeer DUO-bestanden (adressen po/vo, leerlingen po historisch, leerlingen vo). De soort en "
        "de tekenset worden herkend; een bestand met afgekeurde rijen schrijft niets weg."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help=_("een of meer DUO-bestanden (csv)"))
        parser.add_argument("--only-municipalities", type=_codes, help=_("alleen deze gemeentecodes, bv. 0307,0308"))
        parser.add_argument(
            "--labour-market-regions", type=_codes, help=_("alleen deze arbeidsmarktregio's, bv. AM14,AM13")
        )
        parser.add_argument("--year", type=int, help=_("teljaar voor leerlingen vo als de bestandsnaam het niet noemt"))
        parser.add_argument("--job", help=_("meld de voortgang bij deze taak (id)"))

    def handle(self, *args, files: list[Path], **options):
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(_("Bestand niet gevonden: %(files)s") % {"files": ", ".join(missing)})
        try:
            area = area_municipality_codes(
                municipality_codes=options.get("only_municipalities"),
                labour_market_regions=options.get("labour_market_regions"),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        started = time.monotonic()
        if options.get("job"):
            result = self._run_for_job(options["job"], files, area)
        else:
            try:
                report = duo_import(paths=files, area=area, year=options.get("year"), progress=self._progress())
            except DuoImportRejected as rejected:
                result = rejected.report.as_dict()
            else:
                result = report.as_dict()
        self._write_report(result, time.monotonic() - started)
        if not result["ok"]:
            raise CommandError(_("Niets geïmporteerd: %(count)s rij(en) afgekeurd.") % {"count": len(result["errors"])})

    def _run_for_job(self, job_id: str, files: list[Path], area: set[str] | None) -> dict:
        try:
            job = Job.objects.select_related("created_by").get(pk=job_id)
        except (Job.DoesNotExist, ValidationError, ValueError):
            raise CommandError(_("Taak %(id)s bestaat niet.") % {"id": job_id})
        return duo_import_run_job(job_id=job.pk, paths=files, actor=job.created_by, area=area)

    def _progress(self):
        """A bar redrawn in place on a terminal; otherwise a line every 10 %."""
        interactive = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        state = {"step": -1}

        def progress(done: int, total: int, message: str) -> None:
            if interactive:
                sys.stderr.write(f"\r{render_bar(done, total)} {message[:60]:<60}")
                if done >= total:
                    sys.stderr.write("\n")
                sys.stderr.flush()
                return
            step = (10 * done // total) if total else 10
            if step != state["step"]:
                state["step"] = step
                self.stderr.write(f"{render_bar(done, total)} {message}")

        return progress

    def _write_report(self, result: dict, seconds: float) -> None:
        for summary in result["files"]:
            self.stdout.write(
                _(
                    "%(file)s: %(kind)s, %(encoding)s, %(rows)s rijen, %(rejected)s afgekeurd, "
                    "%(skipped)s overgeslagen, %(outside_area)s buiten het gebied, "
                    "%(without_pupils)s zonder leerlingen"
                )
                % {**summary, "kind": summary["kind"] or _("soort onbekend")}
            )
        for notice in result["notices"]:
            self.stdout.write(_("%(file)s, regel %(line)s: %(reason)s") % notice)
        if not result["ok"]:
            self.stderr.write(_("Afgekeurde rijen (er is niets weggeschreven):"))
            for error in result["errors"]:
                if error["file"]:
                    self.stderr.write(_("%(file)s, regel %(line)s: %(reason)s") % error)
                else:
                    self.stderr.write(error["reason"])
            return
        for name, tally in result["counts"].items():
            self.stdout.write(
                _("%(name)s: %(created)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd")
                % {"name": TALLY_LABELS.get(name, name), **tally}
            )
        self.stdout.write(_("Klaar in %(seconds).1f s.") % {"seconds": seconds})
