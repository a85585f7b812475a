"""The seed itself: the Ministry's letter, the Jambyl akimat's and the T. Ryskulov
district's, with real numbers, dates, signatories and executors, forwarded down to the
demo schools, some answered, some late, and the regions' specialists partly filled in.

Idempotent: the Ministry's letter is looked up by its number first."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from tatulyq.accounts.models import Membership, Role, User
from tatulyq.orgs.models import Organisation, OrganisationKind

from . import services
from .models import (
    Answer,
    Directive,
    ImplementationCard,
    MeasureStatus,
    PlannedMeasure,
    Project,
    Recipient,
    ResponseKind,
    Stage,
)

MINISTRY_NUMBER = "3-05-4/3494-И"
SEED_TEXTS = Path(__file__).resolve().parent / "data" / "seed_letters"


def _seed_text(name: str) -> str:
    """The letters' texts as they stand in the seed (shared/seed/original-kk.md)."""
    return (SEED_TEXTS / name).read_text(encoding="utf-8").strip()


MINISTRY_TEXT_KK = _seed_text("ministry.kk.txt")

MINISTRY_TEXT_RU = _seed_text("ministry.ru.txt")

JAMBYL_TEXT_KK = _seed_text("jambyl.kk.txt")

JAMBYL_TEXT_RU = _seed_text("jambyl.ru.txt")

RYSKULOV_TEXT_KK = _seed_text("ryskulov.kk.txt")

RYSKULOV_TEXT_RU = _seed_text("ryskulov.ru.txt")

# Regions whose specialist is already designated (region KATO code → name, position, phone).
SPECIALISTS = {
    "310000000": (
        "Садырқұлов Руслан Ержанұлы",
        "Жамбыл облысы білім басқармасының бас маманы",
        "8 (7262) 43-88-05",
    ),
    "350000000": (
        "Ахметова Гүлнар Серікқызы",
        "Қарағанды облысы білім басқармасының бас маманы",
        "8 (7212) 41-05-12",
    ),
    "100000000": (
        "Тоқтарова Әйгерім Болатқызы",
        "Абай облысы білім басқармасының бас маманы",
        "8 (7222) 52-31-44",
    ),
    "150000000": (
        "Жұмабаев Нұрлан Асқарұлы",
        "Ақтөбе облысы білім басқармасының бас маманы",
        "8 (7132) 55-14-20",
    ),
    "230000000": (
        "Құсайынова Мадина Ерланқызы",
        "Атырау облысы білім басқармасының маманы",
        "8 (7122) 27-16-03",
    ),
    "110000000": (
        "Смагулов Ержан Қайратұлы",
        "Ақмола облысы білім басқармасының бас маманы",
        "8 (7162) 29-71-55",
    ),
    "270000000": (
        "Ғабдуллина Сәуле Мұратқызы",
        "Батыс Қазақстан облысы білім басқармасының маманы",
        "8 (7112) 24-08-19",
    ),
    "430000000": (
        "Оразбаев Бақыт Жанұлы",
        "Қызылорда облысы білім басқармасының бас маманы",
        "8 (7242) 60-44-21",
    ),
    "550000000": (
        "Иванова Елена Викторовна",
        "главный специалист управления образования Павлодарской области",
        "8 (7182) 32-11-07",
    ),
    "610000000": (
        "Әбдіхалықов Серік Төлегенұлы",
        "Түркістан облысы білім басқармасының бас маманы",
        "8 (7253) 31-22-48",
    ),
    "710000000": (
        "Нұрпейісова Дана Асылбекқызы",
        "Астана қаласы білім басқармасының бас маманы",
        "8 (7172) 55-67-90",
    ),
    "750000000": (
        "Ким Алексей Владимирович",
        "главный специалист управления образования города Алматы",
        "8 (727) 271-66-10",
    ),
}
RETURNED_REGIONS = {"390000000"}  # answered, then returned for correction
ANSWERED_SCHOOLS = 12
RETURNED_SCHOOL = 13


def _membership(email: str, organisation: Organisation) -> Membership:
    return Membership.objects.get(user__email=email, organisation=organisation)


def _region_head(akimat: Organisation) -> Membership:
    """Demo regions have no people: an administrator membership stands for their head."""
    user, _ = User.objects.get_or_create(
        email=f"akimat-{akimat.territory.code}@tatulyq.example",
        defaults={"full_name": f"{akimat.territory.name_kk} — кеңсе", "is_active": False},
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=akimat, role=Role.REGIONAL_COORDINATOR, defaults={"is_admin": True}
    )
    return membership


