import datetime
from decimal import Decimal

import pytest

from tatulyq.accounts.models import Membership, Role, User
from tatulyq.grants import services
from tatulyq.grants.models import Competition, Proposal, SocialOrder, Topic

D = datetime.date


def member(world, name, organisation=None) -> Membership:
    qs = Membership.objects.filter(user=getattr(world.users, name))
    return qs.get(organisation=organisation) if organisation else qs.first()


def line(year=2025, item="Тренинг", unit="адам", quantity="2", unit_cost="1000.00", total=None):
    row = {
        "year": year,
        "item": item,
        "unit": unit,
        "quantity": Decimal(quantity),
        "unit_cost": Decimal(unit_cost) if unit_cost is not None else None,
    }
    if total is not None:
        row["total"] = Decimal(total)
    return row


PROPOSAL = dict(
    title="Медиация",
    problem="Қақтығыстар",
    evidence="",
    target_groups="Оқушылар",
    children_reached=50,
    activities="Тренингтер",
    expected_results="Азаяды",
    indicators="",
    implementer="ngo_grant",
)


@pytest.fixture
def region(world):
    return member(world, "region", world.jambyl_akimat)


@pytest.fixture
def head(world):
    return member(world, "head")


@pytest.fixture
def ngo(world):
    return member(world, "ngo")


@pytest.fixture
def topic(world) -> Topic:
    """The demo's mediation topic of Jambyl's approved order (38 million ₸, 28.3 contracted)."""
    return Topic.objects.get(order__organisation=world.jambyl_akimat, project__number=4)


@pytest.fixture
def draft_order(region) -> SocialOrder:
    return services.create_social_order(author=region, title="2027", first_year=2026, last_year=2027)


def commission(world, count=3) -> list[Membership]:
    people = [member(world, "region", world.jambyl_education)]
    for index in range(count - 1):
        user, _ = User.objects.get_or_create(
            email=f"c{index}@tatulyq.example", defaults={"full_name": f"C{index}"}
        )
        people.append(
            Membership.objects.get_or_create(
                user=user, organisation=world.jambyl_education, role=Role.REGIONAL_COORDINATOR
            )[0]
        )
    return people


@pytest.fixture
def open_competition(world, region, topic) -> Competition:
    return services.announce_competition(
        author=region,
        topic=topic,
        title="Тест конкурсы",
        requirements="Талаптар",
        opens_on=D(2026, 1, 10),
        closes_on=D(2026, 2, 10),
        budget=Decimal("9000000.00"),
        criteria=[{"title": "Сапа", "weight": 60}, {"title": "Бюджет", "weight": 40}],
    )


def apply(membership, competition, **overrides):
    fields = dict(
        bin=membership.organisation.bin,
        registered_on=D(2018, 1, 1),
        director_name="Директор",
        experience="Тәжірибе",
        plan="Жоспар",
        lines=[line(2026, quantity="10", unit_cost="100000")],
        today=D(2026, 2, 1),
    )
    fields.update(overrides)
    return services.submit_application(author=membership, competition=competition, **fields)


def published(world, region, competition, applicants) -> list:
    """Apply, name a commission, score and publish: the first applicant wins."""
    applications = [apply(m, competition) for m in applicants]
    people = commission(world)
    services.name_commission(author=region, competition=competition, members=people, chair=people[0])
    for person in people:
        services.declare_no_conflict(membership=person, competition=competition)
        for application, value in zip(applications, (9, 5), strict=False):
            services.score_application(
                membership=person,
                application=application,
                today=D(2026, 2, 20),
                scores={c.pk: value for c in competition.criteria.all()},
            )
    services.publish_results(
        author=region,
        competition=competition,
        winner=applications[0],
        summary="Шешім",
        reasons={a.pk: "Себеп" for a in applications},
    )
    return applications


def second_ngo(world) -> Membership:
    return Membership.objects.get(user__email="ngo2@tatulyq.example")


def school_proposal(world):
    return Proposal.objects.get(organisation=world.school, recipient__isnull=False)
