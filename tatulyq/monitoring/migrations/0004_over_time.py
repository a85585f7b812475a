"""Stocks are not added up over quarters: money contracted since the programme began, or the
centres operating at a quarter's end, are a figure's latest quarter in the stage-3 summary.

Every version gets the flag on those indicators (it is how their figures always behaved).
An installation whose current framework still has version 1's wording and targets for
them gets a new version, as a methodologist's change would (reports keep theirs): the
entered stocks' targets become the level both regions reach at the end (one region's
quarter × 2, not × 8) and the definitions say "at the quarter's end" or "since the
programme began". Whatever a methodologist changed is left alone; a fresh installation
loads the new wording directly and gets no new version."""

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
ENTERED = {
    "definition_kk": (
        "Өңірдің білім басқармасы әр тоқсан сайын енгізеді.",
        "Өңірдің білім басқармасы әр тоқсан сайын енгізеді: тоқсан соңындағы саны.",
    ),
    "definition_ru": (
        "Вносится управлением образования региона ежеквартально.",
        "Вносится управлением образования региона ежеквартально: число на конец квартала.",
    ),
    "definition_en": (
        "Entered each quarter by the region's education department.",
        "Entered each quarter by the region's education department: the number at the quarter's end.",
    ),
}
SINCE = {
    "grants-contracted": {
        "definition_en": (
            "Sum of the grant agreements signed, tenge.",
            "Sum of the grant agreements signed since the programme began, tenge.",
        ),
        "definition_kk": (
            "Қол қойылған грант шарттарының сомасы, теңге.",
            "Бағдарлама басталғаннан бері қол қойылған грант шарттарының сомасы, теңге.",
        ),
        "definition_ru": (
            "Сумма подписанных договоров о гранте, тенге.",
            "Сумма договоров о гранте, подписанных с начала программы, тенге.",
        ),
    },
    "grants-paid": {
        "definition_en": (
            "Tranches paid to grantees, tenge.",
            "Tranches paid to grantees since the programme began, tenge.",
        ),
        "definition_kk": (
            "Грант алушыларға төленген транштар, теңге.",
            "Бағдарлама басталғаннан бері грант алушыларға төленген транштар, теңге.",
        ),
        "definition_ru": (
            "Транши, выплаченные грантополучателям, тенге.",
            "Транши, выплаченные грантополучателям с начала программы, тенге.",
        ),
    },
    "grants-spent": {
        "definition_en": (
            "Spending reported by grantees and accepted, tenge.",
            "Spending reported by grantees and accepted since the programme began, tenge.",
        ),
        "definition_kk": (
            "Грант алушылар есеп берген және қабылданған шығыстар, теңге.",
            "Бағдарлама басталғаннан бері грант алушылар есеп берген және қабылданған шығыстар, теңге.",
        ),
        "definition_ru": (
            "Расходы, отражённые в принятых отчётах грантополучателей, тенге.",
            "Расходы с начала программы, отражённые в принятых отчётах грантополучателей, тенге.",
        ),
    },
}


def _changes(indicator) -> dict:
    """Version 1's wording or target of a stock, replaced; {} where it was changed since."""
    changes = {}
    wording = {**SINCE.get(indicator.code, {})}
    if indicator.code in ENTERED_STOCKS:
        wording.update(ENTERED)
        quarterly = ENTERED_STOCKS[indicator.code]
        if indicator.target == quarterly * 8:
            changes["target"] = quarterly * 2
    for field, (old, new) in wording.items():
        if getattr(indicator, field) == old:
            changes[field] = new
    return changes


def mark_stocks(apps, schema_editor):
    FrameworkVersion = apps.get_model("monitoring", "FrameworkVersion")
    Indicator = apps.get_model("monitoring", "Indicator")
    Indicator.objects.filter(code__in=[*STOCKS, *ENTERED_STOCKS]).update(over_time="last")
    current = FrameworkVersion.objects.order_by("-number").first()
    if current is None:
        return
    indicators = list(current.indicators.order_by("pk"))
    if not any(_changes(indicator) for indicator in indicators):
        return
    version = FrameworkVersion.objects.create(
        number=current.number + 1,
        note="Stocks counted at the quarter's end: targets of the entered stocks and definitions",
    )
    for indicator in indicators:
        changes = _changes(indicator)
        indicator.pk, indicator.id, indicator.version = None, None, version
        for field, value in changes.items():
            setattr(indicator, field, value)
    Indicator.objects.bulk_create(indicators)


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
        migrations.RunPython(mark_stocks, migrations.RunPython.noop),
    ]
