import pytest

from tatulyq.accounts.models import Membership
from tatulyq.monitoring.models import Period, Report


@pytest.fixture
def member(world):
    def membership(name, organisation=None):
        found = Membership.objects.select_related("organisation", "user").filter(
            user=getattr(world.users, name)
        )
        return found.get(organisation=organisation) if organisation else found.first()

    return membership


@pytest.fixture
def period():
    def get(year, quarter):
        return Period.objects.get(year=year, quarter=quarter)

    return get


@pytest.fixture
def report_of():
    def get(organisation, period):
        return Report.objects.select_related("organisation", "period", "version").get(
            organisation=organisation, period=period
        )

    return get
