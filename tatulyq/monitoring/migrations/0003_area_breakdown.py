"""The case-derived child counts are also broken down by urban/rural school (issue 7's
disaggregation): installations whose framework was loaded before get "area" added to the
indicators broken down by sex and age band, so the breakdown is shown and suppressed."""

from django.db import migrations


def add_area(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for indicator in Indicator.objects.filter(source="cases", counts_children=True):
        dims = list(indicator.dimensions or [])
        if "sex" in dims and "age" in dims and "area" not in dims:
            indicator.dimensions = [*dims, "area"]
            indicator.save(update_fields=["dimensions"])


def remove_area(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for indicator in Indicator.objects.filter(source="cases", counts_children=True):
        if "area" in (indicator.dimensions or []):
            indicator.dimensions = [d for d in indicator.dimensions if d != "area"]
            indicator.save(update_fields=["dimensions"])


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_load_framework")]
    operations = [migrations.RunPython(add_area, remove_area)]
