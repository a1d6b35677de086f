"""The starting list of exit reasons; the regional team manages it afterwards (admin)."""

from django.db import migrations

REASONS = [
    ("other-job", "Andere baan buiten het onderwijs gekozen"),
    ("no-match", "Geen passende school of vacature gevonden"),
    ("requirements", "Voldoet (nog) niet aan de toelatingseisen"),
    ("assessment", "Geschiktheidsonderzoek niet positief"),
    ("training-load", "Opleiding te zwaar naast werk en privé"),
    ("finance", "Financiële redenen"),
    ("moved", "Verhuisd naar een andere regio"),
    ("no-contact", "Geen contact meer"),
    ("personal", "Persoonlijke omstandigheden"),
    ("other", "Anders"),
]


def add(apps, schema_editor):
    ExitReason = apps.get_model("loket", "ExitReason")
    for position, (code, label) in enumerate(REASONS):
        ExitReason.objects.get_or_create(code=code, defaults={"label": label, "position": position})


def remove(apps, schema_editor):
    apps.get_model("loket", "ExitReason").objects.filter(code__in=[code for code, _ in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("loket", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
