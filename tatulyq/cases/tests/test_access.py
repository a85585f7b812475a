"""Who may open a case: the assigned mediators and the school's head, psychologist and
social pedagogue; nobody else in the school, and nobody above it."""

import datetime

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership, Role, User
from tatulyq.cases import services
from tatulyq.cases.models import Mediator, Training

from .test_services import open_bullying_case

D = datetime.date


def test_school_oversight_roles_see_every_case_of_their_school(world, people, service):
    case = open_bullying_case(people)
    for name in ("head", "psychologist", "pedagogue"):
        assert scoping.visible_cases(people[name]).filter(pk=case.pk).exists(), name


def test_an_unassigned_mediator_of_the_same_school_sees_nothing(world, people, service):
    case = open_bullying_case(people, author=people["head"])
    colleague_user = User.objects.create_user("mediator-b@tatulyq.example", "x" * 12, full_name="Әлия")
    colleague = Membership.objects.create(
        user=colleague_user, organisation=world.school, role=Role.SCHOOL_MEDIATOR
    )
    assert not scoping.visible_cases(colleague).filter(pk=case.pk).exists()
    mediator = Mediator.objects.create(
        service=service, kind=Mediator.Kind.ADULT, membership=colleague, full_name="Әлия"
    )
    Training.objects.create(mediator=mediator, course="Медиация", completed_on=D(2025, 1, 1))
    services.assign_mediators(author=people["head"], case=case, mediators=[mediator])
    assert scoping.visible_cases(colleague).filter(pk=case.pk).exists()


def test_another_school_and_every_level_above_see_no_case(world, people, service):
    case = open_bullying_case(people)
    assert not scoping.visible_cases(people["mediator2"]).filter(pk=case.pk).exists()
    assert not scoping.visible_cases(people["district"]).exists()
    for user in (world.users.ministry, world.users.methodologist, world.users.auditor, world.users.admin):
        for membership in user.memberships.all():
            assert not scoping.visible_cases(membership).filter(pk=case.pk).exists()


def test_the_coordinator_supervises_every_case(world, people, service):
    case = open_bullying_case(people, author=people["head"])
    assert scoping.is_case_coordinator(people["psychologist"])
    assert scoping.visible_cases(people["psychologist"]).filter(pk=case.pk).exists()


def test_get_case_or_404_hides_other_schools_cases(world, people, service):
    import pytest
    from django.http import Http404

    case = open_bullying_case(people)
    assert scoping.get_case_or_404(people["head"], case.pk) == case
    for name in ("mediator2", "district"):
        with pytest.raises(Http404):
            scoping.get_case_or_404(people[name], case.pk)
    with pytest.raises(Http404):
        scoping.get_case_or_404(people["head"], "not-a-number")