def _answer(
    author: Membership, recipient: Recipient, *, specialist=None, measures=(), report="", sign=True
) -> None:
    services.save_answer(
        author=author,
        recipient=recipient,
        report_text=report,
        specialists=[specialist] if specialist else [],
        measures=list(measures),
    )
    if sign:
        services.sign_off_answer(head=author, recipient=recipient)


def _backdate(recipient: Recipient, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))
    Recipient.objects.filter(pk=recipient.pk).update(answered_at=moment, opened_at=moment)
    Answer.objects.filter(recipient=recipient).update(submitted_at=moment)


def build(orgs: dict) -> Directive:
    from tatulyq.grants import demo as grants_demo  # proposals answer the letters' proposal slot

    existing = Directive.objects.filter(issuer=orgs["ministry"], outgoing_number=MINISTRY_NUMBER).first()
    if existing:
        return existing
    projects = list(Project.objects.order_by("number"))
    project4 = projects[3]
    ministry = _membership("ministry@tatulyq.example", orgs["ministry"])
    akimats = list(
        Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT).select_related("territory")
    )
    letter = services.issue_directive(
        author=ministry,
        recipients=akimats,
        required=[ResponseKind.RESPONSIBLE_SPECIALIST, ResponseKind.PLANNED_MEASURES],
        projects=projects,
        outgoing_number=MINISTRY_NUMBER,
        issued_on=datetime.date(2024, 5, 24),
        deadline=datetime.date(2024, 5, 27),
        subject=(
            "Кәмелетке толмағандар арасындағы зорлық-зомбылықтың алдын алу жөніндегі "
            "жобаларды іске асыру және қаржыландыру туралы"
        ),
        addressees_line="Облыстардың, Астана, Алматы және Шымкент қалаларының әкімдіктері",
        text_kk=MINISTRY_TEXT_KK,
        text_ru=MINISTRY_TEXT_RU,
        signatory_name="Е. Оспан",
        signatory_position="Вице-министр",
        executor_name="Ж. Нұржан",
        executor_phone="8 7172 74 19 94",
    )
    by_code = {
        r.organisation.territory.code: r for r in letter.recipients.select_related("organisation__territory")
    }
    project_of = {code: p for p in projects for code in p.cards.values_list("region__code", flat=True)}

    # Jambyl forwards to its district education departments, asking for proposals.
    jambyl_rec = by_code["310000000"]
    region = _membership("region@tatulyq.example", orgs["jambyl_akimat"])
    departments = Organisation.objects.filter(
        kind=OrganisationKind.DISTRICT_EDUCATION, path__startswith=orgs["jambyl_akimat"].path
    )
    jambyl_letter = services.forward_directive(
        author=region,
        recipient=jambyl_rec,
        recipients=departments,
        required=[ResponseKind.SOCIAL_ORDER_PROPOSAL, ResponseKind.FREE_REPORT],
        outgoing_number="03-4279",
        issued_on=datetime.date(2024, 5, 1),
        deadline=datetime.date(2024, 5, 24),
        subject="Мемлекеттік әлеуметтік тапсырыс шеңберінде 2025–2026 жылдарға ұсыныстар беру туралы",
        addressees_line="Тараз қаласы мен аудандардың әкімдеріне; мемлекеттік органдардың басшыларына",
        text_kk=JAMBYL_TEXT_KK,
        text_ru=JAMBYL_TEXT_RU,
        signatory_name="Н. Календеров",
        signatory_position="Жамбыл облысы әкімінің бірінші орынбасары",
        executor_name="Р. Садырқұлов",
        executor_phone="8 (7262) 43-88-05",
    )
    # T. Ryskulov district education department forwards to its schools.
    ryskulov_rec = jambyl_letter.recipients.get(organisation=orgs["ryskulov_education"])
    district = _membership("district@tatulyq.example", orgs["ryskulov_education"])
    district_letter = services.forward_directive(
        author=district,
        recipient=ryskulov_rec,
        recipients=orgs["schools"],
        outgoing_number="",
        issued_on=datetime.date(2024, 5, 6),
        deadline=datetime.date(2024, 5, 20),
        subject="Мемлекеттік әлеуметтік тапсырысқа 2025–2026 жылдарға ұсыныс беру туралы",
        addressees_line="Мектеп басшыларына",
        text_kk=RYSKULOV_TEXT_KK,
        text_ru=RYSKULOV_TEXT_RU,
        signatory_name="М. Сванов",
        signatory_position="Басшы",
        executor_name="Джамбулбаева",
        executor_phone="2-14-10",
    )
    # Schools: twelve answered, one returned, the rest late.
    for number, school_rec in enumerate(
        district_letter.recipients.select_related("organisation").order_by("organisation__name_kk"), 1
    ):
        if number > RETURNED_SCHOOL:
            continue
        head = _school_head(school_rec.organisation)
        grants_demo.school_proposal(head, school_rec, number)  # the letter's proposal slot
        _answer(
            head,
            school_rec,
            report=(
                "Мектеп медиация қызметін 2025–2026 жылдары "
                "мемлекеттік әлеуметтік тапсырыс арқылы қаржыландыруды ұсынады (медиаторларды оқыту, "
                "татуластыру бөлмесі, ата-аналармен жұмыс)."
            ),
        )
        _backdate(school_rec, datetime.date(2024, 5, 14 + number % 9))
        if number == RETURNED_SCHOOL:
            services.return_answer(
                reviewer=district, recipient=school_rec, comment="Балалардың санын және бюджетті көрсетіңіз."
            )
        elif number <= 6:
            services.accept_answer(reviewer=district, recipient=school_rec)
    # The district consolidates its schools' answers and answers up.
    services.consolidate_answer(author=district, recipient=ryskulov_rec)
    grants_demo.district_proposal(district, ryskulov_rec)
    services.sign_off_answer(head=district, recipient=ryskulov_rec)
    _backdate(ryskulov_rec, datetime.date(2024, 5, 23))
    # Regions answer the Ministry: specialists partly filled in.
    for code, rec in by_code.items():
        if code not in SPECIALISTS and code not in RETURNED_REGIONS:
            continue
        head = region if code == "310000000" else _region_head(rec.organisation)
        name, position, phone = SPECIALISTS.get(code, ("Бекова Айжан", "маман", "8 (7142) 00-00-00"))
        project = project_of.get(code, project4)
        _answer(
            head,
            rec,
            specialist={
                "project": project,
                "full_name": name,
                "position": position,
                "phone": phone,
                "email": "",
            },
            measures=[
                {
                    "title": f"«{project.short_name_kk}» жобасын іске асыру жоспарын бекіту",
                    "due": "2024 ж. IV тоқсан",
                    "responsible": "Облыстық білім басқармасы",
                    "budget": None,
                }
            ],
        )
        _backdate(rec, datetime.date(2024, 5, 27 if code != "750000000" else 29))
        if code in RETURNED_REGIONS:
            services.return_answer(
                reviewer=ministry, recipient=rec, comment="Маманның байланыс телефонын көрсетіңіз."
            )
        elif code in {"310000000", "350000000", "710000000"}:
            services.accept_answer(reviewer=ministry, recipient=rec)
    _fill_cards(letter)
    return letter


