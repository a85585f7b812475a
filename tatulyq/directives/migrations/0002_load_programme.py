"""The programme as the Ministry's letter defines it: stages, the ten projects and
their two regions each (data, not demo: every installation runs this programme)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "programme.json"


def load(apps, schema_editor):
    Programme = apps.get_model("directives", "Programme")
    Stage = apps.get_model("directives", "Stage")
    Project = apps.get_model("directives", "Project")
    ImplementationCard = apps.get_model("directives", "ImplementationCard")
    Territory = apps.get_model("orgs", "Territory")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if Programme.objects.filter(code=data["code"]).exists():
        return
    fields = {k: v for k, v in data.items() if k not in {"stages", "projects"}}
    programme = Programme.objects.create(**fields)
    for stage in data["stages"]:
        Stage.objects.create(programme=programme, **stage)
    regions = {t.code: t for t in Territory.objects.filter(level=1)}
    for item in data["projects"]:
        codes = item.pop("regions")
        project = Project.objects.create(programme=programme, **item)
        for code in codes:
            ImplementationCard.objects.create(project=project, region=regions[code])


class Migration(migrations.Migration):
    dependencies = [("directives", "0001_initial"), ("orgs", "0002_load_territories")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
