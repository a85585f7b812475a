"""The seed's money path: T. Ryskulov schools' proposals for the mediation project (as
their answers to the district's letter), the district's consolidated proposal (its answer
to the oblast's letter No. 03-4279), Jambyl oblast's state social order for 2025–2026, the
grant competition with two NGOs applying, the commission's evaluation, the agreement with
its tranches and one accepted interim report.

The proposals are made while the directives demo answers its letters (`school_proposal`,
`district_proposal`); `build` adds the rest. Idempotent: the order is looked up first."""

import datetime
from decimal import Decimal

from tatulyq.accounts.models import Membership, Role, User
from tatulyq.directives.models import Project, Recipient

from . import services
from .models import Implementer, Proposal, SocialOrder

D = datetime.date
ORDER_TITLE = "Жамбыл облысының 2025–2026 жылдарға арналған мемлекеттік әлеуметтік тапсырысы"

# What a school asks for, per year: (item, unit, quantity, unit cost).
SCHOOL_LINES = [
    ("Мектеп медиаторларын оқыту (72 сағат)", "адам", 2, 85000),
    ("Татуластыру бөлмесін жабдықтау", "жиынтық", 1, 350000),
    ("Ата-аналарға арналған қалпына келтіру шеңберлері", "кездесу", 6, 15000),
    ("Әдістемелік материалдар басып шығару", "дана", 120, 1200),
    ("Супервизия (психолог)", "сағат", 10, 9000),
]


def _project4() -> Project:
    return Project.objects.get(number=4)


def school_proposal(head: Membership, recipient: Recipient, number: int) -> Proposal:
    """A school's proposal for the mediation project, submitted as its answer's proposal part."""
    existing = Proposal.objects.filter(recipient=recipient).first()
    if existing:
        return existing
    pupils = recipient.organisation.pupils_count or 300
    lines = []
    for year in (2025, 2026):
        for position, (item, unit, quantity, cost) in enumerate(SCHOOL_LINES):
            if year == 2026 and position == 1:
                continue  # the room is equipped once
            lines.append(
                {
                    "year": year,
                    "item": item,
                    "unit": unit,
                    "quantity": Decimal(quantity),
                    "unit_cost": Decimal(cost + 500 * (number % 4)),
                }
            )
    proposal = services.save_proposal(
        author=head,
        recipient=recipient,
        lines=lines,
        project=_project4(),
        title="Мектептегі медиация қызметін дамыту",
        problem="Оқушылар арасындағы қақтығыстар мен буллинг жағдайлары жылына 10–15 рет тіркеледі.",
        evidence="Мектеп психологының 2023–2024 оқу жылындағы сауалнамасы; ішкі істер бөлімінің деректері.",
        target_groups="5–11 сынып оқушылары, агрессивті мінез-құлықты балалар, ата-аналар, мұғалімдер.",
        children_reached=max(40, pupils // 8),
        activities=(
            "Медиаторларды оқыту, татуластыру бөлмесін ашу, қалпына келтіру шеңберлері, ата-аналармен жұмыс."
        ),
        expected_results="Қақтығыстардың 30%-ы медиация арқылы шешіледі; қайталанатын жағдайлар азаяды.",
        indicators=(
            "Медиация жағдайларының саны; келісіммен аяқталғандардың үлесі; буллинг жағдайларының саны."
        ),
        implementer=Implementer.NGO_GRANT,
    )
    return services.submit_proposal(head=head, proposal=proposal)


def district_proposal(district: Membership, recipient: Recipient) -> Proposal:
    """The district merges its schools' proposals, ranked by the children they reach,
    and submits the result as its answer to the oblast's letter."""
    existing = Proposal.objects.filter(recipient=recipient, status=Proposal.Status.SUBMITTED).first()
    if existing:
        return existing
    ranked = list(
        Proposal.objects.filter(
            recipient__directive__forwarded_from=recipient,
            status=Proposal.Status.SUBMITTED,
        )
        .exclude(recipient__status="returned")
        .order_by("-children_reached", "id")
    )
    proposal = services.consolidate_proposals(author=district, ranked=ranked, recipient=recipient)
    return services.submit_proposal(head=district, proposal=proposal)


def _helper(email: str, full_name: str, organisation, role: str) -> Membership:
    """People the demo needs behind the scenes (they cannot log in)."""
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "is_active": False})
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"is_admin": True}
    )
    return membership


