import datetime

import pytest
from django.core.management import CommandError, call_command

from tatulyq.cases import services
from tatulyq.cases.models import (
    Case,
    Child,
    FollowUp,
    Meeting,
    Obligation,
    Outcome,
    Participant,
    ProgressNote,
    Referral,
    RehabilitationPlan,
)
from tatulyq.cases.retention import anonymise_closed_cases, parse_period

from .test_services import agreed_case

D = datetime.date
PERSONAL = (
    "Асқар",
    "Дәулет",
    "мазақ",
    "Бек Асанов",
    "Серік Әлиев",
    "Кешірім",
    "Кітапхана",
    "Ашуды",
    "Психолог",
    "журналға",
)


def closed_case(people, service):
    case = agreed_case(people, service)
    obligation = case.agreement.obligations.first()
    services.record_follow_up(
        author=people["mediator"],
        obligation=obligation,
        checked_on=D(2026, 2, 11),
        result="not",
        note="журналға жазылды",
    )
    caused = case.participants.filter(role="caused").get()
    services.save_plan(
        author=people["mediator"],
        case=case,
        participant=caused,
        goals="Ашуды басқару",
        activities="Психологпен кездесу",
        responsible=people["psychologist"],
        next_review_on=D(2026, 4, 1),
    )
    services.request_closure(
        author=people["mediator"],
        case=case,
        outcome=Outcome.AGREEMENT_BROKEN,
        reason="Асқар кешірім сұрамады",
    )
    services.decide_closure(
        coordinator=people["psychologist"], case=case, approve=True, closed_on=D(2026, 3, 1)
    )
    return case


def every_text(case):
    rows = [
        Case.objects.filter(pk=case.pk).values_list("description", "closure_reason", "supervisor_comment"),
        Participant.objects.filter(case=case).values_list("full_name", "phone"),
        Child.objects.filter(participations__case=case).values_list("full_name", "iin"),
        Meeting.objects.filter(case=case).values_list("outcome"),
        Obligation.objects.filter(agreement__case=case).values_list("what"),
        FollowUp.objects.filter(obligation__agreement__case=case).values_list("note"),
        Referral.objects.filter(case=case).values_list("summary"),
        RehabilitationPlan.objects.filter(case=case).values_list("goals", "activities"),
        ProgressNote.objects.filter(plan__case=case).values_list("text"),
    ]
    return " ".join(str(value) for qs in rows for row in qs for value in row)


def test_no_personal_field_survives_anonymisation(world, people, service):
    case = closed_case(people, service)
    assert any(word in every_text(case) for word in PERSONAL)
    assert anonymise_closed_cases(older_than=parse_period("3y"), today=D(2029, 3, 2)) >= 1
    text = every_text(case)
    assert not any(word in text for word in PERSONAL), text
    assert not Child.objects.filter(participations__case=case, birth_date__isnull=False).exists()
    # The anonymous facts stay for statistics.
    case.refresh_from_db()
    assert case.outcome == Outcome.AGREEMENT_BROKEN and case.harm_kinds == ["bullying", "verbal"]
    assert set(Child.objects.filter(participations__case=case).values_list("birth_year", flat=True)) == {2012}


def test_recent_or_open_cases_are_kept(world, people, service):
    case = closed_case(people, service)
    anonymise_closed_cases(older_than=parse_period("3y"), today=D(2029, 2, 27))
    assert "Асқар" in every_text(case)  # closed on 1.03.2026: not yet three years ago


def test_a_child_with_a_newer_case_keeps_their_identity(world, people, service):
    closed_case(people, service)
    iin_less_newer = services.open_case(
        author=people["mediator"],
        referred_by="teacher",
        referred_on=D(2026, 5, 2),
        place="yard",
        harm_kinds=["verbal"],
        children=[
            {
                "role": "caused",
                "full_name": "Асқар Бекұлы",
                "birth_date": D(2012, 3, 15),
                "sex": "m",
                "grade": 7,
                "iin": "",
            }
        ],
    )
    anonymise_closed_cases(older_than=parse_period("3y"), today=D(2029, 3, 2))
    child = iin_less_newer.participants.get().child
    child.refresh_from_db()
    assert child.full_name == "Асқар Бекұлы"


def test_command_takes_the_period_and_refuses_nonsense(world, people, service):
    call_command("anonymise_closed_cases", "--older-than", "18m")
    with pytest.raises(CommandError):
        call_command("anonymise_closed_cases", "--older-than", "soon")
