"""A national-size organisation tree for the benchmarks.

On top of the demo (the Ministry, «Өркен», the 20 regional akimats and education
departments, Jambyl's 11 districts, T. Ryskulov's schools and NGOs, the demo users):

- 11 districts in each of the 20 regions, 220 in all: a district akimat with its
  education department each. Jambyl's are the demo's; the other 209 districts get
  synthetic KATO territories (level 2, code AABB00000 under region AA0000000).
- 35 schools under every district education department: 7,700.
- 2,000 NGOs under the district akimats (9 each, 10 in the first 20 districts).

About 10,200 organisations, five levels deep. Every synthetic organisation has a
valid, unique BIN beginning with SYNTHETIC_BIN_PREFIX (the demo's begin with 04), so
the national part can be told from the demo.

Rows are inserted with `add_children` (one INSERT and one path UPDATE per parent).
Idempotent: nothing happens when the national tree is there (7,700 schools or more);
otherwise whatever is missing is topped up, in one transaction.

Run through the benchmark runner's database set-up:
    .venv/bin/python benchmarks/national.py     (DATABASE_URL as for run.py)
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Iterator

REGIONS = 20
DISTRICTS_PER_REGION = 11
DISTRICTS = REGIONS * DISTRICTS_PER_REGION  # 220
SCHOOLS_PER_DISTRICT = 35
SCHOOLS = DISTRICTS * SCHOOLS_PER_DISTRICT  # 7,700
NGOS = 2_000
SYNTHETIC_BIN_PREFIX = "99"  # BINs "registered in 1999": none of the demo's (04…)

# (Kazakh, Russian, English) school names; "мектеп" is in every Kazakh one.
SCHOOL_NAMES = [
    ("№{n} жалпы орта білім беретін мектеп", "Общеобразовательная средняя школа №{n}",
     "Secondary school No. {n}"),
    ("№{n} мектеп-гимназия", "Школа-гимназия №{n}", "School-gymnasium No. {n}"),
    ("№{n} мектеп-лицей", "Школа-лицей №{n}", "School-lyceum No. {n}"),
    ("№{n} негізгі орта мектеп", "Основная средняя школа №{n}", "Basic secondary school No. {n}"),
]
NGO_NAMES = [
    ("«Бала құқығы {n}» қоғамдық бірлестігі", "Общественное объединение «Право ребёнка {n}»",
     "Public association “Child’s Right {n}”"),
    ("«Татулық жолы {n}» қоғамдық қоры", "Общественный фонд «Путь согласия {n}»",
     "Public foundation “Way of Harmony {n}”"),
    ("«Жас ұрпақ {n}» медиаторлар орталығы", "Центр медиаторов «Молодое поколение {n}»",
     "“Young Generation {n}” mediation centre"),
]


def demo_world() -> dict:
    """The demo organisations and users (created when missing); the orgs by name."""
    from tatulyq.accounts import demo as accounts_demo
    from tatulyq.orgs import demo as orgs_demo

    orgs = orgs_demo.build()
    accounts_demo.build(orgs)
    return orgs


def exists() -> bool:
    from tatulyq.orgs.models import Organisation, OrganisationKind

    return Organisation.objects.filter(kind=OrganisationKind.SCHOOL).count() >= SCHOOLS


def _bins(taken: set[str]) -> Iterator[str]:
    """Valid, unused BINs: 99MM 40 NNNNN + check digit."""
    from tatulyq.lib.identifiers import make_valid

    for month in range(1, 13):
        for serial in range(100_000):
            candidate = make_valid(f"{SYNTHETIC_BIN_PREFIX}{month:02d}40{serial:05d}")
            if candidate and candidate not in taken:
                yield candidate
    raise RuntimeError("synthetic BINs exhausted")


def _district_territories(region, existing: list) -> list:
    """The region's first 11 districts, inventing KATO codes AABB00000 where missing."""
    from tatulyq.orgs.models import Territory

    districts = sorted(existing, key=lambda t: t.code)[:DISTRICTS_PER_REGION]
    used = {t.code for t in existing}
    number = len(districts)
    block = 20
    new = []
    while len(districts) + len(new) < DISTRICTS_PER_REGION:
        code = f"{region.code[:2]}{block:02d}00000"
        block += 2
        if code in used:
            continue
        number += 1
        new.append(Territory(
            code=code, parent=region, level=Territory.Level.DISTRICT,
            name_kk=f"{region.name_kk}, {number}-аудан",
            name_ru=f"{region.name_ru}, район № {number}",
            name_en=f"{region.name_en}, district {number}",
        ))
    if new:
        Territory.objects.bulk_create(new)
        # bulk_create may not return ids on every backend: read the rows back.
        codes = [t.code for t in new]
        new = list(Territory.objects.filter(code__in=codes))
    return sorted(districts + new, key=lambda t: t.code)


