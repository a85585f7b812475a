"""Ship the republic, its 20 regions and Jambyl oblast's districts as data.

Other districts come from a full KATO file (`manage.py import_kato`)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "kato.csv"


def load(apps, schema_editor):
    Territory = apps.get_model("orgs", "Territory")
    with DATA.open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["level"]))
    known = {t.code: t for t in Territory.objects.all()}
    for row in rows:
        if row["code"] in known:
            continue
        known[row["code"]] = Territory.objects.create(
            code=row["code"],
            parent=known.get(row["parent_code"]) if row["parent_code"] else None,
            level=int(row["level"]),
            name_kk=row["name_kk"],
            name_ru=row["name_ru"],
            name_en=row["name_en"],
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
