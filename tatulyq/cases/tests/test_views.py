"""The mediation pages as a mediator uses them, by plain form posts (no JavaScript)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tatulyq.audit.models import AuditAction, AuditEntry
from tatulyq.cases.models import Case, CaseStatus, Consent, Obligation, Outcome, Referral, ReferralStatus
from tatulyq.lib.identifiers import make_valid

TODAY = timezone.localdate


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def intake_post(**overrides):
    today = TODAY()
    data = {
        "referred_by": "class_teacher",
        "referred_on": _iso(today),
        "happened_on": _iso(today - datetime.timedelta(days=1)),
        "place": "corridor",
        "harm_kinds": ["bullying"],
        "description": "Сыныптасын мазақ етті.",
        "children-TOTAL_FORMS": "3",
        "children-INITIAL_FORMS": "0",
        "children-0-role": "caused",
        "children-0-full_name": "Ерлан Сапаров",
        "children-0-sex": "m",
        "children-0-birth_date": "2012-05-04",
        "children-0-grade": "8",
        "children-1-role": "harmed",
        "children-1-full_name": "Айгүл Нұрланова",
        "children-1-sex": "f",
        "children-1-birth_date": "2012-09-14",
        "children-1-grade": "8",
        "adults-TOTAL_FORMS": "3",
        "adults-INITIAL_FORMS": "0",
        "adults-0-role": "parent",
        "adults-0-full_name": "Гүлмира Сапарова",
        "adults-0-represents": "0",
        "adults-1-role": "representative",
        "adults-1-full_name": "Нұрлан Әбенов",
        "adults-1-represents": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def mediator_client(world, login_as):
    return login_as(world.users.mediator)


def test_work_page_lists_my_cases_with_counts_and_due_lists(world, mediator_client):
    response = mediator_client.get(reverse("cases:work"))
    assert response.status_code == 200
    body = response.content.decode()
    mine = Case.objects.filter(mediators__membership__user=world.users.mediator).first()
    assert reverse("cases:detail", args=[mine.pk]) in body
    for section in ("due-heading", "consents-heading", "cases-heading"):
        assert section in body


def test_search_by_childs_name_stays_within_the_school(world, mediator_client):
    from tatulyq.cases.models import Participant

    mine = (
        Participant.objects.filter(case__school=world.school, child__isnull=False)
        .select_related("child")
        .first()
    )
    theirs = (
        Participant.objects.filter(case__school=world.other_school, child__isnull=False)
        .select_related("child")
        .first()
    )
    response = mediator_client.get(reverse("cases:work"), {"q": mine.child.full_name.split()[0]})
    body = response.content.decode()
    assert mine.child.full_name in body
    if theirs and theirs.child.full_name.split()[0] != mine.child.full_name.split()[0]:
        assert theirs.child.full_name not in body


def test_intake_opens_a_case_and_shows_it(world, mediator_client):
    response = mediator_client.post(reverse("cases:new"), intake_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert case.participants.count() == 4
    representative = case.participants.get(full_name="Нұрлан Әбенов")
    assert representative.represents.child.full_name == "Айгүл Нұрланова"
    page = mediator_client.get(response["Location"])
    assert page.status_code == 200
    assert "Ерлан Сапаров" in page.content.decode()


def test_opening_a_case_page_is_audited(world, mediator_client):
    case = Case.objects.filter(school=world.school, mediators__membership__user=world.users.mediator).first()
    before = AuditEntry.objects.filter(action=AuditAction.VIEW_CHILD_RECORD, target_id=str(case.pk)).count()
    mediator_client.get(reverse("cases:detail", args=[case.pk]))
    after = AuditEntry.objects.filter(action=AuditAction.VIEW_CHILD_RECORD, target_id=str(case.pk)).count()
    assert after == before + 1


def test_intake_errors_show_next_to_the_field_and_save_nothing(world, mediator_client):
    count = Case.objects.count()
    bad_iin = "120504500001"  # wrong control digit
    response = mediator_client.post(
        reverse("cases:new"),
        intake_post(
            **{"children-0-iin": bad_iin, "children-1-birth_date": _iso(TODAY() + datetime.timedelta(days=3))}
        ),
    )
    assert response.status_code == 200
    children = response.context["children"]
    assert children.forms[0].errors["iin"]
    assert children.forms[1].errors["birth_date"]
    assert Case.objects.count() == count


def test_a_child_outside_six_to_eighteen_is_refused_next_to_the_field(world, mediator_client):
    count = Case.objects.count()
    response = mediator_client.post(
        reverse("cases:new"), intake_post(**{"children-0-birth_date": "2004-01-01"})
    )
    assert response.status_code == 200
    assert response.context["children"].forms[0].errors["birth_date"]
    assert Case.objects.count() == count


def test_a_valid_iin_must_agree_with_the_date_of_birth(world, mediator_client):
    iin = make_valid("1205045" + "0001") or make_valid("1205045" + "0002")
    response = mediator_client.post(
        reverse("cases:new"), intake_post(**{"children-0-iin": iin, "children-0-birth_date": "2012-05-05"})
    )
    assert response.status_code == 200
    assert response.context["children"].forms[0].errors["iin"]


def _open(client):
    response = client.post(reverse("cases:new"), intake_post())
    return Case.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _screen(client, case, **flags):
    data = {"parties_willing": "on", **flags}
    return client.post(reverse("cases:screen", args=[case.pk]), data)


def test_full_journey_by_plain_forms(world, mediator_client, login_as):
    client = mediator_client
    case = _open(client)
    mediator = world.school.mediation_service.mediators.get(membership__user=world.users.mediator)
    assert (
        client.post(reverse("cases:assign", args=[case.pk]), {"mediators": [mediator.pk]}).status_code == 302
    )
    assert _screen(client, case).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENED
    children = list(case.participants.filter(child__isnull=False).order_by("id"))
    today = _iso(TODAY())
    # A joint session without consents is refused with a clear message.
    response = client.post(
        reverse("cases:meeting", args=[case.pk]),
        {"kind": "joint", "held_on": today, "participants": [p.pk for p in children]},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    for child in children:
        for given_by in (child, child.representatives.first()):
            r = client.post(
                reverse("cases:consent", args=[case.pk]),
                {"participant": child.pk, "given_by": given_by.pk, "given_on": today, "form": "written"},
            )
            assert r.status_code == 302
    r = client.post(
        reverse("cases:meeting", args=[case.pk]),
        {"kind": "preparatory", "held_on": today, "participants": [children[0].pk], "outcome": "ok"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("cases:meeting", args=[case.pk]),
        {"kind": "circle", "held_on": today, "participants": [p.pk for p in children], "outcome": "келісті"},
    )
    assert r.status_code == 302
    # An agreement with no obligation is refused.
    empty = {"reached_on": today, "obligations-TOTAL_FORMS": "3", "obligations-INITIAL_FORMS": "0"}
    r = client.post(reverse("cases:agreement", args=[case.pk]), empty)
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    due = _iso(TODAY() + datetime.timedelta(days=5))
    r = client.post(
        reverse("cases:agreement", args=[case.pk]),
        {
            **empty,
            "obligations-0-kind": "apology",
            "obligations-0-who": children[0].pk,
            "obligations-0-what": "Кешірім сұрау",
            "obligations-0-due_on": due,
        },
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREEMENT
    obligation = Obligation.objects.get(agreement__case=case)
    # Closing with an open obligation and no reason is refused next to the field.
    r = client.post(reverse("cases:close", args=[case.pk]), {"outcome": "broken"})
    assert r.status_code == 200 and r.context["form"].errors["reason"]
    r = client.post(
        reverse("cases:follow_up", args=[obligation.pk]), {"checked_on": today, "result": "fulfilled"}
    )
    assert r.status_code == 302
    r = client.post(reverse("cases:close", args=[case.pk]), {"outcome": "resolved"})
    assert r.status_code == 302
    # Only the coordinator approves.
    assert (
        client.post(reverse("cases:decide_closure", args=[case.pk]), {"decision": "approve"}).status_code
        == 403
    )
    coordinator = login_as(world.users.psychologist)
    r = coordinator.post(
        reverse("cases:decide_closure", args=[case.pk]), {"decision": "approve", "closed_on": today}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.RESOLVED
    assert case.duration_days == 0


def test_a_non_mediable_case_is_routed_to_referral(world, mediator_client):
    client = mediator_client
    case = _open(client)
    _screen(client, case, power_imbalance="on")
    case.refresh_from_db()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:refer", args=[case.pk]) in page
    assert reverse("cases:meeting", args=[case.pk]) not in page
    r = client.post(
        reverse("cases:meeting", args=[case.pk]),
        {"kind": "preparatory", "held_on": _iso(TODAY()), "participants": [case.participants.first().pk]},
    )
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    ngo = world.ngos[0]
    r = client.post(
        reverse("cases:refer", args=[case.pk]),
        {
            "target": "victim_support_centre",
            "organisation": ngo.pk,
            "referred_on": _iso(TODAY()),
            "summary": "Балаға психологиялық көмек керек.",
        },
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED


def test_the_receiving_organisation_answers_the_referral_and_the_school_sees_it(world, login_as):
    referral = Referral.objects.filter(organisation=world.ngos[0]).first()
    client = login_as(world.users.ngo)
    listing = client.get(reverse("cases:received")).content.decode()
    assert reverse("cases:received_detail", args=[referral.pk]) in listing
    page = client.get(reverse("cases:received_detail", args=[referral.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    # Only what the receiver needs: not the children's names.
    for participant in referral.case.participants.filter(child__isnull=False).select_related("child"):
        assert participant.child.full_name not in body
    r = client.post(reverse("cases:received_detail", args=[referral.pk]), {"status": "declined"})
    assert r.status_code == 200 and r.context["form"].errors["reason"]
    r = client.post(
        reverse("cases:received_detail", args=[referral.pk]),
        {"status": "declined", "reason": "Біздің бейін емес"},
    )
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


def test_another_organisation_gets_404_on_a_referral_it_did_not_receive(world, login_as):
    referral = Referral.objects.filter(organisation=world.ngos[0]).first()
    client = login_as(world.users.district)
    assert client.get(reverse("cases:received_detail", args=[referral.pk])).status_code == 404


def test_withdrawing_a_consent_stops_the_process(world, mediator_client):
    consent = (
        Consent.objects.filter(
            participant__case__school=world.school,
            participant__case__status=CaseStatus.AGREEMENT,
            participant__case__mediators__membership__user=world.users.mediator,
            withdrawn_on__isnull=True,
        )
        .select_related("participant__case")
        .first()
    )
    r = mediator_client.post(reverse("cases:withdraw", args=[consent.pk]), {"withdrawn_on": _iso(TODAY())})
    assert r.status_code == 302
    case = Case.objects.get(pk=consent.participant.case_id)
    assert case.status == CaseStatus.CLOSURE_REQUESTED and case.outcome == Outcome.CONSENT_WITHDRAWN


@pytest.mark.parametrize("document", ["consent", "agreement", "closure"])
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_case_forms_print_as_pdf(world, mediator_client, document, language):
    case = Case.objects.filter(
        school=world.school,
        status=CaseStatus.CLOSED,
        outcome=Outcome.RESOLVED,
        mediators__membership__user=world.users.mediator,
    ).first()
    response = mediator_client.get(reverse("cases:print", args=[case.pk, document, language]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, target_id=str(case.pk)).exists()


def test_referral_note_prints(world, mediator_client):
    referral = Referral.objects.filter(
        case__school=world.school, case__mediators__membership__user=world.users.mediator
    ).first()
    response = mediator_client.get(reverse("cases:print_referral", args=[referral.pk, "ru"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_early_warning_page_flags_the_demo_child(world, login_as):
    client = login_as(world.users.psychologist)
    response = client.get(reverse("cases:early_warning"))
    assert response.status_code == 200
    assert response.context["warnings"], "the demo has one child in two cases within 90 days"
    kinds = {r["kind"] for w in response.context["warnings"] for r in w["reasons"]}
    assert "repeat" in kinds and "broken" in kinds


def test_a_mediator_does_not_see_the_early_warning_page(world, mediator_client):
    assert mediator_client.get(reverse("cases:early_warning")).status_code == 403


def test_service_page_and_an_untrained_mediator_cannot_be_assigned(world, login_as, mediator_client):
    head = login_as(world.users.head)
    r = head.post(
        reverse("cases:service"),
        {"form": "mediator", "kind": "peer", "full_name": "Алия Серік", "grade": "9"},
    )
    assert r.status_code == 302
    peer = world.school.mediation_service.mediators.get(full_name="Алия Серік")
    case = _open(mediator_client)
    r = mediator_client.post(reverse("cases:assign", args=[case.pk]), {"mediators": [peer.pk]})
    assert r.status_code == 200 and r.context["form"].errors["mediators"]
    assert not case.mediators.exists()


def test_case_page_query_count_is_constant(world, mediator_client, django_assert_max_num_queries):
    """More participants, meetings, consents and follow-ups cost no extra query."""
    from tatulyq.accounts.models import Membership
    from tatulyq.cases.models import FollowUp, Meeting, Participant, ProgressNote

    case = Case.objects.filter(
        school=world.school,
        status=CaseStatus.CLOSED,
        outcome=Outcome.AGREEMENT_BROKEN,
        mediators__membership__user=world.users.mediator,
    ).first()
    url = reverse("cases:detail", args=[case.pk])
    with django_assert_max_num_queries(40) as before:
        mediator_client.get(url)
    author = Membership.objects.get(user=world.users.mediator)
    first_child = case.participants.filter(child__isnull=False).first()
    for n in range(5):
        adult = Participant.objects.create(case=case, role="teacher", full_name=f"Мұғалім {n}")
        meeting = Meeting.objects.create(
            case=case, kind="preparatory", held_on=case.referred_on, recorded_by=author
        )
        meeting.participants.set([adult, first_child])
        for obligation in case.agreement.obligations.all():
            FollowUp.objects.create(
                obligation=obligation, checked_on=case.referred_on, result="partly", recorded_by=author
            )
        for plan in case.plans.all():
            ProgressNote.objects.create(plan=plan, written_on=case.referred_on, text="...", author=author)
    with django_assert_max_num_queries(40) as after:
        mediator_client.get(url)
    assert len(after) == len(before)


def test_case_list_query_count_is_constant(world, login_as, django_assert_max_num_queries):
    client = login_as(world.users.head)
    with django_assert_max_num_queries(30) as all_cases:
        client.get(reverse("cases:work"))
    with django_assert_max_num_queries(30) as few_cases:
        client.get(reverse("cases:work"), {"status": "intake"})
    assert len(all_cases) == len(few_cases)


def test_rehabilitation_plan_is_approved_or_sent_back_by_the_coordinator(world, mediator_client, login_as):
    from tatulyq.accounts.models import Membership
    from tatulyq.cases.models import PlanStatus, RehabilitationPlan

    case = Case.objects.filter(
        school=world.school, status=CaseStatus.AGREEMENT, mediators__membership__user=world.users.mediator
    ).first()
    caused = case.participants.get(role="caused")
    responsible = Membership.objects.get(user=world.users.psychologist)
    data = {
        "participant": caused.pk,
        "goals": "Ашуды басқару",
        "activities": "Психологпен 6 кездесу",
        "responsible": responsible.pk,
        "next_review_on": _iso(TODAY() + datetime.timedelta(days=30)),
    }
    harmed = case.participants.get(role="harmed")
    r = mediator_client.post(reverse("cases:plan", args=[case.pk]), {**data, "participant": harmed.pk})
    assert (
        r.status_code == 200 and r.context["form"].errors["participant"]
    )  # only for a child who caused harm
    assert mediator_client.post(reverse("cases:plan", args=[case.pk]), data).status_code == 302
    plan = RehabilitationPlan.objects.get(case=case, participant=caused)
    assert plan.status == PlanStatus.SUBMITTED
    assert (
        mediator_client.post(
            reverse("cases:decide_plan", args=[plan.pk]), {"decision": "approve"}
        ).status_code
        == 403
    )
    coordinator = login_as(world.users.psychologist)
    r = coordinator.post(reverse("cases:decide_plan", args=[plan.pk]), {"decision": "return"})
    assert r.status_code == 200 and r.context["form"].errors["comment"]
    r = coordinator.post(
        reverse("cases:decide_plan", args=[plan.pk]), {"decision": "return", "comment": "Спорт қосыңыз"}
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.supervisor_comment == "Спорт қосыңыз"
    mediator = login_as(world.users.mediator)
    mediator.post(
        reverse("cases:plan_edit", args=[case.pk, plan.pk]), {**data, "activities": "Психолог; футбол"}
    )
    coordinator = login_as(world.users.psychologist)
    coordinator.post(reverse("cases:decide_plan", args=[plan.pk]), {"decision": "approve"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.activities == "Психолог; футбол"
    r = coordinator.post(
        reverse("cases:progress_note", args=[plan.pk]), {"written_on": _iso(TODAY()), "text": "Жақсарды"}
    )
    assert r.status_code == 302 and plan.notes.count() == 1


def test_the_coordinator_sends_a_closure_back_with_a_comment(world, login_as):
    case = Case.objects.filter(school=world.school, status=CaseStatus.CLOSURE_REQUESTED).first()
    coordinator = login_as(world.users.psychologist)
    r = coordinator.post(reverse("cases:decide_closure", args=[case.pk]), {"decision": "return"})
    assert r.status_code == 200 and r.context["form"].errors["comment"]
    r = coordinator.post(
        reverse("cases:decide_closure", args=[case.pk]),
        {"decision": "return", "comment": "Тағы бір тексеру керек"},
    )
    case.refresh_from_db()
    assert r.status_code == 302 and case.status == CaseStatus.AGREEMENT and case.outcome == ""


def test_the_school_records_the_answer_of_a_receiver_outside_tatulyq(world, login_as):
    referral = Referral.objects.filter(case__school=world.school, organisation__isnull=True).first()
    client = login_as(world.users.head)
    r = client.post(reverse("cases:referral_answer", args=[referral.pk]), {"status": "completed"})
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    # A referral to an organisation in Tatulyq is answered by that organisation only.
    inside = Referral.objects.filter(case__school=world.school, organisation__isnull=False).first()
    assert client.get(reverse("cases:referral_answer", args=[inside.pk])).status_code == 404


def test_pages_answer_in_russian(world, login_as):
    from django.utils import translation

    client = login_as(world.users.psychologist)
    case = Case.objects.filter(school=world.school).first()
    with translation.override("ru"):
        urls = [
            reverse("cases:work"),
            reverse("cases:detail", args=[case.pk]),
            reverse("cases:early_warning"),
            reverse("cases:service"),
            reverse("cases:new"),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="ru">' in response.content.decode()
    assert "Раннее предупреждение" in client.get(urls[2]).content.decode()


def test_a_case_cannot_close_before_it_was_referred(world, login_as):
    case = Case.objects.filter(school=world.school, status=CaseStatus.CLOSURE_REQUESTED).first()
    coordinator = login_as(world.users.psychologist)
    before = _iso(case.referred_on - datetime.timedelta(days=1))
    r = coordinator.post(
        reverse("cases:decide_closure", args=[case.pk]), {"decision": "approve", "closed_on": before}
    )
    assert r.status_code == 200 and r.context["form"].errors["closed_on"]
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED
