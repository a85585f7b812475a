"""Demo organisations: the Ministry, «Өркен», all 20 regions and the seed's Jambyl chain.

Idempotent: every organisation is found by its BIN first, so a second run adds nothing.
"""

from tatulyq.lib.identifiers import make_valid

from .models import InstructionLanguage, Locality, Organisation, OrganisationKind, Territory
from .services import create_organisation

# Russian genitive forms: "Акимат Жамбылской области", "Управление образования города Астаны".
REGION_GENITIVE_RU = {
    "100000000": "области Абай", "110000000": "Акмолинской области",
    "150000000": "Актюбинской области", "190000000": "Алматинской области",
    "230000000": "Атырауской области", "270000000": "Западно-Казахстанской области",
    "310000000": "Жамбылской области", "330000000": "области Жетісу",
    "350000000": "Карагандинской области", "390000000": "Костанайской области",
    "430000000": "Кызылординской области", "470000000": "Мангистауской области",
    "550000000": "Павлодарской области", "590000000": "Северо-Казахстанской области",
    "610000000": "Туркестанской области", "620000000": "области Ұлытау",
    "630000000": "Восточно-Казахстанской области", "710000000": "города Астаны",
    "750000000": "города Алматы", "790000000": "города Шымкента",
}

DISTRICT_RU = {
    "311000000": ("города Тараз", "по городу Тараз"),
    "313600000": ("Байзакского района", "по Байзакскому району"),
    "314000000": ("Жамбылского района", "по Жамбылскому району"),
    "314200000": ("Жуалынского района", "по Жуалынскому району"),
    "314800000": ("Кордайского района", "по Кордайскому району"),
    "315000000": ("района Турара Рыскулова", "по району Турара Рыскулова"),
    "315400000": ("Меркенского района", "по Меркенскому району"),
    "315600000": ("Мойынкумского района", "по Мойынкумскому району"),
    "316000000": ("Сарысуского района", "по Сарысускому району"),
    "316200000": ("Таласского района", "по Таласскому району"),
    "316600000": ("Шуского района", "по Шускому району"),
}

JAMBYL = "310000000"
RYSKULOV = "315000000"

# (village in Kazakh, in Russian, pupils, language of instruction)
RYSKULOV_SCHOOLS = [
    ("Құлан", "Кулан", 1180, "kk"), ("Құлан", "Кулан", 960, "kk_ru"),
    ("Құлан", "Кулан", 720, "kk"), ("Луговой", "Луговой", 640, "ru"),
    ("Луговой", "Луговой", 530, "kk"), ("Жаңатұрмыс", "Жанатурмыс", 410, "kk"),
    ("Қайыңды", "Кайынды", 380, "kk"), ("Ақыртөбе", "Акыртобе", 450, "kk"),
    ("Қорағаты", "Корагаты", 520, "kk"), ("Абай", "Абай", 300, "kk"),
    ("Жақсылық", "Жаксылык", 260, "kk"), ("Құмарық", "Кумарык", 340, "kk"),
    ("Теренөзек", "Теренозек", 290, "kk"), ("Өрнек", "Орнек", 230, "kk"),
    ("Көкдөнен", "Кокдонен", 310, "kk"), ("Құмарал", "Кумарал", 150, "kk"),
    ("Новосельское", "Новосельское", 280, "kk_ru"), ("Қызылсай", "Кызылсай", 190, "kk"),
    ("Беткайнар", "Беткайнар", 210, "kk"), ("Ақбұлақ", "Акбулак", 170, "kk"),
]

RYSKULOV_NGOS = [
    ("«Бейбіт бала» қоғамдық бірлестігі", "Общественное объединение «Бейбит бала»",
     "Public association “Beibit Bala”", OrganisationKind.NGO),
    ("«Жас ұрпақ — Жамбыл» қоғамдық қоры", "Общественный фонд «Жас урпак — Жамбыл»",
     "Public foundation “Zhas Urpak — Zhambyl”", OrganisationKind.NGO),
    ("«Татулық» медиаторлар қауымдастығы", "Ассоциация медиаторов «Татулык»",
     "“Tatulyq” association of mediators", OrganisationKind.NGO),
]


def demo_bin(serial: int, registered: str = "0407") -> str:
    """A BIN of the right shape with a valid check digit (fictional, for the demo)."""
    while True:
        candidate = make_valid(f"{registered}40{serial:05d}")
        if candidate:
            return candidate
        serial += 50000


def _ensure(parent, bin_serial, **fields) -> Organisation:
    bin_value = demo_bin(bin_serial)
    existing = Organisation.objects.filter(bin=bin_value).first()
    if existing:
        return existing
    return create_organisation(parent=parent, bin=bin_value, **fields)


