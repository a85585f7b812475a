"""Stocks are not added up over quarters: money contracted since the programme began, or the
centres operating at a quarter's end, are a figure's latest quarter in the stage-3 summary.
Installations loaded before get the flag on those indicators, and the entered stocks whose
target is still version 1's (eight quarters of one region) get the stock target (both
regions at the end); a target a methodologist changed is left alone."""

from django.db import migrations, models

STOCKS = (
    "registry-measures-planned",
    "registry-measures-done",
    "grants-planned",
    "grants-contracted",
    "grants-paid",
    "grants-spent",
    "grants-ngos",
)
# Entered stocks: code -> one region's quarterly figure in version 1.
ENTERED_STOCKS = {
    "p2-groups": 40,
    "p3-sections": 30,
    "p4-services": 200,
    "p4-mediators": 400,
    "p5-clubs": 30,
    "p6-mentors": 150,
    "p7-centres": 6,
    "p9-committees": 200,
}


def mark_stocks(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    Indicator.objects.filter(code__in=[*STOCKS, *ENTERED_STOCKS]).update(over_time="last")
    for code, quarterly in ENTERED_STOCKS.items():
        Indicator.objects.filter(code=code, target=quarterly * 8).update(target=quarterly * 2)


def unmark_stocks(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for code, quarterly in ENTERED_STOCKS.items():
        Indicator.objects.filter(code=code, target=quarterly * 2).update(target=quarterly * 8)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_area_breakdown")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="over_time",
            field=models.CharField(
                choices=[("sum", "added up over the quarters"), ("last", "the latest quarter's value")],
                default="sum",
                max_length=4,
                verbose_name="over several quarters",
            ),
        ),
        migrations.RunPython(mark_stocks, unmark_stocks),
    ]
