import datetime

import pytest
from django.core.exceptions import ValidationError

from tatulyq.audit.models import AuditEntry
from tatulyq.cases import services
from tatulyq.cases.models import (
    Case,
    CaseStatus,
    Mediator,
    MeetingKind,
    Outcome,
    ParticipantRole,
    ReferralStatus,
    ReferralTarget,
    Training,
)
from tatulyq.lib.identifiers import make_valid

from .conftest import child

D = datetime.date
PASSES = {
    "sexual_violence": False,
    "serious_crime": False,
    "domestic_violence": False,
    "acute_danger": False,
    "power_imbalance": False,
    "parties_willing": True,
}


def open_bullying_case(people, **overrides):
    fields = dict(
        author=people["mediator"],
        referred_by="class_teacher",
        referred_on=D(2026, 2, 2),
        happened_on=D(2026, 2, 1),
        place="corridor",
        harm_kinds=["bullying", "verbal"],
        description="Сыныптасын мазақ етті.",
        children=[child(), child(role="harmed", name="Дәулет Серікұлы", birth=D(2012, 8, 1))],
        adults=[
            {"role": ParticipantRole.PARENT, "full_name": "Бек Асанов", "represents": 0},
            {"role": ParticipantRole.LEGAL_REPRESENTATIVE, "full_name": "Серік Әлиев", "represents": 1},
        ],
    )
    fields.update(overrides)
    return services.open_case(**fields)


def mediable(people, service):
    case = open_bullying_case(people)
    trained = [m for m in service.mediators.all() if m.is_trained_on()]
    services.assign_mediators(author=people["head"], case=case, mediators=trained)
    services.screen_case(author=people["mediator"], case=case, **PASSES)
    return case


def consent_all(people, case):
    for participant in case.participants.filter(child__isnull=False):
        services.record_consent(
            author=people["mediator"],
            participant=participant,
            given_by=participant,
            given_on=D(2026, 2, 5),
            form="written",
        )
        representative = participant.representatives.first()
        services.record_consent(
            author=people["mediator"],
            participant=participant,
            given_by=representative,
            given_on=D(2026, 2, 5),
            form="written",
        )


def test_intake_numbers_cases_per_school_and_year(world, people, service):
    first = open_bullying_case(people)
    second = open_bullying_case(people)
    year, serial = first.number.split("-")
    assert year == "2026" and second.number == f"2026-{int(serial) + 1:03d}"
    assert first.participants.count() == 4
    # The same child twice is one Child record: that is how repeat involvement is seen.
    askar = first.participants.get(role="caused").child
    assert second.participants.get(role="caused").child == askar


def test_invalid_iin_is_refused_next_to_its_field(world, people):
    before = Case.objects.count()
    bad = make_valid("12031550012")[:11] + "0"
    if bad == make_valid("12031550012"):
        bad = bad[:11] + "1"
    with pytest.raises(ValidationError) as error:
        open_bullying_case(people, children=[child(iin=bad, birth=None)])
    assert "children-0-iin" in error.value.message_dict
    assert Case.objects.count() == before  # nothing half-saved


def test_birth_date_in_the_future_or_age_outside_6_to_18_is_refused(world, people):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as error:
        open_bullying_case(people, children=[child(birth=D(2030, 1, 1))])
    assert "children-0-birth_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        open_bullying_case(people, children=[child(birth=D(2022, 1, 1))])  # four years old
    with pytest.raises(ValidationError):
        open_bullying_case(people, children=[child(birth=D(2005, 1, 1))])  # twenty-one
    assert Case.objects.count() == before


def test_iin_must_agree_with_the_date_of_birth(world, people):
    iin = make_valid("12031550012")  # 15.03.2012
    with pytest.raises(ValidationError):
        open_bullying_case(people, children=[child(iin=iin, birth=D(2012, 3, 16))])
    case = open_bullying_case(people, children=[child(iin=iin, birth=None)], adults=[])
    assert case.participants.get().child.birth_date == D(2012, 3, 15)


def test_untrained_mediator_cannot_be_assigned(world, people, service):
    case = open_bullying_case(people)
    untrained = Mediator.objects.create(
        service=service, kind=Mediator.Kind.PEER, full_name="Айгерім", grade=9
    )
    with pytest.raises(ValidationError) as error:
        services.assign_mediators(author=people["head"], case=case, mediators=[untrained])
    assert "mediators" in error.value.message_dict
    Training.objects.create(
        mediator=untrained, course="Құрдас медиатор", completed_on=D(2024, 1, 1), expires_on=D(2025, 1, 1)
    )  # expired
    with pytest.raises(ValidationError):
        services.assign_mediators(author=people["head"], case=case, mediators=[untrained])


