"""Keeping the list of the school's mediators and their training."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tatulyq.cases import mediators
from tatulyq.cases.models import Mediator

D = datetime.date


def test_the_head_adds_a_peer_mediator_with_a_grade(world, people, service):
    peer = mediators.add_mediator(author=people["head"], kind="peer", full_name="Әсел Нұрлан", grade=10)
    assert peer.service == service and peer.grade == 10 and peer.membership is None


def test_a_peer_mediator_needs_a_grade_and_has_no_account(world, people, service):
    with pytest.raises(ValidationError) as error:
        mediators.add_mediator(author=people["head"], kind="peer", full_name="Әсел")
    assert "grade" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        mediators.add_mediator(
            author=people["head"], kind="peer", full_name="Әсел", grade=9, membership=people["pedagogue"]
        )
    assert "membership" in error.value.error_dict


def test_a_staff_member_of_another_school_cannot_be_a_mediator_here(world, people, service):
    with pytest.raises(ValidationError) as error:
        mediators.add_mediator(author=people["head"], kind="adult", membership=people["mediator2"])
    assert "membership" in error.value.error_dict


def test_only_the_head_or_the_coordinator_manages_mediators(world, people, service):
    with pytest.raises(ValidationError):
        mediators.add_mediator(author=people["mediator"], kind="peer", full_name="Әсел", grade=9)
    mediators.add_mediator(author=people["psychologist"], kind="peer", full_name="Әсел", grade=9)


def test_a_certificate_cannot_expire_before_the_training_ends(world, people, service):
    peer = Mediator.objects.create(service=service, kind="peer", full_name="Дәурен", grade=8)
    with pytest.raises(ValidationError) as error:
        mediators.add_training(
            author=people["head"],
            mediator=peer,
            course="Құрдас медиатор",
            completed_on=D(2026, 3, 1),
            expires_on=D(2026, 2, 1),
        )
    assert "expires_on" in error.value.error_dict
    assert not peer.trainings.exists()


def test_a_deactivated_or_expired_mediator_takes_no_case(world, people, service):
    peer = Mediator.objects.create(service=service, kind="peer", full_name="Дәурен", grade=8)
    mediators.add_training(
        author=people["head"],
        mediator=peer,
        course="Құрдас медиатор",
        completed_on=D(2024, 3, 1),
        expires_on=D(2025, 3, 1),
    )
    assert not peer.is_trained_on(timezone.localdate())
    mediators.add_training(
        author=people["head"], mediator=peer, course="Қайта даярлау", completed_on=D(2026, 3, 1)
    )
    assert peer.is_trained_on(timezone.localdate())
    mediators.set_mediator_active(author=people["head"], mediator=peer, active=False)
    peer.refresh_from_db()
    assert not peer.is_active
