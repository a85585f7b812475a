import datetime

import pytest
from django.core.exceptions import ValidationError

from tatulyq.accounts.models import Membership
from tatulyq.directives import services
from tatulyq.directives.demo import MINISTRY_NUMBER
from tatulyq.directives.models import (
    Answer,
    Directive,
    Recipient,
    RecipientStatus,
    ResponseKind,
    ResponsibleSpecialist,
)
from tatulyq.orgs.models import Organisation, OrganisationKind

D = datetime.date


def member(world, name, organisation=None):
    qs = Membership.objects.filter(user=getattr(world.users, name))
    return qs.get(organisation=organisation) if organisation else qs.get()


def letter(**overrides):
    fields = dict(outgoing_number="01-1", issued_on=D(2026, 3, 2), deadline=D(2026, 3, 20),
                  subject="Тексеру", text_kk="Мәтін", signatory_name="А. Б.",
                  signatory_position="Басшы", executor_name="В. Г.", executor_phone="1-11-11")
    fields.update(overrides)
    return fields


@pytest.fixture
def district_letter(world):
    """A letter of the T. Ryskulov department to its first three schools."""
    return services.issue_directive(
        author=member(world, "district"), recipients=world.schools[:3],
        required=[ResponseKind.FREE_REPORT], **letter(),
    )


def test_the_seed_cascade_runs_ministry_oblast_district_schools(world):
    ministry_letter = Directive.objects.get(outgoing_number=MINISTRY_NUMBER)
    assert ministry_letter.recipients.count() == 20
    jambyl = Directive.objects.get(outgoing_number="03-4279")
    assert jambyl.parent == ministry_letter and jambyl.root == ministry_letter
    district = jambyl.forwards.get()
    assert district.issuer == world.ryskulov_education
    assert district.recipients.count() == 20
    assert Recipient.objects.filter(root=ministry_letter).count() == 20 + 11 + 20


def test_deadline_cannot_be_before_the_letter_date(world):
    with pytest.raises(ValidationError) as error:
        services.issue_directive(author=member(world, "district"), recipients=world.schools[:1],
                                 required=[], **letter(deadline=D(2026, 3, 1)))
    assert "deadline" in error.value.message_dict


def test_outgoing_number_is_unique_per_organisation_and_year(world, district_letter):
    with pytest.raises(ValidationError) as error:
        services.issue_directive(author=member(world, "district"), recipients=world.schools[:1],
                                 required=[], **letter())
    assert "outgoing_number" in error.value.message_dict
    # The same number is free again next year, and for another organisation.
    services.issue_directive(author=member(world, "district"), recipients=world.schools[:1],
                             required=[], **letter(issued_on=D(2027, 1, 10), deadline=D(2027, 2, 1)))
    assert Directive.objects.filter(outgoing_number="01-1").count() == 2


def test_cannot_send_beyond_ones_own_subtree(world):
    other_district = Organisation.objects.filter(kind=OrganisationKind.DISTRICT_EDUCATION).exclude(
        pk=world.ryskulov_education.pk).first()
    with pytest.raises(ValidationError) as error:
        services.issue_directive(author=member(world, "district"), recipients=[other_district],
                                 required=[], **letter())
    assert "recipients" in error.value.message_dict
    assert not Directive.objects.filter(outgoing_number="01-1").exists()


def test_forward_needs_an_earlier_deadline_and_its_own_number(world, district_letter):
    school_rec = district_letter.recipients.get(organisation=world.school)
    head = member(world, "head")
    world.school.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.forward_directive(author=head, recipient=school_rec, recipients=[],
                                   **letter(outgoing_number="7", deadline=D(2026, 3, 25)))
    assert "deadline" in error.value.message_dict