JAMBYL_MEASURES = [
    (
        "Мектеп медиаторларын оқыту (72 сағат), 2 ағын",
        "2025 ж. I тоқсан",
        "Облыстық білім басқармасы",
        MeasureStatus.DONE,
        Decimal("4500000.00"),
    ),
    (
        "20 мектепте татуластыру (медиация) бөлмелерін жабдықтау",
        "2025 ж. II тоқсан",
        "Аудандық білім бөлімдері",
        MeasureStatus.DONE,
        Decimal("6000000.00"),
    ),
    (
        "Ата-аналарға арналған қалпына келтіру шеңберлері",
        "2025–2026 жж.",
        "ҮЕҰ (грант)",
        MeasureStatus.IN_PROGRESS,
        Decimal("3200000.00"),
    ),
    (
        "Жобаның қорытынды есебі және тәжірибе алмасу конференциясы",
        "2026 ж. IV тоқсан",
        "Облыстық білім басқармасы",
        MeasureStatus.PLANNED,
        Decimal("1500000.00"),
    ),
]


def _fill_cards(letter: Directive) -> None:
    """Cards of regions that answered have reached stage 2; Jambyl's has a full plan."""
    stages = {s.number: s for s in Stage.objects.all()}
    answered_regions = set(
        letter.recipients.filter(status__in=["answered", "accepted"]).values_list(
            "organisation__territory_id", flat=True
        )
    )
    for card in ImplementationCard.objects.select_related("region"):
        card.stage = stages[2] if card.region_id in answered_regions else stages[1]
        card.save(update_fields=["stage", "updated_at"])
    jambyl = ImplementationCard.objects.get(project__number=4, region__code="310000000")
    for index, (title, due, who, status, budget) in enumerate(JAMBYL_MEASURES, start=10):
        PlannedMeasure.objects.create(
            card=jambyl, title=title, due=due, responsible=who, status=status, budget=budget, position=index
        )


def _school_head(school: Organisation) -> Membership:
    membership = Membership.objects.filter(organisation=school, role=Role.SCHOOL_HEAD).first()
    if membership:
        return membership
    user, _ = User.objects.get_or_create(
        email=f"head-{school.pk}@tatulyq.example",
        defaults={"full_name": f"{school.name_kk} — директор", "is_active": False},
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=school, role=Role.SCHOOL_HEAD, defaults={"is_admin": True}
    )
    return membership
