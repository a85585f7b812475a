"""Version 1 of the indicator framework and the eight quarters of 2025–2026 (data, not demo)."""

from django.db import migrations


def load(apps, schema_editor):
    from tatulyq.monitoring.catalogue import load as load_catalogue

    load_catalogue(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("directives", "0002_load_programme")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
