"""The programme's indicator framework as first published (version 1) and the eight
reporting quarters 2025–2026. Data, not demo: every installation runs this programme,
so the migration loads it; `ensure_framework` is idempotent and safe to call again."""

import datetime
from decimal import Decimal

# (code, project No., kind, unit, source, aggregation, level, dimensions, counts children,
#  min, max, target, name kk, ru, en, definition en)
CHILD = ["sex", "age"]
INDICATORS = [
    # Project 4 — mediation: computed from the cases of the schools' mediation services.
    ("cases-referred", 4, "output", "count", "cases", "sum", "school", [], True, 0, 500, 1800,
     "Медиацияға жолданған істер", "Дела, направленные на медиацию", "Cases referred to mediation",
     "Cases whose referral date falls in the quarter."),
    ("cases-children", 4, "output", "children", "cases", "sum", "school", CHILD, True, 0, 1000, 3600,
     "Істерге қатысқан балалар", "Дети, участвующие в делах", "Children involved in cases",
     "Children who caused or suffered harm in cases referred in the quarter, by sex and age band."),
    ("cases-screened", 4, "output", "count", "cases", "sum", "school", [], True, 0, 500, None,
     "Тексерілген істер", "Дела, прошедшие проверку", "Cases screened",
     "Cases whose suitability checklist was completed in the quarter."),
    ("cases-mediable", 4, "output", "count", "cases", "sum", "school", [], True, 0, 500, None,
     "Медиацияға жарамды істер", "Дела, пригодные для медиации", "Cases found mediable",
     "Screened cases with no red flag and willing parties."),
    ("cases-mediable-share", 4, "outcome", "percent", "cases", "ratio", "school", [], False, 0, 100, 70,
     "Медиацияға жарамды істер үлесі", "Доля дел, пригодных для медиации", "Mediable share",
     "Cases found mediable ÷ cases screened, per cent."),
    ("cases-mediated", 4, "output", "count", "cases", "sum", "school", [], True, 0, 500, 1200,
     "Медиация жүргізілген істер", "Дела, по которым проведена медиация", "Cases mediated",
     "Cases with a joint session (joint mediation, circle or family conference) held in the quarter."),
    ("cases-agreements", 4, "outcome", "count", "cases", "sum", "school", [], True, 0, 500, 1000,
     "Жасалған келісімдер", "Достигнутые соглашения", "Agreements reached",
     "Mediation agreements reached in the quarter."),
    ("cases-fulfilled", 4, "outcome", "count", "cases", "sum", "school", [], True, 0, 500, 850,
     "Орындалған келісімдер", "Исполненные соглашения", "Agreements fulfilled",
     "Cases closed in the quarter as resolved, every obligation fulfilled."),
    ("cases-repeat-90", 4, "outcome", "children", "cases", "sum", "school", CHILD, True, 0, 500, None,
     "90 күн ішінде қайта қатысқан балалар", "Повторное участие в течение 90 дней",
     "Children involved again within 90 days",
     "Children in a case referred in the quarter who were in another case referred in the 90 days before."),
    ("cases-days-to-joint", 4, "outcome", "days", "cases", "median", "school", [], False, 0, 365, 14,
     "Жолдаудан бірлескен кездесуге дейінгі күндер (медиана)",
     "Дней от направления до совместной встречи (медиана)",
     "Median days from referral to the joint session",
     "Median of the days between referral and the first joint session, for sessions held in the quarter."),
    ("cases-referrals", 4, "output", "count", "cases", "sum", "school", ["service"], True, 0, 500, None,
     "Басқа қызметтерге жолдамалар", "Направления в другие службы", "Referrals to other services",
     "Referrals made in the quarter, by the kind of service."),
    ("cases-rehab-plans", 4, "outcome", "children", "cases", "sum", "school", CHILD, True, 0, 500, None,
     "Оңалту жоспары бар балалар", "Дети с планом реабилитации", "Children with a rehabilitation plan",
     "Children with an approved rehabilitation plan in a case referred in the quarter."),
    # Every project region: the programme registry and the grants.
    ("registry-measures-planned", None, "output", "count", "directives", "sum", "region", [], False,
     0, 1000, None, "Жоспарланған іс-шаралар", "Запланированные мероприятия", "Measures planned",
     "Measures of the region's implementation card due by the end of the quarter."),
    ("registry-measures-done", None, "output", "count", "directives", "sum", "region", [], False,
     0, 1000, None, "Орындалған іс-шаралар", "Выполненные мероприятия", "Measures done",
     "Measures of the region's implementation card due by the end of the quarter and done."),
    ("grants-planned", None, "output", "money", "grants", "sum", "region", [], False, 0, None, None,
     "Жоспарланған бюджет", "Запланированный бюджет", "Budget planned",
     "State social order budget planned for the project in the region, tenge."),
    ("grants-contracted", None, "output", "money", "grants", "sum", "region", [], False, 0, None, None,
     "Шарт жасалған сома", "Законтрактованная сумма", "Budget contracted",
     "Sum of the grant agreements signed, tenge."),
    ("grants-paid", None, "output", "money", "grants", "sum", "region", [], False, 0, None, None,
     "Төленген сома", "Выплаченная сумма", "Budget paid", "Tranches paid to grantees, tenge."),
    ("grants-spent", None, "output", "money", "grants", "sum", "region", [], False, 0, None, None,
     "Игерілген сома", "Освоенная сумма", "Budget spent",
     "Spending reported by grantees and accepted, tenge."),
    ("grants-ngos", None, "output", "count", "grants", "sum", "region", [], False, 0, None, None,
     "Қаржыландырылған ҮЕҰ", "Профинансированные НПО", "NGOs funded",
     "NGOs holding a grant agreement in the quarter."),
    ("grants-reach", None, "outcome", "children", "grants", "sum", "region", [], True, 0, None, None,
     "Қамтылғандар (гранттар бойынша)", "Охват (по грантам)", "Reach reported by grantees",
     "Children reached, as the grantees' accepted reports state."),
]

# Two entered indicators for each project, filled by the region's education department.
ENTERED = [
    (1, "p1-screened", "children", True, 400, "Агрессивті мінез-құлыққа тексерілген балалар",
     "Дети, прошедшие скрининг на агрессивное поведение", "Children screened for aggressive behaviour"),
    (1, "p1-supported", "children", True, 120, "Маман қолдауын алған балалар",
     "Дети, получившие поддержку специалиста", "Children supported by a specialist"),
    (2, "p2-groups", "count", False, 40, "Арт-терапия топтары", "Группы арт-терапии", "Art therapy groups running"),
    (2, "p2-children", "children", True, 300, "Арт-терапияға қатысқан балалар",
     "Дети, посещающие арт-терапию", "Children attending art therapy"),
    (3, "p3-sections", "count", False, 30, "Спорт секциялары", "Спортивные секции",
     "Sport sections for children at risk"),
    (3, "p3-children", "children", True, 500, "Спортпен айналысатын балалар",
     "Дети, занимающиеся спортом", "Children attending sport sections"),
    (4, "p4-services", "count", False, 200, "Медиация қызметі бар мектептер",
     "Школы со службой медиации", "Schools with an active mediation service"),
    (4, "p4-mediators", "count", False, 400, "Оқытылған медиаторлар", "Обученные медиаторы",
     "Mediators trained"),
    (5, "p5-clubs", "count", False, 30, "Серіктес жастар клубтары", "Молодёжные клубы-партнёры",
     "Youth clubs in partnership"),
    (5, "p5-youth", "children", True, 600, "Тартылған жасөспірімдер", "Вовлечённые подростки",
     "Young people involved"),
    (6, "p6-mentors", "count", False, 150, "Белсенді тәлімгерлер", "Активные наставники", "Active mentors"),
    (6, "p6-mentored", "children", True, 150, "Тәлімгері бар балалар", "Дети с наставником",
     "Children with a mentor"),
    (7, "p7-centres", "count", False, 6, "Жұмыс істеп тұрған орталықтар", "Действующие центры",
     "Victim support centres operating"),
    (7, "p7-helped", "children", True, 250, "Көмек алған балалар", "Дети, получившие помощь",
     "Children helped by the centres"),
    (8, "p8-resources", "count", False, 40, "Жарияланған ресурстар", "Опубликованные ресурсы",
     "Interactive resources published"),
    (8, "p8-users", "count", False, 20000, "Ресурс пайдаланушылары", "Пользователи ресурсов",
     "Users reached"),
    (9, "p9-committees", "count", False, 200, "Қауіпсіздік комитеті бар мектептер",
     "Школы с комитетом безопасности", "Schools with a safety committee"),
    (9, "p9-meetings", "count", False, 600, "Комитет отырыстары", "Заседания комитетов",
     "Committee meetings held"),
    (10, "p10-events", "count", False, 300, "Науқан іс-шаралары", "Мероприятия кампании",
     "Campaign events held"),
    (10, "p10-reached", "count", False, 200000, "Қамтылған адамдар", "Охваченные люди", "People reached"),
]


