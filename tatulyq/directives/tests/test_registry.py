import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tatulyq.accounts.models import Membership
from tatulyq.directives import registry
from tatulyq.directives.models import ImplementationCard, Programme, ResponsibleSpecialist


def jambyl_card():
    return ImplementationCard.objects.get(project__number=4, region__code="310000000")


def karaganda_card():
    return ImplementationCard.objects.get(project__number=4, region__code="350000000")


def test_the_programme_has_three_stages_and_ten_projects_in_twenty_regions(db):
    programme = Programme.objects.get()
    assert [s.number for s in programme.stages.all()] == [1, 2, 3]
    assert programme.projects.count() == 10
    assert ImplementationCard.objects.count() == 20
    assert set(jambyl_card().project.cards.values_list("region__code", flat=True)) == {
        "310000000", "350000000"}
    assert programme.protocol_number == "23-63-8.19"


@pytest.mark.parametrize(("day", "number"), [
    (datetime.date(2024, 6, 1), 1), (datetime.date(2025, 6, 1), 2),
    (datetime.date(2026, 12, 1), 3), (datetime.date(2027, 1, 10), 3),
])
def test_current_stage_follows_the_calendar(db, day, number):
    stages = list(Programme.objects.get().stages.all())
    assert registry.current_stage(stages, day).number == number


def test_national_table_shows_twenty_cards_in_a_fixed_number_of_queries(
    world, login_as, client, django_assert_max_num_queries
):
    login_as(world.users.ministry)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directives:programme"))
    assert len(response.context["cards"]) == 20


def test_region_keeps_its_own_card_only(world):
    region = Membership.objects.get(user=world.users.region, organisation=world.jambyl_education)
    assert registry.can_edit_card(region, jambyl_card())
    assert not registry.can_edit_card(region, karaganda_card())
    with pytest.raises(ValidationError):
        registry.designate_specialist(membership=region, card=karaganda_card(), full_name="X",
                                      position="Y", phone="1")


def test_district_and_school_cannot_edit_a_card(world):
    for name in ("district", "head", "auditor"):
        membership = Membership.objects.filter(user=getattr(world.users, name)).first()
        assert not registry.can_edit_card(membership, jambyl_card()), name


def test_new_designation_keeps_the_previous_in_history(world):
    region = Membership.objects.get(user=world.users.region, organisation=world.jambyl_education)
    card = jambyl_card()
    before = card.specialists.count()
    registry.designate_specialist(membership=region, card=card, full_name="Жаңа Маман",
                                  position="бас маман", phone="8 (7262) 00-00-00")
    assert card.specialists.count() == before + 1
    assert ResponsibleSpecialist.objects.get(card=card, is_current=True).full_name == "Жаңа Маман"


def test_card_page_rejects_a_negative_budget_next_to_the_field(world, login_as, client):
    login_as(world.users.region, Membership.objects.get(user=world.users.region,
                                                         organisation=world.jambyl_education))
    url = reverse("directives:card", args=[jambyl_card().pk])
    response = client.post(url, {"action": "measure", "measure-title": "Тренинг", "measure-due": "2025",
                                 "measure-responsible": "бөлім", "measure-status": "planned",
                                 "measure-budget": "-5"})
    assert response.status_code == 200
    assert "budget" in response.context["measure_form"].errors
    assert not jambyl_card().measures.filter(title="Тренинг").exists()
    response = client.post(url, {"action": "measure", "measure-title": "Тренинг", "measure-due": "2025",
                                 "measure-responsible": "бөлім", "measure-status": "planned",
                                 "measure-budget": "150000.50"})
    assert response.status_code == 302
    assert jambyl_card().measures.get(title="Тренинг").budget == __import__("decimal").Decimal("150000.50")


def test_other_region_gets_403_when_posting_to_a_card(world, login_as, client):
    login_as(world.users.region, Membership.objects.get(user=world.users.region,
                                                         organisation=world.jambyl_education))
    response = client.post(reverse("directives:card", args=[karaganda_card().pk]),
                           {"action": "stage", "stage-notes": "x"})
    assert response.status_code == 403