def generate(log=sys.stderr) -> dict:
    """Build the national tree if it is not there yet. Returns a few counts."""
    from django.db import connection, transaction

    from tatulyq.orgs.models import Organisation, OrganisationKind, Territory
    from tatulyq.orgs.selectors import NGO_LIKE
    from tatulyq.orgs.services import add_children

    if exists():
        return {"created": 0, "organisations": Organisation.objects.count()}
    if not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("add_children needs a database that returns ids from bulk inserts")
    started = time.perf_counter()
    demo_world()
    rng = random.Random(2026)
    created = 0
    with transaction.atomic():
        bins = _bins(set(Organisation.objects.exclude(bin="").values_list("bin", flat=True)))
        regions = list(
            Territory.objects.filter(level=Territory.Level.REGION).order_by("code")[:REGIONS]
        )
        level2 = {}
        for territory in Territory.objects.filter(
            level=Territory.Level.DISTRICT, parent__in=regions
        ):
            level2.setdefault(territory.parent_id, []).append(territory)
        akimat_of_region = {
            org.territory_id: org
            for org in Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT)
        }
        district_akimats = {
            org.territory_id: org
            for org in Organisation.objects.filter(kind=OrganisationKind.DISTRICT_AKIMAT)
        }
        departments = {
            org.parent_id: org
            for org in Organisation.objects.filter(kind=OrganisationKind.DISTRICT_EDUCATION)
        }
        schools_under = Counter(
            Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
            .values_list("parent_id", flat=True)
        )
        ngos_under = Counter(
            Organisation.objects.filter(kind__in=NGO_LIKE).values_list("parent_id", flat=True)
        )
        district_index = 0
        for region in regions:
            region_akimat = akimat_of_region[region.pk]  # the demo makes all 20
            districts = _district_territories(region, level2.get(region.pk, []))
            missing = [
                Organisation(
                    kind=OrganisationKind.DISTRICT_AKIMAT, territory=d, bin=next(bins),
                    name_kk=f"{d.name_kk} әкімдігі", name_ru=f"Акимат: {d.name_ru}",
                    name_en=f"Akimat of {d.name_en}",
                )
                for d in districts
                if d.pk not in district_akimats
            ]
            if missing:
                for akimat in add_children(region_akimat, missing):
                    district_akimats[akimat.territory_id] = akimat
                created += len(missing)
            for district in districts:
                akimat = district_akimats[district.pk]
                department = departments.get(akimat.pk)
                if department is None:
                    (department,) = add_children(akimat, [Organisation(
                        kind=OrganisationKind.DISTRICT_EDUCATION, territory=district,
                        bin=next(bins), name_kk=f"{district.name_kk} бойынша білім бөлімі",
                        name_ru=f"Отдел образования: {district.name_ru}",
                        name_en=f"Education Department of {district.name_en}",
                    )])
                    departments[akimat.pk] = department
                    created += 1
                schools = []
                for number in range(schools_under[department.pk] + 1, SCHOOLS_PER_DISTRICT + 1):
                    kk, ru, en = SCHOOL_NAMES[number % len(SCHOOL_NAMES)]
                    schools.append(Organisation(
                        kind=OrganisationKind.SCHOOL, territory=district, bin=next(bins),
                        name_kk=kk.format(n=number), name_ru=ru.format(n=number),
                        name_en=en.format(n=number),
                        instruction_language=rng.choices(
                            ["kk", "ru", "kk_ru"], weights=[70, 15, 15])[0],
                        locality=rng.choice(["urban", "rural", "rural"]),
                        pupils_count=rng.randrange(80, 2500),
                    ))
                if schools:
                    add_children(department, schools)
                    created += len(schools)
                wanted = NGOS // DISTRICTS + (district_index < NGOS % DISTRICTS)
                ngos = []
                for number in range(ngos_under[akimat.pk] + 1, wanted + 1):
                    kk, ru, en = NGO_NAMES[number % len(NGO_NAMES)]
                    serial = district_index * 10 + number
                    ngos.append(Organisation(
                        kind=OrganisationKind.NGO, territory=district, bin=next(bins),
                        name_kk=kk.format(n=serial), name_ru=ru.format(n=serial),
                        name_en=en.format(n=serial),
                    ))
                if ngos:
                    add_children(akimat, ngos)
                    created += len(ngos)
                district_index += 1
    # Fresh planner statistics, as a live database would have.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Organisation._meta.db_table}")
    total = Organisation.objects.count()
    print(
        f"national tree: {created} organisations created ({total} in all) "
        f"in {time.perf_counter() - started:.1f} s",
        file=log,
    )
    return {"created": created, "organisations": total}


if __name__ == "__main__":
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks._lib import setup_django

    setup_django()
    print(generate(), file=sys.stderr)