def test_forward_keeps_the_cascade_root_and_required_answers(world):
    ministry_letter = Directive.objects.get(outgoing_number=MINISTRY_NUMBER)
    # Abai answered and is not yet accepted, so it can still forward.
    abai = ministry_letter.recipients.get(organisation__territory__code="100000000")
    head = services_region_head(abai.organisation)
    departments = Organisation.objects.filter(path__startswith=abai.organisation.path,
                                              kind=OrganisationKind.REGIONAL_EDUCATION)
    forward = services.forward_directive(
        author=head, recipient=abai, recipients=departments,
        **letter(outgoing_number="K-1", issued_on=D(2024, 5, 25), deadline=D(2024, 5, 26)))
    assert forward.root == ministry_letter and forward.parent == ministry_letter
    assert set(forward.required_responses.values_list("kind", flat=True)) == {
        ResponseKind.RESPONSIBLE_SPECIALIST, ResponseKind.PLANNED_MEASURES}


def services_region_head(akimat):
    return Membership.objects.filter(organisation=akimat, is_admin=True).first()


def test_sign_off_requires_every_required_answer(world, district_letter):
    rec = district_letter.recipients.get(organisation=world.school)
    head = member(world, "head")
    services.save_answer(author=head, recipient=rec, report_text="", specialists=[], measures=[])
    with pytest.raises(ValidationError):
        services.sign_off_answer(head=head, recipient=rec)
    services.save_answer(author=head, recipient=rec, report_text="Дайын", specialists=[], measures=[])
    services.sign_off_answer(head=head, recipient=rec)
    rec.refresh_from_db()
    assert rec.status == RecipientStatus.ANSWERED and rec.answered_at is not None


def test_only_an_administrator_signs_off(world, district_letter):
    rec = district_letter.recipients.get(organisation=world.school)
    mediator = member(world, "mediator")
    services.save_answer(author=mediator, recipient=rec, report_text="Дайын", specialists=[], measures=[])
    with pytest.raises(ValidationError):
        services.sign_off_answer(head=mediator, recipient=rec)


def test_no_answer_change_after_acceptance(world, district_letter):
    rec = district_letter.recipients.get(organisation=world.school)
    head = member(world, "head")
    services.save_answer(author=head, recipient=rec, report_text="Дайын", specialists=[], measures=[])
    services.sign_off_answer(head=head, recipient=rec)
    services.accept_answer(reviewer=member(world, "district"), recipient=rec)
    with pytest.raises(ValidationError):
        services.save_answer(author=head, recipient=rec, report_text="Өзгеріс", specialists=[], measures=[])
    assert Answer.objects.get(recipient=rec).report_text == "Дайын"


def test_returning_an_answer_needs_a_comment_and_reopens_it(world, district_letter):
    rec = district_letter.recipients.get(organisation=world.school)
    head, district = member(world, "head"), member(world, "district")
    services.save_answer(author=head, recipient=rec, report_text="Дайын", specialists=[], measures=[])
    services.sign_off_answer(head=head, recipient=rec)
    with pytest.raises(ValidationError) as error:
        services.return_answer(reviewer=district, recipient=rec, comment="  ")
    assert "comment" in error.value.message_dict
    services.return_answer(reviewer=district, recipient=rec, comment="Толықтырыңыз")
    rec.refresh_from_db()
    assert rec.status == RecipientStatus.RETURNED
    services.save_answer(author=head, recipient=rec, report_text="Толықтырылды", specialists=[], measures=[])


def test_only_the_issuer_reviews(world, district_letter):
    rec = district_letter.recipients.get(organisation=world.school)
    head = member(world, "head")
    services.save_answer(author=head, recipient=rec, report_text="Дайын", specialists=[], measures=[])
    services.sign_off_answer(head=head, recipient=rec)
    with pytest.raises(ValidationError):
        services.accept_answer(reviewer=member(world, "ministry"), recipient=rec)


