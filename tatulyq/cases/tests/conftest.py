import datetime

import pytest

from tatulyq.accounts.models import Membership
from tatulyq.cases.models import MediationService, Mediator, Training

D = datetime.date


@pytest.fixture
def people(world):
    """Memberships of School No. 1's staff, by demo name."""

    def membership(name):
        return Membership.objects.select_related("organisation").get(user=getattr(world.users, name))

    return {
        name: membership(name)
        for name in ("head", "mediator", "psychologist", "pedagogue", "mediator2", "district")
    }


@pytest.fixture
def service(world, people):
    """School No. 1's service: the psychologist coordinates, the demo mediator is trained."""
    service, _ = MediationService.objects.get_or_create(
        school=world.school, defaults={"coordinator": people["psychologist"]}
    )
    mediator, _ = Mediator.objects.get_or_create(
        service=service,
        kind=Mediator.Kind.ADULT,
        membership=people["mediator"],
        defaults={"full_name": people["mediator"].user.full_name},
    )
    Training.objects.get_or_create(
        mediator=mediator,
        course="Мектеп медиациясы (72 сағат)",
        defaults={"completed_on": D(2025, 1, 20), "expires_on": D(2028, 1, 20)},
    )
    return service


@pytest.fixture
def trained_mediator(service):
    return service.mediators.get(kind=Mediator.Kind.ADULT)


ASKAR_BORN = D(2012, 3, 15)


def child(role="caused", name="Асқар Бекұлы", birth=ASKAR_BORN, sex="m", iin=""):
    return {"role": role, "full_name": name, "birth_date": birth, "sex": sex, "grade": 7, "iin": iin}