def build() -> dict[str, Organisation]:
    """Create (or find) the demo tree; returns the organisations demo users need."""
    territory = {t.code: t for t in Territory.objects.all()}
    republic = territory["000000000"]
    ministry = _ensure(
        None, 1, kind=OrganisationKind.MINISTRY, territory=republic,
        name_kk="Қазақстан Республикасы Оқу-ағарту министрлігі",
        name_ru="Министерство просвещения Республики Казахстан",
        name_en="Ministry of Enlightenment of the Republic of Kazakhstan",
        address="010000, Астана қаласы, «Министрліктер үйі»", phone="(7172) 74-24-28",
    )
    orken = _ensure(
        ministry, 2, kind=OrganisationKind.METHODOLOGICAL_CENTRE, territory=republic,
        name_kk="«Өркен» балалардың әл-ауқатының ұлттық ғылыми-практикалық институты",
        name_ru="Национальный научно-практический институт благополучия детей «Өркен»",
        name_en="“Orken” National Scientific-Practical Institute of Child Well-being",
    )
    orgs = {"ministry": ministry, "orken": orken}
    for index, (code, genitive_ru) in enumerate(REGION_GENITIVE_RU.items()):
        region = territory[code]
        kk_genitive = region.name_kk + "ның"
        en_name = region.name_en
        akimat_fields = {
            "kind": OrganisationKind.REGIONAL_AKIMAT, "territory": region,
            "name_kk": f"{kk_genitive} әкімдігі", "name_ru": f"Акимат {genitive_ru}",
            "name_en": f"Akimat of {en_name}",
        }
        if code == JAMBYL:
            akimat_fields.update(
                name_kk="«Жамбыл облысы әкімінің аппараты» коммуналдық мемлекеттік мекемесі",
                name_ru="Коммунальное государственное учреждение «Аппарат акима Жамбылской области»",
                name_en="Communal state institution “Apparatus of the Akim of Zhambyl Region”",
                address="080008, Тараз қаласы, Абай даңғылы, 125 үй",
                phone="8 (7262) 43-25-18", email="obl.kense@zhambyl.gov.kz",
            )
        akimat = _ensure(ministry, 100 + index, **akimat_fields)
        education = _ensure(
            akimat, 200 + index, kind=OrganisationKind.REGIONAL_EDUCATION, territory=region,
            name_kk=f"{kk_genitive} білім басқармасы",
            name_ru=f"Управление образования {genitive_ru}",
            name_en=f"Education Department of {en_name}",
        )
        if code == JAMBYL:
            orgs.update(jambyl_akimat=akimat, jambyl_education=education)
    _build_jambyl_districts(orgs, territory)
    return orgs


def _build_jambyl_districts(orgs: dict, territory: dict) -> None:
    for index, (code, (genitive_ru, by_ru)) in enumerate(DISTRICT_RU.items()):
        district = territory[code]
        kk = district.name_kk
        district_akimat = _ensure(
            orgs["jambyl_akimat"], 300 + index, kind=OrganisationKind.DISTRICT_AKIMAT,
            territory=district, name_kk=f"{kk} әкімдігі", name_ru=f"Акимат {genitive_ru}",
            name_en=f"Akimat of {district.name_en}",
        )
        department = _ensure(
            district_akimat, 400 + index, kind=OrganisationKind.DISTRICT_EDUCATION,
            territory=district,
            name_kk=f"{kk} бойынша білім бөлімі",
            name_ru=f"Отдел образования {by_ru} управления образования Жамбылской области",
            name_en=f"Education Department of {district.name_en}",
        )
        if code == RYSKULOV:
            orgs.update(ryskulov_akimat=district_akimat, ryskulov_education=department)
    _build_ryskulov_field(orgs, territory[RYSKULOV])


def _build_ryskulov_field(orgs: dict, district: Territory) -> None:
    schools = []
    for number, (village_kk, village_ru, pupils, language) in enumerate(RYSKULOV_SCHOOLS, 1):
        schools.append(_ensure(
            orgs["ryskulov_education"], 1000 + number, kind=OrganisationKind.SCHOOL,
            territory=district,
            name_kk=f"№{number} {village_kk} жалпы орта білім беретін мектебі",
            name_ru=f"Общеобразовательная средняя школа №{number} ({village_ru})",
            name_en=f"Secondary school No. {number} ({village_ru})",
            address=f"{village_kk} ауылы, Тұрар Рысқұлов ауданы",
            instruction_language=InstructionLanguage(language),
            locality=Locality.RURAL, pupils_count=pupils,
        ))
    ngos = [
        _ensure(orgs["ryskulov_akimat"], 2000 + i, kind=kind, territory=district,
                name_kk=kk, name_ru=ru, name_en=en)
        for i, (kk, ru, en, kind) in enumerate(RYSKULOV_NGOS, 1)
    ]
    orgs.update(schools=schools, ngos=ngos, school=schools[0], other_school=schools[1])