CRITERIA = [
    ("Жобаның мақсатқа сәйкестігі және негізділігі", 30),
    ("Ұйымның тәжірибесі және мамандары", 25),
    ("Бюджеттің негізділігі", 25),
    ("Нәтижелердің тұрақтылығы", 20),
]


def build(orgs: dict) -> SocialOrder | None:
    existing = SocialOrder.objects.filter(organisation=orgs["jambyl_akimat"], title=ORDER_TITLE).first()
    if existing:
        return existing
    district_proposals = list(
        Proposal.objects.filter(
            organisation__path__startswith=orgs["jambyl_akimat"].path,
            is_consolidated=True,
            status=Proposal.Status.SUBMITTED,
        )
    )
    region = Membership.objects.get(user__email="region@tatulyq.example", organisation=orgs["jambyl_akimat"])
    chair = Membership.objects.get(
        user__email="region@tatulyq.example", organisation=orgs["jambyl_education"]
    )
    order = services.create_social_order(author=region, title=ORDER_TITLE, first_year=2025, last_year=2026)
    topic = services.save_topic(
        author=region,
        order=order,
        project=_project4(),
        title="Мектептерде медиация және қалпына келтіру сот төрелігі қызметтерін енгізу",
        funding_source="local",
        expected_results="Облыстың 60 мектебінде медиация қызметі жұмыс істейді; 120 медиатор оқытылды; "
        "мектептегі қақтығыстардың 30%-ы медиация арқылы шешіледі.",
        budgets={2025: Decimal("18000000.00"), 2026: Decimal("20000000.00")},
        sources=district_proposals,
    )
    services.save_topic(
        author=region,
        order=order,
        title="Жасөспірімдерге арналған психологиялық қолдау желісі",
        funding_source="local",
        expected_results="Жылына 2000 жасөспірімге кеңес беріледі.",
        budgets={2025: Decimal("6000000.00"), 2026: Decimal("6500000.00")},
    )
    services.approve_social_order(author=region, order=order)
    # Approved at the end of stage 1 (financing for 2025–2026 allocated by 25.12.2024),
    # before the competition it funds; the service dates an approval today.
    SocialOrder.objects.filter(pk=order.pk).update(approved_on=D(2024, 12, 20))
    competition = services.announce_competition(
        author=region,
        topic=topic,
        title="Мектептерде медиация қызметтерін енгізуге мемлекеттік грант конкурсы",
        requirements="Үкіметтік емес ұйым ретінде кемінде 2 жыл тіркелген; балалармен жұмыс тәжірибесі; "
        "кемінде 5 оқытылған медиатор; бюджет 30 млн теңгеден аспайды.",
        opens_on=D(2025, 1, 15),
        closes_on=D(2025, 2, 14),
        budget=Decimal("30000000.00"),
        criteria=[{"title": t, "weight": w} for t, w in CRITERIA],
        scale_max=10,
    )
    ngo1 = Membership.objects.get(user__email="ngo@tatulyq.example")
    ngo2 = _helper("ngo2@tatulyq.example", "Мәдина Серікова", orgs["ngos"][1], Role.NGO_STAFF)
    plans = [
        (
            ngo1,
            "Бауыржан Тоқтаров",
            D(2016, 4, 12),
            "2017 жылдан бері 40 мектепте медиация қызметін ашты.",
            Decimal("14100000.00"),
            Decimal("14200000.00"),
        ),
        (
            ngo2,
            "Мәдина Серікова",
            D(2019, 9, 3),
            "Жасөспірімдермен жұмыс тәжірибесі 5 жыл.",
            Decimal("13500000.00"),
            Decimal("15000000.00"),
        ),
    ]
    applications = []
    for membership, director, registered, experience, first, second in plans:
        applications.append(
            services.submit_application(
                author=membership,
                competition=competition,
                bin=membership.organisation.bin,
                registered_on=registered,
                director_name=director,
                experience=experience,
                plan=(
                    "Медиаторларды оқыту, 20 мектепте татуластыру қызметін ашу, ата-аналармен шеңберлер, "
                    "супервизия."
                ),
                lines=[
                    {
                        "year": 2025,
                        "item": "Медиаторларды оқыту",
                        "unit": "адам",
                        "quantity": Decimal(60),
                        "unit_cost": first / 60,
                    },
                    {
                        "year": 2026,
                        "item": "Қызметті сүйемелдеу және супервизия",
                        "unit": "ай",
                        "quantity": Decimal(10),
                        "unit_cost": second / 10,
                    },
                ],
                today=D(2025, 2, 1),
            )
        )
    members = [
        chair,
        _helper(
            "commission-1@tatulyq.example",
            "Айдос Құрманов",
            orgs["jambyl_education"],
            Role.REGIONAL_COORDINATOR,
        ),
        _helper(
            "commission-2@tatulyq.example",
            "Лаура Әбенова",
            orgs["jambyl_education"],
            Role.REGIONAL_COORDINATOR,
        ),
    ]
    services.name_commission(author=region, competition=competition, members=members, chair=chair)
    criteria = list(competition.criteria.all())
    for offset, member in enumerate(members):
        services.declare_no_conflict(membership=member, competition=competition)
        for application, base in zip(applications, (9, 7), strict=True):
            services.score_application(
                membership=member,
                application=application,
                today=D(2025, 2, 20),
                scores={c.pk: min(10, base - (i + offset) % 2) for i, c in enumerate(criteria)},
            )
    winner = applications[0]
    services.publish_results(
        author=region,
        competition=competition,
        winner=winner,
        summary="Комиссия «Бейбіт бала» қоғамдық бірлестігін жеңімпаз деп таныды.",
        reasons={
            winner.pk: "Ең жоғары орташа балл; мектептерде медиация қызметін ашудың дәлелденген тәжірибесі.",
            applications[1].pk: "Орташа балл төмен; бюджет негіздемесі толық емес.",
        },
    )
    agreement = services.conclude_agreement(
        author=region,
        application=winner,
        number="ГР-01/2025",
        signed_on=D(2025, 3, 3),
        starts_on=D(2025, 3, 10),
        ends_on=D(2026, 11, 30),
        amount=Decimal("28300000.00"),
        tranches=[
            {
                "planned_on": D(2025, 3, 20),
                "amount": Decimal("11320000.00"),
                "condition": "Шарт жасалғаннан кейін",
            },
            {
                "planned_on": D(2025, 9, 15),
                "amount": Decimal("8490000.00"),
                "condition": "Аралық есеп қабылданғаннан кейін",
            },
            {
                "planned_on": D(2026, 3, 16),
                "amount": Decimal("8490000.00"),
                "condition": "2025 жылдың есебі қабылданғаннан кейін",
            },
        ],
    )
    tranches = list(agreement.tranches.all())
    services.record_payment(
        author=region, tranche=tranches[0], paid_on=D(2025, 3, 25), paid_amount=Decimal("11320000.00")
    )
    report = services.save_report(
        author=ngo1,
        agreement=agreement,
        kind="interim",
        period_from=D(2025, 3, 10),
        period_to=D(2025, 8, 31),
        activities="60 мектеп медиаторы оқытылды (72 сағат); 20 мектепте татуластыру бөлмелері ашылды; "
        "ата-аналармен 24 қалпына келтіру шеңбері өтті.",
        reach={
            "girls_6_10": 120,
            "boys_6_10": 135,
            "girls_11_14": 310,
            "boys_11_14": 342,
            "girls_15_18": 180,
            "boys_15_18": 205,
            "women": 260,
            "men": 140,
        },
        indicators=[
            {"name": "Оқытылған медиаторлар", "unit": "адам", "target": Decimal(60), "actual": Decimal(60)},
            {
                "name": "Медиация қызметі ашылған мектептер",
                "unit": "мектеп",
                "target": Decimal(20),
                "actual": Decimal(20),
            },
            {
                "name": "Медиациямен шешілген жағдайлар",
                "unit": "жағдай",
                "target": Decimal(80),
                "actual": Decimal(64),
            },
        ],
        expenditures=[
            {
                "item": "Медиаторларды оқыту",
                "planned": Decimal("7200000.00"),
                "spent": Decimal("7200000.00"),
                "variance_explanation": "",
            },
            {
                "item": "Татуластыру бөлмелерін жабдықтау",
                "planned": Decimal("3400000.00"),
                "spent": Decimal("3180000.00"),
                "variance_explanation": "Жиһаз ашық конкурста жоспардан арзан сатып алынды.",
            },
            {
                "item": "Ата-аналармен шеңберлер",
                "planned": Decimal("720000.00"),
                "spent": Decimal("690000.00"),
                "variance_explanation": "Екі кездесу мектеп ғимаратында тегін өтті.",
            },
        ],
    )
    services.submit_report(author=ngo1, report=report)
    services.accept_report(reviewer=region, report=report, comment="Есеп қабылданды.")
    services.record_payment(
        author=region, tranche=tranches[1], paid_on=D(2025, 9, 22), paid_amount=Decimal("8490000.00")
    )
    return order