def test_consolidate_compiles_a_draft_without_overwriting(world):
    region = member(world, "region", world.jambyl_akimat)
    district = member(world, "district")
    up = services.issue_directive(
        author=region, recipients=[world.ryskulov_education],
        required=[ResponseKind.PLANNED_MEASURES, ResponseKind.FREE_REPORT], **letter(outgoing_number="R-9"))
    district_rec = up.recipients.get()
    down = services.forward_directive(author=district, recipient=district_rec, recipients=world.schools[:2],
                                      **letter(outgoing_number="D-9", deadline=D(2026, 3, 15)))
    for school_rec in down.recipients.all():
        head = services_head(school_rec.organisation)
        services.save_answer(author=head, recipient=school_rec, report_text="Мектеп есебі",
                             specialists=[], measures=[{"title": "Тренинг", "due": "наурыз",
                                                        "responsible": "медиатор", "budget": 1000}])
        services.sign_off_answer(head=head, recipient=school_rec)
    services.save_answer(author=district, recipient=district_rec, report_text="Аудан өзі жазды",
                         specialists=[], measures=[{"title": "Қолмен", "due": "сәуір",
                                                    "responsible": "бөлім", "budget": None}])
    services.consolidate_answer(author=district, recipient=district_rec)
    answer = Answer.objects.get(recipient=district_rec)
    assert answer.status == Answer.Status.DRAFT  # a draft to edit, never sent by itself
    assert answer.report_text.startswith("Аудан өзі жазды")  # what was typed stays
    assert answer.measures.count() == 3
    assert set(answer.measures.exclude(source=None).values_list("source_organisation", flat=True)) == {
        s.pk for s in world.schools[:2]}
    services.consolidate_answer(author=district, recipient=district_rec)
    answer.refresh_from_db()
    assert answer.measures.count() == 3  # nothing copied twice
    assert answer.report_text.count("Мектеп есебі") == 2


def services_head(school):
    from tatulyq.accounts.models import Role

    return Membership.objects.filter(organisation=school, role=Role.SCHOOL_HEAD).first()


def test_named_specialist_goes_into_the_implementation_card(world):
    card_specialists = ResponsibleSpecialist.objects.filter(
        card__region__code="310000000", card__project__number=4, is_current=True)
    assert card_specialists.get().full_name.startswith("Садырқұлов")


def test_open_marks_received_once(world, district_letter):
    rec = district_letter.recipients.get(organisation=world.school)
    services.mark_opened(membership=member(world, "mediator"), recipient=rec)
    rec.refresh_from_db()
    assert rec.status == RecipientStatus.RECEIVED and rec.opened_at
    first = rec.opened_at
    services.mark_opened(membership=member(world, "mediator"), recipient=rec)
    rec.refresh_from_db()
    assert rec.opened_at == first


def test_resolution_assigns_people_of_the_organisation_only(world, district_letter):
    rec = district_letter.recipients.get(organisation=world.school)
    head, mediator = member(world, "head"), member(world, "mediator")
    services.assign_resolution(author=head, recipient=rec, executors=[mediator], responsible=mediator,
                               internal_deadline=D(2026, 3, 15))
    rec.refresh_from_db()
    assert rec.status == RecipientStatus.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.assign_resolution(author=head, recipient=rec, executors=[member(world, "mediator2")],
                                   responsible=member(world, "mediator2"),
                                   internal_deadline=D(2026, 3, 15))
    with pytest.raises(ValidationError):
        services.assign_resolution(author=head, recipient=rec, executors=[mediator], responsible=mediator,
                                   internal_deadline=D(2026, 4, 1))


def test_reported_measures_go_into_the_card_and_a_correction_replaces_them(world):
    from tatulyq.directives.models import ImplementationCard, PlannedMeasure

    ministry_letter = Directive.objects.get(outgoing_number=MINISTRY_NUMBER)
    abai = ministry_letter.recipients.get(organisation__territory__code="100000000")
    card = ImplementationCard.objects.get(region__code="100000000")
    assert PlannedMeasure.objects.filter(card=card).count() == 1  # from the demo answer
    services.return_answer(reviewer=member(world, "ministry"), recipient=abai, comment="Толықтыр")
    head = services_region_head(abai.organisation)
    services.save_answer(author=head, recipient=abai, report_text="", specialists=[
        {"project": card.project, "full_name": "Тоқтарова Ә.", "position": "маман", "phone": "1",
         "email": ""}], measures=[
        {"title": "Бірінші", "due": "2025", "responsible": "басқарма", "budget": 10},
        {"title": "Екінші", "due": "2026", "responsible": "басқарма", "budget": None}])
    services.sign_off_answer(head=head, recipient=abai)
    titles = set(PlannedMeasure.objects.filter(card=card).values_list("title", flat=True))
    assert titles == {"Бірінші", "Екінші"}
