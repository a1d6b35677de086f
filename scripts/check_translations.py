"""Fail when the English translation is incomplete or the compiled catalogue is stale.

Extracts the messages afresh (makemessages), then checks that every message has a non-fuzzy
English translation in the committed django.po and that the committed django.mo holds the same
catalogue. The committed files are restored afterwards, so the check changes nothing.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = ROOT / "src" / "onderwijsregio"
LOCALE = APP_DIR / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"


def extract() -> polib.POFile:
    with tempfile.TemporaryDirectory() as backup:
        saved = Path(backup) / "django.po"
        shutil.copy2(PO, saved)
        try:
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-location", "--no-obsolete"],
                cwd=APP_DIR,
                check=True,
                capture_output=True,
            )
            return polib.pofile(str(PO))
        finally:
            shutil.copy2(saved, PO)


def main() -> int:
    if not PO.exists() or not MO.exists():
        print(f"missing {PO} or {MO}: run 'make messages'")
        return 1
    committed = polib.pofile(str(PO))
    translated = {(e.msgctxt, e.msgid): e for e in committed if e.msgstr or any(e.msgstr_plural.values())}
    problems = []
    for entry in extract():
        key = (entry.msgctxt, entry.msgid)
        found = translated.get(key)
        if found is None:
            problems.append(f"untranslated: {entry.msgid!r}")
        elif "fuzzy" in found.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")

    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    with tempfile.NamedTemporaryFile(suffix=".mo") as fresh_file:
        committed.save_as_mofile(fresh_file.name)
        with open(fresh_file.name, "rb") as handle:
            fresh = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    if compiled != fresh:
        problems.append("django.mo is stale: run 'make messages'")

    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} translation problem(s); fill src/onderwijsregio/locale/en/LC_MESSAGES/django.po and run 'make messages'"
        )
        return 1
    print(f"translations complete ({len(translated)} messages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