def indicator_rows() -> list[dict]:
    rows = []
    for position, item in enumerate(INDICATORS):
        (code, project, kind, unit, source, aggregation, level, dims, children, low, high, target,
         kk, ru, en, definition) = item
        rows.append({
            "code": code, "project": project, "position": position, "kind": kind, "unit": unit,
            "source": source, "aggregation": aggregation, "level": level, "dimensions": dims,
            "counts_children": children, "min_value": low, "max_value": high, "target": target,
            "name_kk": kk, "name_ru": ru, "name_en": en, "definition_en": definition,
            "numerator": "cases-mediable" if aggregation == "ratio" else "",
            "denominator": "cases-screened" if aggregation == "ratio" else "",
        })
    for offset, (project, code, unit, children, target, kk, ru, en) in enumerate(ENTERED):
        rows.append({
            "code": code, "project": project, "position": 100 + offset,
            "kind": "outcome" if children else "output", "unit": unit, "source": "entered",
            "aggregation": "sum", "level": "region", "dimensions": [], "counts_children": children,
            "min_value": 0, "max_value": target * 4, "target": target * 8,
            "name_kk": kk, "name_ru": ru, "name_en": en,
            "definition_en": "Entered each quarter by the region's education department.",
            "numerator": "", "denominator": "",
        })
    return rows


def quarters() -> list[tuple[int, int]]:
    return [(year, quarter) for year in (2025, 2026) for quarter in (1, 2, 3, 4)]


def period_dates(year: int, quarter: int) -> dict:
    starts = datetime.date(year, 3 * quarter - 2, 1)
    ends = (datetime.date(year + quarter // 4, (3 * quarter) % 12 + 1, 1) - datetime.timedelta(days=1))
    day = datetime.timedelta(days=1)
    return {
        "starts_on": starts, "ends_on": ends,
        "school_deadline": ends + 5 * day, "district_deadline": ends + 10 * day,
        "region_deadline": ends + 15 * day, "national_deadline": ends + 25 * day,
    }


def load(apps, schema_editor=None) -> None:
    """Version 1 of the framework and the eight periods (historical models welcome)."""
    FrameworkVersion = apps.get_model("monitoring", "FrameworkVersion")
    Indicator = apps.get_model("monitoring", "Indicator")
    Period = apps.get_model("monitoring", "Period")
    Project = apps.get_model("directives", "Project")
    for year, quarter in quarters():
        Period.objects.get_or_create(
            year=year, quarter=quarter, defaults={**period_dates(year, quarter), "status": "open"}
        )
    if FrameworkVersion.objects.exists():
        return
    version = FrameworkVersion.objects.create(number=1, note="Version 1")
    projects = {p.number: p for p in Project.objects.all()}
    Indicator.objects.bulk_create(
        Indicator(version=version, **{
            **row, "project": projects.get(row["project"]),
            "min_value": None if row["min_value"] is None else Decimal(row["min_value"]),
            "max_value": None if row["max_value"] is None else Decimal(row["max_value"]),
            "target": None if row["target"] is None else Decimal(row["target"]),
        })
        for row in indicator_rows()
    )


def ensure_framework() -> None:
    from django.apps import apps

    load(apps)