def test_sexual_violence_is_never_mediated_and_must_be_referred(world, people, service):
    case = open_bullying_case(people, harm_kinds=["sexual_violence"])
    services.screen_case(author=people["mediator"], case=case, **PASSES)
    case.refresh_from_db()
    assert not services.is_mediable(case) and services.needs_referral(case)
    with pytest.raises(ValidationError):
        services.record_meeting(
            author=people["mediator"],
            case=case,
            kind=MeetingKind.PREPARATORY,
            held_on=D(2026, 2, 3),
            participants=list(case.participants.all()),
        )
    services.refer_case(
        author=people["mediator"],
        case=case,
        target=ReferralTarget.JUVENILE_POLICE,
        referred_on=D(2026, 2, 3),
        organisation_name="Құлан ПБ кәмелетке толмағандар ісі",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED and not services.needs_referral(case)


@pytest.mark.parametrize("flag", ["domestic_violence", "acute_danger", "power_imbalance"])
def test_a_red_flag_in_screening_makes_the_case_not_mediable(world, people, service, flag):
    case = open_bullying_case(people)
    services.screen_case(author=people["mediator"], case=case, **{**PASSES, flag: True})
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE and services.needs_referral(case)


def test_joint_session_requires_every_consent(world, people, service):
    case = mediable(people, service)
    children = list(case.participants.filter(child__isnull=False))
    with pytest.raises(ValidationError):
        services.record_meeting(
            author=people["mediator"],
            case=case,
            kind=MeetingKind.JOINT,
            held_on=D(2026, 2, 6),
            participants=children,
        )
    # The child's own consent alone is not enough: a legal representative's is needed too.
    for participant in children:
        services.record_consent(
            author=people["mediator"],
            participant=participant,
            given_by=participant,
            given_on=D(2026, 2, 5),
            form="oral",
        )
    with pytest.raises(ValidationError):
        services.record_meeting(
            author=people["mediator"],
            case=case,
            kind=MeetingKind.CIRCLE,
            held_on=D(2026, 2, 6),
            participants=children,
        )
    consent_all(people, case)
    services.record_meeting(
        author=people["mediator"],
        case=case,
        kind=MeetingKind.JOINT,
        held_on=D(2026, 2, 6),
        participants=children,
    )


def test_consent_is_given_by_the_child_or_their_own_representative(world, people, service):
    case = mediable(people, service)
    caused, harmed = case.participants.filter(child__isnull=False).order_by("id")
    other_parent = harmed.representatives.get()
    with pytest.raises(ValidationError):
        services.record_consent(
            author=people["mediator"],
            participant=caused,
            given_by=other_parent,
            given_on=D(2026, 2, 5),
            form="written",
        )


def test_withdrawing_consent_stops_the_process(world, people, service):
    case = mediable(people, service)
    consent_all(people, case)
    consent = case.participants.filter(child__isnull=False).first().consents.first()
    services.withdraw_consent(author=people["mediator"], consent=consent, withdrawn_on=D(2026, 2, 7))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED and case.outcome == Outcome.CONSENT_WITHDRAWN
    with pytest.raises(ValidationError):
        services.record_meeting(
            author=people["mediator"],
            case=case,
            kind=MeetingKind.PREPARATORY,
            held_on=D(2026, 2, 8),
            participants=list(case.participants.all()),
        )


def test_agreement_needs_a_joint_session_and_an_obligation(world, people, service):
    case = mediable(people, service)
    with pytest.raises(ValidationError):
        services.record_agreement(
            author=people["mediator"], case=case, reached_on=D(2026, 2, 6), obligations=[]
        )
    consent_all(people, case)
    children = list(case.participants.filter(child__isnull=False))
    services.record_meeting(
        author=people["mediator"],
        case=case,
        kind=MeetingKind.JOINT,
        held_on=D(2026, 2, 6),
        participants=children,
    )
    with pytest.raises(ValidationError) as error:
        services.record_agreement(
            author=people["mediator"], case=case, reached_on=D(2026, 2, 6), obligations=[]
        )
    assert "obligations" in error.value.message_dict
    services.record_agreement(
        author=people["mediator"],
        case=case,
        reached_on=D(2026, 2, 6),
        obligations=[
            {"kind": "apology", "who": children[0], "what": "Кешірім сұрау", "due_on": D(2026, 2, 10)}
        ],
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREEMENT


def agreed_case(people, service):
    case = mediable(people, service)
    consent_all(people, case)
    children = list(case.participants.filter(child__isnull=False))
    services.record_meeting(
        author=people["mediator"],
        case=case,
        kind=MeetingKind.JOINT,
        held_on=D(2026, 2, 6),
        participants=children,
    )
    services.record_agreement(
        author=people["mediator"],
        case=case,
        reached_on=D(2026, 2, 6),
        obligations=[
            {"kind": "apology", "who": children[0], "what": "Кешірім сұрау", "due_on": D(2026, 2, 10)},
            {"kind": "service", "who": children[0], "what": "Кітапханаға көмек", "due_on": D(2026, 3, 1)},
        ],
    )
    return case


def test_closing_with_open_obligations_needs_a_reason(world, people, service):
    case = agreed_case(people, service)
    with pytest.raises(ValidationError) as error:
        services.request_closure(author=people["mediator"], case=case, outcome=Outcome.AGREEMENT_BROKEN)
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.request_closure(
            author=people["mediator"], case=case, outcome=Outcome.RESOLVED, reason="бәрі жақсы"
        )
    services.request_closure(
        author=people["mediator"],
        case=case,
        outcome=Outcome.AGREEMENT_BROKEN,
        reason="Екінші міндеттеме орындалмады",
    )


def test_only_the_coordinator_approves_closure_and_a_return_needs_a_comment(world, people, service):
    case = agreed_case(people, service)
    for obligation in case.agreement.obligations.all():
        services.record_follow_up(
            author=people["mediator"], obligation=obligation, checked_on=D(2026, 3, 2), result="fulfilled"
        )
    services.request_closure(author=people["mediator"], case=case, outcome=Outcome.RESOLVED)
    with pytest.raises(ValidationError):
        services.decide_closure(coordinator=people["head"], case=case, approve=True)
    with pytest.raises(ValidationError):
        services.decide_closure(coordinator=people["psychologist"], case=case, approve=False)
    services.decide_closure(
        coordinator=people["psychologist"], case=case, approve=True, closed_on=D(2026, 3, 3)
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.duration_days == 29


def test_rehabilitation_plan_is_for_a_child_who_caused_harm_and_approved_by_the_coordinator(
    world, people, service
):
    case = agreed_case(people, service)
    caused, harmed = case.participants.filter(child__isnull=False).order_by("id")
    with pytest.raises(ValidationError):
        services.save_plan(
            author=people["mediator"],
            case=case,
            participant=harmed,
            goals="x",
            activities="y",
            responsible=people["psychologist"],
            next_review_on=D(2026, 4, 1),
        )
    plan = services.save_plan(
        author=people["mediator"],
        case=case,
        participant=caused,
        goals="Ашуды басқару",
        activities="Психологпен 6 кездесу; спорт секциясы",
        responsible=people["psychologist"],
        next_review_on=D(2026, 4, 1),
    )
    with pytest.raises(ValidationError):
        services.decide_plan(coordinator=people["psychologist"], plan=plan, approve=False, comment="")
    services.decide_plan(coordinator=people["psychologist"], plan=plan, approve=True)
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_referral_is_answered_by_its_receiver_and_a_decline_needs_a_reason(world, people, service):
    case = open_bullying_case(people, harm_kinds=["domestic_violence"])
    referral = services.refer_case(
        author=people["mediator"],
        case=case,
        target=ReferralTarget.VICTIM_SUPPORT_CENTRE,
        referred_on=D(2026, 2, 3),
        organisation=world.ngos[0],
    )
    with pytest.raises(ValidationError):  # the school cannot answer for a receiver in Tatulyq
        services.update_referral(author=people["mediator"], referral=referral, status=ReferralStatus.ACCEPTED)
    from tatulyq.accounts.models import Membership

    ngo = Membership.objects.get(user=world.users.ngo)
    with pytest.raises(ValidationError):
        services.update_referral(author=ngo, referral=referral, status=ReferralStatus.DECLINED)
    services.update_referral(author=ngo, referral=referral, status=ReferralStatus.ACCEPTED)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_audit_entries_of_a_case_hold_no_personal_data(world, people, service):
    case = agreed_case(people, service)
    services.record_case_view(membership=people["mediator"], case=case)
    text = " ".join(
        f"{e.summary} {e.details}" for e in AuditEntry.objects.filter(target_type__startswith="cases.")
    )
    for secret in ("Асқар", "Дәулет", "мазақ", "Бек Асанов", "Кешірім"):
        assert secret not in text
    assert AuditEntry.objects.filter(action="view_child_record", target_id=str(case.pk)).exists()


def test_demo_has_cases_in_every_status_and_outcome(world):
    from django.core.management import call_command

    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in CaseStatus}
    outcomes = set(Case.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes >= {"resolved", "broken", "refused", "withdrawn", "not_mediable"}
    assert Case.objects.filter(referrals__isnull=False).distinct().count() >= 5
    before = Case.objects.count()
    call_command("load_demo")
    assert Case.objects.count() == before  # idempotent
